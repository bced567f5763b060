"""An update on a big library stats the files against the catalog in one pass and records
each commit as a line of the catalog's journal. Whatever happened to the files, and
whichever session committed it, the index must end equal to a clean build, and a new
session must take it in without reading any file again."""
import contextlib
import json
import os
import shutil
import sys
import zlib

import pytest

from explorer.core import catalog, index_folder
from explorer.core import index as index_module
from explorer.core.index import INDEX_FILE, ReportIndex
from explorer.core.search import Searcher

from conftest import make_library

QUERIES = ("multimodal", "ethics energy", "r3s2", "r7s1 OR r8s5", "zebras", "quokka")


@pytest.fixture
def library(tmp_path):
    return make_library(tmp_path / "lib", 12)


def answers(ix):
    searcher = Searcher(ix)
    try:
        return {q: sorted((h.report, h.section) for h in searcher.search(q, limit=100).hits)
                for q in QUERIES}
    finally:
        searcher.close()


def described(ix):
    """What an index holds: its catalog, the skipped files and the search answers."""
    return ix.reports, {(s.path, s.reason) for s in ix.skipped}, ix.whoosh.doc_count(), answers(ix)


def assert_equal_to_a_clean_build(library, index_dir, tmp_path, monkeypatch):
    """A new session on `index_dir` reads no file and holds what a clean build holds."""
    clean_dir = tmp_path / f"clean{len(list(tmp_path.glob('clean*')))}"
    clean = ReportIndex(library, clean_dir)
    clean.update()
    reads = []
    real = index_module.read_report
    monkeypatch.setattr(index_module, "read_report",
                        lambda *a, **k: reads.append(a[0].name) or real(*a, **k))
    session = ReportIndex(library, index_dir)
    stats = session.update()
    monkeypatch.setattr(index_module, "read_report", real)
    assert reads == [] and (stats.added, stats.updated, stats.removed) == (0, 0, 0)
    assert described(session) == described(clean)
    session.close()
    clean.close()


