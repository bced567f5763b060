"""A report as one HTML page for the reader: its title and a line about the file, then each
section wrapped in a `<div id="section-N">`, which Qt turns into an anchor on the section's
first line.

In the core: the window's worker thread renders reports, so opening a long one never stalls
the window.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from .model import Report
from .rendering import escape, render_html
from .wording import plural

_IMAGE = re.compile(r"<img\b([^>]*)>")
_ALT = re.compile(r'\balt="([^"]*)"')


def section_anchor(number: int) -> str:
    return f"section-{number}"


def report_html(report: Report) -> str:
    modified = datetime.fromtimestamp(report.mtime).strftime("%Y-%m-%d %H:%M")
    meta = f"{Path(report.path).name}  ·  {plural(len(report.sections), 'section')}  ·  {modified}"
    parts = [f"<h1>{escape(report.title)}</h1>", f'<p class="meta">{escape(meta)}</p>']
    for section in report.sections:
        # Rendered one section at a time: markup left open in one (a stray fence) cannot
        # swallow the next section's heading.
        parts.append(f'<div id="{section_anchor(section.number)}">'
                     f"{_images_as_text(render_html(section.markdown))}</div>")
    return "\n".join(parts)


def _images_as_text(html: str) -> str:
    """The sanitiser keeps an <img> whose source it will not load, without the source; Qt
    would still try to load it (and warn). Show what the image was instead."""
    def replace(match: re.Match) -> str:
        if ' src="' in match.group(1):
            return match.group(0)
        alt = _ALT.search(match.group(1))
        return f'<span class="image">[{alt.group(1)}]</span>' if alt and alt.group(1) else ""
    return _IMAGE.sub(replace, html)
