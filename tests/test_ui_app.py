"""Starting the window, errors, icons and palettes."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QToolBar, QWidget

from explorer import applog
from explorer.core import locations
from explorer.ui import app as app_module
from explorer.ui import icons
from explorer.ui import main_window as main_window_module
from explorer.ui.styles import reader_css
from ui_helpers import *  # noqa: F401,F403 - fixtures and helpers
from ui_helpers import WAIT_MS, wait_indexed


def test_first_start_opens_the_bundled_samples(qtbot):
    win = app_module.build_window()
    qtbot.addWidget(win)
    wait_indexed(qtbot, win)
    assert win.state.library == str(locations.bundled_library().resolve())
    assert win.reports.model.rowCount() == 5
    assert QGuiApplication.applicationDisplayName() == "Report Explorer"
    assert QGuiApplication.desktopFileName() == app_module.DESKTOP_FILE_NAME
    assert not QApplication.windowIcon().isNull()


def _painted(icon: QIcon) -> int:
    image = icon.pixmap(QSize(24, 24)).toImage()
    return sum(image.pixelColor(x, y).alpha() > 0
               for x in range(image.width()) for y in range(image.height()))


def test_the_window_is_shown_first_then_opens_its_library_and_draws_its_icons(qtbot):
    win = app_module.show_window(None, None)
    qtbot.addWidget(win)
    try:
        toolbar = win.findChild(QToolBar, "main-toolbar")
        tools = [action for action in toolbar.actions() if not action.isSeparator()]
        # Not painted yet: the icons are blank placeholders and no library is opening.
        assert tools and all(_painted(action.icon()) == 0 for action in tools)
        assert not any(_painted(action.icon()) for action in win.actions.values())
        assert win.status.library_label.text() == ""
        wait_indexed(qtbot, win)
    finally:
        icons.draw_deferred()        # should the window never paint: no blank icons later
    assert win.state.library == str(locations.bundled_library().resolve())
    assert win.reports.model.rowCount() == 5
    # Drawn once QtAwesome is imported (in a thread, if not yet imported in this process).
    qtbot.waitUntil(lambda: all(_painted(action.icon()) > 0 for action in tools),
                    timeout=WAIT_MS)
    assert all(_painted(action.icon()) > 0 for action in win.actions.values()
               if not action.icon().isNull())
    assert _painted(win.status.problems_button.icon()) > 0
    assert not win.windowIcon().isNull()


def test_after_first_paint_calls_back_once_painted_or_after_the_fallback(qtbot):
    painted, hidden = QWidget(), QWidget()
    qtbot.addWidget(painted)
    qtbot.addWidget(hidden)
    calls = []
    # A fallback far beyond the test: the first call can only come from the paint.
    app_module.after_first_paint(painted, lambda: calls.append("painted"), fallback_ms=600_000)
    app_module.after_first_paint(hidden, lambda: calls.append("hidden"), fallback_ms=10)
    painted.show()
    qtbot.waitUntil(lambda: calls.count("painted") == 1 and calls.count("hidden") == 1,
                    timeout=WAIT_MS)
    hidden.show()                   # painted now, after its fallback: no second call
    painted.repaint()
    qtbot.waitExposed(hidden)
    hidden.repaint()
    qtbot.wait(50)
    assert sorted(calls) == ["hidden", "painted"]


def _run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=dict(os.environ, **env),
                          capture_output=True, text=True, timeout=60)


DEFERRED_ICON = """
import builtins, sys, threading
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication
from explorer.ui import icons

app = QApplication([])
importers, drawers = [], []
real_import, real_draw = builtins.__import__, icons._draw_now

def spy_import(name, *args, **kwargs):
    if name == "qtawesome" and "qtawesome" not in sys.modules:
        importers.append(threading.current_thread().name)
    return real_import(name, *args, **kwargs)

def spy_draw():
    drawers.append(threading.current_thread().name)
    real_draw()

builtins.__import__, icons._draw_now = spy_import, spy_draw
icons.defer()
action = QAction()
icons.set_icon(action, "search")
placeholder = action.icon().cacheKey()
icons.draw_deferred()
drawn_at_once = action.icon().cacheKey() != placeholder
QTimer.singleShot(30_000, app.quit)
def check():
    if drawers:
        app.quit()
    else:
        QTimer.singleShot(10, check)
