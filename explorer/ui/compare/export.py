"""A comparison as a file: one standalone HTML page (an HTML table, the stylesheet inline, no
external resources) or a PDF for paper. Cells are the HTML the view shows, so the marks
(shared terms, search hits, word diff) are kept; what only works on screen (the section
menu's mark) is dropped.

The PDF is painted page by page (QTextDocument's own printing splits table cells across
pages and never repeats a header): landscape, the reports' titles at the top of every page,
and a row always whole on one page unless it is taller than a page.

Files are written in the style's standard (light) palette: they are read on paper and in
browsers, whatever the window's theme.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QLocale, QMarginsF, QRectF, Qt
from PySide6.QtGui import (QFont, QImage, QPageLayout, QPageSize, QPainter, QPalette,
                           QPdfWriter, QTextDocument)
from PySide6.QtWidgets import QApplication

from ...core.rendering import escape
from ..styles import mix, muted_text
from .css import compare_css, legend_html
from .markup import printable
from .model import CompareModel

PAGE_CSS = """
body { font-family: sans-serif; }
table.comparison { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.comparison > thead > tr > th, table.comparison > tbody > tr > td {
    vertical-align: top; padding: 8px; }
th.row-label { text-align: left; font-weight: normal; font-style: italic; }
"""
# Paper is read closer than a screen: tighter lines fit more of a row on a page.
PRINT_CSS = """
p { line-height: 120%; margin-bottom: 6px; }
li { line-height: 120%; margin-bottom: 2px; }
"""
PDF_MARGIN_MM = 12
PDF_POINT_SIZE = 8.5     # small enough for five columns on a landscape page
# Documents are laid out in pixels of this density and the painter scales them onto the
# page, so a layout does not depend on the screen's density.
LAYOUT_DPI = 96
GAP = 10                 # between columns, and around a row's band and cells
FOOTER = 18              # the page number's line


def page_palette() -> QPalette:
    return QApplication.style().standardPalette()


def cell_html(model: CompareModel, row: int, column: int) -> str:
    return printable(model.html(row, column))


def row_label_html(model: CompareModel, row: int) -> str:
    """The row's subject and how well it matches, as the view's band says it."""
    label, how = model.summary(row)
    return f'<i>{escape(label)}</i> <span class="num">· {escape(how)}</span>'


def comparison_html(model: CompareModel, palette: QPalette) -> str:
    comparison = model.comparison
    columns = len(comparison.reports)
    width = f"{100 / max(columns, 1):.2f}%"
    head = "".join(f'<th width="{width}">{escape(r.title)}</th>' for r in comparison.reports)
    rows = []
    for r in range(len(comparison.rows)):
        rows.append(f'<tr><th class="row-label" colspan="{columns}">'
                    f"{row_label_html(model, r)}</th></tr>")
        cells = "".join(f'<td width="{width}">{cell_html(model, r, c)}</td>'
                        for c in range(columns))
        rows.append(f"<tr>{cells}</tr>")
    legend = legend_html(palette, model.word_diff_shown, model.searching)
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>Comparison of {columns} reports</title>"
            f"<style>{compare_css(palette)}{PAGE_CSS}</style></head><body>"
            f"<h1>Comparison of {columns} reports</h1><p>{legend}</p>"
            f'<table class="comparison"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></body></html>")


def write_html(path: Path, model: CompareModel) -> None:
    path.write_text(comparison_html(model, page_palette()), encoding="utf-8")


# -- PDF ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Slice:
    """The part of a row a page shows: from `top` (0: the row's start), `height` of it."""
    row: int
    top: float
    height: float


def plan_pages(heights: list[float], room: float, first_room: float) -> list[list[Slice]]:
    """Rows onto pages in order, each row whole on the page where it fits or else on the
    next one; only a row taller than a page (`room`) is cut, in page-sized parts. The
    first page has `first_room` (the title and the legend take the rest)."""
    pages: list[list[Slice]] = [[]]
    left = first_room
    for row, height in enumerate(heights):
        # On the next page it fits whole (or, too tall for any page, it starts a page).
        if height > left and (pages[-1] or left < room):
            pages.append([])
            left = room
        top = 0.0
        while height - top > left:
            pages[-1].append(Slice(row, top, left))
            top += left
            pages.append([])
            left = room
        pages[-1].append(Slice(row, top, height - top))
        left -= height - top
    return pages


def page_layout() -> QPageLayout:
    """Landscape, on the paper of the user's region (Letter in the US, else A4)."""
    letter = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    size = QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)
    return QPageLayout(size, QPageLayout.Orientation.Landscape,
                       QMarginsF(*[PDF_MARGIN_MM] * 4), QPageLayout.Unit.Millimeter)


class PdfPages:
    """A comparison laid out on pages: every cell's document at its column's width, the
    rows' heights, and which rows (or parts of a too-tall row) each page holds."""

    def __init__(self, model: CompareModel, layout: QPageLayout):
        self._palette = page_palette()
        self._css = compare_css(self._palette) + PAGE_CSS + PRINT_CSS
        text = self._palette.color(QPalette.ColorRole.Text)
        base = self._palette.color(QPalette.ColorRole.Base)
        self._rule, self._band = mix(text, base, 0.25), mix(text, base, 0.06)
        self._font = QFont("sans-serif")
        self._font.setPointSizeF(PDF_POINT_SIZE)
        # The documents' paint device: fixes the density their points become pixels at.
        self._device = QImage(1, 1, QImage.Format.Format_RGB32)
        self._device.setDotsPerMeterX(round(LAYOUT_DPI / 0.0254))
        self._device.setDotsPerMeterY(round(LAYOUT_DPI / 0.0254))
        page = layout.paintRect(QPageLayout.Unit.Point)
        self.width = page.width() * LAYOUT_DPI / 72
        self.height = page.height() * LAYOUT_DPI / 72
        comparison = model.comparison
        columns = max(len(comparison.reports), 1)
        self.column_width = (self.width - GAP * (columns - 1)) / columns

        self.title = self._document(
            f"<h2>Comparison of {len(comparison.reports)} reports</h2>"
            f"<p>{legend_html(self._palette, model.word_diff_shown, model.searching)}</p>",
            self.width)
        self.heads = [self._document(f"<b>{escape(r.title)}</b>", self.column_width)
                      for r in comparison.reports]
        self.head_height = max((d.size().height() for d in self.heads), default=0) + GAP
        self.bands = [self._document(row_label_html(model, r), self.width - 2 * GAP)
                      for r in range(len(comparison.rows))]
        self.cells = [[self._document(cell_html(model, r, c), self.column_width)
                       for c in range(len(comparison.reports))]
                      for r in range(len(comparison.rows))]
        self.band_heights = [d.size().height() + GAP for d in self.bands]
        self.row_heights = [self.band_heights[r] + GAP
                            + max((d.size().height() for d in self.cells[r]), default=0)
                            for r in range(len(comparison.rows))]
        room = self.height - self.head_height - FOOTER
        self.pages = plan_pages(self.row_heights, room, room - self.title.size().height())

    def _document(self, html: str, width: float) -> QTextDocument:
        document = QTextDocument()
        document.documentLayout().setPaintDevice(self._device)
        document.setDefaultFont(self._font)
        document.setDefaultStyleSheet(self._css)
        document.setDocumentMargin(0)
        document.setHtml(html)
        document.setTextWidth(width)
        return document

    # -- painting ---------------------------------------------------------------------------
    def paint(self, writer: QPdfWriter) -> None:
        painter = QPainter(writer)
        scale = writer.resolution() / LAYOUT_DPI
        painter.scale(scale, scale)
        for number in range(len(self.pages)):
            if number:
                writer.newPage()
            self.paint_page(painter, number)
        painter.end()

    def paint_page(self, painter: QPainter, number: int) -> None:
        """One page, on a painter in layout pixels with its origin at the page's margins."""
        y = 0.0
        if number == 0:
            self.title.drawContents(painter)
            y = self.title.size().height()
        y = self._paint_heads(painter, y)
        for part in self.pages[number]:
            y = self._paint_slice(painter, part, y)
        self._paint_footer(painter, f"{number + 1} / {len(self.pages)}")

    def _paint_heads(self, painter: QPainter, y: float) -> float:
        for column, document in enumerate(self.heads):
            self._draw(painter, document, self._x(column), y, 0, document.size().height())
        y += self.head_height
        painter.setPen(self._rule)
        painter.drawLine(0, y - GAP / 2, self.width, y - GAP / 2)
        return y

    def _paint_slice(self, painter: QPainter, part: Slice, y: float) -> float:
        """Draw a row, or the part of a too-tall row this page shows; the next row's y."""
        band = self.band_heights[part.row]
        if part.top == 0:       # the band opens the row
            painter.fillRect(QRectF(0, y, self.width, band), self._band)
            self._draw(painter, self.bands[part.row], GAP, y + GAP / 2, 0, band)
        # The cells' part, in cell coordinates: the row's first `band + GAP` are the band.
        cells_top = max(part.top - band - GAP, 0.0)
        cells_y = y + max(band + GAP - part.top, 0.0)
        cells_height = part.height - (cells_y - y)
        for column, document in enumerate(self.cells[part.row]):
            self._draw(painter, document, self._x(column), cells_y, cells_top, cells_height)
        y += part.height
        painter.setPen(self._rule)
        painter.drawLine(0, y, self.width, y)
        return y

    def _paint_footer(self, painter: QPainter, text: str) -> None:
        painter.setFont(self._footer_font())
        painter.setPen(muted_text(self._palette))
        painter.drawText(QRectF(0, self.height - FOOTER, self.width, FOOTER),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, text)

    def _footer_font(self) -> QFont:
        font = QFont(self._font)
        # QPainter's fonts follow the device's density: size it in layout pixels.
        font.setPixelSize(round(PDF_POINT_SIZE * LAYOUT_DPI / 72))
        return font

    def _x(self, column: int) -> float:
        return column * (self.column_width + GAP)

    @staticmethod
    def _draw(painter: QPainter, document: QTextDocument, x: float, y: float, top: float,
              height: float) -> None:
        """Draw `height` of the document from its `top` at (x, y)."""
        if height <= 0:
            return
        painter.save()
        painter.translate(x, y - top)
        document.drawContents(painter, QRectF(0, top, document.textWidth(), height))
        painter.restore()


def write_pdf(path: Path, model: CompareModel) -> None:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(page_layout())
    writer.setTitle("Report comparison")
    PdfPages(model, writer.pageLayout()).paint(writer)
    del writer                      # ends the PDF: flushes it into the buffer
    # Written by Python, so a folder that cannot be written raises OSError like the HTML.
    path.write_bytes(bytes(buffer.data()))
