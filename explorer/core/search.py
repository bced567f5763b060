"""Searching a library's index: the query syntax people know, ranked hits with snippets,
"did you mean", and a plain notice instead of an error for whatever was not understood.

A `Searcher` belongs to one thread (Whoosh searchers must not be shared); it keeps its
Whoosh searcher open and refreshes it, which is far cheaper than reopening per query.
"""
from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from collections import OrderedDict

from whoosh import highlight, query as wq
from whoosh.collectors import TimeLimit, TimeLimitCollector

from .analysis import analyzer
from .model import Hit, SearchResult
from .query import (MAX_EXPANSION, OPERATORS, SEARCH_FIELDS, WordPrefix, choose_expansions,
                    make_parser, repair_query, words_only)
from .scoring import BM25F

log = logging.getLogger(__name__)

SNIPPET_CHARS = 220
# Before the start of a section that matched by its title alone (its text has no match).
TITLE_ONLY = "Matched in the section title · "
# Search as you type: the word being typed is searched as a prefix from its second letter,
# as people expect ("eth" finding "ethical"). A short prefix expands to thousands of words
# on a big library: it searches the most common 64 (query.MAX_EXPANSION), and a search
# that takes longer than the time limit shows what it found so far.
LIVE_MIN_PREFIX = 2
LIVE_TIME_LIMIT_S = 0.1
CACHE_SIZE = 256
# How many hits the window's search as you type shows (its best, each with a snippet).
LIVE_LIMIT = 100


class _MarkFormatter(highlight.HtmlFormatter):
    """Matched words as <mark>word</mark>; everything else HTML-escaped (HtmlFormatter does)."""

    def __init__(self):
        super().__init__(between=" … ")

    def format_token(self, text, token, replace=False):
        return "<mark>%s</mark>" % html.escape(highlight.get_text(text, token, replace), quote=False)


