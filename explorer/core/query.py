"""The query language: Whoosh's parser set up for the syntax people know, and the repair of
whatever text a user types into something it can parse (with what was changed, in words).

Words (all must match), `OR`, `NOT word` / `-word`, `"phrases"`, `prefix*`, `fuzzy~`,
`title:word` (section titles) and `report:ID`.
"""
from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Callable

from whoosh import query as wq
from whoosh.qparser import (
    FuzzyTermPlugin, MultifieldParser, PlusMinusPlugin, PrefixPlugin, WildcardPlugin,
)

from .analysis import terms

MAX_QUERY_CHARS = 1000
# A prefix or fuzzy term is searched as at most this many words, the most frequent ones:
# `int*` expands to thousands of words on a big library, and searching them all took
# seconds (13 s at 10,000 reports) to rank documents by words nobody meant.
MAX_EXPANSION = 64
MAX_FUZZY_EDITS = 2
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
SEARCH_FIELDS = ("title", "body")


class WordFuzzyTerm(wq.FuzzyTerm):
    """A fuzzy term matched against the words as written, then stemmed.

    Matching a typo against the index's stems fails twice over: stemming the typo
    (`efficency` -> `efficenc`) moves it away from the stem it should find, and edit
    distances between stems are not those between words. So the typed word is compared
    with the library's written words (its Vocabulary), and each close word is stemmed.
    """

    def __init__(self, fieldname, text, vocabulary, **kwargs):
        super().__init__(fieldname, text, **kwargs)
        self.vocabulary = vocabulary

    def _btexts(self, ixreader):
        words = set(self.vocabulary.within(self.text, self.maxdist, self.prefixlength,
                                           limit=MAX_EXPANSION))
        words.add(self.text)
        return _stems_in(ixreader, self.fieldname, words)


class WordFuzzyPlugin(FuzzyTermPlugin):
    class FuzzyTermNode(FuzzyTermPlugin.FuzzyTermNode):
        def query(self, parser):
            # `word~99` would build an automaton for 99 edits and run for minutes; beyond
            # two edits nearly every word matches anyway.
            return WordFuzzyTerm(self.fieldname, self.text.lower(), parser.vocabulary,
                                 boost=self.boost, maxdist=min(self.maxdist, MAX_FUZZY_EDITS),
                                 prefixlength=self.prefixlength)


class WordPrefix(wq.Prefix):
    """A prefix matched against the words as written, then stemmed.

    Whoosh would stem the prefix itself (`res*` -> `re*`, matching `real` and `reduce`)
    and then look for stems starting with it. Instead the prefix is expanded over the
    library's written words (`research`, `resources`) and those are stemmed.
    """

    def __init__(self, fieldname, text, vocabulary, **kwargs):
        super().__init__(fieldname, text, **kwargs)
        self.vocabulary = vocabulary
        self.expanded_to: int | None = None   # how many terms it matched, once expanded
        self._chosen: list[str] | None = None

    def choose(self, ixreader) -> None:
        """Settle the terms searched over the whole index. Whoosh asks each segment for
        them in turn, and the most common words of one segment are not the library's:
        capped per segment, the same files indexed bit by bit or at once gave different
        answers."""
        self._chosen = self._capped(ixreader)

    def _btexts(self, ixreader):
        if self._chosen is None:
            return self._capped(ixreader)
        return [s for s in self._chosen if (self.fieldname, s) in ixreader]

    def _capped(self, ixreader) -> list[str]:
        stems = _stems_in(ixreader, self.fieldname, self.vocabulary.starting_with(self.text))
        self.expanded_to = len(stems)
        if len(stems) <= MAX_EXPANSION:
            return stems
        frequency = _live_frequency(ixreader, self.fieldname)
        # Ties by the stem: the same library gives the same words, however it was indexed.
        common = sorted(stems, key=lambda s: (-frequency(s), s))
        return sorted(common[:MAX_EXPANSION])


def choose_expansions(q, ixreader) -> None:
    """Settle what each prefix of a query searches, over the whole index (see `choose`)."""
    for leaf in q.leaves():
        if isinstance(leaf, WordPrefix):
            leaf.choose(ixreader)


def _live_frequency(ixreader, fieldname: str) -> Callable[[str], int]:
    """How many live sections have a term. Whoosh's doc_frequency also counts the sections
    deleted since their segment was written (until a merge drops them), so a library indexed
    bit by bit capped a prefix to other words than the same files indexed at once
    (`changedword*`: 235 hits against 215). The deleted sections' terms are subtracted."""
    deleted: Counter[str] = Counter()
    for leaf, _offset in ixreader.leaf_readers():
        deleted.update(_deleted_terms(leaf, fieldname))
    return lambda term: ixreader.doc_frequency(fieldname, term) - deleted[term]


