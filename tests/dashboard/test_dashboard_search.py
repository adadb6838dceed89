"""The search filter's fast path (only the texts the other filters keep) against the plain scan of every text."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.model import text_search
from dashboard.model.text_search import search_mask

# A small alphabet, so that words often occur: letters, a space, a newline, regex metacharacters, non-ASCII.
ALPHABET = "abAB .(*\n\u00e9\u00c9\u0130\u0645"
texts_strategy = st.lists(st.one_of(st.none(), st.text(ALPHABET, max_size=12)), max_size=40)


def plain_scan(texts: pd.Series, search: str, mask: np.ndarray) -> np.ndarray:
    """What the filter did before: every word looked for in every text."""
    kept = np.array(mask, dtype=bool)
    for word in search.lower().split():
        kept &= texts.str.contains(re.escape(word), regex=True).to_numpy(dtype=bool, na_value=False)
    return kept


@settings(max_examples=150, deadline=None)
@given(
    values=texts_strategy,
    search=st.text(ALPHABET, max_size=8),
    seed=st.integers(0, 2**32 - 1),
    share=st.floats(0, 1),
    dtype=st.sampled_from(["str", "object"]),
)
def test_fast_path_is_the_plain_scan(values, search, seed, share, dtype):
    texts = pd.Series([v.lower() if v is not None else None for v in values], dtype=dtype, index=np.arange(len(values)) * 3 + 7)
    mask = np.random.default_rng(seed).random(len(values)) < share  # few or many kept: both paths taken
    assert np.array_equal(search_mask(texts, search, mask), plain_scan(texts, search, mask))


@pytest.mark.parametrize(
    ("share", "taken"),
    [pytest.param(0.1, True, id="few-kept-taken-out"), pytest.param(0.9, False, id="most-kept-whole-column")],
)
def test_few_kept_texts_are_taken_out(monkeypatch, share, taken):
    texts = pd.Series([f"report {i} by ocha" for i in range(100)], dtype="str")
    mask = np.arange(100) < share * 100
    seen: list[int] = []
    real = text_search.contains
    monkeypatch.setattr(text_search, "contains", lambda column, word: seen.append(len(column)) or real(column, word))
    assert search_mask(texts, "OCHA report", mask).sum() == mask.sum()
    assert (seen[0] < 100) is taken


def test_nothing_kept_searches_nothing(monkeypatch):
    monkeypatch.setattr(text_search, "contains", lambda *_: pytest.fail("searched though no record is kept"))
    assert not search_mask(pd.Series(["a", "b"], dtype="str"), "a b", np.zeros(2, bool)).any()


@pytest.mark.parametrize("cores", [1, 2, 3, 8], ids=lambda cores: f"{cores}-cores")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # the same patch each time
@given(values=texts_strategy, word=st.text(ALPHABET, min_size=1, max_size=4))
def test_a_big_column_scanned_in_slices_at_once_gives_the_single_scan(monkeypatch, cores, values, word):
    """Past PARALLEL_MIN texts a word is looked for in one slice per core (at most MAX_SLICES): the same answer, in order."""
    monkeypatch.setattr(text_search, "PARALLEL_MIN", 1)
    monkeypatch.setattr(text_search.os, "cpu_count", lambda: cores)
    texts = pd.Series([v.lower() if v is not None else None for v in values], dtype="str", index=np.arange(len(values)) * 3 + 7)
    expected = texts.str.contains(re.escape(word.lower()), regex=True).to_numpy(dtype=bool, na_value=False)
    assert np.array_equal(text_search.contains(texts, word.lower()), expected)


def test_a_columns_polars_series_is_made_once_and_let_go_with_the_column():
    import gc
    import weakref

    texts = pd.Series(["killed in gaza", "displaced in sudan", None], dtype="str")
    first = text_search.searchable(texts)
    assert text_search.searchable(texts) is first
    assert text_search.searchable(pd.Series(["killed in gaza"], dtype="str")) is not first
    data = weakref.ref(texts.array.__arrow_array__())
    key = id(data())
    assert key in text_search._SEARCHABLE
    del texts, first
    gc.collect()
    assert data() is None
    assert key not in text_search._SEARCHABLE


@pytest.mark.parametrize("chunks", [1, 2, 5], ids=lambda chunks: f"{chunks}-chunks")
def test_a_column_in_several_arrow_chunks_is_searched_whole(monkeypatch, chunks):
    """A refreshed store's columns may be chunked Arrow arrays: every chunk is searched, rows stay in order."""
    import pyarrow as pa

    monkeypatch.setattr(text_search, "PARALLEL_MIN", 1)  # the sliced scan too, slices crossing chunks
    values = [f"report {i} by {'ocha' if i % 3 else 'who'}" if i % 7 else None for i in range(40)]
    pieces = np.array_split(np.arange(len(values)), chunks)
    data = pa.chunked_array([pa.array([values[i] for i in piece], type=pa.large_string()) for piece in pieces])
    texts = pd.Series(data, dtype=pd.StringDtype("pyarrow", na_value=np.nan))  # the dashboard's "str" columns
    assert texts.array.__arrow_array__().num_chunks == chunks
    mask = np.arange(len(values)) % 2 == 0
    assert np.array_equal(search_mask(texts, "OCHA report", mask), plain_scan(texts, "ocha report", mask))
