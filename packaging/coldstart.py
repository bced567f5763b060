"""Cold start: wall time from process start to the window's first paint.

    .venv/bin/python packaging/coldstart.py [--frozen dist/report-explorer/explorer]
                                            [--runs N] [--xcb] [--json]

Measures, in one run, with the commands taking turns so that the load of the machine hits
them all alike:

* floor:  `python -c` showing an empty QMainWindow (what Qt itself costs);
* source: the app as installed in the venv (`.venv/bin/explorer`);
* frozen: the PyInstaller one-folder app, if built (`python -m explorer.build`).

Every process quits from the event loop right after its window's first paint (the app
through EXPLORER_QUIT_AFTER_PAINT, see explorer/ui/app.py) and is timed from its start
to its exit. The app is timed twice: a first start (a fresh, empty HOME and XDG folders:
no settings, no index) and a second start (a copy of a profile where the index of the
bundled library exists and the window was shown and closed once). Prints the median of
`--runs` runs after one discarded warm-up round, and the ratios to the floor.

QT_QPA_PLATFORM=offscreen by default; `--xcb` uses a real X server (starting one with
xvfb-run when DISPLAY is not set). Never part of the frozen app.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FROZEN = ROOT / "dist" / "report-explorer" / "explorer"
QUIT_AFTER_PAINT = "EXPLORER_QUIT_AFTER_PAINT"     # explorer/ui/app.py
XVFB_SCREEN = "-screen 0 1400x900x24"
TIMEOUT_S = 60

# The floor quits the way the app does: from the event loop, after the first paint.
FLOOR = """\
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class QuitAfterPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.installEventFilter(QuitAfterPaint(window))
window.show()
sys.exit(app.exec())
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frozen", metavar="EXE", type=Path,
                        help=f"the frozen app (default: {DEFAULT_FROZEN.relative_to(ROOT)} "
                             "if built)")
    parser.add_argument("--no-frozen", action="store_true", help="skip the frozen app")
    parser.add_argument("--runs", type=int, default=7, metavar="N",
                        help="measured runs per command (default 7)")
    parser.add_argument("--xcb", action="store_true",
                        help="use an X server (xvfb-run when DISPLAY is not set)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.xcb and not os.environ.get("DISPLAY"):
        if shutil.which("xvfb-run") is None:
            parser.error("--xcb without DISPLAY needs xvfb-run")
        return subprocess.call(["xvfb-run", "-a", "-s", XVFB_SCREEN, sys.executable,
                                *sys.argv])
    platform = "xcb" if args.xcb else "offscreen"

    source = Path(sys.executable).parent / "explorer"
    if not source.is_file():
        parser.error(f"no {source}: install the app in this venv (bash scripts/setup.sh)")
    frozen = args.frozen or (DEFAULT_FROZEN if DEFAULT_FROZEN.is_file() else None)
    if args.no_frozen:
        frozen = None
    if frozen is not None and not frozen.is_file():
        parser.error(f"no frozen app at {frozen} (python -m explorer.build)")
    apps = {"source": [str(source)]}
    if frozen is not None:
        apps["frozen"] = [str(frozen.resolve())]

    with tempfile.TemporaryDirectory(prefix="coldstart-") as tmp:
        bench = Bench(Path(tmp), platform)
        cases = {("floor", "first"): [sys.executable, "-c", FLOOR]}
        for name, command in apps.items():
            cases[(name, "first")] = command
            cases[(name, "second")] = command
            bench.prepare_second_start(name, command)
        load_before = os.getloadavg()
        times: dict[tuple[str, str], list[float]] = {case: [] for case in cases}
        order = list(cases)
        for round_ in range(args.runs + 1):          # round 0: warm-up, not counted
            for case in order:
                seconds = bench.run(cases[case], *case)
                if round_:
                    times[case].append(seconds)
            order = order[1:] + order[:1]             # each command leads a round in turn
        load_after = os.getloadavg()

    result = summarise(times, platform, args.runs, load_before, load_after, frozen)
    print(json.dumps(result, indent=1) if args.json else format_table(result))
    return 0


class Bench:
    """Runs a command in a profile of its own and times it."""

    def __init__(self, tmp: Path, platform: str):
        self.tmp = tmp
        self.platform = platform
        self.templates: dict[str, Path] = {}     # app name -> its second-start profile
        self.count = 0

    def prepare_second_start(self, name: str, command: list[str]) -> None:
        """A profile as left by a first session: the index built, the window closed once."""
        home = self.tmp / f"template-{name}"
        home.mkdir()
        _run([*command, "index"], self._env(home), f"{name} index")
        _run(command, self._env(home), f"{name} (preparing the second start)")
        self.templates[name] = home

    def run(self, command: list[str], name: str, start: str) -> float:
        self.count += 1
        home = self.tmp / f"run-{self.count}"
        if start == "second":
            shutil.copytree(self.templates[name], home, symlinks=True)
        else:
            home.mkdir()
        seconds = _run(command, self._env(home), f"{name} ({start} start)")
        shutil.rmtree(home, ignore_errors=True)
        return seconds

    def _env(self, home: Path) -> dict[str, str]:
        env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"),
                   XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"),
                   QT_QPA_PLATFORM=self.platform, **{QUIT_AFTER_PAINT: "1"})
        # Python runs from compiled bytecode, as an installed app does (pip compiles it; the
        # frozen app carries it): written by the warm-up round, outside the checkout.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.tmp / "pycache")
        return env


def _run(command: list[str], env: dict[str, str], what: str) -> float:
    """Run to the end; its wall time in seconds. Any failure ends the measurement."""
    began = time.perf_counter()
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True,
                              timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        sys.exit(f"coldstart: {what} did not quit within {TIMEOUT_S} s (an app built "
                 f"before {QUIT_AFTER_PAINT} existed? rebuild it)")
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"coldstart: {what} exited with {done.returncode}:\n{done.stderr[-2000:]}")
    return seconds


def summarise(times, platform, runs, load_before, load_after, frozen) -> dict:
    floor = statistics.median(times[("floor", "first")])
    rows = []
    for (name, start), values in times.items():
        median = statistics.median(values)
        rows.append({"command": name, "start": start, "median_s": round(median, 4),
                     "min_s": round(min(values), 4), "max_s": round(max(values), 4),
                     "ratio_to_floor": round(median / floor, 2),
                     "runs_s": [round(v, 4) for v in values]})
    return {"platform": platform, "runs": runs, "warm_up_rounds": 1,
            "frozen": str(frozen) if frozen else None,
            "load_average": [round(load_before[0], 2), round(load_after[0], 2)],
            "python": sys.version.split()[0], "results": rows}


def format_table(result: dict) -> str:
    lines = [f"cold start to first paint, QT_QPA_PLATFORM={result['platform']}, "
             f"median of {result['runs']} runs (+1 warm-up), load average "
             f"{result['load_average'][0]} -> {result['load_average'][1]}",
             "",
             f"{'command':8} {'start':7} {'median s':>9} {'min-max s':>13} {'x floor':>8}"]
    for row in result["results"]:
        lines.append(f"{row['command']:8} {row['start']:7} {row['median_s']:9.3f} "
                     f"{row['min_s']:6.3f}-{row['max_s']:<6.3f} {row['ratio_to_floor']:8.2f}")
    if result["frozen"] is None:
        lines.append("(no frozen app: build it with python -m explorer.build)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
