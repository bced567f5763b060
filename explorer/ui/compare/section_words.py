"""The words of every section a topic map shows, read off the GUI thread, so the map can
mark the sections holding a search's words as the search changes (a set lookup per cell).

The comparison worker sends the map without the sections' text; a QRunnable reads the
files once per map and answers with {(report id, section number): the section's stems}.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ...core.analysis import terms
from ...core.library import SkipFile, read_report

SectionWords = dict[tuple[str, int], frozenset[str]]


class SectionWordsReader(QObject):
    # the words of a map's sections: (ticket of the request, SectionWords)
    read = Signal(int, object)

    def __init__(self, parent: QObject):
        # A child of its view: it goes with the view, never from a pool thread.
        super().__init__(parent)
        self._ticket = 0

    def start(self, library: str, reports) -> int:
        """Read these reports (ReportInfo) of `library`; the answer carries the ticket."""
        self._ticket += 1
        QThreadPool.globalInstance().start(_Job(self, self._ticket, Path(library),
                                                tuple(reports)))
        return self._ticket


class _Job(QRunnable):
    def __init__(self, reader: SectionWordsReader, ticket: int, library: Path, reports):
        super().__init__()
        self._reader, self._ticket = reader, ticket
        self._library, self._reports = library, reports

    def run(self) -> None:
        words: SectionWords = {}
        for info in self._reports:
            try:
                report = read_report(Path(info.path), self._library, report_id=info.id)
            except (OSError, SkipFile):
                continue        # gone or unreadable since the map: its cells stay unmarked
            for section in report.sections:
                words[(info.id, section.number)] = frozenset(
                    terms(f"{section.title}\n{section.text}"))
        try:
            self._reader.read.emit(self._ticket, words)
        except RuntimeError:
            pass                # the map was closed meanwhile: nobody waits for the answer
