"""The GUI thread's handle on a comparison worker, one per open library, shared by every
CompareView, TopicMapView and ConsensusView of the window.

Each request gets a ticket (a generation number unique across views); a view keeps the
ticket of its latest request and ignores answers to any other, so a slow answer to an old
request never replaces a newer one, nor lands in another view.
"""
from __future__ import annotations

from itertools import count
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from ...core.comparison import CompareRequest
from .worker import CompareWorker


class CompareClient(QObject):
    # the library's reports (tuple[ReportInfo, ...]), when known and after each refresh
    reports_changed = Signal(object)
    # answers: (ticket, Comparison), (ticket, TopicMap) and (ticket, worker.Consensus)
    compared = Signal(int, object)
    mapped = Signal(int, object)
    agreed = Signal(int, object)
    # a request failed: (ticket, or 0 for opening/refreshing; a message for the user)
    failed = Signal(int, str)
    # a message for the user, once (e.g. sections matched by words alone)
    notice = Signal(str)

    # requests, queued to the worker's thread
    _open_requested = Signal()
    _refresh_requested = Signal()
    _compare_requested = Signal(int, object)
    _topic_map_requested = Signal(int)
    _consensus_requested = Signal(int, object)

    def __init__(self, library: str | Path, index_dir: str | Path | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.library = str(Path(library).resolve())
        self.reports: tuple = ()
        self._tickets = count(1)
        self._thread = QThread()
        self._thread.setObjectName("compare-worker")
        self._worker = CompareWorker(self.library, None if index_dir is None else str(index_dir))
        self._worker.moveToThread(self._thread)
        self._connect_signals()
        self._thread.start()
        self._open_requested.emit()

    def _connect_signals(self) -> None:
        # Direct: runs in the worker's thread as it ends, the only thread the session knows.
        self._thread.finished.connect(self._worker.close, Qt.ConnectionType.DirectConnection)
        self._open_requested.connect(self._worker.open)
        self._refresh_requested.connect(self._worker.refresh)
        self._compare_requested.connect(self._worker.compare)
        self._topic_map_requested.connect(self._worker.topic_map)
        self._consensus_requested.connect(self._worker.consensus)
        self._worker.ready.connect(self._on_worker_ready)
        self._worker.compared.connect(self.compared)
        self._worker.mapped.connect(self.mapped)
        self._worker.agreed.connect(self.agreed)
        self._worker.failed.connect(self.failed)
        self._worker.notice.connect(self.notice)
        app = QCoreApplication.instance()
        if app is not None:     # a client left running at exit would abort the process
            app.aboutToQuit.connect(self.shutdown)

    # -- requests -------------------------------------------------------------------------
    def compare(self, request: CompareRequest) -> int:
        ticket = next(self._tickets)
        self._compare_requested.emit(ticket, request)
        return ticket

    def topic_map(self) -> int:
        ticket = next(self._tickets)
        self._topic_map_requested.emit(ticket)
        return ticket

    def consensus(self, ids: tuple[str, ...] | None = None) -> int:
        """The points these reports make (None: every report of the library)."""
        ticket = next(self._tickets)
        self._consensus_requested.emit(ticket, None if ids is None else tuple(ids))
        return ticket

    @Slot()
    def refresh(self) -> None:
        """Re-read changed files (connect the library's `state_changed` here)."""
        self._refresh_requested.emit()

    @Slot()
    def shutdown(self) -> None:
        """Stop the worker's thread and wait for it (idempotent)."""
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()

    # -- answers --------------------------------------------------------------------------
    @Slot(object)
    def _on_worker_ready(self, reports: tuple) -> None:
        self.reports = reports
        self.reports_changed.emit(reports)
