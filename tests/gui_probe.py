"""How responsive the real window is on a library: GUI-thread stalls while it opens and
indexes, and how soon search-as-you-type shows what was typed.

    .venv/bin/python tests/gui_probe.py --library DIR [--index-dir DIR | --fresh] [--json]
                                        [--queries "a b,c d"] [--key-ms MS] [--where]

Starts the window the way `explorer` does (explorer.ui.app), in a private HOME and XDG
folders (no real profile or index is touched), offscreen unless a display is set, and
measures:

* stalls: a 5 ms timer on the GUI thread records the gaps between its ticks, i.e. how long
  the event loop went without running. Phases: "opening + indexing" (window shown until the
  library says it is indexed, plus a short settle) and "typing".
* memory: the process's resident memory at the end of each phase (Linux).
* typing: once indexed, types each query letter by letter into the search box at a human
  pace (a seeded random delay per key around --key-ms, so some pauses outlast the debounce
  and some do not, as with a person), and for each debounce firing (the pane's
  `search_requested`) measures the time until the results for exactly that text are
  painted in the results view. A firing overtaken by the next one before its results were
  shown is counted as dropped as stale.

The index: --fresh builds it in a temporary folder while the window is open; --index-dir
uses (and updates) that folder; by default a per-library folder under the system's temp
folder, reused from run to run (so only the first run indexes).

--where samples the Python stacks of the GUI thread while it is stalled, and of the other
threads meanwhile (from a helper thread), and says where the stalls were spent; off by
default, as sampling takes the GIL too.

Not a pytest module; test_gui_probe.py runs it on a few reports.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# Qt reads the environment set by isolate_profile() when the application is made, not here.
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, qInstallMessageHandler
from PySide6.QtTest import QTest

from explorer import applog
from explorer.ui import app as app_module

REPO = Path(__file__).resolve().parents[1]
HEARTBEAT_MS = 5
STALL_MS = 50
# After the library says "indexed": the first report shows, the watcher starts. Counted in
# the opening phase, so that typing starts on a window at rest.
SETTLE_MS = 500
# After a query's results are shown, before the next query: the user reads them.
READ_PAUSE_MS = 600
ANSWER_TIMEOUT_MS = 15_000      # a query whose results never come is reported, not waited for
# Delay between two keys: key_ms times a factor drawn uniformly from this range.
KEY_SPREAD = (0.5, 2.0)
RANDOM_SEED = "gui-probe"
# Searches people type (words that occur in the seeds and in tests/benchmark.py libraries).
QUERIES = ("multimodal ethics", "energy efficiency", "data privacy", "real-time translation",
           "bias mitigation", "sustainability", "healthcare applications",
           "regulatory compliance", "explainability", "personalized assistants")
# --where: how often the helper thread looks, and how late the heartbeat must be before
# the GUI thread's stack is taken as a stall's.
SAMPLE_MS = 5
SAMPLE_AFTER_MS = 25
# The offscreen platform says this on every dock or window resize: noise here.
QUIET_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)
OPENING, TYPING = "opening + indexing", "typing"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    library = Path(args.library).expanduser().resolve()
    if not library.is_dir():
        print(f"gui_probe: no folder at {library}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="gui-probe-") as tmp:
        isolate_profile(Path(tmp))
        if args.fresh:
            index_dir, fresh = Path(tmp) / "index", True
        else:
            index_dir = Path(args.index_dir).expanduser().resolve() if args.index_dir \
                else reused_index_dir(library)
            fresh = not index_dir.exists()
        result = Probe(args, library, index_dir, fresh).run()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(table(result))
    return 0 if result["error"] is None else 1


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", required=True, metavar="DIR")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--index-dir", metavar="DIR", help="use and update the index there")
    where.add_argument("--fresh", action="store_true",
                       help="build the index from scratch, with the window open")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--queries", type=lambda s: [q.strip() for q in s.split(",") if q.strip()],
                        default=list(QUERIES), help="comma-separated searches to type")
    parser.add_argument("--key-ms", type=int, default=120,
                        help="typical delay between two keys (default 120)")
    parser.add_argument("--where", action="store_true",
                        help="sample the GUI thread's stack during stalls")
    return parser.parse_args(argv)


def isolate_profile(home: Path) -> None:
    """Settings, index folders and logs go to `home`; Qt runs offscreen without a display."""
    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if display and "XAUTHORITY" not in os.environ:
        # X finds its cookie in $HOME, which is about to change.
        cookie = Path.home() / ".Xauthority"
        if cookie.exists():
            os.environ["XAUTHORITY"] = str(cookie)
    folders = [("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
               ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")]
    if not display:                 # a Wayland display's socket is in the runtime folder
        folders.append(("XDG_RUNTIME_DIR", "runtime"))
    for var, sub in folders:
        path = home / sub
        path.mkdir(mode=0o700)
        os.environ[var] = str(path)
    os.environ["HOME"] = str(home)
    if not display:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def reused_index_dir(library: Path) -> Path:
    digest = hashlib.blake2b(str(library).encode("utf-8", "surrogatepass"),
                             digest_size=6).hexdigest()
    return Path(tempfile.gettempdir()) / "explorer-gui-probe" / f"{library.name}-{digest}"


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _spread(seconds: list[float]) -> dict:
    return {"p50": ms(percentile(seconds, 50)), "p95": ms(percentile(seconds, 95)),
            "p99": ms(percentile(seconds, 99)), "max": ms(max(seconds, default=None))}


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def say(message: str) -> None:
    """Progress on stderr (a 10k library takes minutes; stdout keeps the result)."""
    print(f"gui_probe: {message}", file=sys.stderr, flush=True)


def rss_mb() -> float | None:
    """The process's resident memory now, in MB (None where /proc is not)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return None
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


