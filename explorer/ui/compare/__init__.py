"""Reports side by side, section by section (issue 6): CompareView, TopicMapView,
ConsensusView (issue 16) and the CompareClient they get their data through."""
from .. import icons

# The comparison's icons, added to the window's one table of icons (ui/icons.py) so they
# follow the palette and icons.refresh() redraws them like any other.
COMPARE_ICONS = {
    "add-report": "mdi6.plus",
    "remove-report": "mdi6.close",
    "pin": "mdi6.pin-outline",
    "column-menu": "mdi6.dots-vertical",
    "move-left": "mdi6.arrow-left",
    "move-right": "mdi6.arrow-right",
    "sync-scroll": "mdi6.link-variant",
    "word-diff": "mdi6.file-compare",
    "export": "mdi6.export-variant",
}
for _name, _glyph in COMPARE_ICONS.items():
    icons.ICONS.setdefault(_name, _glyph)

from .client import CompareClient  # noqa: E402 - after the icons they use
from .consensus import ConsensusView  # noqa: E402
from .topic_map import TopicMapView  # noqa: E402
from .view import CompareView  # noqa: E402

__all__ = ["CompareClient", "CompareView", "ConsensusView", "TopicMapView"]
