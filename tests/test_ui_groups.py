"""The report list grouped by subject (issue 16, groups): the worker groups the reports,
the list shows them as group rows that expand to their reports, oldest first, filters
them, and compares a whole group."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from explorer.ui.compare import CompareView
from explorer.ui.report_groups import GROUP_DETAIL_ROLE, GROUP_ROLE
from explorer.ui.report_list import ID_ROLE, ReportListPane
from explorer.ui.settings import Settings
from test_ui_group_list import BREAD, GARDEN, REPORTS, top_rows, write_library
from ui_helpers import *  # noqa: F401,F403 - fixtures and helpers
from ui_helpers import WAIT_MS


def _group_index(pane: ReportListPane, first_id: str) -> QModelIndex:
    proxy = pane.group_proxy
    return next(proxy.index(r, 0) for r in range(proxy.rowCount())
                if (proxy.index(r, 0).data(GROUP_ROLE) or ("",))[0] == first_id)


def _children(pane: ReportListPane, group: QModelIndex) -> list[str]:
    proxy = pane.group_proxy
    return [proxy.index(r, 0, group).data(ID_ROLE) for r in range(proxy.rowCount(group))]


def _grouped_window(qtbot, make_window, tmp_path):
    win = make_window(write_library(tmp_path / "runs"))
    win.reports.group_action.trigger()                 # as the user does, from the sort menu
    qtbot.waitUntil(lambda: sum(g is not None for g, _ in top_rows(win.reports)) == 2,
                    timeout=WAIT_MS)
    return win


def test_the_groups_come_from_the_worker_and_show_as_expandable_rows(qtbot, make_window,
                                                                   tmp_path):
    win = _grouped_window(qtbot, make_window, tmp_path)
    pane = win.reports
    assert pane.grouped() and Settings().value("reports/grouped") is True
    # groups first, then the report standing alone (no group row for one report)
    rows = top_rows(pane)
    assert {g for g, _ in rows[:2]} == {tuple(BREAD), tuple(GARDEN)}
    assert rows[2:] == [(None, "tax_2025-02-10")]
    bread, garden = _group_index(pane, BREAD[0]), _group_index(pane, GARDEN[0])
    assert bread.data(GROUP_DETAIL_ROLE) == "3 reports · 1 Mar–9 Apr 2025"
    assert garden.data(GROUP_DETAIL_ROLE) == "2 reports · 2 May–20 Jun 2025"
    assert bread.data().endswith(" · 3 reports · 1 Mar–9 Apr 2025")
    assert _children(pane, bread) == BREAD                        # oldest first, by the names
    # expanding shows them; clicking one opens it
    pane.tree.expand(bread)
    rect = pane.tree.visualRect(pane.group_proxy.index(1, 0, bread))
    assert rect.isValid()
    qtbot.mouseClick(pane.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: win.reader.report_id == BREAD[1], timeout=WAIT_MS)
    assert pane.current_id() == BREAD[1] and pane.selected_ids() == [BREAD[1]]


def test_the_filter_keeps_the_groups_with_a_matching_report(qtbot, make_window, tmp_path):
    win = _grouped_window(qtbot, make_window, tmp_path)
    pane = win.reports
    qtbot.keyClicks(pane.filter_edit, "2025-03-15")               # one run's file name
    assert top_rows(pane) == [(tuple(BREAD), None)]
    assert _children(pane, pane.group_proxy.index(0, 0)) == ["run_2025-03-15"]
    assert pane.tree.isExpanded(pane.group_proxy.index(0, 0))     # the match in sight
    pane.filter_edit.clear()
    qtbot.keyClicks(pane.filter_edit, "garden")                   # the subject: all its runs
    assert top_rows(pane) == [(tuple(GARDEN), None)]
    assert _children(pane, pane.group_proxy.index(0, 0)) == GARDEN
    pane.filter_edit.clear()
    qtbot.keyClicks(pane.filter_edit, "no such report")
    assert top_rows(pane) == [] and pane.empty_label.isVisibleTo(pane)
    pane.filter_edit.clear()                                      # the groups closed again
    assert len(top_rows(pane)) == 3 and not pane.tree.isExpanded(_group_index(pane, BREAD[0]))


def test_compare_this_group_opens_a_comparison_of_its_reports(qtbot, make_window, tmp_path):
    win = _grouped_window(qtbot, make_window, tmp_path)
    menu = win.reports.context_menu(_group_index(win.reports, BREAD[0]))
    action = next(a for a in menu.actions() if a.text() == "Compare This Group")
    with qtbot.waitSignal(win.reports.compare_requested, timeout=WAIT_MS) as blocker:
        action.trigger()
    assert blocker.args == [BREAD]
    qtbot.waitUntil(lambda: isinstance(win.tabs.currentWidget(), CompareView), timeout=WAIT_MS)
    view = win.tabs.currentWidget()
    qtbot.waitUntil(lambda: view.model.comparison is not None, timeout=WAIT_MS)
    assert [view.model.cell(0, c).report for c in range(view.model.columnCount())] == BREAD


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")   # a popup, offscreen
def test_the_menu_key_on_a_group_row_offers_to_compare_it(qtbot, make_window, tmp_path):
    win = _grouped_window(qtbot, make_window, tmp_path)
    pane = win.reports
    pane.tree.setCurrentIndex(_group_index(pane, GARDEN[0]))
    shown: list[str] = []

    def read_and_close_menu():
        menu = QApplication.activePopupWidget()
        shown.extend(a.text() for a in menu.actions())
        menu.close()
    QTimer.singleShot(0, read_and_close_menu)
    centre = pane.tree.viewport().rect().center()
    QApplication.sendEvent(pane.tree, QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, centre, pane.tree.viewport().mapToGlobal(centre)))
    assert shown[0] == "Compare This Group" and "Expand" in shown


def test_selection_survives_switching_back_to_the_flat_list(qtbot, make_window, tmp_path):
    win = _grouped_window(qtbot, make_window, tmp_path)
    pane = win.reports
    pane.select(GARDEN[1])
    qtbot.waitUntil(lambda: win.reader.report_id == GARDEN[1], timeout=WAIT_MS)
    assert pane.tree.isExpanded(_group_index(pane, GARDEN[0]))     # its group opened to show it
    pane.tree.collapse(_group_index(pane, GARDEN[0]))
    pane.set_reports(win.state.reports)                           # as after an update
    assert not pane.tree.isExpanded(_group_index(pane, GARDEN[0]))   # closed, as the user left it
    assert pane.current_id() == GARDEN[1]
    win.actions["previous-report"].trigger()                      # Alt+PgUp: the run before
    qtbot.waitUntil(lambda: win.reader.report_id == GARDEN[0], timeout=WAIT_MS)
    assert pane.tree.isExpanded(_group_index(pane, GARDEN[0]))
    win.actions["next-report"].trigger()
    qtbot.waitUntil(lambda: win.reader.report_id == GARDEN[1], timeout=WAIT_MS)
    pane.group_action.trigger()
    assert not pane.grouped() and Settings().value("reports/grouped") is False
    assert pane.current_id() == GARDEN[1] and pane.selected_ids() == [GARDEN[1]]
    assert pane.proxy.rowCount() == len(REPORTS)


def test_reports_of_several_groups_can_be_selected_and_compared(qtbot, make_window, tmp_path):
    win = _grouped_window(qtbot, make_window, tmp_path)
    pane = win.reports
    pane.select(BREAD[2])
    pane.select(GARDEN[0])                                        # opens its group too
    index = pane.group_model.index_of(BREAD[2])
    pane.tree.selectionModel().select(pane.group_proxy.mapFromSource(index),
                                      QItemSelectionModel.SelectionFlag.Select)
    assert sorted(pane.selected_ids()) == sorted([BREAD[2], GARDEN[0]])
    menu = pane.context_menu(pane.group_proxy.mapFromSource(pane.group_model.index_of(GARDEN[0])))
    action = next(a for a in menu.actions() if a.text() == "Compare Selected Reports")
    assert action.isEnabled()
    with qtbot.waitSignal(pane.compare_requested) as blocker:
        action.trigger()
    assert sorted(blocker.args[0]) == sorted([BREAD[2], GARDEN[0]])
