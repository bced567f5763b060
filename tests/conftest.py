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
