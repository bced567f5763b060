"""The search pane: a search box searched as you type (debounced), results grouped by
report, "did you mean", the notice for a partly understood query, and recent searches."""
from __future__ import annotations

import time
from contextlib import contextmanager, nullcontext
from functools import lru_cache

from PySide6.QtCore import (QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal,
                            Slot)
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QLineEdit, QMenu, QToolButton,
                               QToolTip, QVBoxLayout, QWidget)

from ..core.model import SearchResult
from ..core.rendering import escape
from ..core.wording import plural
from . import assets, icons
from .search_results import HIT_ROLE, REPORT_ROLE, SearchResultsModel, SearchResultsView
from .settings import Settings

DEBOUNCE_MS = 150
# While the library is indexed, the search shown is run again when a batch of reports is
# committed, at most this often: each run takes the worker from indexing a while.
GROWTH_SEARCH_MS = 2000


@lru_cache(maxsize=1)
def search_help_html() -> str:
    return assets.text("search-help.html")


class SearchPane(QWidget):
    # search the library for the text (debounced); the id of the only report to search, or ''
    search_requested = Signal(str, str)
    # show a report: (report id, section number or -1 for its top, words to highlight)
    open_requested = Signal(str, int, tuple)
    # Enter or double-click on a result: the reader takes the focus
    reading_requested = Signal()
    # the words to mark elsewhere changed (a new result, or the box cleared): the terms
    terms_changed = Signal(tuple)

    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._settings = settings
        self._report: tuple[str, str] | None = None      # (id, title) of the open report
        self._suggestion: str | None = None
        self._busy = False              # a search was asked for and has not been answered
        self._placing = False           # the current row is being put back, not chosen
        self._last_growth_search: float | None = None          # time.monotonic()

        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Search the library")
        self.edit.setClearButtonEnabled(True)
        icons.add_line_edit_icon(self.edit, "search")
        self.recent_menu = QMenu("Recent Searches", self)
        self.recent_action = icons.add_line_edit_icon(self.edit, "recent",
                                                      QLineEdit.ActionPosition.TrailingPosition)
        self.recent_action.setToolTip("Recent searches")
        self.help_button = QToolButton()
        self.help_button.setAutoRaise(True)
        icons.set_icon(self.help_button, "help")
        self.help_button.setToolTip(search_help_html())
        self.only_report = QCheckBox("Only in the open report")
        self.only_report.setChecked(settings.value("search/only_report"))
        self.only_report.setEnabled(False)
        self.status_label = QLabel()
        self.status_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.suggestion_label = QLabel()
        self.suggestion_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion_label.hide()
        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        italic = self.notice_label.font()
        italic.setItalic(True)
        self.notice_label.setFont(italic)
        self.notice_label.hide()
        self.model = SearchResultsModel(self)
        self.view = SearchResultsView()
        self.view.setModel(self.model)
        self.view.setFrameShape(SearchResultsView.Shape.NoFrame)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._growth = QTimer(self)     # the next search for what indexing added
        self._growth.setSingleShot(True)

        top = QHBoxLayout()
        top.setSpacing(2)
        top.addWidget(self.edit, 1)
        top.addWidget(self.help_button)
        info = QVBoxLayout()
        info.setContentsMargins(6, 6, 6, 4)
        info.setSpacing(4)
        info.addLayout(top)
        info.addWidget(self.only_report)
        info.addWidget(self.suggestion_label)
        info.addWidget(self.notice_label)
        info.addWidget(self.status_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(info)
        layout.addWidget(self.view, 1)
        self.setFocusProxy(self.edit)
        self._fill_recent_menu()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.edit.textEdited.connect(self._on_edit_text_edited)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.edit.installEventFilter(self)
        self.view.installEventFilter(self)
        self.recent_action.triggered.connect(self._on_recent_action_triggered)
        self.recent_menu.triggered.connect(self._on_recent_menu_triggered)
        self.help_button.clicked.connect(self._on_help_button_clicked)
        self.only_report.toggled.connect(self._on_only_report_toggled)
        self.suggestion_label.linkActivated.connect(self._on_suggestion_label_link_activated)
        self._debounce.timeout.connect(self.search_now)
        self._growth.timeout.connect(self._on_growth_timeout)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        self.view.activated.connect(self._on_view_activated)

    # -- public ---------------------------------------------------------------------------
    def query(self) -> str:
        return self.edit.text().strip()

    def set_query(self, text: str) -> None:
        """Search for `text` at once, as if typed."""
        self.edit.setText(text)
        self.search_now()

    def focus_search(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def set_current_report(self, report_id: str | None, title: str = "") -> None:
        """The report open in the reader (what "Only in the open report" searches)."""
        changed = (report_id, title) != (self._report or (None, ""))
        self._report = (report_id, title) if report_id else None
        self.only_report.setEnabled(report_id is not None)
        self.only_report.setToolTip(f"Search only in “{title}”" if report_id else "")
        if changed and self.only_report.isChecked() and self.query():
            self.search_now()

    def refresh(self) -> None:
        """Search again (the index changed)."""
        if self.query():
            self.search_now()

    def index_grew(self) -> None:
        """Indexing committed more reports: search again for what is shown, at once if
        the last such search is GROWTH_SEARCH_MS old, else when it is."""
        if self.query() and not self._growth.isActive():
            last = self._last_growth_search
            since_ms = GROWTH_SEARCH_MS if last is None else (time.monotonic() - last) * 1000
            self._growth.start(max(0, round(GROWTH_SEARCH_MS - since_ms)))

    @Slot()
    def search_now(self) -> None:
        self._debounce.stop()
        self._growth.stop()             # this search sees what indexing committed so far
        text = self.query()
        if not text:
            self._show_result(None)
            return
        self._busy = True
        self.status_label.setText("Searching…")
        self._request(text)

    def _request(self, text: str) -> None:
        only = self._report[0] if self._report and self.only_report.isChecked() else ""
        self.search_requested.emit(text, only)

    def show_result(self, result: SearchResult) -> None:
        if self.query():               # an answer that arrives after the box was cleared is moot
            self._show_result(result)

    def search_failed(self) -> None:
        """The worker reported a failure: stop saying "Searching…" (the status bar says why)."""
        if self._busy:
            self._busy = False
            self.status_label.setText("The search failed (the status bar says why); "
                                      "try again or change the words")

    def terms(self) -> tuple[str, ...]:
        result = self.model.result
        return result.terms if result else ()

    def current_hit(self) -> tuple[str, int] | None:
        """(report id, section number) of the current hit, None on a report's row or none."""
        index = self.view.currentIndex()
        hit = index.data(HIT_ROLE) if index.isValid() else None
        if hit is None or hit.section is None or hit.section < 0:
            return None
        return index.data(REPORT_ROLE), hit.section

    # -- internals ------------------------------------------------------------------------
    def _show_result(self, result: SearchResult | None) -> None:
        self._busy = False
        previous = self.model.result
        # The same search again (the index grew or changed): the user keeps their place.
        again = result is not None and previous is not None and result.query == previous.query
        with self._keeping_place() if again else nullcontext():
            self.model.set_result(result, reports=self.model.rowCount() if again else 0)
            self.view.expandAll()
        self.status_label.setText(self._summary(result))
        suggestion = result.suggestion if result else None
        self.suggestion_label.setText(
            f'Did you mean <a href="#">{escape(suggestion)}</a>?' if suggestion else "")
        self.suggestion_label.setVisible(bool(suggestion))
        self._suggestion = suggestion
        notice = result.notice if result else None
        self.notice_label.setText(notice or "")
        self.notice_label.setVisible(bool(notice))
        self.terms_changed.emit(self.terms())

    def _summary(self, result: SearchResult | None) -> str:
        if result is None:
            return ""
        if not result.total:
            return "No matches"
        reports = plural(self.model.report_count(), "report")
        if result.total > len(result.hits):
            # Search as you type counts lazily: a total it did not count is an estimate.
            about = "" if result.exact_total else "about "
            return f"Best {len(result.hits)} of {about}{result.total:,} hits, in {reports}"
        return f"{plural(result.total, 'hit')} in {reports}"

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        hit = index.data(HIT_ROLE)
        section = hit.section if hit is not None else -1
        self.open_requested.emit(index.data(REPORT_ROLE), section, self.terms())
        self._remember_query()

    def _remember_query(self) -> None:
        if self.query():
            self._settings.push_recent("search/recent", self.query())
            self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self._settings.value("search/recent")
        for text in recent:
            self.recent_menu.addAction(text).setData(text)
        self.recent_action.setVisible(bool(recent))

    @contextmanager
    def _keeping_place(self):
        """Around a model reset: the current row stays current, by report and section,
        without opening it again, and the view stays scrolled where it was."""
        current = self.view.currentIndex()
        hit = current.data(HIT_ROLE) if current.isValid() else None
        report = current.data(REPORT_ROLE) if current.isValid() else None
        scrolled = self.view.verticalScrollBar().value()
        yield
        self.view.doItemsLayout()       # the scroll bar's range, for the value below
        if report is not None:
            self._placing = True
            try:
                self._select(self.model.find(report, hit.section if hit else None))
            finally:
                self._placing = False
        self.view.verticalScrollBar().setValue(scrolled)

    def _select(self, index: QModelIndex) -> None:
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    # -- slots ----------------------------------------------------------------------------
    @Slot(str)
    def _on_edit_text_edited(self, _text: str) -> None:
        self._debounce.start()          # restarts: one search once typing pauses

    @Slot(str)
    def _on_edit_text_changed(self, text: str) -> None:
        if not text.strip():            # cleared (also by the clear button): nothing to wait for
            self.search_now()

    @Slot()
    def _on_recent_action_triggered(self) -> None:
        self.recent_menu.exec(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))

    @Slot(QAction)
    def _on_recent_menu_triggered(self, action: QAction) -> None:
        self.set_query(action.data())

    @Slot()
    def _on_help_button_clicked(self) -> None:
        QToolTip.showText(self.help_button.mapToGlobal(self.help_button.rect().bottomLeft()),
                          search_help_html(), self.help_button)

    @Slot(bool)
    def _on_only_report_toggled(self, checked: bool) -> None:
        self._settings.set_value("search/only_report", checked)
        self.refresh()

    @Slot(str)
    def _on_suggestion_label_link_activated(self, _link: str) -> None:
        if self._suggestion:
            self.set_query(self._suggestion)

    @Slot()
    def _on_growth_timeout(self) -> None:
        if self._debounce.isActive() or not self.query():
            return                      # a search being typed will see the grown index
        if self._busy:                  # the search under way may have been made before
            self._growth.start(GROWTH_SEARCH_MS)
            return
        self._last_growth_search = time.monotonic()
        # Quietly: the results shown stay, with their count, until the new ones come.
        self._request(self.query())

    @Slot(QModelIndex, QModelIndex)
    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._placing:
            self._open(current)         # moving through the results previews them

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        self._open(index)
        self.reading_requested.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.edit:
            if key == Qt.Key.Key_Down and self.model.rowCount():
                if not self.view.currentIndex().isValid():
                    self._select(self.model.first_hit())
                self.view.setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._debounce.isActive():
                    self.search_now()   # Enter before the pause: search now, open nothing yet
                elif self.view.currentIndex().isValid():
                    self._open(self.view.currentIndex())
                elif self.model.rowCount():
                    self._select(self.model.first_hit())     # opens it (currentChanged)
                return True
        elif watched is self.view and key == Qt.Key.Key_Up:
            if self.view.indexAbove(self.view.currentIndex()) == QModelIndex():
                self.focus_search()     # Up from the first row goes back to the box
                return True
        return super().eventFilter(watched, event)
