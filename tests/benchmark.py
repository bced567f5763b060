"""Search benchmark: the app's Whoosh index against SQLite FTS5 on one synthetic library.

    python tests/benchmark.py --reports N [--json] [--quick] [--typing] [--queries Q]

Writes N deterministic reports shaped like the seeds (a `# Title`, ten `## N. Section` parts of
80-130 words) into a temporary folder, then measures, for each engine on the same files and the
same query mix: build time, index size, open time in a fresh process, search latency with and
without snippets (the top 20, as the window shows them first) and with the exact number of
matches (as the command line prints it), adding one report, and memory. Also the topic map (if `explorer.core.alignment`
exists) and, with `--typing`, search as you type.

Each engine's build and each engine's searching run in their own subprocess, so that memory
figures are not mixed and "open" is measured in a process that has not touched the index yet
(the OS file cache is warm all the same). The parent only writes the library and the queries,
and collects the children's JSON.

The vocabulary is the seeds' (about 1,300 words) whatever N is, whereas a real library's grows
with it: at large N every word is in many sections, so query times here are on the high side.

Not a pytest module (pytest collects test_*.py only); `test_benchmark_smoke.py` runs it.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from itertools import accumulate
from pathlib import Path

SCRIPT = Path(__file__).resolve()
REPO = SCRIPT.parents[1]
SEEDS = REPO / "seeds"
RANDOM_SEED = "report-explorer-benchmark"

# Topics the generated section titles are made of, in the seeds' manner.
TOPICS = (
    "Multimodal Models", "Ethics", "Efficiency", "Personalization", "Education",
    "Real-Time Translation", "Explainability", "Sustainability", "Regulation", "Security",
    "Open Source", "Edge Deployment", "Memory", "Fine-Tuning", "Scaling", "Healthcare",
    "Collaboration", "Bias Mitigation", "Reasoning", "Privacy", "Sparse Training", "Robustness",
)
TITLE_TEMPLATES = (
    "Advancements in {t}", "{t}", "{t} and {u}", "Focus on {t}", "{t} Breakthroughs",
    "Progress in {t}", "{t} in Practice", "Improvements in {t}",
)
REPORT_TITLES = (
    "Report on Recent Advancements in AI LLMs", "AI LLMs Report: {y} Advancements and Trends",
    "Report on {t} and {u} in Large Language Models", "The State of AI Language Models in {y}",
)
# Searches people type into the box, for --typing.
TYPING = (
    "multimodal models", "ethical ai", "sparse attention", "energy efficiency", "bias mitigation",
    "real-time translation", "personalized assistants", "explainability", "regulatory compliance",
    "open source models", "edge deployment", "fine-tuning techniques", "data privacy",
    "human-ai collaboration", "contextual understanding", "memory integration", "model size",
    "sustainability", "education", "healthcare applications", "virtual assistants", "transparency",
    "security enhancements", "natural language understanding", "cross-disciplinary",
    "decentralization", "interpretable ai", "conversational agents", "generative ai",
    "policy developments", "carbon footprint", "training costs", "user engagement",
    "recommendation systems", "misinformation", "scaling laws", "robustness",
    "localized language models", "productivity", "customer service",
)
QUERY_KINDS = ("term", "and", "phrase", "prefix", "fuzzy", "or", "not", "title")
# A word no generated report contains: the report added in the add-one test is found by it.
MARKER = "zyxquorbit"
ADDED_STEM = "zzzz_added_"       # sorts after every generated report
# Words nobody searches for: kept out of generated queries and topic words.
STOP = frozenset("""a an and are as at be by can for from has have if in is it may of on or that the
this to us we when will with within without you your their they these those its also not""".split())
SECTION_WORDS = (80, 130)
TOPIC_P, JUMP_P = 0.04, 0.15     # per word: a word of the section's title; a fresh draw


# -- the synthetic library ---------------------------------------------------------------
class Vocabulary:
    """A word-bigram chain over the seeds' text: word frequencies stay the seeds' (Zipf-like)
    and common pairs stay common, so phrase queries find what a reader would expect."""

    def __init__(self, texts: list[str]):
        tokens = []
        for text in texts:
            body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
            tokens += re.findall(r"[A-Za-z][\w'’-]*\w|[A-Za-z]|[.,;:]", body.replace("**", ""))
        pairs: dict[str, Counter] = {}
        for prev, nxt in zip(["."] + tokens, tokens):
            pairs.setdefault(prev, Counter())[nxt] += 1
        self.chain = {prev: _weighted(counts) for prev, counts in pairs.items()}
        self.counts = Counter(t for t in tokens if t[0].isalpha())
        self.unigram = _weighted(self.counts)

    def content_words(self) -> list[str]:
        """Lower-case words worth searching for, most frequent first."""
        words = Counter()
        for word, n in self.counts.items():
            if word.isalpha() and len(word) >= 4 and word.lower() not in STOP:
                words[word.lower()] += n
        return [w for w, _ in words.most_common()]

    def body(self, rng: random.Random, topic_words: list[str]) -> str:
        target = rng.randint(*SECTION_WORDS)
        out, words, prev = [], 0, "."
        while words < target:
            roll = rng.random()
            if roll < TOPIC_P and topic_words:
                token = rng.choice(topic_words)
            elif roll < TOPIC_P + JUMP_P or prev not in self.chain:
                token = _draw(rng, self.unigram)
            else:
                token = _draw(rng, self.chain[prev])
            if not token[0].isalpha():
                if not prev[0].isalpha():
                    continue             # no ". ," runs
                out[-1] += token
            else:
                out.append(token[0].upper() + token[1:] if prev == "." else token)
                words += 1
            prev = token
        return " ".join(out).rstrip(",;:.") + "."


def _weighted(counts: Counter) -> tuple[list[str], list[int]]:
    """Tokens and cumulative weights: what `random.choices` draws from fastest."""
    return list(counts), list(accumulate(counts.values()))


def _draw(rng: random.Random, weighted: tuple[list[str], list[int]]) -> str:
    return rng.choices(weighted[0], cum_weights=weighted[1])[0]


def seed_texts() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def seed_section_titles(texts: list[str]) -> list[str]:
    return [m for text in texts for m in re.findall(r"^## \d+\.\s*(.+)$", text, re.M)]


def report_text(vocab: Vocabulary, seed_titles: list[str], number: int) -> str:
    """Report `number`, the same in every run and for every N (its own random generator)."""
    rng = random.Random(f"{RANDOM_SEED}:{number}")
    topics = rng.sample(TOPICS, 10)
    title = rng.choice(REPORT_TITLES).format(t=topics[0], u=topics[1], y=rng.randint(2023, 2026))
    parts = [f"# {title}\n"]
    for n, topic in enumerate(topics, 1):
        if rng.random() < 0.3:
            heading = rng.choice(seed_titles)
        else:
            other = rng.choice([t for t in TOPICS if t != topic])
            heading = rng.choice(TITLE_TEMPLATES).format(t=topic, u=other)
        topic_words = [w.lower() for w in re.findall(r"[A-Za-z]+", heading) if w.lower() not in STOP]
        parts.append(f"## {n}. {heading}\n{vocab.body(rng, topic_words)}\n")
    return "\n".join(parts)


def write_library(library: Path, count: int) -> Vocabulary:
    texts = seed_texts()
    vocab, titles = Vocabulary(texts), seed_section_titles(texts)
    library.mkdir(parents=True)
    for i in range(count):
        name = f"{i:05d}_{random.Random(f'{RANDOM_SEED}:name:{i}').getrandbits(64):016x}.md"
        (library / name).write_text(report_text(vocab, titles, i), "utf-8")
    return vocab


def write_new_report(vocab: Vocabulary, count: int, path: Path) -> None:
    """The report the add-one test adds: the next generated one, with the marker word in it."""
    text = report_text(vocab, seed_section_titles(seed_texts()), count)
    path.write_text(text.replace("\n## 2.", f" {MARKER.capitalize()} matters.\n\n## 2.", 1), "utf-8")


# -- the query mix -----------------------------------------------------------------------
def build_queries(vocab: Vocabulary, library: Path, count: int, stream: str = "queries",
                  exclude: frozenset[str] = frozenset()) -> list[dict]:
    """`count` different queries, the kinds in turn; each in Whoosh's syntax and in FTS5's.
    All different because the app's Searcher caches answers: a repeat would time the cache."""
    rng = random.Random(f"{RANDOM_SEED}:{stream}")
    words = vocab.content_words()
    common = words[:60]
    phrases = corpus_phrases(library, rng)
    topic_words = sorted({w.lower() for t in TOPICS for w in re.findall(r"[A-Za-z]+", t)
                          if len(w) > 3})

    def word() -> str:         # half common words, half any word (mostly rare ones)
        return rng.choice(common if rng.random() < 0.5 else words)

    makers = {
        "term": lambda i: _q("term", word()),
        "and": lambda i: _q("and", f"{word()} {word()}"),
        "phrase": lambda i: _q("phrase", f'"{rng.choice(phrases)}"'),
        "prefix": lambda i: _q("prefix", "multi*" if i == 0 else rng.choice(common)[:rng.randint(3, 5)] + "*"),
        "fuzzy": lambda i: _q("fuzzy", "efficency~" if i == 0 else _misspell(rng, rng.choice(common)) + "~"),
        "or": lambda i: _q("or", f"{word()} OR {word()}"),
        "not": lambda i: _q("not", f"{word()} NOT {word()}"),
        "title": lambda i: _q("title", f"title:{rng.choice(topic_words)}"
                                       + (f" {word()}" if rng.random() < 0.5 else "")),
    }
    queries, seen, attempts = [], set(exclude), Counter()
    while len(queries) < count:
        kind = QUERY_KINDS[len(queries) % len(QUERY_KINDS)]
        query = makers[kind](attempts[kind])
        attempts[kind] += 1
        if query["whoosh"] not in seen:
            seen.add(query["whoosh"])
            queries.append(query)
    return queries


