"""The topic map: which report covers what. Rows are topics (core topic_map), columns are
reports; a cell names the report's section on the topic, tinted by how closely it matches
the others; a topic only one report covers is tinted apart (and its row label in italics).
A legend under the table says so. While a search is on, the sections holding all its words
are marked (bold, on the search colour), so the map shows who writes about it.

Clicking a row's label (or Enter on a row) compares the topic; clicking a section opens
it in the reader.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QRect, Qt, Signal, Slot
from PySide6.QtGui import QFont, QGuiApplication, QKeyEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from ...core.alignment import SectionRef, Topic
from ...core.comparison import TopicMap
from ..plain import plain_html
from .client import CompareClient
from .css import alone_color, mark_colors, strength_color, topic_legend_html
from .markup import SEARCH
from .section_words import SectionWords, SectionWordsReader

SECTION_ROLE = Qt.ItemDataRole.UserRole + 1     # (report id, section number) or None
COLUMN_WIDTH = 190
LABEL_WIDTH = 240


class TopicMapModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._map = TopicMap((), ())
        self._cells: list[dict[str, SectionRef]] = []
        self._palette = QGuiApplication.palette()
        self._words: SectionWords = {}
        self._search: frozenset[str] = frozenset()

    def set_topic_map(self, topic_map: TopicMap) -> None:
        self.beginResetModel()
        self._map = topic_map
        self._cells = [{s.report: s for s in t.sections} for t in topic_map.topics]
        self.endResetModel()

    def set_section_words(self, words: SectionWords) -> None:
        self._words = words
        self._restyle()

    def set_search_terms(self, stems: frozenset[str]) -> None:
        if stems != self._search:
            self._search = stems
            self._restyle()

    @property
    def searching(self) -> bool:
        return bool(self._search)

    def holds_search(self, ref: SectionRef) -> bool:
        """The section has every word of the search (a hit of it, as the search has AND)."""
        return bool(self._search) and self._search <= self._words.get(
            (ref.report, ref.section), frozenset())

    def topic(self, row: int) -> Topic:
        return self._map.topics[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._map.topics)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._map.reports)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < self.rowCount()
                                       and 0 <= index.column() < self.columnCount()):
            return None
        topic = self._map.topics[index.row()]
        ref = self._cells[index.row()].get(self._map.reports[index.column()].id)
        if ref is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"§{ref.section} {ref.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            found = "\nIt holds the search words." if self.holds_search(ref) else ""
            return plain_html(self._tooltip(topic, ref) + found)
        if role == Qt.ItemDataRole.FontRole and self.holds_search(ref):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            if self.holds_search(ref):
                return mark_colors(self._palette)[SEARCH]
            if len(topic.sections) == 1:
                return alone_color(self._palette)
            return strength_color(self._palette, ref.score)
        if role == SECTION_ROLE:
            return ref.report, ref.section
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if section < 0:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section >= self.columnCount():
                return None
            report = self._map.reports[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return report.title
            if role == Qt.ItemDataRole.ToolTipRole:
                return plain_html(f"{report.title}\n{report.id}")
            return None
        if section >= self.rowCount():
            return None
        topic = self._map.topics[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return topic.label
        if role == Qt.ItemDataRole.ToolTipRole:
            count = len(topic.sections)
            who = "Only one report covers this" if count == 1 else f"{count} reports cover this"
            return plain_html(f"{', '.join(topic.terms)}\n{who}. Click to compare them.")
        if role == Qt.ItemDataRole.FontRole and len(topic.sections) == 1:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def set_palette(self, palette: QPalette) -> None:
        self._palette = palette
        self._restyle()

    def _restyle(self) -> None:
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1),
                                  [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole,
                                   Qt.ItemDataRole.ToolTipRole])

    @staticmethod
    def _tooltip(topic: Topic, ref: SectionRef) -> str:
        if len(topic.sections) == 1:
            return f"§{ref.section} {ref.title}\nNo other report covers this. Click to read it."
        return (f"§{ref.section} {ref.title}\nMean similarity to the topic's other sections: "
                f"{ref.score:.2f}. Click to read it.")


class TopicMapView(QTableView):
    # compare the reports covering this topic (a core Topic)
    compare_topic = Signal(object)
    # read a section: (report id, section number)
    open_in_reader = Signal(str, int)
    # for the status bar: a failure (details are in the log)
    status_message = Signal(str)

    def __init__(self, client: CompareClient, parent: QWidget | None = None):
        super().__init__(parent)
        self._client = client
        self._ticket = 0
        self._words_ticket = 0
        self._words_reader = SectionWordsReader(self)
        self.topic_model = TopicMapModel(self)
        # Under the table, in a bottom margin of the viewport (updateGeometries keeps it).
        self.legend_label = QLabel(self, wordWrap=True)
        self.legend_label.setContentsMargins(6, 3, 6, 3)
        self.topic_model.set_palette(self.palette())
        self.setModel(self.topic_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Reports share the width, but never get narrower than a readable title.
        self.horizontalHeader().setMinimumSectionSize(COLUMN_WIDTH)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.verticalHeader().setFixedWidth(LABEL_WIDTH)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self._connect_signals()
        self._update_legend()
        if client.reports:
            self.refresh()

    def _connect_signals(self) -> None:
        self._client.reports_changed.connect(self.refresh)
        self._client.mapped.connect(self._on_client_mapped)
        self._client.failed.connect(self._on_client_failed)
        self._words_reader.read.connect(self._on_words_reader_read)
        self.verticalHeader().sectionClicked.connect(self._on_vertical_header_clicked)
        self.clicked.connect(self._on_clicked)

    @Slot()
    def refresh(self) -> None:
        self._ticket = self._client.topic_map()

    @Slot(int, object)
    def _on_client_mapped(self, ticket: int, topic_map: TopicMap) -> None:
        if ticket == self._ticket:
            self.topic_model.set_topic_map(topic_map)
            self._words_ticket = self._words_reader.start(self._client.library,
                                                          topic_map.reports)

    @Slot(int, object)
    def _on_words_reader_read(self, ticket: int, words: SectionWords) -> None:
        if ticket == self._words_ticket:
            self.topic_model.set_section_words(words)

    def set_search_terms(self, terms) -> None:
        """Mark the sections holding these stemmed terms (the search pane's); a phrase's
        words (a term with spaces) count one by one, as the comparison marks them."""
        self.topic_model.set_search_terms(
            frozenset(word for term in terms for word in term.split()))
        self._update_legend()

    def _update_legend(self) -> None:
        self.legend_label.setText(topic_legend_html(self.palette(), self.topic_model.searching))
        self.updateGeometries()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        # QTableView sets the margins for its headers; the legend takes the bottom one.
        height = self.legend_label.heightForWidth(self.width())
        margins = self.viewportMargins()
        if margins.bottom() != height:
            margins.setBottom(height)
            self.setViewportMargins(margins)
        viewport = self.viewport().geometry()
        self.legend_label.setGeometry(QRect(0, viewport.bottom() + 1, self.width(), height))

    @Slot(int, str)
    def _on_client_failed(self, ticket: int, message: str) -> None:
        if ticket == self._ticket:
            self.status_message.emit(message)

    @Slot(int)
    def _on_vertical_header_clicked(self, row: int) -> None:
        self.compare_topic.emit(self.topic_model.topic(row))

    @Slot(QModelIndex)
    def _on_clicked(self, index: QModelIndex) -> None:
        section = index.data(SECTION_ROLE)
        if section is not None:
            self.open_in_reader.emit(*section)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.compare_topic.emit(self.topic_model.topic(self.currentIndex().row()))
            return
        super().keyPressEvent(event)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self.topic_model.set_palette(self.palette())
            self._update_legend()
