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
