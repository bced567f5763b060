"""The index: built from the files, updated incrementally, rebuilt when damaged."""
import os
import shutil
from pathlib import Path

import pytest

from explorer.core import index as index_module
from explorer.core.index import ReportIndex
from explorer.core.search import Searcher


@pytest.fixture
def library(tmp_path, seeds) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    for f in seeds.glob("*.txt"):
        shutil.copy2(f, lib / f.name)
    return lib


def open_index(library: Path, tmp_path: Path) -> ReportIndex:
    return ReportIndex(library, tmp_path / "index")


def hits(ix: ReportIndex, query: str) -> set[tuple[str, int]]:
    searcher = Searcher(ix)
    try:
        return {(h.report, h.section) for h in searcher.search(query, limit=100).hits}
    finally:
        searcher.close()


def test_first_build_indexes_every_section(library, tmp_path):
    ix = open_index(library, tmp_path)
    stats = ix.update()
    assert (stats.reports, stats.sections, stats.added, stats.updated, stats.removed) == (5, 50, 5, 0, 0)
    assert stats.skipped == ()
    assert ix.whoosh.doc_count() == 50


def test_nothing_changed_touches_nothing(library, tmp_path, monkeypatch):
    open_index(library, tmp_path).update()
    reads = []
    real = index_module.read_report
    monkeypatch.setattr(index_module, "read_report", lambda *a, **k: reads.append(a) or real(*a, **k))
    stats = open_index(library, tmp_path).update()
    assert (stats.added, stats.updated, stats.removed, stats.reports) == (0, 0, 0, 5)
    assert reads == []


def test_touched_file_is_reread_but_not_reindexed(library, tmp_path):
    ix = open_index(library, tmp_path)
    ix.update()
    target = next(library.glob("000_*"))
    os.utime(target, (1_000_000, 1_000_000))
    stats = ix.update()
    assert (stats.added, stats.updated) == (0, 0)
    assert ix.reports[target.stem].mtime == 1_000_000


def test_edit_add_and_delete_are_picked_up(library, tmp_path):
    ix = open_index(library, tmp_path)
    ix.update()
    edited = next(library.glob("001_*"))
    edited.write_text("# Edited\n\n## 1. Zebras\nStriped zebras graze quietly.\n", "utf-8")
    (library / "new.md").write_text("# New\n\n## 1. Quokkas\nQuokkas smile a lot.\n", "utf-8")
    next(library.glob("002_*")).unlink()
    stats = ix.update()
    assert (stats.added, stats.updated, stats.removed, stats.reports) == (1, 1, 1, 5)
    assert hits(ix, "zebras") == {(edited.stem, 1)}
    assert hits(ix, "quokka") == {("new", 1)}
    assert not any(r.startswith("001_") for r, _ in hits(ix, "multimodal"))
    assert not any(r.startswith("002_") for r, _ in hits(ix, "multimodal"))
    assert ix.whoosh.doc_count() == 3 * 10 + 1 + 1


def test_index_lives_outside_the_library_and_sources_are_untouched(library, tmp_path):
    before = {p: p.read_bytes() for p in library.iterdir()}
    ix = ReportIndex(library, tmp_path / "elsewhere")
    ix.update()
    assert {p: p.read_bytes() for p in library.iterdir()} == before


def test_memory_index_without_a_folder(library):
    ix = ReportIndex(library, None)
    assert ix.update().sections == 50
    assert hits(ix, "ethics")


def test_cancelled_build_keeps_what_was_done_and_resumes(library, tmp_path, monkeypatch):
    """A cancel is seen after the report being read, mid-batch: what was read is saved."""
    monkeypatch.setattr(index_module, "BATCH", 2)
    asked = []
    ix = open_index(library, tmp_path)
    stats = ix.update(cancelled=lambda: asked.append(1) or len(asked) == 3)
    assert stats.reports == 3
    again = open_index(library, tmp_path).update()
    assert (again.added, again.reports) == (2, 5)


def test_progress_is_reported(library, tmp_path):
    seen = []
    open_index(library, tmp_path).update(progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (5, 5) and len(seen) == 5


def test_a_second_session_takes_in_what_the_first_committed(library, tmp_path):
    """The comparison worker and a second window share the index: they must not index the
    library again because their catalog was read before the first session's build."""
    reader = open_index(library, tmp_path)          # opened before anything was indexed
    writer = open_index(library, tmp_path)
    assert writer.update().added == 5
    reader.reload()                                  # reads, never writes
    assert len(reader.reports) == 5
    (library / "extra.md").write_text("# Extra\n\n## 1. One\nzeppelin", "utf-8")
    assert writer.update().added == 1
    stats = reader.update()                          # a writer that was behind
    assert (stats.added, stats.updated, stats.reports) == (0, 0, 6)
