"""The Whoosh index of a library: one document per section, updated incrementally.

The markdown files are the source of truth; the index is a cache of them. Whatever is
wrong with it (another schema version, a missing catalog, a segment that fails to open or
to check out, a damaged word list, a pipe or link where a file should be) is answered by
rebuilding it from the files, never by failing.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
import pickle
import re
import stat
import struct
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import whoosh.reading
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import EmptyIndexError, LockError
from whoosh.reading import SegmentReader
from whoosh.util import fib

from . import catalog, checksums, index_folder, ownfiles, preferences
from .analysis import analyzer
from .errors import UserError
from .library import SkipFile, file_signature, read_report, report_files
from .model import IndexStats, Report, ReportInfo, Skipped
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    import numpy as np

# Bump whenever the schema, the analyzer or the parser changes what is indexed.
# 2: no Whoosh spelling fields; the written words are in the Vocabulary file instead.
# 3: each section's meaning vector; the parser decides the section level from the whole report.
# 4: the word list carries a checksum, the segments' are kept beside them.
SCHEMA_VERSION = 4
# Reports per commit on a big build: progress survives a crash or a cancel, and each
# commit stays small enough to keep memory bounded.
BATCH = 500
# From this many files to read, the analysis runs in child processes, one per core (at
# most MAX_WORKERS): Whoosh's indexing is pure Python, so threads would not help. A child
# costs ~0.3 s to start, so a parallel commit takes PARALLEL_BATCH reports.
PARALLEL_MIN = 400
PARALLEL_BATCH = 2000
MAX_WORKERS = 4

# A commit merges at most this many sections of older segments into its own. Whoosh's
# own policy (MERGE_SMALL) may merge every segment in one commit once there are enough of
# them: on a 10,000-report library one added report then rewrote the whole 165 MB index,
# and a merge costs ~1.2 ms per section (a search waits for the window's worker meanwhile).
MAX_MERGE_SECTIONS = 1000

# How long an update waits for another process's writer before reading what it wrote.
WRITE_WAIT_S = 1.0
# How often a waiting update looks whether the other process has finished.
POLL_S = 0.2
# How long a reader waits for the files of an index another process is rebuilding to be
# back (deleting and creating them takes milliseconds) before saying it is being rebuilt.
REOPEN_WAIT_S = 2.0
# The files an index folder may hold: only these are ever deleted from it (never the
# lock files, which another process may hold).
WRITE_LOCK = "MAIN_WRITELOCK"          # the name Whoosh's writer locks
# Held by an update from its first look at the files to its last catalog line, and by a
# rebuild while it replaces the index. Whoosh's lock is released at each commit: between
# two batches another process's rebuild deleted the index under an update (which then
# failed with "Index 'MAIN' does not exist"), or its update took over and left this one
# with a part of the library indexed.
UPDATE_LOCK = "UPDATELOCK"
INDEX_FILE = re.compile(rf"^(_?MAIN_(?!WRITELOCK$).*|{catalog.FILE_PATTERN}|words\.txt(\.tmp)?"
                        r"|checksums\.json(\.tmp)?)$")
# What reading a damaged segment raises (a flipped bit in compressed or pickled data, a
# cut record) when its checksum did not catch it first: damage, answered by a rebuild.
DAMAGE = (zlib.error, pickle.UnpicklingError, struct.error, EOFError, UnicodeDecodeError,
          # whoosh3 names some damage itself; Whoosh 2.7 (the fallback) does not
          getattr(whoosh.reading, "CorruptIndexError", zlib.error))
DAMAGED = ("the search index was damaged and has been rebuilt from the reports "
           "(nothing is lost: the reports are never changed)")
# What opening or reading an index raises when another process has just deleted its files
# to rebuild it (the table of contents, a segment, the catalog or its checksums are gone).
VANISHED = (FileNotFoundError, EmptyIndexError, catalog.CatalogError, checksums.ChecksumError)
BUSY = "another Report Explorer is updating this index; showing what it has saved"


class IndexBusy(UserError):
    """Another process kept the index to itself longer than this one would wait: the
    command did not do what it was asked. Its own exit status, so a script can retry."""

    exit_status = 75        # EX_TEMPFAIL (sysexits.h): a temporary failure, try again

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]   # (done, total)
Cancelled = Callable[[], bool]
Waiting = Callable[[float], None]       # (seconds waited so far), while another process updates


def build_schema() -> Schema:
    text = analyzer()
    return Schema(
        key=ID(unique=True),               # "<report id>#<section number>"
        report=ID(stored=True),            # report:ID in queries; deleting a report's sections
        report_title=STORED,
        section=NUMERIC(int, stored=True),
        # No spelling=True: the written words are kept in a Vocabulary (see vocabulary.py).
        title=TEXT(analyzer=text, stored=True, field_boost=2.0, phrase=True),
        body=TEXT(analyzer=text, stored=True, phrase=True),
        # The meaning of the section's body (meaning.body_vectors, float16 bytes; empty when
        # the model could not be loaded). A column: read by document without the stored text.
        meaning=COLUMN(VarBytesColumn()),
    )


class ReportIndex:
    """A library's index and catalog. One instance per process; not shared across threads
    except through `searcher()`, which gives each caller its own searcher."""

    def __init__(self, library: str | Path, index_dir: str | Path | None,
                 max_bytes: int | None = None):
        self.library = Path(library).resolve()
        # Files larger than this are skipped with a size reason. Unless given, it is the
        # user's preference, read again at each update so a change applies to an open library.
        self._limit_is_preference = max_bytes is None
        self.max_bytes = preferences.max_report_bytes() if max_bytes is None else max_bytes
        self.index_dir = Path(index_dir).resolve() if index_dir is not None else None
        self.notice: str | None = None   # said once to the user, e.g. "index rebuilt: ..."
        self.reports: dict[str, ReportInfo] = {}
        self.skipped: tuple[Skipped, ...] = ()
        self._skip_signatures: dict[str, tuple[int, float] | None] = {}
        self._changed: set[str] = set()     # ids put or removed since the catalog was saved
        self.vocabulary = Vocabulary(None)
        self._catalog = catalog.Catalog(self.index_dir, SCHEMA_VERSION) if self.index_dir else None
        self._ix = self._open()

    # -- opening -------------------------------------------------------------------------
    def _open(self):
        if self.index_dir is None:
            self.vocabulary = Vocabulary(None)
            return RamStorage().create_index(build_schema())
        try:
            index_folder.claim(self.index_dir, self.library, _is_own_file)
        except OSError as exc:
            return self._in_memory(exc)
        try:
            return self._open_existing()
        except catalog.CatalogError as exc:
            if os.path.lexists(self.index_dir / catalog.CATALOG_NAME):   # a link counts
                notice = f"the search index was rebuilt from the reports: {exc}"
            else:
                notice = None
        except Exception:  # noqa: BLE001 - any damage to the cache means: rebuild it
            log.warning("index in %s could not be opened", self.index_dir, exc_info=True)
            notice = DAMAGED
        try:
            # Never over an index another process is updating: it may have deleted the
            # files a moment ago to rebuild it (which is no damage, and said as such).
            with self._update_lock(WRITE_WAIT_S, None):
                ix, created = self._create(force=False)
        except IndexBusy:
            try:
                return self._reopened()
            except _Missing:
                raise UserError("another Report Explorer was rebuilding this index: "
                                "try again") from None
        except OSError as exc:
            return self._in_memory(exc)
        if created:
            self.notice = notice or self.notice
        return ix

    def _open_existing(self):
        self._load_catalog()
        ix = _storage(self.index_dir).open_index()
        ix.reader().close()    # opening the segments is what finds a truncated one
        # A flipped bit is found by the checksums: ~7 ms of the ~19 ms an opening takes
        # on a 1,000-report index (22 MB of segments).
        checksums.verify(self.index_dir, _files_in_use(ix))
        self.vocabulary = Vocabulary(self.index_dir)
        self.vocabulary.load()
        return ix

    def _create(self, force: bool):
        """(A new empty index, True). The caller holds UPDATE_LOCK; this holds Whoosh's
        own write lock too (as earlier versions did alone). Unless forced, an index
        another process finished creating while we waited is opened instead: (it, False)."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        lock = _storage(self.index_dir).lock(WRITE_LOCK)
        lock.acquire(blocking=True)
        try:
            if not force:
                try:
                    return self._open_existing(), False
                except Exception:  # noqa: BLE001 - still missing or damaged: create it
                    pass
            self._take(catalog.Contents())
            self._changed.clear()
            for leftover in self.index_dir.iterdir():
                if INDEX_FILE.match(leftover.name):
                    _remove(leftover)
            ix = _storage(self.index_dir).create_index(build_schema())
            checksums.record(self.index_dir, _files_in_use(ix))
            self.vocabulary = Vocabulary(self.index_dir)
            self.vocabulary.save(always=True)
            self._catalog.write_snapshot(catalog.Contents(), self.max_bytes)
            return ix, True
        finally:
            lock.release()

    def _in_memory(self, exc: OSError):
        """The index folder cannot be written (read-only, disk full): keep working from
        an index in memory, rebuilt from the files, and say so."""
        self.notice = (f"cannot save the index in {self.index_dir} ({exc.strerror or exc}); "
                       "searching from memory this time: free some disk space or make the "
                       "folder writable to keep it between runs")
        self.index_dir, self._catalog = None, None
        self._take(catalog.Contents())
        self.vocabulary = Vocabulary(None)
        return RamStorage().create_index(build_schema())

    def rebuild(self, wait_s: float | None = None, waiting: Waiting | None = None) -> None:
        """Forget everything indexed; the next update reads every file again. Waits up
        to `wait_s` (default WRITE_WAIT_S) for another process's update to end (calling
        `waiting` meanwhile), then raises IndexBusy: deleting the index under it would
        wreck its work."""
        if self.index_dir is None:
            self._ix.close()
            self._ix = self._open()
            return
        wait_s = WRITE_WAIT_S if wait_s is None else wait_s
        try:
            with self._update_lock(wait_s, waiting):
                self._ix.close()
                self._ix, _ = self._create(force=True)
        except IndexBusy:
            raise IndexBusy(f"another Report Explorer kept this index busy for {wait_s:.0f} s; "
                            "it was not rebuilt: try again when it has finished") from None

    def repair(self) -> None:
        """Reading the index failed on damage (one of DAMAGE) that opening it did not
        find: rebuild it from the reports, and say so."""
        log.warning("index in %s found damaged while reading", self.index_dir, exc_info=True)
        self.notice = DAMAGED
        self.rebuild()
        self.update()

    def being_updated(self) -> bool:
        """Whether another process holds UPDATE_LOCK (is updating or rebuilding)."""
        if self.index_dir is None:
            return False
        lock = _storage(self.index_dir).lock(UPDATE_LOCK)
        if not lock.acquire():
            return True
        lock.release()
        return False

    @property
    def whoosh(self):
        return self._ix

    def section_count(self) -> int:
        return sum(len(r.headings) for r in self.reports.values())

    # -- updating ------------------------------------------------------------------------
    def update(self, progress: Progress | None = None, cancelled: Cancelled | None = None,
               workers: int | None = None, wait_s: float | None = None,
               waiting: Waiting | None = None) -> IndexStats:
        """Bring the index in line with the files: only added, changed and deleted files
        are touched. Safe to call often: with nothing changed it only stats the files.

        Another process updating the same index (a second window, a command): with
        `wait_s` None, this one waits WRITE_WAIT_S, then reads what that one saved (and
        says so in `notice`); else it waits up to `wait_s` for that one to end, calling
        `waiting` meanwhile, and does its own update, or raises IndexBusy. A folder that
        cannot be written is not an error: the index moves to memory.

        `workers`: processes that analyse the text (default: one per core for a big
        update, else none)."""
        started = time.perf_counter()
        self._follow_preferred_limit()
        if self.index_dir is None:
            return self._update_held(started, progress, cancelled, workers)
        try:
            with self._update_lock(WRITE_WAIT_S if wait_s is None else wait_s, waiting):
                return self._update_held(started, progress, cancelled, workers)
        except (IndexBusy, LockError):      # LockError: a writer not holding UPDATE_LOCK
            if wait_s is not None:
                raise IndexBusy("another Report Explorer kept this index busy for "
                                f"{wait_s:.0f} s; the index was not updated: try again when "
                                "it has finished") from None
            self.notice = BUSY
            self.reopen()
            return self._stats(started, 0, 0, 0)

    def _update_held(self, started: float, progress: Progress | None,
                     cancelled: Cancelled | None, workers: int | None) -> IndexStats:
        try:
            return self._update(started, progress, cancelled, workers)
        except _LostWork as exc:
            log.warning("parallel indexing lost work (%s): rebuilding in this process", exc)
            self._ix.close()
            self._ix, _ = self._create(force=True)  # this process holds UPDATE_LOCK
            return self._update(started, progress, cancelled, 1)
        except OSError as exc:
            if self.index_dir is None:
                raise
            self._ix = self._in_memory(exc)
            return self._update(started, progress, cancelled, 1)

    @contextlib.contextmanager
    def _update_lock(self, wait_s: float, waiting: Waiting | None):
        """Hold UPDATE_LOCK, waiting up to `wait_s` for another process to release it.
        Raises IndexBusy."""
        lock = _storage(self.index_dir).lock(UPDATE_LOCK)
        began = time.monotonic()
        while not lock.acquire():
            waited = time.monotonic() - began
            if waited >= wait_s:
                raise IndexBusy("another Report Explorer is updating this index")
            if waiting is not None:
                waiting(waited)
            time.sleep(min(POLL_S, wait_s - waited))
        try:
            yield
        finally:
            lock.release()

    def reopen(self) -> None:
        """Open the index again as another process left it: for a session that cannot
        update it (another process is), or whose reading found its files gone (another
        process is rebuilding it, or they were deleted: then it is rebuilt here).
        Raises UserError when another process keeps it without its files."""
        if self.index_dir is None:
            return
        try:
            ix = self._reopened()
        except _Missing:
            self.repair()
            return
        self._ix.close()
        self._ix = ix

    def _reopened(self):
        """The index as another process left it. That process creates the new files of
        a rebuild within milliseconds of deleting the old ones: wait up to REOPEN_WAIT_S
        for them. Raises UserError, or _Missing when no other process holds the index."""
        began = time.monotonic()
        while True:
            try:
                return self._open_existing()
            except VANISHED as exc:
                if time.monotonic() - began >= REOPEN_WAIT_S:
                    log.warning("index in %s is missing files: %s", self.index_dir, exc)
                    if not self.being_updated():
                        raise _Missing(str(exc)) from exc
                    raise UserError("another Report Explorer is rebuilding this index: "
                                    "try again in a moment") from None
                time.sleep(POLL_S)

    def _follow_preferred_limit(self) -> None:
        if not self._limit_is_preference:
            return
        limit = preferences.max_report_bytes()
        if limit != self.max_bytes:
            self.max_bytes = limit
            # the skipped files were judged by the old limit: try each of them again
            self._skip_signatures = dict.fromkeys(self._skip_signatures)

    def _stats(self, started: float, added: int, updated: int, removed: int) -> IndexStats:
        return IndexStats(reports=len(self.reports), sections=self.section_count(),
                          added=added, updated=updated, removed=removed, skipped=self.skipped,
                          seconds=round(time.perf_counter() - started, 4))

    def _writer(self, workers: int):
        # 256 MB keeps a whole batch's postings in memory: at 128 Whoosh spills sorted
        # runs to disk and a 1,000-report build took 33 s instead of 19 s, for the same
        # peak RSS (185 MB), measured on the benchmark corpus.
        if workers < 2:
            return self._ix.writer(limitmb=256, timeout=WRITE_WAIT_S)
        # "spawn", never fork: this process may have threads (the window's workers), and
        # the frozen app supports it through freeze_support() (packaging/launch.py).
        # multisegment: each child's work becomes a segment of its own, no merge pass.
        return self._ix.writer(procs=workers, multisegment=True, start_method="spawn",
                               limitmb=256, timeout=WRITE_WAIT_S)

    def _update(self, started: float, progress: Progress | None,
                cancelled: Cancelled | None, workers: int | None) -> IndexStats:
        self._catch_up()
        to_read, removed, skipped = self._diff()
        if workers is None:
            workers = _cores() if len(to_read) >= PARALLEL_MIN and self.index_dir else 1
        batch = PARALLEL_BATCH if workers > 1 else BATCH
        counts = {"added": 0, "updated": 0}
        writer = self._writer(workers) if to_read or removed else None
        for rid in removed:
            writer.delete_by_term("report", rid)
            del self.reports[rid]
            self._changed.add(rid)
        in_batch = 0
        for done, (rid, path) in enumerate(to_read, 1):
            self._index_file(writer, rid, path, counts, skipped)
            in_batch += 1
            if progress:
                progress(done, len(to_read))
            stop = done < len(to_read) and cancelled is not None and cancelled()
            if in_batch == batch or done == len(to_read) or stop:
                self._commit(writer, workers, skipped)
                writer, in_batch = None, 0
                if stop:
                    break
                if done < len(to_read):
                    writer = self._writer(workers)
        if writer is not None:          # only removals
            self._commit(writer, 1, skipped)
        self.skipped = tuple(sorted(skipped, key=lambda s: s.path))
        return self._stats(started, counts["added"], counts["updated"], len(removed))

    def _commit(self, writer, workers: int, skipped: list[Skipped]) -> None:
        self.vocabulary.save()     # first: a committed word must be expandable
        if workers > 1:
            writer.commit()     # its children's segments are added as they are (multisegment)
        else:
            writer.commit(mergetype=_merge_small_segments)
        if self.index_dir is not None:
            checksums.record(self.index_dir, _files_in_use(self._ix))
        if workers > 1 and self._ix.doc_count() < self.section_count():
            # Whoosh drops the work of a child that died (killed, out of memory) without
            # a word: never leave an index that silently misses reports.
            raise _LostWork(f"{self.section_count()} sections read, "
                            f"{self._ix.doc_count()} indexed")
        self._save_catalog(skipped)

    def _index_file(self, writer, rid: str, path: Path, counts: dict[str, int],
                    skipped: list[Skipped]) -> None:
        known = self.reports.get(rid)
        try:
            report = read_report(path, self.library, self.max_bytes, report_id=rid)
        except SkipFile as exc:
            rel = _relative(path, self.library)
            skipped.append(Skipped(rel, str(exc)))
            self._skip_signatures[rel] = _signature(path)
            if known:
                writer.delete_by_term("report", rid)
                del self.reports[rid]
                self._changed.add(rid)
            return
        info = ReportInfo.of(report)
        self.reports[rid] = info
        self._changed.add(rid)
        if known and known.digest == info.digest and known.path == info.path:
            return                      # touched, not edited: only the catalog's mtime moves
        self._write_report(writer, report)
        counts["updated" if known else "added"] += 1

    def _diff(self) -> tuple[list[tuple[str, Path]], list[str], list[Skipped]]:
        """(files to read, ids to remove, files still skipped), judged by size and mtime
        alone: an unchanged file, readable or not, is not read again."""
        on_disk = report_files(self.library)
        reasons = {s.path: s.reason for s in self.skipped}
        signatures, self._skip_signatures = self._skip_signatures, {}
        to_read, still_skipped = [], []
        for file in on_disk:
            known = self.reports.get(file.id)
            if known:
                if ((known.size, known.mtime) == file.signature and known.path == file.path
                        and known.size <= self.max_bytes):    # else: over a lowered limit
                    continue
            elif file.relative in reasons and signatures.get(file.relative) == file.signature:
                still_skipped.append(Skipped(file.relative, reasons[file.relative]))
                self._skip_signatures[file.relative] = file.signature
                continue
            to_read.append((file.id, Path(file.path)))
        present = {file.id for file in on_disk}
        return to_read, sorted(rid for rid in self.reports if rid not in present), still_skipped

    def _write_report(self, writer, report: Report) -> None:
        writer.delete_by_term("report", report.id)
        self.vocabulary.add(t for s in report.sections for t in (s.title, s.text))
        # Imported on first use: numpy and the model are ~0.3 s that opening an index which
        # is up to date (the window's start) never needs.
        from . import meaning
        vectors = meaning.body_vectors(report.sections)
        for i, s in enumerate(report.sections):
            writer.add_document(key=f"{report.id}#{s.number}", report=report.id,
                                report_title=report.title, section=s.number,
                                title=s.title, body=s.text,
                                meaning=b"" if vectors is None else meaning.to_bytes(vectors[i]))

    def stored_meaning(self, report: ReportInfo, searcher) -> dict[int, np.ndarray] | None:
        """The report's body vectors as indexed (section number -> vector), or None when
        the index has none for it (indexed without the model)."""
        from . import meaning
        reader = searcher.reader()
        if not reader.has_column("meaning"):
            return None
        column = reader.column_reader("meaning")
        found = {}
        for docnum in searcher.document_numbers(report=report.id):
            vector = meaning.from_bytes(column[docnum])
            if vector is None:
                return None
            found[searcher.stored_fields(docnum)["section"]] = vector
        return found

    def _save_catalog(self, skipped: list[Skipped]) -> None:
        if self._catalog is not None:
            contents = catalog.Contents(self.reports, tuple(skipped), self._skip_signatures)
            self._catalog.save(contents, self._changed, self.max_bytes)
        self._changed.clear()

    def _load_catalog(self) -> None:
        self._take(self._catalog.load(self.max_bytes))

    def _take(self, contents: catalog.Contents) -> None:
        self.reports, self.skipped = contents.reports, contents.skipped
        self._skip_signatures = contents.signatures

    def _catch_up(self) -> None:
        """Take in what another session or process committed since this one last read
        the catalog: without it, a second session would index every file again."""
        if self._catalog is None:
            return
        current = catalog.Contents(self.reports, self.skipped, self._skip_signatures)
        try:
            contents = self._catalog.catch_up(current, self.max_bytes)
        except catalog.CatalogError:
            return          # being replaced (a rebuild): the next update catches up
        if contents is not None:
            self._take(contents)
            self.vocabulary.reload()

    def reload(self) -> None:
        """For a session that only reads (the comparison worker): catch up with what the
        window's indexer committed, without writing. An index kept in memory has no
        other writer, so it is brought up to date by this session itself."""
        if self.index_dir is None:
            self.update()
        else:
            self._catch_up()

    def close(self) -> None:
        self._ix.close()


