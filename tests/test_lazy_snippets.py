"""Snippets made later: the window shows the first hits' snippets at once and asks for the
rest after (Searcher.search(snippets=N), add_snippets); both give the same snippets."""
import pytest
from conftest import searcher_over

from explorer.core.session import LibrarySession

LIBRARY = {
    f"r{i}.md": f"# Report {i}\n\n## 1. Findings\n\nSome text before. The multimodal models of "
                f"team {i} improve. More text after, about efficiency number {i}.\n"
    for i in range(8)
}


@pytest.fixture
def searcher(tmp_path_factory):
    with searcher_over(tmp_path_factory, LIBRARY) as searcher:
        yield searcher


def test_only_the_first_hits_get_snippets_and_the_rest_come_later_the_same(searcher):
    full = searcher.search("multimodal", limit=20)
    searcher._cache.clear()
    partial = searcher.search("multimodal", limit=20, snippets=3)
    assert [h.snippet for h in partial.hits[:3]] == [h.snippet for h in full.hits[:3]]
    assert [h.snippet for h in partial.hits[3:]] == [None] * 5
    filled = searcher.add_snippets(partial)
    assert filled.hits == full.hits
    assert all("<mark>multimodal</mark>" in h.snippet for h in filled.hits)
    assert (filled.total, filled.terms) == (partial.total, partial.terms)


def test_filled_snippets_replace_the_cached_answer(searcher):
    partial = searcher.search("efficiency", limit=20, snippets=1)
    filled = searcher.add_snippets(partial)
    assert searcher.search("efficiency", limit=20, snippets=1) is filled
    assert searcher.add_snippets(filled) is filled         # nothing left to make


def test_asking_for_every_snippet_fills_a_cached_partial_answer(searcher):
    searcher.search("team", limit=20, snippets=0)
    assert all(h.snippet is not None for h in searcher.search("team", limit=20).hits)


def test_snippets_come_from_the_index_as_it_was_searched(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    for name, text in LIBRARY.items():
        (lib / name).write_text(text, "utf-8")
    session = LibrarySession.open(lib, index_dir=tmp_path / "ix")
    session.update()
    partial = session.search("multimodal", limit=20, snippets=0)
    target = partial.hits[-1]
    (lib / f"{target.report}.md").unlink()       # gone before its snippet was asked for
    session.update()
    filled = session.add_snippets(partial)
    assert "<mark>multimodal</mark>" in filled.hits[-1].snippet
    session.close()
