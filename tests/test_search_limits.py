"""What keeps a search fast on a big library, and says so when it changes the answer:
a prefix matching too many words is narrowed to the most common ones, and the total
is counted only when asked."""
import pytest

from explorer.core import query
from conftest import searcher_over

LIBRARY = {
    f"r{i}.md": f"# R{i}\n\n## 1. Part\nresearch results {'resolve ' * (i % 2)}"
                f"{'resources ' if i < 3 else ''}rest {i}\n"
    for i in range(30)
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    with searcher_over(tmp_path_factory, LIBRARY) as searcher:
        yield searcher


def test_a_wide_prefix_searches_its_most_common_words_and_says_so(searcher, monkeypatch):
    monkeypatch.setattr(query, "MAX_EXPANSION", 2)
    monkeypatch.setattr("explorer.core.search.MAX_EXPANSION", 2)
    result = searcher.search("res*", limit=50)
    # research, result and rest are in all 30 sections; resolve in 15, resources in 3
    assert len(result.terms) == 2 and set(result.terms) < {"research", "result", "rest"}
    assert "“res*” matches 5 words: only the 2 most common" in result.notice


def test_a_narrow_prefix_is_searched_whole_without_a_notice(searcher):
    result = searcher.search("reso*", limit=50)
    assert set(result.terms) == {"resolv", "resourc"}
    assert result.notice is None and result.total == 17     # 15 odd ones + r0, r2


def test_total_is_exact_when_counted_else_an_estimate_that_says_so(searcher):
    counted = searcher.search("research", limit=5)
    assert (counted.total, counted.exact_total) == (30, True)
    estimated = searcher.search("research", limit=5, count=False)
    assert estimated.exact_total is False and estimated.total >= len(estimated.hits) == 5
    few = searcher.search("resources", limit=5, count=False)
    assert (few.total, few.exact_total) == (3, True)      # every match was collected


@pytest.mark.parametrize("count", [True, False])
def test_fewer_matches_than_the_limit_are_counted_without_searching_again(searcher, count,
                                                                         monkeypatch):
    # Whoosh counts a top-N search's matches by running the query again (docs_for_query);
    # when the top list never filled, every match was scored and that count is known.
    def again(*_args, **_kwargs):
        raise AssertionError("the query was run a second time to count its matches")
    monkeypatch.setattr(searcher._searcher, "docs_for_query", again)
    result = searcher.search("resolve", limit=20, count=count)
    assert (result.total, result.exact_total, len(result.hits)) == (15, True, 15)
    with pytest.raises(AssertionError, match="second time"):    # the trap does catch it
        searcher.search("research", limit=20, count=True)
