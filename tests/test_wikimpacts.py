"""Event totals on real Wikipedia disaster articles (the Wikimpacts dev split, kept beside the repository at
../shared/wikimpacts-dev): the CLI's records must contain the annotated death toll of nearly every event, and
mark it as the headline of most. The split is evaluation data, not a fixture: no sentence of it is copied here."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from wikimpacts_bench import DEFAULT_SPLIT, run  # noqa: E402

MIN_DEATHS_HEADLINE = 0.85
MIN_DEATHS_FOUND = 0.95
ROW = re.compile(r"^(?P<category>\w+)\s+(?P<events>\d+)\s+(?P<found>\d+)\s+\(\s*\d+%\)\s+(?P<headline>\d+)\s+\(", re.MULTILINE)


@pytest.fixture(scope="module")
def table() -> dict[str, dict[str, int]]:
    if not (DEFAULT_SPLIT / "score.py").is_file():
        message = f"the Wikimpacts dev split is missing at {DEFAULT_SPLIT}"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(message + " (CI must provide it)")
        pytest.skip(message)
    result = run(DEFAULT_SPLIT)
    rows = {m["category"]: {k: int(m[k]) for k in ("events", "found", "headline")} for m in ROW.finditer(result.stdout)}
    assert "deaths" in rows, f"score.py printed no deaths row:\n{result.stdout}\n{result.stderr}"
    return rows


def test_the_death_toll_of_nearly_every_event_is_read(table) -> None:
    deaths = table["deaths"]
    assert deaths["found"] / deaths["events"] >= MIN_DEATHS_FOUND, deaths


def test_the_death_toll_is_the_headline(table) -> None:
    deaths = table["deaths"]
    assert deaths["headline"] / deaths["events"] >= MIN_DEATHS_HEADLINE, deaths
