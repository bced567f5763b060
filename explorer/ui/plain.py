"""Text from the library's files (titles, file names, ids) for the places where Qt reads
markup into it.

Qt shows a tooltip, or a label or message box left at Qt.AutoText, as HTML whenever its
text looks like HTML (Qt.mightBeRichText), and that HTML loads any image an <img> names
from the disk: a title naming /dev/zero froze the window. Labels showing only such text
are set to Qt.TextFormat.PlainText instead; tooltips have no plain mode, hence plain_html.
"""
from __future__ import annotations

import html


def plain_html(text: str) -> str:
    """`text` as rich text that Qt shows exactly as written, markup and spaces included."""
    if not text:
        return ""           # an empty tooltip is no tooltip; "<p></p>" would show an empty box
    # Always rich text (the <p> is what mightBeRichText looks for), every character escaped:
    # escaping alone would leave Qt to guess, and it shows "&lt;" when it guesses plain.
    # pre-wrap keeps the line breaks and runs of spaces, yet lets a long line wrap.
    return f'<p style="white-space:pre-wrap">{html.escape(text, quote=False)}</p>'


def menu_text(text: str) -> str:
    """`text` as a menu item or tab that shows it as written: a single "&" would make
    the next letter a keyboard shortcut (underlined) and vanish itself."""
    return text.replace("&", "&&")
