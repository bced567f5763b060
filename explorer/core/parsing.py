"""Markdown report text -> title and top-level sections, as a careful human reader would see them.

Generated reports take many shapes (see the corpus manifest): `# Title` over `## N. Section`,
a title one level above its sections at any depth, setext headings, bold lines standing in for
headings, every section an H1, an app's wrapper heading over the model's own title, reports
wrapped in a ```markdown fence, leaked agent chatter and prompts, git conflict markers. The
title and the section level are decided from evidence in the whole report (see "deciding title
and sections"), not per shape; tests/parser_agreement.py measures how often that agrees with a
careful reader on reports the rules were not chosen on.

Everything is a single pass over lines with regular expressions that cannot backtrack badly,
so a 5 MB line or 10,000 headings parse in well under a second and nothing recurses.
"""
from __future__ import annotations

import html
import logging
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass

from explorer.core.model import Section

__all__ = ["inline_to_text", "markdown_to_text", "parse_report", "title_from_filename"]

log = logging.getLogger(__name__)

BOLD_LEVEL = 7             # level given to a bold line standing in for a heading
INTRODUCTION = "Introduction"
UNTITLED = "Report"


@dataclass(frozen=True, slots=True)
class _Heading:
    start: int             # index of the heading's first line
    end: int               # index of the line after it (setext headings span two lines)
    level: int             # 1-6, or BOLD_LEVEL
    title: str             # plain heading text: no markup, no trailing colon


def _heading(start: int, end: int, level: int, markdown: str) -> _Heading | None:
    """A heading, or None when it has no words (`##` alone, `**` over `---`)."""
    title = inline_to_text(markdown).rstrip(":").strip()
    return _Heading(start, end, level, title) if title else None


# --- line classification --------------------------------------------------------------------

_ATX = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)$")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_CONFLICT_MARKER = re.compile(r"(?:<{7}|>{7}|\|{7})(?:[ \t].*)?$|={7}[ \t]*$")
_FRONT_MATTER_LINE = re.compile(r"[A-Za-z_][\w-]*[ \t]*:|[ \t]|-[ \t]|#|$")
_WRAPPER_INFO = re.compile(r"(?:markdown|md)?", re.IGNORECASE)
_LINK_ONLY = re.compile(r"!?\[[^\[\]\n]{0,1000}\]\([^()\n]{0,2000}\)")

# A heading line whose text is one of these is a leaked prompt ("# System:"), not the report.
_PROMPT_ROLES = frozenset({"system", "user", "assistant", "human", "prompt"})
# A closing heading one level too deep is still top-level to a reader ("### Conclusion" after
# ten "## N." sections), as is one a level too high after them; these are the names it goes by.
_CLOSING = re.compile(
    r"(?:conclusions?|summary|final thoughts|closing (?:remarks|thoughts)|concluding remarks"
    r"|references|sources|bibliography|further reading|appendix)",
    re.IGNORECASE)
# (An emoji or number may lead: "📑 Table of Contents".)
# A last heading by this name with no text after it (a truncated report may well end on an
# empty heading that is a section, so the name is needed too).
_END = re.compile(r"[\W_]*(?:the )?end(?: of (?:the )?(?:report|document))?[\W_]*", re.IGNORECASE)
_CONTENTS = re.compile(r"[\W\d_]*(?:table of contents|contents|toc)", re.IGNORECASE)
# Names of sections, never of a whole report: a bodiless "## Executive Summary" opening the
# report is its first section, not its title.
_SECTION_NAME = re.compile(
    r"[\W\d_]*(?:executive summary|summary|introduction|overview|background|abstract"
    r"|key findings|conclusions?)", re.IGNORECASE)
# How agents open an answer before the report itself. A short paragraph ending in ":" before
# the first heading ("After reviewing the sources, this is what I found:") is a lead-in too.
_CHATTER = re.compile(
    r"[*_ \t]*(?:thought:|final answer\b|i now (?:can give|know)\b"
    r"|(?:certainly|sure|of course|absolutely|okay|alright|great|as requested)\b"
    r"|here(?:'s|’s| is| are)\b|below (?:is|are)\b"
    r"|i(?:'ve|’ve| have) (?:compiled|gathered|completed|prepared|created|written"
    r"|put together)\b)",
    re.IGNORECASE)
