"""The words a comparison row marks: key terms two or more of its sections use ("shared") and
key terms only one of them uses ("unique").

Key terms are weighed over the compared reports' sections only, so what every report of the
comparison says ("AI", "models") is not marked at all, and a word counts as common in these
reports even where the rest of the library never uses it.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from .comparison import SectionKey
from .model import Report
from .similarity import SectionVectors, term_weights

KEY_TERMS = 8           # key terms per section considered for marking
# A word is common ground of a row only if the row's sections use it at least this many
# times as often as the compared reports' sections do. Filler ("improve", "including",
# "generate", "use") is spread over every subject: 1.5 to 4 times; the row's subject words
# ("multimodal", "bias", "regulatory") 5 to 25 times (the seeds, five real AI-LLM reports).
MIN_LIFT = 3.0


class TermSpace:
    """Key terms of the compared reports' sections, weighed over those sections only."""

    def __init__(self, reports: Sequence[Report]):
        sections = [(r.id, s) for r in reports for s in r.sections]
        space = SectionVectors([s for _, s in sections])
        self._space = space
        self._weights: dict[SectionKey, dict[str, float]] = {}
        for (rid, section), vector in zip(sections, space.vectors):
            self._weights.setdefault((rid, section.number), term_weights(vector))
        self._uses = Counter(t for weights in self._weights.values() for t in weights)

    def row_terms(self, keys: Sequence[SectionKey]) -> tuple[frozenset[str], list[frozenset[str]]]:
        """(stems the row has in common, each section's stems no other one uses).

        In common: used by at least half the sections (and two), among the key terms of
        at least half of them, rounded down (and one), and far more in this row than in the
        other sections (MIN_LIFT). A word two of five reports use is
        neither common ground nor one report's own, and a word one report stresses and
        another mentions in passing is not common ground either: marking those would only
        add noise (measured on the seeds). A section alone in its row has nothing to be
        compared with: nothing is marked."""
        if len(keys) < 2:
            return frozenset(), [frozenset() for _ in keys]
        weights = [self._weights.get(k, {}) for k in keys]
        uses = Counter(t for w in weights for t in w)
        key = [self._space.key_terms(w, KEY_TERMS) for w in weights]
        stressed = Counter(t for terms in key for t in terms)
        needed_uses, needed_keys = max(2, math.ceil(len(keys) / 2)), max(1, len(keys) // 2)
        shared = frozenset(t for t, n in stressed.items()
                           if n >= needed_keys and uses[t] >= needed_uses
                           and self._lift(uses[t], len(keys), t) >= MIN_LIFT)
        return shared, [frozenset(t for t in terms if uses[t] == 1) for terms in key]

    def _lift(self, in_row: int, row_size: int, term: str) -> float:
        """How many times as often the row's sections use a term as all compared ones do."""
        return (in_row / row_size) / (self._uses[term] / len(self._weights))

    def words_in_both(self, stems: frozenset[str], a: SectionKey, b: SectionKey) -> tuple[str, ...]:
        """Those of `stems` both sections use, as written, by their part in the pair's
        similarity (strongest first; ties alphabetical, never by set order)."""
        wa, wb = self._weights.get(a, {}), self._weights.get(b, {})
        ranked = sorted((-wa[t] * wb[t], t) for t in stems if t in wa and t in wb)
        return tuple(self._space.surface(t) for _, t in ranked)
