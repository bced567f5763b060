"""How often the parser agrees with a careful reader on the corpus, per half.

    .venv/bin/python tests/parser_agreement.py [--half A|B] [--verbose]

The corpus (../shared/corpus) is split in two fixed halves so rules can be chosen on half A and
measured on half B, reports the parser was never tuned on. test_parsing.py imports `agreement`
from here, so there is one copy of the rule for what "agrees" means.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

from explorer.core.decoding import decode
from explorer.core.parsing import parse_report, title_from_filename

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def manifest() -> list[dict]:
    path = CORPUS / "manifest.json"
    return json.loads(path.read_text("utf-8"))["reports"] if path.exists() else []


def half(entry: dict) -> str:
    """"A" or "B": CRC-32 of the entry's group (or file name if it has none), even -> A.

    Re-runs of one crew share a group, so they land in the same half and a rule tuned on one
    run cannot be "measured" on its twin. CRC-32 is stable across runs and Python versions
    (unlike hash()).
    """
    key = entry.get("group") or entry["file"]
    return "AB"[zlib.crc32(key.encode("utf-8")) % 2]


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text).lower().split())


@dataclass(frozen=True)
class Agreement:
    title: bool
    sections: bool
    expected: tuple[str, list[str], bool]      # (title, section titles, introduction?)
    got: tuple[str, list[str], bool]

    @property
    def both(self) -> bool:
        return self.title and self.sections


def agreement(entry: dict) -> Agreement:
    """Compare the parse of one corpus report with the reader's labels.

    Titles and section titles are compared without case, punctuation or markup. Sections agree
    when the list matches and an introduction is split off exactly when the reader saw one
    (without headings the whole report is one section: there is no introduction to split off).
    """
    path = CORPUS / entry["file"]
    fallback = title_from_filename(path.name)
    title, sections = parse_report(decode(path.read_bytes()), path.stem, str(path), fallback)
    expected_title = entry["title"] or fallback
    expected_sections = entry["sections"] or [expected_title]
    got_sections = [s.title for s in sections if s.number != 0]
    has_intro = any(s.number == 0 for s in sections)
    return Agreement(
        title=_normal(title) == _normal(expected_title),
        sections=([_normal(t) for t in got_sections] == [_normal(t) for t in expected_sections]
                  and (has_intro == entry["intro"] or not entry["sections"])),
        expected=(expected_title, expected_sections, entry["intro"]),
        got=(title, got_sections, has_intro))


def _report(name: str, entries: list[dict], verbose: bool) -> None:
    results = [(entry, agreement(entry)) for entry in entries]
    count = len(results) or 1
    print(f"half {name}: {len(results)} reports   "
          + "   ".join(f"{what} {sum(getattr(a, what) for _, a in results)}/{len(results)} "
                       f"({100 * sum(getattr(a, what) for _, a in results) / count:.0f}%)"
                       for what in ("title", "sections", "both")))
    for entry, result in results:
        if result.both:
            continue
        wrong = ", ".join(w for w in ("title", "sections") if not getattr(result, w))
        print(f"  {entry['file']}: {wrong} differ")
        if verbose:
            print(f"    expected: {result.expected[0]!r} intro={result.expected[2]}")
            print(f"              {result.expected[1]}")
            print(f"    got:      {result.got[0]!r} intro={result.got[2]}")
            print(f"              {result.got[1]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices="AB", help="only this half (default: both)")
    parser.add_argument("--verbose", action="store_true",
                        help="show expected and parsed outline of each disagreement")
    args = parser.parse_args(argv)
    entries = manifest()
    if not entries:
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 1
    for name in args.half or "AB":
        _report(name, [entry for entry in entries if half(entry) == name], args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
