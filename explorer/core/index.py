"""The Whoosh index of a library: one document per section, updated incrementally.

The markdown files are the source of truth; the index is a cache of them. Whatever is
wrong with it (another schema version, a missing catalog, a segment that fails to open)
is answered by rebuilding it from the files, never by failing.
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import LockError

from . import catalog
from .analysis import analyzer
from .library import SkipFile, file_signature, list_report_files, read_report, report_ids
from .model import IndexStats, Report, ReportInfo, Skipped

# Bump whenever the schema, the analyzer or the parser changes what is indexed.
SCHEMA_VERSION = 1
# Reports per commit on a big build: progress survives a crash or a cancel, and each
# commit stays small enough to keep memory bounded.
BATCH = 500

# How long an update waits for another process's writer before reading what it wrote.
WRITE_WAIT_S = 1.0
# The files an index folder may hold: only these are ever deleted from it (never the
# lock file, which another process may hold).
WRITE_LOCK = "MAIN_WRITELOCK"          # the name Whoosh's writer locks
INDEX_FILE = re.compile(r"^(_?MAIN_(?!WRITELOCK$).*|catalog\.json(\.tmp)?)$")

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
        self.index_dir = Path(index_dir).resolve() if index_dir is not None else None
        if self.index_dir is not None and self.index_dir.is_relative_to(self.library):
            raise ValueError(f"the index cannot live inside the library ({self.index_dir})")
        self.notice: str | None = None   # said once to the user, e.g. "index rebuilt: ..."
        self.reports: dict[str, ReportInfo] = {}
        self.skipped: tuple[Skipped, ...] = ()
        self._skip_signatures: dict[str, tuple[int, float] | None] = {}
        self._ix = self._open()

    # -- opening -------------------------------------------------------------------------
    def _open(self):
        if self.index_dir is None:
            return RamStorage().create_index(build_schema())
        try:
            return self._open_existing()
        except catalog.CatalogError as exc:
            if (self.index_dir / catalog.CATALOG_NAME).exists():
                self.notice = f"index rebuilt ({exc})"
        except Exception as exc:  # noqa: BLE001 - any damage to the cache means: rebuild it
            self.notice = f"index rebuilt: it could not be opened ({type(exc).__name__})"
        try:
            return self._create(force=False)
        except OSError as exc:
            return self._in_memory(exc)

    def _open_existing(self):
        self.reports, self.skipped, self._skip_signatures = catalog.load(
            self.index_dir, SCHEMA_VERSION)
        ix = whoosh_index.open_dir(str(self.index_dir))
        ix.reader().close()    # opening the segments is what finds a truncated one
        return ix

    def _create(self, force: bool):
        """A new empty index. Holds Whoosh's own write lock meanwhile, so two processes
        starting on a new library do not create it over each other; unless forced, an
        index another process finished creating while we waited is opened instead."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileStorage(str(self.index_dir)).lock(WRITE_LOCK)
        lock.acquire(blocking=True)
        try:
            if not force:
                try:
                    return self._open_existing()
                except Exception:  # noqa: BLE001 - still missing or damaged: create it
                    pass
            self.reports, self.skipped, self._skip_signatures = {}, (), {}
            for leftover in self.index_dir.iterdir():
                if INDEX_FILE.match(leftover.name) and leftover.is_file():
                    leftover.unlink()
            ix = whoosh_index.create_in(str(self.index_dir), build_schema())
            catalog.save(self.index_dir, SCHEMA_VERSION, self.reports, self.skipped, {})
            return ix
        finally:
            lock.release()

    def _in_memory(self, exc: OSError):
        """The index folder cannot be written (read-only, disk full): keep working from
        an index in memory, rebuilt from the files, and say so."""
        self.notice = (f"cannot save the index in {self.index_dir} ({exc.strerror or exc}); "
                       "searching from memory this time")
        self.index_dir = None
        self.reports, self.skipped, self._skip_signatures = {}, (), {}
        return RamStorage().create_index(build_schema())

    def rebuild(self) -> None:
        """Forget everything indexed; the next update reads every file again."""
        self._ix.close()
        self._ix = self._open() if self.index_dir is None else self._create(force=True)

    @property
    def whoosh(self):
        return self._ix

    def section_count(self) -> int:
        return sum(len(r.headings) for r in self.reports.values())

    # -- updating ------------------------------------------------------------------------
    def update(self, progress: Progress | None = None,
               cancelled: Cancelled | None = None) -> IndexStats:
        """Bring the index in line with the files: only added, changed and deleted files
        are touched. Safe to call often: with nothing changed it only stats the files.

        Another process writing the same index (a second window, a command) is not an
        error: this one reads what that one wrote. A folder that cannot be written is
        not one either: the index moves to memory."""
        started = time.perf_counter()
        try:
            return self._update(started, progress, cancelled)
        except LockError:
            self.notice = "another Report Explorer is updating this index; showing what it has saved"
            try:
                self._ix = self._open_existing()
            except catalog.CatalogError:
                pass            # it has not saved its first batch yet: keep what we had
            return self._stats(started, 0, 0, 0)
        except OSError as exc:
            if self.index_dir is None:
                raise
            self._ix = self._in_memory(exc)
            return self._update(started, progress, cancelled)

    def _stats(self, started: float, added: int, updated: int, removed: int) -> IndexStats:
        return IndexStats(reports=len(self.reports), sections=self.section_count(),
                          added=added, updated=updated, removed=removed, skipped=self.skipped,
                          seconds=round(time.perf_counter() - started, 4))

    def _writer(self):
        # 256 MB keeps a whole batch's postings in memory: at 128 Whoosh spills sorted
        # runs to disk and a 1,000-report build took 33 s instead of 19 s, for the same
        # peak RSS (185 MB), measured on the benchmark corpus.
        return self._ix.writer(limitmb=256, timeout=WRITE_WAIT_S)

    def _update(self, started: float, progress: Progress | None,
                cancelled: Cancelled | None) -> IndexStats:
        to_read, removed, skipped = self._diff()
        counts = {"added": 0, "updated": 0}
        writer = self._writer() if to_read or removed else None
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
                    writer = self._writer()
                else:
                    writer = None
        if writer is not None:          # only removals
            writer.commit()
        self.skipped = tuple(sorted(skipped, key=lambda s: s.path))
        if to_read or removed:
            self._save_catalog(skipped)
        return self._stats(started, counts["added"], counts["updated"], len(removed))

    def _index_file(self, writer, rid: str, path: Path, counts: dict[str, int],
                    skipped: list[Skipped]) -> None:
        known = self.reports.get(rid)
        try:
            report = read_report(path, self.library, report_id=rid)
        except SkipFile as exc:
            rel = _relative(path, self.library)
            skipped.append(Skipped(rel, str(exc)))
            self._skip_signatures[rel] = _signature(path)
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

    def _diff(self) -> tuple[list[tuple[str, Path]], list[str], list[Skipped]]:
        """(files to read, ids to remove, files still skipped), judged by size and mtime
        alone: an unchanged file, readable or not, is not read again."""
        paths = list_report_files(self.library)
        on_disk = [(rid, path) for path, rid in report_ids(paths, self.library).items()]
        reasons = {s.path: s.reason for s in self.skipped}
        signatures, self._skip_signatures = self._skip_signatures, {}
        to_read, still_skipped = [], []
        for rid, path in on_disk:
            known = self.reports.get(rid)
            signature = _signature(path)
            rel = _relative(path, self.library)
            if known and (known.size, known.mtime) == signature and known.path == str(path):
                continue
            if not known and rel in reasons and signatures.get(rel) == signature:
                still_skipped.append(Skipped(rel, reasons[rel]))
                self._skip_signatures[rel] = signature
                continue
            to_read.append((rid, path))
        present = {rid for rid, _ in on_disk}
        return to_read, sorted(rid for rid in self.reports if rid not in present), still_skipped

    def _write_report(self, writer, report: Report) -> None:
        writer.delete_by_term("report", report.id)
        for s in report.sections:
            writer.add_document(key=f"{report.id}#{s.number}", report=report.id,
                                report_title=report.title, section=s.number,
                                title=s.title, body=s.text)

    def _save_catalog(self, skipped: list[Skipped]) -> None:
        if self.index_dir is not None:
            catalog.save(self.index_dir, SCHEMA_VERSION, self.reports, tuple(skipped),
                         self._skip_signatures)

    def close(self) -> None:
        self._ix.close()


def _signature(path: Path) -> tuple[int, float] | None:
    try:
        return file_signature(path)
    except OSError:
        return None                 # gone or unreadable: read_report will say which


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
