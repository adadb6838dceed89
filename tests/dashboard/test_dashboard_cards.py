"""dashboard.model.kinds (a figure's kind in plain words) and dashboard.model.cards (the Overview's cards, one per location and kind)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.model import cards
from dashboard.model.data import prepare_records
from dashboard.model.kinds import Kind, kind_label, kind_of

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


@pytest.mark.parametrize(
    ("kind", "reference_date", "label"),
    [
        pytest.param(Kind("deaths", "killed", "cumulative", "reported", "total"), None, "killed", id="deaths-running-total"),
        pytest.param(
            Kind("aid_worker_casualties", "kidnapped", "period", "reported", "total"),
            None,
            "kidnapped, over a period",
            id="kidnapped",
        ),
        pytest.param(
            Kind("aid_worker_casualties", "killed", "period", "reported", "total"), None, "killed, over a period", id="aid-killed"
        ),
        pytest.param(
            Kind("displaced", "displaced", "snapshot", "reported", "total"),
            None,
            "displaced, stock at a date",
            id="displaced-stock",
        ),
        pytest.param(
            Kind("displaced", "displaced", "period", "reported", "total"), None, "displaced, over a period", id="displaced-flow"
        ),
        pytest.param(Kind("displaced", "evacuated", "cumulative", "reported", "total"), None, "evacuated", id="evacuated"),
        pytest.param(
            Kind("displaced", "homeless", "snapshot", "reported", "total"), None, "left homeless, stock at a date", id="homeless"
        ),
        pytest.param(
            Kind("displaced", "refugees", "cumulative", "reported", "total"), None, "refugees (crossed a border)", id="refugees"
        ),
        pytest.param(Kind("deaths", "killed", "rate", "reported", "total"), None, "killed, per day", id="rate"),
        pytest.param(
            Kind("famine_exposure", None, "snapshot", "projected", "total"),
            "2025-09-30",
            "facing famine, projected to Sep 2025",
            id="projection-with-horizon",
        ),
        pytest.param(
            Kind("famine_exposure", None, "snapshot", "projected", "total"),
            pd.Timestamp("2024-02-07"),
            "facing famine, projected to Feb 2024",
            id="projection-horizon-timestamp",
        ),
        pytest.param(
            Kind("famine_exposure", None, "snapshot", "projected", "total"),
            None,
            "facing famine, projected",
            id="projection-undated",
        ),
        pytest.param(
            Kind("displaced", "displaced", "cumulative", "projected", "total"),
            "2025-12-31",
            "displaced, projected to Dec 2025",
            id="projected-flow",
        ),
        pytest.param(
            Kind("famine_exposure", None, "snapshot", "reported", "total"), None, "facing famine, at a date", id="famine-now"
        ),
        pytest.param(
            Kind("food_insecurity", None, "snapshot", "reported", "total"), None, "in acute food insecurity, at a date", id="food"
        ),
        pytest.param(
            Kind("deaths", "killed", "cumulative", "reported", "part"),
            None,
            "killed, a part (subgroup, sub-area or single incident)",
            id="part",
        ),
        pytest.param(
            Kind("deaths", "killed", "cumulative", None, None), None, "killed, identity not recorded", id="stored-before-identity"
        ),
        pytest.param(Kind("deaths", None, "cumulative", "reported", "total"), None, "killed", id="no-outcome-uses-indicator"),
        pytest.param(Kind("new_thing", None, None, "reported", "total"), None, "new thing", id="unknown-indicator"),
    ],
)
def test_kind_label(kind, reference_date, label):
    assert kind_label(kind, reference_date) == label


@pytest.mark.parametrize(
    ("record", "kind"),
    [
        pytest.param(
            {"indicator": "deaths", "outcome": "killed", "measure": "cumulative", "status": "reported", "scope": "total"},
            Kind("deaths", "killed", "cumulative", "reported", "total"),
            id="complete",
        ),
        pytest.param(
            {"indicator": "famine_exposure", "outcome": float("nan"), "measure": "snapshot", "status": pd.NA, "scope": None},
            Kind("famine_exposure", None, "snapshot", None, None),
            id="missing-values-are-none",
        ),
        pytest.param(
            pd.Series({"indicator": "injured", "measure": "period"}), Kind("injured", None, "period", None, None), id="series"
        ),
    ],
)
def test_kind_of(record, kind):
    assert kind_of(record) == kind


BASE = {
    "location": "Palestine",
    "qualifier": "exact",
    "unit": "person",
    "quote": "q",
    "char_start": 0,
    "char_end": 1,
    "quote_start": 0,
    "published": None,
    "status": "reported",
    "scope": "total",
    "headline": True,
}


def _records(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame([{**BASE, **row} for row in rows])
    frame["record_id"] = [f"r{i}" for i in range(len(frame))]
    frame["doc"] = frame.get("doc", pd.Series([f"d{i}.txt" for i in range(len(frame))]))
    frame["raw_value"] = frame["value"].map(lambda v: f"{v:,.0f}")
    for column in ("low", "high"):
        if column not in frame:
            frame[column] = frame["value"]
    return prepare_records(frame).records


AID = {"indicator": "aid_worker_casualties", "location": "Worldwide", "source": "UN OCHA", "measure": "period"}
BUG_ROWS = [  # the bug: 125 aid workers kidnapped in 2024, 265 killed in 2025
    {**AID, "outcome": "kidnapped", "value": 125.0, "reference_date": "2024-12-31"},
    {**AID, "outcome": "killed", "value": 265.0, "reference_date": "2025-08-14"},
]


def test_killed_is_never_compared_with_kidnapped():
    made = cards.headline_cards(_records(BUG_ROWS))["aid_worker_casualties"]
    assert [(card.kind_text, card.figure) for card in made] == [
        ("kidnapped, over a period", "125"),
        ("killed, over a period", "265"),
    ]
    assert all(card.delta is None and card.change is None and card.trend == () for card in made)


def test_the_same_kind_still_gives_its_change():
    rows = [*BUG_ROWS, {**AID, "outcome": "killed", "value": 383.0, "reference_date": "2024-12-31"}]
    killed = next(card for card in cards.headline_cards(_records(rows))["aid_worker_casualties"] if card.kind.outcome == "killed")
    assert (killed.delta, killed.previous_date, killed.trend) == (265.0 - 383.0, "31 December 2024", (383.0, 265.0))


DISPLACED = {"indicator": "displaced", "outcome": "displaced", "source": "IOM"}


def test_a_stock_and_a_flow_at_one_location_get_a_card_each():
    rows = [
        {**DISPLACED, "measure": "snapshot", "value": 1_900_000.0, "reference_date": "2024-01-07"},
        {**DISPLACED, "measure": "snapshot", "value": 1_900_000.0, "reference_date": "2024-06-01"},
        {**DISPLACED, "measure": "period", "value": 160_000.0, "reference_date": "2025-03-25"},
        {**DISPLACED, "measure": "period", "value": 500_000.0, "reference_date": "2025-04-17"},
    ]
    made = cards.headline_cards(_records(rows))["displaced"]
    assert [(card.location, card.kind_text, card.figure) for card in made] == [
        ("Palestine", "displaced, stock at a date", "1,900,000"),
        ("Palestine", "displaced, over a period", "500,000"),
    ]
    stock, flow = made
    assert stock.trend == (1_900_000.0, 1_900_000.0) and stock.delta == 0.0
    assert flow.trend == (160_000.0, 500_000.0) and flow.delta == 340_000.0


def test_a_projection_is_labelled_and_kept_apart_from_counts():
    famine = {"indicator": "famine_exposure", "source": "IPC", "measure": "snapshot"}
    rows = [
        {**famine, "value": 500_000.0, "reference_date": "2025-08-15"},
        {**famine, "value": 641_000.0, "reference_date": "2025-09-30", "status": "projected", "headline": False},
    ]
    made = cards.headline_cards(_records(rows))["famine_exposure"]
    assert [(card.kind_text, card.figure, card.delta) for card in made] == [
        ("facing famine, at a date", "500,000", None),
        ("facing famine, projected to Sep 2025", "641,000", None),
    ]


def test_totals_come_before_parts_and_locations_by_records():
    rows = [
        {"indicator": "deaths", "outcome": "killed", "measure": "cumulative", "source": "A", "value": 10.0, "reference_date": "2024-01-01",
         "scope": "part", "headline": False},
        {"indicator": "deaths", "outcome": "killed", "measure": "cumulative", "source": "A", "value": 50.0, "reference_date": "2024-01-01"},
        {"indicator": "deaths", "outcome": "killed", "measure": "cumulative", "source": "A", "value": 7.0, "reference_date": "2024-01-02",
         "location": "Sudan"},
    ]  # fmt: skip
    made = cards.headline_cards(_records(rows))["deaths"]
    assert [(card.location, card.kind.scope) for card in made] == [
        ("Palestine", "total"),
        ("Palestine", "part"),
        ("Sudan", "total"),
    ]


def test_headline_card_latest_and_change_from_the_same_source():
    deaths = {"indicator": "deaths", "outcome": "killed", "measure": "cumulative"}
    rows = [
        {**deaths, "source": "A", "value": 100.0, "reference_date": "2024-01-01"},
        {**deaths, "source": "B", "value": 130.0, "reference_date": "2024-01-15"},
        {**deaths, "source": "A", "value": 150.0, "reference_date": "2024-02-01", "qualifier": "at_least", "high": None},
    ]
    (card,) = cards.headline_cards(_records(rows))["deaths"]
    assert (card.location, card.figure, card.source, card.date_text) == ("Palestine", "at least 150", "A", "1 February 2024")
    assert card.delta == 50.0 and card.previous_date == "1 January 2024"
    assert card.change == "+50 since 1 January 2024"
    assert card.trend == (100.0, 130.0, 150.0)


def test_headline_card_without_previous_figure():
    deaths = {"indicator": "deaths", "outcome": "killed", "measure": "cumulative"}
    rows = [
        {**deaths, "source": "A", "value": 100.0, "reference_date": "2024-01-01"},
        {**deaths, "source": "B", "value": 90.0, "reference_date": "2024-02-01"},
    ]
    (card,) = cards.headline_cards(_records(rows))["deaths"]
    assert card.source == "B" and card.delta is None and card.change is None


MOH = "Gaza Ministry of Health"


@pytest.mark.parametrize(
    ("earlier", "later", "delta"),
    [
        # The ministry's toll relayed by two outlets is one series: before, "no earlier figure from this source".
        pytest.param(
            {"source": "Al Jazeera", "originator": MOH},
            {"source": "AP", "originator": MOH},
            50.0,
            id="one-originator-two-outlets",
        ),
        pytest.param(
            {"source": "AP", "originator": "UN OCHA"}, {"source": "AP", "originator": MOH}, None, id="one-outlet-two-originators"
        ),
        pytest.param(
            {"source": "AP", "originator": None}, {"source": "AP", "originator": None}, 50.0, id="no-originator-same-outlet"
        ),
        pytest.param(
            {"source": "AP", "originator": None}, {"source": "DW", "originator": None}, None, id="no-originator-two-outlets"
        ),
        pytest.param(
            {"source": "AP", "originator": None}, {"source": "AP", "originator": MOH}, None, id="unstated-is-not-the-ministry"
        ),
    ],
)
def test_a_cards_change_is_the_same_originators(earlier, later, delta):
    deaths = {"indicator": "deaths", "outcome": "killed", "measure": "cumulative"}
    rows = [
        {**deaths, **earlier, "value": 100.0, "reference_date": "2024-01-01"},
        {**deaths, **later, "value": 150.0, "reference_date": "2024-02-01"},
    ]
    (card,) = cards.headline_cards(_records(rows))["deaths"]
    assert card.delta == delta
    assert (card.originator, card.source) == (later["originator"] or "", later["source"])


def test_a_location_gets_max_kinds_cards_and_names_the_others():
    rows = [
        {**DISPLACED, "measure": "snapshot", "value": 1_900_000.0, "reference_date": "2024-01-07"},
        {**DISPLACED, "measure": "period", "value": 160_000.0, "reference_date": "2025-03-25"},
        {**DISPLACED, "measure": "period", "value": 500_000.0, "reference_date": "2025-04-17"},
        {**DISPLACED, "outcome": "evacuated", "measure": "cumulative", "value": 9_000.0, "reference_date": "2025-04-17"},
    ]
    every = cards.headline_cards(_records(rows))["displaced"]
    two = cards.headline_cards(_records(rows), max_kinds=2)["displaced"]
    assert (
        [card.kind_text for card in two] == [card.kind_text for card in every][:2] == ["evacuated", "displaced, stock at a date"]
    )
    assert two[-1].other_kinds == ("displaced, over a period (2)",) and two[0].other_kinds == ()
    assert all(card.other_kinds == () for card in every)


def test_headline_cards_limit_locations(corpus_dataset):
    made = cards.headline_cards(corpus_dataset.records, max_locations=2)
    assert all(len({card.location for card in group}) <= 2 for group in made.values())
    assert set(made) == set(corpus_dataset.indicators)


def test_every_card_is_one_kind(corpus_dataset):
    records = corpus_dataset.records
    for group in cards.headline_cards(records, max_locations=20).values():
        keys = [(card.location, card.kind) for card in group]
        assert len(keys) == len(set(keys))
        for card in group:
            of_card = records[(records["location_label"] == card.location) & (records["indicator"] == card.indicator)]
            same_kind = [kind_of(row) == card.kind for row in of_card.to_dict("records")]
            assert card.records == int((of_card["date"].notna() & pd.Series(same_kind, index=of_card.index)).sum())


def test_no_dated_records_give_no_cards():
    rows = [
        {"indicator": "deaths", "outcome": "killed", "measure": "cumulative", "source": "A", "value": 1.0, "reference_date": None}
    ]
    assert cards.headline_cards(_records(rows)) == {}


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.one_of(st.floats(0, 1e7, allow_nan=False), st.just(float("nan")))),
        min_size=1,
        max_size=60,
    ),
    st.integers(1, 5),
)
def test_trend_medians_are_pandas_medians(points, count):
    dates = np.array([np.datetime64("2024-01-01") + np.timedelta64(day, "D") for day, _ in points])
    values = np.array([value for _, value in points])
    expected = pd.DataFrame({"date": dates, "value": values}).groupby("date")["value"].median().tail(count).tolist()
    got = cards._latest_medians(dates, values, count)
    assert np.allclose(got, expected, equal_nan=True, rtol=1e-12)


# (indicator, location) pairs of figures, either of them missing at times.
PAIRS = st.lists(
    st.tuples(st.sampled_from(["deaths", "injured", None]), st.sampled_from(["Sudan", "Chad", "Mali", None])), max_size=30
)


@settings(max_examples=60, deadline=None)
@given(
    PAIRS,
    st.booleans(),
)
def test_location_counts_are_location_count_for_every_indicator(pairs, categorical):
    dtype = "category" if categorical else "object"
    records = pd.DataFrame(pairs, columns=["indicator", "location_label"], dtype=dtype)
    counts = cards.location_counts(records)
    for indicator in ("deaths", "injured"):
        assert counts.get(indicator, 0) == cards.location_count(records, indicator)


@settings(max_examples=60, deadline=None)
@given(
    PAIRS,
    st.data(),
)
def test_location_counts_at_rows_from_codes_are_those_of_the_rows(pairs, data):
    records = pd.DataFrame(pairs, columns=["indicator", "location_label"], dtype="object")
    rows = np.array(sorted(data.draw(st.sets(st.integers(0, max(len(pairs) - 1, 0)), max_size=len(pairs)))), dtype=np.intp)
    indicator, indicators = cards._codes(records["indicator"])
    location, locations = cards._codes(records["location_label"])
    nothing = np.zeros(len(records))
    codes = cards.CardCodes(nothing > 0, nothing, nothing, indicator, indicators, location, locations, nothing, [], nothing)
    expected = cards.location_counts(records.iloc[rows])
    assert cards.location_counts_at(codes, rows) == expected
    assert cards.location_counts_at(codes, None) == cards.location_counts(records)


@pytest.mark.parametrize(
    "keep",
    [
        pytest.param(lambda r: r["indicator"] == "deaths", id="one-indicator"),
        pytest.param(lambda r: r["location_label"] != r["location_label"].iloc[0], id="first-location-left-out"),
        pytest.param(lambda r: pd.Series(np.arange(len(r)) % 3 == 0, index=r.index), id="every-third"),
        pytest.param(lambda r: r["indicator"] == "no-such-indicator", id="none"),
    ],
)
def test_cards_at_rows_are_the_cards_of_those_records(corpus_dataset, keep):
    """The Overview's cards come from the store's codes at a view's rows: the same as the cards of the view's records."""
    records = corpus_dataset.records
    rows = np.flatnonzero(keep(records).to_numpy(dtype=bool))
    made = cards.cards_at(cards.card_codes(records), rows, records, max_locations=3, max_kinds=2)
    expected = cards.headline_cards(records.take(rows).reset_index(drop=True), max_locations=3, max_kinds=2)
    assert repr(made) == repr(expected)  # repr: a card's latest row holds NaN, which equals nothing


KILLED = {"indicator": "deaths", "outcome": "killed", "measure": "cumulative", "source": "A"}


def test_missing_places_and_indicators_have_no_card_and_keep_the_others_order():
    rows = [
        {**KILLED, "value": 5.0, "reference_date": "2025-01-01", "location": None},
        {**KILLED, "value": 7.0, "reference_date": "2025-01-02", "location": "Sudan"},
        {**DISPLACED, "measure": "snapshot", "value": 9.0, "reference_date": "2025-01-03", "source": "A"},
    ]
    records = _records(rows)
    records["location_label"] = records["location_label"].astype(object)
    records.loc[records["location"].isna(), "location_label"] = None
    made = cards.headline_cards(records)
    assert [(indicator, [card.location for card in group]) for indicator, group in made.items()] == [
        ("deaths", ["Sudan"]),
        ("displaced", ["Palestine"]),
    ]


def test_undated_records_kept_by_a_view_make_no_card():
    rows = [
        {**KILLED, "value": 5.0, "reference_date": None, "location": "Gaza"},
        {**KILLED, "value": 7.0, "reference_date": "2025-01-02"},
    ]
    records = _records(rows)
    made = cards.cards_at(cards.card_codes(records), np.arange(len(records)), records)
    assert [(card.location, card.figure) for card in made["deaths"]] == [("Palestine", "7")]


@pytest.mark.parametrize("largest", [0, 1, 127, 128, 32767, 32768, 2**31 - 1, 2**31], ids=lambda largest: f"up-to-{largest}")
def test_small_codes_keep_every_value_and_missing(largest):
    """Codes are stored in the smallest signed type: 128 places must not wrap round to -128 (read as missing)."""
    codes = np.array([-1, 0, largest], dtype=np.int64)
    small = cards._small(codes)
    assert small.tolist() == [-1, 0, largest]
    assert small.itemsize <= codes.itemsize
