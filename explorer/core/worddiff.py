"""Word-level comparison of two texts, as runs a compare view can colour.

Texts are compared word by word (whitespace-separated, exact), with difflib's
SequenceMatcher and autojunk off: on texts of 200 words or more its junk heuristic ignores
every word making up over 1% of them ("the", "AI"), which garbles the matching.

Raw word diffs of two different paragraphs are confetti: "the", "of", "models" match here
and there between long changes. Like diff-match-patch's semantic cleanup, a short equal run
(under `KEEP_WORDS`) no longer than the changes on both sides of it is folded into them; a
phrase of `KEEP_WORDS` words or more said alike by both is worth showing, and stays.

Sections of generated reports on one subject are mostly written in other words: what is
left alike is then a few phrases, and painting every other word "only here" says nothing
(`alike` measures it; the comparison says so below `MIN_ALIKE` instead of painting).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

RunKind = Literal["equal", "only_a", "only_b"]
KEEP_WORDS = 4
# Below this share of their words in phrases said alike, two sections are not diffed word by
# word. Counterparts in the seeds and in re-runs of one crew (corpus 128/129, 131/132,
# 136/137) have 0-6% as a rule and up to 31% when a run copied sentences: a diff reads well
# from about a fifth.
MIN_ALIKE = 0.2


@dataclass(frozen=True, slots=True)
class DiffRun:
    kind: RunKind
    text: str      # words joined by single spaces; join runs with a space to rebuild a side


@dataclass(frozen=True, slots=True)
class WordDiff:
    runs: tuple[DiffRun, ...]
    shared_terms: tuple[str, ...]   # significant words both sections use, lower case, to highlight

    @property
    def alike(self) -> float:
        """The share of the two texts' words that are in phrases said alike (0..1)."""
        equal = sum(len(run.text.split()) for run in self.runs if run.kind == "equal")
        total = sum(len(run.text.split()) * (2 if run.kind == "equal" else 1)
                    for run in self.runs)
        return 2 * equal / total if total else 1.0


@dataclass(slots=True)
class _Segment:
    equal: bool
    a: list[str]
    b: list[str]      # for an equal segment, the same words as `a`

    @property
    def size(self) -> int:
        return max(len(self.a), len(self.b))


def diff_words(a: str, b: str) -> tuple[DiffRun, ...]:
    """Runs that give `a` when the "only_b" ones are dropped, and `b` without the "only_a"."""
    words_a, words_b = a.split(), b.split()
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    segments = [_Segment(op == "equal", words_a[i1:i2], words_b[j1:j2])
                for op, i1, i2, j1, j2 in matcher.get_opcodes()]
    return tuple(_runs(_fold_small_equalities(segments)))


def _fold_small_equalities(segments: list[_Segment]) -> list[_Segment]:
    # Opcodes alternate equal / change, so an interior equal segment sits between two changes.
    k = 1
    while k < len(segments) - 1:
        before, middle, after = segments[k - 1:k + 2]
        small = middle.size < KEEP_WORDS and middle.size <= min(before.size, after.size)
        if middle.equal and small:
            merged = _Segment(False, before.a + middle.a + after.a, before.b + middle.b + after.b)
            segments[k - 1:k + 2] = [merged]
            k = max(k - 2, 1)     # the merged change may now swallow the equality before it
        else:
            k += 1
    return segments


def _runs(segments: list[_Segment]) -> Iterator[DiffRun]:
    for segment in segments:
        if segment.equal:
            yield DiffRun("equal", " ".join(segment.a))
            continue
        if segment.a:
            yield DiffRun("only_a", " ".join(segment.a))
        if segment.b:
            yield DiffRun("only_b", " ".join(segment.b))
