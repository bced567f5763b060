"""The Qt binding in use must not leak references to None (PySide6 6.12.0 did: on Python
3.11 the app aborted with "none_dealloc" after a few thousand Qt calls, e.g. while scrolling
a comparison)."""
import sys

from PySide6.QtWidgets import QLabel


def test_qt_calls_returning_nothing_keep_none_alive(qapp):
    label = QLabel()
    label.setText("warm-up")
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    assert sys.getrefcount(None) >= before - 50
