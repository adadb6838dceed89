"""Reviewed figures in the dashboard: corrections laid over the extracted values, what a chart says about
review, the audit trail as text, and help for adding a missed figure. Pure: no Streamlit.

The store keeps every extracted record as read; corrections live in its `reviews` table
(store.reviews). Before the dashboard prepares its records, `overlay_reviews` lays the
latest corrected values over the extracted ones and leaves rejected records out, so charts,
tables, tiles and exports show what the reviewers decided while the store keeps the original.

>>> import pandas as pd
>>> frame = pd.DataFrame({"record_id": ["a", "b", "c"], "value": [1.0, 2.0, 3.0],
...                       "review_status": ["corrected", "rejected", "unreviewed"], "extractor_version": ["0.1", "0.1", "manual:amina"]})
>>> shown = overlay_reviews(frame, {"a": {"value": 10.0}})
>>> shown[["record_id", "value", "corrected", "manual"]].to_dict("records")
[{'record_id': 'a', 'value': 10.0, 'corrected': True, 'manual': False}, {'record_id': 'c', 'value': 3.0, 'corrected': False, 'manual': True}]
>>> review_scope(False, shown), review_scope(True, shown)
('Includes 1 unreviewed figure', 'Reviewed figures only')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from dashboard.model.formatting import format_date, format_figure, format_number, indicator_label, is_missing
from store.review_rules import (
    CORRECTABLE_FIELDS,
    DERIVED_FIELDS,
    MANUAL_PREFIX,
    REVIEWED_STATUSES,
    normalize_changes,
)

ACTION_LABELS = {"accept": "Accepted", "reject": "Rejected", "correct": "Corrected", "add": "Added by hand", "note": "Note"}
STATUS_LABELS = {"unreviewed": "Not reviewed", "accepted": "Accepted", "corrected": "Corrected", "rejected": "Rejected"}
FIELD_LABELS = {
    "value": "value",
    "low": "lower bound",
    "high": "upper bound",
    "qualifier": "qualifier",
    "indicator": "indicator",
    "measure": "measure",
    "reference_date": "date",
    "location": "location",
    "location_iso3": "country code",
    "review_status": "status",
    "char_start": "start",
    "char_end": "end",
    "raw_value": "as written",
    "title": "title",  # a document's metadata (document_review_ui)
    "publisher": "publisher",
    "published": "publication date",
    "url": "address",
}
CONTEXT_CHARS = 50


def overlay_reviews(
    frame: pd.DataFrame, corrections: Mapping[str, Mapping[str, Any]], *, keep_rejected: bool = False
) -> pd.DataFrame:
    """The records as reviewed: corrected values instead of the extracted ones, rejected records left out
    (kept with keep_rejected, for the review page).

    Adds `corrected` (a correction was laid over the record) and `manual` (a person added it).
    The frame given is not changed.
    """
    shown = frame
    if "review_status" in shown.columns and not keep_rejected:
        rejected = (shown["review_status"] == "rejected").to_numpy(dtype=bool, na_value=False)
        if rejected.any():  # filtering copies every column: only when there is something to leave out
            shown = shown[~rejected]
    shown = shown.reset_index(drop=True)  # copy-on-write: columns set below leave the caller's frame as it was
    ids = shown["record_id"].astype(str) if "record_id" in shown.columns else pd.Series([], dtype=object)
    shown["corrected"] = ids.isin(list(corrections)).to_numpy(dtype=bool) if len(shown) else pd.Series([], dtype=bool)
    versions = shown["extractor_version"] if "extractor_version" in shown.columns else pd.Series([None] * len(shown))
    if pd.api.types.is_string_dtype(versions) and not pd.api.types.is_object_dtype(versions):
        shown["manual"] = versions.str.startswith(MANUAL_PREFIX).to_numpy(dtype=bool, na_value=False)
    else:  # object columns may hold non-text values
        shown["manual"] = [isinstance(v, str) and v.startswith(MANUAL_PREFIX) for v in versions]
    if not corrections or shown.empty:
        return shown
    positions = pd.Index(ids).get_indexer(list(corrections))
    for name in (*CORRECTABLE_FIELDS, *DERIVED_FIELDS):
        if name not in shown.columns:
            continue
        column = shown[name].astype(object).to_numpy(copy=True)
        touched = False
        for position, values in zip(positions, corrections.values(), strict=True):
            if position >= 0 and name in values:
                column[position] = values[name]
                touched = True
        if touched:
            shown[name] = pd.to_numeric(column, errors="coerce") if name in ("value", "low", "high") else column
    return shown


IMPLIED_BOUNDS = {
    "exact": ("value", "value"),
    "at_least": ("value", None),
    "more_than": ("value", None),
    "at_most": (None, "value"),
    "fewer_than": (None, "value"),
}
"""The bounds a qualifier's wording states (README, 'The record'); approx, range and vague keep the bounds typed."""


