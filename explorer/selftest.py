"""`explorer --self-test`: does the app work on this machine (from source or frozen)?

Builds the main window offscreen on the bundled library, then indexes, searches, compares
and renders through the core, and prints one line per check:

    ✓ window        0.84 s  5 reports listed, one shown; window icon set

Exit code 0 when every check passed, else 1. A failing check never ends the run and never
shows a traceback: its one-line reason is printed, the details go to the log file.
Nothing of the user's is touched: the index, the remembered library and the window's
settings all live in a temporary folder, removed at the end.
"""
from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import __version__, applog
from .core import locations

SEARCH_WORD = "multimodal"
EXPECTED_REPORTS = 5            # the bundled library (seeds/)
EXPECTED_MATCHES = EXPECTED_REPORTS - 1
WINDOW_TIMEOUT_S = 60.0
MOJIBAKE = ("learnersâ€™ notes".encode("utf-8"), "learners’ notes")


class CheckFailed(Exception):
    """A check ran but its result is wrong; the message says how, for the user."""


@dataclass
class Outcome:
    name: str
    ok: bool
    seconds: float
    detail: str


class SelfTest:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.outcomes: list[Outcome] = []
        self.session = None         # the core's LibrarySession, shared by the later checks
        self.app = None             # the QApplication, once the Qt check passed

    def run(self, name: str, check: Callable[[], str]) -> bool:
        start = time.perf_counter()
        try:
            detail, ok = check(), True
        except CheckFailed as exc:
            detail, ok = str(exc), False
            applog.setup().error("self-test: %s failed: %s", name, exc)
        except Exception as exc:  # noqa: BLE001 - any failure is the check's result, not a crash
            applog.log_exception(f"self-test {name}")
            detail, ok = f"{type(exc).__name__}: {exc}", False
        self.outcomes.append(Outcome(name, ok, time.perf_counter() - start, detail))
        _print_outcome(self.outcomes[-1])
        return ok

    # -- checks, in order ---------------------------------------------------------------
    def check_package_data(self) -> str:
        library = locations.bundled_library()
        reports = sorted(library.glob("*.txt"))
        if len(reports) != EXPECTED_REPORTS:
            raise CheckFailed(f"{len(reports)} sample reports in {library}, "
                              f"expected {EXPECTED_REPORTS}")
        from .ui import assets
        icon = assets.path("report-explorer.svg")
        if not icon.is_file():
            raise CheckFailed(f"no app icon at {icon}")
        return f"{len(reports)} sample reports in {library}, and the app icon"

    def check_qt(self) -> str:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import QSettings, qInstallMessageHandler

        from .ui.app import create_application
        # Qt's own warnings (the offscreen platform has a few) go to the log, not the terminal.
        qInstallMessageHandler(_log_qt_message)
        # Before the first QSettings(): the window's settings go to the temporary folder.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                          str(self.workdir / "settings"))
        self.app = create_application([sys.argv[0] or "explorer"])
        return f"PySide6 {pyside_version}, platform {self.app.platformName()}"

    def check_icons(self) -> str:
        from .ui import icons
        app_icon = self.app.windowIcon()
        if app_icon.isNull() or app_icon.pixmap(64, 64).isNull():
            raise CheckFailed("the app icon did not load (SVG icon engine missing?)")
        painted = _painted_pixels(icons.icon("search").pixmap(32, 32))
        if painted == 0:
            raise CheckFailed("QtAwesome drew an empty icon (fonts missing?)")
        return f"app icon (SVG) and QtAwesome icons drawn ({painted} pixels at 32 px)"

    def check_window(self) -> str:
        from .ui.app import build_window
        with _dismissing_dialogs() as dialogs:
            window = build_window(str(locations.bundled_library()),
                                  str(self.workdir / "window-index"))
        try:
            if dialogs:
                raise CheckFailed("the window showed a dialog: " + " / ".join(dialogs))
            with _dismissing_dialogs() as more:
                window.show()
                _wait_until(lambda: (window.state is not None and window.state.indexed
                                     and window.reader.loaded is not None), WINDOW_TIMEOUT_S)
            dialogs += more
            if dialogs:
                raise CheckFailed("the window showed a dialog: " + " / ".join(dialogs))
            if window.state is None or not window.state.indexed:
                raise CheckFailed(f"the library was not indexed within {WINDOW_TIMEOUT_S:.0f} s")
            if window.reader.loaded is None:
                raise CheckFailed(f"no report shown within {WINDOW_TIMEOUT_S:.0f} s")
            listed = window.reports.model.rowCount()
            if listed != EXPECTED_REPORTS:
                raise CheckFailed(f"{listed} reports listed, expected {EXPECTED_REPORTS}")
            if window.windowIcon().isNull():
                raise CheckFailed("the window has no icon")
            if window.grab().isNull():
                raise CheckFailed("the window could not be drawn")
            return f"{listed} reports listed, one shown; window icon set"
        finally:
            window.shutdown()
            window.close()
            window.deleteLater()
            self.app.processEvents()

    def check_index(self) -> str:
        from .core.session import LibrarySession
        self.session = LibrarySession.open(locations.bundled_library(), self.workdir / "index")
        stats = self.session.update()
        if stats.reports != EXPECTED_REPORTS or stats.skipped:
            raise CheckFailed(f"{stats.reports} reports indexed, {len(stats.skipped)} skipped; "
                              f"expected {EXPECTED_REPORTS} and none")
        return f"{stats.reports} reports, {stats.sections} sections"

    def check_parallel_index(self) -> str:
        """A big library is indexed by spawned child processes: in the frozen app they
        start the executable again, which works only through freeze_support()."""
        from .core.index import ReportIndex
        from .core.search import Searcher
        index = ReportIndex(locations.bundled_library(), self.workdir / "parallel-index")
        try:
            stats = index.update(workers=2)
            serial = self._session().index
            if (stats.sections, index.whoosh.doc_count()) != (serial.section_count(),) * 2:
                raise CheckFailed(f"{index.whoosh.doc_count()} sections indexed by 2 processes, "
                                  f"expected {serial.section_count()}")
            searcher = Searcher(index)
            found = searcher.search(SEARCH_WORD).total
            searcher.close()
        finally:
            index.close()
        expected = self._session().search(SEARCH_WORD).total
        if found != expected:
            raise CheckFailed(f"{found} hits for {SEARCH_WORD!r} in the index made by 2 processes,"
                              f" {expected} in the other")
        return f"2 processes indexed {stats.sections} sections; same {found} hits"

    def check_search(self) -> str:
        result = self._session().search(SEARCH_WORD)
        marked = [hit for hit in result.hits if "<mark>" in hit.snippet]
        if not marked:
            raise CheckFailed(f"{result.total} hit(s) for {SEARCH_WORD!r}, none highlighted")
        return f"{result.total} hits for {SEARCH_WORD!r}, {len(marked)} highlighted"

    def check_compare(self) -> str:
        from .core.comparison_builder import ComparisonBuilder
        session = self._session()
        first = session.report_infos()[0].id
        anchor, matches = ComparisonBuilder.of(session).counterparts(first, 1)
        real = [m for m in matches if m.section is not None]
        if len(matches) != EXPECTED_MATCHES or not real:
            raise CheckFailed(f"{len(matches)} counterparts ({len(real)} real) of {first} § 1, "
                              f"expected {EXPECTED_MATCHES} with at least one real")
        return f"§ 1 {anchor.title!r}: {len(real)} of {len(matches)} reports have a match"

    def check_topics(self) -> str:
        from .core.comparison_builder import ComparisonBuilder
        topics = ComparisonBuilder.of(self._session()).topic_map().topics
        if not topics or not any(t.sections for t in topics):
            raise CheckFailed("no topics")
        return f"{len(topics)} topics"

    def check_meaning(self) -> str:
        from .core import meaning
        model = meaning.model()
        if model is None:
            raise CheckFailed(f"the meaning model did not load: {meaning.unavailable()}")
        near, far = (float(a @ b) for a, b in (
            model.embed(["Natural Language Understanding", "Linguistic Understanding"]),
            model.embed(["Natural Language Understanding", "Integration of Knowledge Bases"])))
        if near <= far:
            raise CheckFailed(f"the meaning model's vectors make no sense ({near:.2f} <= {far:.2f})")
        return f"model loaded; similar titles {near:.2f}, unrelated {far:.2f}"

    def check_render(self) -> str:
        from .core.rendering import render_html
        from .core.report_html import report_page
        session = self._session()
        page = report_page(session.load(session.report_infos()[0].id)).html
        if "<h2" not in page and "<p>" not in page:
            raise CheckFailed("the report rendered without headings or paragraphs")
        # The Markdown extensions (loaded by name) and the sanitiser, on purpose-made text.
        probe = render_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\n"
                            "1. one\n2. two\n\n<script>alert(1)</script>")
        missing = [what for what, tag in (("tables", "<table>"), ("fenced_code", "<pre><code>"),
                                          ("sane_lists", "<ol>")) if tag not in probe]
        if missing:
            raise CheckFailed(f"Markdown extension(s) not working: {', '.join(missing)}")
        if "<script" in probe:
            raise CheckFailed("the HTML sanitiser let a <script> through")
        return f"{len(page):,} characters of HTML; tables, code, lists, sanitiser"

    def check_text_repair(self) -> str:
        from .core.decoding import decode
        broken, fixed = MOJIBAKE
        text = decode(broken)
        if text != fixed:
            raise CheckFailed(f"mojibake not repaired: {text!r}")
        return "mojibake repaired (ftfy)"

    def _session(self):
        if self.session is None:
            raise CheckFailed("skipped: the index check failed")
        return self.session

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None
        if self.app is not None:
            from PySide6.QtCore import qInstallMessageHandler
            qInstallMessageHandler(None)


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before anything imports Qt
    # Ended from outside (Ctrl+C, a CI timeout): still remove the temporary folder.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    _make_stdout_safe()
    started = time.perf_counter()
    where = "frozen" if getattr(sys, "frozen", False) else "from source"
    _print(f"Report Explorer {__version__} self-test ({where}, Python "
           f"{sys.version.split()[0]}, QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']})")
    try:
        with _private_workdir() as workdir:
            test = SelfTest(workdir)
            try:
                test.run("package data", test.check_package_data)
                if test.run("Qt", test.check_qt):
                    test.run("icons", test.check_icons)
                    test.run("window", test.check_window)
                test.run("index", test.check_index)
                test.run("parallel index", test.check_parallel_index)
                test.run("search", test.check_search)
                test.run("meaning", test.check_meaning)
                test.run("compare", test.check_compare)
                test.run("topics", test.check_topics)
                test.run("render", test.check_render)
                test.run("text repair", test.check_text_repair)
            finally:
                test.close()
    except Exception as exc:  # noqa: BLE001 - setting up or cleaning up: still no traceback
        log = applog.log_exception("self-test")
        _print(f"{_mark(False)} self-test could not run: {exc} (details in {log})")
        return 1
    failed = [o for o in test.outcomes if not o.ok]
    total = time.perf_counter() - started
    if failed:
        _print(f"{len(failed)} of {len(test.outcomes)} checks failed "
               f"({', '.join(o.name for o in failed)}) in {total:.1f} s; "
               f"details in {applog.log_file()}")
        return 1
    _print(f"All {len(test.outcomes)} checks passed in {total:.1f} s.")
    return 0