# "**Generated:** 2025-11-06", "Date: May 2024": a short label, a colon and a value; and the
# bold-label form, which over `---` is a line above a rule, not a setext heading.
_METADATA = re.compile(r"[ \t]*[*_]{0,2}[^\W\d_][^:*\n]{0,40}[*_]{0,2}:[*_]{0,2}[ \t]*\S")
_BOLD_LABEL = re.compile(r"\*\*[^*\n]{1,40}(?::\*\*|\*\*:)[ \t]*\S")
_WORD = re.compile(r"\w")
_NON_WORDS = re.compile(r"[\W_]+")

# Non-blank lines allowed around a fence that wraps the whole report, and in one paragraph of
# chatter before the report.
_MAX_CHATTER_LINES = 3
# Chatter is a sentence or two ("Certainly! Here's a comprehensive report on X, based on the
# latest data:" is about 15 words); a longer paragraph is the report's own introduction.
_MAX_CHATTER_WORDS = 50
# A `Key: value` line longer than this is a sentence ("Note: ..."), not metadata.
_MAX_METADATA_LENGTH = 120
_MAX_SETEXT_LENGTH = 300   # a longer "line over ---" is a paragraph over a rule, not a heading


def _is_rule(line: str) -> bool:
    """A thematic break: three or more `-`, `*` or `_`, spaces allowed between."""
    compact = line.replace(" ", "").replace("\t", "")
    return len(compact) >= 3 and compact[0] in "-*_" and compact == compact[0] * len(compact)


def _is_underline(stripped: str) -> bool:
    """A setext underline: only `=` or only `-`, no inner spaces."""
    return len(stripped) >= 3 and stripped[0] in "=-" and stripped == stripped[0] * len(stripped)


