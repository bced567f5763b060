"""The log file: details of failures go here, users get one plain line.

A rotating file in the user's data folder (Help → Open Log Folder in the window). The log
is optional: when the data folder cannot be made (HOME not writable), nothing is logged and
everything else works.
"""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from .core.locations import data_dir

LOG_NAME = "explorer.log"
_configured = False
_active: Path | None = None      # the file being written, once set up; None: no log


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    return log_dir() / LOG_NAME


def setup() -> logging.Logger:
    """Route the `explorer` logger to the rotating file (once per process)."""
    global _configured, _active
    logger = logging.getLogger("explorer")
    if not _configured:
        _configured = True
        try:
            path = log_file()
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
            _active = path
        except OSError:
            handler = logging.NullHandler()   # an unwritable data folder must not stop the app
            _active = None
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    return logger


def active_log() -> Path | None:
    """The log file being written, or None when there is none (see setup)."""
    setup()
    return _active


def log_exception(context: str) -> Path | None:
    """Write the exception being handled, with its traceback, and return the log's path
    (None: there is no log)."""
    setup().exception("unexpected error in %s", context)
    return _active