def corpus_phrases(library: Path, rng: random.Random) -> list[str]:
    """Runs of two or three words as they occur in the generated reports."""
    files = sorted(library.glob("*.md"))
    phrases = []
    for path in rng.sample(files, min(40, len(files))):
        for line in path.read_text("utf-8").splitlines():
            if line.startswith("#") or not line:
                continue
            for run in re.split(r"[.,;:]", line.lower()):
                tokens = run.split()
                for start in range(0, len(tokens) - 3, 7):
                    phrase = tokens[start:start + rng.randint(2, 3)]
                    if all(t.isalpha() for t in phrase) and phrase[0] not in STOP and phrase[-1] not in STOP:
                        phrases.append(" ".join(phrase))
    return phrases


def _misspell(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1:]


def _q(kind: str, whoosh: str) -> dict:
    return {"kind": kind, "whoosh": whoosh, "fts5": to_fts5(whoosh)}


def to_fts5(query: str) -> str:
    """The same query in FTS5 syntax: words quoted (a hyphen is an operator there), AND
    implicit, phrases, prefixes, OR, NOT and `title:` kept; fuzzy becomes the plain word,
    as FTS5 has no fuzzy match."""
    out = []
    for token in re.findall(r'"[^"]*"|\S+', query):
        if token.startswith('"') or token in ("OR", "NOT"):
            out.append(token)
            continue
        field, _, word = token.rpartition(":")
        prefix = field + ":" if field else ""
        if word.endswith("*"):
            out.append(prefix + word)
        else:
            out.append(f'{prefix}"{word.rstrip("~")}"')
    return " ".join(out)


