"""The user's counterpart choices ("use this section instead") in one comparison.

Keyed by library, row anchor and report; each comparison view keeps its own, so a choice
made in one comparison never shows up in another (whose rows may be others).
"""
from __future__ import annotations

from .comparison import OverrideKey


class Overrides:
    def __init__(self):
        self._choices: dict[str, dict[OverrideKey, int | None]] = {}

    def of(self, library: str) -> tuple[tuple[OverrideKey, int | None], ...]:
        """The library's choices, as a request carries them to the worker."""
        return tuple(sorted(self._choices.get(library, {}).items(), key=lambda kv: kv[0]))

    def choose(self, library: str, key: OverrideKey, section: int | None) -> None:
        """Show `section` (None: no section) for this row and report."""
        self._choices.setdefault(library, {})[key] = section

    def forget(self, library: str, key: OverrideKey) -> None:
        """Back to the aligner's choice."""
        self._choices.get(library, {}).pop(key, None)
