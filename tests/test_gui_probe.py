"""The GUI probe still drives the real window and its JSON keeps its shape (timings are not
judged: they depend on the machine and its load)."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gui_probe import OPENING, TYPING, table

PROBE = Path(__file__).with_name("gui_probe.py")
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
QUERIES = ("ethics", "data privacy")


@pytest.fixture(scope="module")
def result(tmp_path_factory) -> dict:
    library = tmp_path_factory.mktemp("library")
    for seed in SEEDS.glob("*.txt"):
        shutil.copyfile(seed, library / seed.name)
    run = subprocess.run([sys.executable, str(PROBE), "--library", str(library), "--fresh",
                          "--json", "--where", "--queries", ",".join(QUERIES), "--key-ms", "40"],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _non_negative(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def test_the_library_was_indexed_with_the_window_open(result):
    assert result["error"] is None
    assert result["reports"] == 5
    assert result["index"]["fresh"] is True and _non_negative(result["index"]["seconds"])
    assert _non_negative(result["first_paint_ms"])
    assert len(result["load_avg"]) == len(result["load_avg_end"]) == 3
    opening = result["opening"]
    for name in ("partial_states", "listed_while_indexing", "progress_signals"):
        assert _non_negative(opening[name]), name
    assert all(_non_negative(t) for t in opening["compare_ready_s"])


@pytest.mark.parametrize("phase", [OPENING, TYPING])
def test_stall_figures_per_phase(result, phase):
    figures = result["phases"][phase]
    assert figures["ticks"] > 0
    for name in ("seconds", "max_gap_ms", "p99_gap_ms", "gaps_over_50ms", "stalled_ms"):
        assert _non_negative(figures[name]), name
    assert set(result["stall_sites"][phase]) == {"gui", "others"}
    assert _non_negative(result["rss_mb"][phase])


def test_typing_figures(result):
    typing = result["typing"]
    assert typing["queries"] == len(QUERIES)
    assert typing["keys"] == sum(map(len, QUERIES))
    assert typing["searches_fired"] >= typing["searches_shown"] > 0
    assert _non_negative(typing["dropped_stale"]) and typing["unanswered"] == []
    for spread in (typing["latency_ms"], typing["display_ms"]):
        assert set(spread) == {"p50", "p95", "p99", "max"}
        assert all(_non_negative(v) for v in spread.values())


def test_the_table_says_the_same(result):
    text = table(result)
    assert "5 reports" in text
    assert f"{result['typing']['searches_shown']} shown" in text
    assert OPENING in text and TYPING in text
    assert f"{OPENING} {result['rss_mb'][OPENING]:g} MB" in text
