"""Which sections of different reports discuss the same thing: counterparts and the topic map.

Reports on one subject number and title their sections differently ("1. Multimodal Models"
here, "2. Expansion of Multimodal Capabilities" there), so content decides: see
`similarity` for the measure and `topics` for how rows are formed.

The two views agree: sections sharing a topic row are each other's counterparts, even when
their own similarity is modest ("Ethical AI Frameworks" and "Mitigating Bias and Toxicity"
meet through the rest of the row). The sections left over in a pair of reports are matched
by an optimal one-to-one assignment on their similarity, and only above `THRESHOLD`:
a report that never discusses edge devices is not forced to offer its least-bad section.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

from .assignment import assign
from .model import Report, Section
from .similarity import SectionVectors, Vector, dot, surface_terms, term_weights, vector_terms
from .topics import build_rows
from .worddiff import WordDiff, diff_words

# Blended cosine a pair of sections (or a section and a row, on average) must exceed to be
# called a match. Chosen on the seeds against hand labels; see tests/test_alignment.py.
THRESHOLD = 0.14
KEY_TERMS = 5           # terms shown for a match or a topic
LABEL_TERMS = 3         # of which a topic's label takes the first
DIFF_TERMS = 8          # shared terms to highlight in a word diff
LABEL_SEPARATOR = " · "


@dataclass(frozen=True, slots=True)
class Match:
    """A section's counterpart in another report; section and title are None for no close match."""

    report: str
    report_title: str
    section: int | None
    title: str | None
    score: float                      # similarity, 0..1, 3 decimals (0.0 when no match)
    shared_terms: tuple[str, ...]     # key words both sections use, as written


@dataclass(frozen=True, slots=True)
class SectionRef:
    report: str
    section: int
    title: str
    score: float                      # mean similarity to the row's other sections (0.0 alone)


@dataclass(frozen=True, slots=True)
class Topic:
    """A row of the topic map: sections of different reports about one thing."""

    label: str                        # e.g. "multimodal · images · audio"
    terms: tuple[str, ...]
    sections: tuple[SectionRef, ...]  # at most one per report, in report order


