"""The one text analyzer shared by the index, the query parser and section alignment.

Words are lower-cased, stop words dropped and stemmed (`translating` ~ `translation`).
Compound tokens such as `GPT-5`, `DALL-E` or `state-of-the-art` are kept whole so they are
findable as typed; when indexing, their parts are emitted too, at the same position, so
`GPT` alone still finds `GPT-5` and phrases across the compound keep working.
"""
from __future__ import annotations

from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter, STOP_WORDS
from whoosh.lang.porter import stem as porter_stem

# A word, optionally joined to more words by hyphens, dots or apostrophes (GPT-5, e.g, don't).
TOKEN_PATTERN = r"\w+(?:[-.'’]\w+)*"
# Short English words that carry no topic; "ai" and "it"-like acronyms are kept on purpose.
STOP = frozenset(STOP_WORDS)


class CompoundPartsFilter(Filter):
    """At index time, follow a compound token (`gpt-5`) with its parts (`gpt`, `5`)."""

    def __call__(self, tokens):
        for t in tokens:
            yield t
            # isalnum(): no joiner in it, so no parts (a quick test: this runs for every word)
            if t.mode != "index" or t.text.isalnum():
                continue
            whole, pos = t.text, t.pos if t.positions else None
            parts = [p for p in _split_compound(whole) if p]
            if len(parts) < 2:
                continue
            for part in parts:
                t.text = part
                t.boost = 1.0
                if pos is not None:
                    t.pos = pos
                t.removestops = True
                yield t
            t.text = whole


class WordStemFilter(Filter):
    """Porter-stem plain words; compounds and tokens with digits (`gpt-5`, `5g`) stay as typed."""

    # Marks the filter as changing word forms: Whoosh then keeps unstemmed words in a
    # spelling field, so "did you mean" suggests real words, not stems.
    is_morph = True

    def __call__(self, tokens):
        for t in tokens:
            if t.text.isalpha():
                t.text = _stem(t.text)
            yield t


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return porter_stem(word)


def _split_compound(word: str) -> list[str]:
    for sep in "-.'’":
        word = word.replace(sep, " ")
    return word.split()


@lru_cache(maxsize=1)
def analyzer():
    """The analyzer object (cached: whoosh analyzers are reusable and cache stems)."""
    # renumber=False: a dropped stop word leaves its gap, so positions stay those of the text
    # for the index and the query alike, and the parts of a compound share its position.
    return (RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CompoundPartsFilter()
            | StopFilter(stoplist=STOP, minsize=1, renumber=False) | WordStemFilter())


def terms(text: str) -> list[str]:
    """The stemmed index terms of a text, in order (what alignment and highlighting compare)."""
    return [t.text for t in analyzer()(text, mode="query")]


@lru_cache(maxsize=50_000)
def word_stems(word: str) -> frozenset[str]:
    """The stems of one word as written (cached: highlighting looks up every word shown)."""
    return frozenset(terms(word))
