"""Markdown to safe HTML, for the reader, the comparison view and `explorer show --html`.

Reports come from anywhere, so the HTML is sanitised with nh3 (a maintained sanitiser):
no scripts, no event handlers, no frames, no styles that could fetch URLs, and no images
but those embedded in the report (any other becomes its alt text). Links stay links to
the web or mail; the window opens them only when the user clicks.
"""
from __future__ import annotations

import html
import re


MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "mark", "ol", "p", "pre",
    "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"},
    "td": {"align"}, "ol": {"start"}, "*": {"id", "class"},
}
LINK_SCHEMES = {"http", "https", "mailto"}
# Images embedded in the report itself, as data: URLs of raster formats, are decoded in
# place; any other source would be fetched from the network or read from the disk.
EMBEDDED_IMAGE = re.compile(r"data:image/(png|jpe?g|gif|webp|bmp)[;,]", re.IGNORECASE)
# A tag as the sanitiser writes it (quoted values may hold ">"), and an image's alt text.
_IMAGE_TAG = re.compile(r"""<img\b((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_ALT = re.compile(r'\balt="([^"]*)"')
# Tags removed with their content: nothing of a script or style is meant to be read.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}
# Python-Markdown's time grows with items × depth of nesting (4,000 list items took 1 s at
# depth 20, 4.7 s at depth 60) and it recurses once per level (a line of 1,000 `1. ` ran
# out of stack). No written report nests deeper than 20.
MAX_NESTING = 20
# Python-Markdown looks for the end of a link from every `[`, and for the end of a tag or
# an autolink from every `<`, so a paragraph's time grows with the square of their count:
# 8,000 `[` took 3 s, 50,000 eight minutes; 20,000 `<a ` 40 s. Above this many in one
# paragraph, they are shown as typed (no links or inline HTML there): each is swapped for
# a Unicode noncharacter (set aside for internal use) that Markdown does not look at, and
# swapped back after. Backslash escapes would not do: they grow quadratically too.
MAX_SPECIALS = 200
_DEFUSED = {"[": ("\ufdd0", "["), "<": ("\ufdd1", "&lt;")}   # char: (stand-in, in HTML)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A block quote or list marker at the start of a line (each opens a nesting level).
_MARKER = r"[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))"
_DEEP_MARKERS = re.compile(r"^(?:%s){%d,}" % (_MARKER, MAX_NESTING + 1), re.M)
_ONE_MARKER = re.compile(_MARKER)
_DEEP_INDENT = re.compile(r"^[ \t]{%d,}" % (4 * MAX_NESTING + 1), re.M)


def render_html(text: str) -> str:
    """Sanitised HTML body for a markdown text, in time about linear in its length."""
    import markdown     # here: the window imports this module before its first paint
    text = _defuse_specials(_flatten_deep_nesting(text))
    try:
        body = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    except RecursionError:
        # Nesting the caps above did not foresee: show the text as typed, not nothing.
        body = f"<pre>{escape(text)}</pre>"
    for stand_in, html_text in _DEFUSED.values():
        body = body.replace(stand_in, html_text)
    return sanitize(body)


def sanitize(fragment: str) -> str:
    import nh3
    clean = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=LINK_SCHEMES | {"data"},       # data: for embedded images only
        link_rel=None,
    )
    return _IMAGE_TAG.sub(_image_or_alt, clean)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "src":
        return value if tag == "img" and EMBEDDED_IMAGE.match(value.strip()) else None
    if attribute == "href" and value.strip().lower().startswith("data:"):
        return None             # a data: page may hold a script: images only (see above)
    return value


def _image_or_alt(match: re.Match) -> str:
    """An image whose source was dropped, as its alt text: Qt would still try to load an
    <img> without a source (and warn), a browser would show a broken image."""
    if ' src="' in match.group(1):
        return match.group(0)
    alt = _ALT.search(match.group(1))
    return f'<span class="image">[{alt.group(1)}]</span>' if alt and alt.group(1) else ""


def _flatten_deep_nesting(text: str) -> str:
    """Cap nesting at MAX_NESTING levels, whether written as quote and list markers on one
    line (`> > 1. - x`) or as indentation; the levels beyond it are dropped."""
    def cap_markers(match: re.Match) -> str:
        markers = list(_ONE_MARKER.finditer(match.group(0)))
        return match.group(0)[:markers[MAX_NESTING - 1].end()] + " "

    text = _DEEP_MARKERS.sub(cap_markers, text)
    return _DEEP_INDENT.sub(" " * (4 * MAX_NESTING), text)


def _defuse_specials(text: str) -> str:
    """Swap the `[` and `<` of each paragraph holding more than MAX_SPECIALS of one of them
    for stand-ins (see there). Fenced code is left alone: Markdown does not parse it."""
    if (all(text.count(char) <= MAX_SPECIALS for char in _DEFUSED)
            or any(stand_in in text for stand_in, _ in _DEFUSED.values())):
        return text
    out: list[str] = []
    block: list[str] = []
    fence: str | None = None        # the fence of the code block we are in

    def flush() -> None:
        chunk = "".join(block)
        for char, (stand_in, _) in _DEFUSED.items():
            if chunk.count(char) > MAX_SPECIALS:
                chunk = chunk.replace(char, stand_in)
        out.append(chunk)
        block.clear()

    for line in text.splitlines(keepends=True):
        opens = _FENCE.match(line)
        if fence is not None:
            out.append(line)
            if opens and opens.group(1)[0] == fence[0] and len(opens.group(1)) >= len(fence):
                fence = None
        elif opens:
            flush()
            fence = opens.group(1)
            out.append(line)
        elif not line.strip():
            flush()
            out.append(line)
        else:
            block.append(line)
    flush()
    return "".join(out)


def escape(text: str) -> str:
    return html.escape(text, quote=False)
