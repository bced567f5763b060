"""The command line's manners under a hostile environment (issue 19, items 6, 7, 8, 10, 11):
no data folder, no display, escape sequences in reports, folders nested past the path
limit, output that cannot be written, arguments no system takes. Each gets one plain line
on stderr and its documented exit status, never a traceback; text from reports reaches the
terminal without anything a terminal would act on."""
from __future__ import annotations

import errno
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explorer import applog, cli as cli_module
from explorer.core import locations
from explorer.core.index import ReportIndex
from explorer.core.library import scan_library
from explorer.core.session import LibrarySession
from explorer.termout import REPLACEMENT, Style, printable

# What a terminal acts on: C0 controls but tab and newline, DEL, C1 controls (ESC is C0).
TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def library(tmp_path, seeds):
    lib = tmp_path / "lib"
    shutil.copytree(seeds, lib, ignore=shutil.ignore_patterns("__*"))
    return lib


def explorer(*args, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    """`python -m explorer ARGS` as a user runs it; `env` changes the environment."""
    environ = dict(os.environ)
    for name, value in (env or {}).items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    if "stdout" not in kwargs:
        kwargs.setdefault("capture_output", True)
    return subprocess.run([sys.executable, "-m", "explorer", *args], env=environ,
                          timeout=120, **kwargs)


def one_line(stderr: str | bytes) -> str:
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("explorer: "), stderr
    return lines[0]


# -- 6. no data folder -----------------------------------------------------------------------

@pytest.fixture
def data_home_is_a_file(tmp_path):
    """XDG_DATA_HOME names a file: the data folder (log, preferences, default indexes,
    remembered library) cannot be made, as when HOME is not writable."""
    blocker = tmp_path / "data-home-file"
    blocker.write_text("not a folder")
    return {"XDG_DATA_HOME": str(blocker)}, blocker / locations.APP_NAME


@pytest.mark.parametrize("args", [["index", "--json"], ["reports", "--json"],
                                  ["search", "multimodal", "--json"]])
def test_commands_with_an_index_folder_need_no_data_folder(library, tmp_path,
                                                           data_home_is_a_file, args):
    env, _ = data_home_is_a_file
    r = explorer(*args, "--library", str(library), "--index-dir", str(tmp_path / "ix"),
                 env=env, text=True)
    assert (r.returncode, r.stderr) == (0, "")
    assert json.loads(r.stdout)


def test_without_an_index_folder_the_missing_data_folder_is_named(library, data_home_is_a_file):
    env, folder = data_home_is_a_file
    r = explorer("search", "multimodal", "--library", str(library), env=env, text=True)
    assert r.returncode == 1 and r.stdout == ""
    line = one_line(r.stderr)
    assert f"cannot make the data folder where the index is kept, {folder}" in line
    assert "--index-dir DIR" in line


@pytest.fixture
def data_folder_denied(monkeypatch):
    """The data folder cannot be made for lack of permission (HOME not writable; tests
    run as root, who may write anywhere, so making it raises instead), and the log is set
    up afresh, as in a new process."""
    def denied() -> Path:
        raise PermissionError(errno.EACCES, "Permission denied", "/home/user/.local/share")
    monkeypatch.setattr(locations, "data_dir", denied)
    monkeypatch.setattr(applog, "data_dir", denied)
    monkeypatch.setattr(applog, "_configured", False)
    monkeypatch.setattr(applog, "_active", applog._active)     # restored for later tests
    monkeypatch.setattr(logging.getLogger("explorer"), "handlers", [])


def test_a_denied_data_folder_with_an_index_folder(library, tmp_path, data_folder_denied,
                                                   capsys):
    code = cli_module.main(["search", "multimodal", "--json", "--library", str(library),
                            "--index-dir", str(tmp_path / "ix")])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert json.loads(out)["total"] > 0
    assert applog.active_log() is None


def test_a_denied_data_folder_without_an_index_folder(library, data_folder_denied, capsys):
    code = cli_module.main(["search", "multimodal", "--library", str(library)])
    line = one_line(capsys.readouterr().err)
    assert code == 1
    assert ("data folder where the index is kept, /home/user/.local/share (Permission denied)"
            in line)


def test_the_last_resort_works_without_a_log(library, tmp_path, data_folder_denied,
                                             monkeypatch, capsys):
    def broken(self, *args, **kwargs):
        raise RuntimeError("the search engine broke")
    monkeypatch.setattr(LibrarySession, "search", broken)
    code = cli_module.main(["search", "x", "--library", str(library),
                            "--index-dir", str(tmp_path / "ix")])
    assert code == 1
    line = one_line(capsys.readouterr().err)
    assert line == "explorer: unexpected error: the search engine broke"     # no "details in"


# -- 7. no display ---------------------------------------------------------------------------

NO_DISPLAY = {"DISPLAY": None, "WAYLAND_DISPLAY": None, "QT_QPA_PLATFORM": None}


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="a display server is Linux's")
@pytest.mark.parametrize("platform", [None, "xcb", "wayland", "wayland;xcb"])
def test_the_window_without_a_display_says_so(library, tmp_path, platform):
    r = explorer("--library", str(library), "--index-dir", str(tmp_path / "ix"),
                 env=dict(NO_DISPLAY, QT_QPA_PLATFORM=platform), text=True)
    assert r.returncode == 1 and r.stdout == ""
    line = one_line(r.stderr)
    assert "the window needs a display" in line and "the commands work without one" in line


