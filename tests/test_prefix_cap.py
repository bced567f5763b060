"""A prefix that matches more than MAX_EXPANSION words searches the most frequent ones: the
same files give the same answer whether they were indexed at once or bit by bit (Whoosh's
document frequencies still count deleted sections until a merge)."""
from __future__ import annotations

import os

from explorer.core.index import ReportIndex
from explorer.core.query import MAX_EXPANSION
from explorer.core.search import Searcher

REPORTS, SECTIONS = 8, 5
WORDS = [f"zed{chr(97 + i // 26)}{chr(97 + i % 26)}x" for i in range(26 * 8)]
EARLY, LATE = WORDS[:100], WORDS[100:]


def _write(path, words_of_section) -> None:
    parts = [f"## {n}. Part {n}\nThe {' and the '.join(words)} items."
             for n, words in enumerate(words_of_section, 1)]
    path.write_text("# Zed words\n\n" + "\n\n".join(parts) + "\n", "utf-8")


def _answer(index: ReportIndex, query: str):
    searcher = Searcher(index)
    try:
        result = searcher.search(query, limit=1000)
        return result.total, sorted((h.report, h.section) for h in result.hits)
    finally:
        searcher.close()


def _same_as_a_clean_build(grown: ReportIndex, library, tmp_path) -> None:
    assert grown.whoosh.reader().has_deletions()       # else this tests nothing
    clean = ReportIndex(library, tmp_path / "clean")
    clean.update()
    total, _hits = _answer(clean, "zed*")
    assert total == MAX_EXPANSION // 2                 # two words a section, 64 of 80 words
    for query in ("zed*", "zeda*", "title:part zed*"):
        assert _answer(grown, query) == _answer(clean, query), query
    clean.close()


def _own_words(r: int) -> list[list[str]]:
    return [LATE[2 * (r * SECTIONS + s):2 * (r * SECTIONS + s) + 2] for s in range(SECTIONS)]


def _touch(path, r: int) -> None:
    os.utime(path, (1_900_000_000 + r, 1_900_000_000 + r))


def test_deleted_sections_do_not_count_as_frequent(tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    # First each section has ten of 100 words (each word in four sections)...
    for r in range(REPORTS):
        _write(library / f"r{r}.md", [[EARLY[(r * SECTIONS + s) * 10 % 100 + k] for k in range(10)]
                                      for s in range(SECTIONS)])
    grown = ReportIndex(library, tmp_path / "grown")
    grown.update()
    # ... then two words of its own: 80 words in one section each, of which the cap keeps 64.
    for r in range(REPORTS):
        _write(library / f"r{r}.md", _own_words(r))
        _touch(library / f"r{r}.md", r)
    grown.update()
    _same_as_a_clean_build(grown, library, tmp_path)
    grown.close()


def test_the_cap_is_chosen_over_the_whole_library_not_per_segment(tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    for r in range(REPORTS):
        _write(library / f"r{r}.md", _own_words(r))
    grown = ReportIndex(library, tmp_path / "grown")
    grown.update()
    # Half the reports rewritten (same words, another order): their sections move to a new
    # segment, which alone holds fewer than 64 of the words.
    for r in range(REPORTS // 2):
        _write(library / f"r{r}.md", [list(reversed(words)) for words in _own_words(r)])
        _touch(library / f"r{r}.md", r)
    grown.update()
    assert len(grown.whoosh.reader().leaf_readers()) > 1
    _same_as_a_clean_build(grown, library, tmp_path)
    grown.close()
