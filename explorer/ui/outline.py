"""The sections of the report being read, as a list model (the reader's outline)."""
from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt

from ..core.model import Section
from .plain import plain_html

NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1


class OutlineModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._sections: list[tuple[int, str]] = []

    def set_sections(self, sections: tuple[Section, ...]) -> None:
        self.beginResetModel()
        self._sections = [(s.number, s.title) for s in sections]
        self.endResetModel()

    def row_of(self, number: int) -> int | None:
        return next((i for i, (n, _t) in enumerate(self._sections) if n == number), None)

    def number_at(self, row: int) -> int:
        return self._sections[row][0]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._sections)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._sections):
            return None
        number, title = self._sections[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{number}. {title}" if number else title
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_html(title)
        if role == NUMBER_ROLE:
            return number
        return None
