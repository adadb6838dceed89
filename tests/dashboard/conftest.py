"""Fixtures of the dashboard tests: corpus records, a hostile brief, a small SQLite test store.

The test store is built once per session in a temporary folder from a few briefs of
data/corpus/ plus one hostile brief (HTML, Markdown and a javascript: link in its quote,
title, publisher and URL), and is passed to the app through DATABASE_URL.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

# The test modules import dashboard_testkit beside this file; pytest's importlib import mode
# does not put test folders on sys.path, so this conftest (loaded first) does.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboard_testkit import CORPUS, build_store, write_hostile_brief

from dashboard.model import data
from extractors import extract_file


@pytest.fixture(scope="session")
def corpus_frame() -> pd.DataFrame:
    """Every record of the sample corpus, as extract_file gives them (no store involved)."""
    rows = [record.to_dict() for path in sorted(CORPUS.glob("*.txt")) for record in extract_file(path)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="session")
def corpus_dataset(corpus_frame: pd.DataFrame) -> data.Dataset:
    return data.prepare_records(corpus_frame)


@pytest.fixture(scope="session")
def hostile_frame(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    path = write_hostile_brief(tmp_path_factory.mktemp("hostile"))
    return pd.DataFrame([record.to_dict() for record in extract_file(path)])


@pytest.fixture(scope="session")
def test_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a small SQLite store: STORE_BRIEFS and the hostile brief."""
    return build_store(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="session")
def store_dataset(test_store: str) -> data.Dataset:
    return data.load_dataset(test_store)


@pytest.fixture
def app_env(test_store: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """DATABASE_URL set to the test store and no --db among the arguments, for AppTest."""
    monkeypatch.setenv("DATABASE_URL", test_store)
    monkeypatch.setattr("sys.argv", ["app.py"])
    return test_store
