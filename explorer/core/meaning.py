"""Section vectors by meaning: a small static embedding model that ships inside a package.

WordLlama's 256-dimension English model (16 MB of token embeddings and its tokenizer, in
the `wordllama` wheel) turns a text into the average of its tokens' vectors. Two sections
on the same subject written with different words ("Natural Language Understanding",
"Linguistic Understanding") land close; two that merely share common words do not.
Nothing is downloaded, ever: the model is loaded from the package's own folder with
downloads disabled, so it works the same with no network and an empty HOME.

The model loads lazily, once per process, off the GUI thread (the indexer and the
comparison worker ask for it). If it cannot be loaded, `model()` returns None, the reason
is in `unavailable()`, and matching falls back to word overlap.

Vectors are stored as float16 (1 KB a section: body and title): cosines move by < 0.001.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .model import Section

__all__ = ["DIMENSIONS", "MeaningModel", "from_bytes", "model", "section_vectors", "to_bytes",
           "unavailable"]

log = logging.getLogger(__name__)

DIMENSIONS = 256
# A section's meaning is in its first paragraphs; beyond 512 tokens (~400 words, longer than
# 90% of the sections of the real reports in the corpus) the average barely moves, and the
# cost grows with the length.
MAX_TOKENS = 512
# Texts per call to the tokenizer: it works in parallel over a batch.
BATCH = 256
_DTYPE = np.float16

_lock = threading.Lock()
_loaded: MeaningModel | None = None
_failure: str | None = None
_tried = False


class MeaningModel:
    """Token embeddings and their tokenizer: text -> unit vector (zeros for no words)."""

    def __init__(self, embedding: np.ndarray, tokenizer):
        self._embedding = np.ascontiguousarray(embedding, dtype=np.float32)
        self._tokenizer = tokenizer
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors (float32, one row per text); a text without tokens gives zeros."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        vocabulary = self._embedding.shape[0]
        for start in range(0, len(texts), BATCH):
            chunk = list(texts[start:start + BATCH])
            encodings = self._tokenizer.encode_batch(chunk, add_special_tokens=False)
            for row, encoding in enumerate(encodings, start):
                ids = np.array(encoding.ids, dtype=np.int64)
                if ids.size:
                    np.clip(ids, 0, vocabulary - 1, out=ids)
                    # The average of the token vectors, scaled to unit length: the sum will do.
                    total = self._embedding[ids].sum(axis=0)
                    norm = np.linalg.norm(total)
                    if norm:
                        out[row] = total / norm
        return out


def model() -> MeaningModel | None:
    """This process's model, loaded on first use; None if it cannot be (see `unavailable`)."""
    global _loaded, _failure, _tried
    with _lock:
        if not _tried:
            _tried = True
            try:
                _loaded = _load()
            except Exception as exc:  # noqa: BLE001 - any failure means: match by words
                _failure = f"{type(exc).__name__}: {exc}"
                log.warning("the meaning model could not be loaded; matching by words",
                            exc_info=True)
        return _loaded


def unavailable() -> str | None:
    """Why the model could not be loaded, once `model()` has returned None."""
    return _failure


def _load() -> MeaningModel:
    # wordllama's inference module calls logging.basicConfig at import: keep the root
    # logger as the app configured it (else every message would go to stderr too).
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import wordllama
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    # The wheel holds weights/ and tokenizers/ in the package folder, the layout of
    # wordllama's cache: pointing the cache there finds both without any download.
    # (`load()` without it looks in tokenizer/, misses, and tries to download.)
    folder = Path(wordllama.__file__).resolve().parent
    inference = wordllama.WordLlama.load(cache_dir=folder, disable_download=True,
                                         dim=DIMENSIONS)
    return MeaningModel(inference.embedding, inference.tokenizer)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=_DTYPE).tobytes()


def from_bytes(data: bytes) -> np.ndarray | None:
    """A stored vector (float32), or None when none was stored (the model was missing)."""
    if len(data) != DIMENSIONS * np.dtype(_DTYPE).itemsize:
        return None
    return np.frombuffer(data, dtype=_DTYPE).astype(np.float32)


def section_vectors(sections: Sequence[tuple[str, Section]]) -> np.ndarray | None:
    """Each section's meaning: its body's vector, then its title's (N × 2·DIMENSIONS);
    None when the model cannot be loaded. (`sections`: (report id, section) pairs.)"""
    found = model()
    if found is None:
        return None
    texts = [s.text for _, s in sections] + [s.title for _, s in sections]
    vectors = found.embed(texts)
    return np.hstack([vectors[:len(sections)], vectors[len(sections):]])
