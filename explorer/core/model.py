"""Plain data passed between the core, the command line and the window.

Everything here is immutable so results can cross threads (the GUI's workers emit
them by signal) without copies or locks.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Section:
    """One top-level part of a report, as a reader would name it."""

    number: int        # from the heading ("## 3. X" -> 3) or its position; 0 = introduction
    title: str         # heading text without numbering or markup
    markdown: str      # the section's source, heading line included
    text: str          # plain text of the body (no markup), what search and alignment see


@dataclass(frozen=True, slots=True)
class Report:
    """A parsed report file of a library."""

    id: str            # path relative to the library, POSIX separators, without suffix
    title: str
    path: str          # absolute path of the file
    sections: tuple[Section, ...]
    size: int = 0      # bytes on disk when read: with mtime, what incremental indexing compares
    mtime: float = 0.0
    digest: str = ""   # content hash, to tell a touched file from an edited one

    def section(self, number: int) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file of the library that could not be read, and why (shown to the user)."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class LibraryScan:
    """What reading a library folder gave."""

    root: str
    reports: tuple[Report, ...]
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What one incremental index update did (the `explorer index` answer)."""

    reports: int
    sections: int
    added: int
    updated: int
    removed: int
    skipped: tuple[Skipped, ...]
    seconds: float


@dataclass(frozen=True, slots=True)
class Hit:
    report: str
    report_title: str
    section: int
    section_title: str
    score: float
    snippet: str       # HTML-escaped text with the matched words in <mark>...</mark>


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    total: int
    hits: tuple[Hit, ...]
    suggestion: str | None = None   # "did you mean" (a whole corrected query)
    notice: str | None = None       # what was not understood, said plainly
    terms: tuple[str, ...] = field(default=())  # the words to highlight in a reader
    complete: bool = True     # False when a search-as-you-type query was cut short
    exact_total: bool = True  # False when `total` is an estimate (search as you type)


@dataclass(frozen=True, slots=True)
class Heading:
    """A section's number and title, without its text (what lists and outlines show)."""

    number: int
    title: str


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """What the index remembers of a report file, enough to list it without reading it."""

    id: str
    title: str
    path: str          # absolute path of the file
    headings: tuple[Heading, ...]
    size: int
    mtime: float
    digest: str

    @classmethod
    def of(cls, report: Report) -> "ReportInfo":
        return cls(report.id, report.title, report.path,
                   tuple(Heading(s.number, s.title) for s in report.sections),
                   report.size, report.mtime, report.digest)
