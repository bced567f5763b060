"""The ranking keeps Whoosh's BM25F scores exactly while reading field lengths from memory."""
from __future__ import annotations

import pytest
from whoosh import scoring as whoosh_scoring
from whoosh.reading import SegmentReader

from explorer.core.index import ReportIndex
from explorer.core.query import make_parser
from explorer.core.scoring import BM25F

QUERIES = ["multimodal", "ethics efficiency", "title:ethics", '"vision language"', "eff*",
           "efficency~", "ethics OR latency", "models NOT ethics"]


def _library(root, count: int):
    root.mkdir()
    words = ["multimodal", "ethics", "efficiency", "vision", "language", "models",
             "latency", "fairness", "benchmark", "effective"]
    for i in range(count):
        sections = []
        for n in range(1, 4):
            # lengths and word counts vary per section, so BM25's length part matters
            body = " ".join(words[(i * n + k) % len(words)] for k in range(3 + (i * 7 + n) % 40))
            sections.append(f"## {n}. {words[(i + n) % len(words)].title()} part\n\n{body}\n")
        (root / f"r{i:03}.md").write_text(f"# Report {i}\n\n" + "\n".join(sections), "utf-8")
    return root


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    base = tmp_path_factory.mktemp("scoring")
    lib = _library(base / "lib", 60)
    index = ReportIndex(lib, base / "ix")
    index.update(workers=1)
    # a second commit: a second segment, so scoring runs per segment as in a real library
    (lib / "late.md").write_text("# Late\n\n## 1. Ethics\n\nethics multimodal models\n", "utf-8")
    index.update(workers=1)
    assert len(index.whoosh._segments()) == 2
    yield index
    index.close()


def _ranked(index, weighting, text):
    parser = make_parser(index.whoosh.schema, index.vocabulary)
    with index.whoosh.searcher(weighting=weighting) as searcher:
        return [(hit.docnum, round(hit.score, 9))
                for hit in searcher.search(parser.parse(text).normalize(), limit=30)]


@pytest.mark.parametrize("text", QUERIES)
def test_same_scores_and_order_as_whoosh(index, text):
    ranked = _ranked(index, BM25F(), text)
    assert ranked, text
    assert ranked == _ranked(index, whoosh_scoring.BM25F(), text)


def test_lengths_come_from_memory_not_from_the_segment_file(index, monkeypatch):
    def per_document(*_args, **_kwargs):
        raise AssertionError("a field length was read from the segment file")
    parser = make_parser(index.whoosh.schema, index.vocabulary)
    query = parser.parse("ethics models").normalize()
    # on the class, before a searcher exists: Whoosh's searchers copy the reader's method
    monkeypatch.setattr(SegmentReader, "doc_field_length", per_document)
    for weighting in (BM25F(), whoosh_scoring.BM25F()):
        with index.whoosh.searcher(weighting=weighting) as searcher:
            if isinstance(weighting, BM25F):
                assert searcher.search(query, limit=10)
            else:       # the check itself works: Whoosh's own scorer trips it
                with pytest.raises(AssertionError, match="segment file"):
                    searcher.search(query, limit=10)


def test_lengths_are_dropped_with_their_reader(index):
    import gc
    weighting = BM25F()
    parser = make_parser(index.whoosh.schema, index.vocabulary)
    with index.whoosh.searcher(weighting=weighting) as searcher:
        searcher.search(parser.parse("ethics").normalize(), limit=5)
        assert len(weighting._lengths) == 2          # one entry per segment read
    del searcher
    gc.collect()
    assert len(weighting._lengths) == 0