# -- measuring ---------------------------------------------------------------------------
def sig(x: float) -> float:
    """Four significant digits: enough for any of these figures, and never a rounded 0."""
    return float(f"{x:.4g}")


def percentiles(samples: list[float]) -> dict[str, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": sig(q[49]), "p95": sig(q[94]), "p99": sig(q[98])}


def load_queries(work: Path) -> tuple[list[dict], list[dict]]:
    """(warm-up queries, measured queries)."""
    data = json.loads((work / "queries.json").read_text("utf-8"))
    return data["warmup"], data["measured"]


def time_queries(run, warmup: list[dict], queries: list[dict], engine: str
                 ) -> tuple[list[float], dict[str, float]]:
    """Milliseconds per query, and the p99 of each kind (where the time goes). The warm-up
    queries go first, as the first touches of an index are not the steady state."""
    for q in warmup:
        run(q[engine])
    times, by_kind = [], {}
    for q in queries:
        started = time.perf_counter()
        run(q[engine])
        ms = (time.perf_counter() - started) * 1000
        times.append(ms)
        by_kind.setdefault(q["kind"], []).append(ms)
    return times, {k: sig(max(v) if len(v) < 2 else percentiles(v)["p99"]) for k, v in by_kind.items()}


def peak_rss_mb() -> float:
    import resource
    return sig(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)   # KiB on Linux


def current_rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return sig(pages * os.sysconf("SC_PAGE_SIZE") / 2**20)


def du_mb(folder: Path) -> float:
    """Disk usage as `du` counts it (allocated blocks)."""
    return sig(sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file()) / 2**20)


