"""The search filter: which records' text holds every word of a query. Pure: no Streamlit.

A word matches where it occurs anywhere in a record's search_text (dashboard.model.data.search_text:
its texts joined, lower-cased), as a plain substring. A search usually comes with other filters (an
indicator, a place, headline figures only): each word is then looked for only in the texts of the
records still kept, taken out of the column first, rather than in every text of the store.

The texts are searched by Polars, whose literal matcher looks for the word in each text with a
vectorised substring search; Arrow's matcher starts RE2 once per text, which cost 2-4 times as much
over a million texts. A column's Polars series is made once and kept as long as the column: it views
the column's own Arrow buffers, so it costs a few bytes per text, not a copy of the text.
"""

from __future__ import annotations

import functools
import itertools
import os
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

TAKE_SHARE = 0.5
"""Below this share of the records still kept, their texts are taken out and searched; above it, the whole column is."""


PARALLEL_MIN = 200_000
"""From this many texts, a word is looked for in as many slices as the machine has cores (at most MAX_SLICES)."""
MAX_SLICES = 4

_SEARCHABLE: dict[int, tuple[weakref.ref, pl.Series]] = {}
_LOCK = threading.Lock()


def searchable(texts: pd.Series) -> pl.Series:
    """`texts` as a Polars string series; for an Arrow-backed column, made once while the column's data lives."""
    if not isinstance(texts.dtype, pd.StringDtype) or texts.dtype.storage != "pyarrow":
        return _polars(pa.array(texts.astype("object"), type=pa.large_string(), from_pandas=True))
    data = texts.array.__arrow_array__()
    key = id(data)
    with _LOCK:
        kept = _SEARCHABLE.get(key)
        if kept is not None and kept[0]() is data:
            return kept[1]
    series = _polars(data)
    with _LOCK:
        # Forgotten with the column's data: an id is only reused once its object is gone.
        _SEARCHABLE[key] = (weakref.ref(data, lambda _, key=key: _SEARCHABLE.pop(key, None)), series)
    return series


def _polars(data: pa.Array | pa.ChunkedArray) -> pl.Series:
    series = pl.from_arrow(data)
    assert isinstance(series, pl.Series)
    return series


def contains(texts: pd.Series | pl.Series, word: str) -> np.ndarray:
    """Which texts hold `word` (missing texts do not), as a boolean array."""
    if isinstance(texts, pd.Series):
        texts = searchable(texts)
    slices = min(os.cpu_count() or 1, MAX_SLICES)
    if len(texts) < PARALLEL_MIN or slices < 2:
        return _scan(texts, word)
    # Polars lets go of the GIL while it matches: the slices are scanned at once, one per core (a million
    # texts, two cores: half the wall-clock time, the same CPU time).
    cuts = [len(texts) * part // slices for part in range(slices + 1)]
    found = _pool().map(lambda bounds: _scan(texts.slice(bounds[0], bounds[1] - bounds[0]), word), itertools.pairwise(cuts))
    return np.concatenate(list(found))


def _scan(texts: pl.Series, word: str) -> np.ndarray:
    return texts.str.contains(word, literal=True).fill_null(False).to_numpy()


@functools.cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=MAX_SLICES, thread_name_prefix="text-search")


def search_mask(texts: pd.Series, search: str, mask: np.ndarray) -> np.ndarray:
    """`mask` and, for each word of `search` (lower-cased, split on spaces), whether the text holds it.

    The same as `mask & contains(texts, word) & ...`, word by word, but each word is looked for only
    in the texts `mask` (and the words before it) still keep, when they are few enough."""
    kept = np.array(mask, dtype=bool)
    words = search.lower().split()
    if not words or not kept.any():
        return kept
    column = searchable(texts)
    for word in words:
        positions = np.flatnonzero(kept)
        if not len(positions):
            break
        if len(positions) >= TAKE_SHARE * len(kept):
            kept &= contains(column, word)
        else:
            kept[positions] = contains(column.gather(positions), word)
    return kept


__all__ = ["MAX_SLICES", "PARALLEL_MIN", "TAKE_SHARE", "contains", "search_mask", "searchable"]
