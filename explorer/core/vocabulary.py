"""The words of a library as written (unstemmed), kept sorted beside the index.

Prefixes (`multim*`), fuzzy terms (`efficency~`) and "did you mean" work on the words
people write, while the index holds stems. Whoosh's own answer, `spelling=True`, indexes
every word a second time with postings for each section: measured on the benchmark
corpus it made a build 3.3× slower (30 s instead of 9 s for 1,000 reports). Prefix and
fuzzy expansion only need the set of words, so this keeps just that: a sorted list,
saved as one text file next to the index.

The list only grows between rebuilds. A word whose reports were deleted is harmless:
every expansion is checked against the index's own terms before it is searched.
"""
from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable
from pathlib import Path

from whoosh.spelling import ListCorrector

from .analysis import STOP

FILE_NAME = "words.txt"
# The words the analyzer indexes: plain words and the parts of compounds (gpt-5 → gpt, 5),
# less stop words, which are never searched (nor suggested).
_WORD = re.compile(r"\w+")


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
        """Read the file again if another process (or a commit) changed it."""
        if self._file is None:
            return
        try:
            info = self._file.stat()
            stamp = (info.st_mtime_ns, info.st_size)
            if stamp == self._stamp:
                return
            words = self._file.read_text("utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            return            # not written yet, or damaged: keep what we have (see module doc)
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

    def save(self) -> None:
        """Fold the new words in and write the file (atomically), if there are any."""
        if not self._new:
            return
        self._known |= self._new
        self._words = sorted(self._known)
        self._new = set()
        if self._file is None:
            return
        tmp = self._file.with_name(FILE_NAME + ".tmp")
        tmp.write_text("\n".join(self._words), "utf-8")
        os.replace(tmp, self._file)
        info = self._file.stat()
        self._stamp = (info.st_mtime_ns, info.st_size)

    def clear(self) -> None:
        self._words, self._known, self._new, self._stamp = [], set(), set(), None
