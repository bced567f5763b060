"""How well reports are grouped by subject, against the corpus's labels.

    .venv/bin/python tests/groups_quality.py [--half A|B|both] [--threshold T]

Two reports belong together when the manifest gives them the same `topic` (a reader's
subject) or the same `group` (re-runs of one crew). Pair precision and recall over all the
reports of a half; the halves are tests/parser_agreement.py's (re-runs stay together).
Choose on half A, measure on half B.
"""
from __future__ import annotations

import argparse
import json
import sys
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parser_agreement import half as half_of  # noqa: E402

from explorer.core import groups  # noqa: E402
from explorer.core.library import read_report  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def figures(half: str) -> tuple[float, float, int]:
    entries = [e for e in json.loads((CORPUS / "manifest.json").read_text())["reports"]
               if half_of(e) == half]
    reports = [read_report(CORPUS / e["file"], CORPUS, 10 ** 8, report_id=e["file"])
               for e in entries]
    vectors = groups.subjects(reports, [None] * len(reports),
                              lambda i: [s.text for s in reports[i].sections])
    found = groups.group_reports(reports, vectors)
    proposed = {frozenset(p) for g in found for p in combinations(g.reports, 2)}
    true = {frozenset((a["file"], b["file"])) for a, b in combinations(entries, 2)
            if a["topic"] == b["topic"] or (a.get("group") and a.get("group") == b.get("group"))}
    right = len(proposed & true)
    return (right / len(proposed) if proposed else 1.0, right / len(true) if true else 1.0,
            len(found))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=["A", "B", "both"], default="A")
    parser.add_argument("--threshold", type=float)
    args = parser.parse_args()
    if args.threshold is not None:
        groups.THRESHOLD = args.threshold
    for half in (["A", "B"] if args.half == "both" else [args.half]):
        precision, recall, count = figures(half)
        print(f"half {half}: pairs precision {precision:.2f} recall {recall:.2f}, {count} groups")
    return 0


if __name__ == "__main__":
    sys.exit(main())
