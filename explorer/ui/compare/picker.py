"""The "Add Report" picker: a small dialog with a filter box over the library's reports.

A menu of every report fills the screen at fifty reports and cannot be searched; here the
user types words of a title or a file name (in any order) and the list narrows. Each entry
shows its title and, on a muted second line, its file and date, which tell reports of the
same title apart. Reports already in the comparison are not offered.

Keyboard: the filter box has the focus; typing filters, Up/Down move in the list, Enter adds the current entry (the first
match unless the user moved), Esc closes.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import (QAbstractListModel, QEvent, QModelIndex, QObject, QPoint, QRect,
                            QSize, QSortFilterProxyModel, Qt, Signal, Slot)
from PySide6.QtGui import QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (QApplication, QDialog, QLabel, QLineEdit, QListView, QStyle,
                               QStyledItemDelegate, QStyleOptionViewItem, QVBoxLayout, QWidget)

from ...core.model import ReportInfo
from ..plain import plain_html
from ..styles import muted_text

ID_ROLE = Qt.ItemDataRole.UserRole + 1
DETAILS_ROLE = Qt.ItemDataRole.UserRole + 2     # "folder/file.md · 3 Mar 2025"
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3      # lower-case title and file name
MARGIN = 4
SIZE = QSize(480, 440)


def details(report: ReportInfo) -> str:
    """What tells a report from another of the same title: its file (the id keeps the
    folders) and the date it was last changed."""
    name = report.id + Path(report.path).suffix
    return f"{name} · {datetime.fromtimestamp(report.mtime):%d %b %Y}"


class ReportsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._reports: tuple[ReportInfo, ...] = ()

    def set_reports(self, reports) -> None:
        self.beginResetModel()
        self._reports = tuple(reports)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._reports)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._reports):
            return None
        report = self._reports[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return report.title
        if role == DETAILS_ROLE:
            return details(report)
        if role == ID_ROLE:
            return report.id
        if role == SEARCH_ROLE:
            return f"{report.title}\n{report.id}{Path(report.path).suffix}".lower()
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_html(f"{report.title}\n{report.path}")
        return None


class ReportFilter(QSortFilterProxyModel):
    """The reports whose title or file name holds every typed word, shown ones left out;
    sorted by title."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._words: list[str] = []
        self._hidden: frozenset[str] = frozenset()
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortLocaleAware(True)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.lower().split()
        self.endFilterChange()

    def set_hidden(self, report_ids) -> None:
        self.beginFilterChange()
        self._hidden = frozenset(report_ids)
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        index = self.sourceModel().index(row, 0, parent)
        if index.data(ID_ROLE) in self._hidden:
            return False
        haystack = index.data(SEARCH_ROLE)
        return all(word in haystack for word in self._words)


class TwoLineDelegate(QStyledItemDelegate):
    """The title, and under it the details in muted text; both elided in the middle, where
    titles of one series differ least."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        # No width of its own: the entry takes the list's width and elides to it.
        return QSize(0, 2 * option.fontMetrics.height() + 2 * MARGIN)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        style = item.widget.style() if item.widget else None
        if style is not None:       # background, selection and focus, as the style has them
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text = palette.color(QPalette.ColorRole.HighlightedText if selected
                             else QPalette.ColorRole.Text)
        metrics = option.fontMetrics
        rect = option.rect.adjusted(MARGIN * 2, MARGIN, -MARGIN * 2, -MARGIN)
        line = metrics.height()
        painter.save()
        painter.setPen(text)
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(index.data() or "", Qt.TextElideMode.ElideMiddle,
                                            rect.width()))
        painter.setPen(text if selected else muted_text(palette))
        painter.drawText(QRect(rect.left(), rect.top() + line, rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(index.data(DETAILS_ROLE) or "",
                                            Qt.TextElideMode.ElideMiddle, rect.width()))
        painter.restore()


class ReportPicker(QDialog):
    """A small dialog rather than a Qt.Popup: a popup grabs the keyboard and mouse, which
    input methods and some platforms refuse; Esc closes either (QDialog.reject)."""
    # the user chose a report to add: its id
    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add Report")
        self.reports = ReportsModel(self)
        self.proxy = ReportFilter(self)
        self.proxy.setSourceModel(self.reports)
        self.proxy.sort(0)
        self.filter_edit = QLineEdit(placeholderText="Filter by title or file name",
                                     clearButtonEnabled=True)
        self.list = QListView()
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(TwoLineDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # keys go to the filter box
        self.empty_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label)
        self.resize(SIZE)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.filter_edit.returnPressed.connect(self._on_filter_edit_return_pressed)
        self.filter_edit.installEventFilter(self)
        self.list.clicked.connect(self._choose)

    def popup(self, reports, shown, where: QPoint) -> None:
        """Offer `reports` (ReportInfo) but those in `shown` (ids), below `where` (global)."""
        self.reports.set_reports(reports)
        self.proxy.set_hidden(shown)
        self.filter_edit.clear()
        self._on_filter_edit_text_changed("")
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            where = QPoint(min(where.x(), screen.right() - self.width()),
                           min(where.y(), screen.bottom() - self.height()))
        self.move(where)
        self.show()
        self.filter_edit.setFocus()

    @Slot(str)
    def _on_filter_edit_text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        count = self.proxy.rowCount()
        if count:
            self.list.setCurrentIndex(self.proxy.index(0, 0))
        self.empty_label.setText("" if count else
                                 "No report matches" if text.strip() else "Every report is shown")
        self.empty_label.setVisible(not count)

    @Slot()
    def _on_filter_edit_return_pressed(self) -> None:
        if self.list.currentIndex().isValid():
            self._choose(self.list.currentIndex())

    @Slot(QModelIndex)
    def _choose(self, index: QModelIndex) -> None:
        self.accept()
        self.chosen.emit(index.data(ID_ROLE))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up/Down/Page keys in the filter box move in the list: one hand stays on the keys.
        if (watched is self.filter_edit and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down,
                                    Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)):
            QApplication.sendEvent(self.list, QKeyEvent(event.type(), event.key(),
                                                        event.modifiers()))
            return True
        return super().eventFilter(watched, event)