@pytest.mark.parametrize("environ, missing", [
    ({}, True),
    ({"QT_QPA_PLATFORM": "xcb"}, True),
    ({"QT_QPA_PLATFORM": "wayland-egl", "DISPLAY": ":0"}, True),
    ({"DISPLAY": ":0"}, False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, False),
    ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, False),
    ({"QT_QPA_PLATFORM": "offscreen"}, False),
    ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, False),
    ({"QT_QPA_PLATFORM": "minimal"}, False),
    ({"QT_QPA_PLATFORM": "eglfs"}, False),
])
def test_which_platforms_need_a_display(monkeypatch, environ, missing):
    monkeypatch.setattr(sys, "platform", "linux")
    assert cli_module._no_display(environ) is missing


def test_the_self_test_needs_no_display():
    r = explorer("--self-test", env=NO_DISPLAY, text=True, encoding="utf-8")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "QT_QPA_PLATFORM=offscreen" in r.stdout and "Traceback" not in r.stdout + r.stderr


# -- 8. escape sequences in reports ----------------------------------------------------------

SET_TITLE, CLEAR = "\x1b]0;pwned\x07", "\x1b[2J\x1b[H"
EVIL_NAME = f"evil{CLEAR}name.md"
EVIL_TITLE = f"Otter {SET_TITLE}report"
CALM = "Otters gather near the river bank and swim in the cold water of the lake. " * 8
EVIL_REPORT = (f"# {EVIL_TITLE}\n\n## 1. Rivers {CLEAR}and \x9b31m banks\n{CALM}\n"
               f"Otters\tswim \x1b[8mhidden\x1b[0m in cold \x7fwater \x1b]8;;http://x\x1b\\.\n"
               f"\n## 2. Lakes\n{CALM}\n")


