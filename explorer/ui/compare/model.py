"""A comparison as a table model: rows are aligned sections, columns are reports.

The model turns the worker's cells into the HTML the delegate draws: the heading line, then
the body with its words marked (search terms, shared terms, a report's own terms), or one
side of the word diff when that mode is on. The HTML is made on first use and cached
until the comparison, the search terms or the mode change.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from ...core.comparison import Cell, Comparison
from ..plain import plain_html
from . import markup

HTML_ROLE = Qt.ItemDataRole.UserRole + 1
EMPTY_ROLE = Qt.ItemDataRole.UserRole + 2      # the cell has no section
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 3    # (row label, how well the row matches)
# Match strengths (core.alignment), weakest first.
STRENGTHS = ("weak", "related", "close")


class CompareModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self._search: frozenset[str] = frozenset()
        self._word_diff = False
        self._html: dict[tuple[int, int], str] = {}

    # -- content ------------------------------------------------------------------------
    def set_comparison(self, comparison: Comparison) -> None:
        self.beginResetModel()
        self.comparison = comparison
        self._html.clear()
        self.endResetModel()

    def set_search_terms(self, stems: frozenset[str]) -> None:
        if stems != self._search:
            self._search = stems
            self._restyle()

    def set_word_diff(self, on: bool) -> None:
        if on != self._word_diff:
            self._word_diff = on
            self._restyle()

    @property
    def searching(self) -> bool:
        return bool(self._search)

    @property
    def word_diff_shown(self) -> bool:
        """Word diff is on and applies (it needs exactly two columns)."""
        return self._word_diff and self.columnCount() == 2

    def cell(self, row: int, column: int) -> Cell:
        return self.comparison.rows[row].cells[column]

    def differs(self, row: int) -> bool:
        """Whether the reports disagree in this row: a report has no section in it, or one
        of its sections is only a weak match (to the reference, or to the row's other
        sections). The rows "next/previous difference" stop at."""
        return any(c.section is None or c.strength == "weak"
                   for c in self.comparison.rows[row].cells)

    def summary(self, row: int) -> tuple[str, str]:
        """The row's subject and, in words, how many reports have a section in it and the
        weakest of their matches (the one to doubt)."""
        line = self.comparison.rows[row]
        present = [c for c in line.cells if c.section is not None]
        strengths = [c.strength for c in present if c.strength in STRENGTHS]
        words = [f"{len(present)} of {len(line.cells)} reports"]
        if len(present) > 1 and strengths:
            words.append(f"weakest: {min(strengths, key=STRENGTHS.index)}")
        return line.label, " · ".join(words)

    def html(self, row: int, column: int) -> str:
        key = (row, column)
        if key not in self._html:
            self._html[key] = self._make_html(row, column)
        return self._html[key]

    def _make_html(self, row: int, column: int) -> str:
        line = self.comparison.rows[row]
        cell = line.cells[column]
        head = markup.head_html(cell, choosable=cell.origin != "reference")
        if cell.section is None:
            return head
        if self.word_diff_shown and cell.diff_html:
            body = markup.mark_words(cell.diff_html, [(markup.SEARCH, self._search),
                                                      (markup.SHARED, line.diff_shared_terms)])
        elif self.word_diff_shown and line.diff_note:
            body = markup.note_html(line.diff_note) + markup.mark_words(
                cell.body_html, [(markup.SEARCH, self._search),
                                 (markup.SHARED, line.diff_shared_terms)])
        else:
            body = markup.mark_words(cell.body_html, [(markup.SEARCH, self._search),
                                                      (markup.SHARED, line.shared_terms),
                                                      (markup.UNIQUE, cell.unique_terms)])
        return head + body

    def _restyle(self) -> None:
        self._html.clear()
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1),
                                  [HTML_ROLE])

    # -- Qt model interface -------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.comparison is None else len(self.comparison.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.comparison is None else len(self.comparison.reports)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < self.rowCount()
                                       and 0 <= index.column() < self.columnCount()):
            return None
        cell = self.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return markup.NO_MATCH if cell.section is None else f"§{cell.section} {cell.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.row(), cell)
        if role == HTML_ROLE:
            return self.html(index.row(), index.column())
        if role == EMPTY_ROLE:
            return cell.section is None
        if role == SUMMARY_ROLE:
            return self.summary(index.row())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or section < 0:
            return None
        if orientation == Qt.Orientation.Horizontal and section < self.columnCount():
            return self.comparison.reports[section].title
        if orientation == Qt.Orientation.Vertical and section < self.rowCount():
            return self.comparison.rows[section].label
        return None

    def _tooltip(self, row: int, cell: Cell) -> str:
        if cell.origin == "reference":
            why = "The reference section: the pinned report's sections define the rows."
        elif cell.origin == "user":
            why = "Your choice for this row."
        elif cell.section is None:
            why = "No section of this report is close enough."
        elif cell.score is None:
            why = "No other report of the library covers this."
        elif self.comparison.reference:
            why = f"A {cell.strength} match to the reference section (similarity {cell.score:.2f})"
        else:
            why = (f"A {cell.strength} match to the row's other sections "
                   f"(mean similarity {cell.score:.2f})")
        hint = "" if cell.origin == "reference" else "\nClick the heading line to choose another section."
        return plain_html(f"{self.comparison.rows[row].label}\n{why}{hint}")
