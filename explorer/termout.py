"""Output for people in a terminal: aligned columns, colour only when it is a terminal."""
from __future__ import annotations

import html
import os
import re
import unicodedata
from dataclasses import dataclass

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


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
        """A search snippet (HTML with <mark>) for the terminal."""
        text = snippet.replace("<mark>", "\x00").replace("</mark>", "\x01")
        text = html.unescape(text)
        on, off = ("\x1b[1;33m", "\x1b[0m") if self.colour else ("[", "]")
        return text.replace("\x00", on).replace("\x01", off)


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
