"""The committed fixtures are small and are exactly what the generator writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

NAMES = ["comment_figures.html", "gaza_news.html", "simple_report.pdf", "sudan_jsonld.htm", "two_column_sitrep.pdf"]


def test_every_generated_fixture_is_checked(generator: ModuleType) -> None:
    assert sorted([*generator.HTML_FIXTURES, *generator.PDF_FIXTURES]) == NAMES


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory, generator: ModuleType) -> Path:
    folder = tmp_path_factory.mktemp("regenerated")
    generator.generate(folder)
    return folder


@pytest.mark.parametrize("name", NAMES)
def test_committed_fixture_matches_the_generator(name: str, documents: Path, regenerated: Path) -> None:
    committed = documents / name
    assert committed.is_file(), f"{name} missing: run .venv/bin/python {documents / 'generate_documents.py'}"
    assert committed.read_bytes() == (regenerated / name).read_bytes(), (
        f"{name} differs from what the generator writes now: run .venv/bin/python {documents / 'generate_documents.py'}"
    )


@pytest.mark.parametrize("name", NAMES)
def test_fixture_is_small(name: str, documents: Path) -> None:
    assert (documents / name).stat().st_size < 200_000
