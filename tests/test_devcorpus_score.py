"""The engine against the hand-annotated development corpus in tests/devcorpus/.

docs/*.txt are the documents; gold.jsonl the figures a reader finds in them;
confounders.jsonl numbers that are not figures of people (dates, troops, money...).
A row locates its figure by a `context` string that occurs once in the document and
contains the `figure`. The thresholds are the project's targets: do not lower them.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from extractors import IndicatorRecord, extract_file
from extractors.evaluation import GoldFigure, Score, load_gold, score

CORPUS = Path(__file__).resolve().parent / "devcorpus"
MIN_PRECISION = 0.97  # issue 13 targets on the whole corpus
MIN_RECALL = 0.95
MIN_DOCUMENTS = 30
MIN_GOLD = 250
MIN_CRISES = 6
# Agreement of the identity fields with the gold on matched figures (a ratchet: raise it as
# the rules improve, never lower it). Issue 13, identity: 0.983, 0.679, 0.409, 0.977 before.
MIN_IDENTITY_AGREEMENT = {"outcome": 0.98, "headline": 0.80, "originator": 0.75, "status": 0.97}


def _paths() -> list[Path]:
    return sorted((CORPUS / "docs").glob("*.txt"))


@pytest.fixture(scope="module")
def documents() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in _paths()}


@pytest.fixture(scope="module")
def records() -> list[IndicatorRecord]:
    return [record for path in _paths() for record in extract_file(path)]


@pytest.fixture(scope="module")
def gold(documents: dict[str, str]) -> list[GoldFigure]:
    return load_gold(CORPUS / "gold.jsonl", documents)


@pytest.fixture(scope="module")
def result(records: list[IndicatorRecord], gold: list[GoldFigure]) -> Score:
    return score(records, gold)


def _rows(name: str) -> list[tuple[int, dict]]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [(number, json.loads(line)) for number, line in enumerate(lines, start=1) if line.strip()]


def _locate(documents: dict[str, str], row: dict, where: str) -> tuple[int, int]:
    """The figure's span: its context must occur exactly once in the document, the figure inside it."""
    assert row["doc"] in documents, f"{where}: unknown document {row['doc']!r}"
    text, context, figure = documents[row["doc"]], row["context"], row["figure"]
    count = text.count(context)
    assert count == 1, f"{where}: context {context!r} occurs {count} times in {row['doc']}"
    offset = context.find(figure)
    assert offset >= 0, f"{where}: figure {figure!r} is not inside context {context!r}"
    start = text.index(context) + offset
    return start, start + len(figure)


@pytest.fixture(scope="module")
def confounder_spans(documents: dict[str, str]) -> dict[str, list[tuple[int, int, str]]]:
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for number, row in _rows("confounders.jsonl"):
        start, end = _locate(documents, row, f"confounders.jsonl:{number}")
        spans[row["doc"]].append((start, end, f"{row['figure']!r} ({row['why']}, confounders.jsonl:{number})"))
    return spans


def _describe_errors(result: Score, documents: dict[str, str]) -> str:
    lines = []
    for record in result.false_positives[:15]:
        lines.append(f"  FP {record.doc} {record.indicator} {record.value} [{record.raw_value}] :: {record.quote[:120]!r}")
    for figure in result.false_negatives[:15]:
        text = documents[figure.doc]
        lines.append(f"  FN {figure.doc} {figure.indicator} {figure.value} [{text[figure.start : figure.end]}]")
    return "\n".join(lines)


def test_score_meets_the_targets(result: Score, gold: list[GoldFigure], documents: dict[str, str]) -> None:
    qualifier, measure = result.qualifier_agreement, result.measure_agreement
    print(
        f"\ndevcorpus: {len(documents)} documents, {len(gold)} gold figures: "
        f"precision {result.precision:.3f} recall {result.recall:.3f} F1 {result.f1:.3f} "
        f"(tp {result.true_positives}, fp {len(result.false_positives)}, fn {len(result.false_negatives)}); "
        f"qualifier agreement {qualifier[True]}/{sum(qualifier.values())}, "
        f"measure agreement {measure[True]}/{sum(measure.values())}"
    )
    assert result.true_positives > 0
    assert result.precision >= MIN_PRECISION and result.recall >= MIN_RECALL, (
        f"precision {result.precision:.3f} (target {MIN_PRECISION}), recall {result.recall:.3f} (target {MIN_RECALL}); "
        "first errors (scripts/devcorpus_errors.py lists all):\n" + _describe_errors(result, documents)
    )


def test_identity_agreement_does_not_fall(result: Score) -> None:
    agreement = {name: counts[True] / sum(counts.values()) for name, counts in result.identity_agreement.items()}
    print("\ndevcorpus identity agreement: " + ", ".join(f"{name} {value:.3f}" for name, value in agreement.items()))
    low = {
        name: round(agreement.get(name, 0.0), 3)
        for name, floor in MIN_IDENTITY_AGREEMENT.items()
        if agreement.get(name, 0.0) < floor
    }
    assert not low, f"identity agreement below its floor {MIN_IDENTITY_AGREEMENT}: {low} (scripts: list the mismatches)"


def test_corpus_is_large_and_varied_enough(documents: dict[str, str], gold: list[GoldFigure]) -> None:
    crises = Counter(name.split("_")[0] for name in documents)
    assert len(documents) >= MIN_DOCUMENTS, f"{len(documents)} documents, want {MIN_DOCUMENTS}"
    assert len(gold) >= MIN_GOLD, f"{len(gold)} gold figures, want {MIN_GOLD}"
    assert len(crises) >= MIN_CRISES, f"crises {sorted(crises)}, want {MIN_CRISES}"


def test_every_document_has_gold_figures_and_confounders(documents: dict[str, str]) -> None:
    gold_docs = Counter(row["doc"] for _, row in _rows("gold.jsonl"))
    confounder_docs = Counter(row["doc"] for _, row in _rows("confounders.jsonl"))
    assert [name for name in documents if not confounder_docs[name]] == [], "documents without confounders"
    assert [name for name in documents if not gold_docs[name]] == [], "documents without gold figures"


def test_gold_contexts_occur_once(documents: dict[str, str]) -> None:
    for number, row in _rows("gold.jsonl"):
        _locate(documents, row, f"gold.jsonl:{number}")


def test_no_record_overlaps_a_confounder(
    records: list[IndicatorRecord], confounder_spans: dict[str, list[tuple[int, int, str]]]
) -> None:
    assert sum(map(len, confounder_spans.values())) > 0
    hits = [
        f"{record.doc}: {record.indicator} {record.value} [{record.raw_value}] overlaps confounder {label}"
        for record in records
        for start, end, label in confounder_spans.get(record.doc, [])
        if record.char_start < end and start < record.char_end
    ]
    assert hits == [], "\n".join(hits)
