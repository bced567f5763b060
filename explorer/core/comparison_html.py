"""The HTML a comparison's cells are made of: a section's body without its heading, one side
of a word diff, and the stems words are marked by.

Made by the comparison builder (in the window's worker thread, so rendering never stalls
the window); the window adds each cell's heading line and marks words by stem, so
`translating` lights up for `translation` as it does in the reader.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .analysis import word_stems
from .model import Section
from .rendering import escape, render_html
from .worddiff import DiffRun

# Classes of a word diff's own words, coloured by the window's stylesheet.
ONLY_LEFT, ONLY_RIGHT = "only-left", "only-right"

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


def stems_of(words: Sequence[str]) -> frozenset[str]:
    """The stems of words as written (e.g. a word diff's shared terms)."""
    return frozenset(t for word in words for t in word_stems(word))