class Searcher:
    """Searches one ReportIndex from one thread."""

    def __init__(self, index):
        self._ix = index.whoosh
        self._vocabulary = index.vocabulary
        self._weighting = BM25F()
        self._searcher = self._ix.searcher(weighting=self._weighting)
        self._parser = make_parser(self._ix.schema, self._vocabulary)
        self._cache: OrderedDict[tuple, SearchResult] = OrderedDict()
        # Snippet makers, per searcher as Whoosh's formatters keep state while formatting.
        self._fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
        self._formatter = _MarkFormatter()
        self._scorer = highlight.BasicFragmentScorer()

    def close(self) -> None:
        self._searcher.close()

    def searches(self, whoosh_index) -> bool:
        return self._ix is whoosh_index

    def search(self, text: str, limit: int = 20, report: str | None = None,
               live: bool = False, count: bool = True) -> SearchResult:
        """Search the index. `live` is search as you type: the last word counts as a
        prefix, the search is time-limited and the total may be estimated. `count`:
        count every match for an exact total, which costs about as much as the search
        itself (a live search never does); else `exact_total` says if it is exact."""
        self._refresh()
        count = count and not live
        key = (text, limit, report, live, count)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        result = self._search(text, limit, report, live, count)
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
        # The new one first: opening it fails when another process has just deleted the
        # files to rebuild the index, and this searcher must stay one that can be closed.
        fresh = self._ix.searcher(weighting=self._weighting)
        self._searcher.close()
        self._searcher = fresh
        self._vocabulary.reload()       # another process may have committed new words
        self._cache.clear()     # answers from before a commit may be stale

    def _search(self, text: str, limit: int, report: str | None, live: bool,
                count: bool) -> SearchResult:
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
        reader = self._searcher.reader()
        choose_expansions(q, reader)
        results, complete = self._collect(q, max(1, limit), live)
        # The words to mark, found once: Whoosh's hit.highlights() expands prefixes and
        # fuzzy terms again for every hit (most of a fuzzy search's time). A phrase's words
        # are marked only where they stand together: "bias mitigation" is no lone "bias".
        matchable, phrases = _highlight_terms(q, reader), _phrases(q)
        marks = {f: _Marks(frozenset(t for field, t in matchable
                                     if field == f and not any(t in p for p in phrases[f])),
                           phrases[f]) for f in SEARCH_FIELDS}
        hits = tuple(self._hit(h, marks) for h in results)
        total, exact = _total(results, max(1, limit), count, complete)
        # For the reader: single words, and phrases as their words joined by a space.
        terms = tuple(sorted({t for m in marks.values() for t in m.words}
                             | {" ".join(p) for m in marks.values() for p in m.phrases}))
        notes.extend(_expansion_notes(q))
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
        # No terms=True: recording the matched terms of every hit made prefix searches
        # 5-9x slower; snippets and highlights use the query's own terms instead.
        if not live:
            return self._searcher.search(q, limit=limit), True
        # use_alarm=False: on the main thread the default SIGALRM can fire inside Whoosh's
        # matcher set-up and break it; a timer thread only sets a flag.
        collector = TimeLimitCollector(self._searcher.collector(limit=limit),
                                       timelimit=LIVE_TIME_LIMIT_S, use_alarm=False)
        try:
            self._searcher.search_with_collector(q, collector)
        except TimeLimit:
            return collector.results(), False
        return collector.results(), True

    def _hit(self, hit, marks: dict[str, _Marks]) -> Hit:
        fields = hit.fields()
        body = fields.get("body", "")
        snippet = self._snippet(body, marks["body"])
        if not snippet:
            title_only = any(t.matched for t in _marked(fields["title"], marks["title"]))
            snippet = (TITLE_ONLY if title_only else "") + _lead(body)
        return Hit(report=fields["report"], report_title=fields["report_title"],
                   section=fields["section"], section_title=fields["title"],
                   score=round(float(hit.score), 4), snippet=snippet)

    def _snippet(self, text: str, marks: _Marks) -> str:
        """The best two passages of `text` around what the query matched, marked: what
        Whoosh's Highlighter.highlight_hit does, given the words instead of finding them
        per hit."""
        tokens = highlight.Highlighter._merge_matched_tokens(_marked(text, marks))
        fragments = self._fragmenter.fragment_tokens(text, tokens)
        return self._formatter.format(highlight.top_fragments(
            fragments, 2, self._scorer, highlight.FIRST))

    def _suggest(self, query_text: str, total: int) -> str | None:
        """A corrected query when a word matches nothing, or almost nothing while a close
        word is common (`multimodel` -> `multimodal`)."""
        reader = self._searcher.reader()
        changed = False
        out = []
        for piece in re.split(r"(\s+)", query_text):
            word = piece
            if re.fullmatch(r"[A-Za-z]{3,}", piece) and piece not in OPERATORS:
                freq = self._frequency(reader, piece)
                if freq <= 1 or total == 0:
                    better = self._correction(reader, piece.lower(), max(2, freq * 3))
                    if better:
                        word, changed = better, True
            out.append(word)
        return "".join(out) if changed else None

    def _correction(self, reader, word: str, more_than: int) -> str | None:
        """The nearest written word found in more than `more_than` sections; at equal
        distance the most common one. Never a single letter, nor the start of what was
        typed ("eth" is not a misspelling of "e" or "et")."""
        for maxdist in (1, 2):
            found = [(self._frequency(reader, w), w)
                     for w in self._vocabulary.within(word, maxdist=maxdist, limit=20)
                     if len(w) > 1 and not word.startswith(w)]
            common = [(freq, w) for freq, w in found if freq > more_than]
            if common:
                return min(common, key=lambda c: (-c[0], c[1]))[1]   # ties: alphabetical
        return None

    def _frequency(self, reader, word: str) -> int:
        stems = [t.text for t in analyzer()(word, mode="query")]
        if not stems:
            return 1 << 30        # stop words are never misspellings
        return sum(reader.doc_frequency(f, stems[0]) for f in SEARCH_FIELDS)


