"""The comparison's rows, marked words and cell HTML, built in the core (no Qt) from the seed
reports; and the command line's counterparts, which must be the window's rows."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from explorer.core import comparison_html
from explorer.core.alignment import Aligner
from explorer.core.analysis import terms
from explorer.core.comparison import CompareRequest
from explorer.core.comparison_builder import ComparisonBuilder
from explorer.core.errors import UserError
from explorer.core.library import read_report
from explorer.core.model import Section
from explorer.core.row_terms import TermSpace
from explorer.core.session import LibrarySession

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


def test_a_chosen_section_leaves_the_row_the_aligner_gave_it(builder):
    before = builder.build(CompareRequest((A, B, C, D, E)))
    c5 = before.row_containing(C, 5)
    assert c5 is not None and c5 != before.row_containing(A, 1)
    after = builder.build(CompareRequest((A, B, C, D, E), overrides=(((A, 1, C), 5),)))
    cells = [(c.report, c.section) for row in after.rows for c in row.cells if c.section]
    assert len(cells) == len(set(cells))             # every section in one row at most
    assert after.row_containing(C, 5) == after.row_containing(A, 1)
    assert all(row.cells for row in after.rows)
    assert all(any(c.section is not None for c in row.cells) for row in after.rows)


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


def _with_an_edited_copy_of_a():
    """The seeds and a copy of A whose multimodal section has a word changed and a sentence
    added."""
    reports = [read_report(p, SEEDS) for p in sorted(SEEDS.glob("*.txt"))]
    a = reports[0]
    first = a.sections[0]
    edited = first.text.replace("significant", "huge", 1) + " Costs fall fast."
    copy = type(a)("zz_copy", a.title, "/elsewhere/copy.md", (
        Section(first.number, first.title, first.markdown, edited), *a.sections[1:]))
    return ComparisonBuilder(str(SEEDS), [*reports, copy], Aligner([*reports, copy]))


def test_two_mostly_alike_sections_get_a_word_diff_with_each_sides_own_words():
    row = _with_an_edited_copy_of_a().build(CompareRequest((A, "zz_copy"))).rows[0]
    left, right = (c.diff_html for c in row.cells)
    assert '<span class="only-right">Costs fall fast.</span>' in right and "Costs" not in left
    assert "huge" in right and "significant" in left and "huge" not in left
    assert "only-right" not in left and row.diff_note == ""
    assert "multimod" in row.diff_shared_terms


def test_reworded_sections_say_so_instead_of_a_word_diff(builder):
    row = builder.build(CompareRequest((A, C))).rows[0]
    assert [c.diff_html for c in row.cells] == ["", ""]
    assert row.diff_note.startswith("Worded differently") and "multimod" in row.diff_shared_terms
    assert builder.build(CompareRequest((A, B, C))).rows[0].diff_note == ""     # 3 columns


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
    assert comparison_html.body_markdown(section).strip() == "Body text."


def test_an_introduction_without_heading_keeps_its_first_line():
    section = Section(0, "Introduction", "First line.\n\nMore.", "First line. More.")
    assert comparison_html.body_markdown(section) == section.markdown


# -- the command line shows the window's rows ------------------------------------------
@pytest.fixture
def index_dir(tmp_path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def window_builder(index_dir):
    """The builder as the window's worker makes it: over a session on the command's index."""
    session = LibrarySession.open(SEEDS, index_dir)
    session.update()
    yield ComparisonBuilder.of(session)
    session.close()


@pytest.mark.parametrize("others", [None, [E, C]])
def test_explorer_compare_prints_the_sections_row_with_its_report_pinned(cli, index_dir,
                                                                         window_builder, others):
    chosen = ["--reports", ",".join(others)] if others else []
    result = cli("compare", A, "1", *chosen, "--json", "--library", str(SEEDS), index_dir=index_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)

    ids = (A, *(others or (B, C, D, E)))
    window = window_builder.build(CompareRequest(ids, reference=A))
    row = window.rows[window.row_containing(A, 1)]
    anchor, *cells = row.cells
    assert data["anchor"] == {"report": A, "section": 1, "title": anchor.title}
    assert [(m["report"], m["section"], m["title"], m["score"]) for m in data["matches"]] == \
        [(c.report, c.section, c.title, c.score) for c in cells]
    for match, cell in zip(data["matches"], cells):
        # The words the window marks as shared in both cells, as written.
        both = {t for t in row.shared_terms if t in uses(anchor) and t in uses(cell)}
        assert both and len(match["shared_terms"]) == len(both)
        assert comparison_html.stems_of(match["shared_terms"]) >= both
    _, matches = window_builder.counterparts(A, 1, others)
    assert data["matches"] == [asdict(m) | {"shared_terms": list(m.shared_terms)} for m in matches]


def test_explorer_topics_prints_the_windows_topic_map(cli, index_dir, window_builder):
    result = cli("topics", "--json", "--library", str(SEEDS), index_dir=index_dir)
    assert result.returncode == 0, result.stderr
    topics = json.loads(result.stdout)["topics"]
    shown = [(t["label"], t["terms"], [(s["report"], s["section"]) for s in t["sections"]])
             for t in topics]
    assert shown == [(t.label, list(t.terms), [(s.report, s.section) for s in t.sections])
                     for t in window_builder.topic_map().topics]


def test_counterparts_of_a_section_that_is_not_there_say_so(builder):
    with pytest.raises(UserError, match="has no section 42"):
        builder.counterparts(A, 42)
    with pytest.raises(UserError, match="no report with id 'nope'"):
        builder.counterparts(A, 1, ["nope"])


def uses(cell) -> set[str]:
    """The stems a cell's section uses, in its title or body."""
    report = read_report(SEEDS / f"{cell.report}.txt", SEEDS)
    section = report.section(cell.section)
    return set(terms(section.title)) | set(terms(section.text))


def test_filler_words_spread_over_every_subject_are_not_common_ground():
    from explorer.core.model import Report
    subjects = {1: "quantum qubits entanglement", 2: "coral reefs bleaching",
                3: "jazz improvisation saxophone"}
    # "including" in two of the quantum sections, and in three others: everywhere a bit.
    filler = {("r0", 1), ("r1", 1), ("r2", 2), ("r3", 3), ("r0", 2)}

    def text(rid: str, k: int) -> str:
        extra = " including" if (rid, k) in filler else ""
        return f"Notes on {subjects[k]}{extra}, {subjects[k]}."
    reports = [Report(f"r{n}", f"R{n}", f"/lib/r{n}.md", tuple(
        Section(k, f"S{k}", "", text(f"r{n}", k)) for k in subjects)) for n in range(4)]
    shared, _unique = TermSpace(reports).row_terms([(f"r{n}", 1) for n in range(4)])
    assert {"quantum", "qubit"} <= shared and "includ" not in shared
