"""Whether the app may write an index into a folder, and marking the folders it may.

An index folder can be any folder the user names (`--index-dir`), so the app writes only
into one that is missing, empty, or marked as its own: a marker file naming the library
whose index it holds, written when the app first takes the folder. (One folder given for
one library after another is the app's all the same: its index follows the library.) A folder already full
of someone's files is refused, never written over (a user's `words.txt` was replaced by
the index's word list). Index folders made before the marker existed are recognised by
holding nothing but index files, and marked.

Nor may the folder lie inside the library, through a link either: the library's reports
are only ever read.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from . import ownfiles
from .errors import UserError

MARKER = "report-explorer-index.json"
_MARKER_LIMIT = 64_000
# Files only an index made by this app holds (a table of contents, a catalog).
_INDEX_SIGNS = re.compile(r"^(_MAIN_\d+\.toc|catalog\.json)$")


class ForeignFolder(UserError):
    """The folder named for the index is not one the app may write into."""

    exit_status = 2     # a wrong argument, like bad usage


def claim(folder: Path, library: Path, is_index_file) -> None:
    """Make sure the index of `library` (resolved) may be written into `folder`
    (resolved), and mark it. `is_index_file(name)`: whether a file name is one the index
    writes. Raises ForeignFolder, or OSError when the folder cannot be made or marked."""
    inside = _inside(folder, library)
    if inside is not None:
        raise ForeignFolder(f"the index folder {folder} is inside the library"
                            + (f" (through the link {inside})" if inside != library else "")
                            + ": give a folder outside it with --index-dir DIR")
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        folder.mkdir(parents=True)
        names = []
    marked = _marked_library(folder)
    if marked == str(library):
        return
    if marked is not None:
        _mark(folder, library)
        return
    others = [n for n in names if n != MARKER and not is_index_file(n)]
    if others or (names and not any(_INDEX_SIGNS.match(n) for n in names)):
        shown = ", ".join(sorted(others or names)[:3])
        raise ForeignFolder(f"the folder {folder} is not empty and is not an index of "
                            f"Report Explorer ({shown}{', ...' if len(names) > 3 else ''}): "
                            "give an empty or new folder with --index-dir DIR")
    _mark(folder, library)


def _marked_library(folder: Path) -> str | None:
    """The library the folder's marker names; None without a readable marker."""
    try:
        data = json.loads(ownfiles.read_regular(folder / MARKER, _MARKER_LIMIT))
        return str(data["library"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _mark(folder: Path, library: Path) -> None:
    tmp = folder / (MARKER + ".tmp")
    data = {"app": "Report Explorer", "library": str(library)}
    ownfiles.write_new(tmp, json.dumps(data).encode("ascii"))
    os.replace(tmp, folder / MARKER)


def _inside(folder: Path, library: Path) -> Path | None:
    """The library folder, or a linked folder within it, that holds `folder`; None when
    the folder lies outside the library and outside everything it links to."""
    if folder.is_relative_to(library):
        return library
    visited: set[Path] = set()
    pending = [library]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                subfolders = [Path(e.path) for e in entries if _is_folder(e)]
        except OSError:
            continue        # unreadable: the reader does not go there either
        for sub in subfolders:
            real = sub.resolve()
            if real in visited:
                continue
            visited.add(real)
            if sub.is_symlink() and folder.is_relative_to(real):
                return sub
            pending.append(real)
    return None


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()       # follows links, as the library's reader does
    except OSError:
        return False
