"""The GUI thread's garbage collector (explorer/ui/gc_guard.py): cycles are freed on the GUI
thread only, whoever made them, and what survives a full collection is frozen until stop()."""
from __future__ import annotations

import gc
import threading
import weakref

import pytest

from explorer.ui.gc_guard import GuiThreadCollector, freeze_long_lived

WAIT_MS = 15_000


class Node:
    """A reference cycle: garbage only the cyclic collector frees."""

    def __init__(self, freed: list):
        self.me = self
        # The thread that frees it, not the one that made it.
        weakref.finalize(self, lambda: freed.append(threading.current_thread()))


@pytest.fixture
def collector(qapp):
    # Low thresholds: a full collection comes after a few hundred allocations, not ~20,000.
    collector = GuiThreadCollector(thresholds=(50, 2, 2))
    collector.start()
    yield collector
    collector.stop()


def _allocating(kept: list, predicate) -> bool:
    """For qtbot.waitUntil: allocate (and keep) objects, so the thresholds are crossed."""
    kept.append([[] for _ in range(60)])
    return bool(predicate())


def _tracked(obj) -> bool:
    """In a generation the collector looks at (not frozen)."""
    return any(o is obj for o in gc.get_objects())


def test_cycles_are_freed_on_the_gui_thread_even_when_a_worker_thread_made_them(qtbot,
                                                                                collector):
    freed: list[threading.Thread] = []

    def work():
        Node(freed)
        junk = [[] for _ in range(20_000)]     # far past every threshold
        del junk

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert not gc.isenabled() and freed == []      # the worker allocated, nothing collected
    kept: list = []
    qtbot.waitUntil(lambda: _allocating(kept, lambda: freed), timeout=WAIT_MS)
    assert freed == [threading.main_thread()]


def test_a_full_collection_freezes_its_survivors_until_stop(qtbot, collector):
    freed: list[threading.Thread] = []
    survivor = Node(freed)
    survivor_ref = weakref.ref(survivor)
    kept: list = []
    qtbot.waitUntil(lambda: _allocating(kept, lambda: not _tracked(survivor_ref())),
                    timeout=WAIT_MS)
    assert gc.get_freeze_count() > 0
    # Made after the freeze: collected as usual.
    young_freed: list[threading.Thread] = []
    Node(young_freed)
    qtbot.waitUntil(lambda: _allocating(kept, lambda: young_freed), timeout=WAIT_MS)
    # Frozen, then garbage: left alone (the price of never looking at the frozen heap)...
    del survivor
    for _ in range(3):
        young_freed.clear()
        Node(young_freed)
        qtbot.waitUntil(lambda: _allocating(kept, lambda: young_freed), timeout=WAIT_MS)
    assert freed == []
    # ...until the collector stops: thawed and collected.
    collector.stop()
    assert gc.get_freeze_count() == 0
    assert freed == [threading.main_thread()]


def test_freeze_long_lived_takes_what_is_alive_out_of_the_collectors_sight(collector):
    freed: list[threading.Thread] = []
    node = Node(freed)
    assert _tracked(node)
    freeze_long_lived()
    assert not _tracked(node) and gc.is_tracked(node)
    del node
    collector.stop()
    assert freed == [threading.main_thread()]
