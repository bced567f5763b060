"""Bad files in a library: each is skipped with a reason the user can read, or read as well
as it can be; the rest of the library is unaffected and nothing raises.

The whole bad library is generated here (no checked-in binaries): every case of issue 8's
list, plus a few good reports. One module-scoped index is built over it; the command line
runs on a copy of it in a subprocess, as a user would.
"""
from __future__ import annotations

import contextlib
import json
import os
import random
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from explorer.core import index as index_module
from explorer.core import library, rendering
from explorer.core.index import ReportIndex
from explorer.core.library import (SkipFile, list_report_files, read_report, report_files,
                                   scan_library)
from explorer.core.rendering import render_html
from explorer.core.search import Searcher

MB = 1_000_000
POSIX = sys.platform != "win32"
AS_ROOT = POSIX and os.geteuid() == 0

GOOD = {
    "good-a.md": "# Alpha report\n\n## 1. Otters\nOtters juggle pebbles.\n\n"
                 "## 2. Herons\nHerons wait.\n",
    "sub/good-b.txt": "# Beta report\n\n## 1. Otters too\nOtters again, and marmots.\n",
    "sub/deeper/good-c.markdown": "# Gamma report\n\n## 1. Marmots\nMarmots whistle.\n",
}

# Best-effort reads: file name -> (report id, words that must come through, searchable word)
NESTED = ("# Nested\n\n## 1. Lists\n"
          + "".join("  " * i + f"- level {i}\n" for i in range(3000))
          + "\n" + "".join(">" * i + f" quoted {i}\n" for i in range(1, 600))
          + "\n" + ">" * 5000 + " deepest quote\n\n"
          + "1. " * 3000 + "deepest item\n\n"
          + "> - " * 2000 + "mixed markers\n")


