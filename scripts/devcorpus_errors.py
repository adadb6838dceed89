"""Print the development corpus score and every miss and false alarm, for tuning.

python scripts/devcorpus_errors.py [--only fp|fn] [--corpus tests/devcorpus/fr]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors import extract_file
from extractors.evaluation import load_gold, score

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "devcorpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["fp", "fn"])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a folder of docs/ and gold.jsonl (one language's)")
    args = parser.parse_args()
    corpus = args.corpus
    paths = sorted((corpus / "docs").glob("*.txt"))
    documents = {path.name: path.read_text(encoding="utf-8") for path in paths}
    records = [record for path in paths for record in extract_file(path)]
    gold = load_gold(corpus / "gold.jsonl", documents)
    result = score(records, gold)
    if args.only != "fn":
        for record in result.false_positives:
            text = documents[record.doc]
            print(
                f"FP {record.doc} {record.indicator} {record.value} [{text[record.char_start : record.char_end]}] :: {record.quote[:200]!r}"
            )
    if args.only != "fp":
        for figure in result.false_negatives:
            text = documents[figure.doc]
            sentence_start = max(text.rfind("\n", 0, figure.start), text.rfind(". ", 0, figure.start)) + 1
            found = [r for r in records if r.doc == figure.doc and r.char_start < figure.end and figure.start < r.char_end]
            got = "; ".join(f"{r.indicator} {r.value}" for r in found) or "nothing"
            print(
                f"FN {figure.doc} {figure.indicator} {figure.value} [{text[figure.start : figure.end]}] got {got} :: {text[sentence_start : figure.end + 80]!r}"
            )
    qualifier = result.qualifier_agreement
    measure = result.measure_agreement
    print(
        f"gold {len(gold)} records {len(records)} tp {result.true_positives} fp {len(result.false_positives)} "
        f"fn {len(result.false_negatives)} precision {result.precision:.3f} recall {result.recall:.3f} "
        f"qualifier agreement {qualifier[True]}/{sum(qualifier.values())} measure agreement {measure[True]}/{sum(measure.values())}"
    )


if __name__ == "__main__":
    main()
