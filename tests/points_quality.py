"""How well sentences making the same claim are grouped into points, against hand labels.

    .venv/bin/python tests/points_quality.py [--threshold T] [--meaning M]

The labels (tests/labels/seed_points.json) say which sentences of the five seeds make the
same claim, row by row of their five-report comparison. Precision: proposed pairs (two
sentences of one point) the reader made too; recall: the reader's pairs proposed.
"""
from __future__ import annotations

import argparse
import json
import sys
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer.core import consensus  # noqa: E402
from explorer.core.alignment import Aligner  # noqa: E402
from explorer.core.library import read_report  # noqa: E402
from explorer.core.sentences import sentences  # noqa: E402

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
LABELS = Path(__file__).resolve().parent / "labels" / "seed_points.json"


def figures() -> tuple[float, float, int, int]:
    reports = [read_report(p, SEEDS) for p in sorted(SEEDS.glob("*.txt"))]
    letter = {r.id: "ABCDE"[i] for i, r in enumerate(reports)}
    by_id = {r.id: r for r in reports}

    def sid(s: consensus.Sentence) -> str:
        texts = sentences(by_id[s.report].section(s.section).text)
        return f"{letter[s.report]}{s.section}.{texts.index(s.text) + 1}"

    found = consensus.points(reports, Aligner(reports))
    proposed = {frozenset((sid(a), sid(b))) for p in found for a, b in combinations(p.sentences, 2)}
    labels = json.loads(LABELS.read_text("utf-8"))["rows"]
    true = {frozenset(pair) for row in labels for point in row["points"]
            for pair in combinations(point, 2)}
    right = len(proposed & true)
    return (right / len(proposed) if proposed else 1.0, right / len(true) if true else 1.0,
            len(proposed), len(true))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--meaning", type=float)
    args = parser.parse_args()
    if args.threshold is not None:
        consensus.THRESHOLD = args.threshold
    if args.meaning is not None:
        consensus.MEANING_SHARE = args.meaning
    precision, recall, proposed, true = figures()
    print(f"seed points: pairs precision {precision:.2f} recall {recall:.2f} "
          f"({proposed} proposed, {true} labelled)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