check()
app.exec()
print(importers, drawers, drawn_at_once, action.icon().cacheKey() != placeholder)
"""


def test_qtawesome_is_imported_in_a_thread_and_the_icons_drawn_on_the_gui_thread():
    done = _run_python(DEFERRED_ICON, QT_QPA_PLATFORM="offscreen")
    assert done.returncode == 0, done.stderr
    importers, drawers, drawn_at_once, drawn = done.stdout.split()
    assert importers == "['import-qtawesome']" and drawn_at_once == "False"
    assert drawers == "['MainThread']" and drawn == "True"


def test_the_window_modules_leave_the_core_and_qtawesome_for_later():
    # Imported after the first paint (icons, comparisons) or in the worker threads (index,
    # session): each would delay the first paint (packaging/coldstart.py).
    later = {"ftfy", "qtawesome", "whoosh.index", "whoosh.searching", "explorer.core.session",
             "explorer.core.index", "explorer.ui.compare"}
    done = _run_python("import sys, explorer.ui.app; print(*sorted(sys.modules))")
    assert done.returncode == 0, done.stderr
    assert not later & set(done.stdout.split())


def test_quit_after_paint_hook_quits_silently():
    # Without the hook the window would stay open: the timeout fails the test.
    done = _run_python("import sys; from explorer.cli import main; sys.exit(main([]))",
                       QT_QPA_PLATFORM="offscreen",
                       **{app_module.QUIT_AFTER_PAINT: "1"})
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


def test_a_missing_library_falls_back_to_the_last_one(qtbot, tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(main_window_module.QMessageBox, "warning",
                        lambda *args: said.append(args[2]))
    win = app_module.build_window(str(tmp_path / "gone"), str(tmp_path / "index"))
    qtbot.addWidget(win)
    wait_indexed(qtbot, win)
    assert "gone" in said[0]
    assert win.state.library == str(locations.last_library().resolve())


@pytest.fixture
def private_log(monkeypatch):
    """The log goes under this test's HOME, whichever folder an earlier test set it up in."""
    logger = logging.getLogger("explorer")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(applog, "_configured", False)
    yield
    for handler in logger.handlers:
        handler.close()


def test_unexpected_errors_are_logged_and_told_in_plain_words(qtbot, monkeypatch, private_log):
    shown = []
    monkeypatch.setattr(app_module.QMessageBox, "critical",
                        lambda parent, title, text: shown.append(text))
    try:
        raise ValueError("boom")
    except ValueError as exc:
        app_module._report_unexpected_error(type(exc), exc, exc.__traceback__)
    assert "boom" in shown[0] and "Traceback" not in shown[0]
    assert "Traceback" in Path(applog.log_file()).read_text()


def test_a_failed_request_is_reported_in_the_status_bar(qtbot, window):
    window.open_report("no-such-report")
    qtbot.waitUntil(lambda: "no-such-report" in window.status.currentMessage(), timeout=WAIT_MS)
    assert window.reader.loaded is not None                      # still showing its report


def test_every_icon_draws(qtbot):
    for name in icons.ICONS:
        assert not icons.icon(name).pixmap(QSize(24, 24)).isNull(), name
    assert not icons.app_icon().pixmap(QSize(64, 64)).isNull()


def test_dark_palette_restyles_reader_and_icons(qtbot, window):
    dark = QPalette(QGuiApplication.palette())
    for role, color in ((QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#e8e8e8"),
                        (QPalette.ColorRole.Window, "#2b2b2b"),
                        (QPalette.ColorRole.ButtonText, "#f0f0f0")):
        dark.setColor(role, QColor(color))
    old = QGuiApplication.palette()
    QApplication.setPalette(dark)
    try:
        qtbot.waitUntil(lambda: "#e8e8e8" in window.reader.browser.document().defaultStyleSheet(),
                        timeout=WAIT_MS)
        assert "#e8e8e8" in reader_css(dark)
        assert window.reader.loaded is not None                   # still shown, restyled
        image = window.actions["open-library"].icon().pixmap(QSize(32, 32)).toImage()
        colors = {image.pixelColor(x, y).name() for x in range(32) for y in range(32)
                  if image.pixelColor(x, y).alpha() == 255}
        assert "#f0f0f0" in colors                                # redrawn in the new text colour
    finally:
        QApplication.setPalette(old)
