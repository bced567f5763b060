"""Hostile content: a report full of scripts, event handlers, `javascript:` and `file://`
links, frames, remote images and CSS that fetches URLs is shown as inert text and markup.
Nothing executes, nothing is fetched, and the app makes no network request, ever: through
core rendering, the command line, the reader pane, the comparison view and its export.
"""
from __future__ import annotations

import html
import html.parser
import socket
import subprocess
import sys

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence, QTextDocument
from PySide6.QtGui import Qt as QtGui_Qt

from explorer.core.rendering import LINK_SCHEMES, render_html
from explorer.ui import reader as reader_module
from explorer.ui.compare import CompareView
from explorer.ui.compare.column import ColumnHeader
from explorer.ui.reader import ReportBrowser
from explorer.ui.search_results import REPORT_ROLE
from ui_helpers import *  # noqa: F401,F403 - fixtures and helpers
from ui_helpers import WAIT_MS, run_search

EVIL = "evil.example"
HOSTILE = f"""# Hostile report

## 1. Scripts and handlers
Otters gather near the river bank. <script>alert("script ran")</script>
<img src="http://{EVIL}/track.png" onerror="alert('onerror ran')" alt="tracker">
<a href="javascript:alert('js link ran')">js link</a> and [md js link](javascript:alert(2)).
<a href="JaVaScRiPt&#58;alert(6)">encoded js link</a>
<a href="data:text/html,<script>x</script>">data page</a>
<p onclick="alert(3)" onmouseover="alert(4)">handlers paragraph</p>
<svg onload="alert(5)"><circle r="4"/></svg>
<math><mi xlink:href="javascript:alert(7)">m</mi></math>

## 2. Frames, remote and local resources
Otters swim in cold water. <iframe src="http://{EVIL}/frame"></iframe>
<object data="http://{EVIL}/x.swf"></object><embed src="http://{EVIL}/y.swf">
![remote image](http://{EVIL}/remote.png) ![protocol relative](//{EVIL}/pr.png)
![local image](file:///etc/passwd) ![relative image](secret.png)
[local file link](file:///etc/passwd) <a href="file:///etc/hosts">hosts file</a>
<video src="http://{EVIL}/v.mp4" poster="http://{EVIL}/p.png"></video>
<audio src="http://{EVIL}/a.mp3"></audio> <source src="http://{EVIL}/s.mp4">
<link rel="stylesheet" href="http://{EVIL}/x.css"> <base href="http://{EVIL}/">
<meta http-equiv="refresh" content="0; url=http://{EVIL}/">
<form action="http://{EVIL}/post"><input name="q" value="x"><button>send</button></form>
<table background="http://{EVIL}/t.png"><tr><td background="http://{EVIL}/td.png">cell</td></tr></table>

## 3. Styles that fetch
Otters and styles. <style>@import url("http://{EVIL}/import.css");
body {{ background: url(http://{EVIL}/bg.png) }}</style>
<div style="background-image: url('http://{EVIL}/div.png')">styled div</div>
<span style="behavior: url(http://{EVIL}/x.htc)">behaviour span</span>
A [normal link](https://example.org/page) stays a link, and an embedded image stays:
![dot](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==)
"""
BENIGN = """# Benign report

## 1. River life
Otters gather near the river bank and swim in cold water.

## 2. Styles
Otters and styles of swimming.
"""
# What must come through as text: the words around the hostile markup.
KEPT_WORDS = ("Otters gather", "js link", "handlers paragraph", "hosts file", "styled div",
              "behaviour span", "normal link")
ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt",
                "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "mark", "ol",
                "p", "pre", "s", "span", "strong", "sub", "sup", "table", "tbody", "td",
                "tfoot", "th", "thead", "tr", "u", "ul",
                # the app's own page furniture (export page, comparison cells)
                "html", "head", "meta", "title", "style", "body"}


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_inert(page: str, own_page: bool = False) -> None:
    """Nothing in `page` can run or load anything: no active tags, no event handlers, no
    styles, no sources but embedded images, and links only to the web or mail. The app's
    own page (an export) may have its style sheet and colours, none fetching anything."""
    parser = _Tags()
    parser.feed(page)
    allowed = ALLOWED_TAGS if own_page else ALLOWED_TAGS - {"html", "head", "meta", "title",
                                                            "style", "body"}
    for tag, attrs in parser.tags:
        assert tag in allowed, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("background", "poster", "action", "data"), (tag, name)
            if name == "style":     # only the app's own colours (the export's legend)
                assert own_page and "url(" not in value.lower(), (tag, value)
            if name == "src":
                assert tag == "img" and value.startswith("data:image/"), (tag, value)
            if name == "href":
                scheme = QUrl(value).scheme().lower()
                assert scheme in LINK_SCHEMES or value.startswith("#"), (tag, value)
    lowered = page.lower()
    for trace in ("javascript:", "file:", "script ran", "onerror", EVIL, "@import"):
        assert trace not in lowered, trace
    if not own_page:
        assert "url(" not in lowered


