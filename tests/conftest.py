import contextlib
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _private_profile(tmp_path_factory, monkeypatch):
    """Every test gets its own data/config folders: no test touches a real profile or index."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    yield home


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def cli(tmp_path):
    """Run `python -m explorer ARGS` in a subprocess, as a user would (private index folder)."""
    import subprocess

    def run(*args: str, index_dir: Path | None = None, timeout: float = 120):
        extra = ["--index-dir", str(index_dir or tmp_path / "cli-index")]
        return subprocess.run([sys.executable, "-m", "explorer", *args, *extra],
                              capture_output=True, text=True, timeout=timeout)
    return run


WORDS = ("multimodal ethics efficiency energy privacy latency translation robotics "
         "agents memory retrieval alignment safety vision audio").split()


def make_library(root: Path, count: int) -> Path:
    """`count` reports of five sections made of WORDS; section n of report i holds the
    word `r{i}s{n}`, so each can be found alone."""
    root.mkdir()
    for i in range(count):
        parts = [f"# Report {i}"]
        for n in range(1, 6):
            words = " ".join(WORDS[(i * 7 + n * 3 + k) % len(WORDS)] for k in range(40))
            parts.append(f"## {n}. Part {WORDS[(i + n) % len(WORDS)]}\n{words} r{i}s{n}")
        (root / f"r{i:04d}.md").write_text("\n\n".join(parts), "utf-8")
    return root


@contextlib.contextmanager
def searcher_over(tmp_path_factory, files: dict[str, str]):
    """A Searcher over a library of `files` (name -> text), indexed in a temporary folder."""
    from explorer.core.index import ReportIndex
    from explorer.core.search import Searcher
    lib = tmp_path_factory.mktemp("lib")
    for name, text in files.items():
        (lib / name).write_text(text, "utf-8")
    ix = ReportIndex(lib, tmp_path_factory.mktemp("index"))
    ix.update()
    searcher = Searcher(ix)
    try:
        yield searcher
    finally:
        searcher.close()


@pytest.fixture
def no_meaning_model(monkeypatch):
    """As if the meaning model could not be loaded (its files missing) in this process."""
    from explorer.core import meaning

    def fail():
        raise FileNotFoundError("weights missing")
    monkeypatch.setattr(meaning, "_load", fail)
    monkeypatch.setattr(meaning, "_tried", False)
    monkeypatch.setattr(meaning, "_loaded", None)
    monkeypatch.setattr(meaning, "_failure", None)
    yield
    monkeypatch.setattr(meaning, "_tried", False)   # the next user loads the real one
