"""The search filter: which records' text holds every word of a query. Pure: no Streamlit.

A word matches where it occurs anywhere in a record's search_text (dashboard.model.data.search_text:
its texts joined, lower-cased), as a plain substring. A search usually comes with other filters (an
indicator, a place, headline figures only): each word is then looked for only in the texts of the
records still kept, taken out of the column first, rather than in every text of the store.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

TAKE_SHARE = 0.5
"""Below this share of the records still kept, their texts are taken out and searched; above it, the whole column is."""


def contains(texts: pd.Series, word: str) -> np.ndarray:
    """Which texts hold `word` (missing texts do not), as a boolean array."""
    # An escaped pattern matches exactly what regex=False would; Arrow's matcher runs it 3x faster.
    return texts.str.contains(re.escape(word), regex=True).to_numpy(dtype=bool, na_value=False)


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


__all__ = ["TAKE_SHARE", "contains", "search_mask"]
