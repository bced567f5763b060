"""The consensus view in the window (issue 16): the Compare menu's Consensus opens it once,
for the selected reports or the whole library, and a sentence opens the reader there."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from explorer.ui.compare import ConsensusView
from explorer.ui.compare.consensus import SECTION_ROLE, WORKING
from explorer.ui.main_window import MainWindow
from ui_helpers import *  # noqa: F401,F403 - fixtures and helpers
from ui_helpers import SEEDS, WAIT_MS

A, B, C, D, E = (p.stem for p in sorted(SEEDS.glob("*.txt")))


def _answered(qtbot, view: ConsensusView) -> ConsensusView:
    qtbot.waitUntil(lambda: view.stack.currentWidget() is view.tree, timeout=WAIT_MS)
    return view


def _select(win: MainWindow, *ids: str) -> None:
    selection = win.reports.view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.clearSelection()
    for report_id in ids:
        selection.select(win.reports._proxy_index(report_id), flags)


def _consensus_tabs(win: MainWindow) -> list[ConsensusView]:
    return [w for w in map(win.tabs.widget, range(win.tabs.count()))
            if isinstance(w, ConsensusView)]


def test_consensus_opens_once_for_the_library_or_the_selected_reports(qtbot, window):
    menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&Compare")
    assert window.actions["consensus"] in menu.actions()
    window.actions["consensus"].trigger()
    view = window.tabs.currentWidget()
    assert isinstance(view, ConsensusView)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Consensus"
    assert view.message_label.text() == WORKING
    _answered(qtbot, view)
    assert view.report_ids is None and view.model.report_count == 5

    window.tabs.setCurrentWidget(window.reader)
    _select(window, A)                          # one report: still the whole library
    window.actions["consensus"].trigger()
    assert window.tabs.currentWidget() is view and _consensus_tabs(window) == [view]
    assert view.report_ids is None

    _select(window, A, C)
    window.actions["consensus"].trigger()
    assert _consensus_tabs(window) == [view]
    qtbot.waitUntil(lambda: view.model.report_count == 2, timeout=WAIT_MS)
    assert sorted(view.report_ids) == [A, C]    # in the list's order

    window.tabs.tabCloseRequested.emit(window.tabs.indexOf(view))
    assert window.consensus is None and _consensus_tabs(window) == []


def test_a_sentence_opens_the_reader_at_its_section(qtbot, window):
    window.actions["consensus"].trigger()
    view = _answered(qtbot, window.tabs.currentWidget())
    point = view.proxy.index(0, 0, view.proxy.index(0, 0))
    view.tree.expand(point)
    sentence = view.proxy.index(1, 1, point)
    report, section = sentence.data(SECTION_ROLE)
    view.tree.scrollTo(sentence)
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.tree.visualRect(sentence).center())
    assert window.tabs.currentWidget() is window.reader
    qtbot.waitUntil(lambda: window.reader.report_id == report
                    and window.reader.section == section, timeout=WAIT_MS)
