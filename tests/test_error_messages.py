"""Every failure a user can hit gets a plain message saying what happened and what to do:
one line on stderr (and the right exit code) from the command line, the status bar or a
dialog in the window. The details go to the rotating log file in the user's data folder,
which Help → Open Log Folder opens."""
from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys

import pytest
from PySide6.QtCore import QUrl

from explorer import applog, cli as cli_module
from explorer.core.session import LibrarySession
from explorer.ui import main_window as main_window_module
from explorer.ui.plain import plain_html
from ui_helpers import *  # noqa: F401,F403 - fixtures and helpers
from ui_helpers import WAIT_MS, run_search

A, B = "000_69796a1aaad12780", "001_c37010fbd4496169"


@pytest.fixture
def seeds_copy(tmp_path, seeds):
    lib = tmp_path / "lib"
    shutil.copytree(seeds, lib, ignore=shutil.ignore_patterns("__*"))
    return lib


@pytest.fixture
def log_here(monkeypatch):
    """The log file set up afresh in this test's data folder (the app sets it up once per
    process, and each test has its own folder); returns its path."""
    logger = logging.getLogger("explorer")
    monkeypatch.setattr(applog, "_configured", False)
    monkeypatch.setattr(logger, "handlers", [])
    applog.setup()
    yield applog.log_file()
    for handler in logger.handlers:
        handler.close()


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "explorer", *args], capture_output=True,
                          text=True, timeout=120)


def one_plain_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("explorer: ")
    return lines[0]


# -- the command line ------------------------------------------------------------------------

@pytest.mark.parametrize("args, says", [
    (["search"], "the following arguments are required: query"),
    (["show"], "REPORT"),
    (["frobnicate"], "invalid choice"),
    (["search", "x", "--limit", "zero"], "--limit: must be a whole number, not 'zero'"),
    (["search", "x", "--limit", "0"], "--limit: must be 1 or more, not '0'"),
    (["show", A, "--section", "two"], "--section: must be a whole number, not 'two'"),
    (["compare", A, "two"], "SECTION: must be a whole number, not 'two'"),
    (["compare", A, "1", "--reports", ","], "--reports: must be report ids separated by commas"),
    (["index", "--max-size", "0"], "--max-size: must be a whole number of MB from 1 to"),
])
def test_bad_usage_is_one_line_and_exit_2(cli, seeds_copy, args, says):
    r = cli(*args, "--library", str(seeds_copy))
    assert r.returncode == 2
    line = one_plain_line(r.stderr)
    assert says in line and line.endswith("(see explorer --help)")


@pytest.mark.parametrize("args, says", [
    (["show", "no-such-report"], "no report with id 'no-such-report' (see `explorer reports`)"),
    (["show", A, "--section", "99"], f"{A} has no section 99 (it has 1, 2, 3,"),
    (["search", "x", "--report", "nope"], "no report with id 'nope' (see `explorer reports`)"),
    (["compare", A, "99"], f"{A} has no section 99"),
    (["compare", A, "1", "--reports", f"{B},nope"], "no report with id 'nope'"),
])
def test_what_cannot_be_done_is_one_line_and_exit_1(cli, seeds_copy, args, says,
                                                    _private_profile):
    r = cli(*args, "--library", str(seeds_copy))
    assert r.returncode == 1
    assert says in one_plain_line(r.stderr)
    log = _private_profile / "data" / "report-explorer" / "logs" / "explorer.log"
    assert says in log.read_text("utf-8")                       # and it is in the log


def test_a_missing_library(cli, tmp_path):
    for missing in (tmp_path / "nowhere", tmp_path / "a-file.md"):
        if missing.suffix:
            missing.write_text("# not a folder\n", "utf-8")
        r = cli("reports", "--json", "--library", str(missing))
        assert r.returncode == 1 and r.stdout == ""
        line = one_plain_line(r.stderr)
        assert f"there is no library folder at {missing}" in line and "--library DIR" in line


def test_an_index_folder_inside_the_library(seeds_copy):
    r = run("index", "--library", str(seeds_copy), "--index-dir", str(seeds_copy / "ix"))
    assert r.returncode == 1
    line = one_plain_line(r.stderr)
    assert "is inside the library" in line and "--index-dir DIR" in line
    assert not (seeds_copy / "ix").exists()


