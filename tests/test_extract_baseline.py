"""The records of the development corpus and the sample corpus, read back record for record.

tests/fixtures/extract_baseline/*.jsonl are the JSON lines `python -m extractors extract`
wrote for these folders before the English word lists moved from code to
extractors/data/en/ (issue 15). A change to the extractor that changes a record fails here
with the first record that differs; when the change is meant, regenerate the fixture with the
command its README gives and review the diff.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "extract_baseline"

CORPORA = [
    pytest.param("tests/devcorpus/docs", "devcorpus.jsonl", id="development-corpus"),
    pytest.param("data/corpus", "sample_corpus.jsonl", id="sample-corpus"),
]


def _records(jsonl: str) -> list[dict]:
    return [json.loads(line) for line in jsonl.splitlines() if line.strip()]


@pytest.mark.parametrize(("folder", "fixture"), CORPORA)
def test_extract_reads_back_the_baseline_record_for_record(folder: str, fixture: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "extractors", "extract", folder],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert run.returncode == 0, run.stderr
    expected = _records((FIXTURES / fixture).read_text(encoding="utf-8"))
    actual = _records(run.stdout)
    assert expected, f"{fixture} holds no records"
    for number, (want, got) in enumerate(zip(expected, actual, strict=False), start=1):
        if want != got:
            changed = {key: (want.get(key), got.get(key)) for key in want.keys() | got.keys() if want.get(key) != got.get(key)}
            pytest.fail(f"record {number} of {folder} ({want.get('doc')}) differs: field -> (expected, got): {changed}")
    assert len(actual) == len(expected), f"{folder}: {len(actual)} records, expected {len(expected)}"
