"""Periods as analysts name them (last 7, 30, 90 days, this year, all), and how old the data is. Pure.

A preset lives in the URL as ``period=30d``, not as the dates it means today, so that a shared
link to "the last 30 days" still means the last 30 days tomorrow. Every function takes `today`,
so that tests can fix it; the dashboard passes today_of(os.environ) (HID_TODAY, else the clock).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

from dashboard.model.formatting import format_date, parse_iso_date

PERIOD_PARAM = "period"
PRESETS: dict[str, str] = {
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "year": "This year",
    "all": "All dates",
}
"""The presets, by their URL value, as the filters' summary says them."""
SHORT_LABELS: dict[str, str] = {"7d": "7 days", "30d": "30 days", "90d": "90 days", "year": "This year", "all": "All"}
"""The sidebar's buttons (the Period control's label says "last")."""
_DAYS = re.compile(r"(?P<days>\d{1,3})d")
TODAY_ENV = "HID_TODAY"
"""An ISO date standing in for today (tests, screenshots, a replayed view)."""
EARLIEST_DAY = date(1990, 1, 1)
"""The earliest day the date boxes offer: any day from then up to today may be asked for."""


def today_of(environ: Mapping[str, str]) -> date:
    """HID_TODAY when it holds an ISO date, else the clock's today."""
    given = parse_iso_date(environ.get(TODAY_ENV, "").strip()) if environ.get(TODAY_ENV) else None
    return given or date.today()


def period_dates(preset: str, today: date) -> tuple[date | None, date | None]:
    """The first and last day of a preset: ("30d", 6 Dec) -> (7 Nov, 6 Dec); "all" -> (None, None).

    "Last N days" counts today as one of them.
    """
    if preset == "all":
        return None, None
    if preset == "year":
        return date(today.year, 1, 1), today
    match = _DAYS.fullmatch(preset)
    if match is None or preset not in PRESETS:
        raise ValueError(f"unknown period {preset!r}; use one of {', '.join(PRESETS)}")
    return today - timedelta(days=int(match["days"]) - 1), today


def days_ago(day: date, today: date) -> str:
    """'today', 'yesterday', '371 days ago', or 'in 3 days' for a date after today."""
    delta = (today - day).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    return f"{delta:,} days ago" if delta > 0 else f"in {-delta:,} days"


def latest_figure_text(last: date | None, today: date) -> str:
    """The page head's age of the data: 'Latest figure: 30 November 2025, 371 days ago'."""
    if last is None:
        return "No dated figures yet"
    return f"Latest figure: {format_date(last)}, {days_ago(last, today)}"


def empty_period_text(date_from: date | None, date_to: date | None) -> str:
    """What an empty period says: 'No figures between 1 November 2026 and 6 December 2026.'"""
    if date_from and date_to:
        return f"No figures between {format_date(date_from)} and {format_date(date_to)}."
    if date_from:
        return f"No figures since {format_date(date_from)}."
    if date_to:
        return f"No figures up to {format_date(date_to)}."
    return "No figures."