def _bytes_files() -> dict[str, bytes]:
    broken = ("# Broken bytes\n\n## 1. Café part\nnaïve crème brûlée text ".encode()
              + b"\xff\xfe\xc3\x28" + " more café words and a pangolin\n".encode())
    return {
        "empty.md": b"",
        "whitespace.md": b"  \n\t\n\r\n   \n",
        "binary.md": random.Random(8).randbytes(4096),
        "control-chars.md": bytes(range(1, 32)) * 40,
        "picture.txt": b"\x89PNG\r\n\x1a\n" + random.Random(9).randbytes(600),
        "broken-utf8.md": broken,
        "utf16-no-bom.md": "# Wide report\n\n## 1. Wide part\nwombat text here\n".encode(
            "utf-16-le"),
        "latin1.md": "# Café report\n\n## 1. Résumé\ndéjà vu, garçon, capybara\n".encode("latin-1"),
        "one-line.md": b"# Long line\n\n" + b"lorem ipsum dolor sit amet " * (5 * MB // 27)
                       + b"zebrafinch\n",
        "headings.md": ("# Many headings\n\n" + "".join(
            f"## {i}. Heading {i}\nword{i} text\n\n" for i in range(1, 10_001))).encode(),
        "nested.md": NESTED.encode(),
        "with space, and comma.md": b"# Spaced\n\n## 1. Part\nspaced kookaburra\n",
        "ünïcode 報告 🚀.md": "# Unicode name\n\n## 1. Part\nunicode narwhal\n".encode(),
        "folder.md/inside.md": b"# Inside\n\n## 1. Part\ninside axolotl\n",
        "locked.md": b"# Locked\n\n## 1. Part\nlocked secret\n",
    }


READ = {   # report id -> (title, words in its text, a word search finds in it)
    "broken-utf8": ("Broken bytes", ["naïve", "café words", "pangolin"], "pangolin"),
    "utf16-no-bom": ("Wide report", ["wombat text here"], "wombat"),
    "latin1": ("Café report", ["déjà vu, garçon, capybara"], "capybara"),
    "one-line": ("Long line", ["lorem ipsum", "zebrafinch"], "zebrafinch"),
    "headings": ("Many headings", ["word9999 text"], "word9999"),
    "nested": ("Nested", ["level 2999", "deepest quote", "deepest item", "mixed markers"],
               "deepest"),
    "with space, and comma": ("Spaced", ["kookaburra"], "kookaburra"),
    "ünïcode 報告 🚀": ("Unicode name", ["narwhal"], "narwhal"),
    "folder.md/inside": ("Inside", ["axolotl"], "axolotl"),
}
NEWLINE_NAME, NEWLINE_ID = "new\nline.md", "new\nline"
BAD_NAME = b"bad\xffname.md"      # not UTF-8: Linux keeps such names, macOS refuses them

SKIPPED = {   # path -> the reason shown to the user (or its start)
    "empty.md": "empty file",
    "whitespace.md": "empty file (only whitespace)",
    "binary.md": "binary file (contains NUL bytes)",
    "control-chars.md": "not text: undecodable bytes",
    "picture.txt": "binary file (PNG image)",
    "huge.md": "too large (50,000,0",
    "locked.md": "permission denied: this user may not read the file",
}
POSIX_SKIPPED = {
    "dangling.md": "broken link: the file it points to does not exist",
    "loop.md": "link loop: the symbolic link leads back to itself",
    "pipe.md": "not an ordinary file (a pipe",
}
BAD_NAME_REASON = "the file name is not valid UTF-8: rename the file to read it"


def build_bad_library(root: Path) -> dict:
    """Write the bad library under root; returns what was made that depends on the platform."""
    made = {"skipped": dict(SKIPPED), "read": dict(READ)}
    for name, data in {**{k: v.encode() for k, v in GOOD.items()}, **_bytes_files()}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    with (root / "huge.md").open("wb") as huge:      # 50 MB of real markdown
        huge.write(b"# Huge\n\n## 1. Bulk\n")
        line = b"a very long report about nothing in particular, repeated\n"
        huge.write(line * (50 * MB // len(line) + 1))
    (root / "locked.md").chmod(0)
    if POSIX:
        (root / "dangling.md").symlink_to(root / "nowhere.md")
        (root / "loop.md").symlink_to(root / "loop.md")
        (root / "sub" / "up").symlink_to(root, target_is_directory=True)   # a folder loop
        os.mkfifo(root / "pipe.md")
        made["skipped"].update(POSIX_SKIPPED)
    with contextlib.suppress(OSError):
        (root / NEWLINE_NAME).write_bytes(b"# Newline name\n\n## 1. Part\nnewline gecko\n")
        made["read"][NEWLINE_ID] = ("Newline name", ["gecko"], "gecko")
    with contextlib.suppress(OSError):
        Path(os.fsdecode(os.fsencode(root) + b"/" + BAD_NAME)).write_bytes(b"# X\n\nbad name\n")
        made["skipped"][os.fsdecode(BAD_NAME)] = BAD_NAME_REASON
    return made


@contextlib.contextmanager
def unreadable(path: Path):
    """`path` (already chmod 0) cannot be opened; root reads any file, so for root opening
    it is made to fail the way it does for a user."""
    if not AS_ROOT:
        yield
        return
    real_open = os.open

    def open_denied(file, flags, *args, **kwargs):
        if os.fspath(file) == os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, flags, *args, **kwargs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "open", open_denied)
        yield


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad") / "library"
    root.mkdir()
    made = build_bad_library(root)
    with unreadable(root / "locked.md"):
        ix = ReportIndex(root, tmp_path_factory.mktemp("index"), max_bytes=20 * MB)
        stats = ix.update()
    yield root, made, ix, stats
    ix.close()


def reasons(skipped) -> dict[str, str]:
    return {s.path: s.reason for s in skipped}


def assert_reasons(got: dict[str, str], expected: dict[str, str]) -> None:
    assert got.keys() == expected.keys()
    for path, reason in expected.items():
        assert got[path].startswith(reason), (path, got[path])


# -- every case, through the index -----------------------------------------------------------

def test_every_bad_file_is_skipped_with_its_reason(bad):
    root, made, ix, stats = bad
    assert_reasons(reasons(stats.skipped), made["skipped"])
    assert "the limit is 20 MB" in reasons(stats.skipped)["huge.md"]


def test_good_reports_and_best_effort_reads_are_all_indexed(bad):
    root, made, ix, stats = bad
    good_ids = {"good-a", "sub/good-b", "sub/deeper/good-c"}
    assert set(ix.reports) == good_ids | set(made["read"])
    searcher = Searcher(ix)
    try:
        assert {h.report for h in searcher.search("otters").hits} == {"good-a", "sub/good-b"}
        assert {h.report for h in searcher.search("marmots").hits} == {"sub/good-b",
                                                                       "sub/deeper/good-c"}
        for report_id, (_title, _words, word) in made["read"].items():
            assert report_id in {h.report for h in searcher.search(word).hits}, report_id
    finally:
        searcher.close()


def test_best_effort_reads_keep_the_text(bad):
    root, made, ix, stats = bad
    for report_id, (title, words, _) in made["read"].items():
        info = ix.reports[report_id]
        report = read_report(Path(info.path), root, report_id=report_id)
        assert report.title == title
        text = "\n".join(s.markdown for s in report.sections)
        for word in words:
            assert word in text, (report_id, word)


def test_ten_thousand_headings_are_ten_thousand_sections(bad):
    root, made, ix, stats = bad
    headings = ix.reports["headings"].headings
    assert len(headings) == 10_000
    assert (headings[0].number, headings[-1].title) == (1, "10000. Heading 10000")


def test_the_folder_loop_and_the_folder_named_like_a_report_are_not_problems(bad):
    root, made, ix, stats = bad
    listed = [p.relative_to(root).as_posix() for p in list_report_files(root)]
    assert "folder.md" not in listed and "folder.md/inside.md" in listed
    assert len(listed) == len({os.path.realpath(p) for p in list_report_files(root)})  # once each
    assert not any(path.startswith("sub/up/") for path in listed)


def test_an_unchanged_bad_library_is_not_read_again(bad, monkeypatch):
    root, made, ix, stats = bad
    reads = []
    monkeypatch.setattr(index_module, "read_report", lambda *a, **k: reads.append(a[0]))
    again = ix.update()
    assert reads == [] and again.reports == stats.reports
    assert reasons(again.skipped) == reasons(stats.skipped)


# -- cases that need a moment of their own ------------------------------------------------

def test_scanning_gives_the_same_verdicts(bad):
    root, made, ix, stats = bad
    with unreadable(root / "locked.md"):
        scan = scan_library(root)
    assert_reasons(reasons(scan.skipped), made["skipped"])
    assert {r.id for r in scan.reports} == set(ix.reports)


def test_a_file_that_disappears_between_listing_and_reading(tmp_path, monkeypatch):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "stays.md").write_text(GOOD["good-a.md"], "utf-8")
    gone = tmp_path / "lib" / "gone.md"
    gone.write_text(GOOD["good-a.md"], "utf-8")
    listed = list_report_files(tmp_path / "lib")
    scanned = report_files(tmp_path / "lib")        # what an update lists
    gone.unlink()
    monkeypatch.setattr(index_module, "report_files", lambda root: scanned)
    ix = ReportIndex(tmp_path / "lib", tmp_path / "ix")
    stats = ix.update()
    assert set(ix.reports) == {"stays"}
    assert reasons(stats.skipped) == {
        "gone.md": "the file disappeared while it was being read (moved or deleted)"}
    monkeypatch.setattr(library, "list_report_files", lambda root: listed)
    assert reasons(scan_library(tmp_path / "lib").skipped) == reasons(stats.skipped)


def test_the_50_mb_file_is_skipped_without_being_read(bad):
    root, made, ix, stats = bad
    assert (root / "huge.md").stat().st_size > 50 * MB
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(SkipFile) as caught:
            read_report(root / "huge.md", root, max_bytes=20 * MB)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.reason.startswith("too large (50,000,0")
    assert "raise it in Preferences" in caught.value.reason
    assert seconds < 1 and peak < 1 * MB          # the size is checked before reading


def test_a_file_that_grows_past_the_limit_while_read(tmp_path, monkeypatch):
    path = tmp_path / "growing.md"
    path.write_text("# Grows\n\n" + "x" * 2000, "utf-8")
    real_fstat = os.fstat

    def as_when_opened(fd):         # small when its size was checked, large when read
        info = real_fstat(fd)
        return os.stat_result((*info[:6], 10, *info[7:10]))
    monkeypatch.setattr(library.os, "fstat", as_when_opened)
    with pytest.raises(SkipFile, match="grew past the limit of 1,000 bytes"):
        read_report(path, tmp_path, max_bytes=1_000)


@pytest.mark.skipif(not POSIX, reason="named pipes")
def test_a_named_pipe_is_not_waited_for(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    started = time.perf_counter()
    with pytest.raises(SkipFile, match="not an ordinary file"):
        read_report(tmp_path / "pipe.md", tmp_path)
    assert time.perf_counter() - started < 5      # opening it blocking would hang here


# -- rendering what was read ---------------------------------------------------------------------

def test_deeply_nested_lists_and_quotes_render_without_recursion_error(bad):
    root, made, ix, stats = bad
    report = read_report(root / "nested.md", root)
    started = time.perf_counter()
    html = "".join(render_html(s.markdown) for s in report.sections)
    assert time.perf_counter() - started < 20
    for words in ("level 2999", "deepest quote", "deepest item", "mixed markers"):
        assert words in html
    assert html.count("<ul>") <= 2 * rendering.MAX_NESTING + 2       # nesting was capped


def test_the_5_mb_line_renders(bad):
    root, made, ix, stats = bad
    report = read_report(root / "one-line.md", root)
    html = render_html(report.sections[-1].markdown)
    assert html.endswith("zebrafinch</p>") and len(html) > 5 * MB


@pytest.mark.parametrize("hostile", [
    "[" * 50_000 + "x" + "]" * 50_000,          # took eight minutes before the cap
    "<a " * 20_000,                             # 40 s
    "<http://" * 20_000,                        # 52 s
    "[x](http://a.example/) " * 5_000,          # links above the cap are shown as typed
    "1. " * 5_000 + "x",                        # ran out of stack
])
def test_pathological_paragraphs_render_in_bounded_time(hostile):
    started = time.perf_counter()
    html = render_html(hostile)
    assert time.perf_counter() - started < 5
    assert html
    assert "\ufdd0" not in html and "\ufdd1" not in html             # stand-ins swapped back


def test_brackets_and_tags_above_the_cap_are_shown_as_typed():
    html = render_html("[a](http://x.example/) <b>bold</b> " * 300)
    assert "<a " not in html and "[a](http://x.example/)" in html and "&lt;b&gt;" in html
    fenced = render_html("```\n" + "[" * 300 + "\n```\n\n[link](http://x.example/)")
    assert "[" * 300 in fenced and '<a href="http://x.example/">link</a>' in fenced
    assert render_html("[link](http://x.example/) <b>b</b>") == \
        '<p><a href="http://x.example/">link</a> <b>b</b></p>'        # below it: as usual


def test_a_recursion_the_caps_did_not_foresee_shows_the_text(monkeypatch):
    def too_deep(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")
    import markdown
    monkeypatch.setattr(markdown, "markdown", too_deep)
    assert render_html("# Title\n\n<b>x</b> & y") == \
        "<pre># Title\n\n&lt;b&gt;x&lt;/b&gt; &amp; y</pre>"


# -- the command line on the bad library ----------------------------------------------------------

def test_index_and_reports_json_on_the_bad_library(bad, tmp_path):
    root, made, ix, stats = bad
    expected = dict(made["skipped"])
    if AS_ROOT:
        del expected["locked.md"]     # root can read it, and no patch reaches a subprocess
    if os.fsdecode(BAD_NAME) in expected:     # printed with a replacement character
        expected["bad?name.md"] = expected.pop(os.fsdecode(BAD_NAME))
    for command in ("index", "reports"):
        r = subprocess.run([sys.executable, "-m", "explorer", command, "--json", "--library",
                            str(root), "--index-dir", str(tmp_path / "ix")],
                           capture_output=True, text=True, timeout=240)
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr and r.stderr == ""
        data = json.loads(r.stdout)
        assert_reasons({s["path"]: s["reason"] for s in data["skipped"]}, expected)
    ids = {report["id"] for report in data["reports"]}
    assert ids >= set(made["read"]) | {"good-a", "sub/good-b", "sub/deeper/good-c"}
