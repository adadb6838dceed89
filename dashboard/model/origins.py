"""Who counted a figure, and who relayed it. Pure: no Streamlit.

A figure's `originator` (Gaza Ministry of Health, UN OCHA, IOM DTM...) counted it; its `source`
is the outlet that published it. Fourteen Gaza death tolls from twelve outlets are one ministry's
series, so charts and the Sources page group figures by originator. A figure whose originator is
not stated stays apart, under its outlet's name marked as such, never merged into someone's series.

One figure relayed by several outlets (the same originator, value, bounds and reference date, of
one kind) is one point, whose tooltip says who reported it ("reported by Al Jazeera, AP and 6 more")
and links to the reports.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from dashboard.model import kinds
from dashboard.model.formatting import escape_html
from dashboard.model.kinds import KIND_FIELDS

UNSTATED = " (source; originator not stated)"
NAMED_RELAYS = 2  # outlets named in a tooltip before "and N more"
MAX_LINKS = 3  # report links in a tooltip


def _text(value: object) -> str:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def series_label(originator: object, source: object) -> str:
    """The name a figure's series goes by: its originator, else its outlet marked as not stating one.

    >>> series_label("UN OCHA", "Al Jazeera")
    'UN OCHA'
    >>> series_label(None, "Al Jazeera")
    'Al Jazeera (source; originator not stated)'
    """
    named = _text(originator)
    return named if named else f"{_text(source) or 'unknown source'}{UNSTATED}"


def _column_text(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column as stripped text, missing values (and a missing column: old stores) as ''."""
    if name not in frame:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[name].astype("string").fillna("").str.strip()


def series_labels(frame: pd.DataFrame) -> np.ndarray:
    """series_label of every row, as an object array: one call per distinct (originator, source) pair,
    found from the columns' codes, so that no text is made per row."""
    codes, labels = series_label_codes(frame)
    return np.array(labels, dtype=object)[codes] if len(frame) else np.array([], dtype=object)


