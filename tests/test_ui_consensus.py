"""The consensus view (issue 16) on a copy of the seeds, driven through its public surface
with a comparison worker of its own: filled by the worker, points by support with their
bar's words, the filters, a sentence asking for the reader, the HTML and Markdown exports.
(Its place in the window: test_ui_consensus_wiring.py.)"""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QFileDialog

from explorer.core import consensus as core_consensus
from explorer.core.consensus import Point, Sentence
from explorer.core.model import ReportInfo
from explorer.ui.compare import ConsensusView
from explorer.ui.compare.consensus import (SECTION_ROLE, SUPPORT_ROLE, WORKING,
                                           ConsensusModel)
from explorer.ui.compare.worker import Consensus
from explorer.ui.settings import Settings
from ui_helpers import *  # noqa: F401,F403 - fixtures and helpers
from ui_helpers import SEEDS, WAIT_MS

A, B, C, D, E = (p.stem for p in sorted(SEEDS.glob("*.txt")))
ALL, EVERY_REPORT, ONE_REPORT = range(3)       # the filter's choices


@pytest.fixture
def client(qtbot, library, tmp_path):
    with compare_client(qtbot, library, tmp_path / "index", WAIT_MS) as started:
        yield started


@pytest.fixture
def make_view(qtbot, client):
    def make(ids: list[str] | None = None, wait: bool = True) -> ConsensusView:
        view = ConsensusView(client, Settings())
        qtbot.addWidget(view)
        view.resize(1200, 700)
        view.show()
        qtbot.waitExposed(view)
        view.show_reports(ids)
        if wait:
            answered(qtbot, view)
        return view
    return make


def answered(qtbot, view: ConsensusView) -> ConsensusView:
    qtbot.waitUntil(lambda: view.stack.currentWidget() is view.tree, timeout=WAIT_MS)
    return view


def _shown(view: ConsensusView) -> list[tuple[str, list[QModelIndex]]]:
    """(subject, its point rows) as the tree shows them."""
    proxy = view.proxy
    subjects = (proxy.index(r, 0) for r in range(proxy.rowCount()))
    return [(s.siblingAtColumn(1).data(), [proxy.index(p, 0, s) for p in range(proxy.rowCount(s))])
            for s in subjects]


def _messages(view: ConsensusView) -> list[str]:
    said: list[str] = []
    view.status_message.connect(said.append)
    return said


def test_the_view_shows_the_seeds_points_by_subject_most_supported_first(qtbot, make_view):
    view = make_view(wait=False)
    assert view.stack.currentWidget() is view.message_label
    assert view.message_label.text() == WORKING
    answered(qtbot, view)
    assert view.report_ids is None and view.model.report_count == 5
    points = view.model.consensus.points
    assert {s.report for p in points for s in p.sentences} == {A, B, C, D, E}
    shown = _shown(view)
    assert sum(len(rows) for _, rows in shown) == len(points)
    assert all(view.tree.isExpanded(view.proxy.index(r, 0)) for r in range(len(shown)))
    assert not view.tree.isExpanded(shown[0][1][0])
    assert len({subject for subject, _ in shown}) == len(shown)
    for subject, rows in shown:
        supports = [row.data(SUPPORT_ROLE)[0] for row in rows]
        assert supports == sorted(supports, reverse=True)
        for row in rows:
            support, of = row.data(SUPPORT_ROLE)
            assert of == 5 and row.data() == f"said by {support} of 5"
            assert view.proxy.rowCount(row) == support
    # The subject most agreed on comes first: the seeds' multimodal claim, four reports.
    subject, rows = shown[0]
    assert subject == "Multimodal Capabilities" and rows[0].data() == "said by 4 of 5"
    assert rows[0].siblingAtColumn(1).data().startswith("Multimodal learning")
    assert view.summary_label.text() == f"5 reports · {len(points)} points"
    # Not asked again for the same reports.
    ticket = view._ticket
    view.show_reports(None)
    assert view._ticket == ticket


def test_points_are_found_on_the_worker_thread(make_view, monkeypatch):
    threads = []
    found = core_consensus.points

    def recording(*args):
        threads.append(threading.current_thread())
        return found(*args)
    monkeypatch.setattr(core_consensus, "points", recording)
    make_view()
    assert threads and threading.main_thread() not in threads


def test_the_filters_keep_the_points_said_by_all_or_by_one_report_only(qtbot, make_view):
    view = make_view()
    points = view.model.consensus.points
    view.filter_box.setCurrentIndex(ONE_REPORT)
    alone = [row for _, rows in _shown(view) for row in rows]
    assert len(alone) == sum(p.support == 1 for p in points) > 0
    assert all(row.data() == "said by 1 of 5" for row in alone)
    assert all(rows for _, rows in _shown(view))           # no subject left without a point
    assert view.summary_label.text() == f"5 reports · {len(alone)} of {len(points)} points"
    view.filter_box.setCurrentIndex(EVERY_REPORT)           # no seed claim is in all five
    assert _shown(view) == []
    view.filter_box.setCurrentIndex(ALL)
    assert sum(len(rows) for _, rows in _shown(view)) == len(points)

    # Two reports: their points, and those both make.
    view.show_reports([C, A])
    answered(qtbot, view)
    assert view.model.report_count == 2
    assert [r.id for r in view.model.consensus.reports] == [C, A]
    view.filter_box.setCurrentIndex(EVERY_REPORT)
    both = [row for _, rows in _shown(view) for row in rows]
    assert both and all(row.data() == "said by 2 of 2" for row in both)
    for row in both:
        reports = {view.proxy.index(i, 0, row).data(SECTION_ROLE)[0] for i in range(2)}
        assert reports == {A, C}


