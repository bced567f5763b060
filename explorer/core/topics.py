"""Grouping the sections of many reports into topic rows, at most one section per report.

Rows are grown by aligning each report, in turn, to the rows so far: an optimal one-to-one
assignment between the report's sections and the rows, on the mean cosine similarity of a
section to a row's members (average linkage). A section joins a row only if that mean
clears the threshold, otherwise it opens a row of its own. Then every report is taken out
and aligned again against all the others (up to `MAX_PASSES` times, fewer once nothing
moves), so the first reports do not decide the rows alone.

Why not cluster the pairwise report-to-report matches instead: that needs all R² report
pairs (about 10 s in pure Python for 200 reports), and chains by single links (A~B, B~C,
so A~C even when A and C have nothing in common). Average linkage to the whole row keeps
each row coherent, and costs R · sections · rows. On the seeds, every pair of sections the
rows propose is right by the hand labels of tests/test_alignment.py.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import chain

import numpy as np

from .assignment import assign
from .similarity import Vector

# Realignment passes after the first. The seeds settle after one. 200 synthetic reports
# (tests/test_alignment.py) settle after 8, for 2.2 times the time: row-pair purity 0.84
# after the first pass, 0.87 after two more, 0.90 settled. Two keep the map under 2 s.
MAX_PASSES = 2


def build_rows(groups: Sequence[Sequence[int]], vectors: Sequence[Vector],
               threshold: float, dense: np.ndarray | None = None) -> list[list[int]]:
    """Rows of section indices; `groups` holds each report's section indices, in a fixed order.

    A section's similarity to another is the dot product of their `vectors` (sparse), plus
    that of their rows of `dense` (meaning vectors) when given.
    """
    rows = _Rows(vectors, threshold, dense)
    for group in groups:
        rows.place(group)
    for _ in range(MAX_PASSES):
        moved = 0
        for group in groups:
            moved += rows.replace(group)
        if not moved:
            break
    return rows.members()


class _Rows:
    """Rows under construction, each with the sum of its members' vectors for mean similarity.

    The sums are columns of two float32 matrices, one column a row: words (a line per term
    found in two sections or more: a term of one section cannot make it similar to any
    other) and meaning. A section's similarity to every row is then its weights times the
    lines of its own terms, plus its meaning vector times the meaning sums: two numpy
    products instead of a Python loop over the rows (the topic map of 200 reports: 1.5 s
    down to 0.4 s). Memory is that of the old per-row arrays, halved: terms × rows × 4 bytes.
    """

    def __init__(self, vectors: Sequence[Vector], threshold: float,
                 dense: np.ndarray | None = None):
        self._threshold = threshold
        df = Counter(chain.from_iterable(vectors))
        ids: dict[str, int] = {}
        for v in vectors:
            for t in v:
                if df[t] > 1:
                    ids.setdefault(t, len(ids))
        self._terms = [np.array([ids[t] for t in v if t in ids], dtype=np.intp) for v in vectors]
        self._weights = [np.array([w for t, w in v.items() if t in ids], dtype=np.float32)
                         for v in vectors]
        self._dense = None if dense is None else np.asarray(dense, dtype=np.float32)
        columns = 8
        self._word_sums = np.zeros((len(ids), columns), np.float32)
        self._meaning_sums = np.zeros((0 if dense is None else dense.shape[1], columns),
                                      np.float32)
        self._column: dict[int, int] = {}                 # row id -> its column in the sums
        self._free = list(range(columns - 1, -1, -1))     # columns no row holds
        self._members: dict[int, list[int]] = {}          # row id -> section indices
        self._row_of: dict[int, int] = {}                 # section index -> row id
        self._next_id = 0

    def members(self) -> list[list[int]]:
        return list(self._members.values())

    def place(self, group: Sequence[int]) -> None:
        """Put each section of a report in its best row, or a new one; one section a row."""
        mean_sims = [self._similarities(s) for s in group]
        candidates = [row for row in self._members
                      if any(sims[row] > self._threshold for sims in mean_sims)]
        # Weight = how far above the threshold: a strong match is not traded for two weak ones.
        weights = [[max(sims[row] - self._threshold, 0.0) for row in candidates]
                   for sims in mean_sims]
        chosen = {i: candidates[j] for i, j in assign(weights)}
        for i, section in enumerate(group):
            self._add(section, chosen[i] if i in chosen else self._new_row())

    def replace(self, group: Sequence[int]) -> int:
        """Take a report out and place it again; how many of its sections changed row."""
        before = {s: self._shared_row(s) for s in group}
        for section in group:
            self._remove(section)
        self.place(group)
        return sum(before[s] != self._shared_row(s) for s in group)

    def _shared_row(self, section: int) -> int | None:
        # A section alone in a row has no partner: re-creating its row is no change.
        row = self._row_of[section]
        return row if len(self._members[row]) > 1 else None

    def _similarities(self, section: int) -> dict[int, float]:
        """Mean similarity to each row's members. Every column is computed, free ones too:
        cheaper than picking the rows' columns first."""
        if not self._members:
            return {}
        totals = self._weights[section] @ self._word_sums[self._terms[section]]
        if self._dense is not None:
            totals += self._dense[section] @ self._meaning_sums
        by_column = totals.tolist()
        return {row: by_column[self._column[row]] / len(members)
                for row, members in self._members.items()}

    def _new_row(self) -> int:
        self._next_id += 1
        self._members[self._next_id] = []
        if not self._free:          # twice the columns: rows are made one at a time
            size = self._word_sums.shape[1]
            self._free = list(range(2 * size - 1, size - 1, -1))
            self._word_sums = np.hstack([self._word_sums, np.zeros_like(self._word_sums)])
            self._meaning_sums = np.hstack([self._meaning_sums,
                                            np.zeros_like(self._meaning_sums)])
        self._column[self._next_id] = self._free.pop()
        return self._next_id

    def _add(self, section: int, row: int) -> None:
        self._members[row].append(section)
        self._row_of[section] = row
        self._move(section, self._column[row], 1.0)

    def _remove(self, section: int) -> None:
        row = self._row_of.pop(section)
        self._members[row].remove(section)
        column = self._column[row]
        if self._members[row]:
            self._move(section, column, -1.0)
            return
        del self._members[row], self._column[row]
        self._word_sums[:, column] = 0.0      # exactly empty: no rounding left behind
        self._meaning_sums[:, column] = 0.0
        self._free.append(column)

    def _move(self, section: int, column: int, sign: float) -> None:
        """Add a section's vectors to a row's sums (sign 1) or take them out (-1)."""
        self._word_sums[self._terms[section], column] += sign * self._weights[section]
        if self._dense is not None:
            self._meaning_sums[:, column] += sign * self._dense[section]
