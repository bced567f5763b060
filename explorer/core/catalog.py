"""The catalog: beside the Whoosh index, every indexed report file and every skipped one.

It lets an update compare each file's size and mtime (and, when those changed, its hash)
without re-reading unchanged files, and lets the report list be shown without parsing
the library. If a crash leaves it behind the index, the next update merely re-indexes the
files it does not know.

It is two files. `catalog.json`, a snapshot, is only ever replaced whole (written aside,
then renamed over the old one). Each index commit after it appends one JSON line to its
journal, `catalog.<token>.journal`: rewriting a 10,000-report snapshot took ~0.2 s per
commit, which a library watch pays for every report added. The snapshot is rewritten,
and the journal started afresh, once the journal grows past a quarter of it.

The snapshot and each journal line end with a checksum of what they hold (after a tab,
which JSON written as ASCII never holds): a flipped bit would otherwise be taken in as
a wrong title or a forgotten report. A damaged one is damage: the index is rebuilt.

A line is taken in only when whole, so a line a crash cut short is ignored. The token,
new with each snapshot, ties a journal to its snapshot: lines written against an older
snapshot are never replayed onto a newer one. Another process sees what this one wrote
by reading the lines added since it last looked.
"""
from __future__ import annotations

import errno
import json
import os
import secrets
import stat
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import ownfiles
from .model import Heading, ReportInfo, Skipped

CATALOG_NAME = "catalog.json"
# The names of the catalog's files in an index folder (with `catalog.json.tmp`, which
# earlier versions wrote), for the index to know what it may delete.
FILE_PATTERN = r"catalog\.json(\.tmp)?|catalog\.[0-9a-f]+\.(journal|tmp)"
# The journal may grow to a quarter of the snapshot (so loading both costs at most 25%
# more than the snapshot alone), and to this much however small the snapshot.
JOURNAL_MIN_BYTES = 64_000
# Far above the catalog of any library (~0.6 MB per 1,000 reports): a larger file, or a
# link to /dev/zero, is not one this app wrote.
MAX_FILE_BYTES = 512_000_000


class CatalogError(ValueError):
    """The catalog is missing, unreadable or from another schema version."""


Signature = tuple[int, float] | None     # (size, mtime) of a skipped file when it was tried
_Stamp = tuple[int, int, int]            # a snapshot file's (inode, mtime, size)


@dataclass
class Contents:
    """What a catalog lists."""

    reports: dict[str, ReportInfo] = field(default_factory=dict)
    skipped: tuple[Skipped, ...] = ()
    signatures: dict[str, Signature] = field(default_factory=dict)   # by skipped path


