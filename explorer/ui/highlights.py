"""Where a reader's words match: the words of a document whose stems are among a search's
matched terms (so `translating` lights up for a query `translation`), or a plain text.

Ranges are (start, end) positions in the QTextDocument. They are found block by block:
positions inside a block are UTF-16 offsets, which differ from Python's string indices
once a character lies outside the Basic Multilingual Plane (emoji).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from PySide6.QtGui import QTextDocument

from ..core.analysis import TOKEN_PATTERN, word_stems

_TOKEN = re.compile(TOKEN_PATTERN)
_PART = re.compile(r"\w+")          # the parts of a compound token (GPT-5 -> GPT, 5)

Range = tuple[int, int]


def term_ranges(document: QTextDocument, wanted: Iterable[str]) -> list[Range]:
    """Where the stemmed terms occur; a term with a space is a phrase (its words in a row,
    stop words between them skipped), marked only where its words stand together."""
    wanted = frozenset(wanted)
    phrases = [tuple(t.split()) for t in wanted if " " in t]
    wanted = frozenset(t for t in wanted if " " not in t)
    if not (wanted or phrases):
        return []
    found: list[Range] = []
    for text, offset in _blocks(document):
        if phrases:
            found.extend(_phrase_ranges(text, offset, phrases))
        for token in _TOKEN.finditer(text):
            if word_stems(token.group()) & wanted:
                found.append((offset(token.start()), offset(token.end())))
                continue
            # The index also holds a compound's parts: `gpt` matches inside `GPT-5`.
            for part in _PART.finditer(token.group()):
                if part.end() - part.start() < len(token.group()) and word_stems(part.group()) & wanted:
                    start = token.start() + part.start()
                    found.append((offset(start), offset(start + len(part.group()))))
    return sorted(found)


def _phrase_ranges(text: str, offset: Callable[[int], int],
                   phrases: list[tuple[str, ...]]) -> Iterator[Range]:
    words = [(m, word_stems(m.group())) for m in _TOKEN.finditer(text)]
    words = [(m, stems) for m, stems in words if stems]       # stop words have none
    for phrase in phrases:
        for i in range(len(words) - len(phrase) + 1):
            run = words[i:i + len(phrase)]
            if all(stem in stems for (_m, stems), stem in zip(run, phrase)):
                yield offset(run[0][0].start()), offset(run[-1][0].end())


def text_ranges(document: QTextDocument, needle: str) -> list[Range]:
    """Case-insensitive occurrences of `needle` (a match never spans two paragraphs)."""
    needle = needle.strip()
    if not needle:
        return []
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    return [(offset(m.start()), offset(m.end()))
            for text, offset in _blocks(document) for m in pattern.finditer(text)]


def _blocks(document: QTextDocument) -> Iterator[tuple[str, Callable[[int], int]]]:
    """Each paragraph's text, and how its indexes map to document positions."""
    block = document.begin()
    while block.isValid():
        text = block.text()
        yield text, _offsets(block.position(), text)
        block = block.next()


def _offsets(base: int, text: str) -> Callable[[int], int]:
    """index in `text` -> document position."""
    if all(ord(c) <= 0xFFFF for c in text):
        return lambda i: base + i
    extra = [0]
    for c in text:                  # characters outside the BMP take two UTF-16 units
        extra.append(extra[-1] + (ord(c) > 0xFFFF))
    return lambda i: base + i + extra[i]
