"""The size limit for report files is a preference: stored in the data folder, honoured by
the index (and so by the command line and the window), overridden for one run by
`explorer index --max-size`, and changed in the window's Edit → Preferences…."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from explorer.core import index as index_module
from explorer.core import preferences
from explorer.core.index import ReportIndex
from explorer.core.preferences import Preferences
from explorer.ui.preferences import PreferencesDialog
from ui_helpers import *  # noqa: F401,F403 - fixtures and helpers
from ui_helpers import WAIT_MS

MB = 1_000_000
SMALL = "# Small\n\n## 1. Notes\nquokka notes\n"


def big_report(size: int) -> str:
    body = "wombat burrows are cubic " * (size // 25)
    return f"# Big\n\n## 1. Burrows\n{body}\n"


@pytest.fixture
def lib(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "small.md").write_text(SMALL, "utf-8")
    (folder / "big.md").write_text(big_report(int(1.5 * MB)), "utf-8")
    return folder


def set_limit(mb: int) -> None:
    preferences.save(preferences.load().with_max_report_mb(mb))


def reasons(skipped) -> dict[str, str]:
    return {s.path: s.reason for s in skipped}


# -- the store -------------------------------------------------------------------------------

def test_defaults_without_a_file():
    assert preferences.load() == Preferences(max_report_mb=20)
    assert preferences.max_report_bytes() == 20 * MB


def test_saved_value_is_loaded_back():
    set_limit(7)
    assert preferences.load().max_report_mb == 7
    assert json.loads(preferences.preferences_file().read_text("utf-8")) == {"max_report_mb": 7}


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '"text"', "\xff\xfe",
                                     '{"max_report_mb": "big"}', '{"max_report_mb": 0}',
                                     '{"max_report_mb": 999999}', '{"max_report_mb": true}',
                                     '{"max_report_mb": 2.5}'])
def test_a_bad_file_means_the_defaults_never_an_error(content):
    preferences.preferences_file().write_text(content, "utf-8", errors="surrogateescape")
    assert preferences.load() == Preferences()


def test_an_unreadable_file_means_the_defaults():
    preferences.preferences_file().mkdir()          # a folder where the file should be
    assert preferences.load() == Preferences()


def test_out_of_range_values_are_refused():
    for bad in (0, -1, preferences.MAX_MAX_REPORT_MB + 1, "5", None, 1.0):
        with pytest.raises(ValueError):
            Preferences().with_max_report_mb(bad)


# -- the index follows it ----------------------------------------------------------------------

def test_the_index_uses_the_preference_and_remembers_the_limit_it_used(lib, tmp_path,
                                                                      monkeypatch):
    set_limit(1)
    stats = ReportIndex(lib, tmp_path / "ix").update()
    assert stats.reports == 1
    assert reasons(stats.skipped)["big.md"].startswith("too large (1,500,0")
    assert "the limit is 1 MB" in reasons(stats.skipped)["big.md"]

    # same limit, next run: the skipped file is not even read again
    reads = []
    real = index_module.read_report
    monkeypatch.setattr(index_module, "read_report",
                        lambda *a, **k: reads.append(a[0].name) or real(*a, **k))
    again = ReportIndex(lib, tmp_path / "ix").update()
    assert reads == [] and reasons(again.skipped).keys() == {"big.md"}

    set_limit(2)                # raised: the file skipped as too large is read now
    raised = ReportIndex(lib, tmp_path / "ix").update()
    assert reads == ["big.md"]
    assert (raised.reports, raised.added, raised.skipped) == (2, 1, ())

    set_limit(1)                # lowered: the file now over it is dropped, with the reason
    lowered = ReportIndex(lib, tmp_path / "ix")
    stats = lowered.update()
    assert stats.reports == 1 and "big" not in lowered.reports
    assert "too large" in reasons(stats.skipped)["big.md"]


def test_an_open_index_follows_a_change_at_its_next_update(lib, tmp_path):
    set_limit(1)
    ix = ReportIndex(lib, tmp_path / "ix")
    assert ix.update().reports == 1
    set_limit(2)
    assert ix.update().reports == 2 and ix.max_bytes == 2 * MB
    set_limit(1)
    stats = ix.update()
    assert stats.reports == 1 and reasons(stats.skipped).keys() == {"big.md"}


def test_a_limit_given_explicitly_wins_over_the_preference(lib, tmp_path):
    set_limit(1)
    ix = ReportIndex(lib, tmp_path / "ix", max_bytes=2 * MB)
    assert ix.update().reports == 2
    assert ix.update().reports == 2         # not reset to the preference by an update


# -- the command line ----------------------------------------------------------------------------

def test_index_max_size_overrides_the_preference_for_one_run(cli, lib):
    set_limit(1)
    first = cli("index", "--json", "--library", str(lib))
    assert first.returncode == 0
    assert [s["path"] for s in json.loads(first.stdout)["skipped"]] == ["big.md"]
    raised = cli("index", "--json", "--max-size", "2", "--library", str(lib))
    assert raised.returncode == 0
    data = json.loads(raised.stdout)
    assert (data["reports"], data["skipped"]) == (2, [])
    back = json.loads(cli("reports", "--json", "--library", str(lib)).stdout)
    assert [r["id"] for r in back["reports"]] == ["small"]      # the preference again


@pytest.mark.parametrize("value", ["0", "abc", "2.5", "-3", "999999"])
def test_index_max_size_must_be_a_sensible_number(cli, lib, value):
    r = cli("index", "--max-size", value, "--library", str(lib))
    assert r.returncode == 2
    assert "--max-size" in r.stderr and "whole number of MB" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_index_help_mentions_max_size(cli):
    r = cli("index", "--help")
    assert r.returncode == 0 and "--max-size MB" in r.stdout


# -- the window ----------------------------------------------------------------------------------

def answer_dialog(qtbot, value: int | None) -> list[PreferencesDialog]:
    """When the dialog opens: set the limit to `value` and press OK (None: Cancel)."""
    seen = []

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PreferencesDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog)
        if value is None:
            dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
        else:
            dialog.max_size.setValue(value)
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    QTimer.singleShot(0, answer)
    return seen


def test_preferences_dialog_changes_the_limit_and_the_window_follows(qtbot, make_window, lib):
    set_limit(1)
    win = make_window(lib)
    assert [r.id for r in win.state.reports] == ["small"]
    assert win.problems.model.rowCount() == 1
    edit_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&Edit")
    assert win.actions["preferences"] in edit_menu.actions()

    seen = answer_dialog(qtbot, None)
    win.actions["preferences"].trigger()
    assert seen and seen[0].max_size.value() == 1
    assert preferences.load().max_report_mb == 1             # cancelled: unchanged

    seen = answer_dialog(qtbot, 2)
    win.actions["preferences"].trigger()
    assert seen
    assert preferences.load().max_report_mb == 2
    assert "size limit" in win.status.currentMessage()
    # The finished update, not a state sent while it runs (the problems come at its end).
    qtbot.waitUntil(lambda: win.state.indexed and [r.id for r in win.state.reports]
                    == ["big", "small"], timeout=WAIT_MS)
    assert win.problems.model.rowCount() == 0 and not win.status.problems_button.isVisible()


def test_preferences_that_cannot_be_saved_are_said_and_unchanged(qtbot, make_window, lib,
                                                                 monkeypatch):
    from explorer.ui import preferences as ui_preferences
    win = make_window(lib)
    warnings = []
    monkeypatch.setattr(ui_preferences.QMessageBox, "warning",
                        lambda parent, title, text: warnings.append(text))

    def full(prefs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(preferences, "save", full)
    answer_dialog(qtbot, 5)
    win.actions["preferences"].trigger()
    assert warnings and "No space left on device" in warnings[0] and "unchanged" in warnings[0]
    assert preferences.load().max_report_mb == 20


def test_the_colours_follow_the_chosen_theme_and_are_remembered(qtbot, make_window, lib):
    from PySide6.QtGui import QPalette

    from explorer.ui.settings import Settings
    from explorer.ui.theme import apply_theme
    win = make_window(lib)
    base = lambda: QApplication.palette().color(QPalette.ColorRole.Base).lightnessF()  # noqa: E731
    started = base()

    def choose(theme: str) -> None:
        def answer():
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, PreferencesDialog):
                QTimer.singleShot(20, answer)
                return
            dialog.theme.setCurrentIndex(dialog.theme.findData(theme))
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        QTimer.singleShot(0, answer)
        win.actions["preferences"].trigger()

    try:
        choose("dark")
        assert Settings().value("appearance/theme") == "dark" and base() < 0.3
        # the reader takes the palette (Qt hands it to each widget by event): its page is dark
        qtbot.waitUntil(lambda: win.reader.browser.palette().color(QPalette.ColorRole.Base)
                        .lightnessF() < 0.3, timeout=WAIT_MS)
        choose("light")
        assert base() > 0.7
        choose("system")
        assert Settings().value("appearance/theme") == "system" and base() == started
    finally:
        apply_theme(QApplication.instance(), "system")
