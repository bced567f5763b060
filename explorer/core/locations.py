"""Where things live: the bundled library, the per-library index folders, remembered state.

The index of a library lives in the user's data directory (one folder per library path),
never inside the library: source reports are only ever read.
"""
from __future__ import annotations

import hashlib
import importlib.resources
import json
import logging
import os
import re
from pathlib import Path

import platformdirs

from . import ownfiles

APP_NAME = "report-explorer"
_STATE_LIMIT = 1_000_000    # one path is written: more is not ours

log = logging.getLogger(__name__)


def data_dir() -> Path:
    """Per-user data folder (indexes, logs), created on demand."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def bundled_library() -> Path:
    """The sample library shipped with the app (package data, also inside the frozen app)."""
    return Path(str(importlib.resources.files("explorer.seeds")))


def index_dir_for(library: str | os.PathLike) -> Path:
    """One index folder per library path: readable name + hash of the absolute path."""
    root = Path(library).resolve()
    digest = hashlib.blake2b(str(root).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", root.name).strip("-")[:40] or "library"
    return data_dir() / "indexes" / f"{name}-{digest}"


def _state_file() -> Path:
    return data_dir() / "state.json"


def last_library() -> Path:
    """The library opened last (by the window or the command line), else the bundled one."""
    try:
        path = Path(json.loads(ownfiles.read_regular(_state_file(), _STATE_LIMIT))["library"])
    except FileNotFoundError:
        return bundled_library()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring the remembered library: %s", exc)
        return bundled_library()
    return path if path.is_dir() else bundled_library()


def remember_library(library: str | os.PathLike) -> None:
    """Record the library as the last one opened; failing to record it is not an error."""
    state = {"library": str(Path(library).resolve())}
    try:        # making the data folder can fail too (HOME not writable)
        tmp = _state_file().with_suffix(".tmp")
        ownfiles.write_new(tmp, json.dumps(state).encode("utf-8"))
        os.replace(tmp, _state_file())
    except OSError:
        pass
