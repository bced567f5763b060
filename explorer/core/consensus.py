"""Points: the claims a set of reports make, and how many of the reports make each one.

Within each row of the reports' topic map (sections on one subject), the sentences of
different reports that say the same thing form a point; its support is how many reports
say it. Two sentences say the same thing when they are close in meaning AND name the same
specific words (`MEANING_SHARE` of WordLlama's cosine, the rest the TF-IDF cosine of their
words and numbers, weighed over the row's sentences: "models" weighs nothing in a row about
models). Two sentences are linked only if each is the other's closest in the other's
report, and groups of sentences merge when their sentences are close on average
(`THRESHOLD`), never two sentences of one report in a point. Precision first: a sentence
that merely shares words with another stays on its own, said by one report.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import meaning
from .alignment import Aligner
from .model import Report, Section
from .sentences import sentences
from .similarity import SectionVectors

# The blend and the bar, chosen on hand-labelled points of the seeds (tests/labels/
# seed_points.json, 101 pairs; tests/points_quality.py): pair precision 0.73, recall 0.27.
# At 0.35 precision falls to 0.63 (recall 0.44); meaning weighed 0.7 loses precision at
# every bar; complete linkage and dropping the mutual test did no better.
MEANING_SHARE = 0.5
THRESHOLD = 0.40
LABEL_WORDS = 14            # a point's label: its most central sentence, shortened


@dataclass(frozen=True, slots=True)
class Sentence:
    report: str
    section: int
    text: str


@dataclass(frozen=True, slots=True)
class Point:
    label: str
    support: int                    # how many reports say it
    subject: str                    # the topic row it belongs to
    sentences: tuple[Sentence, ...]  # at most one per report, in report order


def points(reports: Sequence[Report], aligner: Aligner) -> list[Point]:
    """Every sentence of the reports' numbered sections in exactly one point; points by
    support (most first), then in the topic map's order."""
    by_id = {r.id: r for r in reports}
    order = {r.id: i for i, r in enumerate(reports)}
    found: list[Point] = []
    for topic in aligner.topic_map():
        said = [Sentence(ref.report, ref.section, text)
                for ref in topic.sections if ref.section >= 1
                for text in sentences(_section(by_id[ref.report], ref.section).text)]
        found.extend(_row_points(topic.label, said, order))
    return sorted(found, key=lambda p: -p.support)      # stable: the map's order otherwise


def _section(report: Report, number: int) -> Section:
    section = report.section(number)
    assert section is not None, (report.id, number)
    return section


def _row_points(subject: str, said: list[Sentence], order: dict[str, int]) -> list[Point]:
    if not said:
        return []
    similar = _similarities(said)
    groups = [[i] for i in range(len(said))]
    group_of = list(range(len(said)))
    pairs = sorted(((similar[i, j], i, j) for i in range(len(said))
                    for j in range(i + 1, len(said))
                    if said[i].report != said[j].report and similar[i, j] > THRESHOLD),
                   reverse=True)
    best = _best_in_each_report(said, similar)
    for _, i, j in pairs:
        if not (best[i].get(said[j].report) == j and best[j].get(said[i].report) == i):
            continue                          # not each other's closest in the other report
        a, b = group_of[i], group_of[j]
        if a == b or not groups[a] or not groups[b]:
            continue
        reports_a = {said[k].report for k in groups[a]}
        if any(said[k].report in reports_a for k in groups[b]):
            continue                          # one sentence per report in a point
        cross = [similar[k, m] for k in groups[a] for m in groups[b]]
        if sum(cross) / len(cross) <= THRESHOLD:
            continue                          # average linkage: close on the whole
        groups[a].extend(groups[b])
        for k in groups[b]:
            group_of[k] = a
        groups[b] = []
    out = []
    for members in groups:
        if members:
            members.sort(key=lambda k: (order[said[k].report], k))
            central = max(members, key=lambda k: (sum(similar[k, m] for m in members), -k))
            out.append(Point(_short(said[central].text), len(members), subject,
                             tuple(said[k] for k in members)))
    return out


def _best_in_each_report(said: list[Sentence], similar: np.ndarray) -> list[dict[str, int]]:
    """For each sentence, its closest sentence in each other report."""
    best: list[dict[str, int]] = [{} for _ in said]
    for i in range(len(said)):
        for j in range(len(said)):
            report = said[j].report
            if report != said[i].report and (report not in best[i]
                                             or similar[i, j] > similar[i, best[i][report]]):
                best[i][report] = j
    return best


def _similarities(said: list[Sentence]) -> np.ndarray:
    """Sentence × sentence similarity: meaning and words blended (words alone without the
    meaning model)."""
    words = SectionVectors([Section(0, "", "", s.text) for s in said], title_share=0.0).vectors
    columns: dict[str, int] = {}
    for vector in words:
        for term in vector:
            columns.setdefault(term, len(columns))
    dense = np.zeros((len(words), max(1, len(columns))))
    for row, vector in enumerate(words):
        for term, weight in vector.items():
            dense[row, columns[term]] = weight
    lexical = dense @ dense.T
    model = meaning.model()
    if model is None:
        return lexical
    vectors = model.embed([s.text for s in said])
    return MEANING_SHARE * (vectors @ vectors.T) + (1 - MEANING_SHARE) * lexical


def _short(text: str) -> str:
    words = text.split()
    return text if len(words) <= LABEL_WORDS else " ".join(words[:LABEL_WORDS]) + " …"

