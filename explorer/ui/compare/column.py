"""One report's column of a comparison: a header (title, pin, menu, remove; dragged to
reorder) over a list view showing that report's column of the CompareModel."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QDrag, QFont, QFontMetricsF, QMouseEvent
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFrame, QHBoxLayout, QLabel,
                               QListView, QMenu, QSizePolicy, QToolButton, QVBoxLayout, QWidget)

from ...core.model import ReportInfo
from ...core.wording import plural
from .. import icons
from ..plain import plain_html
from ..styles import muted_text
from ..wheel_zoom import zoom_step
from .delegate import ACCENT, PADDING, CellDelegate
from .model import CompareModel

COLUMN_MIME = "application/x-report-explorer-column"   # a dragged header: the report id
# Columns share the width equally down to this many average characters of the cells' font
# a line (about five words: narrower, a sentence breaks every two or three words and
# reading across the columns turns into reading down them); narrower than that, the
# panel scrolls sideways. In characters, so the minimum follows zoom.
MIN_COLUMN_CHARS = 30
TITLE_LINES = 2
SCROLL_STEP = 24


def min_column_width(font: QFont) -> int:
    """The narrowest a column gets: MIN_COLUMN_CHARS of `font` plus the cell's margins."""
    return round(QFontMetricsF(font).averageCharWidth() * MIN_COLUMN_CHARS) + 2 * PADDING + ACCENT


def elide_lines(text: str, metrics: QFontMetricsF, width: float, lines: int) -> str:
    """`text` wrapped at word boundaries into at most `lines` lines, the last one elided
    (QLabel wraps, but cannot elide what does not fit)."""
    words = text.split()
    out: list[str] = []
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line += " " + words.pop(0)
        out.append(metrics.elidedText(line, Qt.TextElideMode.ElideRight, width))
    if words:     # the middle goes: titles that start alike often end apart
        out.append(metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideMiddle, width))
    return "\n".join(out)


class ColumnHeader(QFrame):
    # the user asks something of this column; each carries the report id
    remove_requested = Signal(str)
    move_requested = Signal(str, int)          # by -1 (left) or +1 (right)
    pin_requested = Signal(str, bool)          # pin as the reference (True) or unpin

    def __init__(self, report: ReportInfo, parent: QWidget | None = None):
        super().__init__(parent)
        self.report = report
        self._press: QPoint | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(plain_html(f"{report.title}\n{report.id}\nDrag to move the column."))
        self.pin_button = QToolButton(checkable=True, autoRaise=True)
        icons.set_icon(self.pin_button, "pin")
        self.title_label = QLabel(textFormat=Qt.TextFormat.PlainText)    # a title, never markup
        font = QFont(self.title_label.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.title_label.setFont(font)
        # Every header equally tall, so the views below start, and scroll, level.
        self.title_label.setFixedHeight(self.title_label.fontMetrics().lineSpacing() * TITLE_LINES)
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.detail_label = QLabel(textFormat=Qt.TextFormat.PlainText)
        self.detail_label.setStyleSheet(f"color: {muted_text(self.palette()).name()}")
        self.detail_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._details: list[str] = [""]   # the file line, longest first: the first that fits
        self.menu_button = QToolButton(autoRaise=True, toolTip="Column actions")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")  # "⋮" says it
        icons.set_icon(self.menu_button, "column-menu")
        self.remove_button = QToolButton(autoRaise=True, toolTip="Remove this report from the comparison")
        icons.set_icon(self.remove_button, "remove-report")
        self.move_left_action = QAction("Move Left", self)
        icons.set_icon(self.move_left_action, "move-left")
        self.move_right_action = QAction("Move Right", self)
        icons.set_icon(self.move_right_action, "move-right")
        self.pin_action = QAction("Pin as Reference", self, checkable=True)
        self.remove_action = QAction("Remove from Comparison", self)
        icons.set_icon(self.remove_action, "remove-report")
        menu = QMenu(self)
        menu.addActions([self.move_left_action, self.move_right_action, self.pin_action])
        menu.addSeparator()
        menu.addAction(self.remove_action)
        self.menu_button.setMenu(menu)
        self._layout()
        self._connect_signals()

    def _layout(self) -> None:
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.title_label)
        text.addWidget(self.detail_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 2, 4)
        row.addWidget(self.pin_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        row.addWidget(self.menu_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)

    def _connect_signals(self) -> None:
        rid = self.report.id
        self.pin_button.clicked.connect(lambda on: self.pin_requested.emit(rid, on))
        self.pin_action.triggered.connect(lambda on: self.pin_requested.emit(rid, on))
        self.move_left_action.triggered.connect(lambda: self.move_requested.emit(rid, -1))
        self.move_right_action.triggered.connect(lambda: self.move_requested.emit(rid, 1))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(rid))
        self.remove_action.triggered.connect(lambda: self.remove_requested.emit(rid))

    def set_state(self, pinned: bool, can_move_left: bool, can_move_right: bool,
                  can_remove: bool) -> None:
        self.pin_button.setChecked(pinned)
        self.pin_action.setChecked(pinned)
        self.pin_button.setToolTip("Unpin: rows follow the topic map" if pinned else
                                   "Pin as reference: rows follow this report's sections")
        # The file name tells apart reports whose titles read alike.
        name = Path(self.report.path).name
        sections = plural(len(self.report.headings), "section")
        self._details = [f"{name} · {sections}", name]
        if pinned:
            self._details = [f"Reference · {d}" for d in self._details] + self._details[-1:]
        self._fit_detail()
        self.move_left_action.setEnabled(can_move_left)
        self.move_right_action.setEnabled(can_move_right)
        self.remove_button.setEnabled(can_remove)
        self.remove_action.setEnabled(can_remove)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # Fractional metrics: whole pixels would let a line fit here and be elided on screen.
        self.title_label.setText(elide_lines(self.report.title, QFontMetricsF(self.title_label.font()),
                                             self.title_label.width(), TITLE_LINES))
        self._fit_detail()

    def _fit_detail(self) -> None:
        """The longest file line that fits; else the file name with its middle elided (its
        start and end tell files apart; the section count matters less)."""
        metrics, width = QFontMetricsF(self.detail_label.font()), self.detail_label.width()
        fits = next((d for d in self._details if metrics.horizontalAdvance(d) <= width), None)
        self.detail_label.setText(fits if fits is not None else metrics.elidedText(
            self._details[-1], Qt.TextElideMode.ElideMiddle, width))

    # -- dragging the header moves the column -----------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if (self._press is not None and (event.position().toPoint() - self._press).manhattanLength()
                >= QApplication.startDragDistance()):
            self._press = None
            mime = QMimeData()
            mime.setData(COLUMN_MIME, self.report.id.encode())
            drag = QDrag(self)
            drag.setMimeData(mime)
            drag.setPixmap(self.grab())
            drag.exec(Qt.DropAction.MoveAction)
        super().mouseMoveEvent(event)


