"""The `explorer` command: the window with no arguments, the library from the shell with them.

Every command updates the index incrementally before answering. Exit codes: 0 success,
2 bad usage, 75 `index` did not finish (another process kept the index busy), 1 anything else; errors are one line on stderr, never a traceback (the
traceback goes to the log file, when there can be one). Text from reports is printed for
people with its control characters replaced (`--json` escapes them).
"""
from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from . import __version__, applog
from .core import locations, preferences
from .core.errors import UserError
from .termout import Style, printable, table


class UsageError(Exception):
    """Bad usage: exit code 2."""


class OutputError(Exception):
    """Standard output cannot be written (a full disk, a vanished terminal): exit code 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints usage and exits itself; we want one line
        raise UsageError(message)


def _common() -> argparse.ArgumentParser:
    # SUPPRESS keeps a subcommand's absent option from hiding the same option given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--library", metavar="DIR", default=argparse.SUPPRESS, type=_folder,
                        help="library folder (default: the last one opened, else the samples)")
    common.add_argument("--index-dir", metavar="DIR", default=argparse.SUPPRESS, type=_folder,
                        help="where to keep the index (default: the user's data folder)")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = _Parser(prog="explorer", parents=[common],
                     description="Read, search and compare markdown reports. "
                                 "With no command, opens the window.")
    parser.add_argument("--version", action="version", version=f"explorer {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check that the app works here (window offscreen, index, search, "
                             "compare) and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("index", parents=[common], help="update the index (or rebuild it)")
    p.add_argument("--rebuild", action="store_true", help="forget the index and read every file")
    p.add_argument("--max-size", metavar="MB", type=_max_size,
                   help="skip report files larger than this many megabytes, for this run "
                        f"(default: the Preferences setting, {preferences.DEFAULT_MAX_REPORT_MB} "
                        "MB unless changed)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("reports", parents=[common], help="list the reports and their sections")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", parents=[common], help="full-text search",
                       description='Words must all match. Also: OR, NOT or -word, "a phrase", '
                                   "prefix*, fuzzy~, title:word, report:ID.")
    p.add_argument("query", type=_query)
    p.add_argument("--limit", type=_positive, default=20)
    p.add_argument("--report", metavar="ID", help="only this report")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", parents=[common], help="print a report or one section")
    p.add_argument("report", metavar="REPORT")
    p.add_argument("--section", type=_whole_number, metavar="N")
    p.add_argument("--html", action="store_true", help="rendered, sanitised HTML")

    p = sub.add_parser("compare", parents=[common],
                       help="a section's counterparts in the other reports")
    p.add_argument("report", metavar="REPORT")
    p.add_argument("section", type=_whole_number, metavar="SECTION")
    p.add_argument("--reports", metavar="ID,ID,...", type=_id_list,
                   help="compare with these reports only")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("topics", parents=[common], help="sections of all reports grouped by topic")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("groups", parents=[common],
                       help="reports on one subject (re-runs of a crew) grouped, oldest first")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("consensus", parents=[common],
                       help="the claims the reports make, and how many of them make each")
    p.add_argument("--reports", metavar="ID,ID,...", type=_id_list,
                   help="these reports only (default: every report of the library)")
    p.add_argument("--json", action="store_true")
    return parser


# Argument types raise ArgumentTypeError with a plain message: for a ValueError argparse
# would print the function's name ("invalid _positive value").
def _positive(text: str) -> int:
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {text!r}")
    return value


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None


def _max_size(text: str) -> int:
    try:
        return preferences.valid_max_report_mb(int(text))
    except ValueError:
        # argparse names the option and the value; say what is allowed
        raise argparse.ArgumentTypeError(
            f"must be a whole number of MB from {preferences.MIN_MAX_REPORT_MB} to "
            f"{preferences.MAX_MAX_REPORT_MB}, not {text!r}") from None


def _folder(text: str) -> str:
    # "" would otherwise mean "not given" (the last library): say it instead
    if not text:
        raise argparse.ArgumentTypeError("must be a folder, not an empty path")
    try:
        os.stat(text)
    except OSError as exc:      # a missing folder is judged later, by what needs it
        if exc.errno == errno.ENAMETOOLONG:
            raise argparse.ArgumentTypeError(
                f"the path is too long for this system ({len(text):,} characters)") from None
    return text


def _query(text: str) -> str:
    # Bytes that are not UTF-8 arrive as lone surrogates. Searching with them replaced
    # would quietly find nothing for a word typed in another encoding: say so instead.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError(
            "holds bytes that are not valid UTF-8: type it in a UTF-8 terminal") from None
    return text


def _id_list(text: str) -> list[str]:
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise argparse.ArgumentTypeError(f"must be report ids separated by commas, not {text!r}")
    return ids


def main(argv: list[str] | None = None) -> int:
    _tolerant_output()
    stdout = sys.stdout
    sys.stdout = _GuardedOutput(stdout)
    try:
        status = _main(argv)
        sys.stdout.flush()      # now: at exit a failure is only "Exception ignored", exit 120
        return status
    except OutputError as exc:
        print(f"explorer: cannot write the output: {exc}", file=sys.stderr)
        _discard_output(stdout)
        return 1
    except BrokenPipeError:
        # `explorer reports | head`: the reader left; nothing more to say to it.
        _discard_output(stdout)
        return 0
    finally:
        sys.stdout = stdout


def _main(argv: list[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(f"explorer: {printable(str(exc))} (see explorer --help)", file=sys.stderr)
        return 2
    if args.self_test:
        from .selftest import run_self_test
        return run_self_test()
    if args.command is None:
        return _open_window(args)
    try:
        return _run(args)
    except UserError as exc:
        applog.setup().info("explorer %s: %s", args.command, exc)
        print(f"explorer: {printable(str(exc))}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        return 130
    except (OutputError, BrokenPipeError):
        raise
    except Exception as exc:  # noqa: BLE001 - last resort: the user gets one line, the log the rest
        log = applog.log_exception("explorer " + (args.command or ""))
        # Some exceptions carry no message (Whoosh's LockError): name the kind at least.
        print(f"explorer: unexpected error: {printable(str(exc) or type(exc).__name__)}"
              + (f" (details in {log})" if log else ""), file=sys.stderr)
        return 1


class _GuardedOutput:
    """sys.stdout whose write errors are OutputError: an OSError from anywhere else is the
    index's or the library's, and must not be reported as the output's."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._guarded(self._stream.write, text)

    def flush(self) -> None:
        self._guarded(self._stream.flush)

    @staticmethod
    def _guarded(operation, *args):
        try:
            return operation(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc.strerror or str(exc)) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _discard_output(stream) -> None:
    """Point stdout at the null device: what stays in its buffer would otherwise fail again
    when Python flushes it at exit ("Exception ignored", exit 120)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError):   # not a real file (a test's capture): nothing to flush
        pass


def _tolerant_output() -> None:
    """A file name that is not valid UTF-8 reaches the output as lone surrogates; print it
    with a replacement character rather than fail the whole command on it."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


