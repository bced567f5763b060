"""The one save dialog of a comparison export, for the window's File → Export Comparison and
the comparison view's Export menu alike: it starts in the folder of the last export (the
"compare/export_dir" setting, else the home folder) and a successful export remembers its
folder, so a user who exports several comparisons picks the folder once."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from .settings import Settings

EXPORT_DIR = "compare/export_dir"
# Format -> the dialog's filter; the first format offered names the suggested file.
FILTERS = {"html": "HTML (*.html *.htm)", "pdf": "PDF (*.pdf)"}
SUFFIXES = (".html", ".htm", ".pdf")


def ask_export_path(parent: QWidget, name: str, formats: tuple[str, ...] = ("html", "pdf")
                    ) -> Path | None:
    """The file to export to, or None if the user cancelled. `name` is the suggested file
    name without its suffix; a name typed without a suffix gets the chosen filter's."""
    folder = Path(Settings().value(EXPORT_DIR) or Path.home())
    # A file name cannot hold a folder separator; a colon upsets some file systems.
    name = name.replace(":", "").replace("/", "-").strip() or "comparison"
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Export Comparison", str(folder / f"{name}.{formats[0]}"),
        ";;".join(FILTERS[f] for f in formats))
    if not path:
        return None
    if Path(path).suffix.lower() not in SUFFIXES:
        path += ".pdf" if chosen.startswith("PDF") else ".html"
    return Path(path)


def remember_export_dir(path: str | Path) -> None:
    Settings().set_value(EXPORT_DIR, str(Path(path).parent))