class ColumnView(QListView):
    """One column of the comparison model, drawn by the shared cell delegate."""

    # Ctrl+wheel: zoom by this many steps (as in the reader)
    zoom_requested = Signal(int)

    def __init__(self, model: CompareModel, delegate: CellDelegate, parent: QWidget | None = None):
        super().__init__(parent)
        self._delegate = delegate
        self.setModel(model)
        self.setItemDelegate(delegate)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(SCROLL_STEP)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setMouseTracking(True)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        # Qt moves the drawn pixels and paints only what comes into sight; the row band
        # that sticks to the top must be drawn again where it now is.
        self.viewport().update()

    def wheelEvent(self, event) -> None:
        step = zoom_step(event)
        if step is None:
            super().wheelEvent(event)
        elif step:
            self.zoom_requested.emit(step)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        # The heading line opens the section menu: say so with the cursor.
        pos = event.position().toPoint()
        index = self.indexAt(pos)
        over_head = (index.isValid() and self._delegate.text_width > 0
                     and self._delegate.head_rect(index, self.visualRect(index)).contains(pos))
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over_head
                                  else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)


class CompareColumn(QWidget):
    def __init__(self, report: ReportInfo, model: CompareModel, delegate: CellDelegate,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.report = report
        self.header = ColumnHeader(report)
        self.view = ColumnView(model, delegate)
        self.setMinimumWidth(min_column_width(delegate.font))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)


class ColumnStrip(QWidget):
    """The columns side by side, equally wide; a header dropped on it moves its column."""

    # a column was dragged to a new position: (report id, position)
    column_dropped = Signal(str, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self._columns: list[CompareColumn] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)

    def set_columns(self, columns: list[CompareColumn]) -> None:
        for column in self._columns:
            self._layout.removeWidget(column)
        self._columns = list(columns)
        for column in columns:
            self._layout.addWidget(column, 1)     # equal stretch: equal widths

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(COLUMN_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(COLUMN_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        rid = bytes(event.mimeData().data(COLUMN_MIME)).decode()
        x = event.position().x()
        others = [c for c in self._columns if c.report.id != rid]
        position = sum(1 for c in others if c.geometry().center().x() < x)
        event.acceptProposedAction()
        self.column_dropped.emit(rid, position)