# -- the children: each engine's build and serving, typing, the topic map ---------------
# Each imports what it needs itself, so that a child's memory holds one engine only.
def whoosh_build(work: Path, folder: str = "whoosh") -> dict:
    from explorer.core.index import ReportIndex
    started = time.perf_counter()
    index = ReportIndex(work / "library", work / folder)
    stats = index.update()
    build_s = time.perf_counter() - started
    index.close()
    return {"build_s": sig(build_s), "size_mb": du_mb(work / folder),
            "build_rss_mb": peak_rss_mb(), "reports": stats.reports, "sections": stats.sections}


def whoosh_build_words(work: Path) -> dict:
    """The same build without meaning vectors (as with no model): what the vectors cost."""
    from explorer.core import meaning
    meaning._tried = True           # as if loading had failed: nothing embedded
    return whoosh_build(work, "whoosh-words")


def whoosh_serve(work: Path) -> dict:
    """The app's path: open, search with snippets, add a report. Query evaluation alone comes
    last, once memory is read: its own searcher holds a second copy of the postings."""
    from explorer.core.index import ReportIndex
    from explorer.core.search import Searcher
    warmup, queries = load_queries(work)
    started = time.perf_counter()
    index = ReportIndex(work / "library", work / "whoosh")
    searcher = Searcher(index)
    open_s = time.perf_counter() - started

    # The window's path: the top 20 with snippets first, the total estimated; the command
    # line's exact count of every match is timed apart.
    snippets, by_kind = time_queries(lambda text: searcher.search(text, limit=20, count=False),
                                     warmup, queries, "whoosh")
    counted, _ = time_queries(lambda text: searcher.search(text, limit=20), warmup, queries,
                              "whoosh")
    rss_after = current_rss_mb()
    add_ms = whoosh_add_one(work, index, searcher)
    rss_peak = peak_rss_mb()
    searcher.close()
    plain, _ = time_queries(whoosh_evaluator(index), warmup, queries, "whoosh")
    index.close()
    return _served(open_s, plain, snippets, counted, by_kind, add_ms, rss_after, rss_peak)


def whoosh_evaluator(index):
    """Query evaluation alone: the app's parser and ranking, one long-lived searcher, the
    top 20's stored fields, and no len(results), which would count every match."""
    from explorer.core.query import make_parser, repair_query
    from explorer.core.scoring import BM25F
    ix = index.whoosh
    parser, searcher = make_parser(ix.schema, index.vocabulary), ix.searcher(weighting=BM25F())

    def evaluate(text: str) -> list:
        q = parser.parse(repair_query(text)[0]).normalize()
        return [hit["report"] for hit in searcher.search(q, limit=20)]
    return evaluate


