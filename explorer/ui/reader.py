"""The reader: a report rendered from markdown, its outline beside it, the search's words
highlighted, and a find bar to step through them ("hit 3 of 12")."""
from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import (QByteArray, QEvent, QItemSelectionModel, QModelIndex, QPoint, Qt, QUrl,
                            Signal, Slot)
from PySide6.QtGui import QDesktopServices, QKeyEvent, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QLineEdit, QListView, QPushButton,
                               QSplitter, QStackedWidget, QTextBrowser, QTextEdit, QToolButton,
                               QVBoxLayout, QWidget)

from ..core.report_html import section_anchor
from ..core.wording import plural
from . import icons
from .highlights import Range, term_ranges, text_ranges
from .outline import OutlineModel
from .styles import READING_WIDTH_CHARS, mix, reader_css
from .wheel_zoom import zoom_step
from .worker import LoadedReport

MIN_MARGIN = 24
READING_FONT_BONUS = 1      # points
HEADING_AIR = 12            # pixels above a section heading scrolled to
ZOOM_MIN, ZOOM_MAX = -6, 20
EXTERNAL_SCHEMES = {"http", "https", "mailto"}


class ReportBrowser(QTextBrowser):
    """A QTextBrowser that loads nothing from outside the page and keeps lines readable."""

    # Ctrl+wheel: zoom by this many steps
    zoom_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)          # clicks arrive as anchorClicked; see ReaderPane
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Running text reads better a point above the UI font; zoom steps start from here.
        font = self.font()
        font.setPointSizeF(font.pointSizeF() + READING_FONT_BONUS)
        self.setFont(font)

    def loadResource(self, kind: int, url: QUrl):
        # Images embedded in the page (data: URLs) are decoded by Qt; anything else would
        # read a local file or the network, which a report must never make us do. An empty
        # QByteArray, not None: given nothing, QTextDocument falls back to reading the
        # file itself.
        if url.scheme() == "data":
            return super().loadResource(kind, url)
        return QByteArray()

    def fit_margins(self) -> None:
        """Side margins that keep lines near READING_WIDTH_CHARS characters long."""
        measure = self.fontMetrics().averageCharWidth() * READING_WIDTH_CHARS
        side = max(MIN_MARGIN, (self.viewport().width() - measure) // 2)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if fmt.leftMargin() == side and fmt.rightMargin() == side and fmt.topMargin() == 20:
            return
        fmt.setLeftMargin(side)
        fmt.setRightMargin(side)
        fmt.setTopMargin(20)
        fmt.setBottomMargin(48)
        root.setFrameFormat(fmt)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_margins()

    def wheelEvent(self, event) -> None:
        # QTextEdit zooms on Ctrl+wheel by itself; route it through the pane so the zoom
        # level stays known (and remembered).
        step = zoom_step(event)
        if step is None:
            super().wheelEvent(event)
        elif step:
            self.zoom_requested.emit(step)


class FindBar(QWidget):
    # the text to find was edited ('' = back to the search's words)
    text_edited = Signal(str)
    next_requested = Signal()
    previous_requested = Signal()
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Find in report")
        self.edit.setClearButtonEnabled(True)
        self.edit.setMaximumWidth(320)
        icons.add_line_edit_icon(self.edit, "find")
        self.previous_button = self._button("previous-hit", "Previous hit (Shift+F3)")
        self.next_button = self._button("next-hit", "Next hit (F3)")
        self.count_label = QLabel()
        self.count_label.setMinimumWidth(90)
        self.close_button = self._button("clear", "Close (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(4)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.count_label)
        layout.addStretch(0)
        layout.addWidget(self.close_button)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self._connect_signals()

    def _button(self, icon: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setAutoRaise(True)
        button.setToolTip(tip)
        icons.set_icon(button, icon)
        return button

    def _connect_signals(self) -> None:
        self.edit.textChanged.connect(self.text_edited)
        self.edit.installEventFilter(self)
        self.previous_button.clicked.connect(self.previous_requested)
        self.next_button.clicked.connect(self.next_requested)
        self.close_button.clicked.connect(self.close_requested)

    def text(self) -> str:
        return self.edit.text()

    def set_count(self, text: str) -> None:
        self.count_label.setText(text)

    def eventFilter(self, watched, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                (self.previous_requested if shift else self.next_requested).emit()
                return True
            if key == Qt.Key.Key_Escape:
                self.close_requested.emit()
                return True
        return super().eventFilter(watched, event)


class ShortenedBar(QFrame):
    """Says that long tables were cut (Qt would take minutes to lay them out in the GUI
    thread) and offers the whole report, for a user ready to wait."""

    show_all_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("shortened-bar")
        self.label = QLabel(textFormat=Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.button = QPushButton("Show All Rows")
        self.button.setToolTip("Lay out every table row: the window may not respond for a while")
        self.button.clicked.connect(self.show_all_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)

    def show_count(self, rows_left_out: int) -> None:
        self.label.setText(f"Long tables are shortened: {plural(rows_left_out, 'row')} not shown.")
        self.setVisible(rows_left_out > 0)


class ReaderPane(QWidget):
    # the section at the top of the view changed (by scrolling or a jump): its number
    section_changed = Signal(int)
    # the zoom changed: steps from the reading font (to remember)
    zoom_changed = Signal(int)
    # the mouse is over a link: its address ('' when it leaves)
    link_hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.browser = ReportBrowser()
        self.outline = OutlineModel(self)
        self.outline_view = QListView()
        self.outline_view.setModel(self.outline)
        self.outline_view.setFrameShape(QFrame.Shape.NoFrame)
        self.outline_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.outline_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.outline_view.setSpacing(1)
        self.outline_view.setMinimumWidth(120)
        self.outline_view.viewport().setBackgroundRole(QPalette.ColorRole.Window)   # a sidebar
        self.find_bar = FindBar()
        self.find_bar.hide()
        self.shortened_bar = ShortenedBar()
        self.shortened_bar.hide()

        reading = QWidget()
        column = QVBoxLayout(reading)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.shortened_bar)
        column.addWidget(self.browser, 1)
        column.addWidget(self.find_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("reader-splitter")
        self.splitter.addWidget(self.outline_view)
        self.splitter.addWidget(reading)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)

        # Plain: the messages quote paths and why a library could not be opened.
        self.empty_label = QLabel(textFormat=Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.setFocusProxy(self.browser)

        self.loaded: LoadedReport | None = None
        self._anchors: list[tuple[int, int]] = []   # (section number, document position)
        self._section: int | None = None
        self._terms: tuple[str, ...] = ()
        self._ranges: list[Range] = []
        self._hit = -1
        self._find_pinned = False       # opened with Ctrl+F: stays until closed
        self._tracking = True           # False while we scroll ourselves to a section
        self._syncing_outline = False
        self._zoom = 0
        self._apply_palette()
        self.set_empty_text("No report open")
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.browser.highlighted.connect(self._on_browser_highlighted)
        self.browser.zoom_requested.connect(self._on_browser_zoom_requested)
        self.browser.verticalScrollBar().valueChanged.connect(self._on_scrollbar_value_changed)
        self.outline_view.selectionModel().currentChanged.connect(self._on_outline_current_changed)
        self.find_bar.text_edited.connect(self._on_find_bar_text_edited)
        self.find_bar.next_requested.connect(self.next_hit)
        self.find_bar.previous_requested.connect(self.previous_hit)
        self.find_bar.close_requested.connect(self.close_find)

    # -- what is shown --------------------------------------------------------------------
    @property
    def report_id(self) -> str | None:
        return self.loaded.report.id if self.loaded else None

    @property
    def section(self) -> int | None:
        return self._section

    @property
    def terms(self) -> tuple[str, ...]:
        return self._terms

    def set_empty_text(self, text: str) -> None:
        self.empty_label.setText(text)

    def show_report(self, loaded: LoadedReport, section: int | None = None,
                    terms: tuple[str, ...] = ()) -> None:
        """Show a report at `section` (None: the top, or where the reader was if this is the
        same report read again after a change on disk) with `terms` highlighted."""
        if section is None and self.loaded and self.loaded.report.id == loaded.report.id:
            section = self._section
        self.loaded = loaded
        self.shortened_bar.show_count(loaded.rows_left_out)
        with self._not_tracking():
            self.browser.setHtml(loaded.html)
        self.browser.fit_margins()
        self._anchors = self._find_anchors()
        self.outline.set_sections(loaded.report.sections)
        self.stack.setCurrentWidget(self.splitter)
        self._section = None
        self.go_to(section, terms)

    def go_to(self, section: int | None, terms: tuple[str, ...] = ()) -> None:
        """Scroll the shown report to `section` (None: its top) and highlight `terms`."""
        self._terms = tuple(terms)
        self._find_matches()
        if section is not None and self._scroll_to_section(section):
            self._set_section(section)
        else:
            with self._not_tracking():
                self.browser.verticalScrollBar().setValue(0)
            self._set_section(self._anchors[0][0] if self._anchors else None)
        if self._ranges and self._terms:
            start = self._section_position(section) if section is not None else 0
            self._hit = next((i for i, (s, _e) in enumerate(self._ranges) if s >= start), -1)
            self._show_hits()
            if self._hit >= 0:
                self._reveal(self._ranges[self._hit], only_if_hidden=True)

    def mark(self, terms: tuple[str, ...]) -> None:
        """Highlight `terms` in the report shown, where the reader is (no scrolling)."""
        if self.loaded is not None and tuple(terms) != self._terms:
            self._terms = tuple(terms)
            self._find_matches()

    def clear(self, message: str) -> None:
        self.loaded = None
        self.shortened_bar.hide()
        self._anchors, self._ranges, self._terms, self._hit = [], [], (), -1
        self._section = None
        self.browser.clear()
        self.outline.set_sections(())
        self.set_empty_text(message)
        self.stack.setCurrentWidget(self.empty_label)
        self.find_bar.hide()

    # -- sections -------------------------------------------------------------------------
    def go_to_section(self, number: int) -> None:
        if self._scroll_to_section(number):
            self._set_section(number)

    def step_section(self, delta: int) -> None:
        numbers = [n for n, _pos in self._anchors]
        if not numbers:
            return
        here = numbers.index(self._section) if self._section in numbers else 0
        self.go_to_section(numbers[max(0, min(len(numbers) - 1, here + delta))])

    def _scroll_to_section(self, number: int) -> bool:
        if all(n != number for n, _pos in self._anchors):
            return False
        # Scrolled to by request: the section is the one asked for, even when it is too
        # near the end to reach the top of the view.
        with self._not_tracking():
            # scrollToAnchor also works before the page is first laid out or shown.
            self.browser.scrollToAnchor(section_anchor(number))
            bar = self.browser.verticalScrollBar()
            if bar.value() > 0:          # leave some air above the heading
                bar.setValue(bar.value() - HEADING_AIR)
        return True

    @contextmanager
    def _not_tracking(self):
        self._tracking = False
        try:
            yield
        finally:
            self._tracking = True

    def _find_anchors(self) -> list[tuple[int, int]]:
        wanted = {section_anchor(s.number): s.number for s in self.loaded.report.sections}
        found = []
        block = self.browser.document().begin()
        while block.isValid() and wanted:
            fragments = block.begin()
            while not fragments.atEnd():
                for name in fragments.fragment().charFormat().anchorNames():
                    if name in wanted:
                        found.append((wanted.pop(name), block.position()))
                fragments += 1
            block = block.next()
        return found

    def _section_position(self, number: int) -> int:
        return next((pos for n, pos in self._anchors if n == number), 0)

    def _section_at(self, value: int) -> int | None:
        """The section being read: the last one starting above a quarter of the view (at the
        very end of the page, the last one starting within the view)."""
        if not self._anchors:
            return None
        bar = self.browser.verticalScrollBar()
        height = self.browser.viewport().height()
        at_end = bar.maximum() > 0 and value >= bar.maximum()
        limit = value + (height if at_end else height // 4)
        layout = self.browser.document().documentLayout()
        document = self.browser.document()
        current = self._anchors[0][0]
        for number, position in self._anchors:
            if layout.blockBoundingRect(document.findBlock(position)).top() > limit:
                break
            current = number
        return current

    def _set_section(self, number: int | None) -> None:
        if number == self._section:
            return
        self._section = number
        row = self.outline.row_of(number) if number is not None else None
        self._syncing_outline = True
        try:
            selection = self.outline_view.selectionModel()
            if row is None:
                selection.clear()
            else:
                index = self.outline.index(row, 0)
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.outline_view.scrollTo(index)
        finally:
            self._syncing_outline = False
        if number is not None:
            self.section_changed.emit(number)

    # -- hits and find --------------------------------------------------------------------
    def hit_count(self) -> int:
        return len(self._ranges)

    def current_hit(self) -> int:
        return self._hit

    def find(self) -> None:
        """Open the find bar (Ctrl+F) on the selected text, if any."""
        self._find_pinned = True
        selected = self.browser.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_bar.edit.setText(selected)
        self.find_bar.show()
        self.find_bar.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_bar.edit.selectAll()

    @Slot()
    def close_find(self) -> None:
        self._find_pinned = False
        self._terms = ()
        self.find_bar.edit.clear()          # clears the highlights too (text_edited)
        self.find_bar.hide()
        self.browser.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def next_hit(self) -> None:
        self._step_hit(1)

    @Slot()
    def previous_hit(self) -> None:
        self._step_hit(-1)

    def _step_hit(self, delta: int) -> None:
        if not self._ranges:
            return
        if self._hit < 0:
            # Start from what is on screen, not from the top of the report.
            top = self.browser.cursorForPosition(QPoint(0, 0)).position()
            after = [i for i, (start, _end) in enumerate(self._ranges) if start >= top]
            if delta > 0:
                self._hit = after[0] if after else 0
            else:
                self._hit = (after[0] - 1 if after else len(self._ranges) - 1) % len(self._ranges)
        else:
            self._hit = (self._hit + delta) % len(self._ranges)
        self._show_hits()
        self._reveal(self._ranges[self._hit])

    def _find_matches(self) -> None:
        text = self.find_bar.text()
        document = self.browser.document()
        self._ranges = text_ranges(document, text) if text else term_ranges(document, self._terms)
        self._hit = -1
        # One state: with the box empty it steps through the search's words, and says so.
        self.find_bar.edit.setPlaceholderText(
            "The search's hits: type to find other words" if self._terms else "Find in report")
        self.find_bar.setVisible(self._find_pinned or bool(self._terms))
        self._show_hits()

    def _show_hits(self) -> None:
        palette = self.palette()
        every = QTextCharFormat()
        every.setBackground(mix(palette.color(QPalette.ColorRole.Highlight),
                                palette.color(QPalette.ColorRole.Base), 0.35))
        current = QTextCharFormat()
        current.setBackground(palette.color(QPalette.ColorRole.Highlight))
        current.setForeground(palette.color(QPalette.ColorRole.HighlightedText))
        selections = []
        for i, (start, end) in enumerate(self._ranges):
            selection = QTextEdit.ExtraSelection()
            selection.cursor = self._cursor(start, end)
            selection.format = current if i == self._hit else every
            selections.append(selection)
        self.browser.setExtraSelections(selections)
        self.find_bar.set_count(self._count_text())

    def _count_text(self) -> str:
        if not (self.find_bar.text() or self._terms):
            return ""
        if not self._ranges:
            return "no matches"
        total = len(self._ranges)
        if self._hit < 0:
            return f"{total} hit" + ("" if total == 1 else "s")
        return f"hit {self._hit + 1} of {total}"

    def _cursor(self, start: int, end: int) -> QTextCursor:
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _reveal(self, hit: Range, only_if_hidden: bool = False) -> None:
        rect = self.browser.cursorRect(self._cursor(hit[0], hit[0]))
        height = self.browser.viewport().height()
        if only_if_hidden and 0 <= rect.top() and rect.bottom() <= height:
            return
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - height // 3)

    # -- zoom -----------------------------------------------------------------------------
    @property
    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, steps: int) -> None:
        steps = max(ZOOM_MIN, min(ZOOM_MAX, steps))
        if steps == self._zoom:
            return
        self.browser.zoomIn(steps - self._zoom)
        self._zoom = steps
        self.browser.fit_margins()
        self.zoom_changed.emit(steps)

    # -- slots ----------------------------------------------------------------------------
    @Slot(QUrl)
    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() in EXTERNAL_SCHEMES:
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and not url.path():
            self.browser.scrollToAnchor(url.fragment())

    @Slot(QUrl)
    def _on_browser_highlighted(self, url: QUrl) -> None:
        self.link_hovered.emit(url.toString())

    @Slot(int)
    def _on_browser_zoom_requested(self, delta: int) -> None:
        self.set_zoom(self._zoom + delta)

    @Slot(int)
    def _on_scrollbar_value_changed(self, value: int) -> None:
        if self._tracking:
            self._set_section(self._section_at(value))

    @Slot(QModelIndex, QModelIndex)
    def _on_outline_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._syncing_outline:
            self.go_to_section(self.outline.number_at(current.row()))

    @Slot(str)
    def _on_find_bar_text_edited(self, _text: str) -> None:
        self._find_matches()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()

    def _apply_palette(self) -> None:
        self.browser.document().setDefaultStyleSheet(reader_css(self.palette()))
        if self.loaded:            # a stylesheet applies when HTML is set: set it again
            self.show_report(self.loaded, self._section, self._terms)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.find_bar.isVisible():
            self.close_find()
            return
        super().keyPressEvent(event)
