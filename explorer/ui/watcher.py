"""Notices when a library may have changed on disk: a file system watch on its folders and
(up to a limit) its report files, plus the application regaining focus. Bursts of events
(an editor saving, a sync tool copying many files) are coalesced into one `changed`."""
from __future__ import annotations

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication

from .worker import LibraryState

DEBOUNCE_MS = 400
# Paths added to the watch per turn of the event loop: each is a stat and an inotify watch
# on the GUI thread, and 2,000 at once stalled the window up to 60 ms.
ADD_CHUNK = 400


class LibraryWatcher(QObject):
    # the library may have changed: time to update the index
    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._to_add: list[str] = []
        self._adding = QTimer(self)     # adds _to_add, a chunk per turn of the event loop
        self._adding.setInterval(0)
        self._active = False
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._watcher.directoryChanged.connect(self._on_watcher_path_changed)
        self._watcher.fileChanged.connect(self._on_watcher_path_changed)
        self._debounce.timeout.connect(self.changed)
        self._adding.timeout.connect(self._on_adding_timeout)
        QGuiApplication.instance().applicationStateChanged.connect(
            self._on_application_state_changed)

    def watch(self, state: LibraryState) -> None:
        """Watch the folders and files `state` says to (the worker chose them and checked
        that they exist, off the GUI thread); stop watching the others."""
        self._active = True
        wanted = set(state.watched)
        watched = set(self._watcher.directories()) | set(self._watcher.files())
        stale = sorted(watched - wanted)
        # Qt warns about empty lists, and warnings fail the tests: only call with paths.
        if stale:
            self._watcher.removePaths(stale)
        self._to_add = sorted(wanted - watched)
        if self._to_add:
            self._adding.start()

    def stop(self) -> None:
        self._active = False
        self._debounce.stop()
        self._adding.stop()
        self._to_add = []
        paths = self._watcher.directories() + self._watcher.files()
        if paths:
            self._watcher.removePaths(paths)

    @Slot()
    def _on_adding_timeout(self) -> None:
        chunk, self._to_add = self._to_add[:ADD_CHUNK], self._to_add[ADD_CHUNK:]
        self._watcher.addPaths(chunk)
        if not self._to_add:
            self._adding.stop()

    @Slot(str)
    def _on_watcher_path_changed(self, _path: str) -> None:
        if self._active:
            self._debounce.start()

    @Slot(Qt.ApplicationState)
    def _on_application_state_changed(self, state: Qt.ApplicationState) -> None:
        # Files may have changed while the user was in another program.
        if self._active and state == Qt.ApplicationState.ApplicationActive:
            self._debounce.start()
