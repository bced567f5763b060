"""Reports on one subject, grouped: re-runs of one crew, or crews asked the same thing.

A report's subject is the meaning of what it says: the mean of its sections' meaning
vectors (the index keeps them), blended with its title's (`TITLE_SHARE`). Reports are
taken in time order and each joins the group whose mean it is closest to, if that is
closer than `THRESHOLD`, else starts a group of its own; then every report is placed once
more against the finished groups, so the first reports do not decide alone. It costs
reports × groups dot products: 10,000 reports in about a second.

Without the meaning model, titles decide, by their words.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

import numpy as np

from . import meaning

# The title's part of a report's subject: titles name the subject in a few words, sections
# say it at length; a re-run keeps the subject and varies the title's wording.
TITLE_SHARE = 0.3
# Cosine above which a report joins a group, chosen on half A of the labelled corpus
# (tests/groups_quality.py: pair precision 0.96, recall 0.98; at 0.68 precision fell to 0.85,
# at 0.72 recall to 0.85). Measured once on half B: precision 0.69, recall 0.90.
THRESHOLD = 0.70
# A date in a report's path or file name: 2025-11-06, 2025_11_06 or 20251106.
_PATH_DATE = re.compile(r"(?<!\d)(20\d\d)[-_]?(0[1-9]|1[0-2])[-_]?(0[1-9]|[12]\d|3[01])(?!\d)")


@dataclass(frozen=True, slots=True)
class Group:
    label: str                  # the title of its most central report
    reports: tuple[str, ...]    # ids, oldest first
    first: date | None
    last: date | None


def report_date(report_path: str, mtime: float) -> date:
    """When a report was made: a date its path gives, else its file's time."""
    found = _PATH_DATE.search(Path(report_path).as_posix())
    if found:
        try:
            return date(*map(int, found.groups()))
        except ValueError:
            pass
    return datetime.fromtimestamp(mtime).date()


class Dated(Protocol):
    """What grouping needs of a report (a Report or a ReportInfo)."""
    id: str
    title: str
    path: str
    mtime: float


def group_reports(reports: Sequence[Dated], vectors: np.ndarray | None) -> list[Group]:
    """Every report in exactly one group; largest groups first, then oldest first.
    `vectors`: each report's subject (see `subjects`), or None: titles by words."""
    if not reports:
        return []
    when = [report_date(r.path, r.mtime) for r in reports]
    order = sorted(range(len(reports)), key=lambda i: (when[i], reports[i].id))
    if vectors is None:
        vectors = _title_words(reports)
    members = _cluster(vectors, order)
    rank = {i: n for n, i in enumerate(order)}
    groups = []
    for indices in members:
        indices = sorted(indices, key=lambda i: (when[i], reports[i].id))
        centre = vectors[indices].sum(axis=0)
        central = max(indices, key=lambda i: (float(vectors[i] @ centre), -rank[i]))
        groups.append(Group(reports[central].title, tuple(reports[i].id for i in indices),
                            when[indices[0]], when[indices[-1]]))
    return sorted(groups, key=lambda g: (-len(g.reports), g.first or date.min, g.reports[0]))


def subjects(reports: Sequence[Dated], bodies: Sequence[np.ndarray | None],
             texts_of: Callable[[int], list[str]]) -> np.ndarray | None:
    """Each report's subject vector, or None without the meaning model. `bodies`: each
    report's mean section vector where the index has it, else None: then `texts_of(i)`
    gives the report's section texts to embed now."""
    model = meaning.model()
    if model is None:
        return None
    found = [body if body is not None else model.embed(texts_of(i) or [""]).mean(axis=0)
             for i, body in enumerate(bodies)]
    titles = model.embed([r.title for r in reports])
    blend = (np.vstack([_unit(b) for b in found]) * math.sqrt(1 - TITLE_SHARE)
             + titles * math.sqrt(TITLE_SHARE))
    return np.vstack([_unit(v) for v in blend])


def stored_bodies(whoosh_index, report_ids: Sequence[str]) -> list[np.ndarray | None]:
    """Each report's mean section vector as the index keeps it (None: not kept). One pass
    over the index's column of vectors, no stored text read: 10,000 reports in a second."""
    with whoosh_index.reader() as reader:
        if not reader.has_column("meaning"):
            return [None] * len(report_ids)
        column = reader.column_reader("meaning")
        found: list[np.ndarray | None] = []
        for rid in report_ids:
            vectors = []
            if ("report", rid) in reader:
                for docnum in reader.postings("report", rid).all_ids():
                    if not reader.is_deleted(docnum):
                        vectors.append(meaning.from_bytes(column[docnum]))
            found.append(np.mean(vectors, axis=0) if vectors and all(
                v is not None for v in vectors) else None)
        return found


def _cluster(vectors: np.ndarray, order: list[int]) -> list[list[int]]:
    sums = np.zeros((0, vectors.shape[1]), dtype=np.float64)
    joined: dict[int, int] = {}
    for i in order:                                  # first pass: in time order
        best = _best(vectors[i], sums)
        if best is None:
            sums = np.vstack([sums, vectors[i]])
            best = len(sums) - 1
        else:
            sums[best] += vectors[i]
        joined[i] = best
    again: dict[int, int] = {}                       # second: against the finished groups
    for i in order:
        sums[joined[i]] -= vectors[i]
        best = _best(vectors[i], sums)
        again[i] = joined[i] if best is None else best
        sums[joined[i]] += vectors[i]
    members: dict[int, list[int]] = {}
    for i in order:
        members.setdefault(again[i], []).append(i)
    return list(members.values())


def _best(vector: np.ndarray, sums: np.ndarray) -> int | None:
    """The group whose mean is closest to `vector`, if closer than the threshold."""
    if not len(sums):
        return None
    norms = np.linalg.norm(sums, axis=1)
    norms[norms == 0] = np.inf                       # an emptied group takes no one
    cosines = sums @ vector / norms
    best = int(np.argmax(cosines))
    return best if cosines[best] > THRESHOLD else None


def _title_words(reports: Sequence[Dated]) -> np.ndarray:
    """Unit vectors of the titles' words (for a library without the meaning model)."""
    from .analysis import terms
    vocabulary: dict[str, int] = {}
    rows = [[vocabulary.setdefault(t, len(vocabulary)) for t in set(terms(r.title))]
            for r in reports]
    out = np.zeros((len(reports), max(1, len(vocabulary))))
    for i, ids in enumerate(rows):
        out[i, ids] = 1.0
    return np.vstack([_unit(v) for v in out])


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