def _atx_text(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line, without the optional closing `#`s."""
    match = _ATX.match(line)
    if not match:
        return None
    text = line[match.end():].strip()
    unclosed = text.rstrip("#")
    if not unclosed or unclosed[-1] in " \t":
        text = unclosed.strip()
    return len(match.group(1)), text


def _bold_alone(line: str) -> str | None:
    """The text of a line that is one bold span and nothing else (`**1. Title:**`)."""
    if len(line) - len(line.lstrip(" ")) > 3:
        return None        # indented code
    text = line.strip()
    if text.endswith(":"):
        text = text[:-1].rstrip()
    if len(text) > 4 and text.startswith("**") and text.endswith("**") and "**" not in text[2:-2]:
        return text[2:-2]
    return None


def _fence_opener(line: str) -> str | None:
    """The fence (```` ``` ```` or `~~~`, any length) that this line opens a code block with."""
    match = _FENCE.match(line)
    if not match or (match.group(1)[0] == "`" and "`" in match.group(2)):
        return None        # a backtick fence's info string holds no backtick: that is code
    return match.group(1)


def _fence_closes(line: str, opener: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(opener) and stripped == stripped[0] * len(stripped)


def _blocks(lines: list[str]) -> Iterator[tuple[bool, list[str]]]:
    """Runs of (inside a fenced code block?, lines), without the fence lines themselves."""
    run: list[str] = []
    fence: str | None = None
    for line in lines:
        closes = fence is not None and _fence_closes(line, fence)
        opens = None if fence else _fence_opener(line)
        if closes or opens:
            if run:
                yield fence is not None, run
            run, fence = [], opens
        else:
            run.append(line)
    if run:
        yield fence is not None, run


# --- cleaning up the text before scanning ---------------------------------------------------

def _prepare(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = _unwrap_fence(lines)
    lines = _drop_front_matter(lines)
    return _blank_conflict_markers(lines)


def _unwrap_fence(lines: list[str]) -> list[str]:
    """The inside of a ``` / ```markdown fence that wraps the whole report.

    Agents often answer "I now can give a great answer" and then the report in a fence; only
    a few non-blank lines may surround the fence, or it is an ordinary code block. An app's
    wrapper heading with `Key: value` lines may stand above a ```markdown fence: it is kept.
    """
    content = [i for i, line in enumerate(lines) if line.strip()]
    header = False         # a heading before the fence
    for i in content[:_MAX_CHATTER_LINES + 1]:
        opener = _fence_opener(lines[i])
        if opener:
            break
        header = header or bool(_atx_text(lines[i]))
    else:
        return lines
    info = lines[i].strip()[len(opener):].strip()
    if not _WRAPPER_INFO.fullmatch(info):
        return lines           # a code block in some programming language
    if header and not (info and _atx_text(lines[content[0]]) and
                       all(_is_metadata(lines[j]) or not _WORD.search(lines[j])
                           for j in content[1:] if j < i)):
        return lines           # a heading and text before the fence: the fence is part of it
    closers = [j for j in content[-(_MAX_CHATTER_LINES + 1):]
               if j > i and _fence_closes(lines[j], opener)]
    inner = lines[i + 1:closers[0] if closers else len(lines)]
    first = next((line for line in inner if line.strip()), "")
    if not info and not (_atx_text(first) or _bold_alone(first)):
        return lines           # a bare fence holds a report only if it opens like one
    return lines[:i] + inner if header else inner


def _drop_front_matter(lines: list[str]) -> list[str]:
    """Remove a YAML front-matter block (`---` / key: value / `---`) at the very top."""
    if not lines or lines[0].strip() != "---":
        return lines
    for j in range(1, min(len(lines), 100)):
        if lines[j].strip() in ("---", "..."):
            return lines[j + 1:] if j > 1 else lines
        if not _FRONT_MATTER_LINE.match(lines[j]):
            return lines
    return lines


def _blank_conflict_markers(lines: list[str]) -> list[str]:
    """Blank the marker lines of an unresolved git merge, keeping both versions' text.

    Only when both `<<<<<<<` and `>>>>>>>` occur: a lone `=======` is a setext underline.
    """
    if not any(line.startswith("<<<<<<<") for line in lines) or \
            not any(line.startswith(">>>>>>>") for line in lines):
        return lines
    return ["" if _CONFLICT_MARKER.match(line) else line for line in lines]


# --- finding headings -----------------------------------------------------------------------

def _scan(lines: list[str]) -> tuple[list[_Heading], list[_Heading]]:
    """Markdown headings and bold lines standing alone, outside code blocks, in order."""
    headings: list[_Heading] = []
    bold: list[_Heading] = []
    fence: str | None = None
    paragraph = 0          # lines of the paragraph being read (a setext heading has one)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if fence:
            fence = None if _fence_closes(line, fence) else fence
            continue
        if not stripped:
            paragraph = 0
            continue
        lead = stripped[0]     # dispatch on it: most lines start with a letter
        if lead in "`~" and (opener := _fence_opener(line)):
            fence, paragraph = opener, 0
            continue
        if lead == "#" and (atx := _atx_text(line)):
            if heading := _heading(i, i + 1, *atx):
                headings.append(heading)
            paragraph = 0
            continue
        if paragraph == 1 and _is_underline(stripped) and _can_be_setext(lines[i - 1]) and \
                (heading := _heading(i - 1, i + 1, 1 if lead == "=" else 2, lines[i - 1])):
            if bold and bold[-1].start == i - 1:
                bold.pop()
            headings.append(heading)
            paragraph = 0
            continue
        if lead in "-*_" and _is_rule(line):
            paragraph = 0
            continue
        if paragraph == 0 and lead == "*" and (text := _bold_alone(line)) and \
                (heading := _heading(i, i + 1, BOLD_LEVEL, text)):
            bold.append(heading)
        paragraph += 1
    return headings, bold


def _can_be_setext(line: str) -> bool:
    """Whether a line over `---`/`===` is a heading: not a list item, table row or quote, nor
    a bold `**Key:** value` line (a rule drawn under a wrapper's `**Generated:**` line)."""
    stripped = line.strip()
    return (len(stripped) <= _MAX_SETEXT_LENGTH and not _LIST_ITEM.match(line)
            and stripped[0] not in "|>" and not _BOLD_LABEL.match(stripped))


def _is_prompt_leak(lines: list[str], heading: _Heading) -> bool:
    """A role heading ("# System:") opening the text: an agent's prompt leaked into it."""
    return heading.title.lower() in _PROMPT_ROLES and _next_content(lines, 0) == heading.start


def _next_content(lines: list[str], start: int) -> int | None:
    """Index of the first line from `start` that is neither blank nor a rule."""
    return next((i for i in range(start, len(lines))
                 if lines[i].strip() and not _is_rule(lines[i])), None)


# --- deciding title and sections -------------------------------------------------------------
#
# The title and the section level are read from the evidence of the whole report, the way a
# reader skims it: which heading stands alone above the others, which headings have a body of
# their own, which level is numbered 1..N, which H1 holds the deeper headings.

@dataclass(frozen=True, slots=True)
class _Outline:
    title: _Heading | None
    start: int             # first line of the report proper (after a leaked prompt or chatter)
    sections: list[_Heading]

    def body(self, lines: list[str], end: int) -> list[str]:
        """The report's lines up to `end`, without the title heading."""
        if self.title is None:
            return lines[self.start:end]
        return lines[self.start:self.title.start] + lines[self.title.end:end]


def _outline(lines: list[str]) -> _Outline:
    headings, bold = _scan(lines)
    start = 0
    if headings and _is_prompt_leak(lines, headings[0]):
        # "# System:\nYou are ..." up to the next heading is the prompt, not the report.
        leak = headings.pop(0)
        following = [h.start for h in headings + bold if h.start > leak.start]
        start = min(following, default=leak.end)
    if headings or bold:   # without any, the lead-in is part of the one section's text
        start = _skip_chatter(lines, start)
    headings = [h for h in headings if h.start >= start]
    bold = [h for h in bold if h.start >= start]
    view, headings, bold = _without_contents(lines, headings, bold)

    title, candidates = _title(view, start, headings, bold)
    if candidates:
        sections = _top_level(candidates)
    else:
        after = title.end if title else start
        sections = _bold_sections([h for h in bold if h.start >= after])
    if len(sections) > 1 and _END.fullmatch(sections[-1].title) and \
            not any(_WORD.search(line) for line in lines[sections[-1].end:]):
        sections.pop()     # "End of Report" with nothing after it marks the end, it is no section
    return _Outline(title, start, sections)


def _bold_sections(bold: list[_Heading]) -> list[_Heading]:
    """Bold lines standing in for section headings.

    When the numbered ones run 1..N, unnumbered bold lines between them are labels inside those
    sections ("**Key points:**"); those before the first and after the last stay sections
    ("**Executive Summary**", "**Conclusion**").
    """
    if not _is_numbered_from_one(bold):
        return bold
    numbered = [i for i, h in enumerate(bold) if _split_number(h.title)[0] is not None]
    return [h for i, h in enumerate(bold)
            if not numbered[0] < i < numbered[-1] or _split_number(h.title)[0] is not None]


def _skip_chatter(lines: list[str], start: int) -> int:
    """The first line after an agent's lead-in ("I now can give a great answer", "Certainly!
    Here's the report:"): the reader skips it, it is neither title nor introduction."""
    while (first := _next_content(lines, start)) is not None:
        end = first
        while end < len(lines) and lines[end].strip() and end - first <= _MAX_CHATTER_LINES:
            end += 1
        paragraph = lines[first:end]
        if end - first > _MAX_CHATTER_LINES or \
                len(" ".join(paragraph).split()) > _MAX_CHATTER_WORDS:
            break              # a long paragraph is the report's own text, whatever its opening
        if any(_atx_text(line) or _bold_alone(line) or _is_underline(line.strip())
               for line in paragraph):
            break              # a heading
        if not (_CHATTER.match(paragraph[0]) or paragraph[-1].rstrip().endswith(":")):
            break
        start = end
    return start


def _without_contents(lines: list[str], headings: list[_Heading], bold: list[_Heading]
                      ) -> tuple[list[str], list[_Heading], list[_Heading]]:
    """Drop table-of-contents headings; return the lines with their lists blanked as well.

    The blanked copy is what the title and level decisions read: a contents list under a title
    is not the title's body. Sections keep the real lines.
    """
    every = sorted(headings + bold, key=lambda h: h.start)
    names = {_normal(h.title) for h in every} | {_normal(_split_number(h.title)[1]) for h in every}
    contents: set[int] = set()
    view = lines
    for heading, end in zip(every, [h.start for h in every[1:]] + [len(lines)]):
        if _CONTENTS.fullmatch(heading.title) or _lists_headings(lines[heading.end:end], names):
            contents.add(heading.start)
            if view is lines:
                view = list(lines)
            view[heading.start:end] = [""] * (end - heading.start)
    if not contents:
        return lines, headings, bold
    return (view, [h for h in headings if h.start not in contents],
            [h for h in bold if h.start not in contents])


def _lists_headings(lines: list[str], names: set[str]) -> bool:
    """Whether lines are a list of at least two items, each naming a heading of the report or
    linking to an anchor in it: a table of contents whatever its heading says."""
    items = [line for line in lines if line.strip() and not _is_rule(line)]
    if len(items) < 2:
        return False
    for item in items:
        if not _LIST_ITEM.match(item):
            return False
        text = inline_to_text(_LEAD.sub("", item))
        if "](#" not in item and _normal(text) not in names and \
                _normal(_split_number(text)[1]) not in names:
            return False
    return True


def _normal(text: str) -> str:
    return " ".join(_NON_WORDS.sub(" ", text).lower().split())


def _title(lines: list[str], start: int, headings: list[_Heading], bold: list[_Heading]
           ) -> tuple[_Heading | None, list[_Heading]]:
    """The heading that titles the report (or None) and the headings that may be sections."""
    wrapped = _title_under_wrapper(lines, start, headings, bold)
    return wrapped if wrapped else _title_inside(lines, start, headings, bold)


def _title_under_wrapper(lines: list[str], start: int, headings: list[_Heading],
                         bold: list[_Heading]) -> tuple[_Heading, list[_Heading]] | None:
    """An app's wrapper ("# Research Report: <query>" over "**Generated:** <date>" lines) above
    the model's report: the title is the model's own, when it has one that stands above its
    sections; otherwise the wrapper's heading stays the title (decided by the caller).
    """
    if not headings or headings[0].level != 1 or \
            headings[0].start != _next_content(lines, start):
        return None
    wrapper, following = headings[0], headings[1:]
    bold = [h for h in bold if h.start > wrapper.start]
    report = min([h.start for h in following[:1] + bold[:1]], default=None)
    if report is None:
        return None
    body = lines[wrapper.end:report]
    if not any(_is_metadata(line) for line in body) or not _no_body(body):
        return None
    title, candidates = _title_inside(lines, report, following, bold)
    if title is None or (candidates and title.level != 1 and
                         title.level >= min(h.level for h in candidates)):
        return None
    return title, candidates


def _title_inside(lines: list[str], start: int, headings: list[_Heading],
                  bold: list[_Heading]) -> tuple[_Heading | None, list[_Heading]]:
    h1s = [h for h in headings if h.level == 1]
    if len(h1s) == 1:
        # One H1 titles the report, even with text before it (a disclaimer, an introduction).
        return h1s[0], [h for h in headings if h.start > h1s[0].start]
    if len(h1s) > 1 and (found := _title_among_h1s(lines, headings, h1s)):
        return found
    return _opening_title(lines, start, headings, bold)


def _title_among_h1s(lines: list[str], headings: list[_Heading], h1s: list[_Heading]
                     ) -> tuple[_Heading, list[_Heading]] | None:
    """The title when a report has several H1s and they are not simply its sections.

    - "# Title" over "# 1." .. "# N." (at least two numbered from 1): numbered H1 sections with
      their title above, which may have an introduction of its own.
    - One H1 holds all the deeper headings, and it is the first or the others have no text of
      their own (a title repeated, two versions of it from a merge): the first H1 is the title
      and the deeper headings are the sections. Likewise when several H1s hold subheadings but
      the first one's are numbered 1..N.
    Otherwise (H1s each holding text or subheadings of their own) the H1s are sections: None.
    """
    first = h1s[0]
    if _is_numbered_from_one(h1s[1:]) and _split_number(first.title)[0] is None and \
            not _SECTION_NAME.fullmatch(first.title):
        return first, [h for h in headings if h.start > first.start]
    holds: dict[int, bool] = {}
    prose: dict[int, bool] = {}
    owner: _Heading | None = None
    for heading, end in zip(headings, [h.start for h in headings[1:]] + [len(lines)]):
        if heading.level == 1:
            owner = heading
            holds[heading.start] = False
            prose[heading.start] = _has_prose(lines[heading.end:end])
        elif owner is not None:
            holds[owner.start] = True
    holders = sum(holds.values())
    if holders == 1 and (holds[first.start] or
                         not any(prose[h.start] for h in h1s if not holds[h.start])):
        return first, [h for h in headings if h.start > first.start and h.level > 1]
    if holders > 1 and holds[first.start]:
        # Several H1s with subheadings: sections, unless the first H1's own subheadings are
        # numbered 1..N (then they are the sections and the later H1s are appendices).
        if _is_numbered_from_one([h for h in headings if first.start < h.start < h1s[1].start]):
            return first, [h for h in headings if h.start > first.start and h.level > 1]
    return None


def _opening_title(lines: list[str], start: int, headings: list[_Heading],
                   bold: list[_Heading]) -> tuple[_Heading | None, list[_Heading]]:
    """The heading or bold line opening the report, when it is a title rather than a section.

    It is one when it stands alone above at least two headings (everything after it is
    deeper, closing headings aside: "## Title" over "### N." sections), when it has no body of
    its own (the next line with words is the next heading, `Key: value` lines aside), or when
    it is an unnumbered bold line over bold lines numbered from 1. A section's usual name
    ("Executive Summary", "Introduction") is never a title. A first heading followed by text
    is the first section, whatever its level.
    """
    first = _next_content(lines, start)
    opening = next((h for h in headings + bold if h.start == first), None)
    if opening is None or _SECTION_NAME.fullmatch(opening.title):
        return None, headings
    later = [h for h in headings if h.start > opening.start]
    later_bold = [h for h in bold if h.start > opening.start]
    kinds = later or later_bold
    deeper = [h for h in later if h.level > opening.level]
    alone = opening.level != BOLD_LEVEL \
        and all(h.level > opening.level or _CLOSING.fullmatch(h.title) for h in later) \
        and (len(deeper) >= 2 or (not later and len(later_bold) >= 2))
    bodiless = bool(kinds) and _no_body(lines[opening.end:kinds[0].start])
    numbered = opening.level == BOLD_LEVEL and not later and \
        _split_number(opening.title)[0] is None and _is_numbered_from_one(later_bold)
    if alone or bodiless or numbered:
        return opening, later
    return None, headings


def _top_level(headings: list[_Heading]) -> list[_Heading]:
    """The headings at the report's main level.

    The main level is the highest one, unless it holds a single heading other than closing
    ones ("Conclusion") and that heading holds at least two deeper ones: a "Key Findings" or
    "Main Topics" heading over the real sections, or closing headings set one level too high
    after them. A lone closing heading set one level too deep after the last section is
    top-level too.
    """
    level = min(h.level for h in headings)
    top = [h for h in headings if h.level == level]
    main = [h for h in top if not _CLOSING.fullmatch(h.title)]
    closing = [h for h in top if _CLOSING.fullmatch(h.title)]
    if not main:
        before = [h for h in headings if h.start < top[0].start]
        if len(before) >= 2:
            return _top_level(before) + top
    elif len(main) == 1 and main[0] is headings[0]:
        inside = [h for h in headings[1:] if not closing or h.start < closing[0].start]
        if len(inside) >= 2:
            return _top_level(inside) + closing
    deeper = [h for h in headings if h.start > top[-1].start and h.level > level]
    if len(deeper) == 1:
        last = deeper[0]
        alone = sum(1 for h in headings if h.level == last.level) == 1
        if alone and _CLOSING.fullmatch(last.title):
            top.append(last)
    return top


def _is_numbered_from_one(headings: list[_Heading]) -> bool:
    """Whether the numbered ones among headings (two at least) run 1, 2, 3, ... in order."""
    numbers = [n for n in (_split_number(h.title)[0] for h in headings) if n is not None]
    return len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1))


def _is_metadata(line: str) -> bool:
    """A `Key: value` line (`**Generated:** 2025-11-06`, `Date: May 2024`), not a list item."""
    return len(line.strip()) <= _MAX_METADATA_LENGTH and not _LIST_ITEM.match(line) and \
        bool(_METADATA.match(line))


def _no_body(lines: list[str]) -> bool:
    """Whether lines hold nothing but `Key: value` lines, rules and markup without words."""
    return all(_is_metadata(line) or not _WORD.search(line) for line in lines if line.strip())


# --- numbers and titles ----------------------------------------------------------------------

# `1.`, `1)`, `Section 1:`, `Part II -`, roman `II.`. Bare numbers need `.` or `)`, so a year
# ("## 2024: Review") is not a number; roman numerals stop at X-ish sizes, so a lettered
# outline's "C. Results" is not section 100.
_NUMBERED = re.compile(
    r"(?:(?:section|part|chapter)[ \t]+(?P<word>\d{1,4}|[IVX]{1,6})[ \t]*[:.)\-–—]?"
    r"|(?P<arabic>\d{1,4})[ \t]*[.)](?!\d)"
    r"|(?P<roman>[IVX]{1,6})[.)])[ \t]*(?P<rest>\S.*)",
    re.IGNORECASE | re.DOTALL)
_ROMAN = {"I": 1, "V": 5, "X": 10}
_VALID_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")


def _split_number(title: str) -> tuple[int | None, str]:
    """A heading's number and the title without it: "2. Foo" -> (2, "Foo")."""
    match = _NUMBERED.match(title)
    if not match:
        return None, title
    token = match.group("word") or match.group("arabic") or match.group("roman")
    if match.group("roman") and not match.group("roman").isupper():
        return None, title          # "i." or "v." starts a sentence, it is not a numeral
    number = int(token) if token.isdigit() else _roman_value(token.upper())
    if number is None:
        return None, title
    return number, match.group("rest").strip()


def _roman_value(numeral: str) -> int | None:
    if not _VALID_ROMAN.fullmatch(numeral):
        return None
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if v < nxt else v for v, nxt in zip(values, values[1:] + [0]))