def with_implied_bounds(values: Mapping[str, Any]) -> dict[str, Any]:
    """A figure's values with the bounds its qualifier implies, so that correcting 'exact 40' to 45 moves both bounds.

    >>> with_implied_bounds({"value": 45.0, "low": 40.0, "high": 40.0, "qualifier": "exact"})
    {'value': 45.0, 'low': 45.0, 'high': 45.0, 'qualifier': 'exact'}
    >>> with_implied_bounds({"value": 45.0, "low": 40.0, "high": 50.0, "qualifier": "more_than"})
    {'value': 45.0, 'low': 45.0, 'high': None, 'qualifier': 'more_than'}
    """
    result = dict(values)
    implied = IMPLIED_BOUNDS.get(str(result.get("qualifier")))
    if implied is not None and result.get("value") is not None:
        result["low"], result["high"] = (result["value"] if bound else None for bound in implied)
    return result


def form_text(value: Any) -> str:
    """A stored number as the correction form shows it: '57575', '2.5', '' when open."""
    if is_missing(value):
        return ""
    number = float(value)
    return f"{number:.0f}" if number == int(number) else f"{number:g}"


def form_defaults(row: Mapping[str, Any]) -> dict[str, Any]:
    """What the correction form shows before the reviewer types anything."""
    day = row.get("reference_date")
    return {
        "value": form_text(row.get("value")),
        "low": form_text(row.get("low")),
        "high": form_text(row.get("high")),
        "qualifier": row.get("qualifier"),
        "indicator": row.get("indicator"),
        "measure": row.get("measure"),
        "reference_date": None if is_missing(day) else str(day)[:10],
        "location": "" if is_missing(row.get("location")) else str(row.get("location")),
    }


def form_changes(row: Mapping[str, Any], typed: Mapping[str, Any]) -> dict[str, Any]:
    """The fields the reviewer changed in the correction form, checked, with the bounds a changed value or
    qualifier implies; {} when nothing was changed (then a note alone is saved).

    Only changed fields count, and implied bounds only follow a changed value or qualifier: an
    untouched "at least 10,023" with an open lower bound is no correction to 10,023, so a note alone
    is saved as a note, never as a change nobody made.

    >>> row = {"value": 10023.0, "low": None, "high": None, "qualifier": "at_least", "indicator": "deaths",
    ...        "measure": "cumulative", "reference_date": "2023-11-06", "location": "Palestine"}
    >>> form_changes(row, {**form_defaults(row), "reference_date": __import__("datetime").date(2023, 11, 6)})
    {}
    >>> form_changes(row, {**form_defaults(row), "value": "10,100"})
    {'value': 10100.0, 'low': 10100.0, 'high': None}
    """
    defaults = form_defaults(row)
    edited = {}
    for name, value in typed.items():
        shown = value.isoformat() if hasattr(value, "isoformat") else value
        if isinstance(shown, str) and isinstance(defaults.get(name), str):
            if shown.strip() == defaults[name].strip():
                continue
        elif shown == defaults.get(name):
            continue
        edited[name] = value
    changes = normalize_changes(edited)
    if "value" in changes or "qualifier" in changes:

        def current(name: str) -> Any:
            return changes[name] if name in changes else (None if is_missing(row.get(name)) else row.get(name))

        figure = with_implied_bounds({name: current(name) for name in ("value", "low", "high", "qualifier")})
        changes["low"], changes["high"] = figure["low"], figure["high"]
    return changes


