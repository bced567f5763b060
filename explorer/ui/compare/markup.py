"""The HTML the window shows of a comparison cell: a heading line, then the body the builder
rendered (core.comparison_html) with words marked.

Words are marked (shared terms, terms only one report uses, search terms) by stem, so
`translating` lights up for `translation` as it does in the reader. Marks are classes; the
stylesheet (css.py) colours them, on screen and in an exported file alike.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ...core.analysis import TOKEN_PATTERN
from ...core.comparison import Cell
from ...core.comparison_html import word_stems
from ...core.rendering import escape

# Mark classes, by precedence: a word that is a search hit and a shared term is shown as a hit.
SEARCH, SHARED, UNIQUE = "search", "shared", "unique"
NO_MATCH = "No matching section"
MENU_MARK = "▾"     # says "click the heading to choose another section"
# The mark as the heading line holds it: a UI glyph, dropped from exported files (printable).
MENU_HTML = f' <span class="menu">{MENU_MARK}</span>'

Marks = Sequence[tuple[str, frozenset[str]]]

# A tag (its quoted attribute values may hold ">"), an entity, or a word.
_MARKUP_OR_WORD = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>|&#?\w+;|""" + TOKEN_PATTERN)


def head_html(cell: Cell, choosable: bool) -> str:
    menu = MENU_HTML if choosable else ""
    if cell.section is None:
        return f'<p class="head"><span class="none">{NO_MATCH}</span>{menu}</p>'
    return (f'<p class="head"><span class="num">§{cell.section}</span> '
            f'<b>{escape(cell.title or "")}</b>&nbsp; {score_html(cell)}{menu}</p>')


def printable(html: str) -> str:
    """A cell's HTML without what only works on screen (the section menu's mark)."""
    return html.replace(MENU_HTML, "")


def note_html(text: str) -> str:
    """A remark above a cell's text (e.g. why it has no word diff)."""
    return f'<p class="note">{escape(text)}</p>'


# A match's strength (core.alignment.Aligner.strength) -> the class that colours it.
_STRENGTH_CLASS = {"close": "score-strong", "related": "score-fair", "weak": "score-weak"}


def score_html(cell: Cell) -> str:
    """How close the match is, in words, or where the cell comes from; nothing for a
    section alone in its row (Qt's rich text knows one class per element)."""
    if cell.origin == "reference":
        return '<span class="score-note">reference</span>'
    if cell.origin == "user":
        return '<span class="score-note">your choice</span>'
    if cell.strength is None:
        return ""
    return f'<span class="{_STRENGTH_CLASS[cell.strength]}">{cell.strength}</span>'


def mark_words(html: str, marks: Marks) -> str:
    """`html` with every word whose stem is in a mark's set wrapped in <span class=mark>.

    The HTML is the sanitiser's or ours: tags are well formed, attribute values quoted and
    text escaped, so tags, entities and words can be told apart by pattern (a parser is
    several times slower, and this runs for every cell shown)."""
    marks = [(css, stems) for css, stems in marks if stems]
    if not marks:
        return html

    def mark(match: re.Match) -> str:
        word = match.group()
        if word[0] in "<&":
            return word
        stems = word_stems(word)
        css = next((css for css, wanted in marks if stems & wanted), None)
        return f'<span class="{css}">{word}</span>' if css else word

    return _MARKUP_OR_WORD.sub(mark, html)
