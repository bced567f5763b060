"""A library folder -> its reports, and the files that could not be read with the reason why.

One bad file never stops a scan: it becomes a `Skipped` entry the user can see. Files are only
ever opened for reading.
"""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from explorer.core.decoding import DecodeError, decode
from explorer.core.model import LibraryScan, Report, Skipped
from explorer.core.parsing import parse_report, title_from_filename
from explorer.core.preferences import DEFAULT_MAX_REPORT_MB

__all__ = ["DEFAULT_MAX_BYTES", "REPORT_SUFFIXES", "ReportFile", "SkipFile", "file_signature",
           "list_report_files", "read_report", "report_files", "report_ids", "scan_library"]

log = logging.getLogger(__name__)

REPORT_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
DEFAULT_MAX_BYTES = DEFAULT_MAX_REPORT_MB * 1_000_000     # the preference's default
_IGNORED_NAMES = frozenset({"__pycache__"})
NOT_A_FILE = "not an ordinary file (a pipe, device or socket with a report's name)"


class SkipFile(Exception):
    """A library file that cannot be read as a report; `reason` is shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _is_ignored(name: str) -> bool:
    return name.startswith(".") or name in _IGNORED_NAMES


def _is_report_name(name: str) -> bool:
    # os.path.splitext's suffix without its cost (4x, for every file of each update): a
    # dot starts one unless only dots come before it
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in REPORT_SUFFIXES and name[:dot].strip(".") != ""


def _relative(path: Path, root: Path) -> str:
    # Listed paths are made by joining onto root, so cutting the prefix off is enough; it
    # is ~10x faster than Path.relative_to, which a scan of 10,000 files calls 10,000 times.
    text, prefix = str(path), os.path.join(str(root), "")
    if text.startswith(prefix):
        text = text[len(prefix):]
        return text.replace(os.sep, "/") if os.sep != "/" else text
    return path.relative_to(root).as_posix()


def list_report_files(root: str | Path) -> list[Path]:
    """Every report file under root, recursively, sorted by path relative to root.

    Hidden files and folders and `__pycache__` are left out. Symbolic links are followed,
    but each real folder is visited once, so a link back up the tree cannot loop.
    Folders that cannot be opened are left out (and logged). Anything else with a report's
    name is listed even if it is not a readable file (a broken or looping link, a pipe, a
    path too long to open): `read_report` then says why it cannot be read, so the user
    sees it.
    """
    return [Path(path) for _, path, _ in sorted(_walk(Path(root)), key=_first)]


class ReportFile(NamedTuple):
    """A report file as a library scan finds it, before it is read."""

    id: str
    relative: str           # path relative to the library, POSIX separators
    path: str               # the library's path joined with `relative`
    signature: tuple[int, float] | None     # as file_signature; None: gone or not stat-able


def report_files(root: str | Path) -> list[ReportFile]:
    """`list_report_files` and `report_ids` in one pass, with each file's signature.

    What an index update compares with its catalog, made of strings and DirEntry stats
    alone: a Path per file made listing 10,000 files take ~0.2 s."""
    found = sorted(((relative, path, _entry_signature(entry))
                    for relative, path, entry in _walk(Path(root))), key=_first)
    ids = _unique_ids([relative for relative, _, _ in found])
    return [ReportFile(report_id, relative, path, signature)
            for report_id, (relative, path, signature) in zip(ids, found)]


def _walk(root: Path) -> Iterator[tuple[str, str, os.DirEntry | None]]:
    """(path relative to root, path, entry) of each report file, unsorted: see
    list_report_files. The entry is None for a file whose path is too long to open: its
    folder is listed another way, so that the file is listed (and then skipped with the
    reason), not left out in silence."""
    if not root.is_dir():
        raise NotADirectoryError(f"not a folder: {root}")
    # Each real folder: its resolved path, or (device, inode) when its path is too long
    # to resolve (a link looping down there could not be seen in the path).
    visited: set[Path | tuple[int, int]] = set()
    pending = [(str(root), "")]     # a folder and its path relative to root, "/"-ended
    while pending:
        folder, prefix = pending.pop()
        fd = None
        try:
            try:
                real = Path(folder).resolve()
                if real in visited:
                    continue
                entries = os.scandir(folder)
            except OSError as error:
                if error.errno != errno.ENAMETOOLONG or os.scandir not in os.supports_fd:
                    raise
                fd = _open_long_path(folder)
                info = os.fstat(fd)
                real = (info.st_dev, info.st_ino)
                if real in visited:
                    continue
                entries = os.scandir(fd)
            visited.add(real)
            with entries:
                for entry in entries:
                    if _is_ignored(entry.name):
                        continue
                    path = os.path.join(folder, entry.name)
                    if _is_folder(entry):
                        pending.append((path, f"{prefix}{entry.name}/"))
                    elif _is_report_name(entry.name):
                        yield prefix + entry.name, path, entry if fd is None else None
        except OSError as error:
            log.warning("cannot list %s: %s", folder, error)
        finally:
            if fd is not None:
                os.close(fd)


def _open_long_path(path: str) -> int:
    """A descriptor of the folder at `path`, which is longer than the system opens in one
    go (folders nested ~200 deep): opened one folder at a time, following links as
    os.scandir would."""
    anchor, *names = Path(path).parts if os.path.isabs(path) else (os.curdir, *Path(path).parts)
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    fd = os.open(anchor, flags)
    try:
        for name in names:
            inner = os.open(name, flags, dir_fd=fd)
            os.close(fd)
            fd = inner
    except OSError:
        os.close(fd)
        raise
    return fd


def _first(item: tuple) -> str:
    return item[0]      # the relative path, unique: sorting by it alone is ~2x faster


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:         # a link that loops: not a folder (read_report says what it is)
        return False


def _entry_signature(entry: os.DirEntry | None) -> tuple[int, float] | None:
    if entry is None:       # a path too long to open: file_signature cannot stat it either
        return None
    try:
        info = entry.stat()         # follows links, like file_signature
    except OSError:
        return None
    return info.st_size, info.st_mtime


def report_ids(paths: list[Path], root: Path) -> dict[Path, str]:
    """Each file's report id: its path relative to root, POSIX separators, without suffix.

    When two files would share an id (`a.md`, `a.txt`), the later one in path order keeps
    its suffix (`a.txt`), so ids are unique and stable from scan to scan.
    """
    ordered = sorted((_relative(p, root), p) for p in paths)
    ids = _unique_ids([relative for relative, _ in ordered])
    return {path: report_id for (_, path), report_id in zip(ordered, ids)}


def _unique_ids(relatives: list[str]) -> list[str]:
    """The ids of files given by their relative paths in sorted order: see report_ids."""
    ids: list[str] = []
    taken: set[str] = set()
    for relative in relatives:
        # PurePath.suffix's rule without a Path: a dot inside the last part, not first or
        # last in it
        dot = relative.rfind(".")
        has_suffix = relative.rfind("/") + 1 < dot < len(relative) - 1
        report_id = relative[:dot] if has_suffix else relative
        if report_id in taken:
            report_id = relative
        ids.append(report_id)
        taken.add(report_id)
    return ids


def file_signature(path: Path) -> tuple[int, float]:
    """(size, mtime) of a file without reading it: what `Report.size`/`mtime` hold when
    unchanged. Raises OSError if the file is gone."""
    info = path.stat()
    return info.st_size, info.st_mtime


def read_report(path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES,
                report_id: str | None = None) -> Report:
    """Read and parse one report file; raises SkipFile with the reason when it cannot.

    `report_id` overrides the id derived from the path (see `report_ids` for collisions).
    """
    if report_id is None:
        report_id = report_ids([path], root)[path]
    if not _is_unicode(report_id):
        # The name holds bytes that are not UTF-8 (Python keeps them as lone surrogates):
        # it cannot be indexed, shown or written as JSON until the file is renamed.
        raise SkipFile("the file name is not valid UTF-8: rename the file to read it")
    data, info = _read_bytes(path, max_bytes)
    try:
        text = decode(data)
    except DecodeError as error:
        raise SkipFile(error.reason) from None
    title, sections = parse_report(text, report_id, str(path), title_from_filename(path.name))
    return Report(id=report_id, title=title, path=str(path.absolute()), sections=sections,
                  size=info.st_size, mtime=info.st_mtime,
                  digest=hashlib.blake2b(data, digest_size=16).hexdigest())


def _is_unicode(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read_bytes(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """The file's bytes and the stat taken on the open file (so both describe one file)."""
    try:
        # Non-blocking, so a named pipe with a report's name cannot hang the scan: it opens
        # at once and fstat shows it is not a regular file. No effect on regular files.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise SkipFile(NOT_A_FILE)
            if info.st_size > max_bytes:
                raise SkipFile(_too_large(info.st_size, max_bytes))
            data = file.read(max_bytes + 1)
    except FileNotFoundError:
        if path.is_symlink():
            raise SkipFile("broken link: the file it points to does not exist") from None
        raise SkipFile("the file disappeared while it was being read (moved or deleted)"
                       ) from None
    except PermissionError:
        raise SkipFile("permission denied: this user may not read the file (check its "
                       "permissions)") from None
    except IsADirectoryError:
        raise SkipFile(NOT_A_FILE) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise SkipFile("link loop: the symbolic link leads back to itself") from None
        if error.errno == errno.ENAMETOOLONG:
            raise SkipFile(f"the path is too long for this system to open "
                           f"({len(str(path)):,} characters): move the report to a folder "
                           "nearer the library's top, or shorten the folders' names") from None
        raise SkipFile(f"cannot read: {error.strerror or error}") from None
    if len(data) > max_bytes:          # it grew after the size check
        raise SkipFile(f"too large (it grew past the limit of {_limit(max_bytes)} while being "
                       f"read; raise the limit in Preferences to read it)")
    return data, info


def _too_large(size: int, limit: int) -> str:
    # the exact byte count: a rounded size could show a file "as large as" the limit
    return (f"too large ({size:,} bytes; the limit is {_limit(limit)}: raise it in "
            "Preferences to read this file)")


def _limit(max_bytes: int) -> str:
    # the limit as the user sets it (whole MB), else exactly
    return f"{max_bytes // 1_000_000} MB" if max_bytes % 1_000_000 == 0 else f"{max_bytes:,} bytes"


def scan_library(root: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> LibraryScan:
    """Read every report under root. Reports come sorted by id; unreadable files are listed
    in `skipped` with the reason (path relative to root)."""
    root = Path(root).absolute()
    paths = list_report_files(root)
    ids = report_ids(paths, root)
    reports: list[Report] = []
    skipped: list[Skipped] = []
    for path in paths:
        try:
            reports.append(read_report(path, root, max_bytes, report_id=ids[path]))
        except SkipFile as error:
            skipped.append(Skipped(_relative(path, root), error.reason))
    reports.sort(key=lambda report: report.id)
    return LibraryScan(root=str(root), reports=tuple(reports), skipped=tuple(skipped))
