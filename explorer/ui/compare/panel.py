"""The columns of a comparison side by side, scrolled in step or apart.

Columns are list views over one table model, drawn by one delegate at one text width, so
rows are equally tall in every column and the columns' scroll ranges are equal: scrolling
in step is copying one scroll bar's value to the others, and turning sync off is not
copying it. Sideways, the columns scroll together when they do not fit the width: they
share it equally down to a readable minimum (column.min_column_width), then scroll.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHBoxLayout, QScrollArea, QScrollBar, QWidget

from ...core.model import ReportInfo
from .column import ColumnStrip, ColumnView, CompareColumn, min_column_width
from .delegate import ACCENT, PADDING, CellDelegate
from .model import CompareModel


class ColumnPanel(QWidget):
    # a column's header asks: (report id) to remove it, (report id, position) to move it
    # there, (report id, pinned) to pin it as the reference or unpin it
    remove_requested = Signal(str)
    move_requested = Signal(str, int)
    pin_requested = Signal(str, bool)
    # the user right-clicked a cell: (row, column, global position)
    cell_menu_requested = Signal(int, int, QPoint)
    # the user double-clicked a cell: (row, column)
    cell_activated = Signal(int, int)
    # Ctrl+wheel over the cells: zoom by this many steps
    zoom_requested = Signal(int)

    def __init__(self, model: CompareModel, delegate: CellDelegate, parent: QWidget | None = None):
        super().__init__(parent)
        self._model = model
        self._delegate = delegate
        self._columns: dict[str, CompareColumn] = {}
        self._sync = True
        self._pending_top: int | None = None      # to show on top once laid out
        self._width_timer = QTimer(self, singleShot=True, interval=0)
        self.strip = ColumnStrip()
        self.scroll_area = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.strip)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # In step, this bar scrolls every column; it stays in sight when the columns are
        # wider than the window and scroll sideways (a column's own bar would not).
        self.scroll_bar = QScrollBar(Qt.Orientation.Vertical)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.scroll_bar)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.strip.column_dropped.connect(self.move_requested)
        self.scroll_bar.valueChanged.connect(self._on_scroll_bar_value_changed)
        self._model.modelReset.connect(self._delegate.forget_heights)
        self._model.dataChanged.connect(self._delegate.forget_heights)
        self._width_timer.timeout.connect(self._on_width_timer_timeout)
        self.scroll_area.horizontalScrollBar().valueChanged.connect(self._on_sideways_scrolled)

    # -- columns --------------------------------------------------------------------------
    @property
    def columns(self) -> list[CompareColumn]:
        return list(self._columns.values())

    def views(self) -> list[ColumnView]:
        return [c.view for c in self._columns.values()]

    def set_reports(self, reports: tuple[ReportInfo, ...], reference: str | None) -> None:
        """One column per report, in order, reusing those already there."""
        old, self._columns = self._columns, {}
        for position, report in enumerate(reports):
            column = old.pop(report.id, None)
            if column is None or column.report != report:
                if column is not None:
                    old[report.id] = column
                column = self._make_column(report)
            column.view.setModelColumn(position)
            self._columns[report.id] = column
        for column in old.values():
            column.deleteLater()
        self.strip.set_columns(self.columns)
        for position, column in enumerate(self.columns):
            column.header.set_state(column.report.id == reference, position > 0,
                                    position < len(reports) - 1, len(reports) > 1)
        self._apply_scroll_bars()
        self._on_sideways_scrolled(self.scroll_area.horizontalScrollBar().value())
        self._width_timer.start()

    def fit_columns(self) -> None:
        """The cells' font changed (zoom): columns get the minimum width of the new font."""
        for column in self._columns.values():
            column.setMinimumWidth(min_column_width(self._delegate.font))

    def _make_column(self, report: ReportInfo) -> CompareColumn:
        column = CompareColumn(report, self._model, self._delegate)
        header, view = column.header, column.view
        header.remove_requested.connect(self.remove_requested)
        header.move_requested.connect(self._on_header_move_requested)
        header.pin_requested.connect(self.pin_requested)
        bar = view.verticalScrollBar()
        bar.valueChanged.connect(self._on_column_scrolled)
        bar.rangeChanged.connect(lambda _low, _high, bar=bar: self._on_column_range_changed(bar))
        view.selectionModel().currentRowChanged.connect(
            lambda current, _previous, v=view: self._on_column_current_row_changed(v, current))
        view.customContextMenuRequested.connect(
            lambda pos, v=view: self._on_column_context_menu_requested(v, pos))
        view.doubleClicked.connect(
            lambda index: self.cell_activated.emit(index.row(), index.column()))
        view.zoom_requested.connect(self.zoom_requested)
        view.viewport().installEventFilter(self)
        return column

    # -- rows -----------------------------------------------------------------------------
    def _lead_view(self) -> ColumnView | None:
        """The column with the keyboard focus, else the first."""
        views = self.views()
        return next((v for v in views if v.hasFocus()), views[0] if views else None)

    def current_row(self) -> int | None:
        view = self._lead_view()
        if view is None or not self._model.rowCount():
            return None
        current = view.currentIndex()
        return current.row() if current.isValid() else self.top_row()

    def top_row(self) -> int | None:
        """The row at the top of the leading column."""
        view = self._lead_view()
        index = view.indexAt(QPoint(1, 1)) if view is not None else QModelIndex()
        return index.row() if index.isValid() else None

    def go_to_row(self, row: int) -> None:
        """Make the row current in every column and show it on top (once laid out, if the
        columns are new: before, every row is a stub)."""
        if not 0 <= row < self._model.rowCount():
            return
        if self._width_timer.isActive():
            self._pending_top = row
        lead = self._lead_view()
        for view in self.views():
            index = self._model.index(row, view.modelColumn())
            if view is lead:
                view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            else:
                view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._scroll_to(row)

    def jump_rows(self, delta: int) -> None:
        row = self.current_row()
        if row is not None:
            self.go_to_row(max(0, min(row + delta, self._model.rowCount() - 1)))

    def focus_column(self, delta: int) -> None:
        views = self.views()
        lead = self._lead_view()
        if lead is None:
            return
        view = views[max(0, min(views.index(lead) + delta, len(views) - 1))]
        row = self.current_row()
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scroll_area.ensureWidgetVisible(view.parentWidget())
        if row is not None:
            view.selectionModel().setCurrentIndex(self._model.index(row, view.modelColumn()),
                                                  QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def relayout(self, top: int | None = None) -> None:
        """Lay every column out now (not when each gets to it), then show `top` on top
        (by default the row on top now)."""
        top = self.top_row() if top is None else top
        for view in self.views():
            view.doItemsLayout()
        if top is not None:
            self._scroll_to(top)

    def _scroll_to(self, row: int) -> None:
        for view in self.views():
            view.scrollTo(self._model.index(row, view.modelColumn()),
                          QAbstractItemView.ScrollHint.PositionAtTop)

    # -- scrolling in step ----------------------------------------------------------------
    @property
    def sync(self) -> bool:
        return self._sync

    def set_sync(self, on: bool) -> None:
        self._sync = on
        self._apply_scroll_bars()
        lead = self._lead_view()
        if on and lead is not None:
            self.scroll_bar.setValue(lead.verticalScrollBar().value())
            self._on_scroll_bar_value_changed(self.scroll_bar.value())

    def _apply_scroll_bars(self) -> None:
        """In step, the panel's bar serves all columns; apart, each column has its own."""
        policy = (Qt.ScrollBarPolicy.ScrollBarAlwaysOff if self._sync
                  else Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        for view in self.views():
            view.setVerticalScrollBarPolicy(policy)
        self.scroll_bar.setVisible(self._sync and bool(self._columns))

    @Slot(int)
    def _on_column_scrolled(self, value: int) -> None:
        if self._sync:
            self.scroll_bar.setValue(value)     # which moves the other columns

    @Slot(int)
    def _on_scroll_bar_value_changed(self, value: int) -> None:
        if self._sync:
            for view in self.views():
                view.verticalScrollBar().setValue(value)   # no signal when already there

    def _on_column_range_changed(self, bar: QScrollBar) -> None:
        # Rows are equally tall in every column, so every column has this range.
        self.scroll_bar.setRange(bar.minimum(), bar.maximum())
        self.scroll_bar.setPageStep(bar.pageStep())
        self.scroll_bar.setSingleStep(bar.singleStep())

    @Slot(int)
    def _on_sideways_scrolled(self, value: int) -> None:
        """The rows' subjects are written in the leftmost column mostly in sight."""
        columns = self.columns
        first = next((c for c in columns if c.geometry().right() - value >= c.width() // 2),
                     columns[0] if columns else None)
        if first is not None:
            self._delegate.set_label_column(first.view.modelColumn())
            for view in self.views():
                view.viewport().update()

    # -- user actions ---------------------------------------------------------------------
    @Slot(str, int)
    def _on_header_move_requested(self, report_id: str, delta: int) -> None:
        position = list(self._columns).index(report_id) + delta
        self.move_requested.emit(report_id, position)

    def _on_column_current_row_changed(self, view: ColumnView, current: QModelIndex) -> None:
        # The current row is selected in every column, without scrolling the others.
        if not current.isValid():
            return
        for other in self.views():
            if other is not view:
                other.selectionModel().select(self._model.index(current.row(), other.modelColumn()),
                                              QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _on_column_context_menu_requested(self, view: ColumnView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        if index.isValid():
            self.cell_menu_requested.emit(index.row(), index.column(),
                                          view.viewport().mapToGlobal(pos))

    # -- layout -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._width_timer.start()      # once for all the columns resized together
        return False

    @Slot()
    def _on_width_timer_timeout(self) -> None:
        """Lay the cells out at the narrowest column's width."""
        views = self.views()
        pending, self._pending_top = self._pending_top, None
        if not views:
            return
        width = min(v.viewport().width() for v in views) - 2 * PADDING - ACCENT
        if width != self._delegate.text_width and width > 0:
            self._delegate.set_text_width(width)
            self.relayout(pending)