class Catalog:
    """An index folder's catalog, as this process last read or wrote it."""

    def __init__(self, folder: Path, schema_version: int):
        self._folder = folder
        self._schema = schema_version
        self._token: str | None = None      # the snapshot's journal; None: it has none
        self._stamp: _Stamp | None = None   # the snapshot as last read or written
        self._snapshot_bytes = 0
        self._offset = 0                    # journal bytes taken in (whole lines)

    # -- reading ---------------------------------------------------------------------------
    def load(self, max_bytes: int | None = None) -> Contents:
        """The snapshot and its journal. When the size limit differs from the one a
        skipped file was judged by, its signature is dropped, so the next update tries it
        again under the new limit. Raises CatalogError."""
        path = self._folder / CATALOG_NAME
        try:
            stamp = _stamp(path)     # first: a snapshot replaced meanwhile is reread next time
            raw = ownfiles.read_regular(path, MAX_FILE_BYTES)
            data = json.loads(_unsealed(raw, "the catalog"))
            if data.get("schema") != self._schema:
                raise CatalogError(f"it was made by another version of Report Explorer "
                                   f"(index format {data.get('schema')}, this version uses "
                                   f"{self._schema})")
            reports = {info.id: info for info in map(_report_info, data["reports"])}
            contents = Contents(reports, *_skipped(data, max_bytes))
            token = data.get("journal")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CatalogError(str(exc)) from exc
        self._token, self._stamp, self._snapshot_bytes, self._offset = token, stamp, len(raw), 0
        self._replay(contents, max_bytes)
        return contents

    def catch_up(self, contents: Contents, max_bytes: int | None = None) -> Contents | None:
        """`contents` with what other processes committed since this one last read or
        wrote the catalog, or None when they committed nothing. Raises CatalogError."""
        try:
            replaced = _stamp(self._folder / CATALOG_NAME) != self._stamp
        except OSError as exc:
            raise CatalogError(str(exc)) from exc
        if replaced:
            return self.load(max_bytes)
        return contents if self._replay(contents, max_bytes) else None

    def _replay(self, contents: Contents, max_bytes: int | None) -> bool:
        """Apply the journal's whole lines past the offset; whether there were any."""
        if self._token is None:
            return False
        try:
            tail = ownfiles.read_regular(self._journal(), MAX_FILE_BYTES, self._offset)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise CatalogError(str(exc)) from exc
        whole = tail.rfind(b"\n") + 1       # a line still being written is read next time
        self._offset += whole
        records = [self._record(line, max_bytes) for line in tail[:whole].split(b"\n")]
        for record in filter(None, records):
            _apply(record, contents)
        return any(records)

    def _record(self, line: bytes, max_bytes: int | None) -> dict | None:
        """A journal line parsed and checked, or None: blank, cut short by a crash, or
        written against another snapshot. Raises CatalogError for a damaged line."""
        if not _is_whole(line):
            return None
        try:
            data = json.loads(_unsealed(line + b"\n", "a line of the catalog's journal"))
            if data.get("base") != self._token:
                return None
            return {"put": [_report_info(r) for r in data["put"]],
                    "del": [str(rid) for rid in data["del"]],
                    "skipped": _skipped(data, max_bytes)}
        except CatalogError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    # -- writing ---------------------------------------------------------------------------
    def save(self, contents: Contents, changed: Iterable[str],
             max_bytes: int | None = None) -> None:
        """Record a commit: the reports of `changed` (ids put or removed since the last
        save) and the skipped files. A line appended to the journal, unless there is
        none yet, another process replaced the snapshot (whose journal this process has
        not read), or the journal has grown large: then a new snapshot."""
        line = self._line(contents, changed, max_bytes)
        if (self._token is None or self._snapshot_replaced()
                or self._journal_bytes() + len(line) > self._journal_limit()):
            self.write_snapshot(contents, max_bytes)
        else:
            self._append(line)

    def write_snapshot(self, contents: Contents, max_bytes: int | None = None) -> None:
        token = secrets.token_hex(8)
        data = {
            "schema": self._schema,
            "max_bytes": max_bytes,       # the size limit the skipped files were judged by
            "journal": token,
            "reports": [_report_dict(r) for r in sorted(contents.reports.values(),
                                                        key=lambda r: r.id)],
            "skipped": _skipped_dicts(contents),
        }
        # ASCII escapes: a file name that is not valid UTF-8 (a lone surrogate in Python)
        # is listed as skipped, and must survive the round trip instead of failing the save.
        raw = _sealed(json.dumps(data).encode("ascii"))
        # A name of its own, so two processes writing snapshots at once cannot mix them.
        tmp = self._folder / f"catalog.{token}.tmp"
        try:
            tmp.write_bytes(raw)
            os.replace(tmp, self._folder / CATALOG_NAME)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        self._token, self._snapshot_bytes, self._offset = token, len(raw), 0
        self._stamp = _stamp(self._folder / CATALOG_NAME)
        self._remove_other_journals()

    def _line(self, contents: Contents, changed: Iterable[str], max_bytes: int | None) -> bytes:
        put, removed = [], []
        for rid in sorted(changed):
            info = contents.reports.get(rid)
            if info is None:
                removed.append(rid)
            else:
                put.append(_report_dict(info))
        record = {"base": self._token, "put": put, "del": removed, "max_bytes": max_bytes,
                  "skipped": _skipped_dicts(contents)}
        # A newline first too: it ends a line a crash may have left unfinished.
        return b"\n" + _sealed(json.dumps(record).encode("ascii"))

    def _append(self, line: bytes) -> None:
        # One write in append mode: lines of processes committing at once do not mix.
        # Never into a pipe or through a link (see ownfiles).
        fd = os.open(self._journal(), os.O_WRONLY | os.O_APPEND | os.O_CREAT
                     | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_BINARY", 0), 0o644)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ownfiles.NotRegularFile(f"{self._journal()} is not a regular file")
            written = os.write(fd, line)
            end = os.lseek(fd, 0, os.SEEK_CUR)
        finally:
            os.close(fd)
        if written < len(line):         # the disk is full: the cut line will be ignored
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        if end - len(line) == self._offset:
            self._offset = end          # nothing of another process's in between to read
        # else: the next catch_up reads the lines in between, and this one again (a no-op)

    def _snapshot_replaced(self) -> bool:
        try:
            return _stamp(self._folder / CATALOG_NAME) != self._stamp
        except OSError:
            return True

    def _journal(self) -> Path:
        return self._folder / f"catalog.{self._token}.journal"

    def _journal_bytes(self) -> int:
        try:
            return self._journal().stat().st_size
        except FileNotFoundError:
            return 0

    def _journal_limit(self) -> int:
        return max(JOURNAL_MIN_BYTES, self._snapshot_bytes // 4)

    def _remove_other_journals(self) -> None:
        # Journals of replaced snapshots are never read again. Another process may still
        # append to one: its line is lost, so its next update merely re-reads those files.
        for journal in self._folder.glob("catalog.*.journal"):
            if journal.name != self._journal().name:
                journal.unlink(missing_ok=True)


def _sealed(body: bytes) -> bytes:
    return body + b"\t%08x\n" % zlib.crc32(body)


def _is_whole(line: bytes) -> bool:
    """Whether a journal line (without its newline) was written to its end: a crash can
    cut one short anywhere, but only a whole one ends with its tab and checksum."""
    return len(line) > 9 and line[-9:-8] == b"\t"


def _unsealed(data: bytes, what: str) -> bytes:
    """What `_sealed` sealed. Raises CatalogError when it is not that."""
    body, tab, crc = data.removesuffix(b"\n").rpartition(b"\t")
    if not tab or not data.endswith(b"\n") or crc != b"%08x" % zlib.crc32(body):
        raise CatalogError(f"{what} is damaged (its checksum does not match)")
    return body


def _stamp(path: Path) -> _Stamp:
    info = os.lstat(path)
    return info.st_ino, info.st_mtime_ns, info.st_size


def _report_dict(r: ReportInfo) -> dict:
    return {"id": r.id, "title": r.title, "path": r.path,
            "headings": [[h.number, h.title] for h in r.headings],
            "size": r.size, "mtime": r.mtime, "digest": r.digest}


def _report_info(r: dict) -> ReportInfo:
    return ReportInfo(r["id"], r["title"], r["path"],
                      tuple(Heading(n, t) for n, t in r["headings"]),
                      r["size"], r["mtime"], r["digest"])


def _skipped_dicts(contents: Contents) -> list[dict]:
    return [{"path": s.path, "reason": s.reason, "signature": contents.signatures.get(s.path)}
            for s in contents.skipped]


def _skipped(data: dict, max_bytes: int | None
             ) -> tuple[tuple[Skipped, ...], dict[str, Signature]]:
    skipped = tuple(Skipped(s["path"], s["reason"]) for s in data["skipped"])
    signatures = {s["path"]: tuple(s["signature"]) if s["signature"] else None
                  for s in data["skipped"]}
    if data.get("max_bytes") != max_bytes:
        signatures = dict.fromkeys(signatures)
    return skipped, signatures


def _apply(record: dict, contents: Contents) -> None:
    for rid in record["del"]:
        contents.reports.pop(rid, None)
    for info in record["put"]:
        contents.reports[info.id] = info
    contents.skipped, contents.signatures = record["skipped"]