def test_clicking_a_sentence_or_enter_on_it_asks_for_the_reader_there(qtbot, make_view):
    view = make_view()
    asked = []
    view.open_in_reader.connect(lambda report, section: asked.append((report, section)))
    _, rows = _shown(view)[0]
    view.tree.expand(rows[0])
    sentence = view.proxy.index(2, 1, rows[0])
    report, section = sentence.data(SECTION_ROLE)
    assert sentence.siblingAtColumn(0).data().endswith(f"§{section}")
    view.tree.scrollTo(sentence)
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.tree.visualRect(sentence).center())
    assert asked == [(report, section)]
    # A point is no sentence: Enter folds or unfolds it, as in any tree.
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.tree.visualRect(rows[1].siblingAtColumn(1)).center())
    view.tree.setCurrentIndex(rows[1])
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert asked == [(report, section)]
    other = view.proxy.index(0, 1, rows[0])
    view.tree.setCurrentIndex(other)
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert asked == [(report, section), other.data(SECTION_ROLE)]


@pytest.mark.parametrize("action, suffix", [("export_html_action", ".html"),
                                            ("export_markdown_action", ".md")])
def test_export_lists_each_point_with_its_reports_and_sections(make_view, tmp_path,
                                                               monkeypatch, action, suffix):
    target = tmp_path / "out" / "points"
    target.parent.mkdir()
    asked = []

    def choose(parent, caption, start, filters):
        asked.append(start)
        return str(target), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    view = make_view()
    said_so = _messages(view)
    view.filter_box.setCurrentIndex(ONE_REPORT)
    getattr(view, action).trigger()
    written = Path(f"{target}{suffix}")
    text = written.read_text(encoding="utf-8")
    assert Path(asked[0]).parent == Path.home()
    assert Settings().value("compare/export_dir") == str(target.parent)
    assert said_so == [f"Exported the points to {written}"]
    assert "What 5 reports agree on (said by one report only)" in text
    assert "said by 1 of 5" in text and "said by 4 of 5" not in text
    infos = {r.id: r for r in view.model.consensus.reports}
    point = next(p for p in view.model.consensus.points if p.support == 1)
    said = point.sentences[0]
    link = Path(infos[said.report].path).as_uri()
    heading = next(h.title for h in infos[said.report].headings if h.number == said.section)
    if suffix == ".md":
        assert f"[{infos[said.report].title}](<{link}>) §{said.section} {heading}: " in text
        assert text.count("\n  - ") == sum(p.support == 1 for p in view.model.consensus.points)
    else:
        assert f'<a href="{link}">{infos[said.report].title}</a>' in text
        assert f'<span class="where">§{said.section} {heading}</span>' in text
    # The next export starts in the folder just used.
    getattr(view, action).trigger()
    assert Path(asked[1]).parent == target.parent


def test_the_model_is_a_sound_tree(qtmodeltester):
    info = ReportInfo("r1", "One", "/tmp/one.md", (), 1, 0.0, "x")
    other = ReportInfo("r2", "Two <b>", "/tmp/two.md", (), 1, 0.0, "y")
    points = (Point("Costs fell.", 2, "Costs", (Sentence("r1", 1, "Costs fell."),
                                                 Sentence("r2", 3, "Costs fell a lot."))),
              Point("Models lead.", 1, "Models", (Sentence("r2", 2, "Models lead."),)),
              Point("Prices rose.", 1, "Costs", (Sentence("r1", 1, "Prices rose."),)))
    model = ConsensusModel()
    model.set_consensus(Consensus((info, other), points))
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    costs = model.index(0, 0)
    assert [model.index(r, 1, costs).data() for r in range(2)] == ["Costs fell.", "Prices rose."]
    assert model.index(0, 0, model.index(0, 0, costs)).data() == "One §1"


def test_only_the_answer_to_the_latest_request_is_shown(make_view, client):
    view = make_view()
    said_so = _messages(view)
    shown = view.model.consensus
    client.agreed.emit(view._ticket + 100, Consensus((), ()))     # another view's, or older
    assert view.model.consensus is shown
    client.failed.emit(view._ticket + 100, "not ours")
    assert view.stack.currentWidget() is view.tree
    client.failed.emit(view._ticket, "The library is gone")
    assert view.stack.currentWidget() is view.message_label
    assert view.message_label.text() == "The library is gone"
    assert said_so == ["The library is gone"]
