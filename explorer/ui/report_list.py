"""The library's reports: a list model over ReportInfo, a filter proxy, a two-line delegate,
and the pane holding the filter box, the sort menu and the view: a flat list, or a tree of
the reports grouped by subject (report_groups.py) in its place.

The model keeps itself sorted (in Python: see ReportListModel) rather than letting the
proxy sort: a proxy sort calls back into Python for every comparison, and while the worker
thread indexes, each call waits for the GIL, which made re-sorting 2,500 reports stall the
window for seconds.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from PySide6.QtCore import (QAbstractListModel, QEvent, QItemSelection, QItemSelectionModel,
                            QMetaMethod, QModelIndex, QObject, QPoint, QRect, QSize,
                            QSortFilterProxyModel, Qt, QUrl, Signal, Slot)
from PySide6.QtGui import (QAction, QActionGroup, QContextMenuEvent, QDesktopServices, QFont,
                           QGuiApplication, QPalette)
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QListView, QMenu,
                               QStackedWidget, QStyledItemDelegate, QStyleOptionViewItem,
                               QToolButton, QTreeView, QVBoxLayout, QWidget)

from ..core.model import ReportInfo
from ..core.wording import plural
from . import icons
from .item_frame import draw_item_frame
from .plain import plain_html
from .report_groups import (GROUP_DETAIL_ROLE, GROUP_ROLE, GroupedReportModel, GroupFilterProxy,
                            latest)
from .styles import muted_text

ID_ROLE = Qt.ItemDataRole.UserRole + 1
FILE_ROLE = Qt.ItemDataRole.UserRole + 2
SECTIONS_ROLE = Qt.ItemDataRole.UserRole + 3
FILTER_ROLE = Qt.ItemDataRole.UserRole + 4


# Keys are cached: splitting 10,000 titles took ~50 ms of the GUI thread's time, and the
# list is sorted again whenever the library or the sort order changes.
KEY_CACHE_SIZE = 1 << 16
_DIGITS = re.compile(r"(\d+)")


@lru_cache(maxsize=KEY_CACHE_SIZE)
def natural_key(text: str) -> tuple:
    """Sorts "Report 2" before "Report 10", ignoring case."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(text.casefold()))


@lru_cache(maxsize=KEY_CACHE_SIZE)
def _file_name_key(path: str) -> tuple:
    return natural_key(Path(path).name)


# sort key -> (menu text, key of a ReportInfo)
SORTS: dict[str, tuple[str, Callable[[ReportInfo], object]]] = {
    "title": ("By Title", lambda r: (natural_key(r.title), r.id)),
    "name": ("By File Name", lambda r: (_file_name_key(r.path), r.id)),
    "date": ("By Date, Newest First", lambda r: (-r.mtime, r.id)),
}


