"""Searching a library's index: the query syntax people know, ranked hits with snippets,
"did you mean", and a plain notice instead of an error for whatever was not understood.

A `Searcher` belongs to one thread (Whoosh searchers must not be shared); it keeps its
Whoosh searcher open and refreshes it, which is far cheaper than reopening per query.
"""
from __future__ import annotations

import html
import logging
import re
from collections import OrderedDict

from whoosh import highlight, query as wq
from whoosh.collectors import TimeLimit, TimeLimitCollector

from .analysis import analyzer
from .model import Hit, SearchResult
from .query import OPERATORS, SEARCH_FIELDS, make_parser, repair_query, words_only

log = logging.getLogger(__name__)

SNIPPET_CHARS = 220
# Search as you type: the word being typed is searched as a prefix only from this length
# (shorter prefixes expand to thousands of terms and take seconds on a big library), and
# a search that takes longer than the time limit shows what it found so far.
LIVE_MIN_PREFIX = 4
LIVE_TIME_LIMIT_S = 0.1
CACHE_SIZE = 256


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
        self._cache: OrderedDict[tuple, SearchResult] = OrderedDict()

    def close(self) -> None:
        self._searcher.close()

    def searches(self, whoosh_index) -> bool:
        return self._ix is whoosh_index

    def search(self, text: str, limit: int = 20, report: str | None = None,
               live: bool = False) -> SearchResult:
        """Search the index. `live` is search as you type: the last word counts as a
        prefix, the search is time-limited and the total may be estimated."""
        self._refresh()
        key = (text, limit, report, live)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        result = self._search(text, limit, report, live)
        self._cache[key] = result
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return result

    def _refresh(self) -> None:
        # Reopened rather than Searcher.refresh(): whoosh3's refresh fails on a searcher
        # first opened on an empty index (a library that started empty, or a search
        # typed during a library's first index).
        if self._searcher.up_to_date():
            return
        self._searcher.close()
        self._searcher = self._ix.searcher()
        self._cache.clear()     # answers from before a commit may be stale

    def _search(self, text: str, limit: int, report: str | None, live: bool) -> SearchResult:
        if live and text.count('"') % 2:
            text_to_parse = text + '"'      # a phrase being typed, not a broken query
        else:
            text_to_parse = text
        repaired, notes = repair_query(text_to_parse)
        as_typed = repaired
        if live:
            repaired = _typed_prefix(repaired, text)
        q = self._parse(repaired, notes)
        if q is wq.NullQuery or not list(q.leaves()):
            if text.strip() and not notes:
                notes.append("nothing in the query can be searched for (only stop words or symbols)")
            return SearchResult(text, 0, (), None, _notice(notes))
        if report:
            # A query clause, not search(filter=...): Whoosh's match count ignores filters.
            q = wq.And([q, wq.Term("report", report)])
        results, complete = self._collect(q, max(1, limit), live)
        results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
        results.formatter = _MarkFormatter()
        hits = tuple(self._hit(h) for h in results)
        exact = not live or results.scored_length() < max(1, limit) or results.has_exact_length()
        # estimated_length(), not estimated_min_length(): whoosh3's minimum estimate fails
        # on a prefix with no term in one of the fields.
        total = len(results) if exact else max(results.estimated_length(), len(hits))
        terms = tuple(sorted({_decode(t) for f, t in results.matched_terms() if f in SEARCH_FIELDS}))
        # While typing, a half-typed word is not a misspelling: suggest only when nothing matched.
        suggestion = None if live and total else self._suggest(as_typed, total)
        return SearchResult(text, total, hits, suggestion, _notice(notes), terms,
                            complete=complete, exact_total=exact and complete)

    def _parse(self, text: str, notes: list[str]):
        if not text:
            return wq.NullQuery
        try:
            return self._parser.parse(text).normalize()
        except Exception:  # noqa: BLE001 - Whoosh's parser has corner cases; the words still count
            log.warning("query syntax not understood: %r", text, exc_info=True)
            notes.append("the query's syntax was not understood, so its words were searched")
            return self._parser.parse(words_only(text)).normalize()

    def _collect(self, q, limit: int, live: bool):
        """(results, complete): a live search stops at the time limit with what it has."""
        if not live:
            return self._searcher.search(q, limit=limit, terms=True), True
        # use_alarm=False: on the main thread the default SIGALRM can fire inside Whoosh's
        # matcher set-up and break it; a timer thread only sets a flag.
        collector = TimeLimitCollector(self._searcher.collector(limit=limit, terms=True),
                                       timelimit=LIVE_TIME_LIMIT_S, use_alarm=False)
        try:
            self._searcher.search_with_collector(q, collector)
        except TimeLimit:
            return collector.results(), False
        return collector.results(), True

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


def _typed_prefix(query_text: str, typed: str) -> str:
    """While typing, the last word is probably unfinished: search it as a prefix, once
    it is long enough to be selective (and not when the user typed a space after it)."""
    if typed.endswith(" ") or query_text.endswith('"'):
        return query_text
    head, _, last = query_text.rpartition(" ")
    if len(last) >= LIVE_MIN_PREFIX and last.isalnum() and last not in OPERATORS:
        return f"{head} {last}*".lstrip()
    return query_text


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

