"""The HTML of a comparison cell: a heading line, then the section's body with words marked.

Qt-free: the worker renders bodies and word diffs; the model adds the heading and marks
words (shared terms, terms only one report uses, search terms) by stem, so `translating`
lights up for `translation` as it does in the reader. Marks are classes; the stylesheet
(css.py) colours them, on screen and in an exported file alike.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ...core.analysis import TOKEN_PATTERN, terms
from ...core.model import Section
from ...core.rendering import escape, render_html
from ...core.worddiff import DiffRun
from .data import Cell

# Mark classes, by precedence: a word that is a search hit and a shared term is shown as a hit.
SEARCH, SHARED, UNIQUE = "search", "shared", "unique"
ONLY_LEFT, ONLY_RIGHT = "only-left", "only-right"
# Score tiers for the heading's similarity (THRESHOLD in core.alignment is 0.14).
STRONG, FAIR = 0.3, 0.2
NO_MATCH = "No matching section"
MENU_MARK = "▾"     # says "click the heading to choose another section"

Marks = Sequence[tuple[str, frozenset[str]]]

# A tag (its quoted attribute values may hold ">"), an entity, or a word.
_MARKUP_OR_WORD = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>|&#?\w+;|""" + TOKEN_PATTERN)
_ATX = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__).+(\*\*|__)\W*$")
_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")


def body_markdown(section: Section) -> str:
    """The section's markdown without its heading: the cell's own heading line says it once,
    at one size, whatever level each report used."""
    lines = section.markdown.split("\n")
    if len(lines) > 1 and lines[0].strip() and _UNDERLINE.match(lines[1]):
        return "\n".join(lines[2:])
    if lines and (_ATX.match(lines[0]) or _BOLD_LINE.match(lines[0])):
        return "\n".join(lines[1:])
    return section.markdown


@lru_cache(maxsize=2048)
def body_html(markdown: str) -> str:
    return render_html(markdown)


def diff_html(runs: Sequence[DiffRun], left: bool) -> str:
    """One side of a word diff: the words both say plain, this side's own words marked."""
    own, other = ("only_a", "only_b") if left else ("only_b", "only_a")
    css = ONLY_LEFT if left else ONLY_RIGHT
    parts = [f'<span class="{css}">{escape(r.text)}</span>' if r.kind == own else escape(r.text)
             for r in runs if r.kind != other]
    return f"<p>{' '.join(parts)}</p>"


def head_html(cell: Cell, choosable: bool) -> str:
    menu = f" {MENU_MARK}" if choosable else ""
    if cell.section is None:
        return f'<p class="head"><span class="none">{NO_MATCH}</span>{menu}</p>'
    return (f'<p class="head"><span class="num">§{cell.section}</span> '
            f'<b>{escape(cell.title or "")}</b>&nbsp; {score_html(cell)}{menu}</p>')


def score_html(cell: Cell) -> str:
    """The similarity, or why there is none (Qt's rich text knows one class per element)."""
    if cell.origin == "reference":
        return '<span class="score-note">reference</span>'
    if cell.origin == "user":
        return '<span class="score-note">your choice</span>'
    if cell.score is None:
        return '<span class="score-note">only this report</span>'
    tier = "strong" if cell.score >= STRONG else "fair" if cell.score >= FAIR else "weak"
    return f'<span class="score-{tier}">{cell.score:.2f}</span>'


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
        stems = _stems(word)
        css = next((css for css, wanted in marks if stems & wanted), None)
        return f'<span class="{css}">{word}</span>' if css else word

    return _MARKUP_OR_WORD.sub(mark, html)


@lru_cache(maxsize=50_000)
def _stems(word: str) -> frozenset[str]:
    return frozenset(terms(word))


def stems_of(words: Sequence[str]) -> frozenset[str]:
    """The stems of words as written (e.g. a word diff's shared terms)."""
    return frozenset(t for word in words for t in _stems(word))
