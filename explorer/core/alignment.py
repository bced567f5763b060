"""Which sections of different reports discuss the same thing: counterparts and the topic map.

Reports on one subject number and title their sections differently ("1. Multimodal Models"
here, "2. Expansion of Multimodal Capabilities" there), so content decides. Two sections'
similarity is a blend of what they mean and the words they share:

    MEANING_SHARE · meaning + (1 - MEANING_SHARE) · words

- meaning: cosine of their WordLlama vectors (`meaning`), body and title blended
  (`MEANING_TITLE_SHARE`): "Natural Language Understanding" ~ "Linguistic Understanding";
- words: cosine of their TF-IDF vectors (`similarity`): the rare words two sections share.

Neither alone was as good. The shares and the threshold come from a logistic fit of
"a reader pairs these two sections" on hand-labelled pairs (the seeds, and half of the
labelled real reports in tests/labels/corpus_alignment.json; the other half measured
only: see tests/alignment_quality.py). Without the model (it failed to load), words
alone decide, with their own threshold. See `topics` for how rows are formed.

The two views agree: sections sharing a topic row are each other's counterparts, even when
their own similarity is modest ("Ethical AI Frameworks" and "Mitigating Bias and Toxicity"
meet through the rest of the row). The sections left over in a pair of reports are matched
by an optimal one-to-one assignment on their similarity, and only above `THRESHOLD`:
a report that never discusses edge devices is not forced to offer its least-bad section.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from . import meaning
from .assignment import assign
from .model import Report, Section
from .similarity import SectionVectors, Vector, dot, surface_terms, term_weights, vector_terms
from .topics import build_rows
from .worddiff import WordDiff, diff_words

# The part of the similarity that meaning decides, and the part of each that the titles
# decide. A logistic fit on the labelled pairs gave meaning 0.40 (body 0.30, title 0.10)
# and words 0.60 (body 0.42, title 0.18), rounded here.
MEANING_SHARE = 0.4
MEANING_TITLE_SHARE = 0.25
WORDS_TITLE_SHARE = 0.3
# The similarity a pair of sections (or a section and a row, on average) must exceed to be
# called a match. With meaning: 0.34, the best rows on the labels' first half (precision
# 0.97, recall 0.80; counterparts 0.91 / 0.82) without losing the seeds (rows 1.00 / 0.93,
# counterparts 0.98 / 0.98); at 0.30 precision falls to 0.86, at 0.36 recall to 0.70.
# Words alone (no model): chosen on the seeds, with similarity.TITLE_SHARE.
THRESHOLD = 0.34
WORDS_THRESHOLD = 0.14
# How close a match is, in words for a reader: (close from, related from) by similarity. With
# meaning, on the labelled real reports (both halves alike): from 0.45 every proposed pair
# was right, from 0.40 nine in ten, below it two in three; of topic-row members by their
# mean similarity, from 0.46 all, 0.42-0.46 94%, below three in four. Words alone: the
# tiers the window used before.
STRENGTHS = {True: (0.45, 0.40), False: (0.30, 0.20)}
KEY_TERMS = 5           # terms shown for a match or a topic
DIFF_TERMS = 8          # shared terms to highlight in a word diff


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

    label: str                        # the title of its most central section
    terms: tuple[str, ...]
    sections: tuple[SectionRef, ...]  # at most one per report, in report order


# Sections (report id, section) -> their meaning vectors, or None (see meaning.section_vectors).
MeaningSource = Callable[[Sequence[tuple[str, Section]]], "np.ndarray | None"]


class Aligner:
    """Section alignment over a fixed set of reports; build once, ask many questions.

    Vectors are computed at construction; the topic map and each pair of reports'
    assignment on first use, then cached. Results do not depend on the order the reports
    are given in, except that lists follow that order. Not thread-safe (the caches): use it
    from one worker; what it returns is immutable and can go anywhere.
    """

    def __init__(self, reports: Sequence[Report],
                 meaning_of: MeaningSource = meaning.section_vectors,
                 threshold: float | None = None):
        """`meaning_of` gives the sections' meaning vectors (see `meaning.section_vectors`),
        or None: then words alone decide. `threshold`: the default for either (tests)."""
        self._reports = {r.id: r for r in reports}
        self._order = {rid: i for i, rid in enumerate(self._reports)}
        self._sections = [(r.id, s) for r in reports for s in r.sections]
        self._by_report: dict[str, list[int]] = {rid: [] for rid in self._reports}
        self._index: dict[tuple[str, int], int] = {}
        for i, (rid, section) in enumerate(self._sections):
            self._by_report[rid].append(i)
            self._index.setdefault((rid, section.number), i)   # a repeated number: the first
        found = meaning_of(self._sections) if self._sections else None
        self.by_meaning = found is not None
        if found is None:
            self._space = SectionVectors([s for _, s in self._sections])
            self._threshold = WORDS_THRESHOLD if threshold is None else threshold
            self._vectors = self._space.vectors
            self._meaning = None
        else:
            self._space = SectionVectors([s for _, s in self._sections], WORDS_TITLE_SHARE)
            self._threshold = THRESHOLD if threshold is None else threshold
            words = math.sqrt(1.0 - MEANING_SHARE)
            self._vectors = tuple({t: w * words for t, w in v.items()}
                                  for v in self._space.vectors)
            body, title = found[:, :meaning.DIMENSIONS], found[:, meaning.DIMENSIONS:]
            self._meaning = np.hstack([body * math.sqrt(1.0 - MEANING_TITLE_SHARE),
                                       title * math.sqrt(MEANING_TITLE_SHARE)])
            self._meaning *= math.sqrt(MEANING_SHARE)
        self._position = {s: i for i, (_, s) in enumerate(self._sections)}
        self._row_of: dict[int, int] | None = None
        self._rows: list[list[int]] = []
        self._topics: list[Topic] | None = None
        self._pairs: dict[tuple[str, str], dict[int, int]] = {}

    def strength(self, score: float) -> str:
        """"close", "related" or "weak": what a similarity means to a reader."""
        close, related = STRENGTHS[self.by_meaning]
        return "close" if score >= close else "related" if score >= related else "weak"

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
        return Match(report_id, report.title, section.number, section.title,
                     _score(self._similarity(anchor, partner)),
                     self._surface(self._space.shared_terms(a, b, KEY_TERMS)))

    def _similarity(self, i: int, j: int) -> float:
        similar = dot(self._vectors[i], self._vectors[j])
        if self._meaning is not None:
            similar += float(self._meaning[i] @ self._meaning[j])
        return similar

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
        weights = [[max(self._similarity(i, j) - self._threshold, 0.0)
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
            self._rows = build_rows(groups, self._vectors, self._threshold, self._meaning)
            self._row_of = {i: n for n, row in enumerate(self._rows) for i in row}
        return self._row_of

    def _topic(self, row: list[int]) -> Topic:
        total: Vector = {}
        for i in row:
            for term, w in self._vectors[i].items():
                total[term] = total.get(term, 0.0) + w
        meaning_total = None if self._meaning is None else self._meaning[row].sum(axis=0)
        refs = tuple(self._ref(i, total, meaning_total, len(row)) for i in row)
        terms = self._surface(self._key_terms(row, total))
        return Topic(self._label(row, refs), terms, refs)

    def _label(self, row: list[int], refs: tuple[SectionRef, ...]) -> str:
        """The title of the row's most central section: it reads like a heading, which
        keywords ("goal · efficiency · high") do not. Ties go to the shorter title."""
        central = max(zip(refs, row), key=lambda ref_i: (ref_i[0].score, -len(ref_i[0].title),
                                                         -self._report_rank(ref_i[1])))
        return central[0].title

    def _key_terms(self, row: list[int], total: Vector) -> list[str]:
        """Heaviest terms of the row that at least half its sections (two or more) use."""
        weights = term_weights(total)
        if len(row) > 1:
            uses = Counter(chain.from_iterable(vector_terms(self._vectors[i]) for i in row))
            needed = max(2, math.ceil(len(row) / 2))
            weights = {t: w for t, w in weights.items() if uses[t] >= needed}
        return self._space.key_terms(weights, KEY_TERMS)

    def _ref(self, i: int, total: Vector, meaning_total: np.ndarray | None,
             size: int) -> SectionRef:
        rid, section = self._sections[i]
        others = 0.0
        if size > 1:
            # Mean similarity to the others: dot with the row's sum, minus its own part.
            vector = self._vectors[i]
            together = dot(vector, total) - dot(vector, vector)
            if meaning_total is not None:
                mine = self._meaning[i]
                together += float(mine @ meaning_total - mine @ mine)
            others = together / (size - 1)
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
