"""A comparison's rows, built from the core's alignment: what the window shows (its worker
builds them) and what `explorer compare` and `explorer topics` print, from one place.

Two kinds of rows:
- no reference pinned: the topic map's rows restricted to the compared reports, the rows
  most of them share first (the topic map's order otherwise);
- a reference pinned: its sections in order, each with its counterparts in the others.
A user's counterpart choice (an override) replaces the aligner's for that row and report.

Words are marked per row (row_terms): key terms most cells use ("shared") and key terms only
one cell uses ("unique"), weighed over the compared reports' sections.

The command line's counterparts of a section are its row in the window's comparison of its
report, pinned, with the other reports (every other one unless `--reports` names some):
the same sections with the same scores. A match's shared terms are the row's shared terms
that it and the section both use, as written: the words the window marks as shared in both
cells. So they are weighed over the compared reports, as the window's are, not over the
whole library, and naming other reports can change them as adding a column changes the
window's marks. The command line has no counterpart choices of the user's to apply.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import comparison_html
from .alignment import Aligner, Match
from .comparison import (Cell, Comparison, CompareRequest, Origin, OverrideKey, Row, SectionKey,
                         TopicMap, row_containing)
from .errors import UserError
from .model import Report, ReportInfo, Section
from .row_terms import TermSpace
from .worddiff import MIN_ALIKE

if TYPE_CHECKING:
    from .session import LibrarySession

DEFAULT_COLUMNS = 5     # columns when asked to compare a section "with its counterparts"
SPACES_KEPT = 4         # term spaces cached (one per set of compared reports)


@dataclass(frozen=True, slots=True)
class _Entry:
    section: int | None
    score: float | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class _RowPlan:
    anchor: SectionKey
    label: str
    entries: Mapping[str, _Entry]    # report -> its section in the row (absent: no match)


class ComparisonBuilder:
    """Comparisons over one state of a library (its reports and their aligner)."""

    def __init__(self, library: str, reports: Sequence[Report], aligner: Aligner):
        self.library = library
        self.aligner = aligner
        self._reports = {r.id: r for r in reports}
        self._spaces: dict[tuple[str, ...], TermSpace] = {}

    @classmethod
    def of(cls, session: LibrarySession) -> ComparisonBuilder:
        """Over the session's reports as they are now."""
        aligner = session.aligner()
        return cls(str(session.library), session.load_all(), aligner)

    def build(self, request: CompareRequest) -> Comparison:
        ids, notice = self._columns(request)
        reference = request.reference if request.reference in ids else None
        plans = ([self._reference_plan(reference, section, ids)
                  for section in self._reports[reference].sections]
                 if reference else self._topic_rows(ids))
        overrides = dict(request.overrides)
        plans = _once_each([self._overridden(plan, ids, reference, overrides) for plan in plans])
        rows = tuple(self._row(plan, ids) for plan in plans)
        focus = row_containing(rows, *request.focus) if request.focus else None
        return Comparison(self.library, tuple(ReportInfo.of(self._reports[i]) for i in ids),
                          reference, rows, focus, notice)

    def counterparts(self, report_id: str, number: int, others: Sequence[str] | None = None
                     ) -> tuple[Section, list[Match]]:
        """The section and its counterpart in each of `others` (default: every other report),
        as its row shows them when its report is pinned (see the module's docstring)."""
        section = self._section(report_id, number)
        ids = self._compared(report_id, others)
        entries = _entries(self._reference_plan(report_id, section, ids), ids)
        space = self._space(ids)
        shared, _ = space.row_terms(_present(ids, entries))
        return section, [self._match(i, e, space.words_in_both(shared, (report_id, number),
                                                                (i, e.section)))
                         for i, e in zip(ids[1:], entries[1:])]

    def topic_map(self) -> TopicMap:
        """Every section of the library in one row of topics."""
        return TopicMap(tuple(ReportInfo.of(r) for r in self._reports.values()),
                        tuple(self.aligner.topic_map()))

    # --- columns and rows ---------------------------------------------------------------
    def _section(self, report_id: str, number: int) -> Section:
        report = self._report(report_id)
        section = report.section(number)
        if section is None:
            raise UserError(f"{report_id} has no section {number}")
        return section

    def _compared(self, report_id: str, others: Sequence[str] | None) -> tuple[str, ...]:
        """The section's report, then the others in their order (default: library order)."""
        for other in others or ():
            self._report(other)
        return tuple(dict.fromkeys([report_id, *(self._reports if others is None else others)]))

    def _report(self, report_id: str) -> Report:
        report = self._reports.get(report_id)
        if report is None:
            raise UserError(f"no report with id {report_id!r} (see `explorer reports`)")
        return report

    def _columns(self, request: CompareRequest) -> tuple[tuple[str, ...], str | None]:
        ids = list(dict.fromkeys(request.reports))
        if not ids and request.focus:
            ids = self._with_counterparts(*request.focus)
        gone = [i for i in ids if i not in self._reports]
        notice = f"No longer in the library: {', '.join(gone)}" if gone else None
        return tuple(i for i in ids if i in self._reports), notice

    def _with_counterparts(self, report: str, section: int) -> list[str]:
        """The report and, in library order, the reports with a counterpart of the section."""
        if self._reports.get(report) is None or self._reports[report].section(section) is None:
            return [report]
        matches = self.aligner.counterparts(report, section)
        return [report] + [m.report for m in matches if m.section is not None][:DEFAULT_COLUMNS - 1]

    def _reference_plan(self, reference: str, section: Section, ids: Sequence[str]) -> _RowPlan:
        others = [i for i in ids if i != reference]
        entries = {reference: _Entry(section.number, None, "reference")}
        for m in self.aligner.counterparts(reference, section.number, others):
            if m.section is not None:
                entries[m.report] = _Entry(m.section, m.score, "auto")
        return _RowPlan((reference, section.number), section.title, entries)

    def _topic_rows(self, ids: Sequence[str]) -> list[_RowPlan]:
        wanted = set(ids)
        plans = []
        for topic in self.aligner.topic_map():
            refs = [s for s in topic.sections if s.report in wanted]
            if refs:
                # A section alone in its topic has no similarity to show.
                entries = {s.report: _Entry(s.section, s.score if len(topic.sections) > 1 else None,
                                            "auto") for s in refs}
                first = topic.sections[0]
                plans.append(_RowPlan((first.report, first.section), topic.label, entries))
        # Stable: the topic map's order among rows that span as many of the compared reports.
        return sorted(plans, key=lambda p: -len(p.entries))

    def _overridden(self, plan: _RowPlan, ids: Sequence[str], reference: str | None,
                    overrides: Mapping[OverrideKey, int | None]) -> _RowPlan:
        entries = dict(plan.entries)
        for report in ids:
            key = (*plan.anchor, report)
            if report != reference and key in overrides:
                section = overrides[key]
                if section is None or self._reports[report].section(section) is not None:
                    entries[report] = _Entry(section, None, "user")
        return _RowPlan(plan.anchor, plan.label, entries)

    # --- cells --------------------------------------------------------------------------
    def _row(self, plan: _RowPlan, ids: Sequence[str]) -> Row:
        entries = _entries(plan, ids)
        present = _present(ids, entries)
        shared, unique = self._space(ids).row_terms(present)
        unique_of = dict(zip(present, unique))
        diffs, diff_shared, note = self._diff(ids, entries)
        cells = tuple(self._cell(i, e, unique_of.get((i, e.section), frozenset()), diff)
                      for i, e, diff in zip(ids, entries, diffs))
        return Row(plan.anchor, plan.label, cells, shared, diff_shared, note)

    def _cell(self, report_id: str, entry: _Entry, unique: frozenset[str], diff: str) -> Cell:
        section = None if entry.section is None else self._reports[report_id].section(entry.section)
        if section is None:
            return Cell(report_id, None, None, None, entry.origin, "", "", frozenset())
        body = comparison_html.body_html(comparison_html.body_markdown(section))
        strength = None if entry.score is None else self.aligner.strength(entry.score)
        return Cell(report_id, section.number, section.title, entry.score, entry.origin, body,
                    diff, unique, strength)

    def _match(self, report_id: str, entry: _Entry, shared_terms: tuple[str, ...]) -> Match:
        report = self._reports[report_id]
        if entry.section is None:
            return Match(report_id, report.title, None, None, 0.0, ())
        section = report.section(entry.section)
        return Match(report_id, report.title, section.number, section.title, entry.score,
                     shared_terms)

    def _diff(self, ids: Sequence[str], entries: Sequence[_Entry]
              ) -> tuple[list[str], frozenset[str], str]:
        """Both sides of the word diff (two columns, both with a section), its shared words,
        and why there is none when the two are worded too differently to diff."""
        if len(ids) != 2 or any(e.section is None for e in entries):
            return [""] * len(ids), frozenset(), ""
        a, b = (self._reports[i].section(e.section) for i, e in zip(ids, entries))
        diff = self.aligner.word_diff(a, b)
        shared = comparison_html.stems_of(diff.shared_terms)
        if diff.alike < MIN_ALIKE:
            note = (f"Worded differently: {diff.alike:.0%} of the words are in phrases both say. "
                    "The significant words they share are marked instead.")
            return [""] * len(ids), shared, note
        return ([comparison_html.diff_html(diff.runs, left=True),
                 comparison_html.diff_html(diff.runs, left=False)], shared, "")

    def _space(self, ids: Sequence[str]) -> TermSpace:
        key = tuple(sorted(ids))
        if key not in self._spaces:
            if len(self._spaces) >= SPACES_KEPT:
                del self._spaces[next(iter(self._spaces))]
            self._spaces[key] = TermSpace([self._reports[i] for i in key])
        return self._spaces[key]


_NO_MATCH = _Entry(None, None, "auto")


def _once_each(plans: list[_RowPlan]) -> list[_RowPlan]:
    """A section the user chose for one row leaves the row the aligner gave it: a section
    is in one row only. A topic row left with no section at all goes."""
    chosen = {(report, e.section) for plan in plans for report, e in plan.entries.items()
              if e.origin == "user" and e.section is not None}
    kept = []
    for plan in plans:
        entries = {report: e for report, e in plan.entries.items()
                   if e.origin != "auto" or (report, e.section) not in chosen}
        if any(e.section is not None for e in entries.values()):
            kept.append(_RowPlan(plan.anchor, plan.label, entries))
    return kept


def _entries(plan: _RowPlan, ids: Sequence[str]) -> list[_Entry]:
    """Each compared report's entry in the row, in column order."""
    return [plan.entries.get(i, _NO_MATCH) for i in ids]


def _present(ids: Sequence[str], entries: Sequence[_Entry]) -> list[SectionKey]:
    """The row's sections (a report with no match has none)."""
    return [(i, e.section) for i, e in zip(ids, entries) if e.section is not None]
