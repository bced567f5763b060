"""Damage to the index folder and the settings, as an outside attack found it (issue 19):
flipped bits, a damaged word list, pipes and links where files should be, a folder of
someone else's named as the index folder. The next command either answers exactly as a
clean build does or rebuilds with a notice; it never hangs (each command runs in a child
process with a timeout) and never writes over files that are not the app's."""
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core import checksums, index_folder
from explorer.core.search import Searcher
from explorer.core.session import LibrarySession
from explorer.core.vocabulary import FILE_NAME as WORDS

from conftest import SEEDS

POSIX = os.name == "posix"
pytestmark = pytest.mark.skipif(not POSIX, reason="named pipes, links to /dev/zero")

# Prefix and fuzzy expansion read the word list; the others the segments.
QUERIES = ["multim*", "efficency~", "sparse attention OR benchmark"]
TIMEOUT = 60        # a hang fails the test instead of holding it up

# Each query through the command line's own entry point, in one child process: the first
# command meets the damage, the ones after it what the first left.
RUN = textwrap.dedent("""
    import contextlib, io, json, sys
    from explorer.cli import main
    library, index_dir, *queries = sys.argv[1:]
    runs = []
    for query in queries:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["search", query, "--json", "--library", library,
                           "--index-dir", index_dir])
        runs.append({"status": status, "out": out.getvalue(), "err": err.getvalue()})
    print(json.dumps(runs))
""")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "explorer", *args], capture_output=True,
                          text=True, timeout=TIMEOUT)