def _numbers(found: list[int | None]) -> list[int] | None:
    """Heading numbers, unnumbered headings counting on from the previous one; None when
    that is not strictly increasing (a number repeats or goes back: they cannot be trusted).
    """
    numbers: list[int] = []
    previous = 0
    for number in found:
        number = previous + 1 if number is None else number
        if number <= previous:
            return None
        numbers.append(number)
        previous = number
    return numbers


_REPORT_SUFFIX = re.compile(r"\.(?:md|markdown|txt)$", re.IGNORECASE)
_NAME_SEPARATORS = re.compile(r"[\s_-]+")


def title_from_filename(name: str) -> str:
    """A readable title from a file name: `my_report-2024.md` -> `My report 2024`."""
    words = _NAME_SEPARATORS.sub(" ", _REPORT_SUFFIX.sub("", name)).strip()
    return words[:1].upper() + words[1:] if words else UNTITLED


# --- plain text --------------------------------------------------------------------------------

# Inline patterns exclude their own opening character from what they skip over, bound their
# repeats and never give back what they matched (possessive `*+`), so a 5 MB line of `[`, `<`
# or `![a](` is scanned in linear time.
_URL = r"\((?:[^()\s]++|\([^()\s]*+\))*+(?:\s+\"[^\"\n]*+\")?\)"
_IMAGE = re.compile(r"!\[[^\[\]\n]{0,1000}+\]" + _URL)
_LINK = re.compile(r"\[([^\[\]\n]{0,1000}+)\]" + _URL)
_REF_LINK = re.compile(r"\[([^\[\]\n]{1,1000}+)\]\[[^\[\]\n]{0,1000}+\]")
_FOOTNOTE = re.compile(r"\[\^[^\[\]\s]{1,100}+\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]{1,2000}+)>")
# Tags inside a run of text vanish ("<i>images</i>."); any other tag separates words ("a<br>b").
_INLINE_TAG = re.compile(
    r"<!--[^<>]{0,2000}?-->|</?(?:a|abbr|b|cite|code|em|i|kbd|mark|q|s|small|span|strong|sub"
    r"|sup|u)(?=[\s/>])(?:\s[^<>\n]{0,2000}+)?/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}+(?:\s[^<>\n]{0,2000}+)?/?>")
