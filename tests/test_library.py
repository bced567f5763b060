"""Reading a library folder: which files are reports, their ids, and every reason to skip one."""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from explorer.core import library
from explorer.core.library import (SkipFile, file_signature, list_report_files, read_report,
                                   report_ids, scan_library)

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


def test_names_with_spaces_commas_and_unicode(tmp_path):
    for name in ["my report, final.md", "Übersicht 2025.md", "報告/季度 報告.txt", "emoji 🚀.md"]:
        write(tmp_path / name)
    ids = [r.id for r in scan_library(tmp_path).reports]
    assert ids == sorted(["my report, final", "Übersicht 2025", "報告/季度 報告", "emoji 🚀"])


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
def test_symlinks_are_followed_without_looping(tmp_path):
    write(tmp_path / "lib" / "a.md")
    write(tmp_path / "outside" / "linked.md")
    (tmp_path / "lib" / "loop").symlink_to(tmp_path / "lib", target_is_directory=True)
    (tmp_path / "lib" / "sub").mkdir()
    (tmp_path / "lib" / "sub" / "up").symlink_to(tmp_path / "lib" / "sub",
                                                 target_is_directory=True)
    (tmp_path / "lib" / "file-link.md").symlink_to(tmp_path / "outside" / "linked.md")
    (tmp_path / "lib" / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    scan = scan_library(tmp_path / "lib")
    assert [r.id for r in scan.reports] == ["a", "file-link"]
    assert scan.skipped == ()


def test_root_must_be_a_folder(tmp_path):
    with pytest.raises(NotADirectoryError):
        scan_library(tmp_path / "missing")
    with pytest.raises(NotADirectoryError):
        scan_library(write(tmp_path / "file.md"))


# --- files that cannot be read -------------------------------------------------------------------

def test_every_skip_reason_and_the_rest_still_loads(tmp_path):
    write(tmp_path / "good.md")
    write(tmp_path / "sub" / "also good.txt")
    write(tmp_path / "empty.md", b"")
    write(tmp_path / "blank.txt", b"  \n\n\t \r\n")
    write(tmp_path / "picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    write(tmp_path / "sub" / "noise.md", bytes(range(1, 32)) * 10)
    write(tmp_path / "nul.md", b"text\x00with\x00\x00nul \xff bytes" * 20)
    write(tmp_path / "huge.md", b"# Big\n" + b"x" * 2_000)
    scan = scan_library(tmp_path, max_bytes=1_000)
    assert [r.id for r in scan.reports] == ["good", "sub/also good"]
    assert skip_reasons(scan) == {
        "blank.txt": "empty file (only whitespace)",
        "empty.md": "empty file",
        "huge.md": "too large (2,006 bytes; the limit is 1,000 bytes)",
        "nul.md": "binary file (contains NUL bytes)",
        "picture.txt": "binary file (PNG image)",
        "sub/noise.md": "not text: undecodable bytes",
    }


def test_too_large_reason_names_size_and_limit(tmp_path):
    write(tmp_path / "big.md", b"a" * 25_300_000)
    reason = skip_reasons(scan_library(tmp_path))["big.md"]
    assert reason == "too large (25,300,000 bytes; the limit is 20,000,000 bytes)"


def test_permission_denied(tmp_path, monkeypatch):
    locked = write(tmp_path / "locked.md")
    write(tmp_path / "open.md")
    if os.geteuid() == 0:
        # root reads any file; make opening this one fail as it would for a user
        real_open = Path.open

        def open_denied(self, *args, **kwargs):
            if self == locked:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", open_denied)
    else:
        locked.chmod(0)
    scan = scan_library(tmp_path)
    assert [r.id for r in scan.reports] == ["open"]
    assert skip_reasons(scan) == {"locked.md": "permission denied"}


def test_file_that_vanishes_between_listing_and_reading(tmp_path, monkeypatch):
    write(tmp_path / "stays.md")
    gone = write(tmp_path / "gone.md")
    listed = list_report_files(tmp_path)
    gone.unlink()
    monkeypatch.setattr(library, "list_report_files", lambda root: listed)
    scan = scan_library(tmp_path)
    assert [r.id for r in scan.reports] == ["stays"]
    assert skip_reasons(scan) == {"gone.md": "file disappeared while reading"}


def test_read_report_raises_skip_file(tmp_path):
    with pytest.raises(SkipFile) as caught:
        read_report(write(tmp_path / "e.md", b""), tmp_path)
    assert caught.value.reason == "empty file"
    with pytest.raises(SkipFile, match="file disappeared while reading"):
        read_report(tmp_path / "missing.md", tmp_path)


def test_sources_are_never_modified(tmp_path, seeds):
    library_dir = tmp_path / "lib"
    for seed in seeds.glob("*.txt"):
        write(library_dir / seed.name, seed.read_bytes())
    write(library_dir / "cp1252.md", "# Caf\xe9\r\n\r\n## 1. \x93Quoted\x94\r\n".encode("latin-1"))
    write(library_dir / "bad.txt", b"\x89PNG\r\n\x1a\n")

    def state():
        return {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
                for p in sorted(library_dir.rglob("*"))}

    before = state()
    scan = scan_library(library_dir)
    assert len(scan.reports) == 6 and len(scan.skipped) == 1
    assert state() == before