# Qt platforms that draw without a display server (QT_QPA_PLATFORM, e.g. the self-test's).
_HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "linuxfb",
                                 "eglfs", "vkkhrdisplay"})


def _no_display(environ=os.environ) -> bool:
    """No display server to open the window on (a server's shell, ssh without X forwarding):
    Qt would abort (exit 134) blaming a missing xcb library."""
    if sys.platform in ("win32", "darwin"):
        return False
    has = {"xcb": bool(environ.get("DISPLAY")), "wayland": bool(environ.get("WAYLAND_DISPLAY"))}
    wanted = [name.split(":")[0].strip() for name in environ.get("QT_QPA_PLATFORM", "").split(";")]
    wanted = [name for name in wanted if name] or ["xcb", "wayland"]    # Qt's own choice
    for name in wanted:
        kind = "wayland" if name.startswith("wayland") else name
        if has.get(kind, True):     # headless, or a platform Qt itself must judge
            return False
    return True


def _open_window(args) -> int:
    if _no_display():
        print("explorer: the window needs a display and there is none here (neither DISPLAY "
              "nor WAYLAND_DISPLAY is set); the commands work without one: see explorer --help",
              file=sys.stderr)
        return 1
    try:
        from .ui.app import run_app
    except Exception:  # noqa: BLE001 - a broken install must not die silently on double-click
        log = applog.log_exception("starting the window")
        print("explorer: cannot start the window" + (f" (details in {log})" if log else "")
              + "; the commands still work: see explorer --help", file=sys.stderr)
        return 1
    return run_app(getattr(args, "library", None), getattr(args, "index_dir", None))


