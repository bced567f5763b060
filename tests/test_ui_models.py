"""The window's models (checked with pytest-qt's qtmodeltester) and the pieces under them."""
from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument

from explorer.core.model import Heading, Hit, ReportInfo, SearchResult, Section, Skipped
from explorer.ui.highlights import term_ranges, text_ranges
from explorer.ui.outline import OutlineModel
from explorer.ui.problems import SkippedModel
from explorer.ui.report_list import FILE_ROLE, ReportFilterProxy, ReportListModel
from explorer.ui.search_results import HIT_ROLE, SearchResultsModel
from ui_helpers import *  # noqa: F401,F403 - fixtures

INFOS = (
    ReportInfo("a/zeta", "Zeta report", "/lib/a/zeta.md", (Heading(1, "One"),), 10, 300.0, "d1"),
    ReportInfo("alpha", "alpha Notes", "/lib/alpha.txt", (Heading(0, "Intro"), Heading(1, "X")),
               20, 100.0, "d2"),
    ReportInfo("mid", "Middle", "/lib/mid.markdown", (), 30, 200.0, "d3"),
)


def _hit(report: str, section: int, title: str = "Title") -> Hit:
    return Hit(report, f"{report} title", section, title, 1.0, f"a <mark>word</mark> in {section}")


def _titles(proxy) -> list[str]:
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def test_report_list_model(qtmodeltester):
    model = ReportListModel()
    model.set_reports(INFOS)
    qtmodeltester.check(model)
    proxy = ReportFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    assert model.index(0, 0).data(FILE_ROLE) == "alpha.txt"                # sorted by title


def test_report_sort_and_filter(qtbot):
    model = ReportListModel()
    model.set_reports(INFOS)
    proxy = ReportFilterProxy()
    proxy.setSourceModel(model)
    assert _titles(proxy) == ["alpha Notes", "Middle", "Zeta report"]   # title, any case
    model.sort_by("date")
    assert _titles(proxy) == ["Zeta report", "Middle", "alpha Notes"]   # newest first
    model.sort_by("name")
    assert _titles(proxy) == ["alpha Notes", "Middle", "Zeta report"]
    assert model.row_of("mid") == 1 and model.row_of("nope") is None
    proxy.setFilterFixedString("ZETA.M")                                 # the file name
    assert _titles(proxy) == ["Zeta report"]
    proxy.setFilterFixedString("notes")                                  # the title
    assert _titles(proxy) == ["alpha Notes"]


def test_titles_sort_naturally(qtbot):
    model = ReportListModel()
    model.set_reports([ReportInfo(f"r{n}", f"Report {n}", f"/lib/r{n}.md", (), 1, 1.0, "")
                       for n in (10, 2, 1)])
    assert [model.index(r, 0).data() for r in range(3)] == ["Report 1", "Report 2", "Report 10"]


def test_outline_model(qtmodeltester):
    model = OutlineModel()
    model.set_sections((Section(0, "Introduction", "", ""), Section(1, "First", "## 1. First", ""),
                        Section(2, "Second", "## 2. Second", "")))
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(3)] == ["Introduction", "1. First", "2. Second"]
    assert model.row_of(2) == 2 and model.number_at(1) == 1


def test_search_results_model_groups_by_report(qtmodeltester):
    model = SearchResultsModel()
    hits = (_hit("r1", 3), _hit("r2", 1), _hit("r1", 5), _hit("r3", 2))
    model.set_result(SearchResult("word", 7, hits, terms=("word",)))
    qtmodeltester.check(model)
    assert model.report_count() == 3
    group = model.index(0, 0)
    assert group.data() == "r1 title"
    assert [model.index(i, 0, group).data(HIT_ROLE).section for i in range(2)] == [3, 5]
    assert model.first_hit().data(HIT_ROLE) == hits[0]
    assert model.parent(model.index(1, 0, group)) == group
    model.set_result(None)
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_skipped_model(qtmodeltester):
    model = SkippedModel()
    model.set_skipped((Skipped("bad.md", "binary file"), Skipped("big.txt", "too large")))
    qtmodeltester.check(model)
    assert model.index(1, 1).data() == "too large"
    assert model.as_text() == "bad.md\tbinary file\nbig.txt\ttoo large"


def test_highlights_match_word_forms_and_survive_emoji(qtbot):
    document = QTextDocument()
    document.setPlainText("🙂 Translating helps.\nTranslation 🙂 and GPT-5 models translate.")
    found = []
    for start, end in term_ranges(document, ("translat", "gpt")):
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        found.append(cursor.selectedText())
    assert found == ["Translating", "Translation", "GPT", "translate"]
    assert len(text_ranges(document, "TRANS")) == 3
