"""Draws a comparison cell: its HTML laid out by a QTextDocument.

One delegate serves every column of a CompareView and lays text out at one width for all,
so a row is as tall as its tallest cell in every column: the same subject sits at the same
height across columns, and columns of equal row heights scroll in step. Documents are
cached by (HTML, width), so scrolling only paints; only a new width or new HTML lays out.

Each row starts with a band naming its subject, drawn level in every column so it reads as
one line across the row (the text from the leftmost column in sight). The band sticks to the
top of the view while the rest of its row is in sight: a row taller than the screen still
says what it is about. A cell without a section ("No matching section") is one line on a
faint tint, so the space beside a taller cell reads as "nothing here", not as a gap.
"""
from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ..styles import mix
from .model import EMPTY_ROLE, HTML_ROLE, SUMMARY_ROLE

PADDING = 12
ACCENT = 3              # width of the current row's bar
CACHE_LIMIT = 4000      # documents kept: every cell of a big comparison at two widths
UNLAID_HEIGHT = 40      # a row's height before the view's width is known
BAND_PADDING = 3        # above and below the row band's line of text


class CellDelegate(QStyledItemDelegate):
    # the heading line of a cell was clicked: (the cell, where to open a menu, global)
    head_clicked = Signal(QModelIndex, QPoint)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._width = 0
        self._css = ""
        self._font = QFont()
        self._band_font = QFont()
        self._label_column = 0      # the model column whose band shows the row's subject
        self._documents: OrderedDict[tuple[str, int], QTextDocument] = OrderedDict()
        # Every column asks each row's height several times per layout: remember it.
        self._heights: dict[int, int] = {}

    # -- layout ---------------------------------------------------------------------------
    @property
    def text_width(self) -> int:
        return self._width

    def set_text_width(self, width: int) -> None:
        """Lay cells out at this width; every view using the delegate lays out again."""
        if width != self._width:
            self._width = width
            self._heights.clear()
            self.sizeHintChanged.emit(QModelIndex())

    def forget_heights(self) -> None:
        """The cells' HTML changed: heights are measured again on the next layout."""
        self._heights.clear()

    @property
    def font(self) -> QFont:
        return QFont(self._font)

    @property
    def band_height(self) -> int:
        return QFontMetrics(self._band_font).height() + 2 * BAND_PADDING

    @property
    def label_column(self) -> int:
        return self._label_column

    def set_label_column(self, column: int) -> None:
        """Name the row in this column's band (the leftmost in sight); the caller repaints."""
        self._label_column = column

    def set_style(self, css: str, font: QFont) -> None:
        self._css, self._font = css, QFont(font)
        self._band_font = QFont(font)
        self._band_font.setWeight(QFont.Weight.DemiBold)
        self._documents.clear()
        self._heights.clear()
        self.sizeHintChanged.emit(QModelIndex())

    def document(self, html: str) -> QTextDocument:
        key = (html, self._width)
        doc = self._documents.get(key)
        if doc is None:
            doc = QTextDocument()
            doc.setDefaultFont(self._font)
            doc.setDefaultStyleSheet(self._css)
            doc.setDocumentMargin(0)
            doc.setHtml(html)
            doc.setTextWidth(self._width)
            self._documents[key] = doc
            if len(self._documents) > CACHE_LIMIT:
                self._documents.popitem(last=False)
        else:
            self._documents.move_to_end(key)
        return doc

    def row_height(self, index: QModelIndex) -> int:
        if self._width <= 0:
            return UNLAID_HEIGHT
        row = index.row()
        if row not in self._heights:
            model = index.model()
            tallest = max(self.document(model.index(row, c).data(HTML_ROLE)).size().height()
                          for c in range(model.columnCount()))
            self._heights[row] = self.band_height + int(tallest) + 2 * PADDING + 1
        return self._heights[row]

    def head_rect(self, index: QModelIndex, cell: QRect) -> QRect:
        """Where the cell's heading line is drawn, in the view's coordinates."""
        doc = self.document(index.data(HTML_ROLE))
        line = doc.documentLayout().blockBoundingRect(doc.begin()).toAlignedRect()
        return line.translated(cell.left() + PADDING, cell.top() + self.band_height + PADDING)

    # -- QStyledItemDelegate ----------------------------------------------------------------
    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        return QSize(self._width + 2 * PADDING, self.row_height(index))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        palette = option.palette
        rect = option.rect
        base = palette.color(QPalette.ColorRole.Base)
        accent = palette.color(QPalette.ColorRole.Highlight)
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, mix(accent, base, 0.10))
            painter.fillRect(QRect(rect.left(), rect.top(), ACCENT, rect.height()), accent)
        text = palette.color(QPalette.ColorRole.Text)
        band = self.band_height
        if self._width > 0:
            doc = self.document(index.data(HTML_ROLE))
            top = rect.top() + band + PADDING
            if index.data(EMPTY_ROLE):
                # Below its one line, an empty cell is tinted: nothing here, by design.
                painter.fillRect(QRect(rect.left(), int(top + doc.size().height()), rect.width(),
                                       rect.bottom() - int(top + doc.size().height())),
                                 mix(text, base, 0.035))
            painter.save()
            painter.translate(rect.left() + PADDING, top)
            doc.drawContents(painter, QRectF(0, 0, rect.width() - PADDING,
                                             rect.height() - band - PADDING))
            painter.restore()
        painter.setPen(mix(text, base, 0.18))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        self._paint_band(painter, option, index, band)
        painter.restore()

    def _paint_band(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex,
                    band: int) -> None:
        """The row's subject line: at the row's top, or at the view's top while the row's
        top is scrolled away (down to the row's end)."""
        rect, palette = option.rect, option.palette
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        top = max(rect.top(), min(0, rect.bottom() - band))
        area = QRect(rect.left(), top, rect.width(), band)
        painter.fillRect(area, mix(text, base, 0.07))
        # The subject in the leftmost column in sight, how well the row matches in the next
        # one (a column is too narrow for both); the band reads as one line across.
        label, summary = index.data(SUMMARY_ROLE)
        last = index.model().columnCount() - 1
        if index.column() == self._label_column:
            font, color = self._band_font, text
            shown = label if self._label_column < last else f"{label} · {summary}"
        elif index.column() == self._label_column + 1:
            font, color, shown = self._font, mix(text, base, 0.6), summary
        else:
            return
        painter.setFont(font)
        painter.setPen(color)
        inner = area.adjusted(PADDING, 0, -PADDING, 0)
        painter.drawText(inner, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         QFontMetrics(font).elidedText(shown, Qt.TextElideMode.ElideRight,
                                                       inner.width()))

    def editorEvent(self, event: QEvent, model, option: QStyleOptionViewItem,
                    index: QModelIndex) -> bool:
        if (event.type() == QEvent.Type.MouseButtonRelease and self._width > 0
                and event.button() == Qt.MouseButton.LeftButton):
            head = self.head_rect(index, option.rect)
            if head.contains(event.position().toPoint()):
                self.head_clicked.emit(index, option.widget.viewport().mapToGlobal(head.bottomLeft()))
                return True
        return super().editorEvent(event, model, option, index)
