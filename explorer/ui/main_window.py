"""The main window: the report list and the search pane in docks, the reader in the middle,
menus, a toolbar and a status bar; it wires them to the library's worker."""
from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMimeData, QPoint, QSize, Qt, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QApplication, QDockWidget, QFileDialog, QMainWindow, QMenu,
                               QMessageBox, QTabBar, QTabWidget, QToolBar, QWidget)

from .. import __version__, applog
from ..core import locations
from ..core.wording import plural
from . import icons
from .gc_guard import freeze_long_lived
from .library_client import LibraryClient
from .plain import menu_text, plain_html
from .problems import ProblemsDialog
from .reader import ReaderPane
from .report_list import ReportListPane, reveal_in_file_manager
from .search_pane import SearchPane, search_help_html
from .settings import Settings
from .status_bar import StatusBar
from .watcher import LibraryWatcher
from .worker import LibraryState, LoadedReport

if TYPE_CHECKING:
    from .compare import CompareClient, CompareView, ConsensusView, TopicMapView

# Pane widths on a fresh profile: shares of the window's width, within these bounds.
DOCK_SHARE, DOCK_WIDTHS = 0.24, (220, 330)
OUTLINE_SHARE, OUTLINE_WIDTHS = 0.16, (130, 230)
STATUS_MESSAGE_MS = 8000
# The compare command's name while fewer than two reports are selected.
SELECTED_REPORTS = "&Compare Selected Reports"


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.client = LibraryClient(self)
        self.watcher = LibraryWatcher(self)
        self.reports = ReportListPane()
        self.search = SearchPane(settings)
        self.reader = ReaderPane()
        self.problems = ProblemsDialog(self)
        self.status = StatusBar()
        self.state: LibraryState | None = None      # of the open library, as last reported
        # The report being loaded and where to show it: (id, section, words to highlight).
        self._pending: tuple[str, int | None, tuple[str, ...]] | None = None
        self._indexing_paused = False   # the user stopped indexing: no automatic updates
        self._first_report_pending = False   # a library opened: show a report once listed
        self._shut_down = False
        # The open library's comparison worker, shared by its comparison tabs and topic map;
        # started on first use (see comparison_client()) for the library and index folder here.
        self.compare_client: CompareClient | None = None
        self._compare_source: tuple[str, str | None] | None = None
        self.topic_map: TopicMapView | None = None
        self.consensus: ConsensusView | None = None

        # The reader is the first tab (never closed); comparisons and the topic map follow.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("central-tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.addTab(self.reader, "Reader")
        for side in (QTabBar.ButtonPosition.LeftSide, QTabBar.ButtonPosition.RightSide):
            self.tabs.tabBar().setTabButton(0, side, None)
        self.setCentralWidget(self.tabs)
        self.setStatusBar(self.status)
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks
                            | QMainWindow.DockOption.AllowTabbedDocks)
        self.reports_dock = self._dock("reports", "Reports", self.reports,
                                       Qt.DockWidgetArea.LeftDockWidgetArea
                                       | Qt.DockWidgetArea.RightDockWidgetArea)
        self.search_dock = self._dock("search", "Search", self.search,
                                      Qt.DockWidgetArea.LeftDockWidgetArea
                                      | Qt.DockWidgetArea.RightDockWidgetArea
                                      | Qt.DockWidgetArea.BottomDockWidgetArea)
        # Tabbed on the left: on a 1366×768 screen two stacked panes would both be cramped.
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.reports_dock)
        self.tabifyDockWidget(self.reports_dock, self.search_dock)
        self.setTabPosition(Qt.DockWidgetArea.LeftDockWidgetArea, QTabWidget.TabPosition.North)
        self.reports_dock.raise_()
        self.actions: dict[str, QAction] = {}
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._restore_settings()
        self._show_index_idle()
        self._connect_signals()

    # -- building -------------------------------------------------------------------------
    def _dock(self, name: str, title: str, widget: QWidget, areas) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{name}-dock")          # saveState() finds docks by name
        dock.setWidget(widget)
        dock.setAllowedAreas(areas)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        return dock

    def _action(self, name: str, text: str, slot, shortcut=None, icon: str | None = None,
                tip: str | None = None, checkable: bool = False) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if icon:
            icons.set_icon(action, icon)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.actions[name] = action
        self.addAction(action)          # shortcuts work while the menu bar is hidden, too
        return action

    def _build_actions(self) -> None:
        a, r = self._action, self.reader
        Key = QKeySequence.StandardKey
        a("open-library", "&Open Library…", self.choose_library, Key.Open, "open-library",
          "Open a folder of markdown reports")
        a("open-samples", "Open &Sample Library", self._open_samples, None, "samples",
          "Open the reports that come with the app")
        a("reindex", "&Reindex", self._reindex, "Ctrl+R", "reindex",
          "Read every file of the library again")
        a("stop-indexing", "&Stop Indexing", self._stop_indexing, None, "cancel",
          "Stop indexing; what is indexed so far stays searchable")
        a("resume-indexing", "Resume &Indexing", self._resume_indexing, None, "reindex",
          "Index the files not read yet")
        a("reveal", "Show Report in &File Manager", self._reveal_report, None, "reveal")
        a("copy-path", "Copy Report &Path", self._copy_report_path, None, "copy")
        a("quit", "&Quit", self.close, Key.Quit, "quit")
        a("copy", "&Copy", lambda: self._edit_focused("copy"), Key.Copy, "copy")
        a("select-all", "Select &All", lambda: self._edit_focused("selectAll"), Key.SelectAll)
        a("find", "&Find in Report…", r.find, Key.Find, "find", "Find text in the open report")
        a("search-library", "&Search Library…", self.focus_search, ["Ctrl+K", "Ctrl+Shift+F"],
          "search", "Search all reports")
        a("filter-reports", "Filter &Reports…", self.focus_report_filter, "Ctrl+L", "filter")
        a("preferences", "&Preferences…", self._edit_preferences, Key.Preferences, None,
          "Settings such as the largest report file to read")
        a("next-hit", "Next &Hit", r.next_hit, Key.FindNext, "next-hit",
          "Next highlighted word (F3)")
        a("previous-hit", "Previous H&it", r.previous_hit, Key.FindPrevious, "previous-hit",
          "Previous highlighted word (Shift+F3)")
        # In a comparison, a row is what a section is in the reader.
        a("next-section", "Next &Section", lambda: self._step(1), "Alt+Down",
          "next-section", "Next section or comparison row (Alt+Down)")
        a("previous-section", "&Previous Section", lambda: self._step(-1), "Alt+Up",
          "previous-section", "Previous section or comparison row (Alt+Up)")
        a("next-difference", "Next &Difference", lambda: self._step_difference(1), "F7",
          "next-section", "Next row of the comparison where the reports differ (F7)")
        a("previous-difference", "Previous Di&fference", lambda: self._step_difference(-1),
          "Shift+F7", "previous-section",
          "Previous row of the comparison where the reports differ (Shift+F7)")
        self.actions["next-difference"].setEnabled(False)
        self.actions["previous-difference"].setEnabled(False)
        a("next-report", "Next &Report", lambda: self.reports.step(1), "Alt+PgDown", "next-report")
        a("previous-report", "Previous R&eport", lambda: self.reports.step(-1), "Alt+PgUp",
          "previous-report")
        # Zoom acts on the current tab: the reader, or the comparisons (all alike).
        a("zoom-in", "Zoom &In", lambda: self._zoom(1), [Key.ZoomIn, "Ctrl+="],
          "zoom-in", "Larger text")
        a("zoom-out", "Zoom &Out", lambda: self._zoom(-1), Key.ZoomOut, "zoom-out",
          "Smaller text")
        a("zoom-reset", "&Actual Size", lambda: self._zoom(None), "Ctrl+0", "zoom-reset")
        a("outline", "&Outline", self._show_outline, "Ctrl+Shift+O", "outline", checkable=True)
        a("problems", "&Problems…", self.show_problems, None, "problems",
          "Files of the library that could not be read")
        a("search-syntax", "Search &Syntax", self._show_search_syntax, None, "help")
        a("open-log", "Open &Log Folder", self._open_log_folder, None, "log")
        a("about", "&About Report Explorer", self._show_about, None, "about")
        a("compare", SELECTED_REPORTS, self._compare_selection, "Ctrl+D", "compare",
          "Compare the reports selected in the list (Ctrl+click or Shift+click to select)")
        a("compare-section", "Compare This &Section Across Reports", self._compare_section,
          "Ctrl+Shift+D", "compare",
          "Line up the open section with its counterparts in other reports")
        a("compare-hit", "Compare This Hit's Section Across Reports", self._compare_hit, None,
          "compare", "Line up the section of the current search hit with its counterparts")
        a("topic-map", "&Topic Map", self.show_topic_map, None, "topic-map",
          "Which report covers which topic")
        a("consensus", "C&onsensus", self.show_consensus, None, "consensus",
          "What the selected reports (or all of them) agree on, and what only one says")
        a("export-comparison", "&Export Comparison…", self._export_comparison, None, "export",
          "Save the current comparison as HTML or PDF")
        self.actions["export-comparison"].setEnabled(False)
        self.search.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.search.view.addAction(self.actions["compare-hit"])
        for dock, icon, shortcut in ((self.reports_dock, "reports", "Ctrl+1"),
                                     (self.search_dock, "search", "Ctrl+2")):
            toggle = dock.toggleViewAction()
            toggle.setShortcut(QKeySequence(shortcut))
            icons.set_icon(toggle, icon)

    def _build_menus(self) -> None:
        act = self.actions
        menu = self.menuBar().addMenu("&File")
        menu.addAction(act["open-library"])
        self.recent_menu = menu.addMenu("Open &Recent")
        icons.set_icon(self.recent_menu, "recent")
        self._add_actions(menu, "open-samples", None, "reindex", "stop-indexing",
                          "resume-indexing", None, "reveal", "copy-path", None,
                          "export-comparison", None, "quit")

        self._add_actions(self.menuBar().addMenu("&Edit"),
                          "copy", "select-all", None, "find", "search-library", "filter-reports",
                          None, "preferences")

        menu = self.menuBar().addMenu("&View")
        menu.addAction(self.reports_dock.toggleViewAction())
        menu.addAction(self.search_dock.toggleViewAction())
        menu.addAction(act["outline"])
        self._add_actions(menu, None, "zoom-in", "zoom-out", "zoom-reset", None)
        menu.addMenu(self.reports.sort_menu)
        self._add_actions(menu, None, "topic-map", "problems")

        # The search hit's command is in the search results' own menu, where its hit is.
        self._add_actions(self.menuBar().addMenu("&Compare"),
                          "compare", "compare-section", None, "topic-map", "consensus",
                          None, "export-comparison")

        self._add_actions(self.menuBar().addMenu("&Go"),
                          "next-hit", "previous-hit", None, "next-section", "previous-section",
                          "next-difference", "previous-difference",
                          None, "next-report", "previous-report")
        self._add_actions(self.menuBar().addMenu("&Help"),
                          "search-syntax", "open-log", None, "about")

    def _build_toolbar(self) -> None:
        bar = QToolBar("Toolbar", self)
        bar.setObjectName("main-toolbar")
        bar.setIconSize(QSize(20, 20))
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self._add_actions(bar, "open-library", "reindex", None, "search-library", "find",
                          "previous-hit", "next-hit", None, "previous-section", "next-section",
                          None, "compare-section", "topic-map", None, "zoom-out", "zoom-in")
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    def _add_actions(self, target: QMenu | QToolBar, *names: str | None) -> None:
        """Add actions by name; None adds a separator."""
        for name in names:
            if name is None:
                target.addSeparator()
            else:
                target.addAction(self.actions[name])

    def _connect_signals(self) -> None:
        self.client.state_changed.connect(self._on_client_state_changed)
        self.client.open_failed.connect(self._on_client_open_failed)
        self.client.progress.connect(self._on_client_progress)
        self.client.searched.connect(self.search.show_result)
        self.search.terms_changed.connect(self._on_search_terms_changed)
        self.client.loaded.connect(self._on_client_loaded)
        self.client.failed.connect(self._on_client_failed)
        self.client.groups_changed.connect(self.reports.set_groups)
        self.watcher.changed.connect(self._on_watcher_changed)
        self.reports.report_selected.connect(self._on_reports_report_selected)
        self.reports.selection_changed.connect(self._on_reports_selection_changed)
        self.reports.report_activated.connect(self._on_reports_report_activated)
        self.reports.sort_changed.connect(self._on_reports_sort_changed)
        self.reports.grouping_changed.connect(self._on_reports_grouping_changed)
        self.reports.compare_requested.connect(self._on_reports_compare_requested)
        self.search.search_requested.connect(self._on_search_search_requested)
        self.search.open_requested.connect(self._on_search_open_requested)
        self.search.reading_requested.connect(self._on_search_reading_requested)
        self.reader.zoom_changed.connect(self._on_reader_zoom_changed)
        self.reader.link_hovered.connect(self._on_reader_link_hovered)
        self.reader.shortened_bar.show_all_requested.connect(self._on_reader_show_all_requested)
        self.status.problems_requested.connect(self.show_problems)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.tabs.tabCloseRequested.connect(self._on_tabs_tab_close_requested)
        self.tabs.tabBar().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tabs.tabBar().customContextMenuRequested.connect(self._on_tab_bar_context_menu)
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)

    # -- settings -------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        s = self.settings
        if not self.restoreGeometry(s.value("window/geometry")):
            self._fit_to_screen()
        width = self.width()
        if not self.restoreState(s.value("window/state")):
            self.resizeDocks([self.reports_dock], [_share(width, DOCK_SHARE, DOCK_WIDTHS)],
                             Qt.Orientation.Horizontal)
        if not self.reader.splitter.restoreState(s.value("reader/splitter")):
            outline = _share(width, OUTLINE_SHARE, OUTLINE_WIDTHS)
            self.reader.splitter.setSizes([outline, max(1, width - outline)])
        self.reader.set_zoom(s.value("reader/zoom"))
        self.reports.set_sort_key(s.value("reports/sort"))
        self.reports.set_grouped(s.value("reports/grouped"))
        self.actions["outline"].setChecked(s.value("reader/outline"))
        self.reader.outline_view.setVisible(s.value("reader/outline"))

    def _fit_to_screen(self) -> None:
        """A fresh profile: most of the screen (1366×768 gives about 1260×650), centred."""
        screen = self.screen().availableGeometry()
        width = min(1400, int(screen.width() * 0.92))
        height = min(900, int(screen.height() * 0.9))
        self.resize(width, height)
        self.move(screen.center().x() - width // 2, screen.center().y() - height // 2)

    def _save_settings(self) -> None:
        s = self.settings
        s.set_value("window/geometry", self.saveGeometry())
        s.set_value("window/state", self.saveState())
        s.set_value("reader/splitter", self.reader.splitter.saveState())
        if self.state and self.reader.report_id:
            s.set_value("reader/last_report", [self.state.library, self.reader.report_id])

    # -- library --------------------------------------------------------------------------
    def open_library(self, path: str | os.PathLike, index_dir: str | None = None) -> bool:
        """Open a library folder, its index in `index_dir` (None: the user's index folder
        for it); False (and the user is told) if it is not a folder."""
        path = Path(path).expanduser()
        if not path.is_dir():
            QMessageBox.warning(self, "Cannot Open Library", plain_html(
                f"There is no folder at {path}. It may have been moved or renamed, or be on "
                "a disk that is not connected."))
            return False
        self.watcher.stop()
        self.state = None
        self._pending = None
        self._indexing_paused = False
        self._first_report_pending = True
        self.reports.set_reports(())
        self.reports.set_groups(())
        self.reader.clear("Opening the library…")
        self.search.set_current_report(None)
        self.status.set_library(str(path))
        self.status.set_counts(0, 0)
        self.status.set_problems(0)
        self.status.set_index_state("Opening…")
        self.status.show_progress()
        self.setWindowTitle(path.name)
        self.client.open(str(path.resolve()), index_dir)
        self._close_comparisons()
        self._compare_source = (str(path.resolve()), index_dir)
        return True

    def _close_comparisons(self) -> None:
        """Another library opens: the comparisons close with their worker."""
        for index in reversed(range(1, self.tabs.count())):
            self._close_tab(index)
        if self.compare_client is not None:
            self.compare_client.shutdown()
            self.compare_client.deleteLater()
            self.compare_client = None

    def comparison_client(self) -> CompareClient | None:
        """The open library's comparison worker (None without a library), started on first
        use, not with the library: it reads and aligns every report, which on 10,000 reports
        took 1.6 GB and competed with indexing and searching for the GIL, stalling the
        window, for users who may never compare."""
        if self.compare_client is None and self._compare_source is not None:
            self.compare_client = _compare().CompareClient(*self._compare_source, self)
            self.compare_client.notice.connect(self._on_compare_status_message)
        return self.compare_client

    @Slot()
    def choose_library(self) -> None:
        start = self.state.library if self.state else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open Library", start)
        if folder:
            self.open_library(folder)

    def _open_samples(self) -> None:
        self.open_library(locations.bundled_library())

    def _reindex(self) -> None:
        if self.state is not None:
            self._indexing_paused = False
            self.status.set_index_state("Reindexing…", action=self.actions["stop-indexing"])
            self.status.show_progress()
            self.client.rebuild()

    def _stop_indexing(self) -> None:
        self.client.cancel_update()
        self.status.set_index_state("Stopping…")

    def _resume_indexing(self) -> None:
        self._indexing_paused = False
        self.status.set_index_state("Indexing…", action=self.actions["stop-indexing"])
        self.client.update()

    def _show_index_idle(self) -> None:
        self.status.hide_progress()
        self.actions["stop-indexing"].setEnabled(False)
        self.actions["resume-indexing"].setVisible(self._indexing_paused)

    # -- reports --------------------------------------------------------------------------
    def open_report(self, report_id: str, section: int | None = None,
                    terms: tuple[str, ...] = ()) -> None:
        """Show a report at a section with words highlighted; loads it unless it is shown."""
        loaded, info = self.reader.loaded, self._info(report_id)
        if loaded and info and (loaded.report.id, loaded.report.digest) == (info.id, info.digest):
            if self._pending:           # another report was on its way: not wanted any more
                self._pending = None
                self.client.drop_load()
            self.reader.go_to(section, terms)
            return
        self._pending = (report_id, section, terms)
        self.client.load(report_id)

    def _info(self, report_id: str):
        reports = self.state.reports if self.state else ()
        return next((r for r in reports if r.id == report_id), None)

    def _open_first_report(self, state: LibraryState) -> None:
        """A library just opened: show the report read last in it, else the first listed."""
        if not state.reports:
            if state.indexed:           # the catalog may be empty only because it is new
                self._first_report_pending = False
                self.reader.clear(f"This library has no reports yet.\n\nAdd markdown or "
                                  f"text files to {state.library}\nand they will appear here.")
            return
        self._first_report_pending = False
        library, report_id = (self.settings.value("reader/last_report") + ["", ""])[:2]
        if library == state.library and self._info(report_id):
            self.open_report(report_id)
        else:
            self.reports.step(0)        # the first in the list's order; opens it

    def _follow_changes(self) -> None:
        """After an update: read the open report again if its file changed."""
        loaded = self.reader.loaded
        if loaded is None or self._pending:
            return
        info = self._info(loaded.report.id)
        if info is None:
            self.reader.clear("The report was removed from the library.")
            self.search.set_current_report(None)
        elif info.digest != loaded.report.digest:
            self._pending = (info.id, None, self.reader.terms)
            self.client.load(info.id)

    def _current_report_path(self) -> str | None:
        return self.reader.loaded.report.path if self.reader.loaded else None

    def _reveal_report(self) -> None:
        path = self._current_report_path()
        if path:
            reveal_in_file_manager(path)

    def _copy_report_path(self) -> None:
        path = self._current_report_path()
        if path:
            QGuiApplication.clipboard().setText(path)
            self.status.showMessage(f"Copied {path}", STATUS_MESSAGE_MS)

    # -- comparisons ----------------------------------------------------------------------
    def new_comparison(self) -> CompareView | None:
        """A new comparison tab, made current (None without a library)."""
        client = self.comparison_client()
        if client is None:
            self.status.showMessage("Open a library to compare its reports", STATUS_MESSAGE_MS)
            return None
        view = _compare().CompareView(client)
        view.set_search_terms(self.search.terms())
        view.open_in_reader.connect(self._on_compare_open_in_reader)
        view.title_changed.connect(self._on_compare_title_changed)
        view.status_message.connect(self._on_compare_status_message)
        view.set_zoom(self.settings.value("compare/zoom"))
        view.zoom_changed.connect(self._on_compare_zoom_changed)
        self.tabs.setCurrentIndex(self.tabs.addTab(view, icons.icon("compare"), "Compare"))
        return view

    def compare_reports(self, ids: list[str]) -> CompareView | None:
        """Compare these reports: in the tab that already does, else in a new one."""
        wanted = set(ids)
        view = next((v for v in self.comparison_views()
                     if v.reference is None and set(v.report_ids) == wanted), None)
        if view is not None:
            self.tabs.setCurrentWidget(view)
            return view
        view = self.new_comparison()
        if view is not None:
            view.open_reports(list(ids))
        return view

    def compare_section(self, report_id: str, section: int) -> CompareView | None:
        """Line a section up with its counterparts, in the tab where its report is already
        pinned if there is one (that row brought to the top), else in a new one."""
        view = next((v for v in self.comparison_views() if v.reference == report_id), None)
        if view is not None:
            self.tabs.setCurrentWidget(view)
        else:
            view = self.new_comparison()
        if view is not None:
            view.open_section(report_id, section)
        return view

    def comparison_views(self) -> list[CompareView]:
        return [w for w in map(self.tabs.widget, range(self.tabs.count()))
                if self._is_comparison(w)]

    def _is_comparison(self, widget: QWidget | None) -> bool:
        # Without a comparison worker there is no comparison, and no need to import the
        # package (with the core's alignment) on the GUI thread to say so.
        return self.compare_client is not None and isinstance(widget, _compare().CompareView)

    def _compare_selection(self) -> None:
        """Ctrl+D: the selected reports; with fewer than two, say how to choose them (it
        used to compare the open section with four reports of its own choosing)."""
        ids = self.reports.selected_ids()
        if len(ids) >= 2:
            self.compare_reports(ids)
        else:
            self.status.showMessage(
                "Select two or more reports in the list to compare them (Ctrl+click, "
                "Shift+click); Ctrl+Shift+D compares the open section across reports",
                STATUS_MESSAGE_MS)

    @Slot(int)
    def _on_reports_selection_changed(self, count: int) -> None:
        """The command says what it will do: how many reports it compares."""
        self.actions["compare"].setText(
            f"&Compare {count} Selected Reports" if count >= 2 else SELECTED_REPORTS)

    def _compare_section(self) -> None:
        if self.reader.report_id is None or self.reader.section is None:
            self.status.showMessage("Open a report to compare its sections", STATUS_MESSAGE_MS)
            return
        self.compare_section(self.reader.report_id, self.reader.section)

    def _compare_hit(self) -> None:
        hit = self.search.current_hit()
        if hit is None:
            self.status.showMessage("Choose a search hit to compare its section",
                                    STATUS_MESSAGE_MS)
            return
        self.compare_section(*hit)

    @Slot()
    def show_topic_map(self) -> None:
        """The topic map's tab (one at a time: shown again if open)."""
        if self.topic_map is None:
            client = self.comparison_client()
            if client is None:
                self.status.showMessage("Open a library to see its topics", STATUS_MESSAGE_MS)
                return
            self.topic_map = _compare().TopicMapView(client)
            self.topic_map.compare_topic.connect(self._on_topic_map_compare_topic)
            self.topic_map.open_in_reader.connect(self._on_compare_open_in_reader)
            self.topic_map.status_message.connect(self._on_compare_status_message)
            self.tabs.addTab(self.topic_map, icons.icon("topic-map"), "Topic Map")
            self.topic_map.set_search_terms(self.search.terms())
        self.tabs.setCurrentWidget(self.topic_map)

    @Slot()
    def show_consensus(self) -> None:
        """The consensus tab (one at a time) for the selected reports if two or more, else
        for the whole library."""
        if self.consensus is None:
            client = self.comparison_client()
            if client is None:
                self.status.showMessage("Open a library to see what its reports agree on",
                                        STATUS_MESSAGE_MS)
                return
            self.consensus = _compare().ConsensusView(client, self.settings)
            self.consensus.open_in_reader.connect(self._on_compare_open_in_reader)
            self.consensus.status_message.connect(self._on_compare_status_message)
            self.tabs.addTab(self.consensus, icons.icon("consensus"), "Consensus")
        ids = self.reports.selected_ids()
        self.consensus.show_reports(ids if len(ids) >= 2 else None)
        self.tabs.setCurrentWidget(self.consensus)

    def _close_other_tabs(self, keep: QWidget) -> None:
        """Every comparison and the topic map but `keep` (the reader always stays)."""
        for index in reversed(range(self.tabs.count())):
            if self.tabs.widget(index) is not keep:
                self._close_tab(index)

    @Slot(QPoint)
    def _on_tab_bar_context_menu(self, pos: QPoint) -> None:
        bar = self.tabs.tabBar()
        index = bar.tabAt(pos)
        if index < 0:
            return
        widget = self.tabs.widget(index)
        menu = QMenu(self)
        menu.addAction("Close Tab", lambda: self._close_tab(self.tabs.indexOf(widget))
                       ).setEnabled(widget is not self.reader)
        menu.addAction("Close Other Tabs", lambda: self._close_other_tabs(widget)
                       ).setEnabled(self.tabs.count() > (1 if widget is self.reader else 2))
        menu.exec(bar.mapToGlobal(pos))
        menu.deleteLater()

    def _close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is None or widget is self.reader:
            return
        self.tabs.removeTab(index)
        if widget is self.topic_map:
            self.topic_map = None
        if widget is self.consensus:
            self.consensus = None
        widget.deleteLater()

    def _current_comparison(self) -> CompareView | None:
        view = self.tabs.currentWidget()
        return view if self._is_comparison(view) else None

    def _step(self, delta: int) -> None:
        view = self._current_comparison()
        if view is not None:
            view.step_row(delta)
        else:
            self.reader.step_section(delta)

    def _step_difference(self, delta: int) -> None:
        view = self._current_comparison()
        if view is not None:
            view.step_difference(delta)

    def _zoom(self, delta: int | None) -> None:
        """Zoom the current tab's text by `delta` steps, or back to actual size (None)."""
        target = self._current_comparison() or self.reader
        target.set_zoom(0 if delta is None else target.zoom + delta)

    def _export_comparison(self) -> None:
        """File → Export Comparison: the current comparison's own export (one dialog, one
        remembered folder, its messages in the status bar)."""
        view = self.tabs.currentWidget()
        if self._is_comparison(view):
            view.export_with_dialog()

    # -- panes and dialogs ----------------------------------------------------------------
    def _edit_focused(self, method: str) -> None:
        """Copy / Select All act on the focused widget if it can, else on the reader."""
        widget = QApplication.focusWidget()
        getattr(widget if hasattr(widget, method) else self.reader.browser, method)()

    def _show_outline(self, shown: bool) -> None:
        self.reader.outline_view.setVisible(shown)
        self.settings.set_value("reader/outline", shown)

    @Slot()
    def focus_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.focus_search()

    @Slot()
    def focus_report_filter(self) -> None:
        self.reports_dock.show()
        self.reports_dock.raise_()
        self.reports.focus_filter()

    @Slot()
    def show_problems(self) -> None:
        if self.problems.isVisible():   # already open behind the window: bring it forward
            self.problems.raise_()
            self.problems.activateWindow()
        else:
            self.problems.show()

    def _show_search_syntax(self) -> None:
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Search Syntax", search_help_html(),
                          QMessageBox.StandardButton.Close, self)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.exec()

    def _edit_preferences(self) -> None:
        # Imported here: explorer.core.preferences imports the core's library reader (ftfy),
        # which the window's first paint does not need.
        from .preferences import edit_preferences
        if edit_preferences(self) and self.state is not None:
            # the index reads the size limit at each update: files skipped as too large
            # are read again, files over a lowered limit are dropped
            self.client.update()
            self.status.showMessage("Preferences saved: updating the library with the new "
                                    "size limit…", STATUS_MESSAGE_MS)

    def _open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(applog.log_dir())))

    def _show_about(self) -> None:
        QMessageBox.about(self, "About Report Explorer",
                          f"<h3>Report Explorer {__version__}</h3>"
                          "<p>Read, search and compare generated markdown reports, offline.</p>"
                          f"<p>Log files: {html.escape(str(applog.log_dir()))}</p>")

    # -- slots ----------------------------------------------------------------------------
    @Slot(object)
    def _on_client_state_changed(self, state: LibraryState) -> None:
        previous, self.state = self.state, state
        opened = previous is None
        self.reports.set_reports(state.reports)
        self.problems.set_skipped(state.skipped)
        self.status.set_problems(len(state.skipped))
        self.status.set_counts(len(state.reports), state.sections)
        if state.notice:
            self.status.showMessage(state.notice, STATUS_MESSAGE_MS)
        if opened:
            freeze_long_lived()
            locations.remember_library(state.library)
            self.settings.push_recent("library/recent", state.library)
            self.search.refresh()
        elif state.stats and (state.stats.added or state.stats.updated or state.stats.removed):
            self._follow_changes()
            self.search.refresh()
        elif not state.indexed and state.generation != previous.generation:
            self.search.index_grew()    # a batch was committed: the search may find more
        if self._first_report_pending:
            self._open_first_report(state)
        if state.indexed:
            self._show_index_state(state)
            self.watcher.watch(state)
            if self.compare_client is not None:
                # It only reads what the indexer committed: cheap when nothing changed.
                self.compare_client.refresh()
        elif opened:                    # later partial states: the progress says it all
            self.status.set_index_state("Indexing…", action=self.actions["stop-indexing"])
            self.actions["stop-indexing"].setEnabled(True)

    def _show_index_state(self, state: LibraryState) -> None:
        self._indexing_paused = state.cancelled
        self._show_index_idle()
        if state.cancelled:
            self.status.set_index_state("Indexing stopped", "Only part of the library is "
                                        "searchable until indexing resumes.",
                                        action=self.actions["resume-indexing"])
        elif state.stats:
            stats = state.stats
            self.status.set_index_state(
                "Index up to date", f"Last update: {stats.added} added, {stats.updated} "
                f"updated, {stats.removed} removed in {stats.seconds:.1f} s")

    @Slot(str)
    def _on_client_open_failed(self, message: str) -> None:
        self.status.set_index_state("")
        self.status.hide_progress()
        self.reader.clear(f"The library could not be opened.\n\n{message}")
        QMessageBox.warning(self, "Cannot Open Library", plain_html(message))

    @Slot(int, int)
    def _on_client_progress(self, done: int, total: int) -> None:
        self.status.show_progress(done, total)
        self.status.set_index_state(f"Indexing {done:,} of {plural(total, 'file')}…",
                                    action=self.actions["stop-indexing"])
        self.actions["stop-indexing"].setEnabled(True)

    @Slot()
    def _on_reader_show_all_requested(self) -> None:
        """The shown report again, with every table row, where the reader is."""
        if self.reader.loaded is not None:
            report_id = self.reader.loaded.report.id
            self._pending = (report_id, self.reader.section, self.reader.terms)
            self.client.load(report_id, whole=True)

    @Slot(object)
    def _on_client_loaded(self, loaded: LoadedReport) -> None:
        if self._pending is None or self._pending[0] != loaded.report.id:
            return
        report_id, section, terms = self._pending
        self._pending = None
        self.reader.show_report(loaded, section, terms)
        self.reports.select(report_id, emit=False)
        self.search.set_current_report(report_id, loaded.report.title)
        self.setWindowTitle(loaded.report.title)

    @Slot(tuple)
    def _on_search_terms_changed(self, terms: tuple) -> None:
        """The reader and the comparisons mark the current search's words, none once the
        box is cleared."""
        self.reader.mark(terms)
        for view in self.comparison_views():
            view.set_search_terms(terms)
        if self.topic_map is not None:
            self.topic_map.set_search_terms(terms)

    @Slot(str)
    def _on_client_failed(self, message: str) -> None:
        self.status.showMessage(message, 2 * STATUS_MESSAGE_MS)
        self.search.search_failed()

    @Slot()
    def _on_watcher_changed(self) -> None:
        if not self._indexing_paused:
            self.client.update()

    @Slot(str)
    def _on_reports_report_selected(self, report_id: str) -> None:
        if report_id != self.reader.report_id:
            self.open_report(report_id, None, self.search.terms())   # the search's words marked

    @Slot(str)
    def _on_reports_report_activated(self, report_id: str) -> None:
        self._on_reports_report_selected(report_id)
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(str)
    def _on_reports_sort_changed(self, key: str) -> None:
        self.settings.set_value("reports/sort", key)

    @Slot(bool)
    def _on_reports_grouping_changed(self, grouped: bool) -> None:
        self.settings.set_value("reports/grouped", grouped)

    @Slot(list)
    def _on_reports_compare_requested(self, ids: list) -> None:
        if len(ids) >= 2:
            self.compare_reports(ids)
        else:
            self._compare_section()

    @Slot(str, int)
    def _on_compare_open_in_reader(self, report_id: str, section: int) -> None:
        self.tabs.setCurrentWidget(self.reader)
        self.open_report(report_id, section, self.search.terms())

    @Slot(str)
    def _on_compare_title_changed(self, title: str) -> None:
        index = self.tabs.indexOf(self.sender())
        if index > 0:
            # The title holds a section title from a report: shown as written, never markup.
            self.tabs.setTabText(index, menu_text(title))
            self.tabs.setTabToolTip(index, plain_html(title))

    @Slot(str)
    def _on_compare_status_message(self, text: str) -> None:
        self.status.showMessage(text, STATUS_MESSAGE_MS)

    @Slot(object)
    def _on_topic_map_compare_topic(self, topic) -> None:
        view = self.new_comparison()
        if view is not None:
            view.open_topic(topic)

    @Slot(int)
    def _on_tabs_current_changed(self, index: int) -> None:
        comparing = self._is_comparison(self.tabs.widget(index))
        for name in ("export-comparison", "next-difference", "previous-difference"):
            self.actions[name].setEnabled(comparing)

    @Slot(int)
    def _on_tabs_tab_close_requested(self, index: int) -> None:
        self._close_tab(index)

    @Slot(str, str)
    def _on_search_search_requested(self, text: str, report: str) -> None:
        self.client.search(text, report or None)

    @Slot(str, int, tuple)
    def _on_search_open_requested(self, report_id: str, section: int, terms: tuple) -> None:
        self.open_report(report_id, section if section >= 0 else None, tuple(terms))

    @Slot()
    def _on_search_reading_requested(self) -> None:
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(int)
    def _on_reader_zoom_changed(self, steps: int) -> None:
        self.settings.set_value("reader/zoom", steps)

    @Slot(int)
    def _on_compare_zoom_changed(self, steps: int) -> None:
        # Comparisons share one zoom: they show the same kind of text side by side.
        self.settings.set_value("compare/zoom", steps)
        for view in self.comparison_views():
            view.set_zoom(steps)

    @Slot(str)
    def _on_reader_link_hovered(self, url: str) -> None:
        if url:
            self.status.showMessage(url)
        else:
            self.status.clearMessage()

    @Slot()
    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        for library in self.settings.value("library/recent"):
            action = self.recent_menu.addAction(library)
            action.setEnabled(os.path.isdir(library))
            action.triggered.connect(lambda _checked=False, p=library: self.open_library(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No recent libraries").setEnabled(False)

    # -- events ---------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if _dropped_folder(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if _dropped_folder(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        folder = _dropped_folder(event.mimeData())
        if folder:
            event.acceptProposedAction()
            self.open_library(folder)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            icons.refresh(self)

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Save the window's state and stop the worker (idempotent: close and quit both come)."""
        if self._shut_down:
            return
        self._shut_down = True
        self._save_settings()
        self.watcher.stop()
        self.problems.close()
        self.client.shutdown()
        if self.compare_client is not None:
            self.compare_client.shutdown()


def _compare():
    """The comparison package, imported when first needed (the first comparison): it
    imports the core's alignment and Whoosh, which the window's first paint does not need."""
    from . import compare
    return compare


def _share(width: int, share: float, bounds: tuple[int, int]) -> int:
    return max(bounds[0], min(bounds[1], int(width * share)))


def _dropped_folder(mime: QMimeData) -> str | None:
    urls = mime.urls() if mime.hasUrls() else []
    if len(urls) == 1 and urls[0].isLocalFile() and os.path.isdir(urls[0].toLocalFile()):
        return urls[0].toLocalFile()
    return None
