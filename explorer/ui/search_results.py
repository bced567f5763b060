"""Search results grouped by report: a tree model (report -> hits), a delegate that draws a
hit's section and its snippet with the matched words in bold, and the view."""
from __future__ import annotations

from dataclasses import dataclass
from html import unescape

from PySide6.QtCore import (QAbstractItemModel, QModelIndex, QObject, QRect, QRectF, QSize, Qt,
                            Slot)
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QPalette, QTextDocument
from PySide6.QtWidgets import (QAbstractItemView, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QTreeView)

from ..core.model import Hit, SearchResult
from .item_frame import draw_item_frame
from .plain import plain_html
from .styles import muted_text

HIT_ROLE = Qt.ItemDataRole.UserRole + 1        # the Hit of a hit row
REPORT_ROLE = Qt.ItemDataRole.UserRole + 2     # the report id, on both kinds of row
COUNT_ROLE = Qt.ItemDataRole.UserRole + 3      # hits in a report row
_TOP = 0                                       # internalId of a report row; hits: row + 1
MAX_SNIPPET_LINES = 3
# Hits whose reports are in the model when a result comes (more than a pane shows), and
# hits added each time the view scrolls to the end.
FIRST_HITS = 24
MORE_HITS = 24
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
    """Reports in the order of their best hit, each with its hits.

    The reports come in as the view needs them: first those holding FIRST_HITS hits, more
    (show_more) as the view scrolls to the end. A result has up to 100 hits and a pane
    shows a handful, whereas the view lays out, and asks the height of, every row the
    model has, through Python on the GUI thread, each time a result comes. Not Qt's
    canFetchMore/fetchMore: QTreeView fetches on every layout until the top-level rows
    (here the reports, not the hits) would fill the viewport."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._all: list[_Group] = []        # every report of the result
        self._groups: list[_Group] = []     # those the view has so far (a prefix of _all)
        self.result: SearchResult | None = None

    def set_result(self, result: SearchResult | None, reports: int = 0) -> None:
        """Show `result` (None: nothing), with at least its first `reports` reports (the
        search run again: as many as the view had)."""
        self.beginResetModel()
        self.result = result
        groups: dict[str, _Group] = {}
        for hit in result.hits if result else ():
            groups.setdefault(hit.report, _Group(hit.report, hit.report_title, [])).hits.append(hit)
        self._all = list(groups.values())
        self._groups = self._all[:max(reports, self._groups_holding(0, FIRST_HITS))]
        self.endResetModel()

    def find(self, report: str, section: int | None) -> QModelIndex:
        """The row of a report (`section` None) or of its hit in that section, if shown."""
        row = next((n for n, g in enumerate(self._groups) if g.report == report), None)
        if row is None:
            return QModelIndex()
        parent = self.index(row, 0)
        if section is None:
            return parent
        hits = self._groups[row].hits
        return next((self.index(n, 0, parent) for n, hit in enumerate(hits)
                     if hit.section == section), QModelIndex())

    def report_count(self) -> int:
        """Reports in the result, shown yet or not."""
        return len(self._all)

    def first_hit(self) -> QModelIndex:
        return self.index(0, 0, self.index(0, 0)) if self._groups else QModelIndex()

    def _groups_holding(self, start: int, hits: int) -> int:
        """How many groups from `start` on hold `hits` hits (fewer at the end)."""
        end, held = start, 0
        while end < len(self._all) and held < hits:
            held += len(self._all[end].hits)
            end += 1
        return end - start

    def show_more(self) -> None:
        """Add the next reports, holding MORE_HITS hits (if there are more)."""
        start = len(self._groups)
        if start == len(self._all):
            return
        count = self._groups_holding(start, MORE_HITS)
        self.beginInsertRows(QModelIndex(), start, start + count - 1)
        self._groups.extend(self._all[start:start + count])
        self.endInsertRows()

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
            if role == Qt.ItemDataRole.DisplayRole:
                return group.title
            if role == Qt.ItemDataRole.ToolTipRole:
                return plain_html(group.title)
            if role == REPORT_ROLE:
                return group.report
            if role == COUNT_ROLE:
                return len(group.hits)
            return None
        hit = self._groups[index.internalId() - 1].hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return section_label(hit.section, hit.section_title)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_html(f"{section_label(hit.section, hit.section_title)}\n\n"
                              f"{snippet_text(hit.snippet)}")
        if role == HIT_ROLE:
            return hit
        if role == REPORT_ROLE:
            return hit.report
        return None


def section_label(number: int, title: str) -> str:
    return f"{number}. {title}" if number else title


class SearchResultDelegate(QStyledItemDelegate):
    """Report rows: bold title and hit count. Hit rows: the section, then up to
    MAX_SNIPPET_LINES lines of snippet with the matched words in bold.

    The view asks every row's height each time results come. A row's height is that of
    its snippet's plain text wrapped by the font metrics (one call into Qt), not of its
    rich text laid out in a QTextDocument: a document per row made showing 100 hits cost
    the GUI thread 25-55 ms, two to three times that while the worker was searching the
    next keystroke. Documents are made in paint(), for the rows on screen only."""

    PADDING = 5
    CACHE_SIZE = 400

    def __init__(self, view: SearchResultsView):
        super().__init__(view)
        self._view = view
        # By (snippet, width, font): the view asks each row's size and then paints it,
        # and does both again on every scroll and resize.
        self._documents: dict[tuple[str, int, str], QTextDocument] = {}
        self._lines: dict[tuple[str, int, str], int] = {}

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt, selected = draw_item_frame(self, painter, option, index)
        text_color = opt.palette.color(QPalette.ColorRole.HighlightedText if selected
                                       else QPalette.ColorRole.Text)
        muted = text_color if selected else muted_text(opt.palette)
        rect = opt.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        line = opt.fontMetrics.height()
        painter.save()
        hit = index.data(HIT_ROLE)
        if hit is None:
            count = str(index.data(COUNT_ROLE))
            count_width = opt.fontMetrics.horizontalAdvance(count) + 8
            painter.setPen(muted)
            painter.drawText(rect, RIGHT | Qt.AlignmentFlag.AlignVCenter, count)
            painter.setFont(_bold(opt.font))
            painter.setPen(text_color)
            title = painter.fontMetrics().elidedText(index.data(), Qt.TextElideMode.ElideMiddle,
                                                     rect.width() - count_width)
            painter.drawText(rect, LEFT | Qt.AlignmentFlag.AlignVCenter, title)
        else:
            painter.setFont(_bold(opt.font, QFont.Weight.DemiBold))
            painter.setPen(muted)
            heading = painter.fontMetrics().elidedText(index.data(), Qt.TextElideMode.ElideRight,
                                                       rect.width())
            painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line),
                             LEFT | Qt.AlignmentFlag.AlignVCenter, heading)
            # Wrapped at the width the row's height was found for (see SearchResultsView).
            width = self._text_width(index)
            document = self._snippet(hit.snippet, opt.font, width)
            painter.translate(rect.left(), rect.top() + line + 2)
            clip = QRectF(0, 0, width, self._snippet_lines(hit.snippet, opt, width)
                          * opt.fontMetrics.lineSpacing())
            painter.setClipRect(clip)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.palette.setColor(QPalette.ColorRole.Text, text_color)
            context.clip = clip
            document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        line = option.fontMetrics.height()
        hit = index.data(HIT_ROLE)
        if hit is None:
            return QSize(100, line + 2 * self.PADDING + 2)
        lines = self._snippet_lines(hit.snippet, option, self._text_width(index))
        return QSize(100, 2 * self.PADDING + line + 2 + lines * option.fontMetrics.lineSpacing())

    def _text_width(self, index: QModelIndex) -> int:
        # Report rows are indented once (their expand arrow), hits twice.
        levels = (1 if index.parent().isValid() else 0) + self._view.rootIsDecorated()
        return max(80, self._view.text_width() - levels * self._view.indentation()
                   - 2 * self.PADDING)

    def _snippet_lines(self, snippet: str, option: QStyleOptionViewItem, width: int) -> int:
        """How many lines the snippet takes at `width` (at most MAX_SNIPPET_LINES). Its
        few bold words are not measured: a line they push over is clipped, which a
        snippet cut at its last line does anyway."""
        key = (snippet, width, option.font.key())
        lines = self._lines.get(key)
        if lines is None:
            if len(self._lines) >= self.CACHE_SIZE:
                self._lines.clear()
            metrics = option.fontMetrics
            wrapped = metrics.boundingRect(QRect(0, 0, width, 1 << 20),
                                           Qt.TextFlag.TextWordWrap, snippet_text(snippet))
            lines = max(1, min(MAX_SNIPPET_LINES, round(wrapped.height() / metrics.lineSpacing())))
            self._lines[key] = lines
        return lines

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


def _bold(font: QFont, weight: QFont.Weight = QFont.Weight.Bold) -> QFont:
    bold = QFont(font)
    bold.setWeight(weight)
    return bold


class SearchResultsView(QTreeView):
    """Rows of wrapped snippets are as tall as the width allows: lay out again when the
    width for text changes. More results come in when scrolled to the end."""

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
        self._connect_signals()

    def _connect_signals(self) -> None:
        bar = self.verticalScrollBar()
        # Queued: the range changes while the view lays out, when the model must not change.
        bar.valueChanged.connect(self._on_scroll_bar_changed, Qt.ConnectionType.QueuedConnection)
        bar.rangeChanged.connect(self._on_scroll_bar_changed, Qt.ConnectionType.QueuedConnection)

    def text_width(self) -> int:
        """The viewport's width less the vertical scroll bar's, shown or not. The bar comes
        and goes as results change; were the text wrapped to the viewport, each coming or
        going would lay out every row again."""
        width = self.viewport().width()
        bar = self.verticalScrollBar()
        style = self.style()
        if (not bar.isVisibleTo(self)
                and not style.styleHint(QStyle.StyleHint.SH_ScrollBar_Transient, None, bar)):
            width -= style.pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, bar)
        return width

    @Slot()
    def _on_scroll_bar_changed(self) -> None:
        """The last row in view: the next results, if the model has more. (Not the bar at its
        maximum: scrolling to the last row by keyboard can stop a pixel short of it.)"""
        model = self.model()
        if not isinstance(model, SearchResultsModel) or not model.rowCount():
            return
        last = model.index(model.rowCount() - 1, 0)
        if self.isExpanded(last) and model.rowCount(last):
            last = model.index(model.rowCount(last) - 1, 0, last)
        if self.visualRect(last).top() < self.viewport().height():
            model.show_more()

    def rowsInserted(self, parent: QModelIndex, start: int, end: int) -> None:
        super().rowsInserted(parent, start, end)
        if not parent.isValid():        # reports shown on scrolling: open like the first
            for row in range(start, end + 1):
                self.expand(self.model().index(row, 0))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.text_width() != self._laid_out_width:
            self._laid_out_width = self.text_width()
            self.scheduleDelayedItemsLayout()
