"""Ranking: Whoosh's BM25F, with each segment's field lengths read once into memory.

BM25F needs the length of the field for every document it scores. Whoosh reads it from
the segment file with a seek and a one-byte read per document: with the index opened
without mmap (see index._storage) that was a third of a search's time on a 10,000-report
library. The lengths are one byte per document and field (100 KB per field at 100,000
sections), so each segment's are read in one go the first time a query scores it.
"""
from __future__ import annotations

import logging
from weakref import WeakKeyDictionary

from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

log = logging.getLogger(__name__)

# Whoosh stores a length as one byte (a lossy log scale); this is its decoding, per byte.
_DECODED = tuple(byte_to_length(b) for b in range(256))


class BM25F(scoring.BM25F):
    """Whoosh's BM25F (same parameters, same scores), with field lengths held in memory."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # (segment reader, field) -> lengths; weak, so a closed searcher's go with it
        self._lengths: WeakKeyDictionary = WeakKeyDictionary()

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf)
        if isinstance(scorer, scoring.BM25FScorer):
            lengths = self._field_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths.__getitem__
        return scorer

    def _field_lengths(self, reader, fieldname: str) -> list[int] | None:
        per_field = self._lengths.setdefault(reader, {})
        if fieldname not in per_field:
            per_field[fieldname] = _read_lengths(reader, fieldname)
        return per_field[fieldname]


def _read_lengths(reader, fieldname: str) -> list[int] | None:
    """Every document's length of `fieldname` in one segment, decoded; None when the
    segment does not store them the way whoosh3 does (then Whoosh reads them itself)."""
    try:
        perdoc = reader._perdoc       # whoosh3's per-document reader (pinned version)
        if not perdoc.has_column(_lenfield(fieldname)):
            return None
        column = perdoc.column_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        raw = column._dbfile.get(column._basepos, column._count)
    except AttributeError:
        log.warning("field lengths not readable in one go: Whoosh reads them per document")
        return None
    # Whoosh reads a missing length (a document without the field) as 0 bytes -> None;
    # such a document never reaches a scorer of that field, so any value will do.
    padding = [1] * (reader.doc_count_all() - len(raw))
    return [_DECODED[b] for b in raw] + padding
