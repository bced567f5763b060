"""The comparison view: two or more reports side by side, one column each (panel.py), rows
of aligned sections; the main window shows each CompareView in a tab.

Data comes from the CompareClient's worker thread. Every change (a column added, moved,
pinned, a section chosen) is a new request, and its answer replaces the model; the row
that was current is found again in it and kept in view.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMenu, QStackedWidget,
                               QToolButton, QVBoxLayout, QWidget)

from ...core.alignment import Topic
from ...core.comparison import CompareRequest, Comparison, SectionKey
from ...core.overrides import Overrides
from .. import icons
from ..export_dialog import ask_export_path, remember_export_dir
from ..plain import menu_text
from ..reader import ZOOM_MAX, ZOOM_MIN
from ..styles import muted_text
from . import export
from .client import CompareClient
from .column import CompareColumn
from .css import compare_css, legend_html
from .delegate import CellDelegate
from .model import CompareModel
from .panel import ColumnPanel
from .picker import ReportPicker

MAX_COLUMNS = 8
AUTOMATIC = "automatic"     # choose_section(): back to the aligner's choice
NO_SECTION = "none"         # a section menu action's data for "No matching section"


class CompareView(QWidget):
    # the user wants to read a section: (report id, section number)
    open_in_reader = Signal(str, int)
    # the tab's title
    title_changed = Signal(str)
    # for the status bar: a failure (details are in the log) or a notice
    status_message = Signal(str)
    # a new answer is shown (the Comparison): after opening and after every change
    comparison_changed = Signal(object)
    # the cells' zoom changed: points added to the font (Ctrl+wheel over the cells)
    zoom_changed = Signal(int)

    def __init__(self, client: CompareClient, overrides: Overrides | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._client = client
        # The user's choices belong to this comparison (another one has rows of its own).
        self._overrides = overrides if overrides is not None else Overrides()
        self.model = CompareModel(self)
        self.delegate = CellDelegate(self)
        self._reports: tuple[str, ...] = ()
        self._reference: str | None = None
        self._target: SectionKey | None = None    # the row to show at the top once answered
        self._subject: str | None = None          # what the tab is about, once known
        self._subject_pending = False
        self._ticket = 0
        self._title = ""
        self._zoom = 0
        self._build()
        self._connect_signals()
        self._apply_style()

    # -- construction ---------------------------------------------------------------------
    def _build(self) -> None:
        self.add_button = self._tool_button("Add Report", "add-report",
                                            "Add another report of the library as a column")
        self.picker = ReportPicker(self)
        self.sync_button = self._tool_button("Sync Scrolling", "sync-scroll",
                                             "Scroll every column together")
        self.sync_button.setCheckable(True)
        self.sync_button.setChecked(True)
        self.diff_button = self._tool_button("Word Diff", "word-diff", "")
        self.diff_button.setCheckable(True)
        self.export_button = self._tool_button("Export", "export", "Save the comparison as a file")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(self.export_button)
        self.export_html_action = export_menu.addAction("Export as HTML…")
        self.export_pdf_action = export_menu.addAction("Export as PDF…")
        self.export_button.setMenu(export_menu)
        self.summary_label = QLabel()
        toolbar = QHBoxLayout()
        toolbar.setContentsMargins(4, 2, 4, 2)
        for button in (self.add_button, self.sync_button, self.diff_button):
            toolbar.addWidget(button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.summary_label)
        toolbar.addWidget(self.export_button)

        # Plain: a failure's message quotes its error, file paths and all.
        self.message_label = QLabel("Aligning sections…", alignment=Qt.AlignmentFlag.AlignCenter,
                                    wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.panel = ColumnPanel(self.model, self.delegate)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message_label)
        self.stack.addWidget(self.panel)
        self.legend_label = QLabel()
        self.legend_label.setContentsMargins(6, 3, 6, 3)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(toolbar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.legend_label)

        # Next/previous row and difference are the window's Go menu (step_row and
        # step_difference): one owner per key, or Qt finds the key ambiguous.
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        shortcuts = {
            "Ctrl+Right": lambda: self.panel.focus_column(1),
            "Ctrl+Left": lambda: self.panel.focus_column(-1),
        }
        for keys, slot in shortcuts.items():
            QShortcut(QKeySequence(keys), self, slot, context=context)

    def _tool_button(self, text: str, icon: str, tip: str) -> QToolButton:
        button = QToolButton(text=text, toolTip=tip, autoRaise=True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        icons.set_icon(button, icon)
        return button

    def _connect_signals(self) -> None:
        self._client.compared.connect(self._on_client_compared)
        self._client.reports_changed.connect(self._on_client_reports_changed)
        self._client.failed.connect(self._on_client_failed)
        self.add_button.clicked.connect(self.open_picker)
        self.picker.chosen.connect(self.add_report)
        self.sync_button.toggled.connect(self.set_sync_scroll)
        self.diff_button.toggled.connect(self.set_word_diff)
        self.export_html_action.triggered.connect(self._on_export_html_triggered)
        self.export_pdf_action.triggered.connect(self._on_export_pdf_triggered)
        self.panel.remove_requested.connect(self.remove_report)
        self.panel.move_requested.connect(self.move_report)
        self.panel.pin_requested.connect(self._on_panel_pin_requested)
        self.panel.cell_menu_requested.connect(self._on_panel_cell_menu_requested)
        self.panel.cell_activated.connect(self._on_panel_cell_activated)
        self.panel.zoom_requested.connect(lambda steps: self.set_zoom(self._zoom + steps))
        self.delegate.head_clicked.connect(self._on_delegate_head_clicked)

    # -- opening --------------------------------------------------------------------------
    @Slot(list)
    def open_reports(self, ids: list[str]) -> None:
        """Compare these reports; rows follow the topic map."""
        self._open(tuple(dict.fromkeys(ids))[:MAX_COLUMNS], None, None)

    def open_section(self, report_id: str, section: int, ids: list[str] | None = None) -> None:
        """Compare a section with its counterparts: the report pinned, that row on top.
        Without `ids`, the reports that have a counterpart of the section."""
        others = [i for i in ids if i != report_id] if ids is not None else None
        reports = () if others is None else (report_id, *others)[:MAX_COLUMNS]
        self._open(reports, report_id, (report_id, section))

    @Slot(object)
    def open_topic(self, topic: Topic) -> None:
        """Compare the reports covering a topic of the topic map, its row on top."""
        reports = tuple(dict.fromkeys(s.report for s in topic.sections))[:MAX_COLUMNS]
        first = topic.sections[0]
        self._open(reports, None, (first.report, first.section))

    def _open(self, reports: tuple[str, ...], reference: str | None,
              target: SectionKey | None) -> None:
        self._reports, self._reference, self._target = reports, reference, target
        self._subject, self._subject_pending = None, target is not None
        self._request()

    def _request(self) -> None:
        overrides = self._overrides.of(self._client.library)
        self._ticket = self._client.compare(
            CompareRequest(self._reports, self._reference, self._target, overrides))
        if self.model.comparison is None:
            self._show_message("Aligning sections…")

    # -- columns --------------------------------------------------------------------------
    @property
    def report_ids(self) -> tuple[str, ...]:
        return self._reports

    @property
    def reference(self) -> str | None:
        return self._reference

    @property
    def columns(self) -> list[CompareColumn]:
        return self.panel.columns

    def add_report(self, report_id: str) -> None:
        if report_id not in self._reports and len(self._reports) < MAX_COLUMNS:
            self._change(self._reports + (report_id,), self._reference)

    @Slot(str)
    def remove_report(self, report_id: str) -> None:
        if report_id in self._reports and len(self._reports) > 1:
            reference = None if report_id == self._reference else self._reference
            self._change(tuple(r for r in self._reports if r != report_id), reference)

    @Slot(str, int)
    def move_report(self, report_id: str, position: int) -> None:
        if report_id in self._reports:
            others = [r for r in self._reports if r != report_id]
            others.insert(max(0, min(position, len(others))), report_id)
            self._change(tuple(others), self._reference)

    def pin_report(self, report_id: str | None) -> None:
        """Make a report the reference (its sections define the rows), or None to unpin."""
        self._change(self._reports, report_id, prefer=report_id)

    def _change(self, reports: tuple[str, ...], reference: str | None,
                prefer: str | None = None) -> None:
        """Ask again for a changed comparison, keeping the current row in view."""
        self._target = self._row_key(self.panel.current_row(), prefer)
        self._reports, self._reference = reports, reference
        self._request()

    # -- rows -----------------------------------------------------------------------------
    def current_row(self) -> int | None:
        return self.panel.current_row()

    def top_row(self) -> int | None:
        return self.panel.top_row()

    def step_row(self, delta: int) -> None:
        """The next (1) or previous (-1) row, made current and shown on top."""
        self.panel.jump_rows(delta)

    def step_difference(self, delta: int) -> bool:
        """The next (1) or previous (-1) row where the reports differ (CompareModel.differs),
        made current and shown on top; False, and a message, when there is none that way."""
        row = self.panel.current_row()
        if row is None:
            return False
        rows = range(row + 1, self.model.rowCount()) if delta > 0 else range(row - 1, -1, -1)
        found = next((r for r in rows if self.model.differs(r)), None)
        if found is None:
            self.status_message.emit("No difference " + ("below" if delta > 0 else "above"))
            return False
        self.panel.go_to_row(found)
        return True

    def _row_key(self, row: int | None, prefer: str | None = None) -> SectionKey | None:
        """A section of the row to find it by in the next comparison (preferably `prefer`'s)."""
        if row is None or self.model.comparison is None:
            return None
        cells = [c for c in self.model.comparison.rows[row].cells if c.section is not None]
        cells.sort(key=lambda c: (c.report != prefer, c.report != self._reference))
        return (cells[0].report, cells[0].section) if cells else None

    # -- overrides ------------------------------------------------------------------------
    def section_menu(self, row: int, column: int) -> QMenu:
        """"Use Section": the report's sections to show in this row instead."""
        cell = self.model.cell(row, column)
        report = self.model.comparison.reports[column]
        menu = QMenu("Use Section", self)
        automatic = menu.addAction("Automatic Choice")
        automatic.setData(AUTOMATIC)
        automatic.setCheckable(True)
        automatic.setChecked(cell.origin == "auto")
        menu.addSeparator()
        for heading in report.headings:
            action = menu.addAction(menu_text(f"§{heading.number}  {heading.title}"))
            action.setData(heading.number)
            action.setCheckable(True)
            action.setChecked(heading.number == cell.section)
        menu.addSeparator()
        none = menu.addAction("No Matching Section")
        none.setData(NO_SECTION)
        none.setCheckable(True)
        none.setChecked(cell.section is None)
        menu.triggered.connect(lambda action: self.choose_section(
            row, column, None if action.data() == NO_SECTION else action.data()))
        return menu

    def choose_section(self, row: int, column: int, section: int | str | None) -> None:
        """Show `section` (None: no section; AUTOMATIC: the aligner's) for a row and column;
        the choice holds for the session."""
        comparison = self.model.comparison
        report = comparison.reports[column].id
        key = (*comparison.rows[row].anchor, report)
        if section == AUTOMATIC:
            self._overrides.forget(comparison.library, key)
        else:
            self._overrides.choose(comparison.library, key, section)
        self._target = (self._row_key(row) if isinstance(section, str) or section is None
                        else (report, section))
        self._request()

    # -- modes ----------------------------------------------------------------------------
    @Slot(bool)
    def set_sync_scroll(self, on: bool) -> None:
        self.sync_button.setChecked(on)
        self.panel.set_sync(on)

    @property
    def sync_scroll(self) -> bool:
        return self.panel.sync

    @Slot(bool)
    def set_word_diff(self, on: bool) -> None:
        self.diff_button.setChecked(on)
        self.model.set_word_diff(on)
        self.panel.relayout()         # the diff's text is not the body's: heights change
        self._update_chrome()

    @Slot(object)
    def set_search_terms(self, terms) -> None:
        """Mark these stemmed terms (the search pane's) in every column; a phrase's words
        (a term with spaces) are marked one by one, as words are marked here."""
        self.model.set_search_terms(frozenset(word for term in terms for word in term.split()))
        self._update_chrome()

    @property
    def zoom(self) -> int:
        return self._zoom

    @Slot(int)
    def set_zoom(self, steps: int) -> None:
        """Points added to the cells' font (the reader's zoom steps); columns narrow or widen
        with it, the row on top stays on top."""
        steps = max(ZOOM_MIN, min(ZOOM_MAX, int(steps)))
        if steps != self._zoom:
            self._zoom = steps
            top = self.panel.top_row()
            self._apply_style()
            self.panel.relayout(top)
            self.zoom_changed.emit(steps)

    # -- export ---------------------------------------------------------------------------
    def export_html(self, path: str | Path) -> bool:
        """Write the comparison as one standalone HTML file; False (and a message) on failure."""
        return self._export(path, export.write_html)

    def print_to_pdf(self, path: str | Path) -> bool:
        return self._export(path, export.write_pdf)

    def export_with_dialog(self, formats: tuple[str, ...] = ("html", "pdf")) -> bool:
        """Ask where to export (the shared save dialog: it starts in the last export's
        folder), export there and remember the folder; False if cancelled or failed."""
        if self.model.comparison is None:
            self.status_message.emit("Nothing to export yet: the comparison is not ready")
            return False
        path = ask_export_path(self, self._title, formats)
        if path is None:
            return False
        pdf = path.suffix.lower() == ".pdf"
        if not self._export(path, export.write_pdf if pdf else export.write_html):
            return False
        remember_export_dir(path)
        return True

    def _export(self, path: str | Path, write) -> bool:
        if self.model.comparison is None:
            return False
        try:
            write(Path(path), self.model)
        except OSError as exc:
            self.status_message.emit(f"Could not export to {path}: {exc.strerror or exc}")
            return False
        self.status_message.emit(f"Exported to {path}")
        return True

    # -- answers --------------------------------------------------------------------------
    @Slot(int, object)
    def _on_client_compared(self, ticket: int, comparison: Comparison) -> None:
        if ticket != self._ticket:
            return
        self._reports, self._reference = comparison.report_ids, comparison.reference
        self.model.set_comparison(comparison)
        self.panel.set_reports(comparison.reports, comparison.reference)
        if not comparison.reports:
            self._show_message("None of these reports is in the library any more.")
        else:
            self.stack.setCurrentWidget(self.panel)
        if comparison.focus is not None:
            if self._subject_pending:
                self._subject = comparison.rows[comparison.focus].label
            self.panel.go_to_row(comparison.focus)
        self._subject_pending = False
        self._update_chrome()
        if comparison.notice:
            self.status_message.emit(comparison.notice)
        self.comparison_changed.emit(comparison)

    @Slot(object)
    def _on_client_reports_changed(self, _reports) -> None:
        # The library changed on disk: align again what is shown, where it is shown.
        if self.model.comparison is not None:
            self._change(self._reports, self._reference)

    @Slot(int, str)
    def _on_client_failed(self, ticket: int, message: str) -> None:
        if ticket in (0, self._ticket):
            if self.model.comparison is None:
                self._show_message(message)
            self.status_message.emit(message)

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.stack.setCurrentWidget(self.message_label)

    def _update_chrome(self) -> None:
        """Title, summary, legend and which buttons apply."""
        comparison = self.model.comparison
        count = len(self._reports)
        title = f"Compare: {self._subject}" if self._subject else f"Compare {count} Reports"
        if title != self._title:
            self._title = title
            self.title_changed.emit(title)
        if comparison is not None:
            rows = len(comparison.rows)
            self.summary_label.setText(f"{rows} row{'' if rows == 1 else 's'} · "
                                       f"{count} report{'' if count == 1 else 's'}")
        self.diff_button.setEnabled(count == 2)
        self.diff_button.setToolTip("Mark word by word what only one of the two reports says"
                                    if count == 2 else "Word diff compares exactly two reports")
        self.add_button.setEnabled(count < MAX_COLUMNS)
        self.legend_label.setText(legend_html(self.palette(), self.model.word_diff_shown,
                                              self.model.searching))

    # -- user actions ---------------------------------------------------------------------
    @Slot()
    def open_picker(self) -> None:
        """The searchable list of the library's reports not shown yet, under the button."""
        where = self.add_button.mapToGlobal(self.add_button.rect().bottomLeft())
        self.picker.popup(self._client.reports, self._reports, where)

    @Slot(str, bool)
    def _on_panel_pin_requested(self, report_id: str, pinned: bool) -> None:
        self.pin_report(report_id if pinned else None)

    @Slot(int, int, QPoint)
    def _on_panel_cell_menu_requested(self, row: int, column: int, where: QPoint) -> None:
        cell = self.model.cell(row, column)
        menu = QMenu(self)
        if cell.section is not None:
            menu.addAction(f"Open §{cell.section} in Reader",
                           lambda: self.open_in_reader.emit(cell.report, cell.section))
        if cell.origin != "reference":
            menu.addMenu(self.section_menu(row, column))
        pinned = cell.report == self._reference
        menu.addAction("Unpin Reference" if pinned else "Pin as Reference",
                       lambda: self.pin_report(None if pinned else cell.report))
        menu.exec(where)

    @Slot(int, int)
    def _on_panel_cell_activated(self, row: int, column: int) -> None:
        cell = self.model.cell(row, column)
        if cell.section is not None:
            self.open_in_reader.emit(cell.report, cell.section)

    @Slot(QModelIndex, QPoint)
    def _on_delegate_head_clicked(self, index: QModelIndex, where: QPoint) -> None:
        if self.model.cell(index.row(), index.column()).origin != "reference":
            self.section_menu(index.row(), index.column()).exec(where)

    @Slot()
    def _on_export_html_triggered(self) -> None:
        self.export_with_dialog(("html",))

    @Slot()
    def _on_export_pdf_triggered(self) -> None:
        self.export_with_dialog(("pdf",))

    # -- style ----------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._apply_style()

    def cell_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(1.0, font.pointSizeF() + self._zoom))
        return font

    def _apply_style(self) -> None:
        self.delegate.set_style(compare_css(self.palette()), self.cell_font())
        self.panel.fit_columns()
        self.summary_label.setStyleSheet(f"color: {muted_text(self.palette()).name()}")
        self._update_chrome()
