"""The packaging files, checked without building: the desktop file, the AppStream metadata,
the icon set, and what packaging/explorer.spec must put in the frozen app
(packaging/contents.py). Building takes ~20 s and is `python -m explorer.build`."""
from __future__ import annotations

import ast
import configparser
import importlib.util
import json
import os
import re
import runpy
import shutil
import stat
import string
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import explorer
from explorer.core import rendering

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DESKTOP = ROOT / "resources" / "desktop"
C = runpy.run_path(str(PACKAGING / "contents.py"))
APP_ID = C["APP_ID"]
ICONS = runpy.run_path(str(PACKAGING / "make_icons.py"), run_name="make_icons")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# -- desktop file ---------------------------------------------------------------------------
def _desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str                      # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def test_desktop_file_launches_the_app_by_its_id():
    entry = _desktop_entry(DESKTOP / f"{APP_ID}.desktop")
    assert entry["Type"] == "Application"
    assert entry["Name"] == C["DISPLAY_NAME"]
    assert entry["Exec"] == "explorer"            # the pip-installed command
    assert entry["TryExec"] == "explorer"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert entry["Categories"].split(";")[:2] == ["Office", "Viewer"]
    assert entry["Comment"] and entry["Keywords"].endswith(";")


def test_startup_wm_class_is_the_applications_name():
    # X11 WM_CLASS' class is QApplication.applicationName(): taskbars group the window
    # under the desktop file by it (measured with xprop on the frozen app).
    from explorer.ui import app
    entry = _desktop_entry(DESKTOP / f"{APP_ID}.desktop")
    assert entry["StartupWMClass"] == C["WM_CLASS"] == app.APP_ID


