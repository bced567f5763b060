"""What a comparison is asked and what it answers (see comparison_builder): immutable, so the
window's worker can hand it across threads by signal without copies or locks."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .alignment import Topic
from .model import ReportInfo

SectionKey = tuple[str, int]                    # (report id, section number)
# A user's counterpart choice: (row anchor report, row anchor section, report) -> section
# number, or None for "no matching section".
OverrideKey = tuple[str, int, str]
Origin = Literal["auto", "reference", "user"]


@dataclass(frozen=True, slots=True)
class CompareRequest:
    reports: tuple[str, ...]        # columns, in order; empty with a focus: the worker picks
    reference: str | None = None    # pinned report: its sections are the rows
    focus: SectionKey | None = None  # the row holding this section is shown first
    overrides: tuple[tuple[OverrideKey, int | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Cell:
    report: str
    section: int | None             # None: the report has no close match
    title: str | None
    score: float | None             # similarity, None for the reference or a user's choice
    origin: Origin
    body_html: str                  # rendered markdown without the heading, not highlighted
    diff_html: str                  # word diff against the other column (two columns only)
    unique_terms: frozenset[str]    # stems of key terms no other cell of the row uses
    strength: str | None = None     # the score in words: "close", "related", "weak"


@dataclass(frozen=True, slots=True)
class Row:
    anchor: SectionKey              # identifies the row (its topic's or reference's section)
    label: str                      # topic label or the reference section's title
    cells: tuple[Cell, ...]         # one per report, in column order
    shared_terms: frozenset[str]    # stems of key terms two or more cells use
    diff_shared_terms: frozenset[str]  # the significant words of the word diff, as stems
    diff_note: str = ""             # why the two cells have no word diff, if they have none

    def cell_of(self, report: str) -> Cell | None:
        return next((c for c in self.cells if c.report == report), None)


@dataclass(frozen=True, slots=True)
class Comparison:
    library: str
    reports: tuple[ReportInfo, ...]
    reference: str | None
    rows: tuple[Row, ...]
    focus: int | None               # row to show first, if the request named one
    notice: str | None = None       # e.g. a requested report that is gone

    @property
    def report_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.reports)

    def row_containing(self, report: str, section: int) -> int | None:
        return row_containing(self.rows, report, section)


def row_containing(rows: tuple[Row, ...], report: str, section: int) -> int | None:
    return next((i for i, row in enumerate(rows)
                 for c in row.cells if (c.report, c.section) == (report, section)), None)


@dataclass(frozen=True, slots=True)
class TopicMap:
    reports: tuple[ReportInfo, ...]
    topics: tuple[Topic, ...]
