"""The Overview's cards, made once per store state and view: the caches around dashboard.model.cards."""

from __future__ import annotations

import streamlit as st

from dashboard.model import cards, data
from dashboard.ui.ui import View


@st.cache_resource(show_spinner=False, max_entries=16)
def tiles_cached(key: str, _view: View, max_locations: int, max_kinds: int | None = None) -> dict[str, list[cards.Card]]:
    """The Overview's cards of a view (`key`: ui.rows_key), from the store's card codes at the view's rows."""
    codes = card_codes_cached(_view.url, _view.fingerprint, _view.dataset)
    return cards.cards_at(codes, _view.rows, _view.dataset.records, max_locations, max_kinds)


@st.cache_resource(show_spinner=False, max_entries=2)
def card_codes_cached(url: str, fingerprint: str, _dataset: data.Dataset) -> cards.CardCodes:
    """cards.card_codes of the store's records, once per store state (a few MB of integer codes)."""
    return cards.card_codes(_dataset.records)


def location_counts(view: View) -> dict[str, int]:
    """How many locations each indicator has among the view's records (cards.location_counts_at)."""
    return cards.location_counts_at(card_codes_cached(view.url, view.fingerprint, view.dataset), view.rows)