@pytest.fixture
def evil_library(tmp_path):
    lib = tmp_path / "evil-lib"
    lib.mkdir()
    (lib / EVIL_NAME).write_text(EVIL_REPORT, "utf-8")
    (lib / f"skipped{SET_TITLE}.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    return lib


def assert_inert(text: str) -> None:
    assert not TERMINAL_CONTROL.search(text), repr(text)


@pytest.mark.parametrize("args", [["index"], ["reports"], ["search", "otters"],
                                  ["show", EVIL_NAME[:-3]], ["show", EVIL_NAME[:-3], "--html"],
                                  ["show", EVIL_NAME[:-3], "--section", "1"]])
def test_nothing_a_terminal_acts_on_is_printed(cli, evil_library, args):
    r = cli(*args, "--library", str(evil_library))
    assert r.returncode == 0, r.stderr
    assert_inert(r.stdout)
    assert_inert(r.stderr)
    assert REPLACEMENT in r.stdout


def test_show_keeps_line_breaks_and_tabs(cli, evil_library):
    r = cli("show", EVIL_NAME[:-3], "--library", str(evil_library))
    assert "Otters\tswim" in r.stdout and r.stdout.count("\n") >= 3


def test_json_keeps_the_text_exact_and_escaped(cli, evil_library):
    r = cli("reports", "--json", "--library", str(evil_library))
    assert "\x1b" not in r.stdout and "\\u001b" in r.stdout        # escaped, not raw
    data = json.loads(r.stdout)
    (report,) = data["reports"]
    assert report["path"] == str(evil_library / EVIL_NAME) and SET_TITLE in report["title"]
    assert data["skipped"][0]["path"] == f"skipped{SET_TITLE}.md"


@pytest.mark.parametrize("text, lines, shown", [
    ("a\x1b[2Jb", False, f"a{REPLACEMENT}b"),
    ("a\x1b]0;title\x07b", False, f"a{REPLACEMENT}b"),
    ("a\x1b]0;title\x1b\\b", False, f"a{REPLACEMENT}b"),
    ("a\x1b]0;no end\nb", True, f"a{REPLACEMENT}\nb"),      # never hides the next lines
    ("a\x1bcb", False, f"a{REPLACEMENT}b"),
    ("a\x1b", False, f"a{REPLACEMENT}"),
    ("a\x9b2Jb\x7f\x00\r", False, f"a{REPLACEMENT}2Jb{REPLACEMENT * 3}"),
    ("a\tb\nc", True, "a\tb\nc"),
    ("a\tb\nc", False, "a b c"),
    ("ünïcødé — 日本 ✓", False, "ünïcødé — 日本 ✓"),
])
def test_printable(text, lines, shown):
    assert printable(text, lines=lines) == shown


def test_a_snippet_keeps_its_marks_and_loses_the_report_s_escapes():
    shown = Style(colour=True).marks("a &lt;\x1b[2J <mark>otter</mark>\x1b]0;t\x07")
    assert shown == f"a <{REPLACEMENT} \x1b[1;33motter\x1b[0m{REPLACEMENT}"


# -- 10. folders nested past the path limit --------------------------------------------------

def make_deep_library(root: Path) -> tuple[str, str]:
    """A library with a report in a folder nested just short of the system's path limit,
    and one below it, past the limit; returns their relative paths."""
    limit = os.pathconf(str(root.parent), "PC_PATH_MAX") if hasattr(os, "pathconf") else 260
    root.mkdir()
    name = "n" * 99
    depth = limit // (len(name) + 1) + 1
    fd = os.open(root, os.O_RDONLY)
    shallow = None
    try:
        for level in range(depth):
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
            if level == depth // 2:
                shallow = "/".join([name] * (level + 1)) + "/shallow.md"
                _write_at(fd, "shallow.md", "# Shallow\n\n## 1. Otters\nOtters swim.\n")
        _write_at(fd, "deep.md", "# Deep\n\n## 1. Otters\nOtters dive.\n")
    finally:
        os.close(fd)
    deep = "/".join([name] * depth) + "/deep.md"
    assert len(str(root / deep)) > limit > len(str(root / shallow))
    return shallow, deep


def _write_at(folder_fd: int, name: str, text: str) -> None:
    fd = os.open(name, os.O_WRONLY | os.O_CREAT, dir_fd=folder_fd)
    os.write(fd, text.encode("utf-8"))
    os.close(fd)


@pytest.mark.skipif(os.scandir not in os.supports_fd, reason="lists folders by descriptor")
def test_a_report_past_the_path_limit_is_skipped_with_the_reason(tmp_path):
    shallow, deep = make_deep_library(tmp_path / "deep-lib")
    index = ReportIndex(tmp_path / "deep-lib", None)
    try:
        stats = index.update()
        assert stats.reports == 1 and [s.path for s in stats.skipped] == [deep]
        assert "the path is too long for this system to open" in stats.skipped[0].reason
        assert [s.path for s in index.update().skipped] == [deep]        # and next time
    finally:
        index.close()
    scan = scan_library(tmp_path / "deep-lib")
    assert [r.id for r in scan.reports] == [shallow[:-3]]
    assert ([(s.path, s.reason) for s in scan.skipped]
            == [(s.path, s.reason) for s in stats.skipped])


@pytest.mark.skipif(os.scandir not in os.supports_fd, reason="lists folders by descriptor")
def test_a_link_looping_past_the_path_limit_ends(tmp_path):
    lib = tmp_path / "deep-lib"
    _, deep = make_deep_library(lib)
    fd = os.open(lib, os.O_RDONLY)
    try:
        for name in deep.split("/")[:-1]:       # to the deepest folder, past the limit
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        os.symlink(lib, "loop", dir_fd=fd)      # back to the top: a path that only grows
    finally:
        os.close(fd)
    scan = scan_library(lib)
    # Through the link, the folders once more (known by their inode, as their paths are
    # too long to resolve) down to the deepest one, listed already: the walk ends.
    (shallow,) = scan.reports
    assert sorted(s.path for s in scan.skipped) == [
        deep, f"{deep[:-len('deep.md')]}loop/{shallow.id}.md"]


@pytest.mark.skipif(os.scandir not in os.supports_fd, reason="lists folders by descriptor")
def test_the_command_line_lists_the_report_past_the_path_limit(cli, tmp_path):
    _, deep = make_deep_library(tmp_path / "deep-lib")
    r = cli("index", "--json", "--library", str(tmp_path / "deep-lib"))
    assert r.returncode == 0 and "Traceback" not in r.stderr
    (skipped,) = json.loads(r.stdout)["skipped"]
    assert skipped["path"] == deep and "too long" in skipped["reason"]


# -- 11. output that cannot be written, arguments no system takes ----------------------------

@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["search", "multimodal", "--json"],
                                  ["show", "000_69796a1aaad12780"], ["topics"]])