def _total(results, limit: int, count: bool, complete: bool) -> tuple[int, bool]:
    """(how many sections match, whether that is exact)."""
    if complete and results.scored_length() < limit:
        # The top list never filled, so no match was skipped: all were scored. (len()
        # would run the whole query a second time to count them.)
        return results.scored_length(), True
    if count or results.has_exact_length():
        return len(results), True
    # estimated_length(), not estimated_min_length(): whoosh3's minimum estimate fails
    # on a prefix with no term in one of the fields.
    return max(results.estimated_length(), results.scored_length()), False


def _typed_prefix(query_text: str, typed: str) -> str:
    """While typing, the last word is probably unfinished: search it as a prefix, once
    it is long enough to be selective (and not when the user typed a space after it)."""
    if typed.endswith(" ") or query_text.endswith('"'):
        return query_text
    head, _, last = query_text.rpartition(" ")
    if len(last) >= LIVE_MIN_PREFIX and last.isalnum() and last not in OPERATORS:
        return f"{head} {last}*".lstrip()
    return query_text


def _expansion_notes(q) -> list[str]:
    """What a prefix that matched too many words was narrowed to (see MAX_EXPANSION)."""
    widest: dict[str, int] = {}
    for leaf in q.leaves():
        if isinstance(leaf, WordPrefix) and (leaf.expanded_to or 0) > MAX_EXPANSION:
            widest[leaf.text] = max(widest.get(leaf.text, 0), leaf.expanded_to)
    return [f"“{text}*” matches {n:,} words: only the {MAX_EXPANSION} most common were "
            "searched (type more letters to narrow it)" for text, n in widest.items()]


def _highlight_terms(q, reader) -> set[tuple[str, str]]:
    """The (field, term) pairs a hit can contain because of the query: its words,
    expanded prefixes and fuzzy words that exist; not what it excludes."""
    if isinstance(q, wq.Not):
        return set()
    if isinstance(q, wq.AndNot):
        return _highlight_terms(q.a, reader)
    if q.is_leaf():
        return {(field, _decode(text)) for field, text in q.existing_terms(reader, expand=True)}
    return set().union(*(_highlight_terms(child, reader) for child in q.children()))


@dataclass(frozen=True, slots=True)
class _Marks:
    """What to mark in a field's text: single words, and phrases (runs of words)."""
    words: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]


def _phrases(q) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each field's phrases in the query (their analysed words), not those it excludes."""
    found: dict[str, set[tuple[str, ...]]] = {f: set() for f in SEARCH_FIELDS}

    def walk(node) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
        elif isinstance(node, wq.Phrase):
            if node.fieldname in found and len(node.words) > 1:
                found[node.fieldname].add(tuple(node.words))
        elif not node.is_leaf():
            for child in node.children():
                walk(child)
    walk(q)
    return {f: tuple(sorted(p)) for f, p in found.items()}


def _marked(text: str, marks: _Marks) -> list:
    """The text's tokens, each `matched` when it is one of the words or in a run of a
    phrase's words (stop words between them skipped, as the index skips them)."""
    tokens = [t.copy() for t in analyzer()(text, positions=True, chars=True, mode="index",
                                              removestops=False)]
    # The words of the text, one a position: a compound's parts share its position.
    spoken, last = [], None
    for t in tokens:
        t.matched = t.text in marks.words and not t.stopped
        if t.pos != last and not t.stopped:
            spoken.append(t)
        last = t.pos
    for phrase in marks.phrases:
        for i in range(len(spoken) - len(phrase) + 1):
            run = spoken[i:i + len(phrase)]
            if all(t.text == word for t, word in zip(run, phrase)):
                for t in run:
                    t.matched = True
    return tokens


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

