"""A report as one HTML page for the reader: its title and a line about the file, then each
section wrapped in a `<div id="section-N">`, which Qt turns into an anchor on the section's
first line.

In the core: the window's worker thread renders reports, so opening a long one never stalls
the window. What the worker cannot take off the GUI thread is Qt laying the page out, which
costs most in tables: a page shows at most `TABLE_CELLS` table cells, later table rows are
left out and counted (the reader offers to show them all).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .model import Report
from .rendering import escape, render_html
from .wording import plural


# Qt lays a table cell out in 0.05 ms here (up to 0.3 ms on slower machines: a 3,000 × 60
# table froze the window for a minute). 5,000 cells: a quarter of a second at most here,
# and every table of the real reports in the corpus is whole (the largest has 300 cells).
TABLE_CELLS = 5000
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_TABLE_DELIMITER = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


@dataclass(frozen=True, slots=True)
class ReportPage:
    html: str
    rows_left_out: int          # table rows not on the page (0: the whole report is)


def section_anchor(number: int) -> str:
    return f"section-{number}"


def report_page(report: Report, table_cells: int | None = TABLE_CELLS) -> ReportPage:
    """The report as a page; `table_cells`: at most this many table cells (None: all)."""
    modified = datetime.fromtimestamp(report.mtime).strftime("%Y-%m-%d %H:%M")
    meta = f"{Path(report.path).name}  ·  {plural(len(report.sections), 'section')}  ·  {modified}"
    parts = [f"<h1>{escape(report.title)}</h1>", f'<p class="meta">{escape(meta)}</p>']
    cells = None if table_cells is None else _CellBudget(table_cells)
    for section in report.sections:
        # Rendered one section at a time: markup left open in one (a stray fence) cannot
        # swallow the next section's heading.
        markdown = section.markdown if cells is None else cells.cut(section.markdown)
        parts.append(f'<div id="{section_anchor(section.number)}">{render_html(markdown)}</div>')
    return ReportPage("\n".join(parts), 0 if cells is None else cells.left_out)


class _CellBudget:
    """Cuts the rows of markdown tables (pipe tables) once a page holds `left` cells."""

    def __init__(self, left: int):
        self.left = left
        self.left_out = 0

    def cut(self, markdown: str) -> str:
        lines = markdown.split("\n")
        kept: list[str] = []
        fence: str | None = None
        i = 0
        while i < len(lines):
            line = lines[i]
            opener = _FENCE.match(line)
            if fence is not None:
                fence = None if opener and opener.group(1)[0] == fence else fence
            elif opener:
                fence = opener.group(1)[0]
            elif "|" in line and i + 1 < len(lines) and _TABLE_DELIMITER.match(lines[i + 1]):
                i = self._table(lines, i, kept)
                continue
            kept.append(line)
            i += 1
        return "\n".join(kept)

    def _table(self, lines: list[str], start: int, kept: list[str]) -> int:
        """Copy the table starting at `start` into `kept`, cut to the budget; its end."""
        width = max(1, lines[start].strip().strip("|").count("|") + 1)
        end = start + 2
        while end < len(lines) and lines[end].strip() and "|" in lines[end]:
            end += 1
        rows = end - start - 2
        shown = max(0, min(rows, self.left // width - 1))     # the header row first
        self.left = max(0, self.left - width * (shown + 1))
        kept.extend(lines[start:start + 2 + shown])
        if shown < rows:
            self.left_out += rows - shown
            kept.extend(["", f"*{plural(rows - shown, 'more row')} of this table not shown*", ""])
        return end
