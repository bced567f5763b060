"""Stylesheets built from the palette, so the reader follows light and dark themes."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

# A comfortable reading measure: lines of at most this many average characters; the rest of
# the width becomes margin (reader.ReportBrowser).
READING_WIDTH_CHARS = 88


def mix(a: QColor, b: QColor, share_of_a: float) -> QColor:
    """The colour `share_of_a` of the way from b to a (tints that work on any background)."""
    t = share_of_a
    return QColor.fromRgbF(a.redF() * t + b.redF() * (1 - t), a.greenF() * t + b.greenF() * (1 - t),
                           a.blueF() * t + b.blueF() * (1 - t))


def muted_text(palette: QPalette) -> QColor:
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.62)


def reader_css(palette: QPalette) -> str:
    """The reader's default stylesheet. Font sizes are left relative so zooming scales all."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    rule = mix(text, base, 0.28).name()
    shade = mix(text, base, 0.07).name()
    return f"""
    body {{ color: {text.name()}; }}
    h1 {{ font-size: x-large; font-weight: 600; margin-top: 4px; margin-bottom: 6px; }}
    h2 {{ font-size: large; font-weight: 600; margin-top: 26px; margin-bottom: 8px; }}
    h3 {{ font-size: medium; font-weight: 600; margin-top: 18px; margin-bottom: 6px; }}
    h4, h5, h6 {{ font-weight: 600; margin-top: 14px; margin-bottom: 4px; }}
    p {{ margin-top: 0px; margin-bottom: 10px; line-height: 140%; }}
    li {{ margin-bottom: 4px; line-height: 135%; }}
    ul, ol {{ margin-top: 0px; margin-bottom: 10px; }}
    a {{ color: {palette.color(QPalette.ColorRole.Link).name()}; }}
    code {{ font-family: monospace; background-color: {shade}; }}
    pre {{ font-family: monospace; background-color: {shade}; margin-top: 4px;
           margin-bottom: 12px; padding: 8px; }}
    blockquote {{ color: {muted_text(palette).name()}; margin-left: 18px; margin-right: 18px; }}
    table {{ border-collapse: collapse; margin-top: 4px; margin-bottom: 12px; }}
    th {{ background-color: {shade}; font-weight: 600; }}
    th, td {{ border: 1px solid {rule}; padding: 4px 8px; }}
    hr {{ color: {rule}; }}
    .meta {{ color: {muted_text(palette).name()}; }}
    .image {{ color: {muted_text(palette).name()}; }}
    """