def test_the_window_names_its_desktop_file():
    # Wayland compositors and docks find the window's icon through the desktop file's name.
    from explorer.ui import app
    assert app.DESKTOP_FILE_NAME == APP_ID
    assert (DESKTOP / f"{app.DESKTOP_FILE_NAME}.desktop").is_file()


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils not installed")
def test_desktop_file_validates():
    result = subprocess.run(["desktop-file-validate", str(DESKTOP / f"{APP_ID}.desktop")],
                            capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


# -- AppStream ------------------------------------------------------------------------------
def test_appstream_metadata_describes_this_app():
    root = ET.parse(DESKTOP / f"{APP_ID}.metainfo.xml").getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == C["DISPLAY_NAME"]
    summary = root.findtext("summary")
    assert summary and len(summary) <= 80 and not summary.endswith(".")
    assert root.findtext("metadata_license") == "CC0-1.0"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert root.findtext("project_license") == pyproject["project"]["license"]["text"]
    assert root.find("description/p") is not None and root.findall("description/ul/li")
    launchable = root.find("launchable")
    assert launchable.get("type") == "desktop-id" and launchable.text == f"{APP_ID}.desktop"
    assert (DESKTOP / launchable.text).is_file()
    assert root.findtext("provides/binary") == C["EXE_NAME"]
    assert [c.text for c in root.findall("categories/category")] == ["Office", "Viewer"]
    releases = root.findall("releases/release")
    assert releases and re.fullmatch(r"\d{4}-\d\d-\d\d", releases[0].get("date"))
    # A release entry per version: bump it together with explorer.__version__.
    assert releases[0].get("version") == explorer.__version__


# -- icons ----------------------------------------------------------------------------------
def test_png_icon_set_covers_every_size_in_the_theme_layout():
    assert ICONS["PNG_SIZES"] == (16, 24, 32, 48, 64, 128, 256, 512)
    for size in ICONS["PNG_SIZES"]:
        path = DESKTOP / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert _png_size(path.read_bytes()) == (size, size), path


def test_ico_holds_a_png_per_windows_size():
    data = (DESKTOP / f"{APP_ID}.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, len(ICONS["ICO_SIZES"]))
    sizes = []
    for i in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i)
        assert (planes, bits) == (1, 32)
        png = _png_size(data[offset:offset + length])
        assert png == (width or 256, height or 256)
        sizes.append(png[0])
    assert tuple(sizes) == ICONS["ICO_SIZES"]


def test_icns_holds_the_png_entries_macos_reads():
    data = (DESKTOP / f"{APP_ID}.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    entries, pos = {}, 8
    while pos < len(data):
        kind, length = data[pos:pos + 4], struct.unpack(">I", data[pos + 4:pos + 8])[0]
        entries[kind] = _png_size(data[pos + 8:pos + length])[0]
        pos += length
    assert pos == len(data)
    assert entries == {kind: size for kind, size in ICONS["ICNS_TYPES"]}
    assert {b"ic07", b"ic08", b"ic09", b"ic10"} <= entries.keys()


def test_icons_are_rendered_from_the_svg_the_window_uses():
    from explorer.ui import assets
    assert ICONS["SVG"] == ROOT / "resources" / "report-explorer.svg"
    assert assets.path("report-explorer.svg").resolve() == ICONS["SVG"].resolve()


# -- the spec and what it bundles ------------------------------------------------------------
def test_spec_parses_and_takes_its_lists_from_contents():
    tree = ast.parse((PACKAGING / "explorer.spec").read_text("utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"} <= names
    text = (PACKAGING / "explorer.spec").read_text("utf-8")
    for key in ("PACKAGE_DATA", "HIDDEN_IMPORTS", "COLLECT_SUBMODULES", "COLLECT_DATA",
                "COPY_METADATA", "EXCLUDES", "QT_KEEP_PLUGINS", "QT_KEEP_PLUGIN_PREFIXES",
                "APP_ID", "EXE_NAME", "BUNDLE_NAME"):
        assert f'C["{key}"]' in text, key
    assert '"EXPLORER_ONEFILE"' in text and "strip=LINUX" in text
    assert '"NSHighResolutionCapable": True' in text and "bundle_identifier=" in text


def test_package_data_matches_pyproject_and_has_files():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    for package, folder, patterns in C["PACKAGE_DATA"]:
        assert setuptools["package-dir"][package] == folder
        assert (ROOT / folder / "__init__.py").is_file()
        files = [p for pattern in patterns for p in (ROOT / folder).glob(pattern)
                 if p.is_file() and not p.name.endswith(C["PACKAGE_DATA_SKIP_SUFFIXES"])
                 and "__pycache__" not in p.parts]
        assert files, package
    # Everything the self-test and the bundle checks look for is package data.
    for rel in C["LINUX_MUST_CONTAIN"]:
        if rel.startswith("explorer/"):
            package_rel = rel.split("/", 2)
            folder = dict((p, f) for p, f, _ in C["PACKAGE_DATA"])[".".join(package_rel[:2])]
            assert (ROOT / folder / package_rel[2]).is_file(), rel


def test_every_markdown_extension_the_app_uses_is_a_hidden_import():
    for name in rendering.MARKDOWN_EXTENSIONS:
        module = name if "." in name else f"markdown.extensions.{name}"
        assert module in C["HIDDEN_IMPORTS"], module
    assert "markdown" in C["COPY_METADATA"]       # short names resolve through entry points


def test_hidden_imports_and_collected_packages_exist():
    for module in (*C["HIDDEN_IMPORTS"], *C["COLLECT_SUBMODULES"], *C["COLLECT_DATA"],
                   *C["COPY_METADATA"]):
        assert importlib.util.find_spec(module) is not None, module
    assert "whoosh" in C["COLLECT_SUBMODULES"] and "qtawesome" in C["COLLECT_DATA"]


def _imported_modules() -> set[str]:
    found = set()
    for path in (ROOT / "explorer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_nothing_the_app_imports_is_excluded():
    imported = _imported_modules() - {"PyInstaller"}    # explorer/build.py, never bundled
    excluded = [name for name in C["EXCLUDES"]
                if any(m == name or m.startswith(name + ".") for m in imported)]
    assert excluded == [], "the app imports excluded modules: remove them from EXCLUDES"
    assert "explorer.build" in C["EXCLUDES"]


def test_qt_plugins_for_the_svg_icon_and_the_platforms_are_kept():
    keep = set(C["QT_KEEP_PLUGINS"])
    assert {"platforms/libqxcb.so", "platforms/libqoffscreen.so", "platforms/libqwayland.so",
            "iconengines/libqsvgicon.so", "imageformats/libqsvg.so",
            "platformthemes/libqxdgdesktopportal.so",
            "platforminputcontexts/libcomposeplatforminputcontextplugin.so"} <= keep
    assert "xcbglintegrations/" in C["QT_KEEP_PLUGIN_PREFIXES"]


def test_launcher_calls_freeze_support_before_the_app():
    source = (PACKAGING / "launch.py").read_text("utf-8")
    assert source.index("multiprocessing.freeze_support()") < source.index("from explorer.cli")


def test_windows_version_template_fills_from_the_version():
    template = string.Template((PACKAGING / "windows" / "version_info.txt").read_text("utf-8"))
    text = template.substitute(version=explorer.__version__, version_tuple="(0, 1, 0, 0)")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert ast.parse(body, mode="eval")           # PyInstaller eval()s it
    assert f"'ProductVersion', '{explorer.__version__}'" in text


# -- Linux desktop integration ---------------------------------------------------------------
@pytest.mark.skipif(os.name == "nt", reason="bash script for Linux desktops")
def test_install_desktop_points_the_menu_entry_at_the_bundle(tmp_path):
    bundle = tmp_path / "Apps dir" / C["BUNDLE_NAME"]       # a space: Exec must quote it
    (bundle / "_internal" / "explorer").mkdir(parents=True)
    shutil.copytree(ROOT / "resources", bundle / "_internal" / "explorer" / "resources")
    exe = bundle / C["EXE_NAME"]
    exe.write_text("#!/bin/sh\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    data = tmp_path / "share"
    env = dict(os.environ, XDG_DATA_HOME=str(data))
    script = PACKAGING / "linux" / "install-desktop.sh"
    result = subprocess.run(["bash", str(script), str(bundle)], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    installed = data / "applications" / f"{APP_ID}.desktop"
    entry = _desktop_entry(installed)
    assert entry["Exec"] == f'"{exe}"' and entry["TryExec"] == str(exe)
    assert entry["Icon"] == APP_ID
    for size in ICONS["PNG_SIZES"]:
        assert (data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (data / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()

    result = subprocess.run(["bash", str(script), "--uninstall"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not installed.exists()
    assert not list((data / "icons").rglob(f"{APP_ID}.*"))


def test_build_command_is_never_bundled_and_needs_no_pyinstaller_to_import():
    assert "PyInstaller" in C["EXCLUDES"]
    result = subprocess.run([sys.executable, "-c", "import explorer.build, sys; "
                             "sys.exit('PyInstaller' in sys.modules)"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# -- cold start -----------------------------------------------------------------------------
def test_coldstart_times_the_floor_and_both_starts_of_the_app():
    # Timings are reported, not tested: this checks that every run reached its first paint
    # and quit (a run that does not quit fails the script).
    result = subprocess.run([sys.executable, str(PACKAGING / "coldstart.py"), "--runs", "1",
                             "--no-frozen", "--json"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rows = {(row["command"], row["start"]): row for row in report["results"]}
    assert set(rows) == {("floor", "first"), ("source", "first"), ("source", "second")}
    assert all(len(row["runs_s"]) == 1 and row["median_s"] > 0 for row in rows.values())
    assert rows[("floor", "first")]["ratio_to_floor"] == 1.0
