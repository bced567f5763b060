"""`explorer --self-test`, run as a user would: every check passes, nothing of the user's is
written, and a failure is one line per check and exit code 1, never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHECKS = ("package data", "Qt", "icons", "window", "index", "parallel index", "search", "meaning",
          "compare", "topics", "render", "text repair")


def _run(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "explorer", *args]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=180)


def _check_lines(stdout: str) -> dict[str, str]:
    """{check name: "✓" or "✗"} from the report's check lines."""
    lines = {}
    for line in stdout.splitlines():
        mark, _, rest = line.partition(" ")
        if mark in ("✓", "✗"):
            name = next((c for c in CHECKS if rest.startswith(c + " ")), rest)
            lines[name] = mark
    return lines


def test_self_test_passes_every_check(_private_profile):
    result = _run("--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _check_lines(result.stdout) == {name: "✓" for name in CHECKS}
    assert f"All {len(CHECKS)} checks passed" in result.stdout
    assert "Traceback" not in result.stderr


def test_self_test_leaves_no_index_state_or_settings_behind(_private_profile):
    assert _run("--self-test").returncode == 0
    data = _private_profile / "data" / "report-explorer"
    # Only the log is written to the user's folders: no index, no remembered library.
    assert sorted(p.name for p in data.iterdir()) == ["logs"]
    assert "self-test: All" in (data / "logs" / "explorer.log").read_text("utf-8")
    config = _private_profile / "config"
    assert not config.exists() or not any(config.rglob("*"))


def test_a_failing_check_is_one_line_and_exit_1_without_traceback(tmp_path):
    missing = tmp_path / "no-such-library"
    code = ("import sys; from pathlib import Path; from explorer.core import locations; "
            f"locations.bundled_library = lambda: Path({str(missing)!r}); "
            "from explorer.selftest import run_self_test; sys.exit(run_self_test())")
    result = _run(code=code)
    assert result.returncode == 1
    marks = _check_lines(result.stdout)
    assert marks["package data"] == marks["window"] == marks["index"] == "✗"
    assert marks["Qt"] == marks["text repair"] == "✓"
    assert "the window showed a dialog: There is no folder at" in result.stdout
    assert "checks failed" in result.stdout and "details in" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert not Path(missing).exists()
