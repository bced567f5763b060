"""What the window remembers between runs: one table of defaults, the values in QSettings.

`QSettings()` follows the application's organisation and name ("report-explorer") and the
default format, so tests can point every read and write at a temporary folder
(`QSettings.setPath`) and never touch a real profile.

A QSettings is made per read or write, as Qt recommends (it caches the file): a long-lived
one would be a Python-owned QObject that the cyclic garbage collector could free from a
worker thread.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

# Every key the app reads or writes, with its value on a fresh profile. The type of the
# default is the type a read returns (QSettings' INI files keep only strings otherwise).
DEFAULTS: dict[str, Any] = {
    # Qt's own blobs (saveGeometry/saveState); empty: sized for the screen (main_window).
    "window/geometry": QByteArray(),
    "window/state": QByteArray(),
    "reader/splitter": QByteArray(),
    "reader/zoom": 0,                  # QTextEdit.zoomIn steps from the reading font
    "reader/outline": True,            # the outline beside the reader is shown
    "reader/last_report": [],          # [library path, report id]
    "reports/sort": "title",           # title | name | date
    "reports/grouped": False,          # the list shows the reports grouped by subject
    "search/recent": [],
    "search/only_report": False,
    "library/recent": [],
    "compare/export_dir": "",          # where the last comparison was exported
    "compare/zoom": 0,                 # points added to the comparison cells' font
    "appearance/theme": "system",      # system | light | dark (ui/theme.py)
}
RECENT_LIMITS = {"search/recent": 20, "library/recent": 10}


class Settings:
    def value(self, key: str) -> Any:
        default = DEFAULTS[key]
        return QSettings().value(key, default, type=type(default))

    def set_value(self, key: str, value: Any) -> None:
        if key not in DEFAULTS:
            raise KeyError(f"unknown setting {key!r}: add it to DEFAULTS")
        QSettings().setValue(key, value)

    def push_recent(self, key: str, item: str) -> list[str]:
        """Put `item` first in a most-recent-first list, without duplicates; returns the list."""
        items = [item] + [old for old in self.value(key) if old != item]
        items = items[:RECENT_LIMITS[key]]
        self.set_value(key, items)
        return items
