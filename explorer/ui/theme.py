"""Light, dark, or the system's colours: the window's palette.

The views draw with the palette's roles (text, base, highlight…) and restyle themselves on
a palette change, so a theme is one palette set on the application. "system" is the
palette the application started with (the desktop's); light and dark are Fusion's
standard light palette and a dark one built on the same roles.
"""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = {"system": "Follow the System", "light": "Light", "dark": "Dark"}

_started_with: QPalette | None = None      # the desktop's palette, for "system"

# The dark palette's colours: Fusion's dark look (as Qt's own dark themes draw it).
_DARK = {
    QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1f1f1f", QPalette.ColorRole.AlternateBase: "#2a2a2a",
    QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Highlight: "#3d7ae0", QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#353535", QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.PlaceholderText: "#9a9a9a", QPalette.ColorRole.Link: "#6ea8ff",
    QPalette.ColorRole.LinkVisited: "#b08cff", QPalette.ColorRole.Mid: "#4a4a4a",
    QPalette.ColorRole.Midlight: "#3c3c3c", QPalette.ColorRole.Dark: "#1a1a1a",
    QPalette.ColorRole.Light: "#505050", QPalette.ColorRole.Shadow: "#000000",
}
_DARK_DISABLED = {QPalette.ColorRole.Text: "#7a7a7a", QPalette.ColorRole.WindowText: "#7a7a7a",
                  QPalette.ColorRole.ButtonText: "#7a7a7a"}


def apply_theme(app: QApplication, name: str) -> None:
    """Set the application's palette for a theme of THEMES (an unknown one: the system's)."""
    global _started_with
    if _started_with is None:
        _started_with = QPalette(app.palette())
    if name == "dark":
        app.setPalette(_dark_palette())
    elif name == "light":
        app.setPalette(QStyleFactory.create("Fusion").standardPalette())
    else:
        app.setPalette(_started_with)


def _dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in _DARK.items():
        palette.setColor(role, QColor(color))
    for role, color in _DARK_DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(color))
    return palette