def _combinations(frame: pd.DataFrame, names: Sequence[str]) -> tuple[np.ndarray, list[tuple[object, ...]]]:
    """Each row's values in the columns as one code, and each code's values (a missing value or column as None).

    Found from the columns' codes (categories, an Arrow dictionary): Python objects are made for each
    distinct combination, not for each row."""
    combined = np.zeros(len(frame), dtype=np.int64)
    combinations: list[tuple[object, ...]] = [()]
    for name in names:
        column = frame[name] if name in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)
        codes, values = pd.factorize(column, use_na_sentinel=True)  # a missing value: code -1, then len(values)
        values = [*values.tolist(), None]
        # Numbered afresh at each column: the codes stay below the number of rows, however many columns.
        combined, found = pd.factorize(combined * len(values) + np.where(codes < 0, len(values) - 1, codes))
        combinations = [(*combinations[code // len(values)], values[code % len(values)]) for code in found.tolist()]
    return combined, combinations


def series_label_codes(frame: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """series_labels as one integer per row and the labels: two rows have the same code when they have the same label."""
    pair_codes, pairs = _combinations(frame, ("originator", "source"))
    # Pairs that share a label (an originator relayed by two outlets) share a code.
    label_codes, labels = pd.factorize(np.array([series_label(*pair) for pair in pairs], dtype=object))
    return label_codes[pair_codes], labels.tolist()


def kind_keys(frame: pd.DataFrame) -> np.ndarray:
    """Each row's kind, 'indicator|outcome|measure|status|scope' (a missing field as '')."""
    codes, combinations = _combinations(frame, KIND_FIELDS)
    keys = np.array(["|".join(_text(value) for value in values) for values in combinations], dtype=object)
    return keys[codes] if len(frame) else np.array([], dtype=object)


def kind_label(key: str) -> str:
    """A kind_keys key in the Overview's plain words (dashboard.model.kinds.kind_label).

    >>> kind_label("deaths|killed|period|reported|total")
    'killed, over a period'
    """
    fields = ([*key.split("|"), "", "", "", "", ""])[: len(KIND_FIELDS)]
    return kinds.kind_label(kinds.Kind(*(field or None for field in fields)))


def reported_by(outlets: Sequence[str], named: int = NAMED_RELAYS) -> str:
    """'reported by A', 'reported by A and B', 'reported by A, B and 6 more' (outlets in the order given, once each).

    >>> reported_by(["Al Jazeera", "AP", "Reuters", "AFP"])
    'reported by Al Jazeera, AP and 2 more'
    """
    unique = list(dict.fromkeys(name for name in outlets if name))
    if not unique:
        return ""
    if len(unique) <= named + 1:
        body = unique[0] if len(unique) == 1 else f"{', '.join(unique[:-1])} and {unique[-1]}"
    else:
        body = f"{', '.join(unique[:named])} and {len(unique) - named:,} more"
    return f"reported by {body}"


def safe_url(value: object) -> str | None:
    """An http(s) address with a host, else None: a tooltip links to nothing else (javascript:, data:...)."""
    text = _text(value)
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def relay_html(outlets: Sequence[str], urls: Sequence[object], counted_by: str | None) -> str:
    """The tooltip lines on who counted a figure, who reported it and where: Plotly hover HTML, escaped.

    Plotly renders <a href> in hover text; only http(s) links are kept.
    """
    try:
        return _relay_html(tuple(outlets), tuple(urls), counted_by)
    except TypeError:  # an unhashable value: no memory of it
        return _relay_html.__wrapped__(tuple(outlets), tuple(urls), counted_by)


@functools.lru_cache(maxsize=16384)
def _relay_html(outlets: tuple[str, ...], urls: tuple[object, ...], counted_by: str | None) -> str:
    """relay_html, remembered: a chart drawn again after a filter change has the same points."""
    links = list(dict.fromkeys(link for link in (_report_link(_text(value)) for value in urls) if link))
    lines = [_relay_heading(outlets, counted_by), *links[:MAX_LINKS]]
    if len(links) > MAX_LINKS:
        lines.append(f"and {len(links) - MAX_LINKS:,} more reports")
    return "<br>".join(lines)


@functools.lru_cache(maxsize=4096)
def _relay_heading(outlets: tuple[str, ...], counted_by: str | None) -> str:
    """The lines on who counted a figure and who reported it: few originators and outlets, many figures."""
    lines = [f"Counted by: {escape_html(counted_by)}" if counted_by else "Counted by: not stated"]
    relayed = reported_by(outlets)
    if relayed:
        lines.append(escape_html(relayed[0].upper() + relayed[1:]))
    return "<br>".join(lines)


@functools.lru_cache(maxsize=16384)
def _report_link(address: str) -> str:
    """The tooltip's link to one report ('' unless safe_url keeps the address): one report's outlets share it."""
    url = safe_url(address)
    if url is None:
        return ""
    return f'<a href="{escape_html(url)}" target="_blank">Report: {escape_html(urlsplit(url).netloc)}</a>'


@dataclass(frozen=True)
class Relays:
    """Rows grouped into distinct figures: `first` the row standing for each (in row order), `members` its rows."""

    first: np.ndarray
    members: list[list[int]]


def relay_groups(
    labels: np.ndarray, kinds: np.ndarray, days: Sequence[object], value: np.ndarray, low: np.ndarray, high: np.ndarray
) -> Relays:
    """Group rows that are one figure: the same series, kind, day, value and bounds. Missing bounds match each other."""
    groups: dict[tuple, list[int]] = {}
    for row, key in enumerate(
        zip(labels.tolist(), kinds.tolist(), list(days), _keys(value), _keys(low), _keys(high), strict=True)
    ):
        groups.setdefault(key, []).append(row)
    members = sorted(groups.values(), key=lambda rows: rows[0])
    return Relays(np.array([rows[0] for rows in members], dtype=np.int64), members)


def _keys(values: np.ndarray) -> list[object]:
    return [None if value != value else float(value) for value in np.asarray(values, dtype=float).tolist()]


def is_stated(label: str) -> bool:
    """Whether a series label names an originator (not an outlet standing in for one)."""
    return not label.endswith(UNSTATED)
