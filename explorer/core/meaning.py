"""Section vectors by meaning: a small static embedding model that ships inside a package.

WordLlama's 256-dimension English model (16 MB of token embeddings and its tokenizer, in
the `wordllama` wheel) turns a text into the average of its tokens' vectors. Two sections
on the same subject written with different words ("Natural Language Understanding",
"Linguistic Understanding") land close; two that merely share common words do not.
Nothing is downloaded, ever: the two files are read from the package's own folder with
`safetensors` and `tokenizers` (what wordllama itself uses), never through wordllama's
loader, which falls back to a download when it looks in the wrong folder. So it works the
same with no network and an empty HOME.

The model loads lazily, once per process, off the GUI thread (the indexer and the
comparison worker ask for it). If it cannot be loaded, `model()` returns None, the reason
is in `unavailable()`, and matching falls back to word overlap.

Body vectors are stored as float16 (512 bytes a section): cosines move by < 0.001.
"""
from __future__ import annotations

import importlib.util
import logging
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .model import Section

__all__ = ["DIMENSIONS", "MeaningModel", "body_vectors", "from_bytes", "model", "section_vectors",
           "to_bytes", "unavailable"]

log = logging.getLogger(__name__)

DIMENSIONS = 256
# A section's meaning is in its first paragraphs; beyond 512 tokens (~400 words, longer than
# 90% of the sections of the real reports in the corpus) the average barely moves, and the
# cost grows with the length.
MAX_TOKENS = 512
# Texts per call to the tokenizer: it works in parallel over a batch.
BATCH = 256
_DTYPE = np.float16
# The model and its tokenizer as the wordllama wheel ships them (its "l2_supercat" model).
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"

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
            # The fast variant skips the character offsets (not needed): same ids, 30% faster.
            encodings = self._tokenizer.encode_batch_fast(chunk, add_special_tokens=False)
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
    from safetensors import safe_open
    from tokenizers import Tokenizer
    folder = _model_folder()
    with safe_open(str(folder / WEIGHTS), framework="np") as weights:
        embedding = weights.get_tensor("embedding.weight")
    if embedding.shape[1] != DIMENSIONS:
        raise ValueError(f"{WEIGHTS} has {embedding.shape[1]} dimensions, not {DIMENSIONS}")
    return MeaningModel(embedding, Tokenizer.from_file(str(folder / TOKENIZER)))


def _model_folder() -> Path:
    """The installed wordllama package's folder, found without importing the package: its
    __init__ brings requests and pydantic (for downloading models), which this never needs."""
    frozen = getattr(sys, "_MEIPASS", None)      # the bundle collects only the two files
    if frozen is not None:
        return Path(frozen) / "wordllama"
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the wordllama package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=_DTYPE).tobytes()


def from_bytes(data: bytes) -> np.ndarray | None:
    """A stored body vector (float32), or None when none was stored (the model was missing)."""
    if len(data) != DIMENSIONS * np.dtype(_DTYPE).itemsize:
        return None
    return np.frombuffer(data, dtype=_DTYPE).astype(np.float32)


def section_vectors(sections: Sequence[tuple[str, Section]],
                    bodies: Sequence[np.ndarray | None] | None = None) -> np.ndarray | None:
    """Each section's meaning: its body's vector, then its title's (N × 2·DIMENSIONS);
    None when the model cannot be loaded. `sections`: (report id, section) pairs;
    `bodies`: body vectors known already (the index stores them), None where not.

    Titles are embedded here, never stored: a few words each, 0.016 ms a title, against
    0.12 ms for a body and 512 bytes a section in the index."""
    found = model()
    if found is None:
        return None
    known = list(bodies) if bodies is not None else [None] * len(sections)
    missing = [i for i, vector in enumerate(known) if vector is None]
    vectors = found.embed([sections[i][1].text for i in missing] + [s.title for _, s in sections])
    for row, i in enumerate(missing):
        known[i] = vectors[row]
    titles = vectors[len(missing):]
    return np.hstack([np.vstack(known), titles]) if sections else np.zeros((0, 2 * DIMENSIONS))


def body_vectors(sections: Sequence[Section]) -> np.ndarray | None:
    """The vectors of the sections' bodies, as the index stores them; None without the model."""
    found = model()
    return None if found is None else found.embed([s.text for s in sections])