class ReportListModel(QAbstractListModel):
    """The reports in the order of the sort key.

    While a library is indexed, a new list comes every second (PARTIAL_STATE_INTERVAL in
    worker.py): the last one plus the reports read since, the same ReportInfo objects.
    Only those are keyed and placed, by bisection into the kept keys: sorting the whole
    list each time took the GUI thread 12 ms at the median and up to 76 ms at 10,000
    reports while the worker indexed (3-5 ms and 45 ms this way)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._reports: list[ReportInfo] = []
        self._keys: list = []                   # the sort key of each of _reports
        self._rows: dict[str, int] = {}
        self._sort = "title"

    def set_reports(self, reports: Iterable[ReportInfo]) -> None:
        reports = tuple(reports)
        self._reset(self._merged(reports) or self._sorted(reports))

    def sort_by(self, key: str) -> None:
        self._sort = key
        self._reset(self._sorted(self._reports))

    def _reset(self, ordered: tuple[list[ReportInfo], list]) -> None:
        self.beginResetModel()
        self._reports, self._keys = ordered
        self._rows = {r.id: row for row, r in enumerate(self._reports)}
        self.endResetModel()

    def _sorted(self, reports: Iterable[ReportInfo]) -> tuple[list[ReportInfo], list]:
        """(reports, their keys) in order."""
        key = SORTS[self._sort][1]
        pairs = sorted(((key(r), r) for r in reports), key=itemgetter(0))
        return [r for _, r in pairs], [k for k, _ in pairs]

    def _merged(self, reports: tuple[ReportInfo, ...]) -> tuple[list[ReportInfo], list] | None:
        """As _sorted, if `reports` holds every report shown now, unchanged; else None."""
        shown, rows = self._reports, self._rows
        added = [r for r in reports if (row := rows.get(r.id)) is None or shown[row] is not r]
        if not shown or len(reports) - len(added) != len(shown):
            return None
        key = SORTS[self._sort][1]
        merged, keys, start = [], [], 0
        for k, r in sorted(((key(r), r) for r in added), key=itemgetter(0)):
            at = bisect_right(self._keys, k, start)
            merged += shown[start:at]
            keys += self._keys[start:at]
            merged.append(r)
            keys.append(k)
            start = at
        return merged + shown[start:], keys + self._keys[start:]

    def report(self, row: int) -> ReportInfo:
        return self._reports[row]

    def row_of(self, report_id: str) -> int | None:
        return self._rows.get(report_id)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._reports)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._reports):
            return None
        r = self._reports[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return r.title
        if role == Qt.ItemDataRole.ToolTipRole:
            modified = datetime.fromtimestamp(r.mtime).strftime("%Y-%m-%d %H:%M")
            return plain_html(f"{r.title}\n{r.path}\n{plural(len(r.headings), 'section')}, "
                              f"modified {modified}")
        if role == ID_ROLE:
            return r.id
        if role == FILE_ROLE:
            return Path(r.path).name
        if role == SECTIONS_ROLE:
            return len(r.headings)
        if role == FILTER_ROLE:
            return f"{r.title}\n{Path(r.path).name}"
        return None


class ReportFilterProxy(QSortFilterProxyModel):
    """Filters on title and file name, ignoring case; keeps the model's order."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.setFilterRole(FILTER_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


