"""A big update analyses text in spawned child processes: the index it leaves must be the
one a single process builds, and a child's lost work must never go unnoticed."""
import whoosh.index

from explorer.core import index as index_module
from explorer.core.index import ReportIndex
from explorer.core.search import Searcher

from conftest import make_library

QUERIES = ("multimodal", "ethics energy", '"privacy latency"', "effic*", "efficency~",
           "title:vision", "r7s3 OR r12s1")


def answers(ix):
    searcher = Searcher(ix)
    try:
        return {q: [(h.report, h.section) for h in searcher.search(q, limit=50).hits]
                for q in QUERIES}
    finally:
        searcher.close()


def test_parallel_build_equals_a_serial_build(tmp_path, monkeypatch):
    library = make_library(tmp_path / "lib", 30)
    monkeypatch.setattr(index_module, "PARALLEL_BATCH", 12)     # several parallel commits
    serial = ReportIndex(library, tmp_path / "serial")
    parallel = ReportIndex(library, tmp_path / "parallel")
    assert serial.update(workers=1).sections == 150
    stats = parallel.update(workers=2)
    assert (stats.reports, stats.sections, stats.added) == (30, 150, 30)
    assert parallel.whoosh.doc_count() == 150
    assert len(parallel.whoosh.reader().leaf_readers()) > 1     # it did run in children
    assert answers(parallel) == answers(serial)
    assert all(answers(serial).values())


def test_big_update_goes_parallel_by_itself(tmp_path, monkeypatch):
    library = make_library(tmp_path / "lib", 12)
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 10)
    monkeypatch.setattr(index_module, "_cores", lambda: 2)
    writers = []
    real_writer = ReportIndex._writer
    monkeypatch.setattr(ReportIndex, "_writer",
                        lambda self, workers: writers.append(workers) or real_writer(self, workers))
    ix = ReportIndex(library, tmp_path / "ix")
    assert ix.update().sections == 60
    assert writers == [2]
    # A small change afterwards is indexed in this process.
    (library / "r0000.md").write_text("# Changed\n\n## 1. Only\nzeppelin", "utf-8")
    assert ix.update().updated == 1
    assert writers == [2, 1]
    assert [h.report for h in Searcher(ix).search("zeppelin").hits] == ["r0000"]


def test_lost_child_work_is_rebuilt_in_this_process(tmp_path, monkeypatch):
    library = make_library(tmp_path / "lib", 8)
    real_count = whoosh.index.FileIndex.doc_count
    calls = []

    def count_missing_one_once(self):
        calls.append(1)
        return real_count(self) - (len(calls) == 1)
    monkeypatch.setattr(whoosh.index.FileIndex, "doc_count", count_missing_one_once)
    ix = ReportIndex(library, tmp_path / "ix")
    stats = ix.update(workers=2)
    assert (stats.reports, stats.sections) == (8, 40)
    assert real_count(ix.whoosh) == 40
    assert len(ix.whoosh.reader().leaf_readers()) == 1          # the serial rebuild