@pytest.fixture
def no_network(monkeypatch):
    """Every way Python could reach the network records the attempt and fails."""
    attempts: list[tuple] = []

    def refuse(name):
        def refused(*args, **kwargs):
            attempts.append((name, args))
            raise OSError(f"test: no network ({name})")
        return refused
    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    yield attempts
    assert attempts == []
    # Qt could fetch only through QtNetwork: the app never even loads it.
    assert "PySide6.QtNetwork" not in sys.modules


@pytest.fixture
def resources_asked(monkeypatch):
    """Every resource the reader's browser is asked for (Qt asks for each image, style
    sheet and link it would load)."""
    asked: list[str] = []
    real = ReportBrowser.loadResource

    def recording(self, kind, url):
        asked.append(url.toString())
        return real(self, kind, url)
    monkeypatch.setattr(ReportBrowser, "loadResource", recording)
    return asked


@pytest.fixture
def hostile_library(tmp_path):
    lib = tmp_path / "library"
    lib.mkdir()
    (lib / "hostile.md").write_text(HOSTILE, "utf-8")
    (lib / "benign.md").write_text(BENIGN, "utf-8")
    (lib / "secret.png").write_bytes(b"not for the reader")     # the relative image's target
    return lib


def document_links(document: QTextDocument) -> tuple[list[str], list[str]]:
    """(image names, link targets) in a laid-out document: what Qt would load or open."""
    images, links = [], []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                images.append(fmt.toImageFormat().name())
            if fmt.isAnchor() and fmt.anchorHref():
                links.append(fmt.anchorHref())
            it += 1
        block = block.next()
    return images, links


def assert_document_inert(document: QTextDocument) -> None:
    images, links = document_links(document)
    assert all(name.startswith("data:image/") for name in images), images
    assert all(QUrl(href).scheme() in LINK_SCHEMES or href.startswith("#") for href in links), links


# -- core and command line -------------------------------------------------------------------

def test_core_rendering_leaves_nothing_active(no_network):
    page = render_html(HOSTILE)
    assert_inert(page)
    for words in KEPT_WORDS:
        assert words in page
    assert '<a href="https://example.org/page">normal link</a>' in page
    assert page.count('src="data:image/png;base64,') == 1         # embedded: shown
    assert '<span class="image">[remote image]</span>' in page       # remote: its alt text
    assert "<img" not in page.replace('<img alt="dot" src="data:', "")


