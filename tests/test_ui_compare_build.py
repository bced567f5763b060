"""The comparison's rows, marks and HTML, built without Qt from the seed reports."""
from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.alignment import Aligner
from explorer.core.library import read_report
from explorer.core.model import Section
from explorer.ui.compare import markup
from explorer.ui.compare.build import ComparisonBuilder, TermSpace
from explorer.ui.compare.data import CompareRequest

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
A, B, C, D, E = (p.stem for p in sorted(SEEDS.glob("*.txt")))
MULTIMODAL = [(A, 1), (B, 1), (C, 2), (D, 2), (E, 2)]


@pytest.fixture(scope="module")
def builder() -> ComparisonBuilder:
    reports = [read_report(p, SEEDS) for p in sorted(SEEDS.glob("*.txt"))]
    return ComparisonBuilder(str(SEEDS), reports, Aligner(reports))


def sections_of(row) -> list[tuple[str, int | None]]:
    return [(c.report, c.section) for c in row.cells]


def test_topic_rows_put_the_multimodal_sections_in_one_row(builder):
    comparison = builder.build(CompareRequest((A, B, C, D, E)))
    row = comparison.rows[comparison.row_containing(A, 1)]
    assert sections_of(row) == MULTIMODAL
    spans = [sum(c.section is not None for c in r.cells) for r in comparison.rows]
    assert spans == sorted(spans, reverse=True), "rows most reports share come first"
    covered = {(c.report, c.section) for r in comparison.rows for c in r.cells if c.section}
    assert len(covered) == 50, "every section of the five reports is in a row"


def test_a_pinned_reference_gives_its_sections_in_order_with_counterparts(builder):
    comparison = builder.build(CompareRequest((C, A, E), reference=C, focus=(C, 2)))
    assert [r.anchor for r in comparison.rows] == [(C, n) for n in range(1, 11)]
    assert comparison.focus == 1
    assert sections_of(comparison.rows[1]) == [(C, 2), (A, 1), (E, 2)]
    assert comparison.rows[1].cells[0].origin == "reference"
    assert all(c.score is not None for c in comparison.rows[1].cells[1:])


def test_a_section_alone_gets_the_reports_that_have_a_counterpart(builder):
    comparison = builder.build(CompareRequest((), reference=A, focus=(A, 1)))
    assert comparison.report_ids == (A, B, C, D, E)
    matched = [m.report for m in builder.aligner.counterparts(A, 10) if m.section is not None]
    comparison = builder.build(CompareRequest((), reference=A, focus=(A, 10)))
    assert comparison.report_ids == (A, *matched) and len(matched) < 4


def test_an_override_replaces_the_aligners_choice_for_that_row_and_report(builder):
    overrides = (((A, 1, C), 5), ((A, 1, B), None))
    comparison = builder.build(CompareRequest((A, B, C), overrides=overrides))
    row = comparison.rows[comparison.row_containing(A, 1)]
    assert sections_of(row) == [(A, 1), (B, None), (C, 5)]
    assert [c.origin for c in row.cells] == ["auto", "user", "user"]


def test_gone_reports_are_dropped_with_a_notice(builder):
    comparison = builder.build(CompareRequest((A, "gone/report")))
    assert comparison.report_ids == (A,)
    assert "gone/report" in comparison.notice


def test_shared_terms_are_common_ground_and_unique_terms_one_reports_own(builder):
    row = builder.build(CompareRequest((A, B, C, D, E))).rows[0]
    assert {"multimod", "audio", "imag", "text"} <= row.shared_terms
    for cell in row.cells:
        assert not cell.unique_terms & row.shared_terms
    assert "clip" in row.cell_of(C).unique_terms      # only C names CLIP


def test_two_columns_get_a_word_diff_with_each_sides_own_words(builder):
    row = builder.build(CompareRequest((A, C))).rows[0]
    left, right = (c.diff_html for c in row.cells)
    assert 'class="only-left"' in left and "only-right" not in left
    assert 'class="only-right"' in right and "CLIP" in right and "CLIP" not in left
    assert "multimod" in row.diff_shared_terms
    assert builder.build(CompareRequest((A, B, C))).rows[0].cells[0].diff_html == ""


def test_a_section_alone_in_its_row_has_nothing_marked():
    report = read_report(SEEDS / f"{A}.txt", SEEDS)
    assert TermSpace([report]).row_terms([(A, 1)]) == (frozenset(), [frozenset()])


@pytest.mark.parametrize("markdown", [
    "## 1. Multimodal Models\n\nBody text.",
    "Multimodal Models\n-----------------\n\nBody text.",
    "**1. Multimodal Models**\n\nBody text.",
])
def test_the_cell_body_drops_the_heading_however_it_was_written(markdown):
    section = Section(1, "Multimodal Models", markdown, "Body text.")
    assert markup.body_markdown(section).strip() == "Body text."


def test_an_introduction_without_heading_keeps_its_first_line():
    section = Section(0, "Introduction", "First line.\n\nMore.", "First line. More.")
    assert markup.body_markdown(section) == section.markdown


def test_words_are_marked_by_stem_in_text_never_inside_tags():
    html = '<p><a href="multimodal.html" title="multimodal">Multimodal</a> models &amp; images</p>'
    marked = markup.mark_words(html, [(markup.SEARCH, frozenset({"imag"})),
                                      (markup.SHARED, frozenset({"multimod", "imag"}))])
    assert marked == ('<p><a href="multimodal.html" title="multimodal">'
                      '<span class="shared">Multimodal</span></a> models &amp; '
                      '<span class="search">images</span></p>')
    assert markup.mark_words(html, [(markup.SHARED, frozenset())]) == html
