"""The benchmark script still runs and its JSON keeps its shape (timings are not judged)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).with_name("benchmark.py")
FIGURES = {"build_s", "size_mb", "open_s", "add_one_ms", "rss_mb"}
PERCENTILES = {"p50", "p95", "p99"}

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="memory is read from /proc and getrusage in KiB (Linux)")


@pytest.fixture(scope="module")
def result() -> dict:
    run = subprocess.run([sys.executable, str(BENCHMARK), "--reports", "20", "--queries", "16",
                          "--quick", "--typing", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _positive(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def test_corpus_and_machine(result):
    assert result["reports"] == 20
    assert result["sections"] == 200        # ten sections a report, as generated
    assert _positive(result["cores"])
    assert len(result["load_avg"]) == 3
    assert isinstance(result["python"], str)


@pytest.mark.parametrize("engine", ["whoosh", "fts5"])
def test_engine_figures(result, engine):
    figures = result["engines"][engine]
    for key in FIGURES:
        assert _positive(figures[key]), key
    for key in ("search_ms", "search_snippets_ms"):
        assert set(figures[key]) == PERCENTILES
        assert all(_positive(v) for v in figures[key].values())
        assert figures[key]["p50"] <= figures[key]["p95"] <= figures[key]["p99"]


def test_ratios_cover_every_figure(result):
    ratios = result["ratios"]
    for key in FIGURES:
        assert _positive(ratios[key]), key
    assert set(ratios["search_snippets_ms"]) == PERCENTILES


def test_typing_and_topic_map(result):
    assert set(result["typing_ms"]) >= PERCENTILES | {"max"}
    assert all(_positive(result["typing_ms"][k]) for k in PERCENTILES | {"max"})
    topics = result["topic_map_s"]
    assert topics is None or all(_positive(s) for s in topics.values())


def test_meaning_vectors_cost(result):
    cost = result["meaning_vectors"]
    assert _positive(cost["build_s_without"]) and _positive(cost["size_mb_without"])
    assert isinstance(cost["added_to_build"], float)
    assert {"embed", "words_20", "20"} <= set(result["topic_map_s"])


def test_groups_figure(result):
    assert _positive(result["groups"]["seconds"]) and result["groups"]["reports"] == 20
    assert 1 <= result["groups"]["groups"] <= 20
