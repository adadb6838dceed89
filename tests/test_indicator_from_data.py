"""A new indicator needs only a TOML file: `cholera_cases`, defined in a file that HID_INDICATORS
names, is extracted, stored in SQLite, filtered in the dashboard's model and exported as CSV.

Each case runs in a fresh interpreter: the indicators are read once per process, when
extractors.record is imported, as every module that lists them (review rules, the dashboard's
indicator choices) reads them then.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

CHOLERA_TOML = """
[indicators.cholera_cases]
description = "Suspected and confirmed cholera cases."
hxl = "#affected+cholera"
outcomes = ["cholera"]

[outcomes.cholera]
default_measure = "cumulative"
after = ["cases of cholera", "have contracted cholera"]
nouns = ["cholera cases", "number of cholera cases"]
"""

# Our own sentences, made up for this test: not reported figures.
REPORT = (
    "Cholera spreads in the camps\n\n"
    "At least 3,400 people have contracted cholera in Yemen, the ministry said.\n"
    "Separately, strikes killed 12 people in Taiz, the ministry said.\n"
)

# Extract, store, read back as the dashboard does, filter, export: what each step saw, as JSON.
PIPELINE = """
import json, sys
from pathlib import Path
try:
    import store
except ImportError:  # the store inside extractors/ (before issue 15 moved it)
    from extractors import store
from extractors import INDICATORS, extract_file
from dashboard.model.data import load_dataset
from dashboard.exports.record_files import records_csv
from dashboard.model.filters import Filters, apply_filters

document, database = Path(sys.argv[1]), Path(sys.argv[2])
url = f"sqlite:///{database}"
extracted = [record.indicator for record in extract_file(document)]
engine = store.open_store(url)
store.ingest_paths(engine, [document])
engine.dispose()
records = load_dataset(url).records
stored = sorted(records["indicator"].astype(str))
chosen = apply_filters(records, Filters(indicators=("cholera_cases",), parts=True))
print(json.dumps({
    "indicators": list(INDICATORS),
    "extracted": extracted,
    "stored": stored,
    "filtered": [(row.indicator, row.value) for row in chosen.itertuples()],
    "csv": records_csv(chosen).decode(),
    "hxl_csv": records_csv(chosen, hxl=True).decode(),
}))
"""


def _run(tmp_path: Path, indicator_files: str) -> dict:
    document = tmp_path / "cholera.txt"
    document.write_text(REPORT, encoding="utf-8")
    env = {**os.environ, "HID_INDICATORS": indicator_files, "PYTHONPATH": str(REPO_ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", PIPELINE, str(document), str(tmp_path / "store.sqlite")],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.splitlines()[-1])


def test_an_indicator_defined_in_a_toml_file_alone_is_extracted_stored_filtered_and_exported(tmp_path: Path) -> None:
    extra = tmp_path / "cholera.toml"
    extra.write_text(CHOLERA_TOML, encoding="utf-8")
    seen = _run(tmp_path, str(extra))
    assert seen["indicators"][-1] == "cholera_cases"
    assert sorted(seen["extracted"]) == ["cholera_cases", "deaths"]
    assert seen["stored"] == ["cholera_cases", "deaths"]
    assert seen["filtered"] == [["cholera_cases", 3400.0]]
    header, row = seen["csv"].splitlines()[:2]
    assert "indicator" in header.split(",") and "cholera_cases" in row and "3400" in row
    assert "#affected+cholera" in seen["hxl_csv"].splitlines()[1]


def test_without_the_file_there_is_no_such_indicator(tmp_path: Path) -> None:
    seen = _run(tmp_path, "")
    assert "cholera_cases" not in seen["indicators"]
    assert seen["extracted"] == ["deaths"] and seen["filtered"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("[indicators.x\n", "cannot read vocabulary file", id="not-toml"),
        pytest.param('[indicators.x]\noutcomes = ["nowhere"]\n', "unknown outcomes", id="unknown-outcome"),
    ],
)
def test_a_bad_indicator_file_is_refused_with_its_reason(tmp_path: Path, content: str, message: str) -> None:
    extra = tmp_path / "bad.toml"
    extra.write_text(content, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", "from extractors import extract; extract('12 people were killed.')"],
        cwd=REPO_ROOT,
        env={**os.environ, "HID_INDICATORS": str(extra), "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0 and "VocabularyError" in run.stderr and message in run.stderr