def later(path, seconds=10):
    """Move a file's mtime on, as a later write would (some file systems' clock is coarse)."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + seconds * 1_000_000_000))


def edit_same_size(library):
    path = library / "r0003.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("r3s2", "zzs2"), "utf-8")     # same length, other words
    later(path)


def touch(library):
    later(library / "r0004.md")


def rename(library):
    (library / "r0005.md").rename(library / "renamed.md")


def change_suffix(library):
    # the same id, size and mtime: only the path tells the catalog's entry is stale
    (library / "r0008.md").rename(library / "r0008.txt")


def make_unreadable(library):
    # a link to nowhere: what a file moved away behind a link, or a broken mount, looks like
    (library / "r0006.md").unlink()
    (library / "r0006.md").symlink_to(library / "nowhere.md")


def empty(library):
    (library / "r0007.md").write_bytes(b"")


CHANGES = {   # a change -> (added, updated, removed) reported by the update that sees it
    "added": (lambda lib: (lib / "new.md").write_text("# New\n\n## 1. Q\nquokka\n", "utf-8"),
              (1, 0, 0)),
    "edited in place, same size": (edit_same_size, (0, 1, 0)),
    "touched only": (touch, (0, 0, 0)),
    "deleted": (lambda lib: (lib / "r0002.md").unlink(), (0, 0, 1)),
    "renamed": (rename, (1, 0, 1)),
    "suffix changed": (change_suffix, (0, 1, 0)),
    "emptied": (empty, (0, 0, 0)),
}
if sys.platform != "win32":     # symbolic links need privileges on Windows
    CHANGES["became unreadable"] = (make_unreadable, (0, 0, 0))


@pytest.mark.parametrize("change", CHANGES)
def test_each_change_ends_equal_to_a_clean_build(library, tmp_path, monkeypatch, change):
    ix = ReportIndex(library, tmp_path / "ix")
    ix.update()
    make, expected = CHANGES[change]
    make(library)
    stats = ix.update()
    assert (stats.added, stats.updated, stats.removed) == expected
    assert_equal_to_a_clean_build(library, tmp_path / "ix", tmp_path, monkeypatch)


def test_an_unreadable_file_is_listed_then_read_again_once_repaired(library, tmp_path):
    ix = ReportIndex(library, tmp_path / "ix")
    ix.update()
    empty(library)
    stats = ix.update()
    assert [s.path for s in stats.skipped] == ["r0007.md"] and "r0007" not in ix.reports
    assert ReportIndex(library, tmp_path / "ix").update().skipped == stats.skipped
    shutil.copy(library / "r0001.md", library / "r0007.md")
    later(library / "r0007.md")
    stats = ix.update()
    assert (stats.added, stats.skipped) == (1, ()) and "r0007" in ix.reports


def test_a_commit_appends_to_the_journal_instead_of_rewriting_the_catalog(library, tmp_path):
    ix = ReportIndex(library, tmp_path / "ix")
    ix.update()
    snapshot = (tmp_path / "ix" / "catalog.json").read_bytes()
    (library / "new.md").write_text("# New\n\n## 1. Q\nquokka\n", "utf-8")
    ix.update()
    assert (tmp_path / "ix" / "catalog.json").read_bytes() == snapshot
    assert "new" not in json.dumps(json.loads(snapshot.rpartition(b"\t")[0])["reports"])
    journal, = (tmp_path / "ix").glob("catalog.*.journal")
    assert INDEX_FILE.match(journal.name)
    assert "new" in ReportIndex(library, tmp_path / "ix").reports


def test_a_line_cut_short_by_a_crash_is_ignored(library, tmp_path, monkeypatch):
    ix = ReportIndex(library, tmp_path / "ix")
    ix.update()
    (library / "r0001.md").unlink()
    ix.update()
    journal, = (tmp_path / "ix").glob("catalog.*.journal")
    whole = journal.read_bytes()
    with journal.open("ab") as f:          # killed while writing its next line
        f.write(whole.strip().splitlines()[-1][:40])
    # the cut line is not taken in; the lines before it are
    assert ReportIndex(library, tmp_path / "ix").reports.keys() == ix.reports.keys()
    # another session commits after the cut line: its own line is read whole
    (library / "new.md").write_text("# New\n\n## 1. Q\nquokka\n", "utf-8")
    assert ReportIndex(library, tmp_path / "ix").update().added == 1
    assert "new" in ReportIndex(library, tmp_path / "ix").reports
    assert_equal_to_a_clean_build(library, tmp_path / "ix", tmp_path, monkeypatch)


def test_a_line_still_being_written_is_read_once_whole(library, tmp_path):
    writer = ReportIndex(library, tmp_path / "ix")
    writer.update()
    reader = ReportIndex(library, tmp_path / "ix")
    (library / "new.md").write_text("# New\n\n## 1. Q\nquokka\n", "utf-8")
    writer.update()
    journal, = (tmp_path / "ix").glob("catalog.*.journal")
    data = journal.read_bytes()
    journal.write_bytes(data[:-30])         # the writer's last line, half written so far
    reader.reload()
    assert "new" not in reader.reports
    with journal.open("ab") as f:
        f.write(data[-30:])
    reader.reload()
    assert "new" in reader.reports


def test_garbage_and_lines_of_another_snapshot_are_ignored(library, tmp_path, monkeypatch):
    ix = ReportIndex(library, tmp_path / "ix")
    ix.update()
    journal, = (tmp_path / "ix").glob("catalog.*.journal")
    foreign = {"base": "0123456789abcdef", "put": [], "del": ["r0000", "r0001"],
               "max_bytes": ix.max_bytes, "skipped": []}
    with journal.open("ab") as f:
        f.write(b"\n" + json.dumps(foreign).encode() + b"\n{garbage\n[1, 2]\n\xff\xfe\n")
    assert len(ReportIndex(library, tmp_path / "ix").reports) == 12
    assert_equal_to_a_clean_build(library, tmp_path / "ix", tmp_path, monkeypatch)


def test_a_crash_after_the_commit_leaves_a_catalog_behind_and_recovers(library, tmp_path,
                                                                        monkeypatch):
    ix = ReportIndex(library, tmp_path / "ix")
    ix.update()
    (library / "new.md").write_text("# New\n\n## 1. Q\nquokka\n", "utf-8")
    (library / "r0002.md").unlink()

    def killed(*args, **kwargs):
        raise KeyboardInterrupt          # stands for a kill between commit and catalog line
    monkeypatch.setattr(catalog.Catalog, "save", killed)
    with pytest.raises(KeyboardInterrupt):
        ix.update()
    monkeypatch.undo()
    # the new session reads again only what the catalog missed, without doubling it
    stats = ReportIndex(library, tmp_path / "ix").update()
    assert (stats.added, stats.removed, stats.reports) == (1, 1, 12)
    assert_equal_to_a_clean_build(library, tmp_path / "ix", tmp_path, monkeypatch)


def test_the_journal_is_folded_into_a_new_snapshot_when_it_grows(library, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setattr(catalog, "JOURNAL_MIN_BYTES", 2_000)
    ix = ReportIndex(library, tmp_path / "ix")
    ix.update()
    tokens = set()
    for i in range(12):
        path = library / f"r{i:04d}.md"
        path.write_text(path.read_text("utf-8") + f"\nmore text {i}\n", "utf-8")
        ix.update()
        snapshot = (tmp_path / "ix" / "catalog.json").read_bytes()
        tokens.add(json.loads(snapshot.rpartition(b"\t")[0])["journal"])   # less its checksum
        assert len(list((tmp_path / "ix").glob("catalog.*.journal"))) <= 1
    assert len(tokens) > 1                          # rewritten at least once
    assert all(INDEX_FILE.match(p.name) for p in (tmp_path / "ix").iterdir()
               if p.name not in (index_module.WRITE_LOCK, index_module.UPDATE_LOCK,
                                 index_folder.MARKER))
    assert_equal_to_a_clean_build(library, tmp_path / "ix", tmp_path, monkeypatch)


def test_a_catalog_from_before_the_journal_is_used_not_rebuilt(library, tmp_path, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(catalog, "JOURNAL_MIN_BYTES", 0)   # the build's line: a new snapshot
        ReportIndex(library, tmp_path / "ix").update()
    path = tmp_path / "ix" / "catalog.json"
    data = json.loads(path.read_bytes().rpartition(b"\t")[0])     # less its checksum
    data.pop("journal")
    for journal in (tmp_path / "ix").glob("catalog.*.journal"):
        journal.unlink()
    body = json.dumps(data).encode("ascii")
    path.write_bytes(body + b"\t%08x\n" % zlib.crc32(body))
    ix = ReportIndex(library, tmp_path / "ix")
    assert ix.notice is None and len(ix.reports) == 12
    (library / "new.md").write_text("# New\n\n## 1. Q\nquokka\n", "utf-8")
    assert ix.update().added == 1
    assert_equal_to_a_clean_build(library, tmp_path / "ix", tmp_path, monkeypatch)


def test_two_sessions_take_in_each_others_commits(library, tmp_path, monkeypatch):
    first = ReportIndex(library, tmp_path / "ix")
    first.update()
    second = ReportIndex(library, tmp_path / "ix")
    (library / "new.md").write_text("# New\n\n## 1. Q\nquokka\n", "utf-8")
    assert first.update().added == 1
    second.reload()                                 # reads, never writes
    assert "new" in second.reports and answers(second)["quokka"] == [("new", 1)]
    (library / "r0001.md").unlink()
    edit_same_size(library)
    stats = second.update()
    assert (stats.updated, stats.removed) == (1, 1)
    stats = first.update()                          # the second's work is not done again
    assert (stats.added, stats.updated, stats.removed) == (0, 0, 0)
    assert first.reports == second.reports
    assert_equal_to_a_clean_build(library, tmp_path / "ix", tmp_path, monkeypatch)


def test_a_line_another_session_appends_in_between_is_not_missed(library, tmp_path,
                                                                  monkeypatch):
    """The second session commits while the first is between its commit and its journal
    line: the first must still take in the second's line, which comes before its own.
    (Sessions of this version wait for each other's whole update: the second stands for
    one of an earlier version, which did not.)"""
    first = ReportIndex(library, tmp_path / "ix")
    first.update()
    second = ReportIndex(library, tmp_path / "ix")
    monkeypatch.setattr(second, "_update_lock", lambda *args: contextlib.nullcontext())
    real_save = catalog.Catalog.save

    def save_after_the_other(self, *args, **kwargs):
        if self is first._catalog:
            monkeypatch.setattr(catalog.Catalog, "save", real_save)
            (library / "other.md").write_text("# Other\n\n## 1. Z\nzebras\n", "utf-8")
            assert second.update().added == 2      # new.md too: its line is not written yet
        real_save(self, *args, **kwargs)
    monkeypatch.setattr(catalog.Catalog, "save", save_after_the_other)
    (library / "new.md").write_text("# New\n\n## 1. Q\nquokka\n", "utf-8")
    assert first.update().added == 1
    first.reload()
    assert {"new", "other"} <= first.reports.keys()
    assert first.update().added == 0
    assert second.update().added == 0
    assert_equal_to_a_clean_build(library, tmp_path / "ix", tmp_path, monkeypatch)


def test_report_ids_are_those_of_a_full_listing(tmp_path, monkeypatch):
    """Colliding names keep the ids the listing gives them, across an update that adds
    the collision."""
    lib = tmp_path / "lib"
    (lib / "sub").mkdir(parents=True)
    for name in ("a.md", "sub/b.txt", "c.d.markdown"):
        (lib / name).write_text(f"# {name}\n\n## 1. Part\nwords of {name}\n", "utf-8")
    ix = ReportIndex(lib, tmp_path / "ix")
    ix.update()
    for name in ("a.txt", "sub/b.md", "c.d.md", "a.txt.md"):
        (lib / name).write_text(f"# {name}\n\n## 1. Part\nwords of {name}\n", "utf-8")
    ix.update()
    assert sorted((r.id, os.path.basename(r.path)) for r in ix.reports.values()) == [
        ("a", "a.md"), ("a.txt", "a.txt"), ("a.txt.md", "a.txt.md"), ("c.d", "c.d.markdown"),
        ("c.d.md", "c.d.md"), ("sub/b", "b.md"), ("sub/b.txt", "b.txt")]
    assert_equal_to_a_clean_build(lib, tmp_path / "ix", tmp_path, monkeypatch)
