"""Scoring the extractor against a hand-annotated gold file.

A gold figure is found when a record of the same document overlaps its span,
names the same indicator and has the same value (to 0.5%, for rounding of
household conversions). Each record can match one gold figure only.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .record import IndicatorRecord

VALUE_TOLERANCE = 0.005


@dataclass(frozen=True, slots=True)
class GoldFigure:
    """One annotated figure."""

    doc: str  # file name
    start: int  # span of the figure in the document
    end: int
    indicator: str
    value: float
    qualifier: str
    measure: str | None
    outcome: str | None
    population: str | None
    line: int  # line in the gold file, for messages
    headline: bool | None = None  # the identity a reader gives the figure, where the gold states it
    originator: str | None = None
    status: str | None = None


@dataclass
class Score:
    """Precision, recall and what went wrong."""

    true_positives: int = 0
    false_positives: list[IndicatorRecord] = field(default_factory=list)
    false_negatives: list[GoldFigure] = field(default_factory=list)
    qualifier_agreement: Counter[bool] = field(default_factory=Counter)
    measure_agreement: Counter[bool] = field(default_factory=Counter)
    # Of the matched figures whose gold states it: whether the record's field agrees, per field
    # (outcome, headline, originator, status).
    identity_agreement: dict[str, Counter[bool]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + len(self.false_negatives)
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def load_gold(gold_file: Path, documents: dict[str, str]) -> list[GoldFigure]:
    """Gold figures with spans resolved from their unique context in the document text."""
    gold = []
    for line_number, line in enumerate(gold_file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        text = documents[row["doc"]]
        context_at = text.index(row["context"])
        start = context_at + row["context"].index(row["figure"])
        gold.append(
            GoldFigure(
                row["doc"],
                start,
                start + len(row["figure"]),
                row["indicator"],
                float(row["value"]),
                row["qualifier"],
                row.get("measure"),
                row.get("outcome"),
                row.get("population"),
                line_number,
                row.get("headline"),
                row.get("originator"),
                row.get("status"),
            )
        )
    return gold


IDENTITY_FIELDS = ("outcome", "headline", "originator", "status")


def _same_value(expected: float, found: float) -> bool:
    return abs(expected - found) <= VALUE_TOLERANCE * max(abs(expected), 1.0)


def match(
    records: list[IndicatorRecord], gold: list[GoldFigure]
) -> tuple[list[tuple[GoldFigure, IndicatorRecord]], list[GoldFigure], list[IndicatorRecord]]:
    """(gold figure, record) pairs, the gold figures no record matches, and the records no gold figure matches.

    A record matches a gold figure of its document that its span overlaps, with the same
    indicator and value; each record matches at most one figure, in gold order.
    """
    pairs: list[tuple[GoldFigure, IndicatorRecord]] = []
    missed: list[GoldFigure] = []
    unmatched = list(records)
    for figure in gold:
        found = next(
            (
                record
                for record in unmatched
                if record.doc == figure.doc
                and record.char_start < figure.end
                and figure.start < record.char_end
                and record.indicator == figure.indicator
                and _same_value(figure.value, record.value)
            ),
            None,
        )
        if found is None:
            missed.append(figure)
        else:
            unmatched.remove(found)
            pairs.append((figure, found))
    return pairs, missed, unmatched


def score(records: list[IndicatorRecord], gold: list[GoldFigure]) -> Score:
    """Match records to gold figures."""
    pairs, missed, unmatched = match(records, gold)
    result = Score(true_positives=len(pairs), false_positives=unmatched, false_negatives=missed)
    for figure, found in pairs:
        result.qualifier_agreement[found.qualifier == figure.qualifier] += 1
        if figure.measure:
            result.measure_agreement[found.measure == figure.measure] += 1
        for name in IDENTITY_FIELDS:
            if name == "originator" or getattr(figure, name) is not None:  # no originator is a statement too
                agreement = result.identity_agreement.setdefault(name, Counter())
                agreement[getattr(found, name, None) == getattr(figure, name)] += 1  # a baseline's records have no identity
    return result