def _storage(folder: Path) -> FileStorage:
    # No mmap: whoosh3 reads each memory-mapped segment file into a BytesIO, a private
    # copy of the whole index per searcher (a 10,000-report index: 386 MB RSS after the
    # benchmark queries, 75 MB without, for ~10% more CPU per query).
    return _Storage(str(folder), supports_mmap=False)


class _Storage(FileStorage):
    """An index folder's storage. Whoosh hands it to each child process of a parallel
    commit, which opens the index through it: there, it makes the child end with this
    process. Else a child whose parent was killed (the app closed by force mid-build)
    would wait on its job queue forever. (Whoosh's children take no initializer.)"""

    def open_index(self, *args, **kwargs):
        _end_with_parent()
        return super().open_index(*args, **kwargs)

    def open_file(self, name, **kwargs):
        # Never a pipe (waits forever) or a link to a device (reads forever).
        return StructFile(ownfiles.open_regular(self._fpath(name)), name=name, **kwargs)

    def lock(self, name):
        # Whoosh opens its lock file for writing: a pipe put there would hold every update
        # forever. Never a lock of anyone's, it is removed (a link too: the lock is ours).
        path = self._fpath(name)
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                _remove(Path(path))
        except FileNotFoundError:
            pass
        return super().lock(name)


