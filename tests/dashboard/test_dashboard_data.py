"""dashboard.model.data: choosing the store, loading it, and typing the records."""

from __future__ import annotations

from pathlib import Path

import dashboard_reference
import numpy as np
import pandas as pd
import pytest

from dashboard.model import data
from dashboard.model.filters import Filters, apply_filters

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(["app.py"], None, id="none"),
        pytest.param(["app.py", "--db", "sqlite:///x.sqlite"], "sqlite:///x.sqlite", id="separate"),
        pytest.param(["app.py", "--db=postgresql://u@h/db"], "postgresql://u@h/db", id="equals"),
        pytest.param(["app.py", "--other", "1", "--db", "sqlite:///y"], "sqlite:///y", id="among-others"),
        pytest.param(["app.py", "--db"], None, id="missing-value"),
        pytest.param(["app.py", "--db", "  "], None, id="blank"),
    ],
)
def test_parse_store_argument(argv, expected):
    assert data.parse_store_argument(argv) == expected


@pytest.mark.parametrize(
    ("argv", "environ", "url", "from_argument"),
    [
        pytest.param(
            ["app.py", "--db", "postgres://u@h/db"],
            {"DATABASE_URL": "sqlite:///env"},
            "postgresql+psycopg://u@h/db",
            True,
            id="argument-wins",
        ),
        pytest.param(["app.py"], {"DATABASE_URL": "sqlite:///env.sqlite"}, "sqlite:///env.sqlite", False, id="environment"),
        pytest.param(["app.py"], {}, "data/store.sqlite", False, id="default"),
    ],
)
def test_choose_store(argv, environ, url, from_argument):
    choice = data.choose_store(argv, environ)
    assert choice.url.endswith(url) and choice.from_argument is from_argument


def test_store_needs_building(tmp_path):
    missing = data.StoreChoice(f"sqlite:///{tmp_path / 'missing.sqlite'}", from_argument=False)
    assert data.store_needs_building(missing)
    assert not data.store_needs_building(data.StoreChoice(missing.url, from_argument=True))
    assert not data.store_needs_building(data.StoreChoice("postgresql+psycopg://u@h/db", from_argument=False))


def test_open_engine_explains_a_missing_store(tmp_path):
    with pytest.raises(data.StoreUnavailable, match="No store at"):
        data.open_engine(f"sqlite:///{tmp_path / 'nothing.sqlite'}")
    assert not (tmp_path / "nothing.sqlite").exists()


def test_open_engine_explains_a_bad_url():
    with pytest.raises(data.StoreUnavailable, match="Not a database URL"):
        data.open_engine("::not a url::")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=c", "https://example.org/a?b=c"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ('https://x.org/"><script>', None),
        (None, None),
    ],
    ids=["https", "http", "javascript", "data", "quote-breaking", "none"],
)
def test_safe_link(url, expected):
    assert data.safe_link(url) == expected


