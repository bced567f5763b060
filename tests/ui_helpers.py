"""Fixtures and helpers for the window's tests (import the fixtures into a test module:
`from ui_helpers import *`)."""
from __future__ import annotations

import contextlib
import shutil
import stat
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, Qt, QTimer

from explorer.ui.app import configure_application
from explorer.ui.gc_guard import GuiThreadCollector
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import Settings

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
WAIT_MS = 15_000

__all__ = ["isolated_qsettings", "gc_on_gui_thread", "library", "make_window", "window",
           "copy_seeds", "wait_indexed", "run_search", "compare_client", "StallRecorder",
           "WAIT_MS"]


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path, qapp):
    """QSettings read and written under tmp_path only; the app named as in production."""
    configure_application(qapp)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "qsettings"))
    yield tmp_path / "qsettings"


@pytest.fixture(autouse=True)
def gc_on_gui_thread(qapp):
    """As in the app (run_app): cyclic garbage is collected on the GUI thread only."""
    collector = GuiThreadCollector()
    collector.start()
    yield collector
    collector.stop()


def copy_seeds(folder: Path) -> Path:
    """The bundled reports copied to `folder`, writable (the originals are read-only)."""
    folder.mkdir(parents=True, exist_ok=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        target = folder / seed.name
        shutil.copyfile(seed, target)
        target.chmod(stat.S_IRUSR | stat.S_IWUSR)
    return folder


@pytest.fixture
def library(tmp_path) -> Path:
    return copy_seeds(tmp_path / "library")


@pytest.fixture
def make_window(qtbot, tmp_path):
    """make_window(library) -> a shown MainWindow on `library`, its index updated."""
    def make(folder: Path, wait: bool = True) -> MainWindow:
        win = MainWindow(Settings())
        qtbot.addWidget(win)
        win.open_library(folder, str(tmp_path / f"index-{folder.name}"))
        win.show()
        qtbot.waitExposed(win)
        if wait:
            wait_indexed(qtbot, win)
        return win
    return make


@pytest.fixture
def window(make_window, library) -> MainWindow:
    return make_window(library)


def wait_indexed(qtbot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: win.state is not None and win.state.indexed, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: win.reader.loaded is not None or not win.state.reports,
                    timeout=WAIT_MS)


@contextlib.contextmanager
def compare_client(qtbot, library: Path, index_dir: Path, wait_ms: int = WAIT_MS):
    """A comparison worker on `library`, once it has said which reports there are. The
    index is built here, as the window's indexer builds it: the worker only reads it."""
    from explorer.core.index import ReportIndex
    from explorer.ui.compare import CompareClient      # here: the package loads late in the app
    ReportIndex(library, index_dir).update()
    client = CompareClient(library, index_dir)
    try:
        with qtbot.waitSignal(client.reports_changed, timeout=wait_ms):
            pass
        yield client
    finally:
        client.shutdown()


def run_search(qtbot, win: MainWindow, text: str) -> None:
    """Type `text` into the search box and wait for its results."""
    win.focus_search()
    edit = win.search.edit
    edit.clear()
    qtbot.keyClicks(edit, text)
    qtbot.waitUntil(lambda: win.search.model.result is not None
                    and win.search.model.result.query == text
                    and not win.client.searching, timeout=WAIT_MS)


class StallRecorder(QObject):
    """Measures how long the GUI thread's event loop goes without running: a timer due every
    `interval_ms` that records by how much each tick comes late."""

    def __init__(self, interval_ms: int = 5):
        super().__init__()
        self.interval = interval_ms / 1000
        self.max_stall = 0.0
        self.ticks = 0
        self._last: float | None = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        self.max_stall = max(self.max_stall, now - self._last - self.interval)
        self.ticks += 1
        self._last = now
