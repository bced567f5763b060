"""Opening the app's own files (the index's, the settings') without trusting what is there.

Anything may stand at one of their names: a named pipe (opening it waits for a writer
that never comes), a link to /dev/zero (reading it never ends and fills the memory), a
folder. Each is opened here without following links and without blocking, and must turn
out to be a regular file of a bounded size; else the caller gets NotRegularFile (an
OSError) and treats the file as damaged (the index) or absent (the settings).
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

_READ = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
         | getattr(os, "O_BINARY", 0))
_CREATE = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
           | getattr(os, "O_BINARY", 0))


class NotRegularFile(OSError):
    """A name of the app's that holds no regular file (a pipe, a device, a link, a folder),
    or one larger than any the app writes there."""


def open_regular(path: str | os.PathLike) -> BinaryIO:
    """The file at `path`, open for reading. Raises FileNotFoundError, NotRegularFile."""
    try:
        fd = os.open(path, _READ)
    except OSError as exc:
        if os.path.islink(path):        # ELOOP from O_NOFOLLOW: name the cause
            raise NotRegularFile(f"{path} is a link, not a file") from exc
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"{path} is not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike, limit: int, offset: int = 0) -> bytes:
    """The bytes of the file at `path` from `offset`, at most `limit` of them (more means
    it is not a file the app wrote). Raises FileNotFoundError, NotRegularFile."""
    with open_regular(path) as file:
        file.seek(offset)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise NotRegularFile(f"{path} is larger than {limit:,} bytes")
    return data


def write_new(path: Path, data: bytes) -> None:
    """Write `data` as a new file at `path` (a temporary name, about to be renamed over
    the real one): whatever stood there is removed first, so a pipe left at that name
    cannot block the write."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    fd = os.open(path, _CREATE, 0o644)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
