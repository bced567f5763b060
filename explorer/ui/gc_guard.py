"""Python's cyclic garbage collector, run on the GUI thread only, in short steps.

Automatic collection runs in whichever thread allocates when a threshold is crossed, and
the worker thread allocates a lot (Whoosh, Markdown). Were a cycle holding a Python-owned
Qt object freed there, its C++ destructor would run in the wrong thread and could crash
the app. So automatic collection is switched off and a timer on the GUI thread collects
instead, generation by generation as the thresholds say (the pattern calibre and
pyqtgraph use).

The GUI thread waits for each collection, so each must be short (issue 10: no stall over
50 ms with 10,000 reports open):

* the timer is frequent: the youngest generation then holds what was allocated in the last
  INTERVAL_MS, not what a worker allocated in half a second (a 10,000-report catalog read
  in that time made a single young collection last 60-200 ms);
* what survives a full collection is frozen (`gc.freeze()`), so the next full collection
  looks only at what survived since. The long-lived heap of a 10,000-report library (its
  catalog, Qt's wrappers, the modules: 350,000 objects) took every full collection
  100 ms on an idle machine and up to 880 ms on a busy one; frozen, it is looked at once.
  Frozen objects are still freed by reference counting, as nearly all of the window's
  are; only a reference cycle that died after being frozen stays until `stop()` (110
  objects after switching from a 10,000-report library to another).
* as a library opens, what is alive is frozen without a collection (`freeze_long_lived`).
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

INTERVAL_MS = 100
# Allocations, then collections of the next younger generation, that make a generation
# due (as gc.set_threshold() counts). The full collection comes after 3 of the middle
# one, not Python's 10: it no longer looks at the whole heap, only at what survived since
# the last one, so it is cheaper the more often it runs.
THRESHOLDS = (700, 10, 3)


def freeze_long_lived() -> None:
    """What is alive now lives on: called as a library opens, when the window and its
    modules are made and the library's catalog just read (230,000 objects at 10,000
    reports, 18 of them garbage). Frozen at once, they are spared the collections that
    would look at each of them before the first full one froze them: 60-140 ms each."""
    gc.freeze()


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None,
                 thresholds: tuple[int, int, int] = THRESHOLDS):
        super().__init__(parent)
        self._thresholds = thresholds
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Stop collecting on the timer: everything frozen is thawed and collected once,
        and automatic collection is back if it was on."""
        self._timer.stop()
        gc.unfreeze()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def _due_generation(self) -> int | None:
        """The oldest generation the thresholds say to collect now (None: none), counted
        as automatic collection counts: allocations for the youngest, collections of the
        next younger generation for the others."""
        due = None
        for generation, (count, threshold) in enumerate(zip(gc.get_count(), self._thresholds)):
            if count <= threshold:
                break
            due = generation
        return due

    @Slot()
    def _on_timer_timeout(self) -> None:
        generation = self._due_generation()
        if generation is None:
            return
        gc.collect(generation)          # and the younger ones, in the same pass
        if generation == len(self._thresholds) - 1:
            gc.freeze()                 # survivors of a full collection: long-lived