def reviewed_mask(records: pd.DataFrame) -> pd.Series:
    """True for the records a person has accepted or corrected."""
    if "review_status" not in records.columns:
        return pd.Series(False, index=records.index)
    statuses = records["review_status"]
    if isinstance(statuses.dtype, pd.StringDtype):  # Arrow compares the text; astype(object) made a Python string per row
        reviewed = statuses.isin(list(REVIEWED_STATUSES)).to_numpy(dtype=bool, na_value=False)
        return pd.Series(reviewed, index=records.index, name=statuses.name)
    return statuses.astype(object).isin(REVIEWED_STATUSES)


def review_scope(reviewed_only: bool, records: pd.DataFrame) -> str:
    """What a chart, table or file says about review: 'Reviewed figures only', 'All figures reviewed'
    or 'Includes N unreviewed figures'."""
    if reviewed_only:
        return "Reviewed figures only"
    unreviewed = int((~reviewed_mask(records)).sum())
    if unreviewed == 0:
        return "All figures reviewed" if len(records) else "No figures"
    return f"Includes {unreviewed:,} unreviewed figure{'s' if unreviewed != 1 else ''}"


def status_label(status: Any, corrected: bool = False, manual: bool = False) -> str:
    """'Accepted', 'Accepted (corrected)', 'Not reviewed', 'Added by hand · Not reviewed'.

    A figure added by hand says so and still says its status: it counts as unreviewed until a
    second reviewer accepts it, so "Added by hand" alone read as if it had been checked.

    >>> status_label("unreviewed", manual=True), status_label("accepted", corrected=True)
    ('Added by hand · Not reviewed', 'Accepted (corrected)')
    """
    label = STATUS_LABELS.get(str(status), str(status))
    if corrected and status != "corrected":
        label += " (corrected)"
    return f"Added by hand · {label}" if manual else label


def added_by_hand(version: Any) -> str | None:
    """'Added by hand by amina, not read by the extractor' for extractor_version 'manual:amina'; None for an extracted figure."""
    manual = isinstance(version, str) and version.startswith(MANUAL_PREFIX)
    return (
        f"Added by hand by {version.removeprefix(MANUAL_PREFIX) or 'a reviewer'}, not read by the extractor" if manual else None
    )


def figure_name(row: Any) -> str:
    """A figure as a reviewer names it: 'at least 40 · Deaths · Sudan · as of 3 May 2025' (plain text).

    >>> figure_name({"value": 40.0, "qualifier": "exact", "indicator": "deaths", "location": "Sudan", "reference_date": "2025-05-03"})
    '40 · Deaths · Sudan · as of 3 May 2025'
    """
    get = row.get if hasattr(row, "get") else lambda name, default=None: getattr(row, name, default)
    figure = format_figure(get("value"), str(get("qualifier") or "exact"), get("low"), get("high"), get("raw_value"), get("unit"))
    location = get("location")
    day = get("reference_date")
    parts = [figure, indicator_label(str(get("indicator") or "")), "no location" if is_missing(location) else str(location)]
    return " · ".join([*parts, f"as of {format_date(day)}"] if not is_missing(day) else parts)


def _shown_value(name: str, value: Any) -> str:
    if is_missing(value):
        return "open" if name in ("low", "high") else "none"
    if name in ("value", "low", "high"):
        return format_number(value)
    if name in ("reference_date", "published"):
        return format_date(value)
    if name == "indicator":
        return indicator_label(str(value))
    if name == "review_status":
        return STATUS_LABELS.get(str(value), str(value))
    return str(value)


def change_text(old_values: Mapping[str, Any] | None, new_values: Mapping[str, Any] | None) -> str:
    """'value: 12,000 → 12,500; date: 3 May 2025 → 4 May 2025' (plain text: escape it before HTML or Markdown).

    >>> change_text({"value": 12000.0}, {"value": 12500.0})
    'value: 12,000 → 12,500'
    """
    old_values, new_values = dict(old_values or {}), dict(new_values or {})
    parts = []
    for name in [*new_values, *(n for n in old_values if n not in new_values)]:
        if name in DERIVED_FIELDS:
            continue
        label = FIELD_LABELS.get(name, name)
        if name in old_values:
            parts.append(f"{label}: {_shown_value(name, old_values.get(name))} → {_shown_value(name, new_values.get(name))}")
        else:
            parts.append(f"{label}: {_shown_value(name, new_values.get(name))}")
    return "; ".join(parts)


