"""The dashboard's filters: a frozen dataclass, its query string, and applying it. Pure: no Streamlit.

Every filter lives in the URL, so a link reproduces the view:
``?indicator=deaths&location=Palestine&source=Al+Jazeera&from=2024-01-01&to=2024-12-31&measure=cumulative&q=ministry``;
``reviewed=only`` keeps the figures a reviewer accepted or corrected; ``status=projected`` keeps
projections (``status=reported`` counted figures); ``lang=fr`` keeps the figures of French
documents (ISO 639-1 codes, as records carry them).

Headline figures are the default (see headline_figures): ``parts=1`` shows the rest too, the
parts of a toll (children, a province, a single incident) and the figures a document gives
beside its headline (a title's figure restated in the body, an earlier running total).
Values repeat for several choices (``indicator=deaths&indicator=injured``). Invalid values
(a malformed date, an unknown indicator, a hostile string) are dropped with a note.

>>> Filters(indicators=("deaths",), search="ministry").to_query_params()
{'indicator': ['deaths'], 'q': 'ministry'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from dashboard.model.formatting import escape_markdown, format_date, parse_iso_date
from dashboard.model.languages import language_name
from dashboard.model.pages import page_params
from dashboard.model.periods import PERIOD_PARAM, PRESETS, period_dates
from dashboard.model.places import location_aliases, location_mask
from dashboard.model.review import reviewed_mask
from dashboard.model.text_search import search_mask
from extractors.record import STATUSES

MAX_SEARCH = 200
MAX_NOTE_VALUE = 60
PARAM_NAMES = {
    "indicators": "indicator",
    "locations": "location",
    "sources": "source",
    "measures": "measure",
    "statuses": "status",
    "languages": "lang",
}
DATE_PARAMS = {"date_from": "from", "date_to": "to"}
SEARCH_PARAM = "q"
REVIEWED_PARAM = "reviewed"
REVIEWED_VALUES = {"only": True, "true": True, "1": True, "yes": True, "all": False, "false": False, "0": False, "no": False}
PARTS_PARAM = "parts"
PARTS_VALUES = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}
SWITCH_PARAMS = {
    "reviewed_only": (REVIEWED_PARAM, REVIEWED_VALUES, "reviewed=only"),
    "parts": (PARTS_PARAM, PARTS_VALUES, "parts=1"),
}
"""The on/off filters: the Filters attribute, its query parameter, what each value means, the usage a note suggests."""
FILTER_PARAMS = frozenset({*PARAM_NAMES.values(), *DATE_PARAMS.values(), SEARCH_PARAM, REVIEWED_PARAM, PARTS_PARAM, PERIOD_PARAM})
HEADLINE_GROUP = ("doc_id", "indicator", "outcome", "location_label", "measure", "status")
"""A document's figures of one kind at one place: the group whose headline the default view shows."""
PAGE_PARAMS: dict[str, tuple[str, ...]] = page_params()
"""Query parameters a page keeps besides the filters, by the page's url_path (dashboard.model.pages)."""
PAGE_PARAM_NAMES = frozenset(name for names in PAGE_PARAMS.values() for name in names)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Dimensions:
    """The values of each dimension the data is filtered by: those chosen (Filters) or those there are (FilterChoices)."""

    indicators: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Filters(Dimensions):
    """What the analyst is looking at. Empty tuples and None mean 'no restriction'."""

    date_from: date | None = None
    date_to: date | None = None
    search: str = ""
    reviewed_only: bool = False  # only figures a reviewer accepted or corrected
    statuses: tuple[str, ...] = ()  # reported, projected
    parts: bool = False  # also the figures that are not headlines (see headline_figures)
    period: str = ""  # a preset of dashboard.model.periods ("30d"): date_from and date_to are its days
    languages: tuple[str, ...] = ()  # ISO 639-1 codes of the documents' languages

    @property
    def is_empty(self) -> bool:
        """Nothing chosen: the default view, headline figures."""
        return self == Filters()

    @property
    def keeps_all(self) -> bool:
        """Every record passes (parts shown and nothing else chosen)."""
        return self == Filters(parts=True)

    @property
    def language_names(self) -> tuple[str, ...]:
        return tuple(map(language_name, self.languages))

    def to_query_params(self) -> dict[str, str | list[str]]:
        """The query-string form; empty filters are left out."""
        params: dict[str, str | list[str]] = {}
        for attribute, name in PARAM_NAMES.items():
            values = getattr(self, attribute)
            if values:
                params[name] = list(values)
        for attribute, name in DATE_PARAMS.items():
            value = getattr(self, attribute)
            if value is not None and not self.period:
                params[name] = value.isoformat()
        if self.period:
            params[PERIOD_PARAM] = self.period
        if self.search:
            params[SEARCH_PARAM] = self.search
        if self.reviewed_only:
            params[REVIEWED_PARAM] = "only"
        if self.parts:
            params[PARTS_PARAM] = "1"
        return params

    def describe(self) -> str:
        """A short Markdown-safe summary for captions: 'deaths · Palestine · from 1 Jan 2024'."""
        parts = [
            ", ".join(values)
            for values in (self.indicators, self.locations, self.sources, self.measures, self.statuses, self.language_names)
            if values
        ]
        if self.period:
            parts.append(PRESETS[self.period].lower())
        if self.date_from:
            parts.append(f"from {format_date(self.date_from)}")
        if self.date_to:
            parts.append(f"to {format_date(self.date_to)}")
        if self.search:
            parts.append(f"matching “{self.search}”")
        if self.reviewed_only:
            parts.append("reviewed figures only")
        parts.append("parts included" if self.parts else "headline figures")
        return escape_markdown(" · ".join(parts))