# Replacement by a match's first group: a C-level callable, several times faster than the
# template r"\1" on Python 3.11 when a 5 MB line holds hundreds of thousands of links.
_FIRST_GROUP = operator.itemgetter(1)
# Underscores mark emphasis only at a word's edge: snake_case and __init__'s inner _ stay.
_TRAILING_UNDERSCORES = re.compile(r"_+(?!\w)")
# (`_(?<!\w_)` is `(?<!\w)_` with the literal first, which lets the regex engine skip ahead.)
_LEADING_UNDERSCORES = re.compile(r"_(?<!\w_)_*")
_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
# Block markup at the start of a line: quote markers, a list marker (and task box), `#`s.
_LEAD = re.compile(
    r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)?(?:#{1,6}(?=[ \t]|$))?",
    re.MULTILINE)
# Lines of only rule, underline and table-delimiter characters carry no words.
_MARKUP_ONLY_LINE = re.compile(r"^[-*_=|: \t]+$", re.MULTILINE)
# Only `;`-terminated entities: html.unescape alone also decodes `&amp` without one, which
# makes 5 MB of `&amp` a million replacements.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Runs of whitespace other than one plain space (which need no replacing: far faster).
_SPACES = re.compile(r" [^\S\n]+|[^\S \n][^\S\n]*")


