"""Markdown to safe HTML, for the reader, the comparison view and `explorer show --html`.

Reports come from anywhere, so the HTML is sanitised with nh3 (a maintained sanitiser):
no scripts, no event handlers, no frames, no styles that could fetch URLs, and no remote
images (an image becomes its alt text). Links stay links; the window opens them only
when the user clicks.
"""
from __future__ import annotations

import html
import re

import markdown
import nh3

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
# Tags removed with their content: nothing of a script or style is meant to be read.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}
MAX_NESTING = 60


def render_html(text: str) -> str:
    """Sanitised HTML body for a markdown text."""
    text = _flatten_deep_nesting(text)
    body = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return sanitize(body)


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=LINK_SCHEMES,
        link_rel=None,
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Only images embedded in the document itself may load; anything with a scheme or a
    # path would be fetched from the network or the disk.
    if tag == "img" and attribute == "src" and not value.startswith("data:image/"):
        return None
    return value


def _flatten_deep_nesting(text: str) -> str:
    """Python-Markdown recurses per level of `>` quoting and list indentation; a hostile
    file with thousands of levels would exhaust the stack. Cap the depth instead."""
    def cap_quotes(match: re.Match) -> str:
        return ">" * MAX_NESTING + " " if match.group(0).count(">") > MAX_NESTING else match.group(0)

    text = re.sub(r"^(?:[ \t]*>){%d,}[ \t]*" % (MAX_NESTING + 1), cap_quotes, text, flags=re.M)
    limit = " " * (4 * MAX_NESTING)
    return re.sub(r"^[ \t]{%d,}" % (4 * MAX_NESTING + 1), limit, text, flags=re.M)


def escape(text: str) -> str:
    return html.escape(text, quote=False)