def _run(args) -> int:
    applog.setup()      # what the core logs goes to the log file, never to the terminal
    library = Path(getattr(args, "library", None) or locations.last_library())
    if not library.is_dir():
        raise UserError(f"there is no library folder at {library}: check the path, or give "
                        "another folder with --library DIR")
    index_dir = getattr(args, "index_dir", None)
    index_dir = Path(index_dir) if index_dir else _default_index_dir(library)
    if index_dir.resolve().is_relative_to(library.resolve()):
        # the index never goes into the library: the app does not write there
        raise UserError(f"the index folder {index_dir} is inside the library: give a folder "
                        "outside it with --index-dir DIR")
    # Imported here: the index (Whoosh) is ~140 ms that the window must not wait for.
    from .core.session import LibrarySession
    max_size = getattr(args, "max_size", None)
    session = LibrarySession.open(library, index_dir,
                                  max_bytes=None if max_size is None else max_size * 1_000_000)
    try:
        if args.command == "index":
            # `index` is asked to index: it waits for another process's update to end
            # and then does its own (or says it did not, exit 75); the other commands
            # answer at once from what that process has saved.
            waiting = _Waiting()
            try:
                if args.rebuild:
                    session.rebuild(INDEX_WAIT_S, waiting)
                stats = session.update(wait_s=INDEX_WAIT_S, waiting=waiting)
            finally:
                waiting.done()
        else:
            stats = session.update()
        if session.notice:
            applog.setup().warning("explorer %s: %s", args.command, session.notice)
            print(f"explorer: {printable(session.notice)}", file=sys.stderr)
        locations.remember_library(library)
        status = COMMANDS[args.command](session, stats, args)
        if session.meaning_notice:      # compare and topics: matched by words alone
            applog.setup().warning("explorer %s: %s", args.command, session.meaning_notice)
            print(f"explorer: {printable(session.meaning_notice)}", file=sys.stderr)
        return status
    finally:
        session.close()


# How long `explorer index` waits for another process updating the same index.
INDEX_WAIT_S = 600.0


class _Waiting:
    """Says on stderr that `index` waits for another process: on a terminal, a line
    counting the seconds; else one line, once (a log is no place for a counter)."""

    def __init__(self) -> None:
        self._shown = -1
        self._counting = sys.stderr.isatty()

    def __call__(self, waited: float) -> None:
        seconds = int(waited)
        if self._shown >= 0 and (not self._counting or seconds == self._shown):
            return
        self._shown = seconds
        text = "explorer: waiting for another Report Explorer to finish updating this index…"
        if self._counting:
            print(f"\r{text} {seconds} s", end="", file=sys.stderr, flush=True)
        else:
            print(text, file=sys.stderr, flush=True)

    def done(self) -> None:
        if self._counting and self._shown >= 0:
            print(file=sys.stderr)      # end the counting line


