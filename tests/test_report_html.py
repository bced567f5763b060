"""A report as one HTML page for the reader (core: no Qt)."""
from explorer.core.model import Report, Section
from explorer.core.report_html import TABLE_CELLS, report_page


def test_report_html_anchors_every_section():
    report = Report("r", "A <b>title</b>", "/lib/r.md", (
        Section(0, "Introduction", "Some intro.", "Some intro."),
        Section(1, "One", "## 1. One\n\n| a | b |\n|---|---|\n| 1 | 2 |", "")))
    page = report_page(report)
    html = page.html
    assert page.rows_left_out == 0
    assert "<h1>A &lt;b&gt;title&lt;/b&gt;</h1>" in html
    assert '<div id="section-0"><p>Some intro.</p></div>' in html
    assert '<div id="section-1"><h2>1. One</h2>' in html and "<table>" in html


def _table(rows: int, columns: int, name: str = "v") -> str:
    header = "| " + " | ".join(f"h{c}" for c in range(columns)) + " |\n|" + "---|" * columns
    body = "".join(f"\n| " + " | ".join(f"{name}{r}.{c}" for c in range(columns)) + " |"
                   for r in range(rows))
    return header + body


def _report(*markdowns: str) -> Report:
    return Report("r", "Tables", "/lib/r.md", tuple(
        Section(n, f"S{n}", f"## {n}. S{n}\n\n{m}", "") for n, m in enumerate(markdowns, 1)))


def test_a_huge_table_is_cut_to_the_cell_budget_and_the_rest_counted():
    page = report_page(_report(_table(3000, 60)))
    shown = TABLE_CELLS // 60 - 1               # the header row takes its share
    assert page.rows_left_out == 3000 - shown
    assert f"v{shown - 1}.0" in page.html and f"v{shown}.0<" not in page.html
    assert f"{3000 - shown:,} more rows of this table not shown" in page.html


def test_the_budget_is_shared_by_the_tables_of_all_sections():
    page = report_page(_report(_table(60, 50, "a"), _table(60, 50, "b")))
    assert "a59.49" in page.html                # 61 × 50 cells: within 5,000
    assert page.rows_left_out == 60 - (TABLE_CELLS - 61 * 50) // 50 + 1
    assert page.html.count("more rows of this table not shown") == 1


def test_whole_pages_small_tables_and_code_are_not_cut():
    assert report_page(_report(_table(3000, 60)), table_cells=None).rows_left_out == 0
    small = report_page(_report(_table(3, 2)))
    assert small.rows_left_out == 0 and "not shown" not in small.html
    fenced = "```\n" + _table(3000, 60) + "\n```"
    assert report_page(_report(fenced)).rows_left_out == 0
