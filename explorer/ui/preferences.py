"""Edit → Preferences…: the settings the window shares with the command line (stored by
`explorer.core.preferences`, so `explorer index` honours them too)."""
from __future__ import annotations

from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QLabel, QMessageBox, QSpinBox, QVBoxLayout, QWidget)

from ..core import preferences
from ..core.preferences import Preferences
from .plain import plain_html
from .settings import Settings
from .theme import THEMES, apply_theme


class PreferencesDialog(QDialog):
    def __init__(self, current: Preferences, theme: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self._current = current
        self.theme = QComboBox()
        self.theme.setObjectName("theme")
        for key, name in THEMES.items():
            self.theme.addItem(name, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(theme)))
        self.max_size = QSpinBox()
        self.max_size.setObjectName("max-report-mb")
        self.max_size.setRange(preferences.MIN_MAX_REPORT_MB, preferences.MAX_MAX_REPORT_MB)
        self.max_size.setSuffix(" MB")
        self.max_size.setValue(current.max_report_mb)
        explanation = QLabel(
            "Larger files are not read: they are listed under View → Problems with their "
            "size. A higher limit lets very large files in, but they make indexing slower "
            "and use more memory.")
        explanation.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Skip reports larger than", self.max_size)
        form.addRow("Colours", self.theme)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explanation)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def preferences(self) -> Preferences:
        """The preferences as chosen in the dialog."""
        return self._current.with_max_report_mb(self.max_size.value())


def edit_preferences(parent: QWidget | None = None) -> bool:
    """Show the dialog; save what the user chose. True if a preference changed (the
    library needs an update for it to take effect)."""
    current = preferences.load()
    settings = Settings()
    dialog = PreferencesDialog(current, settings.value("appearance/theme"), parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        chosen = dialog.preferences()
        theme = dialog.theme.currentData()
    finally:
        dialog.deleteLater()
    # The window's own setting (the command line has no colours): applied at once.
    if theme != settings.value("appearance/theme"):
        settings.set_value("appearance/theme", theme)
        apply_theme(QApplication.instance(), theme)
    if chosen == current:
        return False
    try:
        preferences.save(chosen)
    except OSError as exc:
        QMessageBox.warning(parent, "Cannot Save Preferences", plain_html(
            f"The preferences could not be saved in {preferences.preferences_file().parent} "
            f"({exc.strerror or exc}), so they are unchanged. Check that the folder exists "
            f"and can be written, then try again."))
        return False
    return True
