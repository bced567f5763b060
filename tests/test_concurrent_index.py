"""Two processes on one index (issue 19, item 5): `explorer index` waits for another's
update and then finishes it all, or says it did not (exit 75); a search while another
process rebuilds the index answers, or says in one line that it is being rebuilt.

The other process is this test holding the index's update lock, and its rebuild is
simulated at the point where the real one failed searches: the index files deleted, the
new ones not yet created. No sleeps, no timed assertions: the child says it waits before
the test lets it go, and the timeouts are set to zero.
"""
import json
import subprocess
import sys

import pytest

from explorer import cli
from explorer.core import index as index_module
from explorer.core.errors import UserError
from explorer.core.index import INDEX_FILE, UPDATE_LOCK, IndexBusy, ReportIndex
from explorer.core.session import LibrarySession

from conftest import make_library

WAITING = "explorer: waiting for another Report Explorer to finish updating this index…"


@pytest.fixture
def indexed(tmp_path):
    """A library of 8 reports, indexed."""
    library = make_library(tmp_path / "lib", 8)
    ReportIndex(library, tmp_path / "ix").update()
    return library, tmp_path / "ix"


def hold_update_lock(index_dir):
    """The lock another process's update (or rebuild) holds."""
    lock = index_module._storage(index_dir).lock(UPDATE_LOCK)
    assert lock.acquire()
    return lock


def delete_index_files(index_dir):
    """What a rebuild does first, before it creates the new index."""
    for path in index_dir.iterdir():
        if INDEX_FILE.match(path.name):
            path.unlink()


def add_reports(library, count):
    for i in range(count):
        (library / f"new{i}.md").write_text(f"# New {i}\n\n## 1. Fresh\nquokka{i}\n", "utf-8")