def _default_index_dir(library: Path) -> Path:
    try:
        return locations.index_dir_for(library)
    except OSError as exc:      # HOME not writable, XDG_DATA_HOME a file: the folder is not made
        raise UserError(f"cannot make the data folder where the index is kept, {exc.filename} "
                        f"({exc.strerror}): give an index folder with --index-dir DIR") from None


def _print_json(data) -> int:
    print(json.dumps(data, ensure_ascii=False, indent=1))
    return 0


def cmd_index(session, stats, args) -> int:
    if args.json:
        return _print_json(asdict(stats))
    style = Style.for_stream(sys.stdout)
    print(f"{style.bold(str(stats.reports))} reports, {stats.sections} sections in "
          f"{printable(str(session.library))}  ({stats.added} added, {stats.updated} updated, "
          f"{stats.removed} removed, {stats.seconds:.2f} s)")
    _print_skipped(stats.skipped, style)
    return 0


def _print_skipped(skipped, style) -> None:
    if skipped:
        print(style.warn(f"{len(skipped)} file(s) skipped:"))
        print(table([(printable(s.path), printable(s.reason)) for s in skipped], indent=2))


def cmd_reports(session, stats, args) -> int:
    reports = session.report_infos()
    if args.json:
        return _print_json({
            "reports": [{"id": r.id, "title": r.title, "path": r.path,
                         "sections": [{"number": h.number, "title": h.title} for h in r.headings]}
                        for r in reports],
            "skipped": [asdict(s) for s in stats.skipped]})
    style = Style.for_stream(sys.stdout)
    print(table([(style.bold(printable(r.id)), str(len(r.headings)), printable(r.title))
                 for r in reports],
                header=("REPORT", "SECTIONS", "TITLE")))
    _print_skipped(stats.skipped, style)
    return 0


def cmd_search(session, stats, args) -> int:
    if args.report and session.info(args.report) is None:
        raise UserError(f"no report with id {args.report!r} (see `explorer reports`)")
    result = session.search(args.query, limit=args.limit, report=args.report)
    if args.json:
        return _print_json({"query": result.query, "total": result.total,
                            "hits": [asdict(h) for h in result.hits],
                            "suggestion": result.suggestion, "notice": result.notice})
    style = Style.for_stream(sys.stdout)
    if result.notice:
        print(style.warn(printable(result.notice)))
    reports = len({h.report for h in result.hits})
    print(f"{result.total} hit(s)" + (f", showing {len(result.hits)} in {reports} report(s)"
                                      if result.hits else ""))
    if result.suggestion:
        print(f"Did you mean: {style.bold(printable(result.suggestion))}")
    for h in result.hits:
        print()
        print(f"{style.bold(printable(h.report))} § {h.section} {printable(h.section_title)}  "
              f"{style.dim(f'{h.score:.2f}')}")
        print("  " + style.marks(h.snippet))
    return 0


def cmd_show(session, stats, args) -> int:
    report = session.load(args.report)
    if args.section is not None:
        section = report.section(args.section)
        if section is None:
            numbers = ", ".join(str(s.number) for s in report.sections)
            raise UserError(f"{args.report} has no section {args.section} (it has {numbers})")
        markdown_text = section.markdown
    else:
        markdown_text = "\n\n".join(s.markdown for s in report.sections)
    if args.html:
        from .core.rendering import render_html
        print(printable(render_html(markdown_text), lines=True))
    else:
        print(printable(markdown_text, lines=True))
    return 0


def _comparison_builder(session):
    # The window's comparisons are built by the same builder: they show the same rows and
    # words. Imported here, as the session is: the window's start must not wait for it.
    from .core.comparison_builder import ComparisonBuilder
    return ComparisonBuilder.of(session)


