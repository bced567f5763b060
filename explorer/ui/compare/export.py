"""A comparison as a file: one standalone HTML page (an HTML table, the stylesheet inline, no
external resources) or a PDF of the same page. Cells are the HTML the view shows, so the
marks (shared terms, search hits, word diff) are kept.

Files are written in the style's standard (light) palette: they are read on paper and in
browsers, whatever the window's theme.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPalette, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from ...core.rendering import escape
from .css import compare_css, legend_html
from .model import CompareModel

PAGE_CSS = """
body { font-family: sans-serif; }
table.comparison { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.comparison > thead > tr > th, table.comparison > tbody > tr > td {
    vertical-align: top; padding: 8px; }
th.row-label { text-align: left; font-weight: normal; font-style: italic; }
"""
PDF_MARGIN_MM = 10


def page_palette() -> QPalette:
    return QApplication.style().standardPalette()


def comparison_html(model: CompareModel, palette: QPalette) -> str:
    comparison = model.comparison
    columns = len(comparison.reports)
    width = f"{100 / max(columns, 1):.2f}%"
    head = "".join(f'<th width="{width}">{escape(r.title)}</th>' for r in comparison.reports)
    rows = []
    for r, row in enumerate(comparison.rows):
        rows.append(f'<tr><th class="row-label" colspan="{columns}">{escape(row.label)}</th></tr>')
        cells = "".join(f'<td width="{width}">{model.html(r, c)}</td>' for c in range(columns))
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


def write_pdf(path: Path, model: CompareModel) -> None:
    """The same page, landscape, through Qt's PDF writer (QtGui: no print support needed)."""
    palette = page_palette()
    document = QTextDocument()
    document.setDefaultStyleSheet(compare_css(palette) + PAGE_CSS)
    document.setHtml(comparison_html(model, palette))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Landscape,
                                     QMarginsF(*[PDF_MARGIN_MM] * 4), QPageLayout.Unit.Millimeter))
    writer.setTitle("Report comparison")
    document.print_(writer)
    del writer                      # ends the PDF: flushes it into the buffer
    # Written by Python, so a folder that cannot be written raises OSError like the HTML.
    path.write_bytes(bytes(buffer.data()))
