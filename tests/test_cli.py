"""The `explorer` command line, driven through a subprocess exactly as its contract says."""
import json
import shutil

import pytest

SEED_IDS = ["000_69796a1aaad12780", "001_c37010fbd4496169", "002_147b1aca3640d2fa",
            "003_816329a17110c37e", "004_c0883d91efe67c0f"]


@pytest.fixture
def library(tmp_path, seeds):
    lib = tmp_path / "lib"
    shutil.copytree(seeds, lib, ignore=shutil.ignore_patterns("__*"))
    return lib


def as_json(result):
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def test_version(cli):
    r = cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("explorer ")


def test_index_json_then_incremental(cli, library):
    first = as_json(cli("index", "--json", "--library", str(library)))
    assert first["reports"] == 5 and first["sections"] == 50 and first["added"] == 5
    assert first["skipped"] == [] and isinstance(first["seconds"], float)
    (library / "bad.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    second = as_json(cli("index", "--json", "--library", str(library)))
    assert (second["added"], second["updated"], second["removed"]) == (0, 0, 0)
    assert [s["path"] for s in second["skipped"]] == ["bad.md"] and second["skipped"][0]["reason"]
    rebuilt = as_json(cli("index", "--rebuild", "--json", "--library", str(library)))
    assert rebuilt["added"] == 5


def test_index_human_output(cli, library):
    r = cli("index", "--library", str(library))
    assert r.returncode == 0 and "5 reports, 50 sections" in r.stdout


def test_reports_json(cli, library):
    data = as_json(cli("reports", "--json", "--library", str(library)))
    assert [r["id"] for r in data["reports"]] == SEED_IDS
    first = data["reports"][0]
    assert first["title"] == "Comprehensive Report on Recent Advancements in AI LLMs"
    assert first["path"].endswith("000_69796a1aaad12780.txt")
    assert [s["number"] for s in first["sections"]] == list(range(1, 11))
    assert first["sections"][0]["title"] == "Advancements in Multimodal Models"
    assert data["skipped"] == []


def test_search_json(cli, library):
    data = as_json(cli("search", "multimodal", "--json", "--limit", "3", "--library", str(library)))
    assert data["query"] == "multimodal" and data["total"] >= 5 and len(data["hits"]) == 3
    hit = data["hits"][0]
    assert set(hit) == {"report", "report_title", "section", "section_title", "score", "snippet"}
    assert "<mark>" in hit["snippet"].lower() or "multimodal" in hit["section_title"].lower()
    assert data["suggestion"] is None and data["notice"] is None
    only = as_json(cli("search", "multimodal", "--json", "--report", SEED_IDS[2], "--library", str(library)))
    assert {h["report"] for h in only["hits"]} == {SEED_IDS[2]}


def test_search_suggestion_and_notice(cli, library):
    data = as_json(cli("search", "multimodel", "--json", "--library", str(library)))
    assert data["suggestion"] == "multimodal"
    data = as_json(cli("search", '"sparse attention', "--json", "--library", str(library)))
    assert data["notice"] and data["hits"]


def test_search_human_output(cli, library):
    r = cli("search", "sparse attention", "--library", str(library))
    assert r.returncode == 0 and "hit(s)" in r.stdout and "[" in r.stdout


def test_show(cli, library):
    r = cli("show", SEED_IDS[0], "--section", "2", "--library", str(library))
    assert r.returncode == 0 and r.stdout.startswith("## 2. Increased Efficiency Through Sparse Training")
    whole = cli("show", SEED_IDS[0], "--library", str(library))
    assert "learners’" in whole.stdout and "â€" not in whole.stdout
    page = cli("show", SEED_IDS[0], "--html", "--library", str(library))
    assert page.returncode == 0 and "<h2>" in page.stdout and "<script" not in page.stdout


def test_default_library_is_the_bundled_seeds_then_the_last_one(cli, library):
    data = as_json(cli("reports", "--json"))
    assert [r["id"] for r in data["reports"]] == SEED_IDS
    (library / "extra.md").write_text("# Extra\n\nJust one part.\n", "utf-8")
    as_json(cli("reports", "--json", "--library", str(library)))
    data = as_json(cli("reports", "--json"))
    assert "extra" in [r["id"] for r in data["reports"]]


def test_default_index_lives_in_the_user_data_folder(library, _private_profile):
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-m", "explorer", "index", "--json", "--library", str(library)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert list((_private_profile / "data" / "report-explorer" / "indexes").iterdir())
    assert sorted(p.name for p in library.iterdir()) == sorted(SEED_IDS[i] + ".txt" for i in range(5))


def test_compare_json(cli, library):
    data = as_json(cli("compare", SEED_IDS[0], "1", "--json", "--library", str(library)))
    assert data["anchor"] == {"report": SEED_IDS[0], "section": 1,
                              "title": "Advancements in Multimodal Models"}
    assert [m["report"] for m in data["matches"]] == SEED_IDS[1:]
    # the multimodal section is 1 in 001 and 2 in the three others
    assert [m["section"] for m in data["matches"]] == [1, 2, 2, 2]
    for m in data["matches"]:
        assert "multimodal" in m["title"].lower() and 0 < m["score"] <= 1
        assert "multimodal" in m["shared_terms"]


def test_compare_limited_to_listed_reports_and_no_close_match(cli, library):
    (library / "kitchen.md").write_text(
        "# Kitchen\n\n## 1. Bread\nKnead the dough, proof it overnight and bake it in a hot oven.\n"
        "\n## 2. Soup\nSimmer onions, carrots and stock; season with salt and pepper.\n", "utf-8")
    data = as_json(cli("compare", SEED_IDS[0], "4", "--reports", f"kitchen,{SEED_IDS[2]}",
                       "--json", "--library", str(library)))
    assert [m["report"] for m in data["matches"]] == ["kitchen", SEED_IDS[2]]
    kitchen, other = data["matches"]
    assert kitchen["section"] is None and kitchen["title"] is None
    assert other["section"] == 3       # "Ethical AI and Bias Mitigation"


def test_compare_errors(cli, library):
    r = cli("compare", SEED_IDS[0], "42", "--library", str(library))
    assert r.returncode == 1 and "no section 42" in r.stderr
    r = cli("compare", SEED_IDS[0], "1", "--reports", "nope", "--library", str(library))
    assert r.returncode == 1 and "no report" in r.stderr
    r = cli("compare", SEED_IDS[0], "x", "--library", str(library))
    assert r.returncode == 2


def test_topics_json_and_table(cli, library):
    data = as_json(cli("topics", "--json", "--library", str(library)))
    topics = data["topics"]
    placed = [(s["report"], s["section"]) for t in topics for s in t["sections"]]
    assert len(placed) == len(set(placed)) == 50
    first = topics[0]
    assert len(first["sections"]) == 5 and first["label"] and first["terms"]
    assert [len(t["sections"]) for t in topics] == sorted((len(t["sections"]) for t in topics), reverse=True)
    table = cli("topics", "--library", str(library))
    assert table.returncode == 0 and first["label"] in table.stdout
    cmp_table = cli("compare", SEED_IDS[0], "1", "--library", str(library))
    assert cmp_table.returncode == 0 and "SHARED TERMS" in cmp_table.stdout
