"""Ctrl+wheel as zoom steps, for views that let their pane own the zoom level (the reader,
the comparison's columns): the pane knows the level, remembers it and zooms the rest."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QWheelEvent


def zoom_step(event: QWheelEvent) -> int | None:
    """+1 or -1 for a Ctrl+wheel turn (0 for a sideways one), None for any other wheel
    event (let the view scroll). A Ctrl+wheel event is accepted: the view must not zoom
    or scroll by itself."""
    if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        return None
    event.accept()
    delta = event.angleDelta().y()
    return (1 if delta > 0 else -1) if delta else 0
