"""A comparison's rows, built from the core's alignment (Qt-free; runs in the worker).

Two kinds of rows:
- no reference pinned: the topic map's rows restricted to the compared reports, the rows
  most of them share first (the topic map's order otherwise);
- a reference pinned: its sections in order, each with its counterparts in the others.
A user's counterpart choice (an override) replaces the aligner's for that row and report.

Words are marked per row: key terms two or more cells use ("shared") and key terms only one
cell uses ("unique"). Key terms are weighed over the compared reports' sections, so what
every report of the comparison says ("AI", "models") is not marked at all.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ...core.alignment import Aligner
from ...core.model import Report, ReportInfo
from ...core.similarity import SectionVectors, term_weights
from . import markup
from .data import (Cell, Comparison, CompareRequest, Origin, OverrideKey, Row, SectionKey,
                   row_containing)

DEFAULT_COLUMNS = 5     # columns when asked to compare a section "with its counterparts"
KEY_TERMS = 8           # key terms per cell considered for marking
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


class TermSpace:
    """Key terms of the compared reports' sections, weighed over those sections only."""

    def __init__(self, reports: Sequence[Report]):
        sections = [(r.id, s) for r in reports for s in r.sections]
        space = SectionVectors([s for _, s in sections])
        self._space = space
        self._weights: dict[SectionKey, dict[str, float]] = {}
        for (rid, section), vector in zip(sections, space.vectors):
            self._weights.setdefault((rid, section.number), term_weights(vector))

    def row_terms(self, keys: Sequence[SectionKey]) -> tuple[frozenset[str], list[frozenset[str]]]:
        """(stems the row has in common, each section's stems no other one uses).

        In common: used by at least half the sections (and two), and among the key terms
        of at least half of them, rounded down (and one). A word two of five reports use is neither common ground nor one report's own, and
        a word one report stresses and another mentions in passing is not common ground
        either: marking those would only add noise (measured on the seeds). A section
        alone in its row has nothing to be compared with: nothing is marked."""
        if len(keys) < 2:
            return frozenset(), [frozenset() for _ in keys]
        weights = [self._weights.get(k, {}) for k in keys]
        uses = Counter(t for w in weights for t in w)
        key = [self._space.key_terms(w, KEY_TERMS) for w in weights]
        stressed = Counter(t for terms in key for t in terms)
        needed_uses, needed_keys = max(2, math.ceil(len(keys) / 2)), max(1, len(keys) // 2)
        shared = frozenset(t for t, n in stressed.items()
                           if n >= needed_keys and uses[t] >= needed_uses)
        return shared, [frozenset(t for t in terms if uses[t] == 1) for terms in key]


class ComparisonBuilder:
    """Comparisons over one state of a library (its reports and their aligner)."""

    def __init__(self, library: str, reports: Sequence[Report], aligner: Aligner):
        self.library = library
        self.aligner = aligner
        self._reports = {r.id: r for r in reports}
        self._spaces: dict[tuple[str, ...], TermSpace] = {}

    def build(self, request: CompareRequest) -> Comparison:
        ids, notice = self._columns(request)
        reference = request.reference if request.reference in ids else None
        plans = self._reference_rows(reference, ids) if reference else self._topic_rows(ids)
        overrides = dict(request.overrides)
        rows = tuple(self._row(self._overridden(plan, ids, reference, overrides), ids)
                     for plan in plans)
        focus = row_containing(rows, *request.focus) if request.focus else None
        return Comparison(self.library, tuple(ReportInfo.of(self._reports[i]) for i in ids),
                          reference, rows, focus, notice)

    # --- columns and rows ---------------------------------------------------------------
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

    def _reference_rows(self, reference: str, ids: Sequence[str]) -> list[_RowPlan]:
        others = [i for i in ids if i != reference]
        plans = []
        for section in self._reports[reference].sections:
            entries = {reference: _Entry(section.number, None, "reference")}
            for m in self.aligner.counterparts(reference, section.number, others):
                if m.section is not None:
                    entries[m.report] = _Entry(m.section, m.score, "auto")
            plans.append(_RowPlan((reference, section.number), section.title, entries))
        return plans

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
        entries = [plan.entries.get(i, _Entry(None, None, "auto")) for i in ids]
        present = [(i, e.section) for i, e in zip(ids, entries) if e.section is not None]
        shared, unique = self._space(ids).row_terms(present)
        unique_of = dict(zip(present, unique))
        diffs, diff_shared = self._diff(ids, entries)
        cells = tuple(self._cell(i, e, unique_of.get((i, e.section), frozenset()), diff)
                      for i, e, diff in zip(ids, entries, diffs))
        return Row(plan.anchor, plan.label, cells, shared, diff_shared)

    def _cell(self, report_id: str, entry: _Entry, unique: frozenset[str], diff: str) -> Cell:
        section = None if entry.section is None else self._reports[report_id].section(entry.section)
        if section is None:
            return Cell(report_id, None, None, None, entry.origin, "", "", frozenset())
        body = markup.body_html(markup.body_markdown(section))
        return Cell(report_id, section.number, section.title, entry.score, entry.origin, body,
                    diff, unique)

    def _diff(self, ids: Sequence[str], entries: Sequence[_Entry]) -> tuple[list[str], frozenset[str]]:
        """Both sides of the word diff (two columns, both with a section), and its shared words."""
        if len(ids) != 2 or any(e.section is None for e in entries):
            return [""] * len(ids), frozenset()
        a, b = (self._reports[i].section(e.section) for i, e in zip(ids, entries))
        diff = self.aligner.word_diff(a, b)
        return ([markup.diff_html(diff.runs, left=True), markup.diff_html(diff.runs, left=False)],
                markup.stems_of(diff.shared_terms))

    def _space(self, ids: Sequence[str]) -> TermSpace:
        key = tuple(sorted(ids))
        if key not in self._spaces:
            if len(self._spaces) >= SPACES_KEPT:
                del self._spaces[next(iter(self._spaces))]
            self._spaces[key] = TermSpace([self._reports[i] for i in key])
        return self._spaces[key]