class ReportDelegate(QStyledItemDelegate):
    """Title on the first line, file name and section count in a muted second line; a
    group's row (grouped view): its label in bold, then its count and dates."""

    PADDING = 6

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt, selected = draw_item_frame(self, painter, option, index)
        palette = opt.palette
        rect = opt.rect.adjusted(self.PADDING + 2, self.PADDING - 1, -self.PADDING, -self.PADDING)
        if index.data(GROUP_ROLE) is not None:
            self._paint_group(painter, opt, rect, index, selected)
            return
        title_font = QFont(opt.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        line = opt.fontMetrics.height()
        painter.save()
        painter.setFont(title_font)
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText if selected
                                     else QPalette.ColorRole.Text))
        title = painter.fontMetrics().elidedText(index.data(), Qt.TextElideMode.ElideMiddle,
                                                 rect.width())
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        painter.setFont(opt.font)
        if not selected:
            painter.setPen(muted_text(palette))
        # The count stays whole; a long file name gives way, in its middle.
        count = f"  ·  {plural(index.data(SECTIONS_ROLE), 'section')}"
        name_width = rect.width() - opt.fontMetrics.horizontalAdvance(count)
        detail = opt.fontMetrics.elidedText(index.data(FILE_ROLE), Qt.TextElideMode.ElideMiddle,
                                            max(0, name_width)) + count
        painter.drawText(QRect(rect.left(), rect.top() + line + 2, rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, detail)
        painter.restore()

    def _paint_group(self, painter, opt: QStyleOptionViewItem, rect: QRect, index: QModelIndex,
                     selected: bool) -> None:
        line = opt.fontMetrics.height()
        label_font = QFont(opt.font)
        label_font.setWeight(QFont.Weight.Bold)
        painter.save()
        painter.setFont(label_font)
        painter.setPen(opt.palette.color(QPalette.ColorRole.HighlightedText if selected
                                         else QPalette.ColorRole.Text))
        label = painter.fontMetrics().elidedText(index.data(FILTER_ROLE),
                                                 Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        painter.setFont(opt.font)
        if not selected:
            painter.setPen(muted_text(opt.palette))
        detail = opt.fontMetrics.elidedText(index.data(GROUP_DETAIL_ROLE),
                                            Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), rect.top() + line + 2, rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, detail)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        return QSize(200, 2 * option.fontMetrics.height() + 2 * self.PADDING + 3)


class ReportListPane(QWidget):
    # the current report changed (by click, keyboard or program): its id
    report_selected = Signal(str)
    # Enter or double-click on a report: read it (the reader takes the focus)
    report_activated = Signal(str)
    # "Compare" on the selected reports (shown only once something is connected)
    compare_requested = Signal(list)
    # how many reports are selected, whenever that changes
    selection_changed = Signal(int)
    # the sort order changed (a key of SORTS)
    sort_changed = Signal(str)
    # the user switched between the flat list (False) and the groups (True)
    grouping_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = ReportListModel(self)
        self.proxy = ReportFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter reports")
        self.filter_edit.setClearButtonEnabled(True)
        icons.add_line_edit_icon(self.filter_edit, "filter")
        self.sort_button = QToolButton()
        self.sort_button.setToolTip("Sort reports")
        self.sort_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.sort_button.setAutoRaise(True)
        icons.set_icon(self.sort_button, "sort")
        self.sort_menu = QMenu("Sort Reports", self)
        self._sort_group = QActionGroup(self)
        self._sort_actions: dict[str, QAction] = {}
        for key, (text, _key) in SORTS.items():
            action = self.sort_menu.addAction(text)
            action.setCheckable(True)
            action.setData(key)
            self._sort_group.addAction(action)
            self._sort_actions[key] = action
        self.sort_menu.addSeparator()
        self.group_action = self.sort_menu.addAction("Group by Subject")
        self.group_action.setCheckable(True)
        self.group_action.setToolTip("Show reports on one subject (re-runs of a crew) together, "
                                     "oldest first")
        self.sort_button.setMenu(self.sort_menu)

        self.view = QListView()
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(ReportDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setUniformItemSizes(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setFrameShape(QListView.Shape.NoFrame)
        self.group_model = GroupedReportModel(self.model, FILTER_ROLE, self)
        self.group_proxy = GroupFilterProxy(FILTER_ROLE, self)
        self.group_proxy.setSourceModel(self.group_model)
        self.tree = QTreeView()
        self.tree.setModel(self.group_proxy)
        self.tree.setItemDelegate(ReportDelegate(self.tree))
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setFrameShape(QTreeView.Shape.NoFrame)
        self.tree.setExpandsOnDoubleClick(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.tree)
        self._expanded: set[str] = set()     # labels of the groups shown open
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.empty_label.setContentsMargins(8, 24, 8, 24)
        self.empty_label.hide()
        self._emitting = True     # False while the program, not the user, selects

        top = QHBoxLayout()
        top.setContentsMargins(6, 6, 6, 4)
        top.setSpacing(2)
        top.addWidget(self.filter_edit)
        top.addWidget(self.sort_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.stack, 1)
        self.setFocusProxy(self.view)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.filter_edit.installEventFilter(self)
        self._sort_group.triggered.connect(self._on_sort_group_triggered)
        self.group_action.triggered.connect(self._on_group_action_triggered)
        for view in (self.view, self.tree):
            view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
            view.activated.connect(self._on_view_activated)
            view.customContextMenuRequested.connect(self._on_view_context_menu)
        self.tree.installEventFilter(self)
        self.tree.expanded.connect(self._on_tree_expanded)
        self.tree.collapsed.connect(self._on_tree_collapsed)

    # -- public ---------------------------------------------------------------------------
    def set_reports(self, reports: tuple[ReportInfo, ...]) -> None:
        """Show a new list, keeping the current report and the selection where they still are."""
        with self._keeping_selection():
            self.model.set_reports(reports)
            self._refresh_groups()
        self._update_empty_label()

    def set_groups(self, groups) -> None:
        """The library's groups (core.groups.Group, from the worker): shown when grouped."""
        with self._keeping_selection():
            self.group_model.set_groups(groups)
            self._restore_expanded()
        self._update_empty_label()

    def grouped(self) -> bool:
        return self.stack.currentWidget() is self.tree

    def set_grouped(self, grouped: bool) -> None:
        """Show the groups (True) or the flat list; the current report and selection stay."""
        self.group_action.setChecked(grouped)
        if grouped == self.grouped():
            return
        with self._keeping_selection(reveal=True):
            active = self.tree if grouped else self.view
            had_focus = self._view().hasFocus()
            self.stack.setCurrentWidget(active)
            self.setFocusProxy(active)
            self._refresh_groups()
            if had_focus:
                active.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_empty_label()

    @contextmanager
    def _keeping_selection(self, reveal: bool = False):
        """Around a model reset or a change of view: the current and selected reports stay
        so, by id (`reveal`: the current one's group is opened, else left as the user left
        it)."""
        current = self.current_id()
        selected = self.selected_ids()
        yield
        if current:
            self.select(current, emit=False, reveal=reveal)
        selection = self._view().selectionModel()
        with self._silenced():
            for report_id in selected:
                index = self._proxy_index(report_id)
                if index.isValid():
                    selection.select(index, QItemSelectionModel.SelectionFlag.Select)

    def current_id(self) -> str | None:
        index = self._view().currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def selected_ids(self) -> list[str]:
        """The selected reports, in the list's order (a group's row is not a report)."""
        if self.grouped():
            selected = {i.data(ID_ROLE) for i in self.tree.selectionModel().selectedRows()}
            return [rid for rid in self._tree_reports() if rid in selected]
        rows = sorted(self.view.selectionModel().selectedRows(), key=QModelIndex.row)
        return [index.data(ID_ROLE) for index in rows]

    def select(self, report_id: str, emit: bool = True, reveal: bool = True) -> None:
        """Make `report_id` the current report (`emit=False`: without report_selected), and
        scroll to it (`reveal`: opening its group if closed). A report hidden by the filter
        leaves the list without a current row: the user's filter stays."""
        index = self._proxy_index(report_id)
        view = self._view()
        # In a group the user closed, the report stays out of sight unless revealed: the
        # tree scrolls to a new current row, and opens its group to do so.
        hidden = index.parent().isValid() and not self.tree.isExpanded(index.parent())
        view.setAutoScroll(reveal or not hidden)
        with self._silenced(not emit):
            selection = view.selectionModel()
            if not index.isValid():
                selection.clear()
                return
            # A report the user selected among others (Ctrl/Shift+click opens it) keeps
            # the others selected: "compare these three" must survive the report opening.
            keep = selection.isSelected(index) and len(selection.selectedRows()) > 1
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate if keep
                                      else QItemSelectionModel.SelectionFlag.ClearAndSelect)
        view.setAutoScroll(True)
        if reveal or not hidden:
            view.scrollTo(index)

    def _view(self) -> QAbstractItemView:
        return self.stack.currentWidget()

    def _proxy_index(self, report_id: str) -> QModelIndex:
        """The report's row in the view shown (invalid if unknown or filtered out)."""
        if self.grouped():
            return self.group_proxy.mapFromSource(self.group_model.index_of(report_id))
        row = self.model.row_of(report_id)
        if row is None:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, 0))

    @contextmanager
    def _silenced(self, silent: bool = True):
        self._emitting = not silent
        try:
            yield
        finally:
            self._emitting = True

    def step(self, delta: int) -> None:
        """Select the report `delta` rows below (above, if negative) the current one; in the
        grouped view, the reports in their order there, closed groups' included (opened)."""
        if self.grouped():
            shown = self._tree_reports()
            if shown:
                at = shown.index(self.current_id()) + delta if self.current_id() in shown else 0
                self.select(shown[max(0, min(len(shown) - 1, at))])
            return
        count = self.proxy.rowCount()
        if not count:
            return
        current = self.view.currentIndex()
        row = current.row() + delta if current.isValid() else 0
        index = self.proxy.index(max(0, min(count - 1, row)), 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _tree_reports(self) -> list[str]:
        """The ids of the reports the grouped view shows (the filter's), in its order."""
        proxy, ids = self.group_proxy, []
        for row in range(proxy.rowCount()):
            index = proxy.index(row, 0)
            if index.data(GROUP_ROLE) is None:
                ids.append(index.data(ID_ROLE))
            else:
                ids += [proxy.index(child, 0, index).data(ID_ROLE)
                        for child in range(proxy.rowCount(index))]
        return ids

    def sort_key(self) -> str:
        action = self._sort_group.checkedAction()
        return action.data() if action else "title"

    def set_sort_key(self, key: str) -> None:
        key = key if key in SORTS else "title"
        self._sort_actions[key].setChecked(True)
        with self._keeping_selection():
            self.model.sort_by(key)
            self._refresh_groups()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def compare_available(self) -> bool:
        return self.isSignalConnected(QMetaMethod.fromSignal(self.compare_requested))

    def _refresh_groups(self) -> None:
        """Rebuild the groups' tree from the flat list (in its order), if it is shown: the
        flat list is rebuilt every second while a library is indexed."""
        if self.grouped():
            key = self.sort_key()
            self.group_model.refresh(SORTS[key][1], natural_key if key == "title" else None)
            self._restore_expanded()

    def _restore_expanded(self) -> None:
        """Open the groups the user opened; while filtering, every group shown (to show
        the reports that match)."""
        if self.filter_edit.text():
            self.tree.expandAll()
            return
        for row in range(self.group_proxy.rowCount()):
            index = self.group_proxy.index(row, 0)
            if index.data(FILTER_ROLE) in self._expanded and index.data(GROUP_ROLE):
                self.tree.expand(index)

    # -- slots ----------------------------------------------------------------------------
    @Slot(str)
    def _on_filter_edit_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self.group_proxy.setFilterFixedString(text)
        if not text:
            self.tree.collapseAll()
        self._restore_expanded()
        self._update_empty_label()

    @Slot(QAction)
    def _on_sort_group_triggered(self, action: QAction) -> None:
        self.set_sort_key(action.data())
        self.sort_changed.emit(action.data())

    @Slot(bool)
    def _on_group_action_triggered(self, grouped: bool) -> None:
        self.set_grouped(grouped)
        self.grouping_changed.emit(grouped)

    # What the user opens and closes while filtering is not remembered: the filter opens
    # every group, and clearing it brings back the groups as they were.
    @Slot(QModelIndex)
    def _on_tree_expanded(self, index: QModelIndex) -> None:
        if not self.filter_edit.text():
            self._expanded.add(index.data(FILTER_ROLE))

    @Slot(QModelIndex)
    def _on_tree_collapsed(self, index: QModelIndex) -> None:
        if not self.filter_edit.text():
            self._expanded.discard(index.data(FILTER_ROLE))

    @Slot(QItemSelection, QItemSelection)
    def _on_view_selection_changed(self, _selected, _deselected) -> None:
        view = self._view()
        if view.selectionModel() is not self.sender():
            return                      # the hidden view (its model was reset)
        self.selection_changed.emit(len(self.selected_ids()))
        # Selection, not the current index: a list getting the focus makes its first row
        # current without selecting it, and that must not open a report.
        current = view.currentIndex()
        if (self._emitting and current.isValid() and current.data(ID_ROLE) is not None
                and view.selectionModel().isSelected(current)):
            self.report_selected.emit(current.data(ID_ROLE))

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        if index.data(GROUP_ROLE) is None:
            self.report_activated.emit(index.data(ID_ROLE))
        elif not self.tree.isExpanded(index):   # Enter opens a group (double-click does too)
            self.tree.expand(index)

    @Slot(QPoint)
    def _on_view_context_menu(self, pos: QPoint) -> None:
        view = self._view()
        index = view.indexAt(pos)
        if index.isValid():
            menu = self.context_menu(index)
            menu.exec(view.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def context_menu(self, index: QModelIndex) -> QMenu:
        """The menu for a report of the list (its actions act on the selection), or for a
        group's row."""
        if index.data(GROUP_ROLE) is not None:
            return self.group_menu(index)
        report = self.model.report(self.model.row_of(index.data(ID_ROLE)))
        menu = QMenu(self)
        menu.addAction(icons.icon("report"), "Open",
                       lambda: self.report_activated.emit(report.id))
        ids = self.selected_ids() or [report.id]
        if self.compare_available():     # two or more: select them (Ctrl/Shift+click)
            menu.addAction(icons.icon("compare"), "Compare Selected Reports",
                           lambda: self.compare_requested.emit(ids)).setEnabled(len(ids) > 1)
        menu.addSeparator()
        menu.addAction(icons.icon("reveal"), "Show in File Manager",
                       lambda: reveal_in_file_manager(report.path))
        menu.addAction(icons.icon("copy"), "Copy Path",
                       lambda: QGuiApplication.clipboard().setText(report.path))
        return menu

    def group_menu(self, index: QModelIndex) -> QMenu:
        """"Compare This Group": its reports, the latest MAX_COLUMNS of a larger group (a
        comparison has no more columns; the item says so)."""
        # Imported when asked, as main_window imports the comparison: not before first paint.
        from .compare.view import MAX_COLUMNS
        ids = index.data(GROUP_ROLE)
        menu = QMenu(self)
        if self.compare_available():
            text = ("Compare This Group" if len(ids) <= MAX_COLUMNS
                    else f"Compare This Group (Latest {MAX_COLUMNS} of {len(ids)})")
            menu.addAction(icons.icon("compare"), text,
                           lambda: self.compare_requested.emit(latest(ids, MAX_COLUMNS)))
        expanded = self.tree.isExpanded(index)
        menu.addAction("Collapse" if expanded else "Expand",
                       lambda: self.tree.setExpanded(index, not expanded))
        return menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down in the filter box moves into the list; Enter opens the first match.
        view = self._view()
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Down and view.model().rowCount():
                if not view.currentIndex().isValid():
                    self.step(0)
                view.setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and view.model().rowCount():
                index = view.currentIndex()
                if not index.isValid():
                    index = view.model().index(0, 0)
                self._on_view_activated(index)
                return True
        # The menu key on the groups' tree: the menu of the current row (where Qt would
        # put it, the middle of the list, is another row).
        if (watched is self.tree and event.type() == QEvent.Type.ContextMenu
                and event.reason() == QContextMenuEvent.Reason.Keyboard
                and self.tree.currentIndex().isValid()):
            index = self.tree.currentIndex()
            menu = self.context_menu(index)
            menu.exec(self.tree.viewport().mapToGlobal(self.tree.visualRect(index).center()))
            menu.deleteLater()
            return True
        return super().eventFilter(watched, event)

    def _update_empty_label(self) -> None:
        text = self.filter_edit.text()
        shown = self._view().model().rowCount()
        if not self.model.rowCount():
            self.empty_label.setText("No reports in this library yet.")
        elif not shown:
            self.empty_label.setText(f"No report matches “{text}”.")
        self.empty_label.setVisible(not shown)


def reveal_in_file_manager(path: str) -> None:
    """Open the folder holding `path` (portable: no platform asks to select the file)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))
