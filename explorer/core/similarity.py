"""Section vectors: TF-IDF weighted stemmed terms of the body, blended with the title's.

Each section becomes one sparse unit-length vector whose dot product with another is

    (1 - TITLE_SHARE) · cosine(bodies) + TITLE_SHARE · cosine(titles)

Body and title are weighted apart, then concatenated (title terms under a prefix): mixing
title words into the body as extra counts drowns a 4-word title in a 150-word body, while
a fixed share lets "Ethical AI Frameworks" ~ "Ethical AI and Bias Mitigation" count without
letting titles decide alone ("Advancements in ..." starts unrelated sections). The share,
the weighting and the threshold used with it were chosen by measurement on the seeds
against hand labels (tests/test_alignment.py).

Terms come from the shared analyzer, so alignment, search and highlighting agree on what
a word is. IDF is computed over the sections given: what is common in this library
(here "AI", "LLMs", "models") weighs little.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain

from whoosh.lang import stopwords_for_language

from .analysis import analyzer, terms
from .model import Section

TITLE_SHARE = 0.2
TITLE_PREFIX = "title:"      # cannot clash with a term: the analyzer never emits ':'
# A term in more than a third of the sections (and more than a handful) is not a key term.
COMMON_SHARE = 1 / 3
COMMON_FLOOR = 5

Vector = dict[str, float]


def surface_terms(text: str) -> list[tuple[str, str]]:
    """(term, word as written) pairs, in order; the terms are exactly `analysis.terms(text)`."""
    return [(t.text, t.original) for t in analyzer()(text, mode="query", keeporiginal=True)]


def tf_weight(count: int) -> float:
    # Sublinear: a word said five times is not five times as much about the topic.
    return 1.0 + math.log(count)


def idf(df: int, n: int) -> float:
    # Smoothed, and never zero: a term every section has still says a little.
    return math.log((1 + n) / (1 + df)) + 1.0


def dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def unit(weights: dict[str, float]) -> Vector:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


class SectionVectors:
    """The vectors of a fixed list of sections, with the statistics to weigh other texts alike."""

    def __init__(self, sections: Sequence[Section], title_share: float = TITLE_SHARE):
        self._title_share = title_share
        analysed = [(surface_terms(s.text), surface_terms(s.title)) for s in sections]
        self._n = len(sections)
        self._df = Counter(t for body, title in analysed
                           for t in dict.fromkeys(t for t, _ in body + title))
        self._idf = {t: idf(df, self._n) for t, df in self._df.items()}
        self._unseen_idf = idf(0, self._n)
        self._spellings = Counter(chain.from_iterable(body + title for body, title in analysed))
        self._surface: dict[str, str] | None = None      # worked out when first asked
        self.vectors: tuple[Vector, ...] = tuple(self._vector(b, t) for b, t in analysed)

    def embed(self, section: Section) -> Vector:
        """The vector of any section, weighed with this library's IDF (unknown terms: rarest)."""
        return self._vector(surface_terms(section.text), surface_terms(section.title))

    def surface(self, term: str) -> str:
        """The word a reader knows a stemmed term by: its most frequent spelling here."""
        if self._surface is None:
            self._surface = _surface_forms(self._spellings)
        return self._surface.get(term, term)

    def is_key(self, term: str) -> bool:
        """Whether a term can name a topic: not a function word, nor common in the library.

        The shared analyzer keeps "their", "while", ...; they weigh little in similarity,
        but a label made of them says nothing. Nor does "AI" in a library about AI.
        """
        common = self._df.get(term, 0) > max(COMMON_FLOOR, self._n * COMMON_SHARE)
        return not common and term not in _function_terms()

    def key_terms(self, weights: dict[str, float], limit: int) -> list[str]:
        """The heaviest key terms of a term -> weight map, heaviest first."""
        ranked = sorted((-w, t) for t, w in weights.items() if self.is_key(t))
        return [t for _, t in ranked[:limit]]

    def shared_terms(self, a: Vector, b: Vector, limit: int) -> list[str]:
        """The key terms two vectors share, by their part in the similarity, strongest first."""
        wa, wb = term_weights(a), term_weights(b)
        return self.key_terms({t: w * wb[t] for t, w in wa.items() if t in wb}, limit)

    def _vector(self, body: list[tuple[str, str]], title: list[tuple[str, str]]) -> Vector:
        vector = {t: w * math.sqrt(1.0 - self._title_share)
                  for t, w in self._weights(body).items()}
        for t, w in self._weights(title).items():
            vector[TITLE_PREFIX + t] = w * math.sqrt(self._title_share)
        return vector

    def _weights(self, terms: list[tuple[str, str]]) -> Vector:
        counts = Counter(t for t, _ in terms)
        idf_of = self._idf.get
        return unit({t: tf_weight(c) * idf_of(t, self._unseen_idf) for t, c in counts.items()})


def vector_terms(vector: Vector) -> set[str]:
    """The terms of a vector, title or body."""
    return {key.removeprefix(TITLE_PREFIX) for key in vector}


def term_weights(vector: Vector) -> dict[str, float]:
    """Weight of each term of a vector, its title and body parts added (for ranking terms)."""
    merged: dict[str, float] = {}
    for key, w in vector.items():
        term = key.removeprefix(TITLE_PREFIX)
        merged[term] = merged.get(term, 0.0) + w
    return merged


@lru_cache(maxsize=1)
def _function_terms() -> frozenset[str]:
    # Whoosh's full English list, through the shared analyzer so the forms match.
    return frozenset(t for word in stopwords_for_language("en") for t in terms(word))


def _surface_forms(spellings: Counter[tuple[str, str]]) -> dict[str, str]:
    counts: dict[str, Counter[str]] = {}
    for (term, word), n in spellings.items():
        counts.setdefault(term, Counter())[word] = n
    return {t: _spelling(c) for t, c in counts.items()}


def _spelling(counts: Counter[str]) -> str:
    # "Multimodal" heading a sentence is the word "multimodal"; "AI" and "IoT" stay as they are.
    folded: Counter[str] = Counter()
    for word, n in counts.items():
        folded[word.lower() if word.istitle() and word.lower() in counts else word] += n
    # Ties go to the lower-case, then the alphabetically first spelling: never to reading order.
    return min(folded, key=lambda w: (-folded[w], not w.islower(), w))