def cmd_compare(session, stats, args) -> int:
    anchor, matches = _comparison_builder(session).counterparts(args.report, args.section,
                                                                 args.reports)
    if args.json:
        return _print_json({
            "anchor": {"report": args.report, "section": anchor.number, "title": anchor.title},
            "matches": [{"report": m.report, "report_title": m.report_title, "section": m.section,
                         "title": m.title, "score": m.score, "shared_terms": list(m.shared_terms)}
                        for m in matches]})
    style = Style.for_stream(sys.stdout)
    print(f"{style.bold(printable(args.report))} § {anchor.number} {printable(anchor.title)}")
    rows = [(printable(m.report), "—" if m.section is None else str(m.section),
             printable(m.title) if m.title else style.dim("no close match"), f"{m.score:.2f}",
             printable(", ".join(m.shared_terms[:5]))) for m in matches]
    print(table(rows, header=("REPORT", "§", "SECTION", "SCORE", "SHARED TERMS")))
    return 0


def cmd_topics(session, stats, args) -> int:
    topics = _comparison_builder(session).topic_map().topics
    if args.json:
        return _print_json({"topics": [
            {"label": t.label, "terms": list(t.terms),
             "sections": [{"report": s.report, "section": s.section, "title": s.title}
                          for s in t.sections]} for t in topics]})
    style = Style.for_stream(sys.stdout)
    for t in topics:
        print(style.bold(printable(t.label)) + style.dim(f"  ({len(t.sections)} report(s))"))
        print(table([(printable(s.report), str(s.section), printable(s.title))
                     for s in t.sections], indent=2))
    return 0


def cmd_groups(session, stats, args) -> int:
    # Imported here, as the comparison builder is: numpy and the model, not for other commands.
    from .core import groups as grouping
    infos = session.report_infos()

    def texts_of(i: int) -> list[str]:
        return [s.text for s in session.load(infos[i].id).sections]
    bodies = grouping.stored_bodies(session.index.whoosh, [i.id for i in infos])
    found = grouping.group_reports(infos, grouping.subjects(infos, bodies, texts_of))
    if args.json:
        return _print_json({"groups": [
            {"label": g.label, "reports": list(g.reports),
             "first": g.first.isoformat() if g.first else None,
             "last": g.last.isoformat() if g.last else None} for g in found]})
    style = Style.for_stream(sys.stdout)
    titles = {i.id: i.title for i in infos}
    for g in found:
        span = f"{g.first:%d %b %Y}–{g.last:%d %b %Y}" if g.first != g.last else f"{g.first:%d %b %Y}"
        print(style.bold(printable(g.label)) + style.dim(f"  ({len(g.reports)} report(s), {span})"))
        print(table([(printable(rid), printable(titles[rid])) for rid in g.reports], indent=2))
    return 0


def cmd_consensus(session, stats, args) -> int:
    # Imported here: numpy, the model and the aligner, not for the other commands.
    from .core.alignment import Aligner
    from .core.consensus import points
    ids = args.reports or [info.id for info in session.report_infos()]
    reports = [session.load(rid) for rid in dict.fromkeys(ids)]
    found = points(reports, Aligner(reports))
    if args.json:
        return _print_json({"reports": [r.id for r in reports], "points": [
            {"label": p.label, "support": p.support, "subject": p.subject,
             "sentences": [{"report": s.report, "section": s.section, "text": s.text}
                           for s in p.sentences]} for p in found]})
    style = Style.for_stream(sys.stdout)
    for p in found:
        said = f"said by {p.support} of {len(reports)}"
        print(style.bold(printable(p.label)) + style.dim(f"  ({said} · {printable(p.subject)})"))
        if p.support > 1:
            print(table([(printable(s.report), f"§{s.section}", printable(s.text))
                         for s in p.sentences], indent=2))
    return 0


COMMANDS = {"index": cmd_index, "reports": cmd_reports, "search": cmd_search, "show": cmd_show,
            "compare": cmd_compare, "topics": cmd_topics, "groups": cmd_groups,
            "consensus": cmd_consensus}


if __name__ == "__main__":
    sys.exit(main())
