"""View → Problems…: the library's files that could not be read, and why."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                               QTableView, QVBoxLayout, QWidget)

from ..core.model import Skipped
from ..core.wording import plural
from .plain import plain_html


COLUMNS = ("File", "Reason")


class SkippedModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[Skipped] = []

    def set_skipped(self, skipped: tuple[Skipped, ...]) -> None:
        self.beginResetModel()
        self._rows = list(skipped)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._rows[index.row()]
        text = row.path if index.column() == 0 else row.reason
        # The path and reason come from the library's file names: no markup in tooltips.
        return plain_html(text) if role == Qt.ItemDataRole.ToolTipRole else text

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def as_text(self) -> str:
        return "\n".join(f"{row.path}\t{row.reason}" for row in self._rows)


class ProblemsDialog(QDialog):
    """Modeless: it stays open and follows the library while the user fixes files."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Problems")
        self.resize(720, 360)
        self.model = SkippedModel(self)
        self.summary = QLabel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("Copy List", QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.close)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)

    def set_skipped(self, skipped: tuple[Skipped, ...]) -> None:
        self.model.set_skipped(skipped)
        count = len(skipped)
        if count:
            verb = "is" if count == 1 else "are"
            self.summary.setText(f"{plural(count, 'file')} could not be read and {verb} left "
                                 "out of the library:")
        else:
            self.summary.setText("Every file of the library could be read.")
        self.copy_button.setEnabled(bool(count))

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.model.as_text())