@dataclass(frozen=True)
class FilterChoices(Dimensions):
    """The values a filter may take (from the data); anything else in a URL is ignored."""

    statuses: tuple[str, ...] = STATUSES
    languages: tuple[str, ...] = ()

    @classmethod
    def of(cls, dataset: Any) -> FilterChoices:
        """The choices a dataset offers (a dashboard.model.data.Dataset: its indicators, locations, sources, measures, languages)."""
        return cls(dataset.indicators, dataset.locations, dataset.sources, dataset.measures, languages=dataset.languages)


def query_values(params: Mapping[str, Any], name: str) -> list[str]:
    """A query parameter's values as text (none, one or several), from st.query_params or parse_qs."""
    raw = params.get(name)
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [str(item) for item in items]


def _shown(value: str) -> str:
    """A query value as it can safely appear in a note: trimmed, escaped for Markdown."""
    value = _CONTROL.sub("", value)
    if len(value) > MAX_NOTE_VALUE:
        value = value[:MAX_NOTE_VALUE] + "…"
    return f"“{escape_markdown(value)}”"


def clean_search(text: str) -> str:
    """Search text as used: control characters removed, spaces collapsed, at most MAX_SEARCH long."""
    return " ".join(_CONTROL.sub(" ", text).split())[:MAX_SEARCH]