@dataclass
class Stall:
    phase: str
    end: float                  # perf_counter() of the tick that ended it
    gap: float                  # seconds between the two ticks
    where: Counter = field(default_factory=Counter)     # --where: site -> samples
    others: Counter = field(default_factory=Counter)    # other threads' sites meanwhile


class Probe:
    """The window on the library, driven from its event loop: opening, then typing."""

    def __init__(self, args: argparse.Namespace, library: Path, index_dir: Path, fresh: bool):
        self.args = args
        self.library = library
        self.index_dir = index_dir
        self.fresh = fresh
        self.error: str | None = None
        self.load_start = load_average()
        self.quitting = self.quit_seconds = 0.0     # when asked to quit; how long it took
        self.rss: dict[str, float | None] = {}      # phase -> MB at its end

    def run(self) -> dict:
        qInstallMessageHandler(_on_qt_message)
        self.app = app_module.create_application()
        applog.setup()
        sys.excepthook = self._on_unexpected_error
        # As run_app() starts the window: GC on the GUI thread, the thread switch interval;
        # the window shown at once, the library opened and the icons drawn after its first
        # paint.
        collector = app_module.start_gui_thread_services(self.app)
        started = time.perf_counter()
        self.window = app_module.show_window(str(self.library), str(self.index_dir))
        self.heartbeat = Heartbeat()
        self.heartbeat.start(OPENING)
        self.sampler = StallSampler(self.heartbeat) if self.args.where else None
        if self.sampler:
            self.sampler.start()
        self.opening = OpeningWatch(self.window, started)
        self.typing = TypingWatch(self.window)
        app_module.after_first_paint(self.window, self.opening.on_first_paint)
        self.opening.indexed.connect(
            lambda: QTimer.singleShot(SETTLE_MS, self._start_typing))
        self.opening.failed.connect(self._fail)
        self.typing.finished.connect(self._finish)
        self.app.exec()
        self.window.close()             # saves its settings (in the private HOME), stops workers
        self.quit_seconds = time.perf_counter() - self.quitting
        collector.stop()
        if self.sampler:
            self.sampler.attribute(self.heartbeat.stalls)
        return self.result()

    def _start_typing(self) -> None:
        self.rss[OPENING] = rss_mb()
        self.heartbeat.begin(TYPING)
        self.typing.start(self.args.queries, self.args.key_ms)

    def _finish(self) -> None:
        self.rss[TYPING] = rss_mb()
        self._quit(0)

    def _fail(self, message: str) -> None:
        self.error = self.error or message
        self._quit(1)

    def _quit(self, code: int) -> None:
        # Measured apart: quitting waits for the worker threads (aboutToQuit, closeEvent).
        self.heartbeat.stop()
        if self.sampler:
            self.sampler.stop()
        self.quitting = time.perf_counter()
        self.app.exit(code)

    def _on_unexpected_error(self, kind, value, tb) -> None:
        self._fail("".join(traceback.format_exception(kind, value, tb)))

    def result(self) -> dict:
        stalls = sorted(self.heartbeat.stalls, key=lambda s: -s.gap)
        return {
            "library": str(self.library),
            "reports": self.opening.reports,
            "index": {"dir": str(self.index_dir), "fresh": self.fresh,
                      "seconds": self.opening.index_seconds()},
            "cores": os.cpu_count(),
            "load_avg": self.load_start,
            "load_avg_end": load_average(),
            "platform": self.app.platformName(),
            "first_paint_ms": ms(self.opening.first_paint_seconds()),
            "quit_ms": ms(self.quit_seconds),
            "opening": self.opening.summary(),
            "phases": {phase: self.heartbeat.summary(phase) for phase in (OPENING, TYPING)},
            "rss_mb": {phase: self.rss.get(phase) for phase in (OPENING, TYPING)},
            "typing": self.typing.summary(),
            "stalls": [{"phase": s.phase, "ms": ms(s.gap), "where": s.where.most_common(3),
                        "others": s.others.most_common(3)} for s in stalls[:20]],
            "stall_sites": ({phase: self.sampler.sites(phase) for phase in (OPENING, TYPING)}
                            if self.sampler else None),
            "error": self.error,
        }


