"""What a set of reports agree on, as a file: Markdown or one standalone HTML page.

Points are grouped by their subject (topic row), most supported first as given; each
lists the sentences that make it with the report (a link to its file) and the section
(`§N`, as the reader and `explorer show` number them), so every claim leads back to where
it was written.
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from .consensus import Point
from .model import ReportInfo
from .rendering import escape

PAGE_CSS = """
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; line-height: 1.4; }
h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
.point { margin: 0.7em 0 0.2em; }
.bar { display: inline-block; width: 60px; height: 8px; border: 1px solid #5a7fb0;
       vertical-align: middle; margin-right: 0.4em; }
.bar > span { display: block; height: 100%; background: #5a7fb0; }
.support { color: #555; font-size: 0.9em; margin-right: 0.5em; }
ul.said { margin: 0.2em 0 0.6em; }
.where { color: #555; }
"""


def said_by(support: int, of: int) -> str:
    return f"said by {support} of {of}"


def by_subject(points: Sequence[Point]) -> list[tuple[str, list[Point]]]:
    """Points grouped by subject, subjects in the order their first point comes."""
    groups: dict[str, list[Point]] = {}
    for point in points:
        groups.setdefault(point.subject, []).append(point)
    return list(groups.items())


def as_markdown(reports: Sequence[ReportInfo], points: Sequence[Point], heading: str) -> str:
    infos = {r.id: r for r in reports}
    lines = [f"# {_md(heading)}", "", "Reports:", ""]
    lines += [f"- {_md_link(r)} (`{r.id}`)" for r in reports]
    for subject, group in by_subject(points):
        lines += ["", f"## {_md(subject)}", ""]
        for point in group:
            lines.append(f"- **{said_by(point.support, len(reports))}**: {_md(point.label)}")
            for s in point.sentences:
                where = _md(_where(infos[s.report], s.section))
                lines.append(f"  - {_md_link(infos[s.report])} {where}: {_md(s.text)}")
    return "\n".join(lines) + "\n"


def as_html(reports: Sequence[ReportInfo], points: Sequence[Point], heading: str) -> str:
    infos = {r.id: r for r in reports}
    body = [f"<h1>{escape(heading)}</h1><p>Reports:</p><ul>"]
    body += [f"<li>{_html_link(r)} <code>{escape(r.id)}</code></li>" for r in reports]
    body.append("</ul>")
    for subject, group in by_subject(points):
        body.append(f"<h2>{escape(subject)}</h2>")
        for point in group:
            share = 100 * point.support / max(len(reports), 1)
            body.append(f'<div class="point"><span class="bar"><span style="width:{share:.0f}%">'
                        f'</span></span><span class="support">'
                        f"{said_by(point.support, len(reports))}:</span> "
                        f"<strong>{escape(point.label)}</strong></div><ul class=\"said\">")
            body += [f'<li>{_html_link(infos[s.report])} <span class="where">'
                     f"{escape(_where(infos[s.report], s.section))}</span>: {escape(s.text)}</li>"
                     for s in point.sentences]
            body.append("</ul>")
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{escape(heading)}'
            f"</title><style>{PAGE_CSS}</style></head><body>{''.join(body)}</body></html>\n")


def _where(report: ReportInfo, section: int) -> str:
    """The section as "§3 Title": its number, and the title to find it by in any viewer."""
    title = next((h.title for h in report.headings if h.number == section), "")
    return f"§{section} {title}".rstrip()


def _md(text: str) -> str:
    """Report text as Markdown that shows it as written: markup characters escaped, one
    line (a line break would end the list item)."""
    text = " ".join(text.split())
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)


def _md_link(report: ReportInfo) -> str:
    # <…> around the address: a path with spaces or parentheses stays one link.
    return f"[{_md(report.title)}](<{Path(report.path).as_uri()}>)"


def _html_link(report: ReportInfo) -> str:
    return (f'<a href="{html.escape(Path(report.path).as_uri())}">'
            f"{escape(report.title)}</a>")
