"""How well sections are lined up, against a reader's labels: the seeds and real reports.

    .venv/bin/python tests/alignment_quality.py [--half A|B|both] [--words] [--threshold T]

Seeds: the hand labels of tests/test_alignment.py. Real reports: tests/labels/corpus_alignment.json,
sets of reports from ../shared/corpus a user would compare, with the sections a reader puts
in one row. Each set is one library; a pair is proposed when the aligner makes two sections
counterparts (or puts them in one topic row). Precision: proposed pairs the reader made too;
recall: the reader's pairs proposed. A report whose parsed sections differ from the reader's
is left out (the parser's agreement is measured by tests/parser_agreement.py).

Choose on half A, measure on half B: the labels of half B are for measuring only.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import test_alignment as seeds  # noqa: E402 - the seeds' labels live with their tests

from explorer.core.alignment import Aligner  # noqa: E402
from explorer.core.library import read_report  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
LABELS = Path(__file__).resolve().parent / "labels" / "corpus_alignment.json"

Key = tuple[str, int]     # (file, section index in the reader's list, from 1)


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text).lower().split())


def _words_only(_sections):
    return None


def aligner(reports, words: bool, threshold: float | None) -> Aligner:
    return Aligner(reports, _words_only, threshold) if words else Aligner(reports, threshold=threshold)


def seed_figures(words: bool, threshold: float | None) -> dict:
    reports = seeds.load_seeds()
    found = aligner(reports, words, threshold)
    cp = seeds.precision_recall(seeds.counterpart_pairs(found, reports))
    rows = seeds.precision_recall(seeds.row_pairs(found.topic_map()))
    return {"counterparts": cp, "rows": rows}


def _reader_sections(file: str, expected: list[str]):
    """The report, and its section numbers -> the reader's indices; None if they differ."""
    report = read_report(CORPUS / file, CORPUS, 10 ** 8, report_id=file)
    sections = [s for s in report.sections if s.number != 0]
    if [_normal(s.title) for s in sections] != [_normal(t) for t in expected]:
        return report, None
    return report, {s.number: i for i, s in enumerate(sections, 1)}


def corpus_figures(half: str, words: bool, threshold: float | None) -> dict:
    manifest = {e["file"]: e for e in json.loads((CORPUS / "manifest.json").read_text())["reports"]}
    sets = [s for s in json.loads(LABELS.read_text())["sets"] if s["half"] == half]
    totals = {"counterparts": [0, 0], "rows": [0, 0]}
    labelled, left_out = 0, []
    for labels in sets:
        reports, indices = [], {}
        for file in labels["reports"]:
            report, index = _reader_sections(file, manifest[file]["sections"])
            if index is None:
                left_out.append(file)
                continue
            reports.append(report)
            indices[file] = index
        true = {frozenset(pair) for cluster in labels["clusters"]
                for pair in combinations([(f, i) for f, i, _ in cluster if f in indices], 2)}
        found = aligner(reports, words, threshold)

        def key(report: str, number: int) -> Key | None:
            index = indices[report].get(number)
            return None if index is None else (report, index)

        counterparts = {frozenset((key(r.id, s.number), key(m.report, m.section)))
                        for r in reports for s in r.sections
                        for m in found.counterparts(r.id, s.number) if m.section is not None}
        rows = {frozenset((key(a.report, a.section), key(b.report, b.section)))
                for t in found.topic_map() for a, b in combinations(t.sections, 2)}
        for name, proposed in (("counterparts", counterparts), ("rows", rows)):
            proposed = {p for p in proposed if None not in p}   # an introduction: unlabelled
            totals[name][0] += len(proposed & true)
            totals[name][1] += len(proposed)
        labelled += len(true)
    return {name: (right / made if made else 1.0, right / labelled if labelled else 1.0)
            for name, (right, made) in totals.items()} | {"left_out": left_out}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=["A", "B", "both"], default="A")
    parser.add_argument("--words", action="store_true", help="words alone (no meaning)")
    parser.add_argument("--threshold", type=float, help="instead of the aligner's own")
    args = parser.parse_args()
    rows = [("seeds", seed_figures(args.words, args.threshold))]
    if CORPUS.is_dir():
        for half in (["A", "B"] if args.half == "both" else [args.half]):
            rows.append((f"real, half {half}", corpus_figures(half, args.words, args.threshold)))
    for name, figures in rows:
        (cp_p, cp_r), (row_p, row_r) = figures["counterparts"], figures["rows"]
        extra = f"  (left out: {', '.join(figures['left_out'])})" if figures.get("left_out") else ""
        print(f"{name:15} counterparts P {cp_p:.2f} R {cp_r:.2f}   rows P {row_p:.2f} "
              f"R {row_r:.2f}{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
