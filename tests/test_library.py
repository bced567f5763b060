"""Reading a library folder: which files are reports, their ids (bad files: test_bad_files.py)."""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from explorer.core.library import (SkipFile, file_signature, list_report_files, read_report,
                                   report_files, report_ids, scan_library)

REPORT = "# {title}\n\n## 1. First\nAlpha text.\n\n## 2. Second\nBeta text.\n"


def write(path: Path, content: str | bytes = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = (content or REPORT.format(title=path.stem)).encode("utf-8")
    path.write_bytes(content)
    return path


def skip_reasons(scan) -> dict[str, str]:
    return {s.path: s.reason for s in scan.skipped}


# --- the seeds -----------------------------------------------------------------------------------

def test_seeds_give_five_reports_of_ten_numbered_sections(seeds):
    scan = scan_library(seeds)
    assert scan.skipped == ()
    assert [r.id for r in scan.reports] == sorted(p.stem for p in seeds.glob("*.txt"))
    for report in scan.reports:
        assert [s.number for s in report.sections] == list(range(1, 11))
        assert all(s.title and s.text for s in report.sections)
        assert report.title.startswith(("Comprehensive Report", "Report on", "AI LLMs Report"))


def test_seed_mojibake_is_repaired(seeds):
    report = next(r for r in scan_library(seeds).reports if r.id.startswith("000_"))
    education = report.section(5)
    assert "learners’ speed" in education.text
    assert "â€" not in "".join(s.markdown + s.text for s in report.sections)


def test_report_fields(tmp_path):
    path = write(tmp_path / "notes" / "q1.md")
    report = scan_library(tmp_path).reports[0]
    data = path.read_bytes()
    assert (report.id, report.title, report.path) == ("notes/q1", "q1", str(path))
    assert (report.size, report.mtime) == (len(data), path.stat().st_mtime)
    assert report.digest == hashlib.blake2b(data, digest_size=16).hexdigest()
    assert (report.size, report.mtime) == file_signature(path)


def test_digest_tells_an_edit_from_a_touch(tmp_path):
    path = write(tmp_path / "a.md")
    before = read_report(path, tmp_path).digest
    os.utime(path, (1, 1))
    assert read_report(path, tmp_path).digest == before
    write(path, REPORT.format(title="Changed"))
    assert read_report(path, tmp_path).digest != before


# --- which files are reports ---------------------------------------------------------------------

def test_recursive_listing_is_sorted_and_filtered(tmp_path):
    for name in ["b.md", "a/z.txt", "a/b/deep.markdown", "UPPER.MD", "Mixed.Txt", "code.py",
                 "data.json", "README", ".hidden.md", ".git/config.md", "a/.cache/x.md",
                 "__pycache__/mod.txt", "a/__pycache__/y.md"]:
        write(tmp_path / name)
    (tmp_path / "folder.md").mkdir()                     # a directory with a report's name
    listed = [p.relative_to(tmp_path).as_posix() for p in list_report_files(tmp_path)]
    assert listed == ["Mixed.Txt", "UPPER.MD", "a/b/deep.markdown", "a/z.txt", "b.md"]
    scan = scan_library(tmp_path)
    assert [r.id for r in scan.reports] == ["Mixed", "UPPER", "a/b/deep", "a/z", "b"]
    assert scan.skipped == ()


def test_same_id_keeps_the_later_suffix(tmp_path):
    for name in ["a.txt", "a.md", "a.markdown", "sub/b.md", "sub/b.txt", "c.md"]:
        write(tmp_path / name, REPORT.format(title=name))
    scan = scan_library(tmp_path)
    assert [(r.id, Path(r.path).name) for r in scan.reports] == [
        ("a", "a.markdown"), ("a.md", "a.md"), ("a.txt", "a.txt"), ("c", "c.md"),
        ("sub/b", "b.md"), ("sub/b.txt", "b.txt")]
    assert scan_library(tmp_path) == scan                # deterministic


def test_report_ids_stay_unique_when_a_suffixed_name_exists(tmp_path):
    paths = [write(tmp_path / name) for name in ["a.md", "a.txt", "a.txt.md"]]
    ids = report_ids(paths, tmp_path)
    assert sorted(ids.values()) == ["a", "a.txt", "a.txt.md"]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_report_files_agree_with_the_listing_ids_and_signatures(tmp_path):
    """The index's one-pass scan must give exactly the ids and signatures of the
    Path-based functions, colliding names, links and odd dots included."""
    for name in ["a.md", "a.txt", "a.txt.md", "a.MD", "b.c.markdown", "b.c.md", "x..md", "d.",
                 "e.md.bak", "sub/a.md", "sub/a.Txt", "sub/deep/z.md", "sub.md/inner.md",
                 ".hidden.md", "sub/.cache/y.md", "__pycache__/p.md"]:
        write(tmp_path / "lib" / name)
    (tmp_path / "lib" / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "lib" / "loop").symlink_to(tmp_path / "lib", target_is_directory=True)
    (tmp_path / "lib" / "link.md").symlink_to(tmp_path / "lib" / "sub" / "deep" / "z.md")
    root = tmp_path / "lib"
    paths = list_report_files(root)
    ids = report_ids(paths, root)

    def signature(path):
        try:
            return file_signature(path)
        except OSError:
            return None
    assert [(f.id, f.relative, f.path, f.signature) for f in report_files(root)] == [
        (ids[p], p.relative_to(root).as_posix(), str(p), signature(p)) for p in paths]
    assert {f.id: f.relative for f in report_files(root)}["a.txt"] == "a.txt"
    assert next(f for f in report_files(root) if f.id == "dangling").signature is None


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_symlinks_are_followed_without_looping(tmp_path):
    write(tmp_path / "lib" / "a.md")
    write(tmp_path / "outside" / "linked.md")
    (tmp_path / "lib" / "loop").symlink_to(tmp_path / "lib", target_is_directory=True)
    (tmp_path / "lib" / "sub").mkdir()
    (tmp_path / "lib" / "sub" / "up").symlink_to(tmp_path / "lib" / "sub",
                                                 target_is_directory=True)
    (tmp_path / "lib" / "file-link.md").symlink_to(tmp_path / "outside" / "linked.md")
    (tmp_path / "lib" / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "lib" / "self-loop.md").symlink_to(tmp_path / "lib" / "self-loop.md")
    scan = scan_library(tmp_path / "lib")
    assert [r.id for r in scan.reports] == ["a", "file-link"]
    # broken links are not silently dropped: the user sees them with the reason
    assert skip_reasons(scan) == {
        "dangling.md": "broken link: the file it points to does not exist",
        "self-loop.md": "link loop: the symbolic link leads back to itself"}


def test_root_must_be_a_folder(tmp_path):
    with pytest.raises(NotADirectoryError):
        scan_library(tmp_path / "missing")
    with pytest.raises(NotADirectoryError):
        scan_library(write(tmp_path / "file.md"))


# --- a file that cannot be read (every case: test_bad_files.py) -------------------------

def test_read_report_raises_skip_file(tmp_path):
    with pytest.raises(SkipFile) as caught:
        read_report(write(tmp_path / "e.md", b""), tmp_path)
    assert caught.value.reason == "empty file"
    with pytest.raises(SkipFile, match="the file disappeared while it was being read"):
        read_report(tmp_path / "missing.md", tmp_path)
