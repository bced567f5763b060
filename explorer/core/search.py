"""Searching a library's index: the query syntax people know, ranked hits with snippets,
"did you mean", and a plain notice instead of an error for whatever was not understood.

A `Searcher` belongs to one thread (Whoosh searchers must not be shared); it keeps its
Whoosh searcher open and refreshes it, which is far cheaper than reopening per query.
"""
from __future__ import annotations

import html
import re

from whoosh import highlight, query as wq

from .analysis import analyzer
from .model import Hit, SearchResult
from .query import OPERATORS, SEARCH_FIELDS, make_parser, repair_query

SNIPPET_CHARS = 220


class _MarkFormatter(highlight.HtmlFormatter):
    """Matched words as <mark>word</mark>; everything else HTML-escaped (HtmlFormatter does)."""

    def __init__(self):
        super().__init__(between=" … ")

    def format_token(self, text, token, replace=False):
        return "<mark>%s</mark>" % html.escape(highlight.get_text(text, token, replace), quote=False)


class Searcher:
    """Searches one ReportIndex from one thread."""

    def __init__(self, whoosh_index):
        self._ix = whoosh_index
        self._searcher = whoosh_index.searcher()
        self._parser = make_parser(whoosh_index.schema)

    def close(self) -> None:
        self._searcher.close()

    def search(self, text: str, limit: int = 20, report: str | None = None) -> SearchResult:
        self._searcher = self._searcher.refresh()
        repaired, notes = repair_query(text)
        q = self._parser.parse(repaired) if repaired else wq.NullQuery
        q = q.normalize()
        if q is wq.NullQuery or not list(q.leaves()):
            if text.strip() and not notes:
                notes.append("nothing in the query can be searched for (only stop words or symbols)")
            return SearchResult(text, 0, (), None, _notice(notes))
        if report:
            # A query clause, not search(filter=...): Whoosh's match count ignores filters.
            q = wq.And([q, wq.Term("report", report)])
        results = self._searcher.search(q, limit=max(1, limit), terms=True)
        results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
        results.formatter = _MarkFormatter()
        hits = tuple(self._hit(h) for h in results)
        total = len(results)
        terms = tuple(sorted({_decode(t) for f, t in results.matched_terms() if f in SEARCH_FIELDS}))
        suggestion = self._suggest(repaired, total)
        return SearchResult(text, total, hits, suggestion, _notice(notes), terms)

    def _hit(self, hit) -> Hit:
        fields = hit.fields()
        snippet = hit.highlights("body", top=2) or _lead(fields.get("body", ""))
        return Hit(report=fields["report"], report_title=fields["report_title"],
                   section=fields["section"], section_title=fields["title"],
                   score=round(float(hit.score), 4), snippet=snippet)

    def _suggest(self, query_text: str, total: int) -> str | None:
        """A corrected query when a word matches nothing, or almost nothing while a close
        word is common (`multimodel` -> `multimodal`)."""
        reader = self._searcher.reader()
        corrector = self._searcher.corrector("body")
        changed = False
        out = []
        for piece in re.split(r"(\s+)", query_text):
            word = piece
            if re.fullmatch(r"[A-Za-z]{3,}", piece) and piece not in OPERATORS:
                freq = self._frequency(reader, piece)
                if freq <= 1 or total == 0:
                    for candidate in corrector.suggest(piece.lower(), limit=3, maxdist=2):
                        if candidate != piece.lower() and self._frequency(reader, candidate) > max(2, freq * 3):
                            word, changed = candidate, True
                            break
            out.append(word)
        return "".join(out) if changed else None

    def _frequency(self, reader, word: str) -> int:
        stems = [t.text for t in analyzer()(word, mode="query")]
        if not stems:
            return 1 << 30        # stop words are never misspellings
        return sum(reader.doc_frequency(f, stems[0]) for f in SEARCH_FIELDS)


def _decode(term) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


def _lead(body: str) -> str:
    """The start of a section, for hits that matched only its title."""
    text = body[:SNIPPET_CHARS]
    if len(body) > SNIPPET_CHARS:
        text = text.rsplit(" ", 1)[0] + " …"
    return html.escape(text, quote=False)


def _notice(notes: list[str]) -> str | None:
    return "; ".join(notes).capitalize() + "." if notes else None

