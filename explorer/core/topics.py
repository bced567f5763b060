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

from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import chain
from operator import itemgetter, mul

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

    Sums are dense arrays over the terms found in two sections or more (a term of one
    section cannot make it similar to any other), and a section reads the weights it needs
    with one `itemgetter` call: C-speed dot products, five times faster than dicts. The
    meaning part's sums are rows of one numpy array, so a section's similarity to every row
    is one matrix product.
    """

    def __init__(self, vectors: Sequence[Vector], threshold: float,
                 dense: np.ndarray | None = None):
        self._threshold = threshold
        self._dense = dense
        self._dense_sums = np.zeros((0 if dense is None else dense.shape[1], 8), np.float64)
        self._slot: dict[int, int] = {}                   # row id -> column of _dense_sums
        self._free = list(range(self._dense_sums.shape[1]))   # columns no row holds
        df = Counter(chain.from_iterable(vectors))
        ids: dict[str, int] = {}
        for v in vectors:
            for t in v:
                if df[t] > 1:
                    ids.setdefault(t, len(ids))
        self._size = len(ids)
        self._terms = [[ids[t] for t in v if t in ids] for v in vectors]
        self._weights = [[w for t, w in v.items() if t in ids] for v in vectors]
        self._getters = [_getter(t) for t in self._terms]
        self._members: dict[int, list[int]] = {}          # row id -> section indices
        self._sums: dict[int, array] = {}                 # row id -> sum of member vectors
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
        getter, weights, sums = self._getters[section], self._weights[section], self._sums
        if getter is None:
            similar = dict.fromkeys(self._members, 0.0)
        else:
            similar = {row: sum(map(mul, weights, getter(sums[row])))
                       for row in self._members}
        if self._dense is not None and self._members:
            columns = [self._slot[row] for row in self._members]
            meaning = self._dense[section] @ self._dense_sums[:, columns]
            similar = {row: s + m for (row, s), m in zip(similar.items(), meaning.tolist())}
        return {row: s / len(self._members[row]) for row, s in similar.items()}

    def _new_row(self) -> int:
        self._next_id += 1
        self._members[self._next_id] = []
        self._sums[self._next_id] = array("d", bytes(8 * self._size))
        if self._dense is not None:
            if not self._free:      # twice the columns: rows are made one at a time
                size = self._dense_sums.shape[1]
                self._free = list(range(size, 2 * size))
                self._dense_sums = np.hstack([self._dense_sums, np.zeros_like(self._dense_sums)])
            self._slot[self._next_id] = self._free.pop()
        return self._next_id

    def _add(self, section: int, row: int) -> None:
        self._members[row].append(section)
        self._row_of[section] = row
        total = self._sums[row]
        for i, w in zip(self._terms[section], self._weights[section]):
            total[i] += w
        if self._dense is not None:
            self._dense_sums[:, self._slot[row]] += self._dense[section]

    def _remove(self, section: int) -> None:
        row = self._row_of.pop(section)
        self._members[row].remove(section)
        if not self._members[row]:
            del self._members[row], self._sums[row]
            if self._dense is not None:
                column = self._slot.pop(row)
                self._dense_sums[:, column] = 0.0
                self._free.append(column)
            return
        total = self._sums[row]
        for i, w in zip(self._terms[section], self._weights[section]):
            total[i] -= w
        if self._dense is not None:
            self._dense_sums[:, self._slot[row]] -= self._dense[section]


def _getter(ids: list[int]) -> Callable[[array], tuple[float, ...]] | None:
    """A function picking the given positions of an array, as a tuple (itemgetter, in C)."""
    if not ids:
        return None
    if len(ids) == 1:               # itemgetter(i) would return the bare value
        only = ids[0]
        return lambda values: (values[only],)
    return itemgetter(*ids)
