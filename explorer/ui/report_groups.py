"""The report list grouped by subject: a two-level model (group rows holding their reports,
oldest first) and its filter proxy. report_list.py shows them (this module knows nothing of
it: the flat model, its filter role and sort key are handed in).

The groups come from the library's worker (core.groups, computed off the GUI thread); the
reports from each LibraryState. The two arrive apart, so a report the groups do not know
yet (added since they were computed) is shown on its own, and a group member no longer in
the library is left out.

A group of one report is shown as that report, without a group row: most reports of a
library stand alone (29 of the corpus's 37 groups), and a row "1 report" that expands to
the same report would double the list's length for nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (QAbstractItemModel, QAbstractListModel, QModelIndex, QObject,
                            QSortFilterProxyModel, Qt)

from ..core.model import ReportInfo
from ..core.wording import plural
from .plain import plain_html

if TYPE_CHECKING:       # the groups come made by the worker: numpy stays out of this thread
    from ..core.groups import Group

# A group row's reports' ids, oldest first (None on a report row).
GROUP_ROLE = Qt.ItemDataRole.UserRole + 10
# A group row's second line: "12 reports · 3 Mar–9 Apr 2025".
GROUP_DETAIL_ROLE = Qt.ItemDataRole.UserRole + 11
_TOP = 0xFFFFFFFF                     # internalId of a top-level row (a child's: its group's row)


def date_span(first: date | None, last: date | None) -> str:
    """'3 Mar–9 Apr 2025', '3 Mar 2025' when both are one day, years apart: each its year.
    The year is said once: re-runs span weeks, and the list is narrow."""
    if first is None or last is None:
        return ""
    if first == last:
        return f"{first.day} {first:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b}–{last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y}–{last.day} {last:%b %Y}"


@dataclass(frozen=True, slots=True)
class _GroupRow:
    label: str
    reports: tuple[ReportInfo, ...]   # those still in the library, oldest first
    first: date | None
    last: date | None

    @property
    def detail(self) -> str:
        return " · ".join(filter(None, (plural(len(self.reports), "report"),
                                        date_span(self.first, self.last))))


class GroupedReportModel(QAbstractItemModel):
    """Top-level rows: the groups (of two or more reports) in the order of the sort key,
    then the reports standing alone in that order; a group's children: its reports, oldest
    first. Report rows answer the flat model's roles (it answers for them); a group row
    answers `filter_role` with its label."""

    def __init__(self, flat: QAbstractListModel, filter_role: int,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._flat = flat             # ReportListModel: the reports, sorted, shared
        self._filter_role = filter_role
        self._groups: tuple[Group, ...] = ()
        self._rows: list[_GroupRow | ReportInfo] = []
        self._where: dict[str, tuple[int | None, int]] = {}   # id -> (group row, row)
        self._key: Callable[[ReportInfo], object] = lambda r: r.id
        self._label_key: Callable[[str], object] | None = None

    def set_groups(self, groups: Iterable[Group]) -> None:
        self._groups = tuple(groups)
        self.refresh()

    def refresh(self, key: Callable[[ReportInfo], object] | None = None,
                label_key: Callable[[str], object] | None = None) -> None:
        """Rebuild from the flat model's reports (after they, the groups or the sort changed).
        Groups sort by `label_key` of their label if given, else as their first report by
        `key` (the flat list's sort key; for "newest first", a group's newest)."""
        if key is not None:
            self._key, self._label_key = key, label_key
        reports = [self._flat.report(row) for row in range(self._flat.rowCount())]
        known = {r.id: r for r in reports}
        grouped: list[_GroupRow] = []
        for g in self._groups:
            members = tuple(known[rid] for rid in g.reports if rid in known)
            if len(members) > 1:
                grouped.append(_GroupRow(g.label, members, g.first, g.last))
        in_groups = {r.id for g in grouped for r in g.reports}
        label_key, key = self._label_key, self._key
        grouped.sort(key=lambda g: (label_key(g.label), g.reports[0].id) if label_key
                     else min(key(r) for r in g.reports))
        self.beginResetModel()
        self._rows = [*grouped, *(r for r in reports if r.id not in in_groups)]
        self._where = {}
        self.endResetModel()

    def group_of_row(self, row: int) -> _GroupRow | None:
        entry = self._rows[row]
        return entry if isinstance(entry, _GroupRow) else None

    def index_of(self, report_id: str) -> QModelIndex:
        """The report's row (a child of its group's, or top-level), invalid if unknown."""
        if not self._where:
            for row, entry in enumerate(self._rows):
                if isinstance(entry, _GroupRow):
                    self._where.update((r.id, (row, child)) for child, r in enumerate(entry.reports))
                else:
                    self._where[entry.id] = (None, row)
        if report_id not in self._where:
            return QModelIndex()
        group, row = self._where[report_id]
        return self.index(row, 0, QModelIndex() if group is None else self.index(group, 0))

    # -- QAbstractItemModel -------------------------------------------------------------
    def index(self, row: int, column: int = 0, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0 or row >= self.rowCount(parent):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() if parent.isValid() else _TOP)

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId(), 0, _TOP)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._rows)
        if parent.internalId() != _TOP or parent.column() != 0:
            return 0
        group = self.group_of_row(parent.row())
        return len(group.reports) if group else 0

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 1

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            entry = self._rows[index.row()]
        else:
            entry = self._rows[index.internalId()].reports[index.row()]
        if isinstance(entry, ReportInfo):
            return self._flat.data(self._flat.index(self._flat.row_of(entry.id), 0), role)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{entry.label} · {entry.detail}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_html(f"{entry.label}\n{entry.detail}\n"
                              + "\n".join(Path(r.path).name for r in entry.reports))
        if role == GROUP_ROLE:
            return tuple(r.id for r in entry.reports)
        if role == GROUP_DETAIL_ROLE:
            return entry.detail
        if role == self._filter_role:
            return entry.label
        return None


class GroupFilterProxy(QSortFilterProxyModel):
    """A group shows when its label or any of its reports match; when its label matches,
    with all its reports (the filter named the subject)."""

    def __init__(self, filter_role: int, parent: QObject | None = None):
        super().__init__(parent)
        self.setFilterRole(filter_role)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)


def latest(ids: Sequence[str], limit: int) -> list[str]:
    """The newest `limit` of reports given oldest first, still oldest first: a comparison
    holds `limit` columns, and of re-runs the latest matter most."""
    return list(ids[-limit:])