def test_show_html_on_the_command_line_is_inert(hostile_library, tmp_path):
    r = subprocess.run([sys.executable, "-m", "explorer", "show", "hostile", "--html",
                        "--library", str(hostile_library), "--index-dir", str(tmp_path / "ix")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stderr == ""
    assert_inert(r.stdout)
    assert "Otters gather" in r.stdout


# -- the window ---------------------------------------------------------------------------------

def test_the_reader_shows_it_inert_and_asks_for_nothing_outside(qtbot, make_window,
                                                                hostile_library, no_network,
                                                                resources_asked, monkeypatch):
    opened = []
    monkeypatch.setattr(reader_module.QDesktopServices, "openUrl", opened.append)
    win = make_window(hostile_library)
    win.open_report("hostile")
    qtbot.waitUntil(lambda: win.reader.report_id == "hostile", timeout=WAIT_MS)
    win.reader.browser.grab()                 # laid out and painted: every image asked for
    assert_inert(win.reader.loaded.html)
    assert_document_inert(win.reader.browser.document())
    assert all(url.startswith("data:") for url in resources_asked), resources_asked
    shown = win.reader.browser.toPlainText()
    for words in KEPT_WORDS:
        assert words in shown
    assert "script ran" not in shown
    # clicking a link that was hostile in the file opens nothing; a web link opens outside
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x"):
        win.reader.browser.anchorClicked.emit(QUrl(url))
    assert opened == []
    win.reader.browser.anchorClicked.emit(QUrl("https://example.org/page"))
    assert opened == [QUrl("https://example.org/page")]


def test_the_comparison_shows_it_inert_and_exports_it_inert(qtbot, make_window, hostile_library,
                                                           no_network, tmp_path):
    win = make_window(hostile_library)
    view = win.compare_reports(["hostile", "benign"])
    assert isinstance(view, CompareView)
    qtbot.waitUntil(lambda: view.model.comparison is not None, timeout=WAIT_MS)
    view.grab()                               # every visible cell laid out and painted
    model = view.model
    cells = [(r, c) for r in range(model.rowCount()) for c in range(model.columnCount())]
    hostile_column = model.comparison.reports.index(
        next(r for r in model.comparison.reports if r.id == "hostile"))
    shown = ""
    for r, c in cells:
        page = model.html(r, c)
        assert_inert(page)
        document = view.delegate.document(page)
        assert_document_inert(document)
        if c == hostile_column:
            shown += document.toPlainText()
    assert "Otters gather" in shown and "styled div" in shown and "script ran" not in shown
    exported = tmp_path / "out" / "comparison.html"
    exported.parent.mkdir()
    assert view.export_html(exported)
    assert_inert(exported.read_text("utf-8"), own_page=True)


def shown(text: str, text_format: QtGui_Qt.TextFormat = QtGui_Qt.TextFormat.AutoText) -> str:
    """What Qt shows of a label's or a tooltip's `text` (a tooltip's format is always
    AutoText): the text as it is or, where Qt reads it as HTML, the words of that HTML,
    which must name no image for Qt to load from the disk."""
    rich = (text_format == QtGui_Qt.TextFormat.RichText
            or text_format == QtGui_Qt.TextFormat.AutoText and QtGui_Qt.mightBeRichText(text))
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    images, _links = document_links(document)
    assert images == [], f"Qt would load {images} for {text!r}"
    return document.toPlainText()


@pytest.fixture
def tagged(tmp_path):
    """(library, report title, first section's title): the titles are markup naming a file
    for Qt to load, written as entities so that the parser keeps them as text."""
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the window")
    title = f'<img src="{secret}"> Tagged <b>title</b> & more'
    section = f'<b>River</b> life & <img src="{secret}">'
    lib = tmp_path / "titles"
    lib.mkdir()
    (lib / "tagged.md").write_text(
        f"# {html.escape(title, quote=False)}\n\n## 1. {html.escape(section, quote=False)}\n"
        "Otters gather near the river bank and swim in cold water.\n\n"
        "## 2. Styles\nOtters and styles of swimming.\n", "utf-8")
    (lib / "benign.md").write_text(BENIGN, "utf-8")
    return lib, title, section


def test_titles_are_shown_as_written_where_qt_would_read_markup(qtbot, make_window, tagged):
    """Titles are plain text, but Qt renders a label's or a tooltip's text as HTML when it
    looks like HTML (Qt.mightBeRichText), loading any image it names from the disk: a title
    naming /dev/zero froze the window. Every label and tooltip showing a title shows it
    exactly as written, markup included."""
    lib, title, section = tagged
    win = make_window(lib)
    report = next(r for r in win.state.reports if r.id == "tagged")
    assert (report.title, report.headings[0].title) == (title, section)   # entities decoded
    tooltip = QtGui_Qt.ItemDataRole.ToolTipRole

    # the report list
    reports = win.reports.view.model()
    tips = [shown(reports.index(row, 0).data(tooltip)) for row in range(reports.rowCount())]
    assert any(t.startswith(f"{title}\n{report.path}") for t in tips), tips

    # the reader: its window title, its outline, its messages
    win.open_report("tagged")
    qtbot.waitUntil(lambda: win.reader.report_id == "tagged", timeout=WAIT_MS)
    assert win.windowTitle() == title
    outline = win.reader.outline
    assert shown(outline.index(outline.row_of(1), 0).data(tooltip)) == section
    assert win.reader.empty_label.textFormat() == QtGui_Qt.TextFormat.PlainText

    # search results: the report's row and its hits
    run_search(qtbot, win, "otters")
    results = win.search.model
    group = next(results.index(row, 0) for row in range(results.rowCount())
                 if results.index(row, 0).data(REPORT_ROLE) == "tagged")
    assert shown(group.data(tooltip)) == title
    hits = [shown(results.index(row, 0, group).data(tooltip))
            for row in range(results.rowCount(group))]
    assert any(t.startswith(f"1. {section}\n\nOtters gather") for t in hits), hits

    # a comparison pinned to the report: its column header, cells, rows and section menu
    view = win.compare_section("tagged", 1)
    qtbot.waitUntil(lambda: view.model.comparison is not None
                    and len(view.model.comparison.reports) == 2, timeout=WAIT_MS)
    view.grab()
    assert view.message_label.textFormat() == QtGui_Qt.TextFormat.PlainText
    header = next(h for h in view.findChildren(ColumnHeader) if h.report.id == "tagged")
    assert shown(header.toolTip()).startswith(f"{title}\ntagged\n")
    label = header.title_label
    assert label.textFormat() == QtGui_Qt.TextFormat.PlainText
    assert label.text().startswith("<img")
    model = view.model
    column = model.comparison.report_ids.index("tagged")
    row = model.comparison.row_containing("tagged", 1)
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            shown(model.index(r, c).data(tooltip))
    assert shown(model.index(row, column).data(tooltip)).startswith(f"{section}\n")
    choice = next(a for a in view.section_menu(row, column).actions() if a.data() == 1)
    assert QKeySequence.mnemonic(choice.text()).isEmpty()       # "&" is no shortcut
    assert choice.text().replace("&&", "&") == f"§1  {section}"

    # the topic map: report columns and sections
    win.show_topic_map()
    topics = win.topic_map.topic_model
    qtbot.waitUntil(lambda: topics.rowCount() > 0, timeout=WAIT_MS)
    heads = [shown(topics.headerData(c, QtGui_Qt.Orientation.Horizontal, tooltip))
             for c in range(topics.columnCount())]
    assert f"{title}\ntagged" in heads
    for r in range(topics.rowCount()):
        shown(topics.headerData(r, QtGui_Qt.Orientation.Vertical, tooltip))
    cells = [shown(topics.index(r, c).data(tooltip) or "")
             for r in range(topics.rowCount()) for c in range(topics.columnCount())]
    assert any(t.startswith(f"§1 {section}\n") for t in cells), cells


def test_a_comparison_tabs_tooltip_shows_its_section_as_written(qtbot, make_window, tagged):
    lib, _title, section = tagged
    win = make_window(lib)
    view = win.compare_section("tagged", 1)
    qtbot.waitUntil(lambda: view.model.comparison is not None, timeout=WAIT_MS)
    assert shown(win.tabs.tabToolTip(win.tabs.indexOf(view))) == f"Compare: {section}"
