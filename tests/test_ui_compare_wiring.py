"""The comparison view and the topic map wired into the main window (issue 6): opening them
from the list, the reader, a search hit and the topic map; the reader from a comparison;
export; a library switch."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QFileDialog

from explorer.ui.compare import CompareClient, CompareView, TopicMapView
from explorer.ui.compare.column import min_column_width
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import Settings
from ui_helpers import *  # noqa: F401,F403 - fixtures and helpers
from ui_helpers import SEEDS, WAIT_MS, copy_seeds, run_search, wait_indexed

A, B, C, D, E = (p.stem for p in sorted(SEEDS.glob("*.txt")))


def _select(win: MainWindow, *ids: str) -> None:
    selection = win.reports.view.selectionModel()
    flags = (QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    selection.clearSelection()
    for report_id in ids:
        selection.select(win.reports._proxy_index(report_id), flags)
    assert sorted(win.reports.selected_ids()) == sorted(ids)      # in the list's order


def _answered(qtbot, view: CompareView) -> CompareView:
    qtbot.waitUntil(lambda: view.model.comparison is not None, timeout=WAIT_MS)
    qtbot.wait(10)
    return view


def _current_comparison(qtbot, win: MainWindow) -> CompareView:
    view = win.tabs.currentWidget()
    assert isinstance(view, CompareView)
    return _answered(qtbot, view)


def _sections(view: CompareView, row: int) -> dict[str, int | None]:
    cells = (view.model.cell(row, c) for c in range(view.model.columnCount()))
    return {cell.report: cell.section for cell in cells}


def _open_at(qtbot, win: MainWindow, report_id: str, section: int) -> None:
    win.open_report(report_id, section)
    qtbot.waitUntil(lambda: win.reader.report_id == report_id
                    and win.reader.section == section, timeout=WAIT_MS)


def test_the_reader_is_the_first_tab_and_cannot_be_closed(window):
    assert window.centralWidget() is window.tabs
    assert window.tabs.widget(0) is window.reader
    window.tabs.tabCloseRequested.emit(0)
    assert window.tabs.widget(0) is window.reader
    assert not window.actions["export-comparison"].isEnabled()


def test_the_comparison_worker_starts_on_the_first_comparison_and_serves_the_next(qtbot,
                                                                                  window):
    # It reads and aligns the whole library: not for a user who never compares.
    assert window.compare_client is None
    assert not window.findChildren(CompareClient)
    window.actions["topic-map"].trigger()
    client = window.compare_client
    assert isinstance(client, CompareClient) and client._thread.isRunning()
    topic_map = window.tabs.currentWidget()
    qtbot.waitUntil(lambda: topic_map.topic_model.rowCount() > 0, timeout=WAIT_MS)
    _select(window, A, C)
    window.actions["compare"].trigger()
    view = _current_comparison(qtbot, window)
    assert window.compare_client is client and window.findChildren(CompareClient) == [client]
    assert _sections(view, view.model.comparison.row_containing(A, 1)) == {A: 1, C: 2}


def test_a_library_update_refreshes_a_started_comparison_worker(qtbot, window, library):
    _select(window, A, C)
    window.actions["compare"].trigger()
    _current_comparison(qtbot, window)
    client = window.compare_client
    qtbot.waitUntil(lambda: len(client.reports) == 5, timeout=WAIT_MS)
    (library / "new.md").write_text("# A brand new report\n\n## 1. Fresh\nNew words.\n")
    qtbot.waitUntil(lambda: len(client.reports) == 6, timeout=WAIT_MS)


def test_ctrl_d_with_two_reports_selected_lines_up_their_multimodal_sections(qtbot, window):
    _select(window, A, C)
    window.activateWindow()
    window.reports.view.setFocus()
    qtbot.keyClick(window.reports.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.count() == 2
    view = _current_comparison(qtbot, window)
    assert sorted(view.report_ids) == [A, C]
    assert _sections(view, view.model.comparison.row_containing(A, 1)) == {A: 1, C: 2}
    qtbot.waitUntil(lambda: window.tabs.tabText(1) == "Compare 2 Reports", timeout=WAIT_MS)
    assert window.actions["export-comparison"].isEnabled()
    window.tabs.tabCloseRequested.emit(1)
    assert window.tabs.count() == 1


def test_the_lists_compare_item_needs_the_selection(qtbot, window):
    _select(window, A, B, D)
    menu = window.reports.context_menu(window.reports._proxy_index(A))
    compare = next(a for a in menu.actions() if a.text() == "Compare Selected Reports")
    compare.trigger()
    view = _current_comparison(qtbot, window)
    assert sorted(view.report_ids) == [A, B, D]


def test_compare_this_section_from_the_reader_anchors_on_that_section(qtbot, window):
    _open_at(qtbot, window, C, 2)
    window.actions["compare-section"].trigger()
    view = _current_comparison(qtbot, window)
    assert view.reference == C
    assert view.report_ids[0] == C and set(view.report_ids) == {A, B, C, D, E}
    assert view.model.cell(view.current_row(), 0).section == 2
    qtbot.waitUntil(lambda: window.tabs.tabText(1) == "Compare: Multimodal Learning",
                    timeout=WAIT_MS)


def test_ctrl_d_with_one_report_says_how_to_choose_reports(qtbot, window):
    _open_at(qtbot, window, C, 2)
    _select(window, C)
    assert window.actions["compare"].text() == "&Compare Selected Reports"
    window.actions["compare"].trigger()
    assert window.tabs.count() == 1                  # nothing compared behind the user's back
    assert "Select two or more reports" in window.status.currentMessage()
    _select(window, A, C, D)
    assert window.actions["compare"].text() == "&Compare 3 Selected Reports"


def test_the_compare_menu_has_one_command_for_each_thing(window):
    menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&Compare")
    names = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert names == ["&Compare Selected Reports", "Compare This &Section Across Reports",
                     "&Topic Map", "C&onsensus", "&Export Comparison…"]
    assert window.actions["compare-section"].shortcut().toString() == "Ctrl+Shift+D"


def test_a_search_hit_compares_its_section_with_the_search_terms_marked(qtbot, window):
    run_search(qtbot, window, "multimodal")
    model = window.search.model
    hit = model.index(0, 0, model.index(0, 0))
    window.search.view.setCurrentIndex(hit)
    report_id, section = window.search.current_hit()
    assert window.actions["compare-hit"] in window.search.view.actions()
    window.actions["compare-hit"].trigger()
    view = _current_comparison(qtbot, window)
    assert view.reference == report_id
    assert view.model.cell(view.current_row(), 0).section == section
    assert view.model._search == frozenset(window.search.terms()) != frozenset()


def test_the_topic_map_opens_once_and_a_row_opens_a_comparison(qtbot, window):
    view_menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&View")
    assert window.actions["topic-map"] in view_menu.actions()
    window.actions["topic-map"].trigger()
    topic_map = window.tabs.currentWidget()
    assert isinstance(topic_map, TopicMapView) and window.tabs.tabText(1) == "Topic Map"
    window.tabs.setCurrentIndex(0)
    window.actions["topic-map"].trigger()
    assert window.tabs.currentWidget() is topic_map and window.tabs.count() == 2

    qtbot.waitUntil(lambda: topic_map.topic_model.rowCount() > 0, timeout=WAIT_MS)
    header = topic_map.verticalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(10, header.sectionViewportPosition(0) + 5))
    assert window.tabs.count() == 3
    view = _current_comparison(qtbot, window)
    topic = topic_map.topic_model.topic(0)
    assert set(view.report_ids) == {s.report for s in topic.sections}
    assert view.model.cell(view.current_row(), 0).section is not None


def test_open_in_reader_shows_the_reader_at_that_section(qtbot, window):
    _open_at(qtbot, window, A, 1)
    _select(window, A, C)
    window.actions["compare"].trigger()
    view = _current_comparison(qtbot, window)
    view.open_in_reader.emit(C, 2)
    assert window.tabs.currentWidget() is window.reader
    qtbot.waitUntil(lambda: window.reader.report_id == C and window.reader.section == 2,
                    timeout=WAIT_MS)


def test_export_writes_an_html_file(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "out" / "comparison"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(target), "HTML (*.html *.htm)")))
    _select(window, A, C)
    window.actions["compare"].trigger()
    _current_comparison(qtbot, window)
    window.actions["export-comparison"].trigger()
    written = Path(f"{target}.html")
    assert written.is_file()
    assert "Multimodal" in written.read_text(encoding="utf-8")
    assert window.status.currentMessage() == f"Exported to {written}"
    assert Settings().value("compare/export_dir") == str(written.parent)     # remembered


def test_another_library_closes_the_comparisons_and_gets_its_own_worker(qtbot, window, tmp_path):
    _select(window, A, C)
    window.actions["compare"].trigger()
    window.actions["topic-map"].trigger()
    first = window.compare_client
    window.open_library(copy_seeds(tmp_path / "other"), str(tmp_path / "index-other"))
    assert window.tabs.count() == 1 and window.topic_map is None
    assert window.compare_client is not first and not first._thread.isRunning()
    wait_indexed(qtbot, window)
    window.actions["topic-map"].trigger()
    assert window.tabs.count() == 2


def test_the_same_comparison_again_goes_to_its_tab(qtbot, window):
    _select(window, A, C)
    window.actions["compare"].trigger()
    first = _current_comparison(qtbot, window)
    window.tabs.setCurrentIndex(0)
    _select(window, C, A)
    window.actions["compare"].trigger()
    assert window.tabs.count() == 2 and window.tabs.currentWidget() is first
    _open_at(qtbot, window, C, 2)
    window.actions["compare-section"].trigger()
    pinned = _current_comparison(qtbot, window)
    _open_at(qtbot, window, C, 3)
    window.actions["compare-section"].trigger()
    assert window.tabs.count() == 3 and window.tabs.currentWidget() is pinned
    qtbot.waitUntil(lambda: pinned.model.cell(pinned.current_row(), 0).section == 3,
                    timeout=WAIT_MS)


def test_close_other_tabs_keeps_the_reader_and_that_tab(qtbot, window):
    _select(window, A, C)
    window.actions["compare"].trigger()
    _select(window, A, B, D)
    window.actions["compare"].trigger()
    kept = _current_comparison(qtbot, window)
    window.actions["topic-map"].trigger()
    assert window.tabs.count() == 4
    window._close_other_tabs(kept)
    assert [window.tabs.widget(i) for i in range(window.tabs.count())] == [window.reader, kept]
    assert window.topic_map is None
    window._close_other_tabs(window.reader)
    assert window.tabs.count() == 1


def test_clearing_the_search_unmarks_open_comparisons(qtbot, window):
    _select(window, A, C)
    window.actions["compare"].trigger()
    view = _current_comparison(qtbot, window)
    run_search(qtbot, window, "multimodal")
    qtbot.waitUntil(lambda: bool(view.model._search), timeout=WAIT_MS)
    window.search.edit.clear()
    assert view.model._search == frozenset()
    row = view.model.comparison.row_containing(A, 1)
    assert 'class="search"' not in view.model.html(row, 0)


# -- layout, zoom and keys in the window (issue 17, item 10) --------------------------------
def _five_columns(qtbot, win: MainWindow, size: tuple[int, int]) -> CompareView:
    win.resize(*size)
    view = _answered(qtbot, win.compare_reports([A, B, C, D, E]))
    qtbot.waitUntil(lambda: view.delegate.text_width > 0, timeout=WAIT_MS)
    return view


def test_five_columns_share_the_width_down_to_a_readable_minimum_then_scroll(qtbot, window):
    view = _five_columns(qtbot, window, (1400, 900))        # the default window size
    minimum = min_column_width(view.delegate.font)
    widths = [c.width() for c in view.columns]
    sideways = view.panel.scroll_area.horizontalScrollBar()
    assert sideways.maximum() == 0 and max(widths) - min(widths) <= 1
    assert min(widths) >= minimum
    assert sum(widths) >= view.panel.scroll_area.viewport().width() - 5 * 2    # fills it

    window.resize(900, 600)
    qtbot.waitUntil(lambda: sideways.maximum() > 0, timeout=WAIT_MS)
    assert [c.width() for c in view.columns] == [minimum] * 5
    # Scrolled sideways, the rows' subjects move to the leftmost column in sight.
    sideways.setValue(sideways.maximum())
    assert view.delegate.label_column > 0


def test_alt_down_and_f7_move_through_a_comparisons_rows(qtbot, window):
    view = _five_columns(qtbot, window, (1400, 900))
    first = view.columns[0].view
    first.setFocus()
    view.panel.go_to_row(0)
    qtbot.keyClick(first, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(first, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert view.current_row() == 2 and view.top_row() == 2
    qtbot.keyClick(first, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert view.current_row() == 1
    differing = [r for r in range(view.model.rowCount()) if view.model.differs(r)]
    after = [r for r in differing if r > 1]
    qtbot.keyClick(first, Qt.Key.Key_F7)
    qtbot.keyClick(first, Qt.Key.Key_F7)
    assert view.current_row() == after[1] and view.top_row() == after[1]
    qtbot.keyClick(first, Qt.Key.Key_F7, Qt.KeyboardModifier.ShiftModifier)
    assert view.current_row() == after[0]
    # In the reader the difference commands have nothing to act on.
    window.tabs.setCurrentWidget(window.reader)
    assert not window.actions["next-difference"].isEnabled()


def test_zoom_acts_on_the_current_tab_and_is_remembered(qtbot, window, make_window, library):
    view = _five_columns(qtbot, window, (1400, 900))
    window.actions["zoom-in"].trigger()
    window.actions["zoom-in"].trigger()
    assert view.zoom == 2 and window.reader.zoom == 0
    assert window.settings.value("compare/zoom") == 2
    window.tabs.setCurrentWidget(window.reader)
    window.actions["zoom-out"].trigger()
    assert window.reader.zoom == -1 and view.zoom == 2
    again = make_window(library)
    assert _five_columns(qtbot, again, (1400, 900)).zoom == 2
    again.actions["zoom-reset"].trigger()
    assert again.settings.value("compare/zoom") == 0


def test_the_topic_map_follows_the_search(qtbot, window):
    run_search(qtbot, window, "multimodal")
    window.actions["topic-map"].trigger()
    topic_map = window.tabs.currentWidget()
    assert topic_map.topic_model.searching                 # opened after the search
    window.search.edit.clear()
    assert not topic_map.topic_model.searching
    run_search(qtbot, window, "regulatory")
    assert topic_map.topic_model.searching