_DELETED_TERMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _deleted_terms(leaf, fieldname: str) -> Counter[str]:
    """Of a segment's deleted sections, how many have each term of the field (cached for
    the segment reader: deletions are read with it and never change under it)."""
    if not leaf.has_deletions():
        return Counter()
    cached = _DELETED_TERMS.setdefault(leaf, {})
    if fieldname not in cached:
        cached[fieldname] = Counter(
            term for docnum in leaf.deleted_docs_set
            for term in set(terms(leaf.stored_fields(docnum).get(fieldname) or "")))
    return cached[fieldname]


def _stems_in(ixreader, fieldname: str, words) -> list[str]:
    """The stems of `words` that are terms of the field, sorted."""
    stems = {stem for word in words for stem in terms(word)}
    return sorted(s for s in stems if (fieldname, s) in ixreader)


class WordPrefixPlugin(WildcardPlugin):
    class WordPrefixNode(PrefixPlugin.PrefixNode):
        def query(self, parser):
            return WordPrefix(self.fieldname or parser.fieldname, self.text.lower(),
                              parser.vocabulary, boost=self.boost)

    def do_wildcards(self, parser, group):
        group = super().do_wildcards(parser, group)
        for node in group:
            if type(node) is PrefixPlugin.PrefixNode:
                node.__class__ = self.WordPrefixNode
        return group


def make_parser(schema, vocabulary) -> MultifieldParser:
    """The parser; prefixes and fuzzy terms expand over `vocabulary` (a Vocabulary)."""
    parser = MultifieldParser(list(SEARCH_FIELDS), schema)
    parser.vocabulary = vocabulary
    parser.replace_plugin(WordPrefixPlugin())
    parser.add_plugin(WordFuzzyPlugin())
    # `-word` only at the start of a word: the hyphens of GPT-5 or DALL-E belong to the word.
    # `+` is not an operator here (every word is required already), so it never matches.
    parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?!)", minusexpr=r"(?<![^\s(])-(?=[\w\"(])"))
    return parser


def repair_query(text: str) -> tuple[str, list[str]]:
    """Make any text parseable: returns the repaired query and what was changed, in words."""
    notes: list[str] = []
    text = text.replace("\x00", " ").strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
        notes.append(f"query too long: only its first {len(text)} characters were used")
    if text.count('"') % 2:
        last = text.rfind('"')
        text = text[:last] + text[last + 1:]
        notes.append("an unclosed quote was ignored")
    text, dropped = _balance_brackets(text)
    if dropped:
        notes.append("an unmatched bracket was ignored")
    words = text.split()
    kept = _drop_dangling_operators(words)
    if len(kept) != len(words):
        notes.append("an operator with nothing to join was ignored")
    kept, bare = _drop_empty_fields_and_wildcards(kept)
    if bare:
        notes.append(f"{', '.join(bare)} on its own matches nothing specific and was ignored")
    return " ".join(kept), notes


def _balance_brackets(text: str) -> tuple[str, bool]:
    out, depth, dropped = [], 0, False
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                dropped = True
                continue
            depth -= 1
        out.append(ch)
    if depth:
        dropped = True
        result = "".join(out)
        for _ in range(depth):
            i = result.rfind("(")
            result = result[:i] + result[i + 1:]
        return result, dropped
    return "".join(out), dropped


def _drop_dangling_operators(words: list[str]) -> list[str]:
    """Binary operators need a word on both sides, NOT one after it."""
    kept: list[str] = []
    for i, word in enumerate(words):
        if word in OPERATORS:
            nxt = words[i + 1] if i + 1 < len(words) else None
            if nxt is None or nxt in OPERATORS - {"NOT"}:
                continue
            if word != "NOT" and (not kept or kept[-1] in OPERATORS):
                continue
        kept.append(word)
    return kept


def _drop_empty_fields_and_wildcards(words: list[str]) -> tuple[list[str], list[str]]:
    kept, bare = [], []
    for word in words:
        core = word.strip("()+-")
        if re.fullmatch(r"\w*:", core) or re.fullmatch(r"(\w+:)?[*?]+", core):
            bare.append(f"“{core}”")
        else:
            kept.append(word)
    return kept, bare




def words_only(text: str) -> str:
    """The plain words of a query, for when its syntax cannot be parsed at all."""
    return " ".join(re.findall(r"\w+", text))
