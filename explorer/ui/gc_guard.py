"""Python's cyclic garbage collector, run on the GUI thread only.

Automatic collection runs in whichever thread allocates when a threshold is crossed, and
the worker thread allocates a lot (Whoosh, Markdown). Were a cycle holding a Python-owned
Qt object freed there, its C++ destructor would run in the wrong thread and could crash
the app. So automatic collection is switched off and a timer on the GUI thread collects
instead, generation by generation as the thresholds say (the pattern calibre and
pyqtgraph use).
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    @Slot()
    def _on_timer_timeout(self) -> None:
        count0, count1, count2 = gc.get_count()
        if count0 > self._thresholds[0]:
            gc.collect(0)
            if count1 > self._thresholds[1]:
                gc.collect(1)
                if count2 > self._thresholds[2]:
                    gc.collect(2)
