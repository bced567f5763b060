"""The words of a library as written (unstemmed), kept sorted beside the index.

Prefixes (`multim*`), fuzzy terms (`efficency~`) and "did you mean" work on the words
people write, while the index holds stems. Whoosh's own answer, `spelling=True`, indexes
every word a second time with postings for each section: measured on the benchmark
corpus it made a build 3.3× slower (30 s instead of 9 s for 1,000 reports). Prefix and
fuzzy expansion only need the set of words, so this keeps just that: a sorted list,
saved as one text file next to the index.

The list only grows between rebuilds. A word whose reports were deleted is harmless:
every expansion is checked against the index's own terms before it is searched.

A missing or damaged list, though, silently loses answers (`retriev*` finding nothing),
so the file starts with a line giving the number of words and a checksum of the rest:
an index whose list does not match it is rebuilt (see ReportIndex._open_existing).
"""
from __future__ import annotations

import bisect
import os
import re
import zlib
from collections.abc import Iterable
from pathlib import Path

from whoosh.spelling import ListCorrector

from . import ownfiles
from .analysis import STOP

FILE_NAME = "words.txt"
_HEADER = "report-explorer words {count} {crc:08x}"
_HEADER_RE = re.compile(r"report-explorer words (\d+) ([0-9a-f]{8})")
# Far above the words of any library (a 10,000-report one has ~1 MB): more is not ours.
_LIMIT = 256_000_000
# The words the analyzer indexes: plain words and the parts of compounds (gpt-5 → gpt, 5),
# less stop words, which are never searched (nor suggested).
_WORD = re.compile(r"\w+")


class VocabularyError(ValueError):
    """The word list is missing or not as it was written."""


class Vocabulary:
    """A sorted word list, loaded from `folder` (None: kept in memory only)."""

    def __init__(self, folder: Path | None):
        self._file = folder / FILE_NAME if folder is not None else None
        self._words: list[str] = []
        self._known: set[str] = set()
        self._new: set[str] = set()
        self._stamp: tuple[int, int] | None = None
        self.reload()

    def __deepcopy__(self, memo):
        # Query objects holding the vocabulary are deep-copied by Whoosh; the list is shared.
        return self

    # -- reading -------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the file again if another process (or a commit) changed it; if it is
        missing or damaged meanwhile, keep what we have (the next open rebuilds it)."""
        try:
            self.load()
        except VocabularyError:
            pass

    def load(self) -> None:
        """Read the file, unless unchanged since last read. Raises VocabularyError."""
        if self._file is None:
            return
        try:
            info = os.lstat(self._file)
            stamp = (info.st_mtime_ns, info.st_size)
            if stamp == self._stamp:
                return
            words = _parse(ownfiles.read_regular(self._file, _LIMIT))
        except (OSError, UnicodeDecodeError, VocabularyError) as exc:
            raise VocabularyError(f"the word list {FILE_NAME}: {exc}") from exc
        self._stamp = stamp
        self._known = set(words) | self._new
        self._known.discard("")
        self._words = sorted(self._known)

    def __len__(self) -> int:
        return len(self._words)

    def starting_with(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self._words, prefix)
        end = bisect.bisect_left(self._words, prefix + "\U0010ffff")
        return self._words[start:end]

    def within(self, word: str, maxdist: int, prefix: int = 0, limit: int = 50) -> list[str]:
        """Words at most `maxdist` edits from `word` (not `word` itself), nearest first."""
        return ListCorrector(self._words).suggest(word, limit=limit, maxdist=maxdist,
                                                  prefix=prefix)

    # -- writing -------------------------------------------------------------------------
    def add(self, texts: Iterable[str]) -> None:
        """Note the words of `texts` (kept in memory until `save`)."""
        for text in texts:
            self._new.update(set(_WORD.findall(text.lower())) - self._known - STOP)

    def save(self, always: bool = False) -> None:
        """Fold the new words in and write the file (atomically), if there are any, or
        `always` (a new index: its list must exist, even empty, to be checked)."""
        if not self._new and not always:
            return
        self._known |= self._new
        self._words = sorted(self._known)
        self._new = set()
        if self._file is None:
            return
        body = "\n".join(self._words).encode("utf-8")
        header = _HEADER.format(count=len(self._words), crc=zlib.crc32(body))
        tmp = self._file.with_name(FILE_NAME + ".tmp")
        ownfiles.write_new(tmp, header.encode("ascii") + b"\n" + body)
        os.replace(tmp, self._file)
        info = os.lstat(self._file)
        self._stamp = (info.st_mtime_ns, info.st_size)

    def clear(self) -> None:
        self._words, self._known, self._new, self._stamp = [], set(), set(), None


def _parse(data: bytes) -> list[str]:
    """The words of a file as `save` writes it. Raises VocabularyError."""
    header, _, body = data.partition(b"\n")
    match = _HEADER_RE.fullmatch(header.decode("ascii", "replace"))
    if match is None:
        raise VocabularyError("it has no header (damaged, or not written by this app)")
    if int(match[2], 16) != zlib.crc32(body):
        raise VocabularyError("its checksum does not match (damaged)")
    words = body.decode("utf-8").split("\n") if body else []
    if len(words) != int(match[1]):
        raise VocabularyError(f"it lists {len(words)} words, not {match[1]}")
    return words
