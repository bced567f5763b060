"""The part of painting a list row that every custom delegate shares."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem


def draw_item_frame(delegate: QStyledItemDelegate, painter, option, index
                    ) -> tuple[QStyleOptionViewItem, bool]:
    """Draw a row's background, focus and selection the platform's way, without its text
    (the delegate draws that itself); return the prepared option and whether it is selected."""
    opt = QStyleOptionViewItem(option)
    delegate.initStyleOption(opt, index)
    opt.text = ""
    style = opt.widget.style() if opt.widget else QApplication.style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
    return opt, bool(opt.state & QStyle.StateFlag.State_Selected)
