"""Faults: a killed indexer, a left-over lock, a second writer, a damaged, missing or old
index, a folder that cannot be written. Each time the library still opens, searches, and
ends equal to a clean build."""
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zlib

import pytest
import whoosh.index
from whoosh.filedb.filestore import FileStorage

from explorer.core import index as index_module
from explorer.core.index import ReportIndex
from explorer.core.index_folder import ForeignFolder
from explorer.core.search import Searcher

from conftest import make_library


def snapshot(library, index_dir):
    ix = ReportIndex(library, index_dir)
    stats = ix.update()
    searcher = Searcher(ix)
    answers = {q: searcher.search(q, limit=5).total for q in ("multimodal", "r7s3", "ethics energy")}
    searcher.close()
    result = (stats.reports, stats.sections, ix.whoosh.doc_count(), answers)
    ix.close()
    return result


def index_command(library, index_dir):
    return [sys.executable, "-m", "explorer", "index", "--json", "--library", str(library),
            "--index-dir", str(index_dir)]


@pytest.mark.parametrize("delay", [0.4, 0.9, 1.6])
def test_killed_while_indexing_recovers_to_a_clean_build(tmp_path, delay, monkeypatch):
    library = make_library(tmp_path / "lib", 700)
    clean = snapshot(library, tmp_path / "clean")
    proc = subprocess.Popen(index_command(library, tmp_path / "killed"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert snapshot(library, tmp_path / "killed") == clean


SAY_CHILDREN = textwrap.dedent("""
    import multiprocessing, sys, threading, time
    from explorer.core.index import ReportIndex

    def say_children():
        while not multiprocessing.active_children():
            time.sleep(0.02)
        print(" ".join(str(c.pid) for c in multiprocessing.active_children()), flush=True)

    if __name__ == "__main__":
        threading.Thread(target=say_children, daemon=True).start()
        ReportIndex(sys.argv[1], sys.argv[2]).update(workers=2)
""")


def running(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"    # a zombie has ended
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_children_of_a_killed_parallel_build_end_with_it(tmp_path):
    library = make_library(tmp_path / "lib", 700)
    proc = subprocess.Popen([sys.executable, "-c", SAY_CHILDREN, str(library),
                             str(tmp_path / "ix")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    children = [int(pid) for pid in proc.stdout.readline().split()]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(map(running, children)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in children if running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert children and not left


HOLD_WRITER = textwrap.dedent("""
    import sys, time
    from whoosh import index
    ix = index.open_dir(sys.argv[1])
    w = ix.writer()
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
""")


def hold_writer(index_dir, seconds):
    proc = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(index_dir), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_lock_left_by_a_dead_process_is_cleared(tmp_path):
    library = make_library(tmp_path / "lib", 5)
    ReportIndex(library, tmp_path / "ix").update()
    holder = hold_writer(tmp_path / "ix", 60)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert any(p.name.endswith("WRITELOCK") for p in (tmp_path / "ix").iterdir())
    (library / "new.md").write_text("# New\n\n## 1. Fresh\nquokka\n", "utf-8")
    ix = ReportIndex(library, tmp_path / "ix")
    assert ix.update().added == 1 and ix.notice is None


def test_second_instance_reads_while_the_first_writes(tmp_path):
    library = make_library(tmp_path / "lib", 5)
    ReportIndex(library, tmp_path / "ix").update()
    (library / "new.md").write_text("# New\n\n## 1. Fresh\nquokka\n", "utf-8")
    holder = hold_writer(tmp_path / "ix", 30)
    try:
        ix = ReportIndex(library, tmp_path / "ix")
        stats = ix.update()
        assert "another" in ix.notice and stats.reports == 5
        assert Searcher(ix).search("multimodal").total > 0
    finally:
        holder.kill()
        holder.wait()
    # the writer gone, the same instance catches up at its next update and finds the file
    assert ix.update().added == 1 and Searcher(ix).search("quokka").total == 1
    assert ReportIndex(library, tmp_path / "ix").update().added == 0


def test_two_commands_at_once_both_answer(tmp_path):
    library = make_library(tmp_path / "lib", 300)
    procs = [subprocess.Popen(index_command(library, tmp_path / "ix"), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert all("Traceback" not in err for _, err in outs)
    assert max(json.loads(out)["reports"] for out, _ in outs) == 300
    assert snapshot(library, tmp_path / "ix")[:3] == (300, 1500, 1500)


def test_index_folder_that_cannot_be_created_works_in_memory(tmp_path):
    library = make_library(tmp_path / "lib", 5)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    ix = ReportIndex(library, blocker / "index")
    stats = ix.update()
    assert "memory" in ix.notice and stats.reports == 5
    assert Searcher(ix).search("multimodal").total > 0


def test_disk_full_while_writing_moves_to_memory(tmp_path, monkeypatch):
    library = make_library(tmp_path / "lib", 5)
    ix = ReportIndex(library, tmp_path / "ix")
    real_writer = whoosh.index.FileIndex.writer

    def failing_writer(self, *args, **kwargs):
        writer = real_writer(self, *args, **kwargs)
        if not isinstance(self.storage, FileStorage):
            return writer           # the in-memory index has no disk to fill

        def commit(*a, **k):
            writer.cancel()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        writer.commit = commit
        return writer

    monkeypatch.setattr(whoosh.index.FileIndex, "writer", failing_writer)
    stats = ix.update()
    assert "No space left" in ix.notice and "memory" in ix.notice
    assert stats.reports == 5 and Searcher(ix).search("ethics").total > 0


def test_index_inside_the_library_is_refused(tmp_path):
    library = make_library(tmp_path / "lib", 1)
    with pytest.raises(ForeignFolder, match="inside the library"):
        ReportIndex(library, library / ".index")


def test_rebuild_never_deletes_foreign_files(tmp_path):
    # put into the index's folder after the app took it (a folder full of someone's
    # files is never taken: see test_index_damage.py)
    library = make_library(tmp_path / "lib", 2)
    folder = tmp_path / "shared-folder"
    ix = ReportIndex(library, folder)
    (folder / "notes.txt").write_text("mine")
    ix.update()
    ix.rebuild()
    assert (folder / "notes.txt").read_text() == "mine"


def _truncate(folder, pattern):
    for f in folder.glob(pattern):
        f.write_bytes(f.read_bytes()[: max(1, f.stat().st_size // 3)])


def _overwrite(folder, pattern, data):
    for f in folder.glob(pattern):
        f.write_bytes(data)


def _flip(folder, pattern):
    for f in folder.glob(pattern):
        data = bytearray(f.read_bytes())
        data[len(data) // 2] ^= 0x01        # a letter of a title, say: still valid JSON
        f.write_bytes(bytes(data))


def _older_schema(folder):
    # the snapshot ends with a tab and its checksum (see catalog.py), made again here
    body = (folder / "catalog.json").read_bytes().rpartition(b"\t")[0]
    catalog = json.loads(body)
    catalog["schema"] = index_module.SCHEMA_VERSION - 1
    body = json.dumps(catalog).encode("ascii")
    (folder / "catalog.json").write_bytes(body + b"\t%08x\n" % zlib.crc32(body))


DAMAGE = {   # what is done to a good index -> whether the user is told it was rebuilt
    "truncated segments": (lambda f: _truncate(f, "*.seg"), True),
    "garbage segments": (lambda f: _overwrite(f, "*.seg", b"\x00garbage" * 50), True),
    "missing table of contents": (lambda f: [p.unlink() for p in f.glob("*.toc")], True),
    "garbage catalog": (lambda f: _overwrite(f, "catalog.json", b"{not json"), True),
    "truncated catalog": (lambda f: _truncate(f, "catalog.json"), True),
    "a flipped bit in the catalog": (lambda f: _flip(f, "catalog.json"), True),
    "a flipped bit in a journal line": (lambda f: _flip(f, "catalog.*.journal"), True),
    "missing catalog": (lambda f: (f / "catalog.json").unlink(), False),
    "older schema": (_older_schema, True),
    "empty folder": (lambda f: [p.unlink() for p in f.iterdir()], False),
    # no index at all looks like a first start: built, with the progress shown, no notice
    "missing folder": (shutil.rmtree, False),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_missing_or_old_index_is_rebuilt_to_a_clean_build(tmp_path, damage):
    library = make_library(tmp_path / "lib", 20)
    clean = snapshot(library, tmp_path / "clean")
    snapshot(library, tmp_path / "ix")
    harm, told = DAMAGE[damage]
    harm(tmp_path / "ix")
    ix = ReportIndex(library, tmp_path / "ix")
    assert ("rebuilt" in (ix.notice or "")) is told, ix.notice
    stats = ix.update()
    assert (stats.reports, stats.sections) == clean[:2]
    ix.close()
    assert snapshot(library, tmp_path / "ix") == clean
