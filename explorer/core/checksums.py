"""Checksums of the index's segment files, recorded at each commit and checked on opening.

Whoosh keeps no checksum: a flipped bit in a segment was found only by the searches that
read it ("Error -3 while decompressing data"), every time, while the index opened fine.
Segment files (and each generation's table of contents) are written once and never
changed, so each is checksummed once, when first seen after a commit, and checked each
time the index is opened: measured on a 1,000-report index, see ReportIndex._verify.

Two processes committing at once may each write the file without the other's newest
segments: a segment not listed is checksummed when next seen, never taken for damage (its
damage is found when it is read: see LibrarySession.search). Nor is one that vanished
meanwhile: another process's commit merged it away.
"""
from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

from . import ownfiles

FILE_NAME = "checksums.json"
_LIMIT = 16_000_000
_CHUNK = 1 << 20


class ChecksumError(ValueError):
    """A file of the index is not what was written: damaged."""


def verify(folder: Path, names: list[str]) -> None:
    """Check the files `names` of `folder` against the recorded checksums, and record
    those not recorded yet (best effort). Raises ChecksumError."""
    recorded = _load(folder)
    unlisted = []
    for name in names:
        expected = recorded.get(name)
        if expected is None:
            unlisted.append(name)
        elif _checksum(folder / name) not in (expected, None):
            raise ChecksumError(f"{name} is not as it was written")
    if unlisted:
        try:
            _save(folder, names, recorded)
        except OSError:
            pass        # a read-only index still opens; the next commit records them


def record(folder: Path, names: list[str]) -> None:
    """After a commit: record the checksums of the files `names` (the ones in use)."""
    try:
        recorded = _load(folder)
    except ChecksumError:
        recorded = {}       # written over with what is true now
    _save(folder, names, recorded)


def _load(folder: Path) -> dict[str, list[int]]:
    try:
        data = json.loads(ownfiles.read_regular(folder / FILE_NAME, _LIMIT))
    except (OSError, ValueError) as exc:    # missing too: written with the index itself
        raise ChecksumError(f"{FILE_NAME}: {exc}") from exc
    if not isinstance(data, dict) or not all(
            isinstance(v, list) and len(v) == 2 and all(isinstance(n, int) for n in v)
            for v in data.values()):
        raise ChecksumError(f"{FILE_NAME} is not a list of checksums")
    return data


def _save(folder: Path, names: list[str], recorded: dict[str, list[int]]) -> None:
    sums = {name: recorded.get(name) or _checksum(folder / name) for name in names}
    sums = {name: value for name, value in sums.items() if value is not None}
    tmp = folder / (FILE_NAME + ".tmp")
    ownfiles.write_new(tmp, json.dumps(sums, sort_keys=True).encode("ascii"))
    os.replace(tmp, folder / FILE_NAME)


def _checksum(path: Path) -> list[int] | None:
    """[size, crc32] of the file; None if it is gone."""
    crc, size = 0, 0
    try:
        with ownfiles.open_regular(path) as file:
            while chunk := file.read(_CHUNK):
                crc, size = zlib.crc32(chunk, crc), size + len(chunk)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ChecksumError(f"{path.name}: {exc}") from exc
    return [size, crc]
