"""Starting the window, errors, icons and palettes."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

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
    assert not QApplication.windowIcon().isNull()


def test_a_missing_library_falls_back_to_the_last_one(qtbot, tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(main_window_module.QMessageBox, "warning",
                        lambda *args: said.append(args[2]))
    win = app_module.build_window(str(tmp_path / "gone"), str(tmp_path / "index"))
    qtbot.addWidget(win)
    wait_indexed(qtbot, win)
    assert "gone" in said[0]
    assert win.state.library == str(locations.last_library().resolve())


def test_unexpected_errors_are_logged_and_told_in_plain_words(qtbot, monkeypatch):
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