def test_prepare_records_types_and_precomputes(corpus_dataset):
    records = corpus_dataset.records
    assert len(records) >= 60
    assert records["value"].dtype == "float64" and records["char_start"].dtype == "int64"
    assert isinstance(records["indicator"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_datetime64_any_dtype(records["date"])
    assert records["date"].is_monotonic_increasing
    assert set(records["dated_by"]) <= {"reference", "published", "none"}
    assert (records["search_text"] == records["search_text"].str.lower()).all()
    assert corpus_dataset.indicators[0] == "deaths" and "Palestine" in corpus_dataset.locations
    assert corpus_dataset.first_date < corpus_dataset.last_date


def test_undated_record_falls_back_to_publication_date():
    frame = pd.DataFrame([{"record_id": "r", "doc": "d", "indicator": "deaths", "value": 1.0, "qualifier": "exact", "measure": "rate",
                           "source": "S", "reference_date": None, "published": "2024-03-02", "location": None}])  # fmt: skip
    records = data.prepare_records(frame).records
    assert records.loc[0, "dated_by"] == "published" and str(records.loc[0, "date"].date()) == "2024-03-02"
    assert records.loc[0, "location_label"] == data.UNKNOWN_LOCATION


def test_empty_dataset():
    dataset = data.empty_dataset()
    assert dataset.empty and dataset.indicators == () and dataset.first_date is None


def test_load_dataset_from_the_store(store_dataset):
    records = store_dataset.records
    assert set(data.CONTRACT_COLUMNS) <= set(records.columns)
    assert records["doc_id"].str.len().eq(64).all()
    hostile = records[records["doc"] == "hostile-brief.txt"].iloc[0]
    assert hostile["publisher"] == "Reuters <b>wire</b>" and hostile["doc_kind"] == "summary"
    assert "Documents" not in store_dataset.describe() and "records from" in store_dataset.describe()


def test_read_document_and_fingerprint(test_store, store_dataset):
    engine = data.open_engine(test_store)
    try:
        doc_id = str(store_dataset.records["doc_id"].iloc[0])
        document = data.read_document(engine, doc_id)
        assert document is not None and document["text"]
        assert data.read_document(engine, "0" * 64) is None
        assert data.store_fingerprint(engine).startswith("revision ")  # exact on SQLite: the store's revision
    finally:
        engine.dispose()


def test_fingerprint_sees_plain_sql_writes_and_falls_back_to_counts_untracked(test_store, tmp_path):
    import shutil

    import sqlalchemy as sa

    from store import sqlite_path

    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(sqlite_path(test_store), copy)
    engine = data.open_engine(f"sqlite:///{copy}")
    try:
        before = data.store_fingerprint(engine)
        with engine.begin() as connection:  # what counts and timestamps miss
            connection.execute(sa.text("UPDATE records SET value = value + 1 WHERE rowid = 1"))
        assert data.store_fingerprint(engine) != before
        with engine.begin() as connection:  # a store that does not track its revision (as on PostgreSQL)
            connection.execute(sa.text("UPDATE store_state SET revision = NULL"))
        assert data.store_fingerprint(engine).startswith("10|")
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(
            pd.Series(["2024-01-05", "2024-01-05", None, "2023-12-31"], dtype="str"), id="text-with-repeats-and-missing"
        ),
        pytest.param(pd.Series(["2024-02-30", "bad", "2024-1-5", "2024-01-05T10:00", ""], dtype="str"), id="malformed"),
        pytest.param(pd.Series(["2024-01-05", None, np.nan], dtype=object), id="objects"),
        pytest.param(pd.Series([None, None], dtype=object), id="all-missing"),
        pytest.param(pd.Series([], dtype="str"), id="empty"),
        pytest.param(pd.Series(pd.to_datetime(["2024-01-05", None])), id="already-dates"),
    ],
)
def test_parse_days_parses_like_pandas(values):
    expected = pd.to_datetime(values, errors="coerce", format="%Y-%m-%d")
    parsed = data.parse_days(values)
    assert parsed.dtype == expected.dtype
    pd.testing.assert_series_equal(parsed, expected, check_names=False)


def _text_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for name in data.TEXT_COLUMNS:
        if name not in frame:
            frame[name] = None
    return frame


@pytest.mark.parametrize(
    "frame",
    [
        pytest.param(
            _text_frame([{"quote": "At least 5 KILLED", "source": "Reuters", "place": "Gaza City", "raw_value": "5"}]), id="text"
        ),
        pytest.param(
            _text_frame([{"quote": None, "source": "AP", "title": np.nan}, {"quote": "Q", "attribution": "The UN"}]), id="missing"
        ),
        pytest.param(_text_frame([{"quote": "q", "raw_value": 5.0}, {"quote": "r", "raw_value": 12}]), id="numbers-as-text"),
        pytest.param(_text_frame([{"quote": "İSTANBUL ẞ ΣΟΦΊΑ", "source": "Ärzte <b>"}]), id="unicode-case-and-markup"),
        pytest.param(_text_frame([]), id="no-rows"),
    ],
)
def test_search_text_matches_joining_the_columns(frame):
    for name in ("quote", "source"):  # as current_records gives them: pandas text columns
        if frame[name].notna().any():
            frame[name] = frame[name].astype("str")
    pd.testing.assert_series_equal(data.search_text(frame), dashboard_reference.search_text(frame), check_names=False)


def _dated_frame() -> pd.DataFrame:
    """Undated records, equal dates told apart by publication date and then record id, in a shuffled order."""
    rows = [
        ("r5", "2024-01-02", "2024-02-01"), ("r1", "2024-01-02", "2024-01-15"), ("r3", None, "2024-01-10"), ("r2", None, None),
        ("r4", "2024-01-01", None), ("r0", "2024-01-02", "2024-01-15"), (None, "2024-01-02", "2024-01-15"), ("r6", "bad", None),
    ]  # fmt: skip
    return pd.DataFrame([{"record_id": rid, "doc": "d", "indicator": "deaths", "value": 1.0, "qualifier": "exact", "measure": "rate",
                          "source": "S", "reference_date": day, "published": published} for rid, day, published in rows])  # fmt: skip


def test_records_are_ordered_by_date_then_publication_then_id():
    records = data.prepare_records(_dated_frame()).records
    pd.testing.assert_frame_equal(records, dashboard_reference.sorted_by_date(records.sample(frac=1, random_state=4)))
    # Undated first; r3 is placed by its publication date; a missing id comes first among equal dates.
    assert records["record_id"].fillna("-").tolist() == ["r2", "r6", "r4", "-", "r0", "r1", "r5", "r3"]


def test_dated_by_says_which_date_places_a_record():
    frame = _dated_frame()
    reference, published = data.parse_days(frame["reference_date"]), data.parse_days(frame["published"])
    labels = data.dated_by(reference.notna().to_numpy(), published.notna().to_numpy(), frame.index)
    pd.testing.assert_series_equal(labels, dashboard_reference.dated_by(reference, published))


