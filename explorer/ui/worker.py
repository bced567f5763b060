"""The library's worker: a QObject living in its own QThread that owns the LibrarySession
(Whoosh index, searcher, parsed reports) and does all the slow work: opening, indexing,
searching, loading and rendering reports. Results are immutable objects sent by signal.

The GUI thread talks to it only through `LibraryClient` (library_client.py).
"""
from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from .. import applog

# The core (Whoosh, ftfy, Markdown) is imported by the methods that need it, in this
# worker's thread: importing it with the window would delay the window's first paint.
if TYPE_CHECKING:
    from ..core.model import IndexStats, Report, ReportInfo, SearchResult, Skipped
    from ..core.session import LibrarySession

# Folders and report files handed to the file system watcher; changes beyond them are
# still found when the window regains focus. A folder watch misses edits in place (only
# adding, removing and renaming change a folder), hence the files.
MAX_WATCHED_FOLDERS = 500
MAX_WATCHED_FILES = 2000
# While indexing (seconds): progress is told this often (a status bar cannot show more),
# requests that arrived meanwhile are served this often, and the reports indexed so far
# are sent this often, so the list fills as indexing goes.
PROGRESS_INTERVAL = 0.1
SERVE_INTERVAL = 0.05
PARTIAL_STATE_INTERVAL = 1.0


@dataclass(frozen=True, slots=True)
class LibraryState:
    """What the window shows of a library: sent when it opens (the catalog as last saved),
    every PARTIAL_STATE_INTERVAL during a long update, and after each update."""

    library: str
    reports: tuple[ReportInfo, ...]
    skipped: tuple[Skipped, ...]
    indexed: bool                     # False: an update is under way (reports so far)
    # Of the index's commits: searches see what was committed, so a search made before a
    # change of generation may find more (or less) now.
    generation: int = 0
    sections: int = 0                 # of all the reports
    watched: tuple[str, ...] = ()     # folders and files to watch for changes (once indexed)
    stats: IndexStats | None = None
    cancelled: bool = False           # the update was stopped before it read every file
    notice: str | None = None         # e.g. "index rebuilt: ..."


@dataclass(frozen=True, slots=True)
class LoadedReport:
    report: Report
    html: str                         # report_page(report).html, rendered off the GUI thread
    rows_left_out: int = 0            # table rows not on the page (see core.report_html)


