"""The rules a review must follow: statuses, the fields a reviewer may correct, and their checks.

Every value a person types goes through here before it reaches the store: numbers of people are
finite and not negative, bounds hold the value, dates are ISO days, names are short plain text.
A refusal is a `ReviewRefused` whose message says what was wrong and what to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import extractors
from extractors.record import INDICATORS, MEASURES, QUALIFIERS

from .connect import StoreError

ACTIONS = ("accept", "reject", "correct", "add", "note")
STATUS_AFTER = {"accept": "accepted", "reject": "rejected", "correct": "corrected", "add": "unreviewed"}
"""A figure added by hand is unreviewed until another reviewer than its author accepts or corrects it;
a note ("note") leaves the status as it was."""
STATUSES = ("unreviewed", "accepted", "corrected", "rejected")
REVIEWED_STATUSES = ("accepted", "corrected")
"""A person checked the figure (and kept it); rejected figures are left out of charts and exports."""
CORRECTABLE_FIELDS = ("value", "low", "high", "qualifier", "indicator", "measure", "reference_date", "location")
DERIVED_FIELDS = ("location_iso3",)  # follows `location`
MANUAL_PREFIX = "manual:"
MAX_NAME = 100
MAX_NOTE = 1000
MAX_LOCATION = 100
MAX_FIGURE = 1e10  # no count of people is larger
MAX_SPAN = 80  # a selected figure is a few words, not a paragraph
OUTCOME_OF = {"deaths": "killed", "injured": "injured", "displaced": "displaced"}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PLACES = Path(extractors.__file__).resolve().parent / "data" / "en" / "places.toml"  # the extractors' gazetteer


class ReviewRefused(StoreError, ValueError):
    """A review that cannot be stored as asked (bad value, empty span, nothing changed); the message says why."""


class UnknownRecord(ReviewRefused, LookupError):
    """No current record (or document) with that id."""


@cache
def _countries() -> dict[str, tuple[str, str]]:
    """Country name or ISO3 code (case-folded) -> (name, ISO3), from the extractor's places vocabulary."""
    with _PLACES.open("rb") as handle:
        places = tomllib.load(handle)
    found: dict[str, tuple[str, str]] = {}
    for code, entry in places.items():
        iso3 = str(entry.get("iso3", code))
        name = str(entry.get("name", code))
        found[name.casefold()] = (name, iso3)
        if iso3:
            found[iso3.casefold()] = (name, iso3)
    return found


def resolve_location(value: Any) -> tuple[str | None, str | None]:
    """(location, location_iso3) for a reviewer's location: a known country name or ISO3 code is
    written the store's way; any other place is kept as typed, without a code.

    >>> resolve_location("pse"), resolve_location("Sudan"), resolve_location(" "), resolve_location("Atlantis")
    (('Palestine', 'PSE'), ('Sudan', 'SDN'), (None, None), ('Atlantis', None))
    """
    text = clean_text(value, "location", MAX_LOCATION)
    if text is None:
        return None, None
    name, iso3 = _countries().get(text.casefold(), (text, ""))
    return name, iso3 or None


def clean_text(value: Any, what: str, limit: int) -> str | None:
    """A short text field: control characters refused, spaces collapsed, at most `limit` long; None when empty."""
    if value is None:
        return None
    text = str(value)
    if _CONTROL.sub("", text.replace("\n", " ").replace("\t", " ")) != text.replace("\n", " ").replace("\t", " "):
        raise ReviewRefused(f"The {what} contains control characters; type it again as plain text.")
    text = " ".join(text.split())
    if len(text) > limit:
        raise ReviewRefused(f"The {what} is {len(text)} characters long; keep it under {limit}.")
    return text or None


def _number(value: Any, what: str, *, required: bool) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ReviewRefused(f"The {what} is missing; give a number of people, e.g. 1200.")
        return None
    try:
        number = float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ReviewRefused(f"The {what} {str(value)[:40]!r} is not a number; write it in digits, e.g. 1200.") from None
    if math.isnan(number) and not required:
        return None
    if not math.isfinite(number) or number < 0 or number > MAX_FIGURE:
        raise ReviewRefused(f"The {what} must be a number of people between 0 and {MAX_FIGURE:,.0f}, not {value!r}.")
    return number


MAX_URL = 2000
_URL_UNSAFE = re.compile(r"[\s\"'<>`\\{}|^\x00-\x1f\x7f]")


