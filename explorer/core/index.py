"""The Whoosh index of a library: one document per section, updated incrementally.

The markdown files are the source of truth; the index is a cache of them. Whatever is
wrong with it (another schema version, a missing catalog, a segment that fails to open)
is answered by rebuilding it from the files, never by failing.
"""
from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from . import catalog
from .analysis import analyzer
from .library import SkipFile, list_report_files, read_report, report_ids
from .model import IndexStats, Report, ReportInfo, Skipped

# Bump whenever the schema, the analyzer or the parser changes what is indexed.
SCHEMA_VERSION = 1
# Reports per commit on a big build: progress survives a crash or a cancel, and each
# commit stays small enough to keep memory bounded.
BATCH = 500

Progress = Callable[[int, int], None]   # (done, total)
Cancelled = Callable[[], bool]


def build_schema() -> Schema:
    text = analyzer()
    return Schema(
        key=ID(unique=True),               # "<report id>#<section number>"
        report=ID(stored=True),            # report:ID in queries; deleting a report's sections
        report_title=STORED,
        section=NUMERIC(int, stored=True),
        # spelling=True keeps the unstemmed words apart, for "did you mean" and fuzzy~.
        title=TEXT(analyzer=text, stored=True, field_boost=2.0, phrase=True, spelling=True),
        body=TEXT(analyzer=text, stored=True, phrase=True, spelling=True),
    )


class ReportIndex:
    """A library's index and catalog. One instance per process; not shared across threads
    except through `searcher()`, which gives each caller its own searcher."""

    def __init__(self, library: str | Path, index_dir: str | Path | None):
        self.library = Path(library).resolve()
        self.index_dir = Path(index_dir) if index_dir is not None else None
        self.notice: str | None = None   # said once to the user, e.g. "index rebuilt: ..."
        self.reports: dict[str, ReportInfo] = {}
        self.skipped: tuple[Skipped, ...] = ()
        self._ix = self._open()

    # -- opening -------------------------------------------------------------------------
    def _open(self):
        if self.index_dir is None:
            return RamStorage().create_index(build_schema())
        try:
            self.reports, self.skipped = catalog.load(self.index_dir, SCHEMA_VERSION)
            ix = whoosh_index.open_dir(str(self.index_dir))
            ix.reader().close()    # opening the segments is what finds a truncated one
            return ix
        except catalog.CatalogError as exc:
            if (self.index_dir / catalog.CATALOG_NAME).exists():
                self.notice = f"index rebuilt ({exc})"
        except Exception as exc:  # noqa: BLE001 - any damage to the cache means: rebuild it
            self.notice = f"index rebuilt: it could not be opened ({type(exc).__name__})"
        return self._create()

    def _create(self):
        self.reports, self.skipped = {}, ()
        shutil.rmtree(self.index_dir, ignore_errors=True)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        ix = whoosh_index.create_in(str(self.index_dir), build_schema())
        catalog.save(self.index_dir, SCHEMA_VERSION, self.reports, self.skipped)
        return ix

    def rebuild(self) -> None:
        """Forget everything indexed; the next update reads every file again."""
        self._ix.close()
        self._ix = self._create() if self.index_dir is not None else self._open()

    @property
    def whoosh(self):
        return self._ix

    def section_count(self) -> int:
        return sum(len(r.headings) for r in self.reports.values())

    # -- updating ------------------------------------------------------------------------
    def update(self, progress: Progress | None = None,
               cancelled: Cancelled | None = None) -> IndexStats:
        """Bring the index in line with the files: only added, changed and deleted files
        are touched. Safe to call often: with nothing changed it only stats the files."""
        started = time.perf_counter()
        to_read, removed = self._diff()
        counts = {"added": 0, "updated": 0}
        skipped: list[Skipped] = []
        writer = self._ix.writer(limitmb=128) if to_read or removed else None
        for rid in removed:
            writer.delete_by_term("report", rid)
            del self.reports[rid]
        for done, (rid, path) in enumerate(to_read, 1):
            self._index_file(writer, rid, path, counts, skipped)
            if progress:
                progress(done, len(to_read))
            if done % BATCH == 0 or done == len(to_read):
                writer.commit()
                self._save_catalog(skipped)
                if done < len(to_read):
                    if cancelled and cancelled():
                        writer = None
                        break
                    writer = self._ix.writer(limitmb=128)
                else:
                    writer = None
        if writer is not None:          # only removals
            writer.commit()
        self.skipped = tuple(sorted(skipped, key=lambda s: s.path))
        self._save_catalog(skipped)
        return IndexStats(reports=len(self.reports), sections=self.section_count(),
                          added=counts["added"], updated=counts["updated"], removed=len(removed),
                          skipped=self.skipped, seconds=round(time.perf_counter() - started, 4))

    def _index_file(self, writer, rid: str, path: Path, counts: dict[str, int],
                    skipped: list[Skipped]) -> None:
        known = self.reports.get(rid)
        try:
            report = read_report(path, self.library, report_id=rid)
        except SkipFile as exc:
            skipped.append(Skipped(_relative(path, self.library), str(exc)))
            if known:
                writer.delete_by_term("report", rid)
                del self.reports[rid]
            return
        info = ReportInfo.of(report)
        self.reports[rid] = info
        if known and known.digest == info.digest and known.path == info.path:
            return                      # touched, not edited: only the catalog's mtime moves
        self._write_report(writer, report)
        counts["updated" if known else "added"] += 1

    def _diff(self) -> tuple[list[tuple[str, Path]], list[str]]:
        """(files to read, ids to remove), judged by size and mtime alone."""
        paths = list_report_files(self.library)
        on_disk = [(rid, path) for path, rid in report_ids(paths, self.library).items()]
        to_read = []
        for rid, path in on_disk:
            known = self.reports.get(rid)
            try:
                stat = path.stat()
            except OSError:
                to_read.append((rid, path))      # read_report says what is wrong with it
                continue
            if not (known and known.size == stat.st_size and known.mtime == stat.st_mtime
                    and known.path == str(path)):
                to_read.append((rid, path))
        present = {rid for rid, _ in on_disk}
        return to_read, sorted(rid for rid in self.reports if rid not in present)

    def _write_report(self, writer, report: Report) -> None:
        writer.delete_by_term("report", report.id)
        for s in report.sections:
            writer.add_document(key=f"{report.id}#{s.number}", report=report.id,
                                report_title=report.title, section=s.number,
                                title=s.title, body=s.text)

    def _save_catalog(self, skipped: list[Skipped]) -> None:
        if self.index_dir is not None:
            catalog.save(self.index_dir, SCHEMA_VERSION, self.reports, tuple(skipped))

    def close(self) -> None:
        self._ix.close()


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
