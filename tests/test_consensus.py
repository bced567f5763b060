"""Sentences, and the points (claims) a set of reports make with their support."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.core import consensus
from explorer.core.alignment import Aligner
from explorer.core.library import read_report
from explorer.core.sentences import sentences

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.mark.parametrize("text, expected", [
    ("Models lead. They score 85% on MMLU! Costs fell.",
     ["Models lead.", "They score 85% on MMLU!", "Costs fell."]),
    ("Tools (e.g. CLIP) help. Dr. Smith agrees with J. Doe here.",
     ["Tools (e.g. CLIP) help.", "Dr. Smith agrees with J. Doe here."]),
    ("The U.S. leads in 2024. Europe follows.", ["The U.S. leads in 2024.", "Europe follows."]),
    ("Key Features:\nMultimodal input across text and images.",
     ["Key Features: Multimodal input across text and images."]),
    ("Version 2.5 is out. It is 3.2 times faster.", ["Version 2.5 is out.", "It is 3.2 times faster."]),
    ("One line\nanother line without a stop", ["One line another line without a stop"]),
])
def test_sentences(text, expected):
    assert sentences(text) == expected


@pytest.fixture(scope="module")
def seeds():
    reports = [read_report(p, SEEDS) for p in sorted(SEEDS.glob("*.txt"))]
    return reports, consensus.points(reports, Aligner(reports))


def test_every_sentence_is_in_exactly_one_point(seeds):
    reports, found = seeds
    said = sorted((s.report, s.section, s.text) for p in found for s in p.sentences)
    expected = sorted((r.id, sec.number, t) for r in reports for sec in r.sections
                      if sec.number >= 1 for t in sentences(sec.text))
    assert said == expected


def test_a_point_has_one_sentence_per_report_and_its_support_counts_them(seeds):
    _reports, found = seeds
    for point in found:
        owners = [s.report for s in point.sentences]
        assert len(owners) == len(set(owners)) == point.support
    assert [p.support for p in found] == sorted((p.support for p in found), reverse=True)
    assert max(p.support for p in found) >= 3        # the seeds agree on some claims


def test_points_of_one_claim_said_alike(seeds):
    _reports, found = seeds
    shared = [p for p in found if p.support > 1]
    assert shared and all(p.subject and p.label for p in shared)


def test_cli_consensus_json(tmp_path):
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    ids = sorted(p.stem for p in SEEDS.glob("*.txt"))[:2]
    done = subprocess.run([sys.executable, "-m", "explorer", "consensus", "--json", "--reports",
                           ",".join(ids), "--library", str(SEEDS), "--index-dir",
                           str(tmp_path / "index")], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["reports"] == ids
    assert all({"label", "support", "subject", "sentences"} <= set(p) for p in answer["points"])
    assert {s["report"] for p in answer["points"] for s in p["sentences"]} == set(ids)
