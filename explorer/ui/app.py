"""Starting the window: `run_app` for `explorer` with no command, `build_window` for a
self-test (the window fully built, opening its library, without entering the event loop)."""
from __future__ import annotations

import sys
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox

from .. import applog
from ..core import locations
from . import icons
from .gc_guard import GuiThreadCollector
from .main_window import MainWindow
from .settings import Settings

APP_ID = locations.APP_NAME          # organisation and application name: QSettings' folder
DISPLAY_NAME = "Report Explorer"


def configure_application(app: QApplication) -> None:
    app.setOrganizationName(APP_ID)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(icons.app_icon())


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    configure_application(app)
    return app


def build_window(library: str | None = None, index_dir: str | None = None) -> MainWindow:
    """The main window opening `library` (default: the last one, else the bundled samples)
    with its index in `index_dir` (default: the user's index folder; libraries opened later
    always use theirs). Needs a QApplication (create_application); the caller shows the
    window and runs the event loop."""
    window = MainWindow(Settings())
    if not (library and window.open_library(library, index_dir)):
        window.open_library(locations.last_library(), None if library else index_dir)
    return window


def run_app(library: str | None, index_dir: str | None) -> int:
    app = create_application()
    applog.setup()
    sys.excepthook = _report_unexpected_error
    GuiThreadCollector(app).start()
    window = build_window(library, index_dir)
    window.show()
    app.aboutToQuit.connect(window.shutdown)
    return app.exec()


def _report_unexpected_error(kind, value, tb) -> None:
    """A bug reached the event loop: log it with its traceback, tell the user in one line."""
    applog.setup().error("unexpected error in the window\n%s",
                         "".join(traceback.format_exception(kind, value, tb)))
    parent = QApplication.activeWindow()
    QMessageBox.critical(parent, "Unexpected Error",
                         f"Something went wrong: {value}\n\nThe details are in the log file "
                         f"{applog.log_file()}. The window may need to be restarted.")
