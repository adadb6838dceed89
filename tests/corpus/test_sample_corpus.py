"""The sample corpus restates real reports: its figures must match the shared facts
file exactly, and the extractor must read every one of them back, and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from testkit import load_module

REPO = Path(__file__).resolve().parents[2]
CHECKER = REPO / "data" / "corpus" / "check_corpus.py"


check_corpus = load_module(CHECKER)


@pytest.fixture(scope="module")
def corpus():
    docs = sorted(CHECKER.parent.glob("*.txt"))
    return docs, {doc.name: doc.read_text(encoding="utf-8") for doc in docs}, check_corpus.load_expected(check_corpus.EXPECTED)


def test_corpus_covers_the_series(corpus):
    docs, _, expected = corpus
    assert len(docs) >= 30
    series = {doc.name.split("-20")[0] for doc in docs}
    assert {"gaza-deaths", "sudan-idps", "aid-workers-killed", "ukraine-civilian-deaths", "haiti-displacement"} <= series
    assert len(expected) >= 60


def test_every_brief_is_a_summary_with_real_provenance(corpus):
    docs, _, _ = corpus
    for doc in docs:
        meta = check_corpus.json.loads(doc.with_suffix(".meta.json").read_text(encoding="utf-8"))
        assert meta["kind"] == "summary", doc.name
        assert meta["url"].startswith("https://"), doc.name
        assert meta["publisher"], doc.name


def test_figures_match_the_shared_facts(corpus):
    facts_file = check_corpus.DEFAULT_FACTS
    if not facts_file.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{facts_file} is missing: CI must have shared/ beside the checkout")
        pytest.skip(f"{facts_file} not found beside the checkout")
    docs, texts, expected = corpus
    errors: list[str] = []
    facts = check_corpus.load_facts(facts_file)
    metas = check_corpus.check_corpus(facts, docs, errors)
    check_corpus.check_expected(facts, expected, texts, metas, errors)
    check_corpus.check_no_other_figures(expected, texts, metas, errors)
    assert errors == []


def test_extractor_reads_every_real_figure_back(corpus):
    _, _, expected = corpus
    assert check_corpus.check_extractor(expected) == []
