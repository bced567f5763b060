"""Grouping reports by subject: re-runs together, other subjects apart, time order inside."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from explorer.core import groups, meaning
from explorer.core.model import Report, Section

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"

BAKING = ("Knead the dough until smooth, let it prove overnight in a cool kitchen, then bake "
          "the loaf in a hot oven with steam for a crisp crust.")
GARDEN = ("Sow tomato seeds indoors in early spring, harden the seedlings off, and plant them "
          "out after the last frost in rich, well-watered soil.")


def _report(rid: str, title: str, text: str, path: str = "", mtime: float = 0.0) -> Report:
    sections = tuple(Section(n, f"Part {n}", "", f"{text} ({n})") for n in (1, 2))
    return Report(rid, title, path or f"/lib/{rid}.md", sections, mtime=mtime)


def _vectors(reports):
    return groups.subjects(reports, [None] * len(reports),
                           lambda i: [s.text for s in reports[i].sections])


def test_reports_on_one_subject_go_together_and_others_apart():
    reports = [_report("b1", "Baking Bread at Home", BAKING, "/lib/run_20250301.md"),
               _report("g1", "A Vegetable Garden", GARDEN, "/lib/g.md", 1.7e9),
               _report("b2", "Home Bread Baking", BAKING + " Use a banneton.",
                       "/lib/run_2025-02-01.md")]
    found = groups.group_reports(reports, _vectors(reports))
    assert [g.reports for g in found] == [("b2", "b1"), ("g1",)]   # largest first, in time
    assert (found[0].first, found[0].last) == (date(2025, 2, 1), date(2025, 3, 1))
    assert found[0].label in {"Baking Bread at Home", "Home Bread Baking"}
    assert sorted(r for g in found for r in g.reports) == ["b1", "b2", "g1"]


def test_a_date_in_the_path_comes_before_the_file_time():
    assert groups.report_date("/x/report_20251106_220806.md", 0) == date(2025, 11, 6)
    assert groups.report_date("/x/2024-02-30/r.md", 86400 * 365) == date(1971, 1, 1)
    assert groups.report_date("/x/r.md", 86400 * 365) == date(1971, 1, 1)


def test_without_the_model_titles_decide(monkeypatch):
    reports = [_report("a", "Bread Baking", BAKING), _report("b", "Bread Baking Notes", GARDEN),
               _report("c", "Tomato Garden", GARDEN)]
    found = groups.group_reports(reports, None)
    assert sorted(g.reports for g in found) == [("a", "b"), ("c",)]


def test_vectors_kept_by_the_index_are_used(tmp_path):
    from explorer.core.session import LibrarySession
    library = tmp_path / "library"
    shutil.copytree(SEEDS, library)
    session = LibrarySession.open(library, tmp_path / "index")
    session.update()
    ids = [i.id for i in session.report_infos()]
    bodies = groups.stored_bodies(session.index.whoosh, ids)
    assert all(b is not None and b.shape == (meaning.DIMENSIONS,) for b in bodies)
    fresh = meaning.body_vectors(session.load(ids[0]).sections).mean(axis=0)
    assert np.abs(bodies[0] - fresh).max() < 2e-3
    session.close()


def test_cli_groups_json(tmp_path):
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-m", "explorer", "groups", "--json", "--library",
                           str(SEEDS), "--index-dir", str(tmp_path / "index")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)["groups"]
    assert [sorted(g["reports"]) for g in found] == [sorted(p.stem for p in SEEDS.glob("*.txt"))]
    assert isinstance(found[0]["label"], str) and found[0]["first"] <= found[0]["last"]
