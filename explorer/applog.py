"""The log file: details of failures go here, users get one plain line.

A rotating file in the user's data folder (Help → Open Log Folder in the window).
"""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from .core.locations import data_dir

LOG_NAME = "explorer.log"
_configured = False


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    return log_dir() / LOG_NAME


def setup() -> logging.Logger:
    """Route the `explorer` logger to the rotating file (once per process)."""
    global _configured
    logger = logging.getLogger("explorer")
    if not _configured:
        _configured = True
        try:
            handler = logging.handlers.RotatingFileHandler(
                log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        except OSError:
            handler = logging.NullHandler()   # an unwritable data folder must not stop the app
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    return logger


def log_exception(context: str) -> Path:
    """Write the exception being handled, with its traceback, and return the log's path."""
    setup().exception("unexpected error in %s", context)
    return log_file()
