"""The consensus view: what a set of reports agree on (issue 16).

A tree: subjects (topic rows) at the top, their points below, most supported first, each
with "said by N of M" drawn as a small bar; a point expands to the sentence of each report
that makes it, and clicking a sentence (or Enter on it) opens the reader at its section.
A filter keeps the points every report makes, or those only one report makes (outliers).
Export writes what is shown as HTML or Markdown (core consensus_export).

The points are found by the comparison worker (CompareClient.consensus), never here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import (QAbstractItemModel, QEvent, QModelIndex, QObject,
                            QPersistentModelIndex, QRect, QRectF, QSize, QSortFilterProxyModel,
                            Qt, Signal, Slot)
from PySide6.QtGui import QFont, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QLabel,
                               QMenu, QStackedWidget, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QToolButton, QTreeView, QVBoxLayout,
                               QWidget)

from ...core import consensus_export
from ...core.consensus import Point
from .. import icons
from ..plain import plain_html
from ..settings import Settings
from .client import CompareClient
from .worker import Consensus

SUPPORT_ROLE = Qt.ItemDataRole.UserRole + 1     # (support, of how many) on a point's row
SECTION_ROLE = Qt.ItemDataRole.UserRole + 2     # (report id, section) on a sentence's row
SUPPORT_COLUMN, TEXT_COLUMN = 0, 1
SUPPORT_WIDTH = 190
BAR_WIDTH, BAR_HEIGHT = 44, 8
TEXT_MARGIN = 4             # around a wrapped sentence, as the style's item margins
WORKING = "Finding what the reports agree on…"

# The filter's choices: (shown as, which points it keeps given (support, of how many)).
FILTERS = (
    ("All points", lambda support, of: True),
    ("Said by all", lambda support, of: support == of),
    ("Said by one report only", lambda support, of: support == 1),
)


@dataclass(eq=False)
class _Node:
    """A row of the tree: a subject (point None), a point, or a sentence (sentence set)."""
    parent: _Node | None
    row: int
    text: str
    point: Point | None = None
    sentence: int | None = None             # its index in point.sentences
    children: list[_Node] = field(default_factory=list)


class ConsensusModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.consensus = Consensus((), ())
        self._titles: dict[str, str] = {}
        self._root = _Node(None, 0, "")
        # Qt keeps a row's node as the index's internal pointer: these keep them alive.
        self._nodes: list[_Node] = []

    def set_consensus(self, consensus: Consensus) -> None:
        self.beginResetModel()
        self.consensus = consensus
        self._titles = {r.id: r.title for r in consensus.reports}
        self._root = _Node(None, 0, "")
        self._nodes = []
        for subject, points in consensus_export.by_subject(consensus.points):
            top = self._add(self._root, subject)
            for point in points:
                node = self._add(top, point.label, point)
                for i, said in enumerate(point.sentences):
                    self._add(node, said.text, point, i)
        self.endResetModel()

    def _add(self, parent: _Node, text: str, point: Point | None = None,
             sentence: int | None = None) -> _Node:
        node = _Node(parent, len(parent.children), text, point, sentence)
        parent.children.append(node)
        self._nodes.append(node)
        return node

    @property
    def report_count(self) -> int:
        return len(self.consensus.reports)

    def _node(self, index: QModelIndex) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        node = self._node(parent)
        if not (0 <= row < len(node.children) and 0 <= column < 2):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:
        if not index.isValid():
            return QModelIndex()
        up = self._node(index).parent
        return QModelIndex() if up is None or up is self._root else self.createIndex(up.row, 0, up)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 2

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return {SUPPORT_COLUMN: "Said by", TEXT_COLUMN: "Point"}.get(section)
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = self._node(index)
        if node.point is None:
            return self._subject_data(node, index.column(), role)
        if node.sentence is None:
            return self._point_data(node.point, index.column(), role)
        return self._sentence_data(node.point.sentences[node.sentence], index.column(), role)

    def _subject_data(self, node: _Node, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            count = len(node.children)
            return node.text if column == TEXT_COLUMN else f"{count} point{'s' * (count != 1)}"
        if role == Qt.ItemDataRole.FontRole and column == TEXT_COLUMN:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_html(node.text)
        return None

    def _point_data(self, point: Point, column: int, role: int):
        said = consensus_export.said_by(point.support, self.report_count)
        if role == Qt.ItemDataRole.DisplayRole:
            return said if column == SUPPORT_COLUMN else point.label
        if role == SUPPORT_ROLE:
            return point.support, self.report_count
        if role == Qt.ItemDataRole.ToolTipRole:
            who = ", ".join(self._titles.get(s.report, s.report) for s in point.sentences)
            return plain_html(f"{point.label}\n{said.capitalize()}: {who}")
        return None

    def _sentence_data(self, said, column: int, role: int):
        title = self._titles.get(said.report, said.report)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{title} §{said.section}" if column == SUPPORT_COLUMN else said.text
        if role == SECTION_ROLE:
            return said.report, said.section
        if role == Qt.ItemDataRole.ForegroundRole and column == SUPPORT_COLUMN:
            # Where it was said, a step back from what was said (and from the bars).
            return QGuiApplication.palette().placeholderText()
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_html(f"{title} §{said.section}\n{said.text}\nClick to read it.")
        return None


class ConsensusFilter(QSortFilterProxyModel):
    """Keeps the points a FILTERS entry accepts, their subjects and all their sentences."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._keeps = FILTERS[0][1]
        self.setRecursiveFilteringEnabled(True)     # a subject stays while a point does
        self.setAutoAcceptChildRows(True)           # a kept point keeps its sentences

    def set_filter(self, number: int) -> None:
        self.beginFilterChange()
        self._keeps = FILTERS[number][1]
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        support = self.sourceModel().index(row, 0, parent).data(SUPPORT_ROLE)
        if support is None:          # a subject or a sentence: kept with its points
            return self._keeps is FILTERS[0][1]
        return self._keeps(*support)

    def kept_points(self) -> list[Point]:
        """The points shown, in their order."""
        kept = []
        for s in range(self.rowCount()):
            subject = self.index(s, 0)
            for p in range(self.rowCount(subject)):
                source = self.mapToSource(self.index(p, 0, subject))
                kept.append(source.internalPointer().point)
        return kept


