"""What the frozen app must contain and what it leaves out: plain data, read by
packaging/explorer.spec (at build time), explorer/build.py (checks on the result) and
tests/test_packaging.py (which needs no PyInstaller).

Measured reasons for the Qt choices are in shared/notes/packaging.md (§3, §5, §7).
"""

APP_ID = "io.github.report_explorer.ReportExplorer"    # desktop file, AppStream, macOS bundle id
DISPLAY_NAME = "Report Explorer"
EXE_NAME = "explorer"                  # the command, as installed by pip: dist/<BUNDLE_NAME>/explorer
BUNDLE_NAME = "report-explorer"        # one-folder: dist/report-explorer/; one-file: dist/explorer
WM_CLASS = "report-explorer"           # QApplication.applicationName() (explorer/ui/app.py)

# Packages found by name through `importlib.resources.files("explorer.…")`, as mapped in
# pyproject.toml: (package, folder in the repo, glob patterns of its data). In the bundle
# the files go to the package's folder (explorer/seeds/…) and its __init__ into the archive,
# so they are found exactly as from source. PyInstaller's import analysis cannot see this
# mapping (it lives in the editable install's finder), so the spec adds the modules itself.
PACKAGE_DATA = (
    ("explorer.seeds", "seeds", ("*.txt", "*.md")),
    ("explorer.resources", "resources", ("**/*",)),
)
# Not copied: Python files (the package modules go into the archive) and the .ico/.icns,
# which are built into the executable / the macOS bundle instead.
PACKAGE_DATA_SKIP_SUFFIXES = (".py", ".pyc", ".ico", ".icns")

# Imported by name at run time, invisible to PyInstaller's import analysis.
HIDDEN_IMPORTS = (
    # render_html() asks Markdown for extensions by short name (explorer/core/rendering.py).
    "markdown.extensions.tables",
    "markdown.extensions.fenced_code",
    "markdown.extensions.sane_lists",
    # explorer/cli.py imports it inside main().
    "explorer.selftest",
)
# Every submodule, minus the prefixes listed. Whoosh unpickles an index's table of
# contents (fields, formats, analysers, codec and segment classes) by module name, so any
# of its modules may be needed to open an index written by another version of the app.
COLLECT_SUBMODULES = {
    "whoosh": ("whoosh.langchain", "whoosh.llamaindex", "whoosh.mcp", "whoosh.cli",
               "whoosh.support.bench"),    # integrations with frameworks the app doesn't use
    "ftfy": (),                            # ftfy.bad_codecs registers codecs when imported
}
# Data files of packages: qtawesome's 12 fonts and charmaps (all loaded on the first icon:
# never trim them). ftfy and wcwidth keep their tables in Python modules today; collected
# anyway so a data file added by a later release is not silently left out.
COLLECT_DATA = ("qtawesome", "ftfy", "wcwidth")
# Only these files of packages nobody imports: wordllama's model and tokenizer, which
# explorer/core/meaning.py reads itself (its Cython helpers, sources and the package's own
# imports, pydantic and requests, are not needed).
COLLECT_FILES = {"wordllama": ("weights/l2_supercat_256.safetensors",
                               "tokenizers/l2_supercat_tokenizer_config.json")}
# dist-info kept: Markdown finds "tables", "fenced_code", … through its entry points.
COPY_METADATA = ("markdown",)

EXCLUDES = (
    "tkinter", "_tkinter", "unittest", "pydoc", "doctest", "pdb",
    "PySide6.QtNetwork",                            # only a Windows-only branch of PySide6/__init__
    "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets",  # qtpy imports them inside try/except
    "PySide6.QtPrintSupport",   # the comparison's PDF export uses QPdfWriter (QtGui)
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets",
    "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtXml", "PySide6.QtHelp",
    "PySide6.QtDesigner", "PySide6.QtUiTools", "PySide6.QtConcurrent",
    "PySide6.QtSvg", "PySide6.QtSvgWidgets",       # the Python bindings; the SVG plugins stay
    "explorer.build", "PyInstaller",                # the build command itself
    # numpy: the parts matching by meaning never uses (it needs the array core and linalg).
    "numpy.f2py", "numpy.testing", "numpy.distutils", "numpy.random", "numpy.fft",
    "numpy.polynomial", "numpy.ma", "numpy.typing", "numpy._pyinstaller",
    # The app never touches the network: no TLS (libssl and libcrypto, 5.7 MB). hashlib
    # falls back to Python's own md5 and sha (shared/notes/packaging.md, row F).
    "ssl", "_ssl", "_hashlib",
)

# Qt plugins kept (paths under PySide6/Qt/plugins/); every other plugin and Qt's
# translations are dropped, then the shared libraries only they needed.
QT_KEEP_PLUGINS = (
    "platforms/libqxcb.so", "platforms/libqwayland.so", "platforms/libqoffscreen.so",
    "platformthemes/libqxdgdesktopportal.so",
    "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "platforminputcontexts/libibusplatforminputcontextplugin.so",
    # The window icon is an SVG (explorer/ui/icons.py app_icon).
    "iconengines/libqsvgicon.so", "imageformats/libqsvg.so",
    # Images embedded in reports as data: URIs (PNG is built into QtGui).
    "imageformats/libqjpeg.so", "imageformats/libqgif.so",
)
QT_KEEP_PLUGIN_PREFIXES = (
    "xcbglintegrations/",
    "wayland-shell-integration/libxdg-shell.so",
    "wayland-decoration-client/",
    "wayland-graphics-integration-client/libqt-plugin-wayland-egl.so",
    "wayland-graphics-integration-client/libshm-emulation-server.so",
    "wayland-graphics-integration-client/libdmabuf-server.so",
)

# Files a Linux one-folder build must contain (paths under dist/<BUNDLE_NAME>/_internal/);
# `python -m explorer.build` fails when one is missing. A missing xcb library on the build
# host only gives a PyInstaller warning, and the bundle then aborts on machines without it.
LINUX_MUST_CONTAIN = (
    "explorer/seeds/000_69796a1aaad12780.txt",
    "explorer/resources/report-explorer.svg",
    "explorer/resources/search-help.html",
    "explorer/resources/desktop/" + APP_ID + ".desktop",
    "qtawesome/fonts/materialdesignicons6-webfont-6.9.96.ttf",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/lib/libQt6XcbQpa.so.6",
    "PySide6/Qt/lib/libQt6Svg.so.6",
    "libxcb-cursor.so.0",
    "wordllama/weights/l2_supercat_256.safetensors",
    "wordllama/tokenizers/l2_supercat_tokenizer_config.json",
)