class Aligner:
    """Section alignment over a fixed set of reports; build once, ask many questions.

    Vectors are computed at construction; the topic map and each pair of reports'
    assignment on first use, then cached. Results do not depend on the order the reports
    are given in, except that lists follow that order. Not thread-safe (the caches): use it
    from one worker; what it returns is immutable and can go anywhere.
    """

    def __init__(self, reports: Sequence[Report], threshold: float = THRESHOLD):
        self._reports = {r.id: r for r in reports}
        self._order = {rid: i for i, rid in enumerate(self._reports)}
        self._threshold = threshold
        self._sections = [(r.id, s) for r in reports for s in r.sections]
        self._by_report: dict[str, list[int]] = {rid: [] for rid in self._reports}
        self._index: dict[tuple[str, int], int] = {}
        for i, (rid, section) in enumerate(self._sections):
            self._by_report[rid].append(i)
            self._index.setdefault((rid, section.number), i)   # a repeated number: the first
        self._space = SectionVectors([s for _, s in self._sections])
        self._vectors = self._space.vectors
        self._position = {s: i for i, (_, s) in enumerate(self._sections)}
        self._row_of: dict[int, int] | None = None
        self._rows: list[list[int]] = []
        self._topics: list[Topic] | None = None
        self._pairs: dict[tuple[str, str], dict[int, int]] = {}

    # --- counterparts ---------------------------------------------------------------

    def counterparts(self, report_id: str, section_number: int,
                     report_ids: Sequence[str] | None = None) -> list[Match]:
        """The section's counterpart in each other report (or each of `report_ids`, in order).

        The first call forms the topic rows (pairs follow them): about 1 s for 200 reports.
        """
        anchor = self._index.get((report_id, section_number))
        if anchor is None:
            raise KeyError(f"no section {section_number} in report {report_id!r}")
        others = self._reports if report_ids is None else report_ids
        return [self._match(anchor, other) for other in others if other != report_id]

    def _match(self, anchor: int, report_id: str) -> Match:
        report = self._reports[report_id]
        partner = self._pair(self._sections[anchor][0], report_id).get(anchor)
        if partner is None:
            return Match(report_id, report.title, None, None, 0.0, ())
        section = self._sections[partner][1]
        a, b = self._vectors[anchor], self._vectors[partner]
        return Match(report_id, report.title, section.number, section.title, _score(dot(a, b)),
                     self._surface(self._space.shared_terms(a, b, KEY_TERMS)))

    def _pair(self, first: str, second: str) -> dict[int, int]:
        """Section -> counterpart, both ways, for one pair of reports (cached)."""
        key = (first, second) if first < second else (second, first)
        if key not in self._pairs:
            self._pairs[key] = self._assign_pair(*key)
        return self._pairs[key]

    def _assign_pair(self, first: str, second: str) -> dict[int, int]:
        # Row-mates first, so this view and the topic map never disagree.
        row_of = self._row_index()
        mates = {row_of[j]: j for j in self._by_report[second]}
        pairs = {i: mates[row_of[i]] for i in self._by_report[first] if row_of[i] in mates}
        rest_a = [i for i in self._by_report[first] if i not in pairs]
        taken = set(pairs.values())
        rest_b = [j for j in self._by_report[second] if j not in taken]
        # Margin over the threshold, so one strong match is never traded for two weak ones.
        weights = [[max(dot(self._vectors[i], self._vectors[j]) - self._threshold, 0.0)
                    for j in rest_b] for i in rest_a]
        pairs.update((rest_a[i], rest_b[j]) for i, j in assign(weights))
        return pairs | {j: i for i, j in pairs.items()}

    # --- topic map ------------------------------------------------------------------

    def topic_map(self) -> list[Topic]:
        """Every section in exactly one row; rows by reports spanned, then section number."""
        if self._topics is None:
            self._row_index()
            topics = [self._topic(sorted(row, key=self._report_rank)) for row in self._rows]
            self._topics = sorted(topics, key=self._topic_rank)
        return list(self._topics)

    def _row_index(self) -> dict[int, int]:
        if self._row_of is None:
            # Reports in id order, not input order, so the rows never depend on the latter.
            groups = [self._by_report[rid] for rid in sorted(self._reports)]
            self._rows = build_rows(groups, self._vectors, self._threshold)
            self._row_of = {i: n for n, row in enumerate(self._rows) for i in row}
        return self._row_of

    def _topic(self, row: list[int]) -> Topic:
        total: Vector = {}
        for i in row:
            for term, w in self._vectors[i].items():
                total[term] = total.get(term, 0.0) + w
        refs = tuple(self._ref(i, total, len(row)) for i in row)
        terms = self._surface(self._key_terms(row, total))
        label = LABEL_SEPARATOR.join(terms[:LABEL_TERMS]) or self._sections[row[0]][1].title
        return Topic(label, terms, refs)

    def _key_terms(self, row: list[int], total: Vector) -> list[str]:
        """Heaviest terms of the row that at least half its sections (two or more) use."""
        weights = term_weights(total)
        if len(row) > 1:
            uses = Counter(chain.from_iterable(vector_terms(self._vectors[i]) for i in row))
            needed = max(2, math.ceil(len(row) / 2))
            weights = {t: w for t, w in weights.items() if uses[t] >= needed}
        return self._space.key_terms(weights, KEY_TERMS)

    def _ref(self, i: int, total: Vector, size: int) -> SectionRef:
        rid, section = self._sections[i]
        vector = self._vectors[i]
        # Mean similarity to the others: dot with the row's sum, minus the section's own part.
        others = (dot(vector, total) - dot(vector, vector)) / (size - 1) if size > 1 else 0.0
        return SectionRef(rid, section.number, section.title, _score(others))

    def _report_rank(self, i: int) -> int:
        return self._order[self._sections[i][0]]

    def _topic_rank(self, topic: Topic) -> tuple:
        # The last part only breaks ties, so the order never rests on how rows were built.
        first = topic.sections[0]
        return (-len(topic.sections), first.section, self._order[first.report],
                [(self._order[s.report], s.section) for s in topic.sections])

    # --- word diff ------------------------------------------------------------------

    def word_diff(self, a: Section, b: Section) -> WordDiff:
        """Word-level differences of two sections, with the significant words both use."""
        stems = self._space.shared_terms(self._vector_of(a), self._vector_of(b), DIFF_TERMS)
        return WordDiff(diff_words(a.text, b.text), _spellings(stems, a.text + "\n" + b.text))

    def _vector_of(self, section: Section) -> Vector:
        i = self._position.get(section)
        return self._space.embed(section) if i is None else self._vectors[i]

    def _surface(self, stems: list[str]) -> tuple[str, ...]:
        return tuple(self._space.surface(t) for t in stems)


def _score(similarity: float) -> float:
    return round(min(max(similarity, 0.0), 1.0), 3)


def _spellings(stems: list[str], text: str) -> tuple[str, ...]:
    """Every way the text writes the given terms (for highlighting), lower case.

    By term rank, then the more frequent spelling first: "models" and "model" both light up.
    """
    rank = {t: n for n, t in enumerate(stems)}
    counts = Counter((rank[t], word.lower()) for t, word in surface_terms(text) if t in rank)
    return tuple(word for _, word in sorted(counts, key=lambda k: (k[0], -counts[k], k[1])))