def _files_in_use(ix) -> list[str]:
    """The files of the index's newest generation: its table of contents and segments."""
    toc = ix._read_toc()
    prefixes = tuple(f"{ix.indexname}_{segment.segid}." for segment in toc.segments)
    return [f"_{ix.indexname}_{toc.generation}.toc",
            *sorted(name for name in ix.storage.list() if name.startswith(prefixes))]


def _is_own_file(name: str) -> bool:
    return name in (WRITE_LOCK, UPDATE_LOCK) or INDEX_FILE.match(name) is not None


def _remove(path: Path) -> None:
    """Remove a leftover index file, or whatever stands at its name (a pipe, a link, an
    empty folder; a folder with files in it is left, and writing there then fails)."""
    try:
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
        else:
            path.unlink()
    except OSError as exc:
        log.warning("cannot remove %s from the index folder: %s", path, exc)


@functools.cache            # one watcher per process
def _end_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is not None:                  # None: not a child process
        threading.Thread(target=_exit_after, args=(parent,), daemon=True,
                         name="exit-with-parent").start()


def _exit_after(parent) -> None:
    parent.join()       # returns once the parent has ended, however it ended
    os._exit(1)         # at once: the work is lost with the parent anyway


def _merge_small_segments(writer, segments) -> list:
    """Whoosh's MERGE_SMALL, bounded: the smallest segments are merged once the first
    i + 1 of them (i > 3) hold fewer than fib(i + 5) documents, as Whoosh does, but only
    while they hold at most MAX_MERGE_SECTIONS. Returns the segments left as they are."""
    by_size = sorted(segments, key=lambda segment: segment.doc_count_all())
    total = 0
    for i, segment in enumerate(by_size):
        total += segment.doc_count_all()
        if total > MAX_MERGE_SECTIONS:
            break
        if i > 3 and total < fib(i + 5):
            for small in by_size[:i + 1]:
                reader = SegmentReader(writer.storage, writer.schema, small)
                writer.add_reader(reader)
                reader.close()
            return by_size[i + 1:]
    return list(segments)


class _LostWork(Exception):
    """A parallel commit indexed fewer sections than were read."""


class _Missing(Exception):
    """The index's files are gone and no other process is making new ones."""


def _cores() -> int:
    try:
        cores = len(os.sched_getaffinity(0))    # the cores this process may use
    except AttributeError:                      # not on macOS or Windows
        cores = os.cpu_count() or 1
    return min(cores, MAX_WORKERS)


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
