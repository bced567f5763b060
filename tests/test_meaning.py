"""Matching by meaning: the model loads offline from its package, vectors are stored with the
index and kept in step with it, and without the model words alone decide (said once)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explorer.core import meaning
from explorer.core.alignment import Aligner
from explorer.core.library import scan_library
from explorer.core.session import LibrarySession

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


@pytest.fixture(scope="module")
def model():
    found = meaning.model()
    assert found is not None, meaning.unavailable()
    return found


def _cosine(model, a: str, b: str) -> float:
    x, y = model.embed([a, b])
    return float(x @ y)


def test_close_in_meaning_with_different_words(model):
    understanding = _cosine(model, "Natural Language Understanding", "Linguistic Understanding")
    unrelated = _cosine(model, "Real-time Adaptation", "Integration of Knowledge Bases")
    assert understanding > unrelated + 0.3


def test_vectors_are_unit_length_and_empty_text_is_zero(model):
    vectors = model.embed(["Edge devices run small models.", "", "x " * 5000])
    assert np.allclose(np.linalg.norm(vectors[[0, 2]], axis=1), 1.0, atol=1e-5)
    assert not vectors[1].any()


def test_stored_bytes_round_trip():
    vector = np.linspace(-1, 1, meaning.DIMENSIONS, dtype=np.float32)
    back = meaning.from_bytes(meaning.to_bytes(vector))
    assert back.dtype == np.float32 and np.abs(back - vector).max() < 1e-3
    assert meaning.from_bytes(b"") is None and meaning.from_bytes(b"\0" * 10) is None


# Runs in a child process: no network at all (every socket refuses), an empty HOME and no
# cache, and the root logger as an app sets it up (wordllama calls basicConfig at import).
_OFFLINE = """
import logging, socket, sys
def refuse(*args, **kwargs):
    raise OSError("network used")
socket.socket.connect = socket.socket.connect_ex = socket.create_connection = refuse
socket.getaddrinfo = refuse
handler = logging.NullHandler()
logging.getLogger().addHandler(handler)
from explorer.core import meaning
found = meaning.model()
assert found is not None, meaning.unavailable()
assert logging.getLogger().handlers == [handler], logging.getLogger().handlers
print(found.embed(["offline"]).shape)
"""


def test_loads_with_no_network_and_an_empty_home(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "HF_"))}
    env |= {"HOME": str(tmp_path), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", _OFFLINE], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"(1, {meaning.DIMENSIONS})"
    assert not any(tmp_path.iterdir())           # nothing cached or written in HOME


def test_without_the_model_words_decide(no_meaning_model):
    reports = list(scan_library(str(SEEDS)).reports)
    aligner = Aligner(reports)
    assert not aligner.by_meaning
    assert meaning.unavailable() == "FileNotFoundError: weights missing"
    assert len(aligner.topic_map()[0].sections) == len(reports)   # still lines them up


def _library(tmp_path: Path) -> Path:
    library = tmp_path / "library"
    shutil.copytree(SEEDS, library)
    return library


def _embedded_texts(monkeypatch, model) -> list[str]:
    texts: list[str] = []
    real = model.embed
    monkeypatch.setattr(model, "embed", lambda batch: texts.extend(batch) or real(batch))
    return texts


def test_body_vectors_are_stored_with_the_index_and_used(tmp_path, monkeypatch, model):
    session = LibrarySession.open(_library(tmp_path), tmp_path / "index")
    session.update()
    embedded = _embedded_texts(monkeypatch, model)
    assert session.aligner().by_meaning
    sections = [(r.id, s) for r in session.load_all() for s in r.sections]
    assert sorted(embedded) == sorted(s.title for _, s in sections)   # titles only
    fresh = meaning.section_vectors(sections)
    assert np.abs(session._meaning_of(sections) - fresh).max() < 2e-3
    session.close()


def test_vectors_follow_an_edited_report(tmp_path, model):
    library = _library(tmp_path)
    session = LibrarySession.open(library, tmp_path / "index")
    session.update()
    info = session.report_infos()[0]
    path = Path(info.path)
    path.write_text(path.read_text("utf-8") + "\n\n## 11. Cooking Bread\nKnead the dough "
                    "and let it rise in a warm kitchen before baking.\n", "utf-8")
    os.utime(path, (info.mtime + 10, info.mtime + 10))
    session.update()
    with session.index.whoosh.searcher() as searcher:
        stored = session.index.stored_meaning(session.info(info.id), searcher)
    report = session.load(info.id)
    assert sorted(stored) == [s.number for s in report.sections]
    bread = meaning.body_vectors([report.section(11)])[0]
    assert np.abs(stored[11] - bread).max() < 2e-3
    session.close()


def test_a_report_changed_since_indexing_is_embedded_now(tmp_path, monkeypatch, model):
    library = _library(tmp_path)
    session = LibrarySession.open(library, tmp_path / "index")
    session.update()
    info = session.report_infos()[1]
    path = Path(info.path)
    path.write_text(path.read_text("utf-8").replace("multimodal", "many-sensed"), "utf-8")
    session.load_all()                        # read from the file: not what was indexed
    embedded = _embedded_texts(monkeypatch, model)
    session.aligner()
    changed = session.load(info.id)
    titles = [s.title for r in session.load_all() for s in r.sections]
    assert sorted(embedded) == sorted([s.text for s in changed.sections] + titles)
    session.close()


def test_index_made_without_the_model_falls_back_to_words_and_says_so(tmp_path, no_meaning_model):
    session = LibrarySession.open(_library(tmp_path), tmp_path / "index")
    session.update()
    with session.index.whoosh.searcher() as searcher:
        assert session.index.stored_meaning(session.report_infos()[0], searcher) is None
    assert not session.aligner().by_meaning
    assert "matched by shared words only" in session.meaning_notice
    assert "weights missing" in session.meaning_notice
    session.close()


def test_cli_says_once_that_words_alone_decide(tmp_path):
    # A child process whose wordllama cannot be imported: the command still answers.
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "wordllama.py").write_text("raise ImportError('no wordllama here')\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(blocker), str(REPO)]),
               HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-m", "explorer.cli", "topics", "--json", "--library",
                           str(SEEDS), "--index-dir", str(tmp_path / "index")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["topics"]
    assert done.stderr.count("matched by shared words only") == 1