class Heartbeat(QObject):
    """A timer due every HEARTBEAT_MS on the GUI thread: the gaps between its ticks are
    how long the event loop went without running."""

    def __init__(self):
        super().__init__()
        self.phase = OPENING
        self.gaps: dict[str, list[float]] = {OPENING: [], TYPING: []}
        self.seconds: dict[str, float] = {OPENING: 0.0, TYPING: 0.0}
        self.stalls: list[Stall] = []
        self.last = time.perf_counter()     # read by StallSampler's thread
        self._phase_started = self.last
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self, phase: str) -> None:
        self.phase = phase
        self.last = self._phase_started = time.perf_counter()
        self._timer.start()

    def begin(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[self.phase] += now - self._phase_started
        self.phase, self._phase_started = phase, now

    def stop(self) -> None:
        self._timer.stop()
        self.begin(self.phase)

    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        gap = now - self.last
        self.last = now
        self.gaps[self.phase].append(gap)
        if gap * 1000 > STALL_MS:
            self.stalls.append(Stall(self.phase, now, gap))

    def summary(self, phase: str) -> dict:
        gaps = self.gaps[phase]
        return {"seconds": round(self.seconds[phase], 2), "ticks": len(gaps),
                "max_gap_ms": ms(max(gaps, default=None)),
                "p99_gap_ms": ms(percentile(gaps, 99)),
                "gaps_over_50ms": sum(g * 1000 > STALL_MS for g in gaps),
                "stalled_ms": ms(sum(g for g in gaps if g * 1000 > STALL_MS))}

class OpeningWatch(QObject):
    """What the window shows while the library opens and indexes."""
    # the library said it is indexed (once)
    indexed = Signal()
    # it could not be opened: the message
    failed = Signal(str)

    def __init__(self, window, started: float):
        super().__init__(window)
        self.started = started
        self.first_paint: float | None = None
        self.done: float | None = None
        self.reports = 0
        self.partial_states = 0         # states sent while indexing ran
        self.listed_while_indexing = 0  # the most reports listed before "indexed"
        self.progress_signals = 0
        self.last_progress: tuple[int, int] | None = None
        # The comparison worker reads and aligns the whole library in this process too,
        # once started (by the first comparison; the probe compares nothing): when it
        # said it was ready (after opening, and after each refresh).
        self.compare_ready: list[float] = []
        self._compare_watched = False
        self._window = window
        window.client.state_changed.connect(self._on_client_state_changed)
        window.client.progress.connect(self._on_client_progress)
        window.client.open_failed.connect(self.failed)

    def on_first_paint(self) -> None:
        self.first_paint = time.perf_counter()

    def index_seconds(self) -> float | None:
        if self.done is None or self.first_paint is None:
            return None
        return round(self.done - self.first_paint, 2)

    def first_paint_seconds(self) -> float | None:
        return None if self.first_paint is None else self.first_paint - self.started

    def summary(self) -> dict:
        return {"compare_ready_s": [round(t - (self.first_paint or t), 2)
                                    for t in self.compare_ready],
                "partial_states": self.partial_states,
                "listed_while_indexing": self.listed_while_indexing,
                "progress_signals": self.progress_signals,
                "last_progress": self.last_progress}

    def _on_client_state_changed(self, state) -> None:
        compare = self._window.compare_client      # None until something is compared
        if compare is not None and not self._compare_watched:
            self._compare_watched = True
            compare.reports_changed.connect(self._on_compare_ready)
        self.reports = len(state.reports)
        if not state.indexed:
            self.partial_states += 1
            self.listed_while_indexing = max(self.listed_while_indexing, self.reports)
        elif self.done is None:
            self.done = time.perf_counter()
            say(f"indexed: {self.reports:,} reports")
            self.indexed.emit()

    def _on_compare_ready(self) -> None:
        self.compare_ready.append(time.perf_counter())
        say("the comparison worker is ready")

    def _on_client_progress(self, done: int, total: int) -> None:
        self.progress_signals += 1
        if self.last_progress is None or done * 10 // total > self.last_progress[0] * 10 // total:
            say(f"indexing: {done:,} of {total:,} files read")
        self.last_progress = (done, total)


class TypingWatch(QObject):
    """Types queries into the search box and times each debounce firing until its
    results are painted."""
    # every query was typed and answered (or timed out)
    finished = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.pane = window.search
        self.latencies: list[float] = []    # debounce fired -> results painted
        self.display: list[float] = []      # the same from the model's reset on
        self.fired = 0
        self.stale = 0
        self.keys = 0
        self.unanswered: list[str] = []
        self._queries: list[str] = []
        self._key_ms = 0
        self._query = ""
        self._chars: list[str] = []         # of the query, still to type
        self._typed = 0                     # queries started
        self._pending: tuple[str, float] | None = None    # fired, not answered yet
        # in the model, not painted yet: (text, fired, reset)
        self._answered: tuple[str, float, float] | None = None
        self._rng = random.Random(RANDOM_SEED)
        self._key_timer = QTimer(self, singleShot=True)
        self._key_timer.timeout.connect(self._on_key_timer_timeout)
        self._answer_timer = QTimer(self, singleShot=True, interval=ANSWER_TIMEOUT_MS)
        self._answer_timer.timeout.connect(self._on_answer_timer_timeout)

    def start(self, queries: list[str], key_ms: int) -> None:
        self._queries = list(queries)
        self._key_ms = key_ms
        self.pane.search_requested.connect(self._on_pane_search_requested)
        self.pane.model.modelReset.connect(self._on_model_reset)
        self.pane.view.viewport().installEventFilter(self)
        self._next_query()

    def summary(self) -> dict:
        return {"queries": len(self._queries), "keys": self.keys,
                "searches_fired": self.fired, "searches_shown": len(self.latencies),
                "dropped_stale": self.stale, "unanswered": self.unanswered,
                "latency_ms": _spread(self.latencies), "display_ms": _spread(self.display)}

    def _next_query(self) -> None:
        if self._typed == len(self._queries):
            self.finished.emit()
            return
        self._query = self._queries[self._typed]
        self._typed += 1
        say(f"typing {self._typed}/{len(self._queries)}: {self._query}")
        # Ctrl+K selects the box's text: the first key replaces it, as for a user.
        self.window.focus_search()
        self._chars = list(self._query)
        self._key_timer.start(self._key_delay())

    def _key_delay(self) -> int:
        return round(self._key_ms * self._rng.uniform(*KEY_SPREAD))

    def _on_key_timer_timeout(self) -> None:
        QTest.keyClicks(self.pane.edit, self._chars.pop(0))
        self.keys += 1
        if self._chars:
            self._key_timer.start(self._key_delay())
        else:                       # every key restarts the debounce: one more search comes
            self._answer_timer.start()

    def _on_answer_timer_timeout(self) -> None:
        self.unanswered.append(self._query)
        self._pending = self._answered = None
        self._next_query()

    def _on_pane_search_requested(self, text: str, _report: str) -> None:
        self.fired += 1
        if self._pending is not None:
            self.stale += 1         # overtaken: the client drops the older answer
        self._pending = (text, time.perf_counter())

    def _on_model_reset(self) -> None:
        result = self.pane.model.result
        if (self._pending is not None and result is not None
                and result.query == self._pending[0]):
            self._answered, self._pending = (*self._pending, time.perf_counter()), None

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self._answered is not None:
            answered, self._answered = self._answered, None
            # Shown once this paint is done: the timer runs right after it.
            QTimer.singleShot(0, self, lambda: self._on_shown(*answered))
        return False

    def _on_shown(self, text: str, fired: float, reset: float) -> None:
        now = time.perf_counter()
        self.latencies.append(now - fired)
        self.display.append(now - reset)
        if self._answer_timer.isActive() and not self._chars and text == self._query.strip():
            self._answer_timer.stop()
            QTimer.singleShot(READ_PAUSE_MS, self._next_query)


class StallSampler(threading.Thread):
    """--where: while the heartbeat is late, takes the Python stack of the GUI thread every
    SAMPLE_MS (each sample stands for about SAMPLE_MS of the stall), and those of the other
    threads running Python: a GUI thread waiting for the GIL shows no Python frame of its
    own ("Qt event processing"), and the thread holding the GIL is among the others."""

    def __init__(self, heartbeat):
        super().__init__(name="stall-sampler", daemon=True)
        self._heartbeat = heartbeat
        self._gui = threading.get_ident()
        self._stop_event = threading.Event()
        # (when, the GUI thread's site, the other threads' sites)
        self.samples: list[tuple[float, str, tuple[str, ...]]] = []
        self._stalls: list[Stall] = []

    def run(self) -> None:
        me = threading.get_ident()
        while not self._stop_event.wait(SAMPLE_MS / 1000):
            now = time.perf_counter()
            if (now - self._heartbeat.last) * 1000 > SAMPLE_AFTER_MS:
                frames = sys._current_frames()
                if self._gui in frames:
                    others = tuple(describe(f) for ident, f in frames.items()
                                   if ident not in (self._gui, me))
                    self.samples.append((now, describe(frames[self._gui]), others))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def attribute(self, stalls: list[Stall]) -> None:
        """Give each stall the samples taken while it lasted."""
        self._stalls = stalls
        for stall in stalls:
            start = stall.end - stall.gap
            for t, site, others in self.samples:
                if start <= t <= stall.end:
                    stall.where[site] += 1
                    stall.others.update(others)

    def sites(self, phase: str) -> dict:
        """Where the phase's stalls (> STALL_MS) were spent, most first: the GUI thread,
        and the other threads meanwhile."""
        gui: Counter = Counter()
        others: Counter = Counter()
        for stall in self._stalls:
            if stall.phase == phase:
                gui.update(stall.where)
                others.update(stall.others)
        return {"gui": [{"where": site, "samples": n} for site, n in gui.most_common(12)],
                "others": [{"where": site, "samples": n} for site, n in others.most_common(8)]}


def _on_qt_message(_kind, _context, message: str) -> None:
    if message not in QUIET_QT_MESSAGES:
        print(message, file=sys.stderr)


def describe(frame) -> str:
    """A stack, innermost first: the innermost frame wherever it is, then the app's."""
    stack = traceback.extract_stack(frame)[::-1]
    ours = [f for f in stack if f.filename.startswith(str(REPO / "explorer"))]
    if Path(stack[0].filename).resolve() == Path(__file__).resolve() and stack[0].name == "run":
        return "Qt event processing (no Python slot running)"
    parts = [stack[0]] + [f for f in ours[:3] if f is not stack[0]]
    return " < ".join(f"{_short(f.filename)}:{f.lineno} {f.name}" for f in parts)


def _short(filename: str) -> str:
    path = Path(filename)
    if path.is_relative_to(REPO):
        return str(path.relative_to(REPO))
    parts = path.parts
    return "/".join(parts[parts.index("site-packages") + 1:]) if "site-packages" in parts \
        else path.name


def table(r: dict) -> str:
    t = r["typing"]
    lat = t["latency_ms"]
    index = r["index"]
    built = (f"index built fresh in {index['seconds']} s" if index["fresh"]
             else f"index reused, up to date after {index['seconds']} s")
    compare = r["opening"]["compare_ready_s"]
    lines = [
        f"{r['library']}: {r['reports']:,} reports; {built} ({index['dir']})",
        f"platform {r['platform']}, {r['cores']} cores, load average {r['load_avg']} at start, "
        f"{r['load_avg_end']} at end; first paint {r['first_paint_ms']} ms, "
        f"quitting took {r['quit_ms']} ms",
        f"while opening: {r['opening']['partial_states']} partial lists (up to "
        f"{r['opening']['listed_while_indexing']:,} reports listed before indexed), "
        f"{r['opening']['progress_signals']} progress updates; " + (
            f"comparison worker ready at {compare} s" if compare
            else "comparison worker not started"),
        "",
        f"{'GUI-thread gaps':<20}{'seconds':>9}{'ticks':>8}{'max ms':>9}{'p99 ms':>9}"
        f"{'>50 ms':>8}{'stalled ms':>12}",
    ]
    for phase, p in r["phases"].items():
        lines.append(f"{phase:<20}{p['seconds']:>9}{p['ticks']:>8}{_n(p['max_gap_ms']):>9}"
                     f"{_n(p['p99_gap_ms']):>9}{p['gaps_over_50ms']:>8}{_n(p['stalled_ms']):>12}")
    lines += [
        "",
        "memory (RSS) at the end of each phase: " + ", ".join(
            f"{phase} {_n(mb)} MB" for phase, mb in r["rss_mb"].items()),
        "",
        f"typing: {t['queries']} queries, {t['keys']} keys, {t['searches_fired']} searches fired, "
        f"{t['searches_shown']} shown, {t['dropped_stale']} dropped as stale, "
        f"{len(t['unanswered'])} unanswered",
        f"debounce fired -> results shown (ms): {_spread_text(lat)}",
        f"  of which results in the model -> shown: {_spread_text(t['display_ms'])}",
    ]
    if r["stalls"]:
        lines += ["", "longest stalls:"]
        for s in r["stalls"][:10]:
            where = "; ".join(f"{site} ({n})" for site, n in s["where"]) if s["where"] else ""
            lines.append(f"  {s['ms']:>8} ms  {s['phase']:<20}{where}")
    for phase, sites in (r["stall_sites"] or {}).items():
        lines += ["", f"where the GUI thread was during stalls, {phase} (samples of ~5 ms):"]
        lines += [f"  {s['samples']:>5}  {s['where']}" for s in sites["gui"]]
        lines += ["  meanwhile, the other threads running Python:"]
        lines += [f"  {s['samples']:>5}  {s['where']}" for s in sites["others"]]
    if r["error"]:
        lines += ["", f"ERROR: {r['error']}"]
    return "\n".join(lines)


def _spread_text(spread: dict) -> str:
    return "  ".join(f"{name} {_n(value)}" for name, value in spread.items())


def _n(value) -> str:
    return "-" if value is None else f"{value:g}"


if __name__ == "__main__":
    sys.exit(main())
