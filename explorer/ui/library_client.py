"""The GUI thread's handle on the open library.

Requests go by queued signal to a `LibraryWorker` in its own QThread; answers come back as
signals. Each search and load carries a generation number and only the answer to the latest
one is passed on, so a slow answer to an old query never replaces a newer one. Opening
another library retires the old worker without waiting for it (its thread ends once its
current step is done); only shutdown() waits.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from .worker import LibraryState, LibraryWorker, LoadedReport


class LibraryClient(QObject):
    # the library's reports and problems: when it opens and after every update
    state_changed = Signal(object)            # LibraryState
    open_failed = Signal(str)
    # an update is reading files: (files read, files to read)
    progress = Signal(int, int)
    # the answer to the latest search / report load (stale ones are dropped)
    searched = Signal(object)                 # SearchResult
    loaded = Signal(object)                   # LoadedReport
    # a request failed (a message for the user; the details went to the log)
    failed = Signal(str)
    # the reports grouped by subject: after an update changed the index, and on opening
    groups_changed = Signal(object)           # tuple[core.groups.Group, ...]

    # requests, queued to the worker's thread
    _open_requested = Signal()
    _update_requested = Signal()
    _rebuild_requested = Signal()
    _search_requested = Signal(int, str, str)
    _load_requested = Signal(int, str, bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._worker: LibraryWorker | None = None
        self._thread: QThread | None = None
        self._connections: list = []
        self._retired: dict[QThread, LibraryWorker] = {}   # kept alive until their thread ends
        self._search_generation = 0
        self._answered_search = 0
        self._load_generation = 0

    # -- requests -----------------------------------------------------------------------
    def open(self, library: str, index_dir: str | None = None) -> None:
        """Open a library (`index_dir` None: the user's index folder for it)."""
        self._retire()
        thread = QThread()
        thread.setObjectName("library-worker")
        worker = LibraryWorker(library, index_dir)
        worker.moveToThread(thread)
        # Direct: runs in the worker's thread as it ends, the only thread the session knows.
        thread.finished.connect(worker.close, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._on_thread_finished)
        self._connections = [
            self._open_requested.connect(worker.open),
            self._update_requested.connect(worker.update),
            self._rebuild_requested.connect(worker.rebuild),
            self._search_requested.connect(worker.search),
            self._load_requested.connect(worker.load),
            worker.state_changed.connect(self._on_worker_state_changed),
            worker.open_failed.connect(self._on_worker_open_failed),
            worker.progress.connect(self._on_worker_progress),
            worker.searched.connect(self._on_worker_searched),
            worker.loaded.connect(self._on_worker_loaded),
            worker.failed.connect(self._on_worker_failed),
            worker.groups_changed.connect(self._on_worker_groups_changed),
        ]
        self._worker, self._thread = worker, thread
        thread.start()
        self._open_requested.emit()

    def update(self) -> None:
        """Pick up changes on disk (cheap when there are none)."""
        if self._worker is not None:
            self._update_requested.emit()

    def rebuild(self) -> None:
        if self._worker is not None:
            self._rebuild_requested.emit()

    def cancel_update(self) -> None:
        if self._worker is not None:
            self._worker.cancel_event.set()

    def search(self, text: str, report: str | None = None) -> int:
        self._search_generation += 1
        if self._worker is not None:
            self._worker.latest_search = self._search_generation
            self._search_requested.emit(self._search_generation, text, report or "")
        return self._search_generation

    def load(self, report_id: str, whole: bool = False) -> int:
        """`whole`: with every table row (see core.report_html.TABLE_CELLS)."""
        self._load_generation += 1
        if self._worker is not None:
            self._load_requested.emit(self._load_generation, report_id, whole)
        return self._load_generation

    def drop_load(self) -> None:
        """Forget the load under way: its answer will be dropped (the user moved on)."""
        self._load_generation += 1

    @property
    def searching(self) -> bool:
        return self._answered_search < self._search_generation

    def shutdown(self) -> None:
        """Stop every worker thread and wait for them (on quit)."""
        self._retire()
        for thread in list(self._retired):
            thread.wait()
        self._retired.clear()

    # -- answers ------------------------------------------------------------------------
    # Queued signals posted by a retired worker may still arrive: only the current one counts.
    def _from_current_worker(self) -> bool:
        return self._worker is not None and self.sender() is self._worker

    @Slot(object)
    def _on_worker_state_changed(self, state: LibraryState) -> None:
        if self._from_current_worker():
            self.state_changed.emit(state)

    @Slot(str)
    def _on_worker_open_failed(self, message: str) -> None:
        if self._from_current_worker():
            self.open_failed.emit(message)

    @Slot(int, int)
    def _on_worker_progress(self, done: int, total: int) -> None:
        if self._from_current_worker():
            self.progress.emit(done, total)

    @Slot(int, object)
    def _on_worker_searched(self, generation: int, result) -> None:
        if self._from_current_worker() and generation == self._search_generation:
            self._answered_search = generation
            self.searched.emit(result)

    @Slot(int, object)
    def _on_worker_loaded(self, generation: int, loaded: LoadedReport) -> None:
        if self._from_current_worker() and generation == self._load_generation:
            self.loaded.emit(loaded)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        if self._from_current_worker():
            self._answered_search = self._search_generation   # nothing more is coming
            self.failed.emit(message)

    @Slot(object)
    def _on_worker_groups_changed(self, groups: tuple) -> None:
        if self._from_current_worker():
            self.groups_changed.emit(groups)

    @Slot()
    def _on_thread_finished(self) -> None:
        thread = self.sender()
        if thread in self._retired:
            del self._retired[thread]   # both are deleted now that their thread has ended

    def _retire(self) -> None:
        if self._worker is None:
            return
        for connection in self._connections:
            QObject.disconnect(connection)
        self._connections = []
        self._worker.cancel_event.set()
        self._retired[self._thread] = self._worker
        self._thread.quit()
        self._worker = self._thread = None
        self._answered_search = self._search_generation
