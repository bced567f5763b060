"""A big update analyses text in spawned child processes: the index it leaves must be the
one a single process builds, and a child's lost work must never go unnoticed."""
import whoosh.index

from explorer.core import index as index_module
from explorer.core.index import ReportIndex
from explorer.core.search import Searcher

QUERIES = ("multimodal", "ethics energy", '"privacy latency"', "effic*", "efficency~",
           "title:vision", "r7s3 OR r12s1")
WORDS = ("multimodal ethics efficiency energy privacy latency translation robotics "
         "agents memory retrieval alignment safety vision audio").split()


def make_library(root, count):
    root.mkdir()
    for i in range(count):
        parts = [f"# Report {i}"]
        for n in range(1, 4):
            words = " ".join(WORDS[(i * 5 + n * 3 + k) % len(WORDS)] for k in range(30))
            parts.append(f"## {n}. Part {WORDS[(i + n) % len(WORDS)]}\n{words} r{i}s{n}")
        (root / f"r{i:03d}.md").write_text("\n\n".join(parts), "utf-8")
    return root


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
    assert serial.update(workers=1).sections == 90
    stats = parallel.update(workers=2)
    assert (stats.reports, stats.sections, stats.added) == (30, 90, 30)
    assert parallel.whoosh.doc_count() == 90
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
    assert ix.update().sections == 36
    assert writers == [2]
    # A small change afterwards is indexed in this process.
    (library / "r000.md").write_text("# Changed\n\n## 1. Only\nzeppelin", "utf-8")
    assert ix.update().updated == 1
    assert writers == [2, 1]
    assert [h.report for h in Searcher(ix).search("zeppelin").hits] == ["r000"]


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
    assert (stats.reports, stats.sections) == (8, 24)
    assert real_count(ix.whoosh) == 24
    assert len(ix.whoosh.reader().leaf_readers()) == 1          # the serial rebuild
