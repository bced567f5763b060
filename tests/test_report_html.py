"""A report as one HTML page for the reader (core: no Qt)."""
from explorer.core.model import Report, Section
from explorer.core.report_html import report_html


def test_report_html_anchors_every_section():
    report = Report("r", "A <b>title</b>", "/lib/r.md", (
        Section(0, "Introduction", "Some intro.", "Some intro."),
        Section(1, "One", "## 1. One\n\n| a | b |\n|---|---|\n| 1 | 2 |", "")))
    html = report_html(report)
    assert "<h1>A &lt;b&gt;title&lt;/b&gt;</h1>" in html
    assert '<div id="section-0"><p>Some intro.</p></div>' in html
    assert '<div id="section-1"><h2>1. One</h2>' in html and "<table>" in html