def test_index_waits_for_the_other_update_then_indexes_everything(indexed):
    library, index_dir = indexed
    add_reports(library, 5)
    lock = hold_update_lock(index_dir)
    child = subprocess.Popen([sys.executable, "-m", "explorer", "index", "--json",
                              "--library", str(library), "--index-dir", str(index_dir)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             encoding="utf-8")
    try:
        assert child.stderr.readline().rstrip("\n") == WAITING   # stderr is no terminal: once
    finally:
        lock.release()
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert err == ""
    stats = json.loads(out)
    assert list(stats) == ["reports", "sections", "added", "updated", "removed", "skipped",
                           "seconds"]
    assert (stats["reports"], stats["added"]) == (13, 5)


def test_index_that_cannot_wait_longer_says_so_with_status_75(indexed, monkeypatch, capsys):
    library, index_dir = indexed
    add_reports(library, 2)
    monkeypatch.setattr(cli, "INDEX_WAIT_S", 0)
    lock = hold_update_lock(index_dir)
    try:
        for rebuild in ([], ["--rebuild"]):
            status = cli.main(["index", *rebuild, "--library", str(library),
                               "--index-dir", str(index_dir)])
            out, err = capsys.readouterr()
            assert status == 75 and out == ""
            assert err.count("\n") == 1 and "another Report Explorer" in err, err
            assert "try again" in err and "Traceback" not in err
    finally:
        lock.release()
    # nothing was deleted meanwhile, and the next run does the work
    assert ReportIndex(library, index_dir).update().added == 2


def test_a_rebuild_never_deletes_the_index_under_an_update(indexed):
    library, index_dir = indexed
    other = ReportIndex(library, index_dir)
    lock = hold_update_lock(index_dir)          # the other process is between two commits
    try:
        with pytest.raises(IndexBusy):
            other.rebuild(wait_s=0)
    finally:
        lock.release()
    assert ReportIndex(library, index_dir).update().reports == 8


def test_search_while_another_process_updates_answers_from_what_it_saved(indexed, monkeypatch,
                                                                          capsys):
    library, index_dir = indexed
    monkeypatch.setattr(index_module, "WRITE_WAIT_S", 0)
    lock = hold_update_lock(index_dir)
    try:
        status = cli.main(["search", "--json", "r3s2", "--library", str(library),
                           "--index-dir", str(index_dir)])
    finally:
        lock.release()
    out, err = capsys.readouterr()
    assert status == 0
    assert [(h["report"], h["section"]) for h in json.loads(out)["hits"]] == [("r0003", 2)]
    assert err.count("\n") == 1 and "showing what it has saved" in err


def test_search_opened_while_the_index_is_being_rebuilt_says_so(indexed, monkeypatch, capsys):
    """The files deleted by the other process's rebuild, its new ones not yet there."""
    library, index_dir = indexed
    monkeypatch.setattr(index_module, "WRITE_WAIT_S", 0)
    monkeypatch.setattr(index_module, "REOPEN_WAIT_S", 0)
    lock = hold_update_lock(index_dir)
    try:
        delete_index_files(index_dir)
        status = cli.main(["search", "r3s2", "--library", str(library),
                           "--index-dir", str(index_dir)])
    finally:
        lock.release()
    out, err = capsys.readouterr()
    assert status == 1 and out == ""
    assert err == ("explorer: another Report Explorer is rebuilding this index: "
                   "try again in a moment\n")


def test_search_whose_files_vanish_waits_for_the_rebuilt_ones(indexed, monkeypatch):
    """A session searched once; the other process deletes the files; while this one
    waits for them, that one creates the new index and fills it."""
    library, index_dir = indexed
    session = LibrarySession.open(library, index_dir)
    assert session.search("r3s2").total == 1
    other = ReportIndex(library, index_dir)
    lock = hold_update_lock(index_dir)
    delete_index_files(index_dir)
    waits = []

    def other_process_rebuilds(seconds):
        waits.append(seconds)
        if len(waits) == 1:
            lock.release()
            other.rebuild()
            add_reports(library, 1)
            other.update()
    monkeypatch.setattr(index_module.time, "sleep", other_process_rebuilds)
    result = session.search("r3s2")
    assert [(h.report, h.section) for h in result.hits] == [("r0003", 2)]
    assert session.search("quokka0").total == 1     # the other process's own work
    assert session.notice is None
    session.close()


def test_search_whose_files_vanish_for_good_says_so_in_one_line(indexed, monkeypatch):
    library, index_dir = indexed
    monkeypatch.setattr(index_module, "REOPEN_WAIT_S", 0)
    session = LibrarySession.open(library, index_dir)
    assert session.search("r3s2").total == 1
    lock = hold_update_lock(index_dir)
    try:
        delete_index_files(index_dir)
        with pytest.raises(UserError, match="^another Report Explorer is rebuilding this "
                                            "index: try again in a moment$"):
            session.search("r3s2")
    finally:
        lock.release()
    session.close()


def test_files_deleted_with_no_other_process_are_rebuilt_here(indexed, monkeypatch):
    library, index_dir = indexed
    monkeypatch.setattr(index_module, "REOPEN_WAIT_S", 0)
    session = LibrarySession.open(library, index_dir)
    session.update()
    delete_index_files(index_dir)
    result = session.search("r3s2")
    assert [(h.report, h.section) for h in result.hits] == [("r0003", 2)]
    assert "rebuilt" in result.notice
    session.close()


def test_the_windows_rebuild_while_another_process_updates_says_so_and_shows_its_work(
        qtbot, indexed, monkeypatch):
    """The window's worker never waits long (it serves the window): its "Reindex" says
    why it did not rebuild, and still ends with a state (the window shows "Reindexing…"
    until one comes), of what the other process has saved."""
    from explorer.ui.worker import LibraryWorker
    library, index_dir = indexed
    monkeypatch.setattr(index_module, "WRITE_WAIT_S", 0)
    worker = LibraryWorker(str(library), str(index_dir))    # driven in this thread
    failed, states = [], []
    worker.failed.connect(failed.append)
    worker.state_changed.connect(states.append)
    worker.open()
    lock = hold_update_lock(index_dir)
    try:
        del states[:]
        worker.rebuild()
    finally:
        lock.release()
    assert any("it was not rebuilt" in message for message in failed), failed
    assert states and states[-1].indexed and len(states[-1].reports) == 8
    worker.close()


def test_an_unexpected_error_without_a_message_is_named(indexed, monkeypatch, capsys):
    """Whoosh raises LockError without text. One got out of the update that redid a
    parallel commit another process's rebuild had emptied (taken for lost work), and
    printed an empty `unexpected error:`; that path holds the update lock now, but any
    other such exception must still be named."""
    library, index_dir = indexed

    def fail(*args, **kwargs):
        raise index_module.LockError()
    monkeypatch.setattr(LibrarySession, "update", fail)
    status = cli.main(["search", "x", "--library", str(library), "--index-dir", str(index_dir)])
    assert status == 1
    assert capsys.readouterr().err.startswith("explorer: unexpected error: LockError")
