"""A section's text as sentences: what a report claims, one claim at a time.

The section text (core.parsing.markdown_to_text) has one line per source line: a list item
or a table row is a line of its own and never runs into the next. Inside a line, a sentence
ends at `.`, `!` or `?` followed by a space and a capital letter, a digit or a quote, except
after an abbreviation ("e.g.", "Dr.", "U.S.") or a single initial. Fragments too short to
claim anything (a lone label such as "Overview:") join the sentence after them.
"""
from __future__ import annotations

import re

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset({
    "e.g", "i.e", "etc", "vs", "cf", "al", "approx", "dr", "mr", "mrs", "ms", "prof", "st",
    "no", "fig", "inc", "ltd", "co", "corp", "jr", "sr", "u.s", "u.k", "e.u", "u.n", "a.i",
})
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([\w.]+)[.!?]*[\"'”’)\]]*$")
# Fewer words than this is a label or a fragment, not a claim.
MIN_WORDS = 4


def sentences(text: str) -> list[str]:
    """The sentences of a section's text, in order, as written."""
    out: list[str] = []
    pending = ""            # a fragment waiting for the words that complete it
    for line in text.split("\n"):
        for piece in _split_line(line.strip()):
            pending = f"{pending} {piece}" if pending else piece
            if len(pending.split()) >= MIN_WORDS or pending.endswith((".", "!", "?")):
                out.append(pending)
                pending = ""
    if pending:             # a fragment at the very end belongs to the sentence before
        if out:
            out[-1] = f"{out[-1]} {pending}"
        else:
            out.append(pending)
    return out


def _split_line(line: str) -> list[str]:
    pieces, start = [], 0
    for end in _END.finditer(line):
        word = _LAST_WORD.search(line[start:end.end()])
        if word and (word.group(1).lower().rstrip(".") in _ABBREVIATIONS
                     or len(word.group(1).rstrip(".")) == 1):
            continue                          # "e.g. The", "J. Smith"
        pieces.append(line[start:end.end()].strip())
        start = end.end()
    tail = line[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces
