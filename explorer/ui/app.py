"""Starting the window: `run_app` for `explorer` with no command, `build_window` for a
self-test (the window fully built, opening its library, without entering the event loop).

`run_app` shows the window before anything it can do without: only after its first paint
is the library opened (its worker thread imports the index and indexes in the background;
the report list fills when it is ready) and are the icons drawn (QtAwesome). Cold start to
the first paint is measured by packaging/coldstart.py.
"""
from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from .. import applog
from ..core import locations
from . import icons
from .gc_guard import GuiThreadCollector
from .main_window import MainWindow
from .plain import plain_html
from .settings import Settings
from .theme import apply_theme

APP_ID = locations.APP_NAME          # organisation and application name: QSettings' folder
DISPLAY_NAME = "Report Explorer"
# The desktop file's name without ".desktop" (resources/desktop/): Wayland compositors
# and docks find the window's icon and name through it.
DESKTOP_FILE_NAME = "io.github.report_explorer.ReportExplorer"
# Set (to anything) by packaging/coldstart.py: the app quits right after the window's first
# paint instead of going on, printing nothing; everything before the paint is unchanged.
QUIT_AFTER_PAINT = "EXPLORER_QUIT_AFTER_PAINT"
# A window not painted by then (started minimised, on a hidden desktop) opens its library
# anyway, so that indexing is not held up until it is shown.
START_FALLBACK_MS = 2000


def configure_application(app: QApplication) -> None:
    app.setOrganizationName(APP_ID)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(icons.app_icon())


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    configure_application(app)
    theme = Settings().value("appearance/theme")       # after the names: QSettings' file
    if theme != "system":
        apply_theme(app, theme)
    return app


def build_window(library: str | None = None, index_dir: str | None = None) -> MainWindow:
    """The main window opening `library` (default: the last one, else the bundled samples)
    with its index in `index_dir` (default: the user's index folder; libraries opened later
    always use theirs). Needs a QApplication (create_application); the caller shows the
    window and runs the event loop."""
    window = MainWindow(Settings())
    _open_start_library(window, library, index_dir)
    return window


def _open_start_library(window: MainWindow, library: str | None, index_dir: str | None) -> None:
    if not (library and window.open_library(library, index_dir)):
        window.open_library(locations.last_library(), None if library else index_dir)


def run_app(library: str | None, index_dir: str | None) -> int:
    app = create_application()
    applog.setup()
    sys.excepthook = _report_unexpected_error
    start_gui_thread_services(app)
    window = show_window(library, index_dir)
    app.aboutToQuit.connect(window.shutdown)
    return app.exec()


def start_gui_thread_services(app: QApplication) -> GuiThreadCollector:
    """What keeps the GUI thread responsive while worker threads run Python, set up before
    the window (also by tests/gui_probe.py, to measure the window as it runs)."""
    # Each Qt-to-Python call waits for the GIL; a worker thread holds it up to this long.
    # 1 ms instead of 5: stalls over 50 ms while indexing 10,000 reports went 60 -> 48.
    sys.setswitchinterval(0.001)
    collector = GuiThreadCollector(app)
    collector.start()
    return collector


def show_window(library: str | None, index_dir: str | None) -> MainWindow:
    """Show the main window at once, its icons blank; once it is painted, open the library
    (as build_window does) and draw the icons. With QUIT_AFTER_PAINT set, quit instead."""
    icons.defer()
    window = MainWindow(Settings())
    if os.environ.get(QUIT_AFTER_PAINT):
        after_first_paint(window, QApplication.quit)
    else:
        after_first_paint(window, lambda: _finish_start(window, library, index_dir),
                          fallback_ms=START_FALLBACK_MS)
    window.show()
    return window


def _finish_start(window: MainWindow, library: str | None, index_dir: str | None) -> None:
    # The library first: its worker thread starts while the icons are drawn here.
    _open_start_library(window, library, index_dir)
    icons.draw_deferred()


def after_first_paint(widget: QWidget, callback: Callable[[], None],
                      fallback_ms: int | None = None) -> None:
    """Call `callback` once, from the event loop, after `widget`'s first paint, or after
    `fallback_ms` if it is not painted by then (e.g. started minimised)."""
    _AfterFirstPaint(widget, callback, fallback_ms)


class _AfterFirstPaint(QObject):

    def __init__(self, widget: QWidget, callback: Callable[[], None],
                 fallback_ms: int | None = None):
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        if fallback_ms is not None:
            QTimer.singleShot(fallback_ms, self, self._call)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # Queued: the children are painted and the window flushed to the screen first.
            QTimer.singleShot(0, self, self._call)
        return False

    def _call(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            callback()


def _report_unexpected_error(kind, value, tb) -> None:
    """A bug reached the event loop: log it with its traceback, tell the user in one line."""
    applog.setup().error("unexpected error in the window\n%s",
                         "".join(traceback.format_exception(kind, value, tb)))
    log = applog.active_log()
    details = f"The details are in the log file {log}. " if log else ""
    QMessageBox.critical(QApplication.activeWindow(), "Unexpected Error", plain_html(
        f"Something went wrong: {value}\n\n{details}The window may need to be restarted."))
