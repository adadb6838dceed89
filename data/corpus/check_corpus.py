"""Check the sample corpus against the shared facts file and against the extractor.

Usage (from the repository root):

    .venv/bin/python data/corpus/check_corpus.py [--facts PATH] [--strict]

Three checks, in order:

1. corpus: every brief has a sidecar whose publisher, url, title and date match
   facts.csv, each report (publisher, url) of facts.csv is restated by one brief,
   and no brief writes a number other than its expected figures, dates and IPC phases;
2. expected.jsonl: every expected figure equals its facts.csv row (indicator, value,
   qualifier, measure, reference date, attribution, ISO3), stands in its brief at the
   stated offset, is written with the qualifier words its row calls for, and every
   facts row appears once;
3. extractor: `extractors.extract_file` on each brief, compared with expected.jsonl;
   every missed figure, wrong field and extra record is printed with its sentence.

Exit status 1 when check 1 or 2 fails (the corpus is wrong). Extractor mismatches
are listed for the engine owner and fail only with --strict.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_FACTS = REPO.parent / "shared" / "facts" / "facts.csv"
EXPECTED = HERE / "expected.jsonl"
PUBLISHED_NOTE = "publication date not shown on the page; reference date used"
META_KEYS = {"title", "publisher", "url", "published", "kind", "summary_of", "facts_rows"}
EXPECTED_KEYS = {
    "doc",
    "figure",
    "indicator",
    "value",
    "qualifier",
    "measure",
    "reference_date",
    "attribution",
    "location_iso3",
    "facts_row",
}
COMPARED = ("indicator", "value", "qualifier", "measure", "reference_date", "location_iso3")
# Words a brief writes before a figure for each qualifier; "exact" has none.
QUALIFIER_WORDS = {
    "at_least": ("at least",),
    "more_than": ("more than",),
    "at_most": ("up to", "as many as"),
    "approx": ("about", "around", "some", "an estimated", "roughly"),
}
ANY_QUALIFIER = tuple(word for words in QUALIFIER_WORDS.values() for word in words)
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def figure_value(text: str) -> float | None:
    """The number a figure text writes: "10,022" -> 10022, "1.9 million" -> 1900000."""
    match = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?: (thousand|million|billion))?", text)
    if match is None:
        return None
    value = float(match.group(1).replace(",", ""))
    return round(value * SCALES.get(match.group(2) or "", 1), 6)


def sentence_at(text: str, offset: int) -> str:
    """The sentence (or headline line) around a character offset, for messages."""
    start = max(text.rfind(". ", 0, offset) + 2, text.rfind("\n", 0, offset) + 1, 0)
    ends = [i for i in (text.find(". ", offset), text.find("\n", offset)) if i != -1]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()


def norm_attribution(text: str | None) -> str:
    text = (text or "").lower()
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"^\s*the\s+", "", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def attribution_agrees(got: str | None, want: str) -> bool:
    got_n, want_n = norm_attribution(got), norm_attribution(want)
    return bool(got_n) and (got_n in want_n or want_n in got_n)


def load_facts(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_expected(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def check_corpus(facts: list[dict[str, str]], docs: list[Path], errors: list[str]) -> dict[str, dict]:
    """Sidecars against facts.csv; one brief per report. Returns sidecars by document name."""
    metas: dict[str, dict] = {}
    reports: dict[tuple[str, str], list[int]] = {}
    for number, row in enumerate(facts, 1):
        reports.setdefault((row["publisher"], row["url"]), []).append(number)
    restated: Counter[tuple[str, str]] = Counter()
    for doc in docs:
        sidecar = doc.with_name(doc.stem + ".meta.json")
        if not sidecar.is_file():
            errors.append(f"{doc.name}: no sidecar {sidecar.name}")
            continue
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        metas[doc.name] = meta
        missing = META_KEYS - meta.keys()
        if missing:
            errors.append(f"{sidecar.name}: missing keys {sorted(missing)}")
            continue
        rows = meta["facts_rows"]
        if not rows or any(not 1 <= n <= len(facts) for n in rows):
            errors.append(f"{sidecar.name}: facts_rows {rows} out of range")
            continue
        report = (meta["publisher"], meta["url"])
        if report not in reports:
            errors.append(f"{sidecar.name}: publisher/url pair is not a report of facts.csv")
            continue
        restated[report] += 1
        if sorted(rows) != reports[report]:
            errors.append(f"{sidecar.name}: facts_rows {sorted(rows)} but the report's rows are {reports[report]}")
        first = facts[reports[report][0] - 1]
        if meta["summary_of"] != meta["publisher"] or meta["kind"] != "summary":
            errors.append(f"{sidecar.name}: kind must be 'summary' and summary_of the publisher")
        headline = doc.read_text(encoding="utf-8").split("\n", 1)[0].strip()
        if meta["title"] != (first["title"] or headline):
            errors.append(f"{sidecar.name}: title {meta['title']!r} is neither the facts title nor the headline")
        if first["published"]:
            if meta["published"] != first["published"] or "published_note" in meta:
                errors.append(f"{sidecar.name}: published {meta['published']} but facts.csv says {first['published']}")
        else:
            references = {facts[n - 1]["reference_date"] for n in reports[report]}
            if meta["published"] not in references or meta.get("published_note") != PUBLISHED_NOTE:
                errors.append(f"{sidecar.name}: no publication date in facts.csv: use a reference date and the published_note")
        if meta["published"] not in doc.name:
            errors.append(f"{doc.name}: file name does not carry the date {meta['published']}")
    for report, count in restated.items():
        if count > 1:
            errors.append(f"report {report[1]} is restated by {count} briefs; put all its rows in one")
    for report, numbers in reports.items():
        if report not in restated:
            print(f"note: facts rows {numbers} ({report[0]}) are not restated by any brief")
    return metas


def check_expected(
    facts: list[dict[str, str]], expected: list[dict], texts: dict[str, str], metas: dict[str, dict], errors: list[str]
) -> None:
    """Every expected figure equals its facts row and is written as the row says."""
    seen: Counter[int] = Counter()
    for item in expected:
        where = f"expected {item.get('doc')} {item.get('figure')!r}"
        missing = EXPECTED_KEYS - item.keys()
        if missing:
            errors.append(f"{where}: missing keys {sorted(missing)}")
            continue
        number = item["facts_row"]
        if not 1 <= number <= len(facts):
            errors.append(f"{where}: facts_row {number} out of range")
            continue
        seen[number] += 1
        row = facts[number - 1]
        want = {
            "indicator": row["indicator"],
            "value": float(row["value"]),
            "qualifier": row["qualifier"],
            "measure": row["measure"],
            "reference_date": row["reference_date"],
            "attribution": row["attribution"],
            "location_iso3": row["location_iso3"] or None,
        }
        for key, value in want.items():
            got = float(item[key]) if key == "value" else item[key]
            if got != value:
                errors.append(f"{where}: {key} {item[key]!r} but facts row {number} says {value!r}")
        if figure_value(item["figure"]) != want["value"]:
            errors.append(f"{where}: figure text does not write the value {row['value']}")
        text = texts.get(item["doc"])
        if text is None:
            errors.append(f"{where}: no such brief")
            continue
        start = item.get("char_start", text.find(item["figure"]))
        if text[start : start + len(item["figure"])] != item["figure"]:
            errors.append(f"{where}: figure not found at offset {start}")
            continue
        before = text[max(0, start - 20) : start].lower().rstrip()
        words = QUALIFIER_WORDS.get(row["qualifier"], ())
        if words and not before.endswith(words):
            errors.append(f"{where}: qualifier {row['qualifier']} needs one of {words} before the figure")
        if not words and before.endswith(ANY_QUALIFIER):
            errors.append(f"{where}: exact figure is preceded by a qualifier word")
        meta = metas.get(item["doc"])
        if meta is not None and number not in meta.get("facts_rows", []):
            errors.append(f"{where}: facts row {number} not listed in the sidecar")
    for number in range(1, len(facts) + 1):
        if seen[number] > 1:
            errors.append(f"facts row {number} is written {seen[number]} times in expected.jsonl")
        elif not seen[number]:
            print(f"note: facts row {number} has no expected figure")
    for doc, meta in metas.items():
        listed = sorted(item["facts_row"] for item in expected if item.get("doc") == doc)
        if listed != sorted(meta.get("facts_rows", [])):
            errors.append(f"{doc}: sidecar facts_rows {meta.get('facts_rows')} but expected.jsonl has {listed}")


NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?(?: (?:thousand|million|billion))?")
MONTH_AFTER = re.compile(r" (?:January|February|March|April|May|June|July|August|September|October|November|December)\b")


def check_no_other_figures(expected: list[dict], texts: dict[str, str], metas: dict[str, dict], errors: list[str]) -> None:
    """Every number in a brief is an expected figure, a date, a year or an IPC phase: nothing invented."""
    starts = {(item["doc"], item.get("char_start")) for item in expected}
    for doc, text in texts.items():
        publisher = metas.get(doc, {}).get("publisher") or ""
        if publisher:  # digits of a publisher's name ("Local News 8") are not figures
            text = text.replace(publisher, " " * len(publisher))
        for match in NUMBER.finditer(text):
            raw, start = match.group(0).rstrip(",."), match.start()
            if (doc, start) in starts:
                continue
            if MONTH_AFTER.match(text, match.end()) and raw.isdigit() and int(raw) <= 31:
                continue  # day of a date
            if re.fullmatch(r"(19|20)\d\d", raw):
                continue  # year
            if text[max(0, start - 6) : start] == "Phase ":
                continue  # IPC phase
            errors.append(f"{doc}: number {raw!r} is not an expected figure: {sentence_at(text, start)!r}")


def check_extractor(expected: list[dict]) -> list[str]:
    """The extractor's records against expected.jsonl: misses, wrong fields, extra records."""
    sys.path.insert(0, str(REPO))
    from extractors import extract_file
    from extractors.loaders import iter_documents

    docs = iter_documents([HERE])  # what `python -m extractors extract data/corpus` reads, README.md too

    problems: list[str] = []
    by_doc: dict[str, list[dict]] = {}
    for item in expected:
        by_doc.setdefault(item["doc"], []).append(item)
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        records = [record.to_dict() for record in extract_file(doc)]
        unmatched = list(records)
        for item in by_doc.get(doc.name, []):
            start = item.get("char_start", text.find(item["figure"]))
            sentence = sentence_at(text, start)
            record = next((r for r in unmatched if r["char_start"] == start), None)
            if record is None:
                record = next((r for r in unmatched if r["raw_value"] == item["figure"]), None)
            if record is None:
                problems.append(
                    f"MISSED {doc.name} row {item['facts_row']}: {sentence!r}\n"
                    f"    -> nothing  (expected {item['indicator']} {item['figure']} {item['qualifier']})"
                )
                continue
            unmatched.remove(record)
            wrong = []
            for key in COMPARED:
                got, want = record[key], item[key]
                if key == "value":
                    got, want = float(got), float(want)
                if got != want:
                    wrong.append(f"{key}={record[key]!r} (expected {item[key]!r})")
            if not attribution_agrees(record["attribution"], item["attribution"]):
                wrong.append(f"attribution={record['attribution']!r} (expected {item['attribution']!r})")
            if wrong:
                problems.append(f"WRONG  {doc.name} row {item['facts_row']}: {sentence!r}\n    -> " + "; ".join(wrong))
        for record in unmatched:
            problems.append(
                f"EXTRA  {doc.name}: {record['quote'].strip()!r}\n"
                f"    -> {record['indicator']} {record['raw_value']!r} {record['qualifier']} (no such figure expected)"
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--facts", type=Path, default=DEFAULT_FACTS, help="the shared facts.csv")
    parser.add_argument("--strict", action="store_true", help="fail on extractor mismatches too")
    args = parser.parse_args(argv)
    facts = load_facts(args.facts)
    expected = load_expected(EXPECTED)
    docs = sorted(HERE.glob("*.txt"))
    texts = {doc.name: doc.read_text(encoding="utf-8") for doc in docs}
    errors: list[str] = []
    metas = check_corpus(facts, docs, errors)
    check_expected(facts, expected, texts, metas, errors)
    check_no_other_figures(expected, texts, metas, errors)
    for error in errors:
        print(f"CORPUS ERROR {error}")
    problems = check_extractor(expected)
    for problem in problems:
        print(problem)
    kinds = Counter(problem.split(" ", 1)[0] for problem in problems)
    print(
        f"{len(docs)} briefs, {len(expected)} expected figures, {len(facts)} facts rows; "
        f"{len(errors)} corpus errors; extractor: {len(expected) - kinds['MISSED'] - kinds['WRONG']} right, "
        f"{kinds['MISSED']} missed, {kinds['WRONG']} wrong, {kinds['EXTRA']} extra"
    )
    if errors:
        return 1
    return 1 if args.strict and problems else 0


if __name__ == "__main__":
    sys.exit(main())