_workdir: Path | None = None     # the temporary folder, while a self-test runs


def _exit_on_signal(signum, frame) -> None:
    # Raising here could land inside a Qt callback (which aborts); remove the folder and go.
    if _workdir is not None:
        shutil.rmtree(_workdir, ignore_errors=True)
    os._exit(128 + signum)


@contextmanager
def _private_workdir() -> Iterator[Path]:
    """A temporary folder for everything the app would write to the user's data folder
    (the index, the remembered library). The log stays where it is: applog binds its folder
    when imported, so failures are logged where Help → Open Log Folder finds them."""
    global _workdir
    applog.setup()
    workdir = _workdir = Path(tempfile.mkdtemp(prefix="explorer-selftest-"))
    original = locations.data_dir
    data = workdir / "data"

    def private_data_dir() -> Path:
        data.mkdir(parents=True, exist_ok=True)
        return data

    locations.data_dir = private_data_dir
    try:
        yield workdir
    finally:
        locations.data_dir = original
        shutil.rmtree(workdir, ignore_errors=True)
        _workdir = None


@contextmanager
def _dismissing_dialogs() -> Iterator[list[str]]:
    """Close any modal dialog the window opens (offscreen, nobody could click it and the
    self-test would wait forever); yields the list of their texts."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QTextDocumentFragment
    from PySide6.QtWidgets import QApplication, QDialog

    seen: list[str] = []

    def dismiss() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            text = getattr(dialog, "text", None)
            text = text() if callable(text) else dialog.windowTitle()
            # Message boxes quoting a path are rich text (explorer.ui.plain): say the words.
            seen.append(" ".join(QTextDocumentFragment.fromHtml(text).toPlainText().split()))
            if isinstance(dialog, QDialog):
                dialog.reject()
            else:
                dialog.close()

    timer = QTimer()
    timer.setInterval(100)
    timer.timeout.connect(dismiss)
    timer.start()
    try:
        yield seen
    finally:
        timer.stop()


def _wait_until(condition: Callable[[], bool], timeout_s: float) -> None:
    """Run the event loop until `condition()` holds or `timeout_s` has passed."""
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(lambda: condition() and loop.quit())
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    if not condition():
        poll.start()
        loop.exec()
        poll.stop()


def _log_qt_message(kind, context, message: str) -> None:
    applog.setup().info("self-test: Qt %s: %s", getattr(kind, "name", kind), message)


def _painted_pixels(pixmap) -> int:
    image = pixmap.toImage()
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if image.pixelColor(x, y).alpha() > 0)


# -- output -------------------------------------------------------------------------------
_MARKS = {True: "✓", False: "✗"}


def _make_stdout_safe() -> None:
    """A console that cannot show ✓/✗ (Windows code pages) gets OK/FAIL instead."""
    global _MARKS
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "✓✗§’".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        _MARKS = {True: "OK  ", False: "FAIL"}
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="replace")


def _mark(ok: bool) -> str:
    return _MARKS[ok]


def _print_outcome(outcome: Outcome) -> None:
    _print(f"{_mark(outcome.ok)} {outcome.name:<14} {outcome.seconds:5.2f} s  {outcome.detail}")


def _print(line: str) -> None:
    # A windowed Windows/macOS build has no console: sys.stdout is None and print() is a
    # no-op there; the exit code still tells.
    print(line, flush=True)
    applog.setup().info("self-test: %s", line)