def whoosh_add_one(work: Path, index, searcher) -> float:
    """Milliseconds from a new file in the library to a search that finds it."""
    added = work / "library" / f"{ADDED_STEM}whoosh.md"
    shutil.copy(work / "new_report.md", added)
    started = time.perf_counter()
    index.update()
    found = searcher.search(MARKER).hits
    add_ms = (time.perf_counter() - started) * 1000
    if [h.report for h in found] != [added.stem]:
        raise RuntimeError(f"whoosh: the added report was not found by {MARKER!r}")
    return add_ms


def fts5_build(work: Path) -> dict:
    from explorer.core.library import scan_library
    started = time.perf_counter()
    # Parsing goes through the app's reader, so both engines index the very same sections.
    reports = scan_library(work / "library").reports
    read_s = time.perf_counter() - started
    (work / "fts5").mkdir()
    db = sqlite3.connect(work / "fts5" / "reports.db")
    db.execute("CREATE VIRTUAL TABLE sections USING fts5("
               "report UNINDEXED, section UNINDEXED, title, body, tokenize='porter')")
    with db:
        db.executemany("INSERT INTO sections VALUES (?, ?, ?, ?)", _rows(reports))
    db.close()
    build_s = time.perf_counter() - started
    return {"build_s": sig(build_s), "read_s": sig(read_s), "size_mb": du_mb(work / "fts5"),
            "build_rss_mb": peak_rss_mb(), "sections": sum(len(r.sections) for r in reports)}


def _rows(reports):
    return ((r.id, s.number, s.title, s.text) for r in reports for s in r.sections)


# bm25 weights per column (report, section, title, body): titles count double, as in Whoosh.
FTS5_TOP = ("SELECT report, section, title{extra} FROM sections WHERE sections MATCH ? "
            "ORDER BY bm25(sections, 0, 0, 2.0, 1.0) LIMIT 20")
FTS5_SNIPPET = ", snippet(sections, 3, '<mark>', '</mark>', ' … ', 32)"


def fts5_serve(work: Path) -> dict:
    """The same steps as `whoosh_serve`, in the same order."""
    import explorer.core.library  # noqa: F401 - an FTS5 app reads reports too: count its memory
    warmup, queries = load_queries(work)
    started = time.perf_counter()
    db = sqlite3.connect(work / "fts5" / "reports.db")
    db.execute("SELECT rowid FROM sections LIMIT 1").fetchall()   # connecting alone reads nothing
    open_s = time.perf_counter() - started

    plain_sql, snippet_sql = FTS5_TOP.format(extra=""), FTS5_TOP.format(extra=FTS5_SNIPPET)

    def with_snippets(text: str) -> list:
        return db.execute(snippet_sql, (text,)).fetchall()

    def counted(text: str) -> tuple:
        total = db.execute("SELECT count(*) FROM sections WHERE sections MATCH ?", (text,)).fetchone()
        return total, with_snippets(text)

    snippets, by_kind = time_queries(with_snippets, warmup, queries, "fts5")
    with_total, _ = time_queries(counted, warmup, queries, "fts5")
    rss_after = current_rss_mb()
    add_ms = fts5_add_one(work, db, snippet_sql)
    rss_peak = peak_rss_mb()
    plain, _ = time_queries(lambda text: db.execute(plain_sql, (text,)).fetchall(), warmup, queries,
                            "fts5")
    db.close()
    return _served(open_s, plain, snippets, with_total, by_kind, add_ms, rss_after, rss_peak)


