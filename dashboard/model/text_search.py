"""The search filter: which records' text holds every word of a query. Pure: no Streamlit.

A word matches where it occurs anywhere in a record's search_text (dashboard.model.data.search_text:
its texts joined, lower-cased), as a plain substring. A search usually comes with other filters (an
indicator, a place, headline figures only): each word is then looked for only in the texts of the
records still kept, taken out of the column first, rather than in every text of the store.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

TAKE_SHARE = 0.5
"""Below this share of the records still kept, their texts are taken out and searched; above it, the whole column is."""


PARALLEL_MIN = 200_000
"""From this many texts, a word is looked for in as many slices as the machine has cores (at most MAX_SLICES)."""
MAX_SLICES = 4


def contains(texts: pd.Series, word: str) -> np.ndarray:
    """Which texts hold `word` (missing texts do not), as a boolean array."""
    slices = min(os.cpu_count() or 1, MAX_SLICES)
    if len(texts) < PARALLEL_MIN or slices < 2:
        return _contains(texts, word)
    # Arrow's matcher lets go of the GIL: the slices are scanned at once, one per core (a million texts,
    # two cores: half the wall-clock time, the same CPU time).
    cuts = [len(texts) * part // slices for part in range(slices + 1)]
    found = _pool().map(lambda bounds: _contains(texts.iloc[bounds[0] : bounds[1]], word), itertools.pairwise(cuts))
    return np.concatenate(list(found))


def _contains(texts: pd.Series, word: str) -> np.ndarray:
    # An escaped pattern matches exactly what regex=False would; Arrow's matcher runs it 3x faster.
    return texts.str.contains(re.escape(word), regex=True).to_numpy(dtype=bool, na_value=False)


@functools.cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=MAX_SLICES, thread_name_prefix="text-search")


def search_mask(texts: pd.Series, search: str, mask: np.ndarray) -> np.ndarray:
    """`mask` and, for each word of `search` (lower-cased, split on spaces), whether the text holds it.

    The same as `mask & contains(texts, word) & ...`, word by word, but each word is looked for only
    in the texts `mask` (and the words before it) still keep, when they are few enough."""
    kept = np.array(mask, dtype=bool)
    for word in search.lower().split():
        positions = np.flatnonzero(kept)
        if not len(positions):
            break
        if len(positions) >= TAKE_SHARE * len(kept):
            kept &= contains(texts, word)
        else:
            kept[positions] = contains(texts.take(positions), word)
    return kept


__all__ = ["MAX_SLICES", "PARALLEL_MIN", "TAKE_SHARE", "contains", "search_mask"]
