"""Search: the syntax people know, ranking, snippets, did-you-mean (fuzzing: test_query_fuzz.py)."""
import re

import pytest

from explorer.core.index import ReportIndex
from explorer.core.search import Searcher

EXTRA = {
    "gadgets.md": "# Gadgets\n\n## 1. Devices\nThe IoT hub talks to DALL-E and GPT-5 style tools. "
                  "Cheap <b>sensors</b> & actuators.\n\n## 2. Ethics on edge\nNothing else here.\n",
    "kitchen.md": "# Kitchen notes\n\n## 1. Baking bread\nKnead the dough, let it rise, bake it hot. "
                  "Multimodal is not a word bakers use.\n",
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    from conftest import SEEDS, searcher_over
    seeds = {f.name: f.read_text("utf-8") for f in SEEDS.glob("*.txt")}
    with searcher_over(tmp_path_factory, seeds | EXTRA) as searcher:
        yield searcher


def found(searcher, query, **kw):
    return {(h.report, h.section) for h in searcher.search(query, limit=100, **kw).hits}


def reports(searcher, query, **kw):
    return {r for r, _ in found(searcher, query, **kw)}


def test_stemming_finds_other_forms(searcher):
    assert found(searcher, "translating") and found(searcher, "translating") == found(searcher, "translation")
    assert ("000_69796a1aaad12780", 2) in found(searcher, "footprint")   # the text says "footprints"


def test_all_words_must_match(searcher):
    both = found(searcher, "sparse energy")
    assert both and both <= found(searcher, "sparse") & found(searcher, "energy")


def test_phrase(searcher):
    phrase = reports(searcher, '"sparse attention"')
    assert phrase == {"001_c37010fbd4496169", "003_816329a17110c37e"}
    assert found(searcher, '"attention sparse"') == set()


@pytest.mark.parametrize("token", ["GPT-5", "DALL-E", "IoT", "gpt-5", "iot"])
def test_compound_tokens_are_findable_as_typed(searcher, token):
    assert ("gadgets", 1) in found(searcher, token)


def test_or_not_minus(searcher):
    dough, zebra = found(searcher, "dough"), found(searcher, "sensors")
    assert found(searcher, "dough OR sensors") == dough | zebra
    ethics = found(searcher, "ethics")
    assert ("gadgets", 2) in ethics
    assert found(searcher, "ethics NOT nothing") == ethics - {("gadgets", 2)}
    assert found(searcher, "ethics -nothing") == ethics - {("gadgets", 2)}
    assert found(searcher, "+ethics") == ethics


def test_prefix_and_fuzzy(searcher):
    assert found(searcher, "multimod*") >= found(searcher, "multimodal")
    assert found(searcher, "multimodl~") == found(searcher, "multimodal")
    assert found(searcher, "efficency~2") == found(searcher, "efficiency")
    assert found(searcher, "multimodal~") == found(searcher, "multimodal")


def test_title_and_report_fields(searcher):
    in_titles = found(searcher, "title:multimodal")
    assert len(in_titles) == 5 and all(r != "kitchen" for r, _ in in_titles)
    assert reports(searcher, "multimodal report:kitchen") == {"kitchen"}
    assert reports(searcher, "multimodal", report="kitchen") == {"kitchen"}


def test_title_matches_rank_first(searcher):
    result = searcher.search("multimodal", limit=5)
    assert all("multimodal" in h.section_title.lower() for h in result.hits)
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)


def test_hit_fields_and_snippet(searcher):
    result = searcher.search("sensors", limit=5, report="gadgets")
    assert result.total == 1
    hit = result.hits[0]
    assert (hit.report, hit.report_title, hit.section, hit.section_title) == ("gadgets", "Gadgets", 1, "Devices")
    assert "<mark>sensors</mark>" in hit.snippet
    # the stored text is plain (markup stripped by the parser) and the rest is escaped
    assert "&amp;" in hit.snippet and "<b>" not in hit.snippet
    assert "stem" not in result.terms and "sensor" in result.terms


def test_limit_and_total(searcher):
    result = searcher.search("ai", limit=3)
    assert len(result.hits) == 3 and result.total > 3


def test_did_you_mean(searcher):
    result = searcher.search("multimodel")
    assert result.suggestion == "multimodal"
    assert searcher.search("multimodal").suggestion is None
    assert searcher.search("multimodel ethics").suggestion == "multimodal ethics"


@pytest.mark.parametrize("query, says", [
    ('"unclosed', "quote"), ("(", "bracket"), ("AND", "operator"), ("title:", "title:"),
    ("*", "*"), ("a AND AND b", "operator"), ("x" * 10_000, "too long"), ("\U0001F600", "nothing"),
    ("multimodal )", "bracket"), ("OR ethics", "operator"),
])
def test_broken_queries_answer_with_a_notice(searcher, query, says):
    result = searcher.search(query)
    assert result.notice and says in result.notice.lower()
    assert isinstance(result.total, int)


def test_partly_understood_query_still_searches(searcher):
    result = searcher.search('"sparse attention')
    assert result.notice and result.hits


def test_live_search_treats_the_last_word_as_a_prefix(searcher):
    assert searcher.search("multim", live=True).hits
    assert not searcher.search("multim").hits
    assert "multimod" in searcher.search("mul", live=True).terms   # short ones too
    typed = searcher.search("ethical multim", live=True)
    assert typed.hits and set(typed.terms) >= {"ethic", "multimod"}
    assert searcher.search("multimodal ", live=True).total == searcher.search("multimodal").total


def test_a_word_being_typed_is_never_corrected_to_its_own_start(searcher):
    for typed in ("eth", "et", "mu", "reg"):
        result = searcher.search(typed, live=True)
        assert result.total and result.suggestion is None, typed
    for typed in ("eth", "rege"):                   # searched as whole words: no match
        suggestion = searcher.search(typed).suggestion
        assert suggestion is None or (len(suggestion) > 1 and not typed.startswith(suggestion))


def test_live_search_closes_a_phrase_being_typed(searcher):
    result = searcher.search('"sparse attention', live=True)
    assert result.notice is None and result.hits
    assert {h.report for h in result.hits} == {"001_c37010fbd4496169", "003_816329a17110c37e"}


def test_repeated_queries_come_from_the_cache_until_the_index_changes(tmp_path, seeds):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.md").write_text("# A\n\n## 1. One\nquokka\n", "utf-8")
    ix = ReportIndex(lib, tmp_path / "ix")
    ix.update()
    s = Searcher(ix)
    first = s.search("quokka")
    assert s.search("quokka") is first
    (lib / "b.md").write_text("# B\n\n## 1. Two\nquokka again\n", "utf-8")
    ix.update()
    assert s.search("quokka").total == 2


def test_prefix_is_matched_against_written_words_not_stems(searcher):
    # "res*" must not become "re*" (which would match "real", "reduce", ...)
    result = searcher.search("res*", limit=100)
    marked = {m.lower() for h in result.hits for m in re.findall(r"<mark>(.*?)</mark>", h.snippet)}
    assert marked and all(word.startswith("res") for word in marked)
    assert found(searcher, "models*") >= found(searcher, "model")


@pytest.mark.parametrize("typed", ["sparse atte", "data", "virt", "title:multim", "res"])
def test_live_search_of_partial_words_never_fails(searcher, typed):
    result = searcher.search(typed, live=True)
    assert result.total >= len(result.hits)


def test_live_search_still_suggests_a_spelling(searcher):
    assert searcher.search("multimodel", live=True).suggestion == "multimodal"