def fts5_add_one(work: Path, db, snippet_sql: str) -> float:
    from explorer.core.library import read_report
    library = work / "library"
    added = library / f"{ADDED_STEM}fts5.md"
    shutil.copy(work / "new_report.md", added)
    started = time.perf_counter()
    report = read_report(added, library)
    with db:
        # A scan of every row (report is not indexed): what this plain schema costs a re-add.
        db.execute("DELETE FROM sections WHERE report = ?", (report.id,))
        db.executemany("INSERT INTO sections VALUES (?, ?, ?, ?)", _rows([report]))
    found = db.execute(snippet_sql, (f'"{MARKER}"',)).fetchall()
    add_ms = (time.perf_counter() - started) * 1000
    if [row[0] for row in found] != [report.id]:
        raise RuntimeError(f"fts5: the added report was not found by {MARKER!r}")
    return add_ms


def _served(open_s, plain, snippets, counted, by_kind, add_ms, rss_after, rss_peak) -> dict:
    return {"open_s": sig(open_s), "search_ms": percentiles(plain),
            "search_snippets_ms": percentiles(snippets),
            "search_snippets_total_ms": percentiles(counted), "add_one_ms": sig(add_ms),
            "rss_mb": rss_peak, "rss_after_queries_mb": rss_after,
            "snippets_p99_by_kind_ms": by_kind}


def typing(work: Path, sessions: int) -> dict:
    """Every prefix of each typed query searched as the search box does while someone types
    (the app's search-as-you-type path: the best LIVE_LIMIT with snippets, as the window
    shows them), one searcher for all, as in the app: its cache of
    answers counts, like the repeated "m", "mu" of different sessions. A search that raises
    is counted and named, not timed: the figures must still come out while core has a bug."""
    from explorer.core.index import ReportIndex
    from explorer.core.search import LIVE_LIMIT, Searcher
    index = ReportIndex(work / "library", work / "whoosh")
    searcher = Searcher(index)
    times, cut_short, errors = [], [], {}

    def type_all() -> None:
        searcher.search("warm")
        for text in TYPING[:sessions]:
            for end in range(1, len(text) + 1):
                started = time.perf_counter()
                try:
                    result = searcher.search(text[:end], limit=LIVE_LIMIT, live=True)
                except Exception as exc:  # noqa: BLE001 - reported in the figures, see above
                    error = errors.setdefault(f"{type(exc).__name__}: {exc}",
                                              {"count": 0, "first_query": text[:end]})
                    error["count"] += 1
                    continue
                times.append(((time.perf_counter() - started) * 1000, text[:end]))
                cut_short.append(not result.complete)

    # In a worker thread, as the window searches: Whoosh's time limit works by SIGALRM in
    # the main thread and by a timer thread elsewhere.
    worker = threading.Thread(target=type_all)
    worker.start()
    worker.join()
    if len(times) < 2:
        raise RuntimeError(f"typing: (almost) every search failed: {errors}")
    slowest = max(times)
    return {**percentiles([ms for ms, _ in times]), "max": sig(slowest[0]),
            "searches": len(times), "cut_short": sum(cut_short), "slowest_query": slowest[1],
            "errors": errors}


def topic_map(work: Path) -> dict | None:
    import importlib.util
    if importlib.util.find_spec("explorer.core.alignment") is None:
        return None
    from explorer.core import meaning
    from explorer.core.alignment import Aligner
    from explorer.core.library import list_report_files, read_report
    library = work / "library"
    reports = [read_report(path, library) for path in list_report_files(library)[:200]]
    sections = [(r.id, s) for r in reports for s in r.sections]
    started = time.perf_counter()
    vectors = meaning.section_vectors(sections)      # in the app: read from the index
    seconds = {"embed": sig(time.perf_counter() - started)}
    for count in sorted({len(reports), 5}, reverse=True):
        for name, given in (("", lambda found: vectors[:len(found)]), ("words_", lambda _: None)):
            started = time.perf_counter()
            Aligner(reports[:count], given).topic_map()
            seconds[f"{name}{count}"] = sig(time.perf_counter() - started)
    return seconds


