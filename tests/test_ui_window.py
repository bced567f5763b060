"""The main window on a copy of the bundled reports: list, reader, library, settings."""
from __future__ import annotations

import gc
import time

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication, QTextDocument

from explorer.core import index as index_module
from explorer.core import locations
from explorer.ui import main_window as main_window_module
from explorer.ui import reader as reader_module
from explorer.ui import watcher as watcher_module
from explorer.ui.main_window import MainWindow
from explorer.ui.report_list import ID_ROLE, ReportListPane
from explorer.ui.settings import Settings
from ui_helpers import *  # noqa: F401,F403 - fixtures and helpers
from ui_helpers import WAIT_MS, copy_seeds, wait_indexed

BAD_FILE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def _row_ids(win: MainWindow) -> list[str]:
    proxy = win.reports.proxy
    return [proxy.index(row, 0).data(ID_ROLE) for row in range(proxy.rowCount())]


def _click_report(qtbot, win: MainWindow, report_id: str) -> None:
    row = _row_ids(win).index(report_id)
    view = win.reports.view
    rect = view.visualRect(win.reports.proxy.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_window_opens_the_library_and_its_first_report(window):
    assert window.reports.model.rowCount() == 5
    assert window.reader.loaded is not None
    assert window.reader.loaded.report.id == _row_ids(window)[0]
    assert window.status.counts_label.text() == "5 reports, 50 sections"
    assert window.status.index_label.text() == "Index up to date"
    assert window.status.library_label.text() == "library"
    assert str(locations.last_library()) == window.state.library


def test_opening_a_library_freezes_what_is_alive(window):
    # The window, its modules and the catalog: out of the GUI-thread collector's sight.
    assert not any(o is window for o in gc.get_objects()) and gc.get_freeze_count() > 0


def test_filter_box_filters_titles_and_file_names_as_you_type(qtbot, window):
    window.focus_report_filter()
    qtbot.keyClicks(window.reports.filter_edit, "CURRENT")
    assert _row_ids(window) == ["004_c0883d91efe67c0f"]
    window.reports.filter_edit.clear()
    qtbot.keyClicks(window.reports.filter_edit, "003_8")
    assert _row_ids(window) == ["003_816329a17110c37e"]
    window.reports.filter_edit.clear()
    qtbot.keyClicks(window.reports.filter_edit, "no such report")
    assert _row_ids(window) == []
    assert window.reports.empty_label.isVisible()
    window.reports.filter_edit.clear()
    assert len(_row_ids(window)) == 5


def test_sorting_by_name_and_date(qtbot, window):
    window.reports.sort_menu.actions()[1].trigger()          # by file name
    assert _row_ids(window) == sorted(_row_ids(window))
    assert window.settings.value("reports/sort") == "name"
    window.reports.sort_menu.actions()[2].trigger()          # by date, newest first
    mtimes = [window.reports.model.report(window.reports.model.row_of(i)).mtime
              for i in _row_ids(window)]
    assert mtimes == sorted(mtimes, reverse=True)


def test_selecting_a_report_shows_its_title_and_sections(qtbot, window):
    _click_report(qtbot, window, "000_69796a1aaad12780")
    qtbot.waitUntil(lambda: window.reader.report_id == "000_69796a1aaad12780", timeout=WAIT_MS)
    text = window.reader.browser.toPlainText()
    assert text.startswith("Comprehensive Report on Recent Advancements in AI LLMs")
    assert "Real-Time Translation Enhancements" in text
    assert window.reader.outline.rowCount() == 10
    assert window.reader.outline.index(6, 0).data() == "7. Real-Time Translation Enhancements"
    assert window.windowTitle() == "Comprehensive Report on Recent Advancements in AI LLMs"


def test_keyboard_moves_through_the_list_and_enter_reads(qtbot, window):
    first, second = _row_ids(window)[:2]
    window.reports.view.setFocus()
    qtbot.keyClick(window.reports.view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.reader.report_id == second, timeout=WAIT_MS)
    qtbot.keyClick(window.reports.view, Qt.Key.Key_Return)
    assert window.reader.browser.hasFocus()
    window.actions["previous-report"].trigger()
    qtbot.waitUntil(lambda: window.reader.report_id == first, timeout=WAIT_MS)


def test_outline_jumps_to_a_section_and_scrolling_tracks_it(qtbot, window):
    reader = window.reader
    view = reader.outline_view
    index = reader.outline.index(6, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())
    assert reader.section == 7
    bar = reader.browser.verticalScrollBar()
    assert bar.value() > 0
    with qtbot.waitSignal(reader.section_changed, timeout=WAIT_MS):
        bar.setValue(0)                                      # as the user scrolls back up
    assert reader.section == 1
    assert view.currentIndex().row() == 0
    window.actions["next-section"].trigger()
    assert reader.section == 2


def test_links_open_outside_only_when_clicked_and_nothing_outside_loads(qtbot, window,
                                                                         monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(reader_module.QDesktopServices, "openUrl", opened.append)
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the reader")
    document = window.reader.browser.document()
    for url in ("https://example.com/a.png", secret.as_uri(), str(secret)):
        loaded = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(url))
        assert not loaded, url                               # Qt's own file fallback included
    assert opened == []
    window.reader.browser.anchorClicked.emit(QUrl("https://example.com/"))
    assert opened == [QUrl("https://example.com/")]


RICH = """# Rich report

An image ![a chart](https://example.com/chart.png), a [link](https://example.com), `code`.

## 1. Table

| Model | Score |
|-------|------:|
| GPT-5 | 92.1 |

## 2. Code

```python
print("hello")
```
"""


def test_a_rich_report_renders_without_warnings(qtbot, make_window, tmp_path):
    folder = tmp_path / "rich"
    folder.mkdir()
    (folder / "rich.md").write_text(RICH)
    win = make_window(folder)
    text = win.reader.browser.toPlainText()
    assert "[a chart]" in text and "GPT-5" in text and 'print("hello")' in text
    assert [win.reader.outline.index(r, 0).data() for r in range(3)] == [
        "Introduction", "1. Table", "2. Code"]
    win.reader.browser.grab()                                # painted: images, tables, code


def test_find_in_report_and_f3(qtbot, window):
    reader = window.reader
    reader.browser.setFocus()
    qtbot.keyClick(reader.browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert reader.find_bar.isVisible() and reader.find_bar.edit.hasFocus()
    qtbot.keyClicks(reader.find_bar.edit, "model")
    total = reader.hit_count()
    assert total > 2
    assert reader.find_bar.count_label.text() == f"{total} hits"
    qtbot.keyClick(reader.find_bar.edit, Qt.Key.Key_Return)
    assert reader.find_bar.count_label.text() == f"hit 1 of {total}"
    qtbot.keyClick(reader.browser, Qt.Key.Key_F3)
    assert reader.find_bar.count_label.text() == f"hit 2 of {total}"
    qtbot.keyClick(reader.browser, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert reader.current_hit() == 0
    qtbot.keyClick(reader.find_bar.edit, Qt.Key.Key_Escape)
    assert not reader.find_bar.isVisible() and reader.hit_count() == 0


def test_zoom_is_remembered(qtbot, window, make_window, library):
    window.reader.browser.setFocus()
    size = window.reader.browser.font().pointSizeF()
    qtbot.keyClick(window.reader.browser, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    window.actions["zoom-in"].trigger()
    assert window.reader.zoom == 2
    assert window.reader.browser.font().pointSizeF() == size + 2
    window.close()
    again = make_window(library)
    assert again.reader.zoom == 2
    again.actions["zoom-reset"].trigger()
    assert again.settings.value("reader/zoom") == 0


def test_window_state_persists_and_a_fresh_profile_fits_a_small_screen(qtbot, window,
                                                                       make_window, library):
    screen = window.screen().availableGeometry()
    assert window.width() <= screen.width() and window.height() <= screen.height()
    assert window.reports_dock.isVisible() and not window.search_dock.isHidden()
    window.reader.splitter.setSizes([150, 700])
    window.removeDockWidget(window.search_dock)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.search_dock)
    window.search_dock.show()
    window.close()
    again = make_window(library)
    assert again.dockWidgetArea(again.search_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert again.reader.splitter.sizes()[0] == 150


def test_open_a_second_library_and_recent_libraries(qtbot, window, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "solo.md").write_text("# Solo report\n\n## 1. Only part\nSome words here.\n")
    window.open_library(other)
    wait_indexed(qtbot, window)
    assert _row_ids(window) == ["solo"]
    qtbot.waitUntil(lambda: window.reader.report_id == "solo", timeout=WAIT_MS)
    assert window.status.library_label.text() == "other"
    assert str(locations.last_library()) == str(other.resolve())
    window.recent_menu.aboutToShow.emit()
    assert [a.text() for a in window.recent_menu.actions()] == [str(other.resolve()),
                                                                window.settings.value("library/recent")[1]]


def test_a_folder_dropped_on_the_window_opens_it(qtbot, window, tmp_path):
    other = copy_seeds(tmp_path / "dropped")
    (other / "000_69796a1aaad12780.txt").unlink()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    event = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: window.state is not None and window.state.library == str(other)
                    and window.state.indexed, timeout=WAIT_MS)
    assert len(_row_ids(window)) == 4


def test_a_missing_folder_is_refused_with_a_message(qtbot, window, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(main_window_module.QMessageBox, "warning",
                        lambda *args: warnings.append(args[2]))
    assert not window.open_library(tmp_path / "nowhere")
    assert warnings and "nowhere" in warnings[0]
    assert window.state.library.endswith("library")          # still the open one


def test_added_edited_and_removed_files_are_picked_up(qtbot, window, library):
    (library / "new.md").write_text("# A brand new report\n\n## 1. Fresh\nNew words.\n")
    qtbot.waitUntil(lambda: "new" in _row_ids(window), timeout=WAIT_MS)
    assert window.status.counts_label.text() == "6 reports, 51 sections"

    shown = window.reader.report_id
    path = library / f"{shown}.txt"
    time.sleep(0.01)                                         # a different mtime
    path.write_text(path.read_text() + "\n\n## 11. Added Later\nA zebra appears.\n")
    qtbot.waitUntil(lambda: "zebra" in window.reader.browser.toPlainText(), timeout=WAIT_MS)
    assert window.reader.outline.rowCount() == 11

    path.unlink()
    qtbot.waitUntil(lambda: shown not in _row_ids(window), timeout=WAIT_MS)
    assert window.reader.loaded is None
    assert "removed" in window.reader.empty_label.text()


def test_the_worker_says_what_to_watch_and_the_watch_is_set_up_a_chunk_at_a_time(
        qtbot, window, library, monkeypatch):
    monkeypatch.setattr(watcher_module, "ADD_CHUNK", 2)
    state = window.state
    assert set(state.watched) == {state.library} | {r.path for r in state.reports}
    watcher = window.watcher
    watcher.stop()

    def watched() -> set[str]:
        return set(watcher._watcher.directories()) | set(watcher._watcher.files())

    watcher.watch(state)
    assert watched() == set()               # nothing at once: the event loop goes on first
    qtbot.waitUntil(lambda: watched() == set(state.watched), timeout=WAIT_MS)


def test_a_rescan_runs_when_the_window_regains_focus(qtbot, window, library):
    window.watcher.stop()                                    # only the focus rescan is left
    window.watcher._active = True
    (library / "quiet.md").write_text("# Quietly added\n\nText.\n")
    qtbot.wait(600)
    assert "quiet" not in _row_ids(window)
    window.watcher._on_application_state_changed(Qt.ApplicationState.ApplicationActive)
    qtbot.waitUntil(lambda: "quiet" in _row_ids(window), timeout=WAIT_MS)


def test_problems_dialog_lists_a_bad_file(qtbot, make_window, library):
    (library / "broken.md").write_bytes(BAD_FILE)
    win = make_window(library)
    assert win.status.problems_button.isVisible()
    assert win.status.problems_button.text() == "1 problem"
    win.actions["problems"].trigger()
    dialog = win.problems
    assert dialog.isVisible()
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 0).data() == "broken.md"
    assert dialog.model.index(0, 1).data()                  # the reason, in words
    (library / "broken.md").unlink()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=WAIT_MS)
    assert not win.status.problems_button.isVisible()


def test_reindex_rebuilds_in_the_background(qtbot, window):
    window.actions["reindex"].trigger()
    qtbot.waitUntil(lambda: window.status.index_label.text() == "Index up to date"
                    and window.state.stats.added == 5, timeout=WAIT_MS)


def _menu_texts(pane, index) -> list[str]:
    return [a.text() for a in pane.context_menu(index).actions() if not a.isSeparator()]


def test_compare_appears_in_the_context_menu_once_connected(qtbot, window):
    bare = ReportListPane()                 # not connected: no Compare item
    qtbot.addWidget(bare)
    bare.set_reports(window.state.reports)
    assert _menu_texts(bare, bare.proxy.index(0, 0)) == ["Open", "Show in File Manager",
                                                         "Copy Path"]
    pane = window.reports                   # the window compares: enabled with 2+ selected
    first = pane.proxy.index(0, 0)
    menu = pane.context_menu(first)
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "Open", "Compare Selected Reports", "Show in File Manager", "Copy Path"]
    assert not menu.actions()[1].isEnabled()
    asked = []
    pane.compare_requested.connect(asked.append)
    pane.view.selectAll()
    menu = pane.context_menu(first)
    compare = next(a for a in menu.actions() if a.text() == "Compare Selected Reports")
    compare.trigger()
    assert asked == [pane.selected_ids()] and len(asked[0]) == 5


def test_copy_report_path(qtbot, window):
    window.actions["copy-path"].trigger()
    assert QGuiApplication.clipboard().text() == window.reader.loaded.report.path


def test_settings_have_defaults_and_keep_recent_lists_short(qtbot):
    settings = Settings()
    assert settings.value("reader/zoom") == 0
    assert settings.value("search/recent") == []
    for i in range(30):
        settings.push_recent("search/recent", f"query {i}")
    settings.push_recent("search/recent", "query 5")
    recent = Settings().value("search/recent")
    assert recent[0] == "query 5" and len(recent) == 20 and recent.count("query 5") == 1


def test_window_closes_cleanly_while_indexing(qtbot, make_window, library):
    """Closing joins the worker thread (a QThread destroyed while running would warn, and
    Qt warnings fail the tests)."""
    win = make_window(library, wait=False)
    win.close()
    assert win.isHidden()


def test_indexing_can_be_stopped_and_resumed_and_search_works_meanwhile(qtbot, make_window,
                                                                        tmp_path, monkeypatch):
    monkeypatch.setattr(index_module, "BATCH", 1)            # a commit, a chance to stop, per file
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        (folder / f"r{i:03}.md").write_text(f"# Report {i}\n\n## 1. Part\nThe word zebra{i % 3}.\n")
    win = make_window(folder, wait=False)
    qtbot.waitUntil(lambda: win.status.progress.isVisible() and win.status.progress.value() > 0,
                    timeout=WAIT_MS)
    win.client.search("zebra0")                              # served between files
    win.actions["stop-indexing"].trigger()
    qtbot.waitUntil(lambda: win.state is not None and win.state.indexed, timeout=WAIT_MS)
    assert win.state.cancelled
    assert win.status.index_label.text() == "Indexing stopped"
    assert win.status.index_button.defaultAction() is win.actions["resume-indexing"]
    assert len(win.state.reports) < 60
    win.actions["resume-indexing"].trigger()
    qtbot.waitUntil(lambda: len(win.state.reports) == 60 and not win.state.cancelled
                    and win.state.indexed, timeout=WAIT_MS)      # the finished update
    assert win.status.index_label.text() == "Index up to date"
    assert not win.status.progress.isVisible()


def test_a_report_with_a_huge_table_opens_shortened_and_can_be_shown_whole(qtbot, make_window,
                                                                          tmp_path):
    # 3,000 rows × 60 columns froze the window for a minute when laid out whole; 300 rows
    # are enough to be cut (18,000 cells), and few enough to lay out whole in a test.
    folder = tmp_path / "tables"
    folder.mkdir()
    header = "| " + " | ".join(f"h{c}" for c in range(60)) + " |\n|" + "---|" * 60
    rows = "".join("\n| " + " | ".join(f"r{r}c{c}" for c in range(60)) + " |" for r in range(300))
    (folder / "tables.md").write_text(f"# Big Table\n\n## 1. Data\n\n{header}{rows}\n", "utf-8")
    win = make_window(folder)
    bar = win.reader.shortened_bar
    assert bar.isVisible() and "rows not shown" in bar.label.text()
    left_out = win.reader.loaded.rows_left_out
    assert left_out == 300 - (5000 // 60 - 1)
    assert "r299c59" not in win.reader.browser.toPlainText()
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.reader.loaded.rows_left_out == 0, timeout=WAIT_MS * 3)
    assert not bar.isVisible()
    assert "r299c59" in win.reader.browser.toPlainText()


def test_ctrl_and_shift_select_several_reports_as_a_plain_list_does(qtbot, window):
    # Opening the clicked report used to reset the selection to that report alone.
    from PySide6.QtCore import QStringListModel
    from PySide6.QtWidgets import QAbstractItemView, QListView
    ids = _row_ids(window)
    plain = QListView()
    plain.setModel(QStringListModel(ids))
    plain.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    qtbot.addWidget(plain)
    plain.show()
    views = (window.reports.view, plain)

    def selected(view) -> list[int]:
        return sorted(i.row() for i in view.selectionModel().selectedRows())

    def click(row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        for view in views:
            rect = view.visualRect(view.model().index(row, 0))
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
        qtbot.waitUntil(lambda: window.reader.report_id == ids[row], timeout=WAIT_MS)
        qtbot.wait(50)           # the opened report's answer has been handled

    click(0)
    click(2, Qt.KeyboardModifier.ControlModifier)
    click(3, Qt.KeyboardModifier.ControlModifier)
    assert selected(window.reports.view) == selected(plain) == [0, 2, 3]
    click(1, Qt.KeyboardModifier.ShiftModifier)
    assert selected(window.reports.view) == selected(plain) and len(selected(plain)) > 2
    for view in views:
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.reader.report_id == ids[2], timeout=WAIT_MS)
    qtbot.wait(50)
    assert selected(window.reports.view) == selected(plain) and len(selected(plain)) > 1
    click(4)                                             # a plain click: that one only
    assert selected(window.reports.view) == selected(plain) == [4]


def test_ctrl_wheel_zooms_the_reader_and_a_plain_wheel_scrolls(qtbot, window):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent

    def wheel(modifiers) -> None:
        viewport = window.reader.browser.viewport()
        centre = QPointF(viewport.rect().center())
        event = QWheelEvent(centre, QPointF(viewport.mapToGlobal(centre.toPoint())), QPoint(),
                            QPoint(0, -120), Qt.MouseButton.NoButton, modifiers,
                            Qt.ScrollPhase.NoScrollPhase, False)
        QGuiApplication.sendEvent(viewport, event)

    zoom = window.reader.zoom
    wheel(Qt.KeyboardModifier.ControlModifier)
    assert window.reader.zoom == zoom - 1
    bar = window.reader.browser.verticalScrollBar()
    before = bar.value()
    wheel(Qt.KeyboardModifier.NoModifier)
    assert window.reader.zoom == zoom - 1 and bar.value() > before