def inline_to_text(text: str) -> str:
    """Markdown as plain words: links -> their text, no images, tags or markers.

    Works on any number of lines; line breaks are kept.
    """
    if "[" in text:
        text = _LINK.sub(_FIRST_GROUP, _IMAGE.sub("", text) if "![" in text else text)
        text = _FOOTNOTE.sub("", _REF_LINK.sub(_FIRST_GROUP, text))
    if "<" in text:
        text = _AUTOLINK.sub(_FIRST_GROUP, text)
        text = _TAG.sub(" ", _INLINE_TAG.sub("", text))
    text = text.replace("*", "").replace("~~", "").replace("`", "").replace("|", " ")
    if "_" in text:
        text = _LEADING_UNDERSCORES.sub("", _TRAILING_UNDERSCORES.sub("", text))
    if "\\" in text:
        text = _ESCAPE.sub("", text)
    if "&" in text:
        text = _ENTITY.sub(lambda match: html.unescape(match.group()), text)
    return _SPACES.sub(" ", text).strip()


# A table row: its cells stay apart in the text ("Alice · 30 · Engineer"); with the pipes
# simply dropped, a snippet of a table ran every cell into one phrase.
_TABLE_ROW = re.compile(r"^[ \t]*\|[^\n]*", re.MULTILINE)
CELL_SEPARATOR = " · "