def from_query_params(params: Mapping[str, Any], choices: FilterChoices, today: date | None = None) -> tuple[Filters, list[str]]:
    """Filters from a query string's values, and a note for each value that was ignored.

    A period preset (period=30d) sets the dates from `today` (the clock's when None) over any from= and to=."""
    notes: list[str] = []
    chosen: dict[str, Any] = {}
    for attribute, name in PARAM_NAMES.items():
        allowed = getattr(choices, attribute)
        lookup = {value.casefold(): value for value in allowed}
        if attribute == "locations":  # a place by any of its names: "Gaza", "قطاع غزة"
            lookup = location_aliases(allowed) | lookup
        kept: list[str] = []
        for value in query_values(params, name):
            match = value if value in allowed else lookup.get(value.strip().casefold())
            if match is None:
                notes.append(f"Ignored unknown {name} {_shown(value)}.")
            elif match not in kept:
                kept.append(match)
        chosen[attribute] = tuple(kept)
    for attribute, name in DATE_PARAMS.items():
        values = query_values(params, name)
        if not values:
            continue
        day = parse_iso_date(values[-1]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", values[-1].strip()) else None
        if day is None:
            notes.append(f"Ignored malformed date {name}={_shown(values[-1])} (use YYYY-MM-DD).")
        else:
            chosen[attribute] = day
    if chosen.get("date_from") and chosen.get("date_to") and chosen["date_from"] > chosen["date_to"]:
        notes.append("Swapped the dates: 'from' was after 'to'.")
        chosen["date_from"], chosen["date_to"] = chosen["date_to"], chosen["date_from"]
    periods = query_values(params, PERIOD_PARAM)
    if periods:
        preset = periods[-1].strip().lower()
        if preset in PRESETS:
            chosen["period"] = preset
            chosen["date_from"], chosen["date_to"] = period_dates(preset, today or date.today())
        else:
            notes.append(f"Ignored {PERIOD_PARAM}={_shown(periods[-1])} (use {', '.join(PRESETS)}).")
    searches = query_values(params, SEARCH_PARAM)
    if searches:
        search = clean_search(searches[-1])
        if len(searches[-1]) > MAX_SEARCH:
            notes.append(f"Shortened the search text to {MAX_SEARCH} characters.")
        chosen["search"] = search
    for attribute, (name, meanings, usage) in SWITCH_PARAMS.items():
        given = query_values(params, name)
        if given:
            wanted = meanings.get(given[-1].strip().lower())
            if wanted is None:
                notes.append(f"Ignored {name}={_shown(given[-1])} (use {usage}).")
            else:
                chosen[attribute] = wanted
    unknown = sorted(set(params) - FILTER_PARAMS - PAGE_PARAM_NAMES)
    if unknown:
        notes.append("Ignored unknown parameter(s): " + ", ".join(_shown(name) for name in unknown[:5]) + ".")
    return Filters(**chosen), notes


def parse_bounded_number(
    value: str | None, default: float, low: float, high: float, name: str, integer: bool = False
) -> tuple[float, str | None]:
    """A number from a query value within [low, high]; the default and a note when it is not one.

    >>> parse_bounded_number("30", 7, 0, 365, "window", integer=True)
    (30, None)
    >>> parse_bounded_number("x", 7, 0, 365, "window", integer=True)[0]
    7
    """
    if value is None:
        return default, None
    try:
        number = float(value.strip())
        if integer:
            if number != int(number):
                raise ValueError(value)
            number = int(number)
    except (ValueError, OverflowError):
        return default, f"Ignored malformed {name}={_shown(value)}."
    if not low <= number <= high or number != number:
        return default, f"Ignored {name}={_shown(value)}: outside {low:g}–{high:g}."
    return number, None


def same_query(left: Mapping[str, Any], right: Mapping[str, Any], names: Iterable[str] = FILTER_PARAMS) -> bool:
    """Whether two query-param mappings agree on the filter parameters (list vs str tolerant)."""
    return all(query_values(left, name) == query_values(right, name) for name in names)


def apply_filters(records: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The records that pass every filter (a view; callers must not modify it)."""
    positions = filtered_positions(records, filters)
    return records if positions is None else records.take(positions)


def headline_figures(records: pd.DataFrame) -> np.ndarray:
    """Which records the default view shows, as a boolean array.

    - a document's headline (headline true): the figure an analyst would cite as its total;
    - a total (not a part) of a kind for which its document names no headline: a projection or a
      rate (never headlines by definition), an IPC report that only projects, a total at another
      place than the document's own;
    - a record stored before identity was recorded (headline unknown): shown, not guessed.

    Left out: parts (children, a province, a single incident or day), also when a document gives
    only parts, and the figures a document gives beside its headline of the same kind (a title's
    figure restated in the body, an earlier running total). All of them are one click away: parts=1.
    """
    if records.empty:
        return np.zeros(0, dtype=bool)
    headline = records["headline"] if "headline" in records else pd.Series(pd.NA, index=records.index, dtype="boolean")
    headline = headline.astype("boolean")
    cited = headline.fillna(False).to_numpy(dtype=bool)
    unknown = headline.isna().to_numpy(dtype=bool)
    part = (
        (records["scope"] == "part").to_numpy(dtype=bool, na_value=False) if "scope" in records else np.zeros(len(records), bool)
    )
    group = np.zeros(len(records), dtype=np.int64)
    for name in HEADLINE_GROUP:  # one code per group, built column by column: a groupby on the text columns is slow
        if name in records:
            codes, values = pd.factorize(records[name], use_na_sentinel=False)
            group = pd.factorize(group * (len(values) + 1) + codes)[0]
    has_headline = np.bincount(group, weights=cited, minlength=group.max() + 1) > 0
    return cited | unknown | (~part & ~has_headline[group])


def filtered_positions(records: pd.DataFrame, filters: Filters, headlines: np.ndarray | None = None) -> np.ndarray | None:
    """The positions of the records that pass every filter, ascending; None when every record does
    because nothing is filtered (so that the frame is used as it is, not copied).

    `headlines` is headline_figures(records) when the caller has it already (the dashboard keeps
    it per store state)."""
    if records.empty or filters.keeps_all:
        return None
    mask = (
        np.ones(len(records), dtype=bool)
        if filters.parts
        else np.array(headline_figures(records) if headlines is None else headlines)
    )
    if filters.locations:
        mask &= location_mask(records, filters.locations)
    for attribute, column in (
        ("indicators", "indicator"),
        ("sources", "source"),
        ("measures", "measure"),
        ("statuses", "status"),
        ("languages", "lang"),
    ):
        values = getattr(filters, attribute)
        if values and column in records:
            mask &= values_mask(records[column], values)
    if filters.date_from is not None or filters.date_to is not None:
        dates = records["date"]
        if filters.date_from is not None:
            mask &= (dates >= pd.Timestamp(filters.date_from)).to_numpy()
        if filters.date_to is not None:
            mask &= (dates <= pd.Timestamp(filters.date_to)).to_numpy()
    if filters.reviewed_only:
        mask &= reviewed_mask(records).to_numpy(dtype=bool)
    if filters.search:  # last: the words are looked for only in the texts the other filters keep
        mask = search_mask(records["search_text"], filters.search, mask)
    return np.flatnonzero(mask)


def values_mask(column: pd.Series, values: tuple[str, ...]) -> np.ndarray:
    """column.isin(values) as an array; on a categorical column, by its codes (a million rows: no hashing per row)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        wanted = np.zeros(len(column.cat.categories) + 1, dtype=bool)  # the last: a missing value's code, -1
        wanted[:-1] = column.cat.categories.isin(values)
        return wanted[column.cat.codes.to_numpy()]
    return column.isin(values).to_numpy()


def restrict(filters: Filters, **changes: Any) -> Filters:
    """A copy with some fields changed (tuples for the multi-valued ones)."""
    names = {f.name for f in fields(Filters)}
    unknown = set(changes) - names
    if unknown:
        raise TypeError(f"unknown filter field(s): {sorted(unknown)}")
    return replace(filters, **changes)