def test_prepared_records_do_not_depend_on_the_order_read(corpus_frame):
    shuffled = corpus_frame.sample(frac=1, random_state=7).reset_index(drop=True)
    pd.testing.assert_frame_equal(data.prepare_records(shuffled).records, data.prepare_records(corpus_frame).records)


def test_read_records_is_current_records_with_their_publishers(test_store):
    from store import current_records

    engine = data.open_engine(test_store)
    try:
        read = data.read_records(engine)
        ordered = current_records(engine)
        with engine.connect() as connection:
            publishers = pd.read_sql("SELECT doc_id, publisher FROM documents WHERE superseded_at IS NULL", connection)
    finally:
        engine.dispose()
    expected = ordered.merge(publishers, on="doc_id", how="left")
    by_id = read.set_index("record_id").loc[expected["record_id"]].reset_index()[list(expected.columns)]
    pd.testing.assert_frame_equal(by_id, expected)
    assert read["publisher"].notna().any()


@pytest.mark.parametrize(
    ("record_ids", "expected"),
    [
        pytest.param(["b", "c", "a"], ["a", "b", "c"], id="text-ids"),
        pytest.param([3, 1, 2], [1, 2, 3], id="integer-ids"),
    ],
)
def test_records_of_one_date_are_ordered_by_id(record_ids, expected):
    frame = pd.DataFrame({"record_id": record_ids, "doc": "d", "indicator": "deaths", "value": 1.0, "qualifier": "exact",
                          "measure": "rate", "source": "S", "reference_date": "2024-01-02", "published": "2024-01-03"})  # fmt: skip
    assert data.prepare_records(frame).records["record_id"].tolist() == expected


def test_the_store_is_read_without_the_cyclic_collector_and_it_is_back_after(test_store, monkeypatch):
    import gc

    seen = []
    read = data.read_records
    monkeypatch.setattr(data, "read_records", lambda engine: seen.append(gc.isenabled()) or read(engine))
    engine = data.open_engine(test_store)
    try:
        assert gc.isenabled()
        assert len(data.read_reviewed_records(engine)) > 0
        assert seen == [False] and gc.isenabled()
        monkeypatch.setattr(data, "read_records", lambda engine: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            data.read_reviewed_records(engine)
        assert gc.isenabled()  # also after a failed read
    finally:
        engine.dispose()


def test_a_dataset_is_freed_by_reference_counting_alone(test_store):
    """No reference cycles: a Dataset the cache lets go is freed even when the collector never walks it
    (ui.freeze_long_lived_objects takes loaded datasets out of the collector's walks)."""
    import gc
    import weakref

    dataset = data.load_dataset(test_store)
    records = dataset.records
    filtered = records[records["indicator"] == "deaths"]  # what pages make of it
    assert apply_filters(records, Filters(search="killed")).shape[0] > 0  # the search keeps a Polars series per column
    assert filtered["quote"].str.len().sum() > 0
    alive = [weakref.ref(dataset), weakref.ref(records), weakref.ref(records["quote"].array)]
    gc.disable()
    try:
        del dataset, records, filtered
        assert [ref() is None for ref in alive] == [True, True, True]
    finally:
        gc.enable()


@pytest.mark.parametrize("consume", [False, True], ids=["kept", "consumed"])
def test_prepare_records_empties_the_frame_given_only_when_asked(corpus_frame, consume) -> None:
    """With consume=True the caller's frame gives up its columns (one copy held while the store is read), and the
    records prepared are the same either way."""
    given = corpus_frame.copy()
    prepared = data.prepare_records(given, consume=consume)
    assert list(given.columns) == ([] if consume else list(corpus_frame.columns))
    pd.testing.assert_frame_equal(prepared.records, data.prepare_records(corpus_frame.copy()).records)


def test_sorting_the_columns_lets_each_old_one_go_before_the_next_is_sorted(monkeypatch) -> None:
    """prepare_records holds one copy of the records while it sorts them, not two: frames.sorted_frame frees
    each column's old text as soon as its sorted copy is made."""
    import weakref

    from dashboard.model import frames

    columns = {name: pd.Series([f"{name}{i}" for i in (3, 1, 2)], dtype="str") for name in ("quote", "title", "source")}
    old = [weakref.ref(column.array) for column in columns.values()]
    freed_before_each: list[list[bool]] = []
    sort_one = frames.sorted_column

    def watched(column: pd.Series, order: np.ndarray) -> pd.Series:
        freed_before_each.append([ref() is None for ref in old])
        return sort_one(column, order)

    monkeypatch.setattr(frames, "sorted_column", watched)
    result = frames.sorted_frame(columns, np.array([1, 2, 0]))
    assert columns == {} and result["quote"].tolist() == ["quote1", "quote2", "quote3"]
    assert freed_before_each == [[False, False, False], [True, False, False], [True, True, False]]
