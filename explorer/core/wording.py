"""Small helpers for the words the app shows."""
from __future__ import annotations


def plural(count: int, word: str) -> str:
    """`1 report`, `2 reports`, `1,234 sections`."""
    return f"{count:,} {word}" + ("" if count == 1 else "s")