def _cells(row: re.Match) -> str:
    return CELL_SEPARATOR.join(c.strip() for c in row.group().strip().strip("|").split("|")
                               if c.strip())


def markdown_to_text(markdown: str) -> str:
    """Plain text of markdown, one output line per non-empty source line.

    Markup goes (emphasis, headings, list and quote markers, rules, table pipes and
    delimiter rows, tags); words stay, the contents of code blocks included.
    """
    parts = []
    for code, lines in _blocks(markdown.split("\n")):
        block = "\n".join(lines)
        if not code:
            block = _TABLE_ROW.sub(_cells, _MARKUP_ONLY_LINE.sub("", block))
            block = inline_to_text(_LEAD.sub("", block))
        parts.append(_SPACES.sub(" ", block))
    lines = (line.strip() for part in parts for line in part.split("\n"))
    return "\n".join(line for line in lines if line)


# --- the prose test for introductions --------------------------------------------------------

def _has_prose(lines: list[str]) -> bool:
    """Whether lines hold a real paragraph, not just rules, lists, links or `Key: value` lines.

    Decides if text before the first section makes an introduction section.
    """
    prose = (line for code, block in _blocks(lines) if not code for line in block
             if line.strip() and not _atx_text(line) and not _LIST_ITEM.match(line)
             and not line.lstrip().startswith("|") and not _LINK_ONLY.fullmatch(line.strip()))
    for line in prose:
        words = inline_to_text(line).split()
        if len(words) >= 10 or (len(words) >= 5 and words[-1][-1] in ".!?"):
            return True
    return False