def report_groups(work: Path) -> dict:
    """`explorer groups` on the built index: vectors read from it, reports grouped."""
    from explorer.core import groups
    from explorer.core.index import ReportIndex
    index = ReportIndex(work / "library", work / "whoosh")
    started = time.perf_counter()
    infos = sorted(index.reports.values(), key=lambda info: info.id)
    bodies = groups.stored_bodies(index.whoosh, [info.id for info in infos])
    found = groups.group_reports(infos, groups.subjects(infos, bodies, lambda _i: [""]))
    seconds = time.perf_counter() - started
    index.close()
    return {"seconds": sig(seconds), "groups": len(found), "reports": len(infos)}


PARTS = {"whoosh-build": whoosh_build, "whoosh-build-words": whoosh_build_words,
         "groups": report_groups,
         "whoosh-serve": whoosh_serve, "fts5-build": fts5_build,
         "fts5-serve": fts5_serve, "topics": topic_map}


# -- the parent --------------------------------------------------------------------------
def run_part(part: str, work: Path, *extra: str):
    out = subprocess.run([sys.executable, str(SCRIPT), "--part", part, "--workdir", str(work), *extra],
                         stdout=subprocess.PIPE, text=True, check=True).stdout
    return json.loads(out)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare(work: Path, reports: int, queries: int) -> None:
    """The library, the report the add-one test adds, and the queries, for the children."""
    log(f"writing {reports} reports…")
    vocab = write_library(work / "library", reports)
    write_new_report(vocab, reports, work / "new_report.md")
    measured = build_queries(vocab, work / "library", queries)
    warmup = build_queries(vocab, work / "library", len(QUERY_KINDS), "warm-up",
                           frozenset(q["whoosh"] for q in measured))
    (work / "queries.json").write_text(json.dumps({"warmup": warmup, "measured": measured}),
                                       "utf-8")


def benchmark(args) -> dict:
    load_avg = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="explorer-bench-") as tmp:
        work = Path(tmp)
        prepare(work, args.reports, args.queries)
        log("whoosh: building…")
        whoosh = run_part("whoosh-build", work)
        log("whoosh: building without meaning vectors…")
        words = run_part("whoosh-build-words", work)
        log("fts5: building…")
        fts5 = run_part("fts5-build", work)
        log("topic map…")
        topics = run_part("topics", work)
        log("groups…")
        grouped = run_part("groups", work)
        log(f"whoosh: {args.queries} queries…")
        whoosh.update(run_part("whoosh-serve", work))
        log(f"fts5: {args.queries} queries…")
        fts5.update(run_part("fts5-serve", work))
        typing_ms = None
        if args.typing:
            log("whoosh: typing…")
            typing_ms = run_part("typing", work, "--sessions", str(args.sessions))
    sections = whoosh.pop("sections")
    if sections != fts5.pop("sections"):
        raise RuntimeError("the two engines indexed different numbers of sections")
    import whoosh as whoosh_pkg     # here, not at the top: the FTS5 children must not load it
    return {
        "reports": whoosh.pop("reports"), "sections": sections, "queries": args.queries,
        "cores": os.cpu_count(), "load_avg": load_avg,
        "load_avg_end": [round(x, 2) for x in os.getloadavg()], "python": sys.version.split()[0],
        "versions": {"whoosh": whoosh_pkg.versionstring(), "sqlite": sqlite3.sqlite_version},
        "read_s": fts5.pop("read_s"),
        "engines": {"whoosh": whoosh, "fts5": fts5},
        "ratios": ratios(whoosh, fts5),
        "typing_ms": typing_ms, "topic_map_s": topics, "groups": grouped,
        "meaning_vectors": {"build_s_without": words["build_s"],
                            "added_to_build": sig(whoosh["build_s"] / words["build_s"] - 1),
                            "size_mb_without": words["size_mb"]},
    }


def ratios(a, b):
    """Whoosh / FTS5 for every figure both have."""
    if isinstance(a, dict):
        return {k: ratios(a[k], b[k]) for k in a if k in b}
    return sig(a / b) if b else None


