"""How commits merge segments: small ones together as Whoosh would, never a big merge that
would make adding one report rewrite the index."""
from __future__ import annotations

from explorer.core import index as index_module
from explorer.core.index import ReportIndex
from explorer.core.search import Searcher


def _add(lib, name: str, word: str) -> None:
    (lib / f"{name}.md").write_text(f"# {name}\n\n## 1. Part\n\n{word} text\n", "utf-8")


def _segments(index) -> dict[str, int]:
    return {segment.segment_id(): segment.doc_count_all() for segment in index.whoosh._segments()}


def test_reports_added_one_by_one_are_merged_into_few_segments(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    index = ReportIndex(lib, tmp_path / "ix")
    for i in range(40):
        _add(lib, f"r{i:02}", f"word{i}")
        index.update(workers=1)
    assert len(_segments(index)) <= 8          # one per commit without merging: 40
    searcher = Searcher(index)
    assert all(searcher.search(f"word{i}").total == 1 for i in range(40))
    searcher.close()
    index.close()


def test_a_commit_never_merges_more_than_the_bound(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    lib.mkdir()
    index = ReportIndex(lib, tmp_path / "ix")
    for i in range(8):       # eight segments of one section each
        _add(lib, f"r{i}", f"word{i}")
        monkeypatch.setattr(index_module, "MAX_MERGE_SECTIONS", 0)     # no merging yet
        index.update(workers=1)
    before = _segments(index)
    assert len(before) == 8
    # Whoosh's MERGE_SMALL would merge the five smallest; the bound allows four sections
    monkeypatch.setattr(index_module, "MAX_MERGE_SECTIONS", 4)
    _add(lib, "new", "fresh")
    index.update(workers=1)
    assert set(before) <= set(_segments(index))        # none merged: five would exceed it
    monkeypatch.setattr(index_module, "MAX_MERGE_SECTIONS", 5)
    _add(lib, "newer", "fresher")
    index.update(workers=1)
    after = _segments(index)
    assert len(set(before) - set(after)) == 5          # the five smallest, merged
    assert index.whoosh.doc_count() == 10
    index.close()