def history_table(history: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """The audit trail as a table: when, who, action, changes, note (newest first)."""
    rows = [
        {
            "when (UTC)": str(entry.get("reviewed_at") or "")[:19].replace("T", " "),
            "reviewer": str(entry.get("reviewer") or ""),
            "action": ACTION_LABELS.get(str(entry.get("action")), str(entry.get("action"))),
            "changes": change_text(entry.get("old_values"), entry.get("new_values")),
            "note": str(entry.get("note") or ""),
        }
        for entry in history
    ]
    return pd.DataFrame(rows[::-1], columns=["when (UTC)", "reviewer", "action", "changes", "note"])


def find_occurrences(text: str, words: str, limit: int = 20) -> list[tuple[int, int]]:
    """Where `words` stand in the text (case-sensitive, as written), at most `limit` places.

    >>> find_occurrences("12 fled; then 12 more", "12")
    [(0, 2), (14, 16)]
    """
    words = str(words or "").strip()
    found: list[tuple[int, int]] = []
    if not words:
        return found
    start = text.find(words)
    while start >= 0 and len(found) < limit:
        found.append((start, start + len(words)))
        start = text.find(words, start + 1)
    return found


def context_text(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """'… the camp now shelters [3,000] people …' (plain text)."""
    before = " ".join(text[max(0, start - width) : start].split())
    after = " ".join(text[end : end + width].split())
    return f"{'…' if start > width else ''}{before} [{text[start:end]}] {after}{'…' if end + width < len(text) else ''}".strip()


def suggest_figure(text: str, start: int, end: int) -> dict[str, Any]:
    """Value, bounds and qualifier read from a selected figure ('1,200', 'dozens', '30-40'), to prefill the form."""
    from extractors.numbers import find_numbers

    for number in find_numbers(text, max(0, start), min(len(text), end)):
        if number.kind == "vague":
            return {"value": number.value, "low": number.low, "high": number.high, "qualifier": "vague"}
        if number.kind == "range":
            return {"value": number.value, "low": number.low, "high": number.high, "qualifier": "range"}
        return {"value": number.value, "low": number.value, "high": number.value, "qualifier": "exact"}
    return {"value": None, "low": None, "high": None, "qualifier": "exact"}


def most_common(values: Iterable[Any], default: Any = None) -> Any:
    """The most frequent non-missing value (first seen on ties), else `default`."""
    counts: dict[Any, int] = {}
    for value in values:
        if not is_missing(value):
            counts[value] = counts.get(value, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else default


def again_text(status: str, similarity: float | None, filled: tuple[str, ...]) -> str:
    """What the reviewer is told when the document was in the store already.

    >>> again_text("unchanged", 0.93, ("title", "url"))
    ' It is the same document as one in the store (93% the same words, another copy or format): its figures are not counted again. Its title and address were filled in from this copy.'
    """
    if status != "unchanged":
        return ""
    if similarity is None or similarity >= 1:
        text = " It was in the store already: its figures are not counted again."
    else:
        text = (
            f" It is the same document as one in the store ({similarity:.0%} the same words, another copy or format): "
            "its figures are not counted again."
        )
    if filled:
        names = [FIELD_LABELS.get(name, name) for name in filled]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        text += f" Its {listed} {'was' if len(names) == 1 else 'were'} filled in from this copy."
    return text


__all__ = [
    "REVIEWED_STATUSES",
    "added_by_hand",
    "again_text",
    "change_text",
    "context_text",
    "figure_name",
    "find_occurrences",
    "form_changes",
    "form_defaults",
    "form_text",
    "history_table",
    "most_common",
    "overlay_reviews",
    "review_scope",
    "reviewed_mask",
    "status_label",
    "suggest_figure",
]
