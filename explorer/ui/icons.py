"""Every icon of the window, looked up by name here and drawn by QtAwesome.

QtAwesome icons are font glyphs, so they stay crisp at any device pixel ratio. Their colours
are fixed when an icon is made, so icons are made from the current palette and `refresh()`
makes them again when the palette changes (a switch between light and dark).

Drawing the first icon imports QtAwesome and loads its 12 fonts (~0.2 s, more than Qt's
own start-up), so `show_window` (app.py) calls `defer()` before building the window and
`draw_deferred()` after its first paint: meanwhile the icons set with `set_icon()` and
`add_line_edit_icon()` are blank placeholders of the same size, so nothing moves when
they are drawn (packaging/coldstart.py measures the start).
"""
from __future__ import annotations

from functools import cache

import shiboken6
from PySide6.QtCore import QObject, Qt
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
    "problems": "mdi6.alert-outline",
    "help": "mdi6.help-circle-outline",
    "log": "mdi6.folder-text-outline",
    "about": "mdi6.information-outline",
}
# Icons that carry a meaning of their own keep a colour that reads on light and dark alike.
WARNING_COLOR = QColor("#d98c00")
WARNING_ICONS = {"problems"}

_PROPERTY = "iconName"   # remembered on actions and buttons so refresh() can redraw them
# Between defer() and draw_deferred(): what waits for its icon.
_deferred: list[QObject] | None = None


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
    """Draw the icons set since defer() (on the objects not deleted meanwhile)."""
    global _deferred
    targets, _deferred = _deferred or [], None
    for target in targets:
        if shiboken6.isValid(target):
            target.setIcon(icon(target.property(_PROPERTY)))


@cache
def _placeholder() -> QIcon:
    # Not a null QIcon: a tool button without an icon would show its text instead, and
    # the toolbar would change its width when the real icons come.
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    return QIcon(pixmap)


def app_icon() -> QIcon:
    return QIcon(str(assets.path("report-explorer.svg")))