def search_all(library: Path, index_dir: Path) -> tuple[list, bool]:
    """(each query's answer, whether the user was told the index was rebuilt)."""
    proc = subprocess.run([sys.executable, "-c", RUN, str(library), str(index_dir), *QUERIES],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    answers, told = [], False
    for query, r in zip(QUERIES, json.loads(proc.stdout)):
        assert r["status"] == 0, (query, r["err"])
        data = json.loads(r["out"])
        notice = data.pop("notice") or ""
        told |= "rebuilt" in r["err"] or "rebuilt" in notice
        answers.append(data)
    return answers, told


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seeds as a library, its index built in two commits (so that it has a catalog
    journal), and the answers of a clean build."""
    root = tmp_path_factory.mktemp("built")
    library = root / "lib"
    library.mkdir()
    reports = sorted(SEEDS.glob("*.txt"))
    for report in reports[:-1]:
        shutil.copy(report, library)
    assert run("index", "--library", str(library), "--index-dir", str(root / "ix")).returncode == 0
    shutil.copy(reports[-1], library)
    clean, told = search_all(library, root / "ix")
    assert not told
    assert any(root.joinpath("ix").glob("catalog.*.journal"))
    return library, root / "ix", clean


@pytest.fixture
def index(built, tmp_path):
    """A copy of the built index to damage."""
    library, index_dir, clean = built
    copy = tmp_path / "ix"
    shutil.copytree(index_dir, copy, symlinks=True)
    return library, copy, clean


def files(index_dir: Path) -> dict[str, Path]:
    """Each kind of file in an index folder, by what it is."""
    def one(pattern):
        return max(index_dir.glob(pattern), key=lambda p: p.stat().st_size)
    return {"catalog": index_dir / "catalog.json", "journal": one("catalog.*.journal"),
            "words": index_dir / WORDS, "toc": one("_MAIN_*.toc"), "segment": one("*.seg"),
            "checksums": index_dir / checksums.FILE_NAME,
            "marker": index_dir / index_folder.MARKER}


def flip(path: Path, offsets: list[int]) -> None:
    data = bytearray(path.read_bytes())
    for offset in offsets:
        data[offset % len(data)] ^= 0xFF
    path.write_bytes(bytes(data))


def replace_with_pipe(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def replace_with_link(path: Path, target: str = "/dev/zero") -> None:
    path.unlink()
    path.symlink_to(target)


def assert_answers_as_clean(library, index_dir, clean, told: bool | None = True):
    answers, was_told = search_all(library, index_dir)
    if told is None and not was_told:
        # Not rebuilt: a journal line whose end was hit looks cut short by a crash and is
        # skipped, its report indexed again; Whoosh scores an index with deleted sections
        # a little differently (as after any edit).
        answers, clean = found(answers), found(clean)
    assert answers == clean
    if told is not None:
        assert was_told is told


def found(answers: list) -> list:
    """What each search found, without the scores and their order."""
    return [(a["total"], a["suggestion"], sorted((h["report"], h["section"]) for h in a["hits"]))
            for a in answers]


# -- item 2: bit rot in a segment ------------------------------------------------------------
def test_bit_rot_in_the_largest_segment_is_found_on_opening_and_rebuilt(index):
    library, index_dir, clean = index
    segment = files(index_dir)["segment"]
    flip(segment, list(range(segment.stat().st_size // 2, segment.stat().st_size // 2 + 16)))
    assert_answers_as_clean(library, index_dir, clean)


def test_missing_checksums_are_damage(index):
    library, index_dir, clean = index
    (index_dir / checksums.FILE_NAME).unlink()
    assert_answers_as_clean(library, index_dir, clean)


def test_damage_a_search_meets_is_rebuilt_and_said(index, monkeypatch):
    # A segment another process committed a moment ago, not checksummed yet, is read
    # unchecked: the search that meets its damage rebuilds the index and asks again.
    library, index_dir, clean = index
    real = Searcher.search
    failures = iter([zlib.error("Error -3 while decompressing data")])

    def damaged_once(self, *args, **kwargs):
        for error in failures:
            raise error
        return real(self, *args, **kwargs)
    monkeypatch.setattr(Searcher, "search", damaged_once)
    session = LibrarySession.open(library, index_dir)
    session.update()
    result = session.search(QUERIES[0])
    assert "rebuilt" in result.notice
    assert result.total == clean[0]["total"]
    assert [(h.report, h.section) for h in result.hits] == [
        (h["report"], h["section"]) for h in clean[0]["hits"]]
    session.close()


def test_plain_index_repairs_bit_rot(index):
    library, index_dir, clean = index
    flip(files(index_dir)["segment"], [1000, 1001, 1002])
    result = run("index", "--library", str(library), "--index-dir", str(index_dir))
    assert result.returncode == 0 and "rebuilt" in result.stderr
    assert_answers_as_clean(library, index_dir, clean, told=False)


# -- item 3: the word list ----------------------------------------------------------------------
WORD_LIST_DAMAGE = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "garbage": lambda p: p.write_bytes(b"\x00\xff garbage \n" * 100),
    "a plain list, no header": lambda p: p.write_bytes(p.read_bytes().partition(b"\n")[2]),
    "one word less": lambda p: p.write_bytes(p.read_bytes().rsplit(b"\n", 1)[0]),
    "deleted": lambda p: p.unlink(),
    "a folder": lambda p: (p.unlink(), p.mkdir()),
}


@pytest.mark.parametrize("damage", WORD_LIST_DAMAGE)
def test_a_damaged_word_list_is_rebuilt_with_a_notice(index, damage):
    library, index_dir, clean = index
    WORD_LIST_DAMAGE[damage](index_dir / WORDS)
    assert_answers_as_clean(library, index_dir, clean)
    assert (index_dir / WORDS).is_file()


# -- item 4: pipes and links in the index folder ------------------------------------------------
@pytest.mark.parametrize("kind", ["catalog", "journal", "words", "toc", "segment", "checksums"])
def test_a_pipe_in_place_of_an_index_file_is_rebuilt(index, kind):
    library, index_dir, clean = index
    replace_with_pipe(files(index_dir)[kind])
    assert_answers_as_clean(library, index_dir, clean)


@pytest.mark.parametrize("kind", ["catalog", "journal", "words", "toc", "segment", "checksums"])
def test_a_link_to_dev_zero_in_place_of_an_index_file_is_rebuilt(index, kind):
    library, index_dir, clean = index
    replace_with_link(files(index_dir)[kind])
    assert_answers_as_clean(library, index_dir, clean)


def test_a_link_to_a_good_copy_is_not_followed_either(index, tmp_path):
    library, index_dir, clean = index
    catalog = files(index_dir)["catalog"]
    shutil.copy(catalog, tmp_path / "elsewhere.json")
    replace_with_link(catalog, str(tmp_path / "elsewhere.json"))
    assert_answers_as_clean(library, index_dir, clean)


@pytest.mark.parametrize("harm", [replace_with_pipe, replace_with_link])
def test_a_pipe_or_link_as_the_write_lock_is_replaced(index, tmp_path, harm):
    library, index_dir, clean = index
    copy = tmp_path / "lib"
    shutil.copytree(library, copy)
    os.utime(next(copy.iterdir()))      # read again: the update takes the write lock
    harm(index_dir / "MAIN_WRITELOCK")
    answers, _ = search_all(copy, index_dir)
    assert found(answers) == found(clean)
    assert (index_dir / "MAIN_WRITELOCK").is_file()


def test_a_pipe_as_the_marker_is_replaced(index):
    library, index_dir, clean = index
    replace_with_pipe(files(index_dir)["marker"])
    assert_answers_as_clean(library, index_dir, clean, told=False)
    assert (index_dir / index_folder.MARKER).is_file()


@pytest.mark.parametrize("name", ["preferences.json", "state.json"])
@pytest.mark.parametrize("harm", [replace_with_pipe, replace_with_link])
def test_a_settings_file_that_is_no_file_is_ignored(tmp_path, _private_profile, name, harm):
    data = _private_profile / "data" / "report-explorer"
    data.mkdir(parents=True)
    (data / name).write_text("{}")
    harm(data / name)
    # no --library: the remembered one is read from state.json, else the bundled samples
    result = run("reports", "--json", "--index-dir", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["reports"]) == 5
    assert f"ignoring the {'preferences' if name == 'preferences.json' else 'remembered'}" in (
        data / "logs" / "explorer.log").read_text()


# -- item 1: the index folder ----------------------------------------------------------------
def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_folder_of_someone_elses_files_is_never_written_into(tmp_path):
    lib_a, lib_b = tmp_path / "libA", tmp_path / "libB"
    for lib in (lib_a, lib_b):
        lib.mkdir()
        shutil.copy(next(SEEDS.glob("*.txt")), lib)
    (lib_a / "words.txt").write_text("my own words\n")
    before = tree(lib_a)
    result = run("index", "--library", str(lib_b), "--index-dir", str(lib_a))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "not empty" in result.stderr and "--index-dir" in result.stderr
    assert tree(lib_a) == before and sorted(os.listdir(lib_a)) == sorted(before)


def test_a_folder_holding_only_a_file_named_like_the_word_list_is_refused(tmp_path):
    folder = tmp_path / "words-only"
    folder.mkdir()
    (folder / "words.txt").write_text("mine\n")
    result = run("index", "--library", str(SEEDS), "--index-dir", str(folder))
    assert result.returncode == 2 and os.listdir(folder) == ["words.txt"]
    assert (folder / "words.txt").read_text() == "mine\n"


@pytest.mark.parametrize("shared_holds_reports", [True, False])
def test_an_index_folder_inside_the_library_through_a_link_is_refused(tmp_path,
                                                                       shared_holds_reports):
    shared, lib_c = tmp_path / "shared", tmp_path / "libC"
    shared.mkdir()
    lib_c.mkdir()
    (lib_c / "deeper").mkdir()
    shutil.copy(next(SEEDS.glob("*.txt")), lib_c)
    if shared_holds_reports:
        (shared / "words.txt").write_text("# A report\n\n## 1. Words\nsome words\n")
    (lib_c / "deeper" / "sub").symlink_to(shared, target_is_directory=True)
    before = tree(shared)
    result = run("index", "--library", str(lib_c), "--index-dir", str(shared))
    assert result.returncode == 2, result.stderr
    assert "inside the library" in result.stderr and len(result.stderr.splitlines()) == 1
    assert tree(shared) == before and sorted(os.listdir(shared)) == sorted(before)


def test_an_index_made_before_the_marker_is_adopted_not_refused(index):
    library, index_dir, clean = index
    (index_dir / index_folder.MARKER).unlink()
    assert_answers_as_clean(library, index_dir, clean, told=False)
    marked = json.loads((index_dir / index_folder.MARKER).read_text())
    assert marked["library"] == str(library.resolve())


def test_one_index_folder_may_follow_the_library_given(index, tmp_path):
    library, index_dir, clean = index
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(next(SEEDS.glob("*.txt")), other)
    result = run("reports", "--json", "--library", str(other), "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["reports"]) == 1
    result = run("reports", "--json", "--library", str(library), "--index-dir", str(index_dir))
    assert result.returncode == 0 and not result.stderr
    assert len(json.loads(result.stdout)["reports"]) == 5


# -- any damage to any file ----------------------------------------------------------------
DAMAGES = ("flip", "truncate", "pipe", "link")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["catalog", "journal", "words", "toc", "segment", "checksums",
                             "marker"]),
       damage=st.sampled_from(DAMAGES),
       offsets=st.lists(st.integers(min_value=0, max_value=2**31), min_size=1, max_size=16),
       keep=st.floats(min_value=0, max_value=0.99),
       unlisted=st.booleans())
def test_any_damage_to_any_index_file_answers_as_a_clean_build(built, tmp_path_factory, kind,
                                                                damage, offsets, keep,
                                                                unlisted):
    library, index_dir, clean = built
    copy = tmp_path_factory.mktemp("damaged") / "ix"
    shutil.copytree(index_dir, copy, symlinks=True)
    path = files(copy)[kind]
    if unlisted:    # as if just committed by another process: its damage is met reading it
        sums = copy / checksums.FILE_NAME
        sums.write_text(json.dumps({name: value for name, value in json.loads(
            sums.read_text()).items() if name != path.name}))
    if damage == "flip":
        flip(path, offsets)
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[: int(path.stat().st_size * keep)])
    elif damage == "pipe":
        replace_with_pipe(path)
    else:
        replace_with_link(path)
    # Rebuilt with a notice, or (damage the index does not depend on: a flipped bit in a
    # report's stored size) answered as it is: either way what a clean build finds.
    assert_answers_as_clean(library, copy, clean, told=None)