class SupportDelegate(QStyledItemDelegate):
    """A point's "said by N of M": a small bar filled N/M of its width, then the words.
    A sentence's report and section ("Title §3") is elided in the middle: titles of one
    crew's runs differ at the end, and the section must stay in sight."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        # One line, even where the tree wraps text: wrapped, Qt elides its end, the section.
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideMiddle

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        support = index.data(SUPPORT_ROLE)
        if support is None:
            super().paint(painter, option, index)
            return
        option = QStyleOptionViewItem(option)
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text = option.text
        option.text = ""
        if style is not None:           # the selection and hover background, no text
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                              option.widget)
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        ink = palette.highlightedText() if selected else palette.text()
        bar = QRectF(option.rect.left() + 6, option.rect.center().y() - BAR_HEIGHT / 2 + 1,
                     BAR_WIDTH, BAR_HEIGHT)
        count, of = support
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(palette.highlight().color() if not selected else ink.color())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(bar)
        filled = QRectF(bar.left(), bar.top(), bar.width() * count / max(of, 1), bar.height())
        painter.fillRect(filled, palette.highlight() if not selected else ink)
        painter.setPen(ink.color())
        text_rect = option.rect.adjusted(BAR_WIDTH + 14, 0, -4, 0)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                       text_rect.width()))
        painter.restore()


class SentenceDelegate(QStyledItemDelegate):
    """The text column: a sentence wraps to the column's width (it is what the reader came
    to read); subjects and point labels stay on one line."""

    def __init__(self, tree: QTreeView):
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        if index.data(SECTION_ROLE) is None:
            return hint
        # Its depth in the tree: a sentence is under a point under a subject.
        indent = 3 * self._tree.indentation() + 2 * TEXT_MARGIN
        width = max(self._tree.header().sectionSize(TEXT_COLUMN) - indent, 80)
        bounds = option.fontMetrics.boundingRect(QRect(0, 0, width, 1 << 20),
                                                 Qt.TextFlag.TextWordWrap, index.data())
        return QSize(hint.width(), max(hint.height(), bounds.height() + TEXT_MARGIN))


class ConsensusView(QWidget):
    # read a section: (report id, section number)
    open_in_reader = Signal(str, int)
    # for the status bar: a failure (details are in the log), an export written
    status_message = Signal(str)

    def __init__(self, client: CompareClient, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._client = client
        self._settings = settings
        self._ticket = 0
        self._chosen = False                # show_reports was called: report_ids says what
        self.report_ids: tuple[str, ...] | None = None   # None: the whole library
        self.model = ConsensusModel(self)
        self.proxy = ConsensusFilter(self)
        self.proxy.setSourceModel(self.model)

        self.filter_box = QComboBox(toolTip="Which points to show")
        self.filter_box.addItems([name for name, _ in FILTERS])
        self.summary_label = QLabel(textFormat=Qt.TextFormat.PlainText)
        self.export_button = QToolButton(text="Export", autoRaise=True,
                                         toolTip="Save the points shown as HTML or Markdown")
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        icons.set_icon(self.export_button, "export")
        export_menu = QMenu(self.export_button)
        self.export_html_action = export_menu.addAction("Export as HTML…")
        self.export_markdown_action = export_menu.addAction("Export as Markdown…")
        self.export_button.setMenu(export_menu)
        toolbar = QHBoxLayout()
        toolbar.setContentsMargins(4, 2, 4, 2)
        toolbar.addWidget(self.filter_box)
        toolbar.addStretch(1)
        toolbar.addWidget(self.summary_label)
        toolbar.addWidget(self.export_button)

        # Plain: a failure's message quotes its error, file paths and all.
        self.message_label = QLabel(WORKING, alignment=Qt.AlignmentFlag.AlignCenter,
                                    wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setTreePosition(TEXT_COLUMN)       # the bar first, the branches by the text
        self.tree.setItemDelegateForColumn(SUPPORT_COLUMN, SupportDelegate(self.tree))
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setItemDelegateForColumn(TEXT_COLUMN, SentenceDelegate(self.tree))
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.header().setStretchLastSection(True)
        self.tree.header().resizeSection(SUPPORT_COLUMN, SUPPORT_WIDTH)
        self.tree.installEventFilter(self)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message_label)
        self.stack.addWidget(self.tree)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(toolbar)
        layout.addWidget(self.stack, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._client.agreed.connect(self._on_client_agreed)
        self._client.failed.connect(self._on_client_failed)
        self._client.reports_changed.connect(self._on_client_reports_changed)
        self.filter_box.currentIndexChanged.connect(self._on_filter_box_current_index_changed)
        self.tree.clicked.connect(self._on_tree_clicked)
        # Sentences wrap to the column's width: their heights change with it.
        self.tree.header().sectionResized.connect(self._on_header_section_resized)
        self.export_html_action.triggered.connect(lambda: self._export("HTML", ".html"))
        self.export_markdown_action.triggered.connect(lambda: self._export("Markdown", ".md"))

    # -- what it shows --------------------------------------------------------------------
    def show_reports(self, ids: list[str] | None) -> None:
        """Find the points of these reports (None: every report of the library); asks
        again only for another set."""
        wanted = None if ids is None else tuple(ids)
        if self._chosen and wanted == self.report_ids:
            return
        self._chosen, self.report_ids = True, wanted
        if self._client.reports:    # else once the worker has read the library
            self._ask()

    def _ask(self) -> None:
        self.message_label.setText(WORKING)
        self.stack.setCurrentWidget(self.message_label)
        self._ticket = self._client.consensus(self.report_ids)

    @Slot(object)
    def _on_client_reports_changed(self, _reports) -> None:
        if self._chosen:            # read, or changed: its points may have too
            self._ask()

    @Slot(int, object)
    def _on_client_agreed(self, ticket: int, consensus: Consensus) -> None:
        if ticket != self._ticket:
            return
        self.model.set_consensus(consensus)
        self.tree.expandToDepth(0)          # every subject's points, their sentences folded
        self._update_summary()
        self.stack.setCurrentWidget(self.tree)

    @Slot(int, str)
    def _on_client_failed(self, ticket: int, message: str) -> None:
        if ticket == self._ticket:
            self.message_label.setText(message)
            self.stack.setCurrentWidget(self.message_label)
            self.status_message.emit(message)

    @Slot(int)
    def _on_filter_box_current_index_changed(self, number: int) -> None:
        self.proxy.set_filter(number)
        self.tree.expandToDepth(0)
        self._update_summary()

    def _update_summary(self) -> None:
        shown, total = len(self.proxy.kept_points()), len(self.model.consensus.points)
        of = f"{shown} of {total} points" if shown != total else f"{total} points"
        self.summary_label.setText(f"{self.model.report_count} reports · {of}")

    @Slot(int, int, int)
    def _on_header_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == TEXT_COLUMN:
            self.tree.scheduleDelayedItemsLayout()

    # -- reading a sentence ---------------------------------------------------------------
    @Slot(QModelIndex)
    def _on_tree_clicked(self, index: QModelIndex) -> None:
        self._open(index)

    def _open(self, index: QModelIndex) -> bool:
        section = index.data(SECTION_ROLE)
        if section is None:
            return False
        self.open_in_reader.emit(*section)
        return True

    def eventFilter(self, watched: QObject, event) -> bool:
        # Enter on a sentence reads it; on a point or subject, the tree's own (expand).
        if (watched is self.tree and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            return self._open(self.tree.currentIndex())
        return super().eventFilter(watched, event)

    # -- export ---------------------------------------------------------------------------
    def heading(self) -> str:
        name, _ = FILTERS[self.filter_box.currentIndex()]
        which = "" if self.filter_box.currentIndex() == 0 else f" ({name.lower()})"
        return f"What {self.model.report_count} reports agree on{which}"

    def export_html(self, path: str | Path) -> bool:
        return self._write(path, consensus_export.as_html)

    def export_markdown(self, path: str | Path) -> bool:
        return self._write(path, consensus_export.as_markdown)

    def _write(self, path: str | Path, render) -> bool:
        if self.stack.currentWidget() is not self.tree:
            self.status_message.emit("Nothing to export yet: the points are not ready")
            return False
        text = render(self.model.consensus.reports, self.proxy.kept_points(), self.heading())
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            self.status_message.emit(f"Could not export to {path}: {exc.strerror or exc}")
            return False
        self.status_message.emit(f"Exported the points to {path}")
        return True

    def _export(self, kind: str, suffix: str) -> None:
        folder = Path(self._settings.value("compare/export_dir") or Path.home())
        path, _ = QFileDialog.getSaveFileName(self, f"Export Points as {kind}",
                                              str(folder / f"consensus{suffix}"),
                                              f"{kind} (*{suffix})")
        if not path:
            return
        if Path(path).suffix.lower() != suffix:
            path += suffix
        write = self.export_html if suffix == ".html" else self.export_markdown
        if write(path):
            self._settings.set_value("compare/export_dir", str(Path(path).parent))
