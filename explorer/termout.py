"""Output for people in a terminal: aligned columns, colour only when it is a terminal, and
text from reports made harmless (see `printable`)."""
from __future__ import annotations

import html
import os
import re
import unicodedata
from dataclasses import dataclass

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# What a terminal acts on instead of showing: a whole escape sequence (CSI with its
# parameters, OSC/DCS/PM/APC strings up to their terminator or the end of the line, so an
# unterminated one cannot hide the rest of a report, else ESC and one character), then
# single C0 controls, DEL and C1 controls.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]?"
                     r"|[\]P^_X][^\x07\x1b\n]*(?:\x07|\x1b\\)?"
                     r"|.?)", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")       # all but \t and \n
_LINE_BREAKS = re.compile(r"[\t\n]")
_MARK = re.compile(r"(</?mark>)")
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


def printable(text: str, lines: bool = False) -> str:
    """Text from a report or a file name, safe to print: a report must not be able to set
    the terminal's title, clear the screen or hide text. Control characters and escape
    sequences become one replacement character each. Tabs and line breaks are kept when
    `lines` (a report's body), else they become spaces (a title, a table cell)."""
    text = _CONTROL.sub(REPLACEMENT, _ESCAPE.sub(REPLACEMENT, text))
    return text if lines else _LINE_BREAKS.sub(" ", text)


@dataclass(frozen=True)
class Style:
    colour: bool

    @classmethod
    def for_stream(cls, stream) -> "Style":
        return cls(hasattr(stream, "isatty") and stream.isatty() and "NO_COLOR" not in os.environ)

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def warn(self, text: str) -> str:
        return self._wrap("33", text)

    def marks(self, snippet: str) -> str:
        """A search snippet (HTML with <mark>) for the terminal, made printable; only the
        marks become escape sequences."""
        on, off = ("\x1b[1;33m", "\x1b[0m") if self.colour else ("[", "]")
        marks = {"<mark>": on, "</mark>": off}
        return "".join(marks.get(part) or printable(html.unescape(part))
                       for part in _MARK.split(snippet))


def width(text: str) -> int:
    """Columns a text takes in a terminal (wide CJK/emoji count twice, colour codes none)."""
    plain = _ANSI.sub("", text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in plain)


def table(rows, header=None, indent: int = 0) -> str:
    rows = [tuple(header)] + list(rows) if header else list(rows)
    if not rows:
        return ""
    widths = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell + " " * (w - width(cell)) for cell, w in zip(row[:-1], widths)] + [row[-1]]
        lines.append(" " * indent + "  ".join(cells).rstrip())
    return "\n".join(lines)
