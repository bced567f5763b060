"""The comparison's tools: the Add Report picker, the PDF export's pages, the export dialogs'
remembered folder, and the topic map's legend and search marks (issue 17, items 13, 15, 17)."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QFileDialog

from explorer.core.analysis import terms
from explorer.ui.compare import export, markup
from explorer.ui.compare.export import PdfPages, Slice, plan_pages
from explorer.ui.compare.picker import DETAILS_ROLE
from explorer.ui.compare.topic_map import SECTION_ROLE
from explorer.ui.settings import Settings
from test_ui_compare import (WAIT_MS, A, B, C, COOKING, D, E, answered,  # noqa: F401
                             client, library, make_view, offered, topic_map)


# -- the Add Report picker ----------------------------------------------------------------
def test_the_picker_offers_only_reports_not_shown_and_filters_as_you_type(qtbot, make_view):
    view = make_view()
    answered(qtbot, view, view.open_reports, [A, C])
    view.add_button.click()
    picker = view.picker
    assert picker.isVisible() and picker.focusWidget() is picker.filter_edit
    assert sorted(offered(picker)) == sorted([B, D, E, COOKING])
    # Each entry says its file and date under the title (same titles differ there).
    first = picker.proxy.index(0, 0)
    assert re.fullmatch(r".+\.(txt|md) · \d\d \w{3} \d{4}", first.data(DETAILS_ROLE))

    qtbot.keyClicks(picker.filter_edit, "kitchen")            # a word of a title
    assert offered(picker) == [COOKING]
    picker.filter_edit.clear()
    qtbot.keyClicks(picker.filter_edit, "llms report")         # words in any order
    assert set(offered(picker)) == {B, D, E}
    picker.filter_edit.clear()
    qtbot.keyClicks(picker.filter_edit, "no such words")
    assert offered(picker) == [] and picker.empty_label.text() == "No report matches"


def test_the_picker_adds_by_keyboard_and_closes_on_escape(qtbot, make_view):
    view = make_view()
    answered(qtbot, view, view.open_reports, [A, C])
    view.add_button.click()
    picker = view.picker
    qtbot.keyClicks(picker.filter_edit, "advancements")
    matches = offered(picker)
    assert len(matches) >= 2
    qtbot.keyClick(picker.filter_edit, Qt.Key.Key_Down)        # the second match
    answered(qtbot, view, qtbot.keyClick, picker.filter_edit, Qt.Key.Key_Return)
    assert view.report_ids == (A, C, matches[1]) and not picker.isVisible()

    view.add_button.click()                                    # opens clean, without it
    assert picker.filter_edit.text() == "" and matches[1] not in offered(picker)
    qtbot.keyClick(picker.filter_edit, Qt.Key.Key_Escape)
    assert not picker.isVisible() and view.report_ids == (A, C, matches[1])


# -- the PDF --------------------------------------------------------------------------------
def test_pages_take_whole_rows_and_cut_only_a_row_taller_than_a_page():
    pages = plan_pages([100, 300, 250, 900], room=500, first_room=400)
    assert pages == [[Slice(0, 0, 100), Slice(1, 0, 300)], [Slice(2, 0, 250)],
                     [Slice(3, 0, 500)], [Slice(3, 500, 400)]]
    # A row that does not fit the shorter first page goes whole onto the second.
    assert plan_pages([450], room=500, first_room=400) == [[], [Slice(0, 0, 450)]]


def _page_image(pages: PdfPages, number: int) -> QImage:
    image = QImage(int(pages.width), int(pages.height), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    pages.paint_page(painter, number)
    painter.end()
    return image


def test_the_pdf_is_landscape_with_whole_rows_and_the_titles_on_every_page(qtbot, make_view,
                                                                           tmp_path):
    view = make_view()
    answered(qtbot, view, view.open_reports, [A, C])
    assert view.print_to_pdf(tmp_path / "c.pdf")
    pdf = (tmp_path / "c.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    pages = PdfPages(view.model, export.page_layout())
    assert len(boxes) == len(pages.pages) == len(re.findall(rb"/Type /Page\b", pdf))
    assert all(float(w) > float(h) for w, h in boxes)            # landscape
    # Rows share pages; a row is on one page unless taller than a page.
    assert 3 <= len(pages.pages) < len(pages.row_heights)
    room = pages.height - pages.head_height - export.FOOTER
    for row, height in enumerate(pages.row_heights):
        parts = [s for page in pages.pages for s in page if s.row == row]
        assert len(parts) == 1 or height > room
    # Every page starts with the reports' titles: the same pixels at the top of each page.
    heads = [_page_image(pages, n).copy(0, 0, int(pages.width), int(pages.head_height))
             for n in (1, 2)]
    assert heads[0] == heads[1] and heads[0] != _blank(heads[0])


def _blank(like: QImage) -> QImage:
    image = QImage(like.size(), like.format())
    image.fill(QColor("white"))
    return image


def test_exports_leave_out_the_menu_mark(qtbot, make_view, tmp_path):
    view = make_view()
    answered(qtbot, view, view.open_reports, [A, C])
    assert markup.MENU_MARK in view.model.html(0, 1)               # on screen it is there
    cells = [export.cell_html(view.model, r, c) for r in range(view.model.rowCount())
             for c in range(2)]
    assert not any(markup.MENU_MARK in html for html in cells)
    assert view.export_html(tmp_path / "c.html")
    assert markup.MENU_MARK not in (tmp_path / "c.html").read_text(encoding="utf-8")


# -- the export dialogs ---------------------------------------------------------------------
def test_export_dialogs_start_in_the_last_export_folder_and_remember_the_new_one(
        qtbot, make_view, tmp_path, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    Settings().set_value("compare/export_dir", str(first))
    asked = []

    def save_as(parent, caption, start, filters):
        asked.append((start, filters))
        return str(second / "mine"), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))

    view = make_view()
    answered(qtbot, view, view.open_reports, [A, C])
    view.export_pdf_action.trigger()
    assert Path(asked[0][0]).parent == first and asked[0][0].endswith(".pdf")
    assert (second / "mine.pdf").read_bytes().startswith(b"%PDF")
    assert Settings().value("compare/export_dir") == str(second)

    view.export_html_action.trigger()
    assert Path(asked[1][0]).parent == second and asked[1][0].endswith(".html")
    assert (second / "mine.html").is_file()


def test_a_cancelled_export_dialog_writes_and_remembers_nothing(qtbot, make_view, tmp_path,
                                                                 monkeypatch):
    Settings().set_value("compare/export_dir", str(tmp_path))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: ("", "")))
    view = make_view()
    answered(qtbot, view, view.open_reports, [A, C])
    view.export_html_action.trigger()
    assert Settings().value("compare/export_dir") == str(tmp_path)
    assert list(tmp_path.glob("*.html")) == []


# -- the topic map ------------------------------------------------------------------------
def marked(topic_map) -> list[tuple[str, int]]:
    """The sections the topic map marks as holding the search words."""
    model = topic_map.topic_model
    return [model.index(r, c).data(SECTION_ROLE) for r in range(model.rowCount())
            for c in range(model.columnCount())
            if (font := model.index(r, c).data(Qt.ItemDataRole.FontRole)) and font.bold()]


def legend_text(topic_map) -> str:
    return re.sub(r"<[^>]+>|&nbsp;", " ", topic_map.legend_label.text())


def test_the_topic_map_has_a_legend_for_its_shading(topic_map):
    legend = topic_map.legend_label
    text = legend_text(topic_map)
    for words in ("close", "related", "weak", "Italic topic: one report alone"):
        assert words in text
    assert "search" not in text
    # Under the table, in sight, not over its rows.
    assert legend.isVisible() and legend.height() > 0
    assert legend.geometry().top() > topic_map.viewport().geometry().bottom()


def test_the_topic_map_marks_the_sections_holding_the_search_words(qtbot, topic_map):
    topic_map.set_search_terms(tuple(terms("sourdough bread")))
    qtbot.waitUntil(lambda: marked(topic_map) == [(COOKING, 1)], timeout=WAIT_MS)
    assert "holds the search words" in legend_text(topic_map)
    topic_map.set_search_terms(tuple(terms("multimodal")))
    assert set(marked(topic_map)) >= {(A, 1), (C, 2)}
    assert all(report != COOKING for report, _ in marked(topic_map))
    topic_map.set_search_terms(())
    assert marked(topic_map) == [] and "search" not in legend_text(topic_map)
