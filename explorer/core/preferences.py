"""User preferences shared by the window and the command line: a small JSON file in the
user's data folder. Qt-free, so `explorer index` honours the same settings as the window.

A missing, unreadable or invalid file means the defaults, never an error: preferences
are a convenience, and a bad value must not stop anyone from opening a library.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from . import locations, ownfiles

log = logging.getLogger(__name__)

PREFERENCES_NAME = "preferences.json"
_LIMIT = 1_000_000      # a few bytes are written: more is not ours

# Reports larger than this are skipped with a size reason: far above any real report, it
# keeps a stray log or data dump from holding up the index (MB = 1,000,000 bytes).
# (The reader's default, library.DEFAULT_MAX_BYTES, follows it; this module stays light
# to import, without the reader's decoding libraries.)
DEFAULT_MAX_REPORT_MB = 20
MIN_MAX_REPORT_MB = 1
MAX_MAX_REPORT_MB = 2000


@dataclass(frozen=True)
class Preferences:
    max_report_mb: int = DEFAULT_MAX_REPORT_MB

    @property
    def max_report_bytes(self) -> int:
        return self.max_report_mb * 1_000_000

    def with_max_report_mb(self, value: int) -> "Preferences":
        return replace(self, max_report_mb=valid_max_report_mb(value))


def valid_max_report_mb(value: object) -> int:
    """The value as a whole number of MB within the allowed range; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"the size limit must be a whole number of MB, not {value!r}")
    if not MIN_MAX_REPORT_MB <= value <= MAX_MAX_REPORT_MB:
        raise ValueError(f"the size limit must be between {MIN_MAX_REPORT_MB} and "
                         f"{MAX_MAX_REPORT_MB} MB, not {value}")
    return value


def preferences_file() -> Path:
    return locations.data_dir() / PREFERENCES_NAME


def load() -> Preferences:
    """The saved preferences; each missing or invalid value falls back to its default."""
    try:
        path = preferences_file()
    except OSError as exc:      # no data folder (HOME not writable): nothing was saved
        log.warning("no preferences: %s", exc)
        return Preferences()
    try:
        data = json.loads(ownfiles.read_regular(path, _LIMIT).decode("utf-8"))
    except FileNotFoundError:
        return Preferences()
    except (OSError, ValueError) as exc:
        log.warning("ignoring the preferences in %s: %s", path, exc)
        return Preferences()
    if not isinstance(data, dict):
        log.warning("ignoring the preferences in %s: not a JSON object", path)
        return Preferences()
    prefs = Preferences()
    if "max_report_mb" in data:
        try:
            prefs = prefs.with_max_report_mb(data["max_report_mb"])
        except ValueError as exc:
            log.warning("ignoring max_report_mb in %s: %s", path, exc)
    return prefs


def save(prefs: Preferences) -> None:
    """Write the preferences atomically. Raises OSError when the data folder cannot be
    written; the caller tells the user (the value still holds for this session)."""
    path = preferences_file()
    tmp = path.with_suffix(".tmp")
    ownfiles.write_new(tmp, json.dumps(asdict(prefs), indent=2).encode("utf-8"))
    os.replace(tmp, path)


def max_report_bytes() -> int:
    """The size limit for reading a report, as set by the user."""
    return load().max_report_bytes
