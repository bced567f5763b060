"""Files shipped in `explorer.resources`, found through importlib.resources so the same code
works from source, from a wheel and from the PyInstaller bundle."""
from __future__ import annotations

import importlib.resources
from pathlib import Path

PACKAGE = "explorer.resources"


def path(name: str) -> Path:
    # Wheels and PyInstaller both unpack package data to real files, which Qt needs to load
    # an SVG by file name; a zipped install is not supported.
    return Path(str(importlib.resources.files(PACKAGE).joinpath(name)))


def text(name: str) -> str:
    return importlib.resources.files(PACKAGE).joinpath(name).read_text("utf-8")
