"""A library opened for use: its index kept up to date, searched, its reports read and
aligned. What the command line and the window's worker thread both work through.

One session per thread: it owns a Whoosh searcher, which must not be shared.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UserError
from .index import DAMAGE, VANISHED, Cancelled, Progress, ReportIndex, Waiting
from .library import SkipFile, read_report
from .model import IndexStats, Report, ReportInfo, SearchResult, Section
from .search import Searcher

if TYPE_CHECKING:
    import numpy as np


class LibrarySession:
    def __init__(self, index: ReportIndex):
        self.index = index
        self._searcher: Searcher | None = None
        self._loaded: dict[str, Report] = {}     # parsed reports, valid while the digest holds
        self._aligner = None
        self._aligner_key: tuple = ()

    @classmethod
    def open(cls, library: str | Path, index_dir: str | Path | None = None,
             max_bytes: int | None = None) -> "LibrarySession":
        """`max_bytes`: the size above which report files are skipped; by default the
        user's preference."""
        from . import locations
        library = Path(library)
        if not library.is_dir():
            raise UserError(f"there is no library folder at {library}: check the path or "
                            "open another library")
        index_dir = Path(index_dir) if index_dir is not None else locations.index_dir_for(library)
        return cls(ReportIndex(library, index_dir, max_bytes))

    @property
    def library(self) -> Path:
        return self.index.library

    @property
    def notice(self) -> str | None:
        return self.index.notice

    @property
    def skipped(self):
        """Files of the library that could not be read, with the reason (for the user)."""
        return self.index.skipped

    # -- index ---------------------------------------------------------------------------
    def update(self, progress: Progress | None = None, cancelled: Cancelled | None = None,
               wait_s: float | None = None, waiting: Waiting | None = None) -> IndexStats:
        """See ReportIndex.update: `wait_s` None reads what another process updating
        the index has saved; else waits for it, up to `wait_s`, and updates."""
        return self.index.update(progress, cancelled, wait_s=wait_s, waiting=waiting)

    def reload(self) -> None:
        """Catch up with what another session committed, without writing."""
        self.index.reload()

    def generation(self) -> int:
        """Counts the index's commits: a search made before it changed may find more now."""
        return self.index.whoosh.latest_generation()

    def section_count(self) -> int:
        return self.index.section_count()

    def rebuild(self, wait_s: float | None = None, waiting: Waiting | None = None) -> None:
        self._close_searcher()
        self.index.rebuild(wait_s, waiting)

    # -- reading -------------------------------------------------------------------------
    def report_infos(self) -> list[ReportInfo]:
        return sorted(self.index.reports.values(), key=lambda r: r.id)

    def info(self, report_id: str) -> ReportInfo | None:
        return self.index.reports.get(report_id)

    def load(self, report_id: str) -> Report:
        """The parsed report, read from its file (the file is the source of truth)."""
        info = self.info(report_id)
        if info is None:
            raise UserError(f"no report with id {report_id!r} (see `explorer reports`)")
        cached = self._loaded.get(report_id)
        if cached is not None and cached.digest == info.digest:
            return cached
        try:
            report = read_report(Path(info.path), self.library, self.index.max_bytes,
                                 report_id=report_id)
        except SkipFile as exc:
            raise UserError(f"cannot read {info.path}: {exc}") from exc
        self._loaded[report_id] = report
        return report

    def load_all(self) -> list[Report]:
        reports = []
        for info in self.report_infos():
            try:
                reports.append(self.load(info.id))
            except UserError:
                continue          # vanished since the last update: the next update drops it
        return reports

    # -- search --------------------------------------------------------------------------
    def search(self, text: str, limit: int = 20, report: str | None = None,
               live: bool = False) -> SearchResult:
        try:
            return self._search(text, limit, report, live)
        except DAMAGE:
            # a damaged segment the checks on opening did not see: rebuilt, asked again
            self._close_searcher()
            self.index.repair()
        except VANISHED:
            # another process deleted the files to rebuild the index: its new ones
            self._close_searcher()
            self.index.reopen()
        result = self._search(text, limit, report, live)
        notice = "; ".join(filter(None, (self.index.notice, result.notice))) or None
        return dataclasses.replace(result, notice=notice)

    def _search(self, text: str, limit: int, report: str | None, live: bool) -> SearchResult:
        if self._searcher is None or not self._searcher.searches(self.index.whoosh):
            # first search, or the index was replaced (rebuilt, moved to memory)
            self._close_searcher()
            self._searcher = Searcher(self.index)
        return self._searcher.search(text, limit=limit, report=report, live=live)

    # -- alignment -----------------------------------------------------------------------
    def aligner(self):
        from .alignment import Aligner
        reports = self.load_all()
        key = tuple((r.id, r.digest) for r in reports)
        if self._aligner is None or key != self._aligner_key:
            self._aligner, self._aligner_key = Aligner(reports, self._meaning_of), key
        return self._aligner

    @property
    def meaning_notice(self) -> str | None:
        """What to tell the user, once, when sections are matched by words alone."""
        if self._aligner is None or self._aligner.by_meaning:
            return None
        from . import meaning
        reason = meaning.unavailable()
        return (f"sections are matched by shared words only: the meaning model could not be "
                f"loaded ({reason})") if reason else None

    def _meaning_of(self, sections: Sequence[tuple[str, Section]]) -> np.ndarray | None:
        """The sections' meaning vectors (see meaning.section_vectors): bodies as indexed
        where the report has not changed since, the rest computed now."""
        from . import meaning   # with the aligner: never on the way to the window's first paint
        stored: dict[str, dict[int, np.ndarray]] = {}
        with self.index.whoosh.searcher() as searcher:
            for rid in dict.fromkeys(rid for rid, _ in sections):
                info, loaded = self.info(rid), self._loaded.get(rid)
                if info is not None and loaded is not None and loaded.digest == info.digest:
                    stored[rid] = self.index.stored_meaning(info, searcher) or {}
        return meaning.section_vectors(
            sections, [stored.get(rid, {}).get(s.number) for rid, s in sections])

    def close(self) -> None:
        self._close_searcher()
        self.index.close()

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
