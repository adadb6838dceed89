"""The kind of a figure, and its name in plain words. Pure: no Streamlit.

Figures are compared, charted as one line or subtracted ("+140") only within one kind:
the same indicator, outcome, measure, status and scope. Aid workers killed are not aid
workers kidnapped; a displaced stock at a date is not a week's flow; a projection is not
a count; a subgroup is not the toll.

>>> kind_label(Kind("displaced", "displaced", "snapshot", "reported", "total"))
'displaced, stock at a date'
>>> kind_label(Kind("famine_exposure", None, "snapshot", "projected", "total"), "2025-09-30")
'facing famine, projected to Sep 2025'
"""

from __future__ import annotations

from typing import Any, NamedTuple

from dashboard.model.formatting import is_missing, parse_iso_date

KIND_FIELDS = ("indicator", "outcome", "measure", "status", "scope")
OUTCOME_WORDS = {
    "killed": "killed",
    "injured": "injured",
    "kidnapped": "kidnapped",
    "detained": "detained",
    "displaced": "displaced",
    "evacuated": "evacuated",
    "sheltering": "sheltering",
    "refugees": "refugees (crossed a border)",
    "homeless": "left homeless",
}
INDICATOR_WORDS = {
    "deaths": "killed",
    "injured": "injured",
    "displaced": "displaced",
    "famine_exposure": "facing famine",
    "food_insecurity": "in acute food insecurity",
    "aid_worker_casualties": "aid-worker casualties (outcome not stated)",
}
"""The words for a figure without an outcome (hunger figures have none; records stored before outcomes)."""
STOCK_INDICATORS = frozenset({"displaced"})
"""Indicators whose figure at a date is a stock of people (as opposed to a flow over a period)."""
MEASURE_WORDS = {
    "cumulative": "",  # the running total is what a bare "killed" means
    "period": "over a period",
    "rate": "per day",
    "snapshot": "at a date",
}
MEASURE_ORDER = {"cumulative": 0, "snapshot": 1, "period": 2, "rate": 3}
PART_WORDS = "a part (subgroup, sub-area or single incident)"
UNRECORDED = "identity not recorded"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Kind(NamedTuple):
    """What a figure counts; None where a record does not say (records stored before identity)."""

    indicator: str | None
    outcome: str | None
    measure: str | None
    status: str | None
    scope: str | None

    @property
    def rank(self) -> tuple[int, int, int]:
        """Totals before parts, reported figures before projections (the unrecorded last), running
        totals and stocks before flows and rates."""
        return (
            {"total": 0, "part": 1}.get(self.scope or "", 2),
            {"reported": 0, "projected": 1}.get(self.status or "", 2),
            MEASURE_ORDER.get(self.measure or "", len(MEASURE_ORDER)),
        )


def kind_value(value: Any) -> str | None:
    """A kind's field as text; None where the record does not say (missing or empty)."""
    return None if is_missing(value) or str(value) == "" else str(value)


def kind_of(record: Any) -> Kind:
    """The kind of a record (a mapping, a Series or a namedtuple)."""
    get = record.get if hasattr(record, "get") else lambda name, default=None: getattr(record, name, default)
    return Kind(*(kind_value(get(name)) for name in KIND_FIELDS))


def kind_label(kind: Kind, reference_date: Any = None) -> str:
    """A kind in plain words: 'killed', 'displaced, over a period', 'facing famine, projected to Sep 2025'.

    The indicator itself is left out where it is said elsewhere (the Overview's heading), except
    through the outcome's word. `reference_date` is a projection's horizon ('projected to Sep 2025').
    """
    words = [OUTCOME_WORDS.get(kind.outcome or "", kind.outcome or "") or INDICATOR_WORDS.get(kind.indicator or "", "")]
    if not words[0]:
        words[0] = str(kind.indicator or "figures").replace("_", " ")
    projected = kind.status == "projected"
    if kind.measure == "snapshot" and kind.indicator in STOCK_INDICATORS:
        words.append("stock at a date")
    elif not (projected and kind.measure == "snapshot"):  # a projection is to a date already
        words.append(MEASURE_WORDS.get(kind.measure or "", kind.measure or ""))
    if projected:
        day = parse_iso_date(reference_date)
        words.append(f"projected to {_MONTHS[day.month - 1]} {day.year}" if day else "projected")
    if kind.scope == "part":
        words.append(PART_WORDS)
    if kind.status is None and kind.scope is None:
        words.append(UNRECORDED)
    return ", ".join(word for word in words if word)