def test_output_to_a_full_disk_is_one_line(library, tmp_path, args):
    with open("/dev/full", "w") as full:
        r = explorer(*args, "--library", str(library), "--index-dir", str(tmp_path / "ix"),
                     stdout=full, stderr=subprocess.PIPE, text=True)
    assert r.returncode == 1
    assert one_line(r.stderr) == "explorer: cannot write the output: No space left on device"


def test_a_reader_that_left_is_no_error(library, tmp_path):
    read, write = os.pipe()
    os.close(read)          # gone before anything is written: every write is a broken pipe
    try:
        r = explorer("reports", "--library", str(library), "--index-dir", str(tmp_path / "ix"),
                     stdout=write, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write)
    assert (r.returncode, r.stderr) == (0, "")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX arguments are bytes")
def test_a_query_that_is_not_utf8_is_bad_usage(library, tmp_path):
    r = explorer("search", b"a\xff?b", "--library", str(library),
                 "--index-dir", str(tmp_path / "ix"), env={"LC_ALL": "C.UTF-8"})
    assert r.returncode == 2 and r.stdout == b""
    line = one_line(r.stderr)
    assert "argument query: holds bytes that are not valid UTF-8" in line
    assert line.endswith("(see explorer --help)")


@pytest.mark.parametrize("option", ["--library", "--index-dir"])
def test_a_path_longer_than_the_system_takes_is_bad_usage(cli, library, option):
    too_long = "/tmp/" + "x" * 5000
    args = ["--library", str(library)] if option == "--index-dir" else []
    r = explorer("reports", *args, option, too_long, text=True)
    assert r.returncode == 2
    line = one_line(r.stderr)
    assert f"argument {option}: the path is too long for this system (5,005 characters)" in line


@pytest.mark.parametrize("option", ["--library", "--index-dir"])
def test_an_empty_path_is_bad_usage(library, tmp_path, option):
    args = {"--library": ["--index-dir", str(tmp_path / "ix")],
            "--index-dir": ["--library", str(library)]}
    r = explorer("reports", *args[option], option, "", text=True)
    assert r.returncode == 2 and r.stdout == ""
    assert f"argument {option}: must be a folder, not an empty path" in one_line(r.stderr)
