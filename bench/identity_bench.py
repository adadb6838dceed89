"""A figure's identity against the development corpora: how often the records' outcome, headline,
originator, status and measure agree with the gold on the figures both find, and the disagreements.

    .venv/bin/python bench/identity_bench.py [--lang en|fr|es|ar] [--field FIELD] [--all]
    .venv/bin/python bench/identity_bench.py --table

Prints the agreement of each field on one language's corpus (tests/devcorpus/ for English,
tests/devcorpus/<lang>/ otherwise; tests/test_devcorpus_score.py holds English's floors), then
the most common disagreements of `--field` as (gold, record) pairs; `--all` lists each one with
its document, offset and sentence. `--table` prints one row per language: precision, recall and
each field's agreement. Documents are read as the score tests read them (extract_file, with
their sidecar metadata).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import IndicatorRecord, extract_file  # noqa: E402
from extractors.evaluation import IDENTITY_FIELDS, GoldFigure, Score, load_gold, match, score  # noqa: E402

DEVCORPUS = ROOT / "tests" / "devcorpus"
LANGS = ("en", "fr", "es", "ar")
FIELDS = (*IDENTITY_FIELDS, "measure")


def corpus(lang: str) -> Path:
    return DEVCORPUS if lang == "en" else DEVCORPUS / lang


def measured(lang: str) -> tuple[list[GoldFigure], list[IndicatorRecord], Score]:
    paths = sorted((corpus(lang) / "docs").glob("*.txt"))
    documents = {path.name: path.read_text(encoding="utf-8") for path in paths}
    gold = load_gold(corpus(lang) / "gold.jsonl", documents)
    records = [record for path in paths for record in extract_file(path)]
    return gold, records, score(records, gold)


def agreement(result: Score) -> dict[str, tuple[int, int]]:
    """field -> (agreeing, compared) on the matched figures."""
    counts = {**result.identity_agreement, "measure": result.measure_agreement}
    return {name: (counts[name][True], sum(counts[name].values())) for name in FIELDS if name in counts}


def table() -> None:
    print(f"{'lang':<5} {'gold':>5} {'P':>6} {'R':>6}  " + "  ".join(f"{name:>16}" for name in FIELDS))
    for lang in LANGS:
        gold, _, result = measured(lang)
        cells = [
            f"{agree:>3}/{total:<3} = {agree / total:.3f}" if total else f"{'-':>16}"
            for agree, total in (agreement(result).get(name, (0, 0)) for name in FIELDS)
        ]
        print(f"{lang:<5} {len(gold):>5} {result.precision:>6.3f} {result.recall:>6.3f}  " + "  ".join(cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", choices=LANGS, default="en")
    parser.add_argument("--field", choices=FIELDS, default="originator")
    parser.add_argument("--all", action="store_true", help="list every disagreement of --field")
    parser.add_argument("--table", action="store_true", help="one row of agreements per language")
    args = parser.parse_args()
    if args.table:
        table()
        return 0
    gold, records, result = measured(args.lang)
    print(f"dev corpus {args.lang}: {len(gold)} gold figures, {result.true_positives} matched")
    for name, (agree, total) in agreement(result).items():
        print(f"  {name:<10} {agree}/{total} = {agree / total:.3f}")
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
