"""Colours of a comparison, from the palette: the cells' stylesheet (the reader's, plus the
marks and the heading line), the legends, and the topic map's match-strength tints."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from ...core.alignment import STRENGTHS
from ...core.comparison_html import ONLY_LEFT, ONLY_RIGHT
from ..styles import mix, muted_text, reader_css
from .markup import SEARCH, SHARED, UNIQUE

# Hues that read on light and dark bases once mixed with the base colour.
SEARCH_HUE = QColor("#ffd21f")
LEFT_HUE = QColor("#e5484d")
RIGHT_HUE = QColor("#30a46c")
UNIQUE_LIGHT, UNIQUE_DARK = QColor("#b35300"), QColor("#f2a65a")
STRONG_HUE, FAIR_HUE = QColor("#2f9e44"), QColor("#c98a00")
# Topic map: tint share of the highlight colour for a close, related and weak match.
TINT_CLOSE, TINT_RELATED, TINT_WEAK = 0.60, 0.34, 0.12


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def mark_colors(palette: QPalette) -> dict[str, QColor]:
    base = palette.color(QPalette.ColorRole.Base)
    return {
        SEARCH: mix(SEARCH_HUE, base, 0.45 if _is_dark(palette) else 0.70),
        SHARED: mix(palette.color(QPalette.ColorRole.Highlight), base, 0.30),
        UNIQUE: UNIQUE_DARK if _is_dark(palette) else UNIQUE_LIGHT,   # text, underlined
        ONLY_LEFT: mix(LEFT_HUE, base, 0.28),
        ONLY_RIGHT: mix(RIGHT_HUE, base, 0.28),
    }


def compare_css(palette: QPalette) -> str:
    """The reader's stylesheet with the comparison's marks and the cells' heading line."""
    colors = {name: color.name() for name, color in mark_colors(palette).items()}
    muted = muted_text(palette).name()
    text = palette.color(QPalette.ColorRole.Text)
    return reader_css(palette) + f"""
    p.head {{ margin-bottom: 6px; }}
    span.num, span.score-weak, span.score-note {{ color: {muted}; }}
    span.score-strong {{ color: {mix(STRONG_HUE, text, 0.8).name()}; font-weight: 600; }}
    span.score-fair {{ color: {mix(FAIR_HUE, text, 0.8).name()}; font-weight: 600; }}
    span.none, p.note {{ color: {muted}; font-style: italic; }}
    span.{SEARCH} {{ background-color: {colors[SEARCH]}; }}
    span.{SHARED} {{ background-color: {colors[SHARED]}; }}
    span.{UNIQUE} {{ color: {colors[UNIQUE]}; text-decoration: underline; }}
    span.{ONLY_LEFT} {{ background-color: {colors[ONLY_LEFT]}; }}
    span.{ONLY_RIGHT} {{ background-color: {colors[ONLY_RIGHT]}; }}
    """


def legend_html(palette: QPalette, word_diff: bool, searching: bool) -> str:
    """What the marks mean, with inline colours (a QLabel has no stylesheet for rich text)."""
    colors = {name: color.name() for name, color in mark_colors(palette).items()}

    def swatch(mark: str, sample: str) -> str:
        style = (f"color:{colors[mark]}; text-decoration:underline" if mark == UNIQUE
                 else f"background-color:{colors[mark]}")
        return f'<span style="{style}">&nbsp;{sample}&nbsp;</span>'

    if word_diff:
        # "Said differently", not "only in": a short phrase both say is folded into the
        # change around it (core.worddiff), so a marked word may be in both sections.
        items = [swatch(ONLY_LEFT, "said differently on the left"),
                 swatch(ONLY_RIGHT, "said differently on the right"),
                 swatch(SHARED, "significant words both use")]
    else:
        items = [swatch(SHARED, "said by most reports in the row"),
                 swatch(UNIQUE, "said by this report alone")]
    if searching:
        items.append(swatch(SEARCH, "search terms"))
    return "&nbsp;&nbsp; ".join(items)


def strength_color(palette: QPalette, score: float) -> QColor:
    """A topic map cell's background: one tint per match strength (core.alignment
    STRENGTHS, sections compared by meaning), far enough apart to tell in the legend."""
    close, related = STRENGTHS[True]
    share = TINT_CLOSE if score >= close else TINT_RELATED if score >= related else TINT_WEAK
    return mix(palette.color(QPalette.ColorRole.Highlight), palette.color(QPalette.ColorRole.Base),
               share)


def topic_legend_html(palette: QPalette, searching: bool) -> str:
    """What the topic map's shading means, with inline colours: the tints of the match
    strengths the comparison names in words."""
    def swatch(color: QColor, sample: str, italic: bool = False) -> str:
        style = f"background-color:{color.name()}" + ("; font-style:italic" if italic else "")
        sample = sample.replace(" ", "&nbsp;")        # a swatch wraps whole or not at all
        return f'<span style="{style}">&nbsp;{sample}&nbsp;</span>'

    close, related = STRENGTHS[True]
    items = ["Shading, how closely a section matches the topic's others:",
             swatch(strength_color(palette, close), "close"),
             swatch(strength_color(palette, related), "related"),
             swatch(strength_color(palette, related / 2), "weak"),
             "&nbsp;&nbsp;" + swatch(alone_color(palette), "Italic topic: one report alone",
                                     italic=True)]
    if searching:
        items.append("&nbsp;&nbsp;<b>" + swatch(mark_colors(palette)[SEARCH],
                                                "Bold: holds the search words") + "</b>")
    return " ".join(items)


def alone_color(palette: QPalette) -> QColor:
    """A section no other report covers."""
    return mix(FAIR_HUE, palette.color(QPalette.ColorRole.Base), 0.22)
