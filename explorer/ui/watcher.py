"""Notices when a library may have changed on disk: a file system watch on its folders and
(up to a limit) its report files, plus the application regaining focus. Bursts of events
(an editor saving, a sync tool copying many files) are coalesced into one `changed`."""
from __future__ import annotations

import os

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication

from .worker import LibraryState

DEBOUNCE_MS = 400
# A folder watch misses edits in place (only adding, removing and renaming change a folder),
# so files are watched too, up to this many; beyond, the focus rescan finds edits.
MAX_WATCHED_FILES = 2000


class LibraryWatcher(QObject):
    # the library may have changed: time to update the index
    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._active = False
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._watcher.directoryChanged.connect(self._on_watcher_path_changed)
        self._watcher.fileChanged.connect(self._on_watcher_path_changed)
        self._debounce.timeout.connect(self.changed)
        QGuiApplication.instance().applicationStateChanged.connect(
            self._on_application_state_changed)

    def watch(self, state: LibraryState) -> None:
        """Watch the folders and files of `state` (what is no longer there is dropped)."""
        self._active = True
        wanted = set(state.folders) | {r.path for r in state.reports[:MAX_WATCHED_FILES]}
        watched = set(self._watcher.directories()) | set(self._watcher.files())
        stale = sorted(watched - wanted)
        new = sorted(p for p in wanted - watched if os.path.exists(p))
        # Qt warns about empty lists, and warnings fail the tests: only call with paths.
        if stale:
            self._watcher.removePaths(stale)
        if new:
            self._watcher.addPaths(new)

    def stop(self) -> None:
        self._active = False
        self._debounce.stop()
        paths = self._watcher.directories() + self._watcher.files()
        if paths:
            self._watcher.removePaths(paths)

    @Slot(str)
    def _on_watcher_path_changed(self, _path: str) -> None:
        if self._active:
            self._debounce.start()

    @Slot(Qt.ApplicationState)
    def _on_application_state_changed(self, state: Qt.ApplicationState) -> None:
        # Files may have changed while the user was in another program.
        if self._active and state == Qt.ApplicationState.ApplicationActive:
            self._debounce.start()