# --- putting it together --------------------------------------------------------------------

def parse_report(text: str, report_id: str, path: str,
                 fallback_title: str) -> tuple[str, tuple[Section, ...]]:
    """The title and top-level sections of a report's text. Never fails.

    `report_id` and `path` name the report in log messages; `fallback_title` (usually
    `title_from_filename`) is used when the report has no title of its own.
    """
    lines = _prepare(text)
    outline = _outline(lines)
    title = (outline.title.title if outline.title else "") or fallback_title or UNTITLED
    if not outline.sections:
        body = outline.body(lines, len(lines))
        return title, (_section(1, title, body, heading_end=0),)
    sections: list[Section] = []
    first = outline.sections[0].start
    intro = outline.body(lines, first)
    if _has_prose(intro):
        sections.append(_section(0, INTRODUCTION, intro, heading_end=0))
    found = [_split_number(h.title) for h in outline.sections]
    numbers = _numbers([number for number, _ in found])
    if numbers is None:
        log.debug("%s (%s): heading numbers repeat or go back; numbering by position",
                  report_id, path)
        numbers = list(range(1, len(found) + 1))
    ends = [h.start for h in outline.sections[1:]] + [len(lines)]
    for heading, (_, name), number, end in zip(outline.sections, found, numbers, ends):
        sections.append(_section(number, name, lines[heading.start:end],
                                 heading_end=heading.end - heading.start))
    return title, tuple(sections)


def _section(number: int, title: str, lines: list[str], heading_end: int) -> Section:
    """A Section from its lines; the first `heading_end` lines are its heading."""
    markdown = "\n".join(lines).strip("\n")
    return Section(number, title, markdown, markdown_to_text("\n".join(lines[heading_end:])))
