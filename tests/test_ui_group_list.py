"""The grouped report list without the window (issue 16, groups): the library client hands
the worker's groups over; a group larger than a comparison; the dates of a group row."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from explorer.core.groups import Group
from explorer.core.model import ReportInfo
from explorer.ui.compare.view import MAX_COLUMNS
from explorer.ui.library_client import LibraryClient
from explorer.ui.report_groups import GROUP_ROLE, date_span
from explorer.ui.report_list import ID_ROLE, ReportListPane
from ui_helpers import *  # noqa: F401,F403 - fixtures and helpers
from ui_helpers import WAIT_MS


# Three runs of a crew on sourdough, two on vegetable gardens (worded differently each
# time), one on its own. File times run against the dates in the names: the names decide.
REPORTS = {
    "run_2025-03-01.md": """# Sourdough Bread Baking
## 1. Starter
A sourdough starter is a culture of wild yeast and lactic acid bacteria kept alive with flour
and water. Feed it daily at room temperature until it doubles within six hours.
## 2. Dough and fermentation
Mix flour, water and salt with the levain, rest the dough for autolyse, then stretch and fold
every half hour during bulk fermentation.
## 3. Baking
Bake the loaf in a preheated Dutch oven at 250 °C with the lid on for twenty minutes to keep
the steam, then uncovered until the crust is deep brown.""",
    "run_2025-03-15.md": """# Baking Sourdough Bread at Home
## 1. The levain
Keep your starter of wild yeast healthy by feeding it flour and water each day; it is ready
when it has doubled and smells pleasantly sour.
## 2. Bulk fermentation
Combine the flour, water, salt and levain. During bulk fermentation give the dough a set of
stretch and folds every thirty minutes so gluten develops.
## 3. Oven
A covered Dutch oven traps steam for an open crumb and good oven spring; remove the lid after
twenty minutes so the crust browns.""",
    "run_2025-04-09.md": """# Bread Baking with Sourdough
## 1. Culture
The sourdough culture needs regular feedings of flour and water. Use it at its peak, when it
has risen and is full of bubbles.
## 2. Shaping the dough
After bulk fermentation, pre-shape the dough into a round, let it rest, then shape the loaf
tightly and proof it in a banneton overnight in the fridge.
## 3. Bake
Score the loaf and bake it hot, with steam at first, until the crust crackles and the bread
sounds hollow when tapped.""",
    "garden_2025-05-02.md": """# Planning a Vegetable Garden
## 1. Site and soil
Choose a sunny spot with at least six hours of sun. Vegetables grow best in loose soil rich in
compost, with good drainage.
## 2. What to plant
Tomatoes, beans, lettuce and zucchini are easy for beginners. Sow lettuce and radishes early
in spring, plant tomatoes after the last frost.
## 3. Watering and pests
Water deeply in the morning, mulch the beds to keep moisture, and watch for slugs and aphids
on young plants.""",
    "garden_2025-06-20.md": """# Growing Vegetables in a Home Garden
## 1. Beds and compost
Raised beds filled with compost warm up early and drain well; put them where the vegetables
get full sun.
## 2. Crops
Start with productive crops such as tomatoes, bush beans, salad greens and squash; sow the
greens in early spring and set out tomatoes once frost has passed.
## 3. Care
Mulch keeps the soil moist; water at the base of the plants in the morning and pick off slugs
and aphids by hand.""",
    "tax_2025-02-10.md": """# Filing a Tax Return as a Freelancer
## 1. Records
Keep every invoice and receipt; deductible expenses lower the taxable income.
## 2. Deadlines
Quarterly estimated payments avoid penalties at the end of the fiscal year.""",
}
BREAD = ["run_2025-03-01", "run_2025-03-15", "run_2025-04-09"]
GARDEN = ["garden_2025-05-02", "garden_2025-06-20"]


def write_library(folder: Path) -> Path:
    folder.mkdir()
    for n, (name, text) in enumerate(REPORTS.items()):
        path = folder / name
        path.write_text(text, "utf-8")
        os.utime(path, (2_000_000_000 - n * 86_400,) * 2)
    return folder


def top_rows(pane: ReportListPane) -> list[tuple[tuple | None, str | None]]:
    """Each top-level row of the grouped view: (its group's report ids, its report id)."""
    proxy = pane.group_proxy
    return [(proxy.index(r, 0).data(GROUP_ROLE), proxy.index(r, 0).data(ID_ROLE))
            for r in range(proxy.rowCount())]


def test_the_client_hands_over_the_groups_the_worker_found(qtbot, tmp_path):
    client = LibraryClient()
    try:
        with qtbot.waitSignal(client.groups_changed, timeout=WAIT_MS) as blocker:
            client.open(str(write_library(tmp_path / "runs")), str(tmp_path / "index"))
        found = {g.reports: (g.first, g.last) for g in blocker.args[0]}
        assert found[tuple(BREAD)] == (date(2025, 3, 1), date(2025, 4, 9))
        assert found[tuple(GARDEN)] == (date(2025, 5, 2), date(2025, 6, 20))
        assert found[("tax_2025-02-10",)] == (date(2025, 2, 10),) * 2
    finally:
        client.shutdown()


def test_a_group_larger_than_a_comparison_compares_its_latest_runs(qtbot, qtmodeltester):
    pane = ReportListPane()
    qtbot.addWidget(pane)
    pane.compare_requested.connect(lambda ids: None)              # the window would open them
    ids = [f"run{n:02d}" for n in range(MAX_COLUMNS + 2)]
    pane.set_reports(tuple(ReportInfo(i, "Same crew", f"/lib/{i}.md", (), 1, 1.0, "")
                           for i in ids))
    pane.set_groups([Group("Same crew", tuple(ids), date(2025, 3, 3), date(2025, 4, 9)),
                     Group("Alone", ("run00",), None, None)])      # a stale group: ignored
    pane.set_grouped(True)
    qtmodeltester.check(pane.group_model)
    assert top_rows(pane) == [(tuple(ids), None)]
    menu = pane.context_menu(pane.group_proxy.index(0, 0))
    action = next(a for a in menu.actions() if a.text().startswith("Compare This Group"))
    assert action.text() == f"Compare This Group (Latest {MAX_COLUMNS} of {len(ids)})"
    with qtbot.waitSignal(pane.compare_requested) as blocker:
        action.trigger()
    assert blocker.args == [ids[-MAX_COLUMNS:]]


def test_date_spans():
    assert date_span(date(2025, 3, 3), date(2025, 4, 9)) == "3 Mar–9 Apr 2025"
    assert date_span(date(2025, 3, 3), date(2025, 3, 3)) == "3 Mar 2025"
    assert date_span(date(2024, 12, 30), date(2025, 1, 2)) == "30 Dec 2024–2 Jan 2025"
    assert date_span(None, None) == ""
