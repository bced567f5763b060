"""Every icon of the window, looked up by name here and drawn by QtAwesome.

QtAwesome icons are font glyphs, so they stay crisp at any device pixel ratio. Their colours
are fixed when an icon is made, so icons are made from the current palette and `refresh()`
makes them again when the palette changes (a switch between light and dark).

Drawing the first icon imports QtAwesome and loads its 12 fonts (~0.2 s, more than Qt's
own start-up), so `show_window` (app.py) calls `defer()` before building the window and
`draw_deferred()` after its first paint: meanwhile the icons set with `set_icon()` and
`add_line_edit_icon()` are blank placeholders of the same size, so nothing moves when
they are drawn (packaging/coldstart.py measures the start). QtAwesome is then imported,
and its fonts loaded, in a thread of its own: on the GUI thread that took 0.25-0.33 s
while the library's worker imported the core, the longest stall of the window's start.
"""
from __future__ import annotations

import sys
import threading
from functools import cache

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QGuiApplication, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QLineEdit

from . import assets

# name used in the code -> Material Design glyph
ICONS: dict[str, str] = {
    "open-library": "mdi6.folder-open-outline",
    "recent": "mdi6.history",
    "samples": "mdi6.package-variant-closed",
    "reindex": "mdi6.refresh",
    "cancel": "mdi6.close-circle-outline",
    "quit": "mdi6.exit-to-app",
    "copy": "mdi6.content-copy",
    "find": "mdi6.file-find-outline",
    "search": "mdi6.text-search",
    "filter": "mdi6.filter-variant",
    "sort": "mdi6.sort",
    "clear": "mdi6.close",
    "next-hit": "mdi6.chevron-down",
    "previous-hit": "mdi6.chevron-up",
    "next-section": "mdi6.arrow-down",
    "previous-section": "mdi6.arrow-up",
    "next-report": "mdi6.page-next-outline",
    "previous-report": "mdi6.page-previous-outline",
    "zoom-in": "mdi6.magnify-plus-outline",
    "zoom-out": "mdi6.magnify-minus-outline",
    "zoom-reset": "mdi6.magnify-close",
    "outline": "mdi6.format-list-bulleted",
    "reports": "mdi6.file-document-multiple-outline",
    "report": "mdi6.file-document-outline",
    "only-report": "mdi6.file-document-outline",
    "reveal": "mdi6.folder-search-outline",
    "compare": "mdi6.compare-horizontal",
    "export": "mdi6.export-variant",
    "topic-map": "mdi6.table-eye",
    "consensus": "mdi6.chart-bar",     # a menu action: drawn before the comparison loads
    "problems": "mdi6.alert-outline",
    "help": "mdi6.help-circle-outline",
    "log": "mdi6.folder-text-outline",
    "about": "mdi6.information-outline",
}
# Icons that carry a meaning of their own keep a colour that reads on light and dark alike.
WARNING_COLOR = QColor("#d98c00")
WARNING_ICONS = {"problems"}

_PROPERTY = "iconName"   # remembered on actions and buttons so refresh() can redraw them
# Between defer() and the icons drawn: what waits for its icon.
_deferred: list[QObject] | None = None
_importer: _QtAwesomeImport | None = None     # QtAwesome's import, once started


def icon(name: str) -> QIcon:
    import qtawesome as qta     # here, not at the top: see the module's docstring
    palette = QGuiApplication.palette()
    active, disabled = QPalette.ColorGroup.Active, QPalette.ColorGroup.Disabled
    text = palette.color(active, QPalette.ColorRole.ButtonText)
    return qta.icon(ICONS[name], color=WARNING_COLOR if name in WARNING_ICONS else text,
                    color_disabled=palette.color(disabled, QPalette.ColorRole.ButtonText),
                    color_selected=palette.color(active, QPalette.ColorRole.HighlightedText))


def set_icon(target: QObject, name: str) -> None:
    """Give a QAction or a button its icon, and remember the name for refresh()."""
    target.setProperty(_PROPERTY, name)
    if _deferred is None:
        target.setIcon(icon(name))
    else:
        target.setIcon(_placeholder())
        _deferred.append(target)


def add_line_edit_icon(edit: QLineEdit, name: str,
                       position=QLineEdit.ActionPosition.LeadingPosition) -> QAction:
    """An icon inside a line edit (a QAction, so it can also be clicked)."""
    action = edit.addAction(QIcon(), position)
    set_icon(action, name)
    return action


def refresh(root: QObject) -> None:
    """Redraw the icons set with set_icon() on `root` and its children in the current palette."""
    for obj in (root, *root.findChildren(QObject)):
        name = obj.property(_PROPERTY)
        if name:
            obj.setIcon(icon(name))


def defer() -> None:
    """Until draw_deferred(), set_icon() and add_line_edit_icon() give blank placeholders."""
    global _deferred
    _deferred = []


def draw_deferred() -> None:
    """Draw the icons set since defer() (on the objects not deleted meanwhile), at once if
    QtAwesome is imported, else once a thread has imported it."""
    global _importer
    if "qtawesome" in sys.modules:
        _draw_now()
    elif _importer is None:
        _importer = _QtAwesomeImport()


def _draw_now() -> None:
    global _deferred
    targets, _deferred = _deferred or [], None
    for target in targets:
        if shiboken6.isValid(target):
            target.setIcon(icon(target.property(_PROPERTY)))


class _QtAwesomeImport(QObject):
    """Imports QtAwesome and loads its fonts in a thread of its own (QFontDatabase is
    thread-safe; icons and their pixmaps are made by icon(), on the GUI thread), then draws
    the deferred icons."""
    # QtAwesome is imported (emitted from the importing thread)
    _imported = Signal()

    def __init__(self):
        super().__init__()
        # Queued: the icons are drawn on the GUI thread, where this object lives.
        self._imported.connect(self._on_imported, Qt.ConnectionType.QueuedConnection)
        threading.Thread(target=self._run, name="import-qtawesome", daemon=True).start()

    def _run(self) -> None:
        import qtawesome
        qtawesome.charmap(ICONS["search"])      # the first glyph looked up loads the fonts
        self._imported.emit()

    @Slot()
    def _on_imported(self) -> None:
        _draw_now()


@cache
def _placeholder() -> QIcon:
    # Not a null QIcon: a tool button without an icon would show its text instead, and
    # the toolbar would change its width when the real icons come.
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    return QIcon(pixmap)


def app_icon() -> QIcon:
    return QIcon(str(assets.path("report-explorer.svg")))
