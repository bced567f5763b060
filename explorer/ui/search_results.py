"""Search results grouped by report: a tree model (report -> hits), a delegate that draws a
hit's section and its snippet with the matched words in bold, and the view."""
from __future__ import annotations

from dataclasses import dataclass
from html import unescape

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QPalette, QTextDocument
from PySide6.QtWidgets import (QAbstractItemView, QStyledItemDelegate,
                               QStyleOptionViewItem, QTreeView)

from ..core.model import Hit, SearchResult
from .item_frame import draw_item_frame
from .styles import muted_text

HIT_ROLE = Qt.ItemDataRole.UserRole + 1        # the Hit of a hit row
REPORT_ROLE = Qt.ItemDataRole.UserRole + 2     # the report id, on both kinds of row
COUNT_ROLE = Qt.ItemDataRole.UserRole + 3      # hits in a report row
_TOP = 0                                       # internalId of a report row; hits: row + 1
MAX_SNIPPET_LINES = 3
LEFT, RIGHT = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight


@dataclass(slots=True)
class _Group:
    report: str
    title: str
    hits: list[Hit]


def snippet_text(snippet: str) -> str:
    """A snippet as plain text (tooltips, accessibility)."""
    return unescape(snippet.replace("<mark>", "").replace("</mark>", ""))


class SearchResultsModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._groups: list[_Group] = []
        self.result: SearchResult | None = None

    def set_result(self, result: SearchResult | None) -> None:
        """Show `result` (None: nothing), reports in the order of their best hit."""
        self.beginResetModel()
        self.result = result
        groups: dict[str, _Group] = {}
        for hit in result.hits if result else ():
            groups.setdefault(hit.report, _Group(hit.report, hit.report_title, [])).hits.append(hit)
        self._groups = list(groups.values())
        self.endResetModel()

    def report_count(self) -> int:
        return len(self._groups)

    def first_hit(self) -> QModelIndex:
        return self.index(0, 0, self.index(0, 0)) if self._groups else QModelIndex()

    # -- QAbstractItemModel ---------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: QModelIndex | None = None):
        if index is None:                # QObject.parent()
            return super().parent()
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._groups[parent.row()].hits)
        return 0

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 1

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            group = self._groups[index.row()]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return group.title
            if role == REPORT_ROLE:
                return group.report
            if role == COUNT_ROLE:
                return len(group.hits)
            return None
        hit = self._groups[index.internalId() - 1].hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return section_label(hit.section, hit.section_title)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{section_label(hit.section, hit.section_title)}\n\n{snippet_text(hit.snippet)}"
        if role == HIT_ROLE:
            return hit
        if role == REPORT_ROLE:
            return hit.report
        return None


def section_label(number: int, title: str) -> str:
    return f"{number}. {title}" if number else title


class SearchResultDelegate(QStyledItemDelegate):
    """Report rows: bold title and hit count. Hit rows: the section, then up to
    MAX_SNIPPET_LINES lines of snippet with the matched words in bold."""

    PADDING = 5
    CACHE_SIZE = 400

    def __init__(self, view: QTreeView):
        super().__init__(view)
        self._view = view
        # Laid-out snippets by (snippet, width, font): the view asks each row's size and
        # then paints it, and does both again on every scroll and resize.
        self._documents: dict[tuple[str, int, str], QTextDocument] = {}

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt, selected = draw_item_frame(self, painter, option, index)
        text_color = opt.palette.color(QPalette.ColorRole.HighlightedText if selected
                                       else QPalette.ColorRole.Text)
        muted = text_color if selected else muted_text(opt.palette)
        rect = opt.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        line = opt.fontMetrics.height()
        painter.save()
        if index.data(HIT_ROLE) is None:
            count = str(index.data(COUNT_ROLE))
            count_width = opt.fontMetrics.horizontalAdvance(count) + 8
            painter.setPen(muted)
            painter.drawText(rect, RIGHT | Qt.AlignmentFlag.AlignVCenter, count)
            painter.setFont(_bold(opt.font))
            painter.setPen(text_color)
            title = painter.fontMetrics().elidedText(index.data(), Qt.TextElideMode.ElideRight,
                                                     rect.width() - count_width)
            painter.drawText(rect, LEFT | Qt.AlignmentFlag.AlignVCenter, title)
        else:
            painter.setFont(_bold(opt.font, QFont.Weight.DemiBold))
            painter.setPen(muted)
            heading = painter.fontMetrics().elidedText(index.data(), Qt.TextElideMode.ElideRight,
                                                       rect.width())
            painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line),
                             LEFT | Qt.AlignmentFlag.AlignVCenter, heading)
            document = self._snippet(index.data(HIT_ROLE).snippet, opt.font, rect.width())
            painter.translate(rect.left(), rect.top() + line + 2)
            clip = QRectF(0, 0, rect.width(), self._snippet_height(document, opt))
            painter.setClipRect(clip)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.palette.setColor(QPalette.ColorRole.Text, text_color)
            context.clip = clip
            document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        line = option.fontMetrics.height()
        if index.data(HIT_ROLE) is None:
            return QSize(100, line + 2 * self.PADDING + 2)
        width = self._text_width(index)
        document = self._snippet(index.data(HIT_ROLE).snippet, option.font, width)
        return QSize(100, 2 * self.PADDING + line + 2 + self._snippet_height(document, option))

    def _text_width(self, index: QModelIndex) -> int:
        depth = 1 if index.parent().isValid() else 0
        return max(80, self._view.viewport().width() - depth * self._view.indentation()
                   - 2 * self.PADDING)

    def _snippet(self, snippet: str, font: QFont, width: int) -> QTextDocument:
        key = (snippet, width, font.key())
        document = self._documents.get(key)
        if document is None:
            if len(self._documents) >= self.CACHE_SIZE:
                self._documents.clear()
            document = QTextDocument()
            document.setDocumentMargin(0)
            document.setDefaultFont(font)
            # The snippet is escaped text with the matched words in <mark>: bold reads
            # better than a background in a selected row.
            document.setHtml(snippet.replace("<mark>", "<b>").replace("</mark>", "</b>"))
            document.setTextWidth(width)
            self._documents[key] = document
        return document

    @staticmethod
    def _snippet_height(document: QTextDocument, option: QStyleOptionViewItem) -> int:
        lines = MAX_SNIPPET_LINES * option.fontMetrics.lineSpacing()
        return int(min(document.size().height(), lines))


def _bold(font: QFont, weight: QFont.Weight = QFont.Weight.Bold) -> QFont:
    bold = QFont(font)
    bold.setWeight(weight)
    return bold


class SearchResultsView(QTreeView):
    """Rows of wrapped snippets are as tall as the width allows: lay out again when the width
    changes."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setIndentation(14)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setExpandsOnDoubleClick(False)
        self.setItemDelegate(SearchResultDelegate(self))
        self._laid_out_width = -1

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.viewport().width() != self._laid_out_width:
            self._laid_out_width = self.viewport().width()
            self.scheduleDelayedItemsLayout()
