"""The query language: Whoosh's parser set up for the syntax people know, and the repair of
whatever text a user types into something it can parse (with what was changed, in words).

Words (all must match), `OR`, `NOT word` / `-word`, `"phrases"`, `prefix*`, `fuzzy~`,
`title:word` (section titles) and `report:ID`.
"""
from __future__ import annotations

import re

from whoosh import query as wq
from whoosh.qparser import (
    FuzzyTermPlugin, MultifieldParser, PlusMinusPlugin, PrefixPlugin, WildcardPlugin,
)

from .analysis import terms

MAX_QUERY_CHARS = 1000
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
SEARCH_FIELDS = ("title", "body")


class WordFuzzyTerm(wq.FuzzyTerm):
    """A fuzzy term matched against the words as written, then stemmed.

    Whoosh expands a fuzzy term against a field's spelling words (unstemmed) but then
    looks those words up in the stemmed field, where they are not; and stemming a typo
    (`efficency` -> `efficenc`) moves it further from the stem it should find. So the
    typed word is compared with the written words, and each close word is stemmed.
    """

    def _btexts(self, ixreader):
        field = ixreader.schema[self.fieldname]
        words = set(ixreader.terms_within(self.fieldname, self.text, self.maxdist,
                                          prefix=self.prefixlength))
        if field.separate_spelling():
            words = {stem for word in words for stem in terms(word)}
        words.update(terms(self.text))
        return sorted(w for w in words if (self.fieldname, w) in ixreader)


class WordFuzzyPlugin(FuzzyTermPlugin):
    class FuzzyTermNode(FuzzyTermPlugin.FuzzyTermNode):
        def query(self, parser):
            return WordFuzzyTerm(self.fieldname, self.text.lower(), boost=self.boost,
                                 maxdist=self.maxdist, prefixlength=self.prefixlength)


class WordPrefix(wq.Prefix):
    """A prefix matched against the words as written, then stemmed.

    Whoosh would stem the prefix itself (`res*` -> `re*`, matching `real` and `reduce`)
    and then look for stems starting with it. Instead the prefix is expanded over the
    field's unstemmed spelling words (`research`, `resources`) and those are stemmed.
    """

    def _btexts(self, ixreader):
        field = ixreader.schema[self.fieldname]
        if not field.separate_spelling():
            return ixreader.expand_prefix(self.fieldname, self.text)
        words = ixreader.expand_prefix(field.spelling_fieldname(self.fieldname), self.text)
        stems = {stem for word in words for stem in terms(_text(word))}
        return sorted(s for s in stems if (self.fieldname, s) in ixreader)


def _text(term) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


class WordPrefixPlugin(WildcardPlugin):
    class WordPrefixNode(PrefixPlugin.PrefixNode):
        def query(self, parser):
            return WordPrefix(self.fieldname or parser.fieldname, self.text.lower(),
                              boost=self.boost)

    def do_wildcards(self, parser, group):
        group = super().do_wildcards(parser, group)
        for node in group:
            if type(node) is PrefixPlugin.PrefixNode:
                node.__class__ = self.WordPrefixNode
        return group


def make_parser(schema) -> MultifieldParser:
    parser = MultifieldParser(list(SEARCH_FIELDS), schema)
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