ROWS = (
    ("build (s)", ("build_s",)), ("index size (MB)", ("size_mb",)),
    ("open, fresh process (s)", ("open_s",)),
    *((f"search {p} (ms)", ("search_ms", p)) for p in ("p50", "p95", "p99")),
    *((f"search+snippets {p} (ms)", ("search_snippets_ms", p)) for p in ("p50", "p95", "p99")),
    *((f"  + exact total {p} (ms)", ("search_snippets_total_ms", p)) for p in ("p50", "p99")),
    *((f"  {k} p99 (ms)", ("snippets_p99_by_kind_ms", k)) for k in QUERY_KINDS),
    ("add one report (ms)", ("add_one_ms",)), ("peak RSS, searching (MB)", ("rss_mb",)),
    ("RSS after queries (MB)", ("rss_after_queries_mb",)), ("peak RSS, building (MB)", ("build_rss_mb",)),
)


def table(result: dict) -> str:
    def get(d, path):
        for key in path:
            d = d.get(key) if isinstance(d, dict) else None
        return "-" if d is None else _number(d)

    e, lines = result["engines"], [
        f"{result['reports']} reports, {result['sections']} sections, {result['queries']} queries"
        f" (parsing the files: {result['read_s']:g} s)",
        f"{result['cores']} cores, load {' '.join(map(str, result['load_avg']))} at the start,"
        f" {' '.join(map(str, result['load_avg_end']))} at the end, Python {result['python']},"
        f" whoosh {result['versions']['whoosh']}, SQLite {result['versions']['sqlite']}",
        "",
        f"{'':28}{'Whoosh':>10}{'FTS5':>10}{'ratio':>9}",
    ]
    for label, path in ROWS:
        lines.append(f"{label:28}{get(e['whoosh'], path):>10}{get(e['fts5'], path):>10}"
                     f"{get(result['ratios'], path):>9}")
    if result["typing_ms"]:
        t = result["typing_ms"]
        lines.append(f"\ntyping, {t['searches']} searches ({t['cut_short']} cut short), ms:"
                     f" p50 {_number(t['p50'])}  p95 {_number(t['p95'])}  p99 {_number(t['p99'])}"
                     f"  max {_number(t['max'])} ({t['slowest_query']!r})")
        for message, error in t["errors"].items():
            lines.append(f"  FAILED {error['count']} times, first on {error['first_query']!r}: {message}")
    topics = result["topic_map_s"]
    lines.append("topic map: " + ("no explorer.core.alignment yet" if topics is None else
                                  ", ".join(f"{n} reports {s:g} s" for n, s in topics.items())))
    return "\n".join(lines)


def _number(x: float) -> str:
    """Three significant digits, but whole numbers from 100 up (no 1.21e+03)."""
    return f"{x:.0f}" if abs(x) >= 100 else f"{x:.3g}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, help="reports to generate (default 1000; 200 with --quick)")
    parser.add_argument("--queries", type=int, help="size of the query mix (default 240; 80 with --quick)")
    parser.add_argument("--quick", action="store_true", help="a small run for CI logs")
    parser.add_argument("--typing", action="store_true", help="also search every prefix of typed queries")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    parser.add_argument("--part", choices=[*PARTS, "typing"], help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sessions", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if (args.reports is not None and args.reports < 1) or (args.queries is not None and args.queries < 1):
        parser.error("--reports and --queries must be positive")

    if args.part:
        result = (typing(args.workdir, args.sessions) if args.part == "typing"
                  else PARTS[args.part](args.workdir))
        print(json.dumps(result))
        return 0
    args.reports = args.reports or (200 if args.quick else 1000)
    args.queries = max(len(QUERY_KINDS), args.queries or (80 if args.quick else 240))
    args.sessions = 10 if args.quick else len(TYPING)
    result = benchmark(args)
    print(json.dumps(result, indent=1) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
