"""Source reports are never modified, moved or locked: every file of a library (bad ones
included) is hashed before and after a full session, through the command line (index,
reports, search, show, compare, topics) and through the window (open, search, read,
compare, export). Nothing is created inside the library either."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from explorer.core.library import scan_library
from ui_helpers import *  # noqa: F401,F403 - fixtures and helpers
from ui_helpers import SEEDS, WAIT_MS, run_search

A, C = "000_69796a1aaad12780", "002_147b1aca3640d2fa"


def make_library(root: Path) -> Path:
    """The seeds, in a subfolder too, plus files the app must only read or skip."""
    root.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copyfile(seed, root / seed.name)
    (root / "more" / "deeper").mkdir(parents=True)
    (root / "more" / "deeper" / "Übersicht 報告.md").write_text(
        "# Übersicht\n\n## 1. Multimodal models\nMultimodal models read images.\n", "utf-8")
    (root / "more" / "cp1252.md").write_bytes(
        "# Caf\xe9\r\n\r\n## 1. \u201cQuoted\u201d ethics\r\nEthics text.\r\n".encode("cp1252"))
    (root / "empty.md").write_bytes(b"")
    (root / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (root / "notes.json").write_text('{"not": "a report"}', "utf-8")
    (root / ".hidden.md").write_text("# Hidden\n", "utf-8")
    if sys.platform != "win32":
        (root / "link.md").symlink_to(root / "more" / "cp1252.md")
        (root / "dangling.md").symlink_to(root / "nowhere.md")
    return root


def state(root: Path) -> dict[str, tuple]:
    """Every entry under root: content hash, size, modification time and mode (links are
    described by their target path, not followed)."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            if path.is_symlink():
                found[str(path)] = ("link", os.readlink(path), info.st_mtime_ns)
            elif path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                found[str(path)] = (digest, info.st_size, info.st_mtime_ns, info.st_mode)
            else:
                found[str(path)] = ("folder", info.st_mtime_ns, info.st_mode)
    return found


def open_in(root: Path) -> list[str]:
    """Files under root that this process holds open (Linux: /proc/self/fd)."""
    held = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue                     # closed meanwhile
        if target.startswith(str(root)):
            held.append(target)
    return held


@pytest.fixture
def lib(tmp_path):
    return make_library(tmp_path / "library")


def test_a_command_line_session_leaves_the_library_as_it_was(lib, tmp_path):
    before = state(lib)
    index = str(tmp_path / "index")
    for args in (["index", "--json"], ["index", "--rebuild"], ["reports", "--json"],
                 ["search", "multimodal", "--json"], ["search", 'ethic* OR "quoted ethics"'],
                 ["show", A], ["show", A, "--section", "2", "--html"],
                 ["compare", A, "1", "--json"], ["compare", A, "1", "--reports", C],
                 ["topics", "--json"]):
        r = subprocess.run([sys.executable, "-m", "explorer", *args, "--library", str(lib),
                            "--index-dir", index], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, (args, r.stderr)
    assert state(lib) == before


def test_a_window_session_leaves_the_library_as_it_was(qtbot, make_window, lib, tmp_path,
                                                       monkeypatch):
    before = state(lib)
    win = make_window(lib)
    run_search(qtbot, win, "multimodal")
    assert win.search.model.result.total > 0
    win.open_report(C, 2)
    qtbot.waitUntil(lambda: win.reader.report_id == C and win.reader.section == 2,
                    timeout=WAIT_MS)
    view = win.compare_reports([A, C])
    qtbot.waitUntil(lambda: view.model.comparison is not None, timeout=WAIT_MS)
    exported = tmp_path / "exports" / "comparison"
    exported.parent.mkdir()
    for suffix, kind in ((".html", "HTML (*.html *.htm)"), (".pdf", "PDF (*.pdf)")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
            lambda *args, suffix=suffix, kind=kind, **kwargs: (f"{exported}{suffix}", kind)))
        win.actions["export-comparison"].trigger()
        assert Path(f"{exported}{suffix}").stat().st_size > 0
    win.show_topic_map()
    win.actions["reindex"].trigger()
    qtbot.waitUntil(lambda: win.status.index_label.text() == "Index up to date"
                    and win.state.stats.added > 0, timeout=WAIT_MS)
    win.close()
    assert state(lib) == before
    if sys.platform.startswith("linux"):
        assert open_in(lib) == []             # nothing of the library is held open


def test_reading_alone_changes_nothing_either(lib):
    before = state(lib)
    scan = scan_library(lib)
    assert len(scan.reports) == 8 and {s.path for s in scan.skipped} >= {"empty.md",
                                                                       "picture.txt"}
    assert state(lib) == before