class LibraryWorker(QObject):
    # the library's reports and problems: once when it opens, then after every update
    state_changed = Signal(object)            # LibraryState
    # the library could not be opened (a message for the user)
    open_failed = Signal(str)
    # an index update is reading files: (files read, files to read)
    progress = Signal(int, int)
    # answers, tagged with the generation of the request they answer
    searched = Signal(int, object)            # SearchResult
    loaded = Signal(int, object)              # LoadedReport
    # a request failed; the message is for the status bar, details are in the log
    failed = Signal(str)
    # the reports grouped by subject, after an update changed the index (or on opening)
    groups_changed = Signal(object)           # tuple[core.groups.Group, ...]

    def __init__(self, library: str, index_dir: str | None):
        super().__init__()
        self._library = library
        self._index_dir = index_dir
        self._session: LibrarySession | None = None
        self._updating = False
        self._update_again = False
        self._rebuild_next = False
        # time.monotonic() of the last progress signal, served requests, partial state
        self._last_progress = self._last_served = self._last_state = 0.0
        self._read = (0, 0)       # (files read, files to read) by the running update
        self._grouped_generation: int | None = None   # of the index the groups were sent for
        # Set from the GUI thread: stops an update at its next commit.
        self.cancel_event = threading.Event()
        # Written by the GUI thread with each search request: a backlog of keystrokes
        # queued behind a slow search is skipped instead of searched one by one.
        self.latest_search = 0

    # -- requests (slots run in the worker's thread) ------------------------------------
    @Slot()
    def open(self) -> None:
        from ..core.session import LibrarySession, UserError
        try:
            self._session = LibrarySession.open(self._library, self._index_dir)
        except UserError as exc:
            self.open_failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - thread boundary: log it, tell the user
            log = applog.log_exception(f"opening library {self._library}")
            self.open_failed.emit(f"{exc} (details in {log})")
            return
        self._emit_state(indexed=False, notice=self._session.notice)
        self.update()

    @Slot()
    def update(self) -> None:
        if self._session is None:
            return
        if self._updating:          # asked again while serving requests in the middle of one
            self._update_again = True
            return
        self._updating = True
        try:
            again = True
            while again:
                self._update_again = False
                self._update_once()
                again = self._update_again and not self.cancel_event.is_set()
            self._emit_groups()
        finally:
            self._updating = False

    @Slot()
    def rebuild(self) -> None:
        if self._updating:
            self._rebuild_next = self._update_again = True
            return
        self._rebuild_next = True
        self.update()

    @Slot(int, str, str)
    def search(self, generation: int, text: str, report: str) -> None:
        if self._session is None or generation != self.latest_search:
            return
        from ..core.search import LIVE_LIMIT
        with self._reporting("searching"):
            # live: the search box searches as the user types (last word as a prefix,
            # time-limited); see explorer.core.search.
            result: SearchResult = self._session.search(text, limit=LIVE_LIMIT,
                                                        report=report or None, live=True)
            self.searched.emit(generation, result)

    @Slot(int, str, bool)
    def load(self, generation: int, report_id: str, whole: bool) -> None:
        """`whole`: every table row, however long Qt takes to lay them out."""
        if self._session is None:
            return
        from ..core.report_html import TABLE_CELLS, report_page
        with self._reporting(f"opening report {report_id}"):
            report = self._session.load(report_id)
            page = report_page(report, None if whole else TABLE_CELLS)
            self.loaded.emit(generation, LoadedReport(report, page.html, page.rows_left_out))

    @Slot()
    def close(self) -> None:
        """Connected to QThread.finished (directly): runs in this thread as it ends."""
        if self._session is not None:
            with self._reporting("closing the library"):
                self._session.close()
            self._session = None

    # -- internals ----------------------------------------------------------------------
    def _update_once(self) -> None:
        self.cancel_event.clear()
        self._read = (0, 0)
        self._last_state = time.monotonic()    # a quick update sends no partial state
        with self._reporting("updating the index"):
            if self._rebuild_next:
                self._rebuild_next = False
                from ..core.index import IndexBusy
                try:
                    self._session.rebuild()
                except IndexBusy as exc:
                    # Another process is updating the index: a rebuild would wreck its
                    # work. Say so; the update below shows what it has saved (the window
                    # waits for a state after "Reindexing…").
                    self.failed.emit(str(exc))
            stats = self._session.update(self._on_progress, self.cancel_event.is_set)
            done, total = self._read
            self._emit_state(indexed=True, stats=stats, cancelled=done < total)

    def _emit_groups(self) -> None:
        """Group the reports again if the index changed since the last time (about 20 ms on
        84 reports once the meaning model is loaded; loading it is 0.2 s more)."""
        generation = self._session.generation()
        if generation == self._grouped_generation:
            return
        from ..core import groups
        with self._reporting("grouping the reports"):
            infos = self._session.report_infos()

            def texts_of(i: int) -> list[str]:
                return [s.text for s in self._session.load(infos[i].id).sections]
            bodies = groups.stored_bodies(self._session.index.whoosh, [i.id for i in infos])
            found = groups.group_reports(infos, groups.subjects(infos, bodies, texts_of))
            self._grouped_generation = generation
            self.groups_changed.emit(tuple(found))

    def _on_progress(self, done: int, total: int) -> None:
        self._read = (done, total)
        now = time.monotonic()
        if now - self._last_progress >= PROGRESS_INTERVAL or done == total:
            self._last_progress = now
            self.progress.emit(done, total)
        if now - self._last_state >= PARTIAL_STATE_INTERVAL:
            self._last_state = now
            self._emit_state(indexed=False)
        if now - self._last_served >= SERVE_INTERVAL:
            self._last_served = now
            # A first index of a big library takes minutes: meanwhile serve the searches
            # and report loads queued for this thread (they see what is committed so far).
            # Between two files the session is consistent; update() requests made now
            # only set a flag (see update()).
            QCoreApplication.processEvents()

    def _emit_state(self, indexed: bool, stats: IndexStats | None = None,
                    cancelled: bool = False, notice: str | None = None) -> None:
        # Everything the window shows of the state that takes a pass over the reports is
        # found here: on the GUI thread it was a stall growing with the library.
        reports = tuple(self._session.report_infos())
        self.state_changed.emit(LibraryState(
            library=str(self._session.library), reports=reports,
            skipped=tuple(self._session.skipped), indexed=indexed,
            generation=self._session.generation(), sections=self._session.section_count(),
            watched=self._watched(reports) if indexed else (), stats=stats,
            cancelled=cancelled, notice=notice))

    def _watched(self, reports: tuple[ReportInfo, ...]) -> tuple[str, ...]:
        """The library folder and its subfolders (hidden ones skipped), and its first report
        files, those that are still there: for the watcher."""
        root = str(self._session.library)
        folders = []
        for folder, subdirs, _files in os.walk(root):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            folders.append(folder)
            if len(folders) >= MAX_WATCHED_FOLDERS:
                break
        files = [r.path for r in reports[:MAX_WATCHED_FILES] if os.path.exists(r.path)]
        return (*folders, *files)

    @contextmanager
    def _reporting(self, doing: str):
        """Turn a failure into a `failed` message: UserError as said, anything else logged."""
        from ..core.session import UserError
        try:
            yield
        except UserError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - thread boundary: log it, tell the user
            log = applog.log_exception(doing)
            self.failed.emit(f"Unexpected error while {doing}: {exc} (details in {log})")

