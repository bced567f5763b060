"""The comparison worker: a QObject in its own QThread owning a LibrarySession of its own
(sessions are not thread-safe), so loading, aligning and rendering never run on the GUI
thread. Answers are immutable and carry the ticket of the request they answer.

The GUI thread talks to it through `CompareClient` (client.py).
"""
from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from ... import applog
from ...core import comparison_html, consensus
from ...core.alignment import Aligner
from ...core.comparison import CompareRequest
from ...core.comparison_builder import ComparisonBuilder
from ...core.model import ReportInfo
from ...core.session import LibrarySession, UserError


@dataclass(frozen=True, slots=True)
class Consensus:
    """The answer to a consensus request: the reports asked about, in the order asked, and
    the points they make (core consensus.Point), most supported first."""
    reports: tuple[ReportInfo, ...]
    points: tuple[consensus.Point, ...]


class CompareWorker(QObject):
    # the library's reports (tuple[ReportInfo, ...]): when it opens and after each refresh
    ready = Signal(object)
    # answers, tagged with the ticket of their request
    compared = Signal(int, object)        # Comparison
    mapped = Signal(int, object)          # TopicMap
    agreed = Signal(int, object)          # Consensus
    # a request failed (ticket, or 0 for opening/refreshing); details went to the log
    failed = Signal(int, str)
    # something the user should know once, e.g. that sections are matched by words alone
    notice = Signal(str)

    def __init__(self, library: str, index_dir: str | None):
        super().__init__()
        self._library = library
        self._index_dir = index_dir
        self._session: LibrarySession | None = None
        self._builder: ComparisonBuilder | None = None
        self._told: set[str] = set()

    @Slot()
    def open(self) -> None:
        with self._reporting(0, f"opening library {self._library}"):
            self._session = LibrarySession.open(self._library, self._index_dir)
            # Imports Markdown's extensions now, not on the first comparison.
            comparison_html.body_html("")
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Catch up with what the window's indexer committed (this session never indexes:
        it would do the whole library a second time); then align at once, so the first
        comparison is quick."""
        if self._session is None:
            return
        with self._reporting(0, "reading the library"):
            self._session.reload()
            self._current_builder()
            self.ready.emit(tuple(self._session.report_infos()))

    @Slot(int, object)
    def compare(self, ticket: int, request: CompareRequest) -> None:
        if self._session is not None:
            with self._reporting(ticket, "aligning the reports"):
                self.compared.emit(ticket, self._current_builder().build(request))

    @Slot(int)
    def topic_map(self, ticket: int) -> None:
        if self._session is not None:
            with self._reporting(ticket, "building the topic map"):
                self.mapped.emit(ticket, self._current_builder().topic_map())

    @Slot(int, object)
    def consensus(self, ticket: int, ids: Sequence[str] | None) -> None:
        """The points of these reports (None or every id: the whole library, whose aligner
        the session keeps)."""
        if self._session is None:
            return
        with self._reporting(ticket, "finding what the reports agree on"):
            infos = {info.id: info for info in self._session.report_infos()}
            wanted = [rid for rid in dict.fromkeys(ids or infos) if rid in infos]
            if set(wanted) == set(infos):
                aligner = self._current_builder().aligner
                reports = self._session.load_all()
            else:
                reports = [self._session.load(rid) for rid in wanted]
                aligner = Aligner(reports)
            found = consensus.points(reports, aligner)
            self.agreed.emit(ticket, Consensus(tuple(ReportInfo.of(r) for r in reports),
                                               tuple(found)))

    @Slot()
    def close(self) -> None:
        """Connected to QThread.finished (directly): runs in this thread as it ends."""
        if self._session is not None:
            with self._reporting(0, "closing the library"):
                self._session.close()
            self._session = None

    def _current_builder(self) -> ComparisonBuilder:
        aligner = self._session.aligner()      # the same object while no report changed
        if self._builder is None or self._builder.aligner is not aligner:
            self._builder = ComparisonBuilder.of(self._session)
            said = self._session.meaning_notice
            if said and said not in self._told:
                self._told.add(said)
                self.notice.emit(said[0].upper() + said[1:])
        return self._builder

    @contextmanager
    def _reporting(self, ticket: int, doing: str):
        """Turn a failure into a `failed` message: UserError as said, anything else logged."""
        try:
            yield
        except UserError as exc:
            self.failed.emit(ticket, str(exc))
        except Exception as exc:  # noqa: BLE001 - thread boundary: log it, tell the user
            log = applog.log_exception(doing)
            self.failed.emit(ticket, f"Unexpected error while {doing}: {exc} (details in {log})")
