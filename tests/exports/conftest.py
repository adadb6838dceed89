"""Fixtures of the export tests: corpus records, a small SQLite store with a hostile brief, the PNG renderer, a browser.

PNG export and the browser tests use Debian's Chromium (/usr/bin/chromium, or BROWSER_PATH):
without it they fail when CI=true and are skipped otherwise. Nothing is downloaded.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

# The test modules import exports_testkit beside this file; pytest's importlib import mode
# does not put test folders on sys.path, so this conftest (loaded first) does.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from exports_testkit import CHROMIUM, CORPUS, build_store, unavailable, write_hostile_brief

from dashboard.model import data


@pytest.fixture(scope="session")
def corpus_dataset() -> data.Dataset:
    """Every record of the sample corpus, prepared as the dashboard prepares the store's records."""
    from extractors import extract_file

    rows = [record.to_dict() for path in sorted(CORPUS.glob("*.txt")) for record in extract_file(path)]
    return data.prepare_records(pd.DataFrame(rows))


@pytest.fixture(scope="session")
def corpus_records(corpus_dataset: data.Dataset) -> pd.DataFrame:
    return corpus_dataset.records


@pytest.fixture(scope="session")
def hostile_records(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    from extractors import extract_file

    path = write_hostile_brief(tmp_path_factory.mktemp("hostile"))
    frame = pd.DataFrame([record.to_dict() for record in extract_file(path)])
    assert not frame.empty
    return data.prepare_records(frame).records


@pytest.fixture(scope="session")
def test_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a small SQLite store: a few corpus briefs and the hostile brief."""
    return build_store(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="session")
def store_dataset(test_store: str) -> data.Dataset:
    return data.load_dataset(test_store)


@pytest.fixture(scope="session")
def chromium() -> str:
    if not CHROMIUM.is_file():
        unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def png_renderer(chromium: str) -> Iterator[object]:
    """The shared warm renderer of dashboard.exports.chart_files, on the test Chromium; stopped after the session."""
    from dashboard.exports import chart_files

    yield chart_files.renderer(chromium)
    chart_files.close_renderer()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh page; fails the test if a dialog opens (a hostile quote must never run)."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.set_default_timeout(45_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())
    yield page
    context.close()
    assert not dialogs, dialogs


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder
