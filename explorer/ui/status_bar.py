"""The status bar: messages on the left; on the right the library, its counts, its problems
and the state of the index (with a progress bar and a stop/resume button while indexing)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from ..core.wording import plural
from . import icons
from .plain import plain_html


class StatusBar(QStatusBar):
    # the problems count was clicked
    problems_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.library_label = QLabel()
        self.library_label.setTextFormat(Qt.TextFormat.PlainText)    # a folder name
        self.counts_label = QLabel()
        self.problems_button = QToolButton()
        self.problems_button.setAutoRaise(True)
        self.problems_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.problems_button.setToolTip("Files that could not be read (View → Problems…)")
        icons.set_icon(self.problems_button, "problems")
        self.problems_button.hide()
        self.index_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(140)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.index_button = QToolButton()
        self.index_button.setAutoRaise(True)
        self.index_button.hide()
        for label in (self.library_label, self.counts_label, self.index_label):
            label.setContentsMargins(6, 0, 6, 0)
        for widget in (self.library_label, self.counts_label, self.problems_button,
                       self.index_label, self.progress, self.index_button):
            self.addPermanentWidget(widget)
        self.problems_button.clicked.connect(self.problems_requested)

    def set_library(self, path: str) -> None:
        self.library_label.setText(Path(path).name or path)
        self.library_label.setToolTip(plain_html(f"Library: {path}"))

    def set_counts(self, reports: int, sections: int) -> None:
        self.counts_label.setText(f"{plural(reports, 'report')}, {plural(sections, 'section')}")

    def set_problems(self, count: int) -> None:
        self.problems_button.setText(plural(count, "problem"))
        self.problems_button.setVisible(count > 0)

    def set_index_state(self, text: str, tooltip: str = "", action: QAction | None = None) -> None:
        """Say what the index is doing; `action` (stop or resume) gets a button beside it."""
        self.index_label.setText(text)
        self.index_label.setToolTip(tooltip)
        if action is not None:
            self.index_button.setDefaultAction(action)
        self.index_button.setVisible(action is not None)

    def show_progress(self, done: int = 0, total: int = 0) -> None:
        """Show the progress bar; `total` 0: busy, amount unknown yet."""
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.show()

    def hide_progress(self) -> None:
        self.progress.hide()