def test_an_index_folder_that_cannot_be_written_searches_from_memory(seeds_copy, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    r = run("search", "multimodal", "--json", "--library", str(seeds_copy),
            "--index-dir", str(blocker / "index"))
    assert r.returncode == 0
    line = one_plain_line(r.stderr)
    assert f"cannot save the index in {blocker / 'index'}" in line
    assert "searching from memory this time" in line
    assert json.loads(r.stdout)["total"] > 0


def test_a_damaged_index_is_rebuilt_with_a_notice(seeds_copy, tmp_path):
    assert run("index", "--library", str(seeds_copy), "--index-dir",
               str(tmp_path / "ix")).returncode == 0
    for segment in (tmp_path / "ix").glob("*.seg"):
        segment.write_bytes(b"garbage")
    r = run("index", "--json", "--library", str(seeds_copy), "--index-dir", str(tmp_path / "ix"))
    assert r.returncode == 0 and "rebuilt" in one_plain_line(r.stderr)
    assert json.loads(r.stdout)["reports"] == 5


def test_an_unexpected_error_is_one_line_and_the_details_go_to_the_log(seeds_copy, tmp_path,
                                                                       monkeypatch, capsys,
                                                                       log_here):
    def broken(self, *args, **kwargs):
        raise RuntimeError("the search engine broke")
    monkeypatch.setattr(LibrarySession, "search", broken)
    code = cli_module.main(["search", "x", "--library", str(seeds_copy),
                            "--index-dir", str(tmp_path / "ix")])
    assert code == 1
    line = one_plain_line(capsys.readouterr().err)
    assert line == (f"explorer: unexpected error: the search engine broke "
                    f"(details in {log_here})")
    details = log_here.read_text("utf-8")
    assert "Traceback" in details and "RuntimeError: the search engine broke" in details


# -- the window ------------------------------------------------------------------------------------

def test_opening_a_missing_library_says_so_in_a_dialog(qtbot, window, tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(main_window_module.QMessageBox, "warning",
                        lambda parent, title, text: said.append((title, text)))
    assert not window.open_library(tmp_path / "nowhere")
    assert said == [("Cannot Open Library", plain_html(
        f"There is no folder at {tmp_path / 'nowhere'}. It may have been moved or renamed, or "
        "be on a disk that is not connected."))]


def test_a_library_that_cannot_be_opened_says_why_in_a_dialog(qtbot, make_window, library,
                                                              monkeypatch):
    said = []
    monkeypatch.setattr(main_window_module.QMessageBox, "warning",
                        lambda parent, title, text: said.append((title, text)))
    win = make_window(library, wait=False)
    win.open_library(library, str(library / "index"))      # would write into the library
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT_MS)
    title, text = said[0]
    assert title == "Cannot Open Library" and "inside the library" in text
    assert "Traceback" not in text and "The library could not be opened." in \
        win.reader.empty_label.text()


def test_a_report_that_vanished_before_it_opened_is_said_in_the_status_bar(qtbot, window,
                                                                          library):
    window.watcher.stop()                 # the user is quicker than the next update
    path = next(library.glob("001_*"))
    path.unlink()
    window.open_report(path.stem)
    qtbot.waitUntil(lambda: "disappeared" in window.status.currentMessage(), timeout=WAIT_MS)
    assert window.status.currentMessage() == (
        f"cannot read {path}: the file disappeared while it was being read (moved or deleted)")


def test_an_index_folder_that_cannot_be_written_is_said_and_search_works(qtbot, make_window,
                                                                        library, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import Settings
    win = MainWindow(Settings())
    qtbot.addWidget(win)
    messages = []
    win.status.messageChanged.connect(messages.append)
    win.open_library(library, str(blocker / "index"))
    win.show()
    qtbot.waitUntil(lambda: win.state is not None and win.state.indexed, timeout=WAIT_MS)
    assert any("searching from memory this time" in m for m in messages), messages
    run_search(qtbot, win, "multimodal")
    assert win.search.model.result.total > 0


def test_an_unexpected_error_in_the_window_is_a_status_message_and_a_log_entry(
        qtbot, window, monkeypatch, log_here):
    def broken(self, *args, **kwargs):
        raise RuntimeError("the search engine broke")
    monkeypatch.setattr(LibrarySession, "search", broken)
    window.focus_search()
    qtbot.keyClicks(window.search.edit, "multimodal")
    qtbot.waitUntil(lambda: "broke" in window.status.currentMessage(), timeout=WAIT_MS)
    assert window.status.currentMessage() == (
        f"Unexpected error while searching: the search engine broke (details in {log_here})")
    assert window.search.status_label.text().startswith("The search failed")
    details = log_here.read_text("utf-8")
    assert "Traceback" in details and "RuntimeError: the search engine broke" in details


def test_help_opens_the_log_folder_in_the_data_folder(window, monkeypatch, _private_profile):
    opened = []
    monkeypatch.setattr(main_window_module.QDesktopServices, "openUrl", opened.append)
    window.actions["open-log"].trigger()
    folder = _private_profile / "data" / "report-explorer" / "logs"
    assert opened == [QUrl.fromLocalFile(str(folder))] and folder.is_dir()