def web_address(value: Any) -> str | None:
    """A document's address as a reviewer typed it: an http(s) URL with a host, no credentials, no
    spaces, quotes or angle brackets (it is shown as a link); None when empty. Never fetched here.

    >>> web_address(" https://reliefweb.int/report/x "), web_address("")
    ('https://reliefweb.int/report/x', None)
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    shown = text[:80]
    if len(text) > MAX_URL:
        raise ReviewRefused(f"The address is {len(text)} characters long; keep it under {MAX_URL}.")
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https"):
        raise ReviewRefused(f"{shown!r} is not a web address; give one starting with https:// (or http://).")
    if _URL_UNSAFE.search(text) or not host:
        raise ReviewRefused(f"{shown!r} is not a valid web address (no spaces, quotes or angle brackets; a host name is needed).")
    if parts.username is not None or parts.password is not None:
        raise ReviewRefused("Give the address without a user name or password in it (nothing before an @).")
    return text


def iso_day(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    text = str(value).strip()
    try:
        if not _ISO_DAY.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ReviewRefused(f"The date {text[:40]!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-05-25.") from None


def normalize_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """A correction's fields, checked one by one and written the store's way (numbers as floats, ISO dates).

    >>> normalize_changes({"value": "1,200", "reference_date": "2025-05-25", "location": "sdn"})
    {'value': 1200.0, 'reference_date': '2025-05-25', 'location': 'Sudan', 'location_iso3': 'SDN'}
    """
    changes = {name: value for name, value in changes.items() if name not in DERIVED_FIELDS}  # recomputed from location
    unknown = sorted(set(changes) - set(CORRECTABLE_FIELDS))
    if unknown:
        raise ReviewRefused(
            f"Cannot correct {', '.join(map(repr, unknown))}: only {', '.join(CORRECTABLE_FIELDS)} can be corrected."
        )
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "value":
            clean[name] = _number(value, "value", required=True)
        elif name in ("low", "high"):
            clean[name] = _number(value, f"{'lower' if name == 'low' else 'upper'} bound", required=False)
        elif name == "qualifier":
            if value not in QUALIFIERS:
                raise ReviewRefused(f"Unknown qualifier {str(value)[:40]!r}: use one of {', '.join(QUALIFIERS)}.")
            clean[name] = value
        elif name == "indicator":
            if value not in INDICATORS:
                raise ReviewRefused(f"Unknown indicator {str(value)[:40]!r}: use one of {', '.join(INDICATORS)}.")
            clean[name] = value
        elif name == "measure":
            if value not in MEASURES:
                raise ReviewRefused(f"Unknown measure {str(value)[:40]!r}: use one of {', '.join(MEASURES)}.")
            clean[name] = value
        elif name == "reference_date":
            clean[name] = iso_day(value)
        elif name == "location":
            clean["location"], clean["location_iso3"] = resolve_location(value)
    return clean


def check_figure(values: Mapping[str, Any]) -> None:
    """The bounds must hold the value: low <= value <= high where they are stated."""
    value, low, high = values.get("value"), values.get("low"), values.get("high")
    if low is not None and high is not None and low > high:
        raise ReviewRefused(f"The lower bound {low:,.0f} is above the upper bound {high:,.0f}; swap or clear them.")
    if value is not None and low is not None and value < low:
        raise ReviewRefused(f"The value {value:,.0f} is below its lower bound {low:,.0f}; fix one of them.")
    if value is not None and high is not None and value > high:
        raise ReviewRefused(f"The value {value:,.0f} is above its upper bound {high:,.0f}; fix one of them.")


def manual_record_id(doc_id: str, start: int, end: int, indicator: str) -> str:
    """The id of a figure a person added: like the extractor's, but from another key, so the two never collide."""
    return hashlib.sha256(f"{MANUAL_PREFIX}{doc_id}:{start}:{end}:{indicator}".encode()).hexdigest()[:20]


def page_of(page_map: list[int] | None, offset: int) -> int | None:
    if not page_map:
        return None
    return max(1, sum(1 for start in page_map if start <= offset))


def is_manual(extractor_version: Any) -> bool:
    """Whether a record was added by a person (extractor_version 'manual:<reviewer>')."""
    return isinstance(extractor_version, str) and extractor_version.startswith(MANUAL_PREFIX)
