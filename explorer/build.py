"""`python -m explorer.build [--onefile]`: the double-clickable app, from a source checkout.

Runs PyInstaller on packaging/explorer.spec, checks the result (files an X11 desktop needs,
the package data) and runs the frozen app's `--self-test` offscreen. Prints where the app
is, its size, its number of files and how long the build took. Exit code 0 when the build
and its checks passed.

Needs the "build" extra (`bash scripts/setup.sh --build`). Never part of the frozen app.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import re
import runpy
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "explorer.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build"
LOG = WORK / "pyinstaller.log"
# A missing one of these on the build host is only a PyInstaller warning, but the bundle
# then aborts on every machine that lacks it (shared/notes/packaging.md §7).
FATAL_MISSING = re.compile(r"Library not found: could not resolve '(libxcb[^']*|libxkbcommon[^']*"
                           r"|libQt6XcbQpa[^']*)'")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m explorer.build", description=__doc__.split("\n")[0])
    parser.add_argument("--onefile", action="store_true",
                        help="one executable that unpacks itself on each start (slower to start)")
    parser.add_argument("--no-self-test", action="store_true",
                        help="don't run the built app's --self-test")
    args = parser.parse_args(argv)
    if not SPEC.is_file():
        return _fail(f"no {SPEC.relative_to(ROOT)}: run this from a source checkout")
    if importlib.util.find_spec("PyInstaller") is None:
        return _fail("PyInstaller is not installed: bash scripts/setup.sh --build")

    contents = runpy.run_path(str(ROOT / "packaging" / "contents.py"))
    target = DIST / (contents["EXE_NAME"] if args.onefile else contents["BUNDLE_NAME"])
    exe = target if args.onefile else target / contents["EXE_NAME"]
    if os.name == "nt":
        exe = exe.with_suffix(".exe")
    mode = "one-file" if args.onefile else "one-folder"
    print(f"build: PyInstaller, {mode}, log in {LOG.relative_to(ROOT)} …", flush=True)

    WORK.mkdir(exist_ok=True)
    env = dict(os.environ, EXPLORER_ONEFILE="1" if args.onefile else "0")
    start = time.perf_counter()
    with LOG.open("w", encoding="utf-8") as log:
        rc = subprocess.call([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                              "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)],
                             cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    log_text = LOG.read_text("utf-8", errors="replace")
    if rc != 0:
        print("\n".join(log_text.splitlines()[-25:]), file=sys.stderr)
        return _fail(f"PyInstaller failed (exit {rc}) after {seconds:.0f} s; log: {LOG}")

    problems = sorted(set(FATAL_MISSING.findall(log_text)))
    if problems:
        problems = [f"the build host lacks {name} (install the X11 libraries: "
                    f"bash scripts/setup.sh --gui)" for name in problems]
    if sys.platform.startswith("linux") and not args.onefile:
        internal = target / "_internal"
        problems += [f"missing in the bundle: _internal/{rel}"
                     for rel in contents["LINUX_MUST_CONTAIN"] if not (internal / rel).exists()]

    size, files = _size_and_count(target)
    print(f"build: {exe.relative_to(ROOT)}  {size / 1e6:.0f} MB ({size:,} bytes), "
          f"{files} file(s), built in {seconds:.1f} s")
    for problem in problems:
        print(f"build: ✗ {problem}", file=sys.stderr)

    if not args.no_self_test:
        print(f"build: {exe.relative_to(ROOT)} --self-test", flush=True)
        test_env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        try:
            if subprocess.call([str(exe), "--self-test"], env=test_env, timeout=300) != 0:
                problems.append("the built app's self-test failed")
        except subprocess.TimeoutExpired:
            problems.append("the built app's self-test did not end within 300 s")
    if problems:
        return _fail(f"{len(problems)} problem(s) with {target.relative_to(ROOT)}")
    return 0


def _size_and_count(path: Path) -> tuple[int, int]:
    if path.is_file():
        return path.stat().st_size, 1
    files = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def _fail(message: str) -> int:
    print(f"build: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
