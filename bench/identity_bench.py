"""A figure's identity against the development corpus: how often the records' outcome, headline,
originator and status agree with the gold on the figures both find, and the disagreements.

    .venv/bin/python bench/identity_bench.py [--field headline|originator|outcome|status] [--all]

Prints the agreement of each field (tests/test_devcorpus_score.py holds its floors), then the
most common disagreements of `--field` as (gold, record) pairs; `--all` lists each one with its
document, offset and sentence.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import extract  # noqa: E402
from extractors.evaluation import IDENTITY_FIELDS, load_gold, match, score  # noqa: E402

DEVCORPUS = ROOT / "tests" / "devcorpus"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--field", choices=IDENTITY_FIELDS, default="originator")
    parser.add_argument("--all", action="store_true", help="list every disagreement of --field")
    args = parser.parse_args()
    documents = {path.name: path.read_text(encoding="utf-8") for path in sorted((DEVCORPUS / "docs").glob("*.txt"))}
    gold = load_gold(DEVCORPUS / "gold.jsonl", documents)
    records = [record for name, text in documents.items() for record in extract(text, meta={"doc": name})]
    result = score(records, gold)
    print(f"dev corpus: {len(documents)} documents, {len(gold)} gold figures, {result.true_positives} matched")
    for name, counts in result.identity_agreement.items():
        print(f"  {name:<10} {counts[True]}/{sum(counts.values())} = {counts[True] / sum(counts.values()):.3f}")
    field = args.field
    wrong = [(figure, record) for figure, record in match(records, gold)[0] if getattr(figure, field) != getattr(record, field)]
    wrong = [(figure, record) for figure, record in wrong if field == "originator" or getattr(figure, field) is not None]
    print(f"\n{field}: {len(wrong)} disagreements (gold, record)")
    for (expected, got), count in Counter((getattr(f, field), getattr(r, field)) for f, r in wrong).most_common(30):
        print(f"  {count:>3}  {expected!r} / {got!r}")
    if args.all:
        for figure, record in sorted(wrong, key=lambda pair: (pair[0].doc, pair[1].char_start)):
            quote = " ".join(record.quote.split())[:110]
            print(f"  {figure.doc} {record.char_start} {getattr(figure, field)!r} / {getattr(record, field)!r} :: {quote}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
