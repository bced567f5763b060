"""The words a search result asks the reader and snippets to highlight: what the query
can match (its words, expanded prefixes, fuzzy words), never what it excludes."""
import pytest

from conftest import searcher_over

LIBRARY = {
    "a.md": "# Alpha\n\n## 1. Research\nResearchers research resources. Efficiency matters.\n",
    "b.md": "# Beta\n\n## 1. Robots\nRobotics research and efficient robots.\n",
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    with searcher_over(tmp_path_factory, LIBRARY) as searcher:
        yield searcher


def test_words_are_highlighted_by_their_stems(searcher):
    assert searcher.search("researchers efficiency").terms == ("effici", "research")


def test_prefix_highlights_every_word_it_expanded_to(searcher):
    assert set(searcher.search("res*").terms) == {"research", "resourc"}
    assert set(searcher.search("robo", live=True).terms) == {"robot"}      # robots, robotics


def test_excluded_words_are_not_highlighted(searcher):
    assert searcher.search("research -robots").terms == ("research",)
    assert searcher.search("research NOT efficient").terms == ("research",)


def test_fuzzy_highlights_the_close_words_that_exist(searcher):
    assert "effici" in searcher.search("efficency~").terms


PHRASES = {
    "p.md": "# Phrases\n\n## 1. Fairness\nBias is common. Bias mitigation needs data; "
            "mitigation of the bias comes later.\n\n## 2. Bias Mitigation\nTeams review "
            "models every week.\n",
}


@pytest.fixture(scope="module")
def phrase_searcher(tmp_path_factory):
    with searcher_over(tmp_path_factory, PHRASES) as searcher:
        yield searcher


def test_a_phrase_is_marked_where_its_words_stand_together(phrase_searcher):
    result = phrase_searcher.search('"bias mitigation"')
    assert result.terms == ("bia mitig",)           # one phrase, not two loose words
    by_section = {h.section: h.snippet for h in result.hits}
    assert by_section[1].count("<mark>") == 2       # "Bias mitigation", not the lone ones
    assert "<mark>Bias</mark> <mark>mitigation</mark> needs" in by_section[1]
    assert "<mark>" not in by_section[1].split("needs")[1]


def test_a_hit_by_its_title_alone_says_so(phrase_searcher):
    snippet = {h.section: h.snippet for h in phrase_searcher.search('"bias mitigation"').hits}[2]
    assert snippet.startswith("Matched in the section title") and "<mark>" not in snippet
    assert "Teams review" in snippet


def test_words_and_a_phrase_together(phrase_searcher):
    result = phrase_searcher.search('"bias mitigation" data')
    assert set(result.terms) == {"bia mitig", "data"}
    assert "<mark>data</mark>" in result.hits[0].snippet


def test_a_snippet_of_a_table_keeps_its_cells_apart(tmp_path_factory):
    table = {"t.md": "# Staff\n\n## 1. People\n| Name | Age | Role |\n|---|---|---|\n"
                     "| Alice | 30 | Engineer |\n| Bob | 41 | Designer |\n"}
    with searcher_over(tmp_path_factory, table) as searcher:
        snippet = searcher.search("engineer").hits[0].snippet
    assert "Alice · 30 · <mark>Engineer</mark>" in snippet
