"""Daily and weekly changes derived from a cumulative series. Pure: no Streamlit.

As Tech for Palestine derives daily kills from the Gaza ministry's cumulative toll, the change
between two successive figures of one series (one originator, one kind, one location) is a
derived figure, never a reported one, and is marked so. A cumulative toll that goes down is a
revision (of the count, or of a mistaken figure), never negative deaths: it is flagged and not
drawn as a count. Figures are not spread over missing days: a change over 9 days is shown as
such, with its average per day (or per week), not as nine invented daily figures.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard.model import origins
from dashboard.model.formatting import escape_html, format_date, format_number

PERIODS = {"daily": 1, "weekly": 7}
PER = {"daily": "day", "weekly": "week"}
DERIVED = "derived from cumulative figures"
COLUMNS = ("Who counted", "From", "To", "Days", "Change", "Per day", "Note")


@dataclass(frozen=True)
class Change:
    """The change of one cumulative series between two successive figures."""

    start: date
    end: date
    delta: float  # signed: later figure minus earlier
    approximate: bool = False  # an end is not an exact figure ("at least 10,022")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def revision(self) -> bool:
        """The cumulative figure went down: a correction, not negative deaths."""
        return self.delta < 0

    @property
    def count(self) -> float | None:
        """The change as a count of persons; None for a revision (it is no count)."""
        return None if self.revision else self.delta

    def per(self, period_days: int) -> float | None:
        """The count averaged over `period_days` (1: per day; 7: per week); None for a revision."""
        count = self.count
        return None if count is None or self.days <= 0 else count / self.days * period_days


def _bucket(day: date, period: str) -> date:
    return day - timedelta(days=day.weekday()) if period == "weekly" else day


def derived_changes(
    days: Sequence[date], values: Sequence[float], period: str = "daily", exact: Sequence[bool] | None = None
) -> list[Change]:
    """The changes of one cumulative series given in date order: per day (`daily`) or per week, Monday first
    (`weekly`), the last figure of each taken (the later report of a day, as the dashboard orders them)."""
    if period not in PERIODS:
        raise ValueError(f"Unknown period {period!r}: use one of {', '.join(PERIODS)}.")
    exact = [True] * len(values) if exact is None else list(exact)
    last: dict[date, tuple[date, float, bool]] = {}
    for day, value, is_exact in zip(days, values, exact, strict=True):
        if value == value:  # a missing value changes nothing
            last[_bucket(day, period)] = (day, float(value), bool(is_exact))
    points = [last[key] for key in sorted(last)]
    return [
        Change(before[0], after[0], after[1] - before[1], approximate=not (before[2] and after[2]))
        for before, after in itertools.pairwise(points)
    ]


def series_changes(records: pd.DataFrame, period: str = "daily") -> pd.DataFrame:
    """The derived changes of every cumulative running total among `records` (one indicator at one location):
    per originator and kind (outcome; totals, reported), each series' oldest first. Columns: series, kind, start, end, days,
    delta, count (NaN for a revision), per_period, revision, approximate."""
    rows: list[dict] = []
    dated = records.loc[records["date"].notna() & (records["measure"].astype(str) == "cumulative")]
    if "scope" in dated:
        dated = dated.loc[dated["scope"].astype(str) != "part"]
    if "status" in dated:
        dated = dated.loc[dated["status"].astype(str) != "projected"]
    if not dated.empty:
        dated = dated.sort_values("date", kind="stable")
        series, kinds = origins.series_labels(dated), origins.kind_keys(dated)
        days = [stamp.date() for stamp in dated["date"]]
        values = dated["value"].to_numpy(dtype=float)
        exact = (dated["qualifier"].astype(str) == "exact").to_numpy()
        for key in dict.fromkeys(zip(series.tolist(), kinds.tolist(), strict=True)):
            where = np.flatnonzero((series == key[0]) & (kinds == key[1]))
            picked = [days[row] for row in where]
            for change in derived_changes(picked, values[where].tolist(), period, exact[where].tolist()):
                rows.append(
                    {
                        "series": key[0],
                        "kind": key[1],
                        "start": change.start,
                        "end": change.end,
                        "days": change.days,
                        "delta": change.delta,
                        "count": np.nan if change.count is None else change.count,
                        "per_period": np.nan if change.revision else change.per(PERIODS[period]),
                        "revision": change.revision,
                        "approximate": change.approximate,
                    }
                )
    names = ("series", "kind", "start", "end", "days", "delta", "count", "per_period", "revision", "approximate")
    return pd.DataFrame(rows, columns=list(names))


def change_note(row: dict | pd.Series, period: str) -> str:
    """What a derived change is, in words (never a negative count)."""
    if row["revision"]:
        return f"Revision: the cumulative figure was lowered by {format_number(-row['delta'])} (not a count of persons)"
    note = "Derived" + (" from qualified figures (at least, about...): approximate" if row["approximate"] else "")
    return note + ("" if row["days"] == PERIODS[period] else f", over {row['days']:,} days")


def changes_table(changes: pd.DataFrame, period: str) -> pd.DataFrame:
    """The changes as the page shows them, newest first: revisions say so instead of a negative figure."""
    shown = changes.iloc[::-1]
    return pd.DataFrame(
        {
            "Who counted": shown["series"].astype(str).tolist(),
            "From": [format_date(day) for day in shown["start"]],
            "To": [format_date(day) for day in shown["end"]],
            "Days": shown["days"].astype(int).tolist(),
            "Change": [
                "revision" if r else f"+{format_number(c)}" for r, c in zip(shown["revision"], shown["count"], strict=True)
            ],
            "Per day": [
                "" if r else format_number(c / max(d, 1))
                for r, c, d in zip(shown["revision"], shown["count"], shown["days"], strict=True)
            ],
            "Note": [change_note(row, period) for row in shown.to_dict("records")],
        },
        columns=list(COLUMNS),
    )


def change_tooltip(row: dict, period: str) -> str:
    """A derived change's hover text, escaped: who counted, the span, the change and that it is derived."""
    span = f"{format_date(row['start'])} – {format_date(row['end'])} ({row['days']:,} days)"
    head = (
        f"<b>Revision</b> of the cumulative figure: lowered by {format_number(-row['delta'])}"
        if row["revision"]
        else f"<b>+{format_number(row['count'])}</b>"
        + ("" if row["days"] == PERIODS[period] else f", about {format_number(row['per_period'])} a {PER[period]}")
    )
    return "<br>".join(
        [
            head,
            escape_html(span),
            f"Counted by: {escape_html(row['series'])}",
            f"<i>{escape_html(change_note(row, period))}; {DERIVED}</i>",
        ]
    )
