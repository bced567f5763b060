"""One-to-one matching between two sets (sections of two reports, or sections and topic rows).

`assign` maximises the total weight of the chosen pairs. Exact (Hungarian algorithm) up to
`EXACT_LIMIT` items a side, which covers real reports; beyond it a greedy pick by descending
weight, still one-to-one, keeps the cost near O(n·m·log(n·m)) instead of O(n²·m).
"""
from __future__ import annotations

from collections.abc import Sequence

EXACT_LIMIT = 100


def assign(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Pairs (row, column) of a one-to-one matching of maximal total weight, sorted by row.

    Only pairs of positive weight are returned: a zero weight means "do not pair these".
    """
    if not weights or not weights[0]:
        return []
    if max(len(weights), len(weights[0])) > EXACT_LIMIT:
        pairs = _greedy(weights)
    else:
        pairs = _hungarian(weights)
    return sorted((i, j) for i, j in pairs if weights[i][j] > 0.0)


def _greedy(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    # Ties broken by position so the same matrix always gives the same pairs.
    cells = sorted((-w, i, j) for i, row in enumerate(weights) for j, w in enumerate(row) if w > 0)
    used_rows: set[int] = set()
    used_cols: set[int] = set()
    pairs = []
    for _, i, j in cells:
        if i not in used_rows and j not in used_cols:
            used_rows.add(i)
            used_cols.add(j)
            pairs.append((i, j))
    return pairs


def _hungarian(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Maximum-weight assignment by the shortest augmenting path method (Kuhn-Munkres, O(n²m))."""
    transposed = len(weights) > len(weights[0])
    cost = [[-w for w in row] for row in (zip(*weights) if transposed else weights)]
    n, m = len(cost), len(cost[0])          # n <= m: every row gets a column
    inf = float("inf")
    u = [0.0] * (n + 1)                     # row potentials
    v = [0.0] * (m + 1)                     # column potentials
    owner = [0] * (m + 1)                   # owner[j]: row (1-based) holding column j; 0 = free
    for row in range(1, n + 1):
        owner[0] = row
        way = [0] * (m + 1)
        slack = [inf] * (m + 1)
        used = [False] * (m + 1)
        col = 0
        while owner[col]:
            used[col] = True
            i, delta, nxt = owner[col], inf, 0
            costs = cost[i - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    reduced = costs[j - 1] - u[i] - v[j]
                    if reduced < slack[j]:
                        slack[j], way[j] = reduced, col
                    if slack[j] < delta:
                        delta, nxt = slack[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    slack[j] -= delta
            col = nxt
        while col:                          # flip the augmenting path
            prev = way[col]
            owner[col] = owner[prev]
            col = prev
    pairs = [(owner[j] - 1, j - 1) for j in range(1, m + 1) if owner[j]]
    return [(j, i) for i, j in pairs] if transposed else pairs
