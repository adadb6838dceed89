"""Snapshots of the prepared records (dashboard/model/snapshots.py): used only while the store is provably unchanged."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard.model import data, snapshots
from store import review_record, sqlite_path, store_revision


@pytest.fixture
def store(test_store: str, tmp_path: Path):
    """A private copy of the session's test store (the tests write to it), opened."""
    copy = tmp_path / "store.sqlite"
    shutil.copyfile(sqlite_path(test_store), copy)
    engine = data.open_engine(f"sqlite:///{copy}")
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "snapshots"


def _full_read_forbidden(monkeypatch) -> None:
    def refuse(engine: Any) -> pd.DataFrame:
        raise AssertionError("the store was read in full")

    monkeypatch.setattr(data, "read_reviewed_records", refuse)


def _same_dataset(got: data.Dataset, expected: data.Dataset) -> None:
    pd.testing.assert_frame_equal(got.records, expected.records, check_exact=True)
    for name in ("indicators", "locations", "sources", "measures", "first_date", "last_date", "source_rank"):
        assert getattr(got, name) == getattr(expected, name), name


def test_an_unchanged_store_is_read_back_from_its_snapshot(store, folder, monkeypatch) -> None:
    expected = data.prepare_records(data.read_reviewed_records(store))
    first = snapshots.read_dataset(store, folder)
    _same_dataset(first, expected)
    assert len(list(folder.glob("*.arrow"))) == 1
    _full_read_forbidden(monkeypatch)
    _same_dataset(snapshots.read_dataset(store, folder), expected)


def _sql(statement: str) -> Callable[[Any], None]:
    def apply(engine: Any) -> None:
        with engine.begin() as connection:
            connection.execute(sa.text(statement))

    return apply


class Write(NamedTuple):
    name: str
    apply: Callable[[Any], None]


def _reject_first(engine: Any) -> None:
    record_id = str(data.read_records(engine)["record_id"].iloc[0])
    review_record(engine, record_id, "reject", "tester")


WRITES = [
    Write("plain-sql-value", _sql("UPDATE records SET value = value * 10 WHERE rowid = 1")),
    Write("plain-sql-quote", _sql("UPDATE records SET quote = quote || ' (edited)' WHERE rowid = 2")),
    Write("plain-sql-delete", _sql("DELETE FROM records WHERE rowid = 3")),
    Write("a-rejected-figure", _reject_first),
]


@pytest.mark.parametrize("write", WRITES, ids=[write.name for write in WRITES])
def test_after_any_write_the_store_is_read_again(store, folder, write: Write) -> None:
    snapshots.read_dataset(store, folder)
    write.apply(store)
    expected = data.prepare_records(data.read_reviewed_records(store))
    got = snapshots.read_dataset(store, folder)
    _same_dataset(got, expected)
    assert len(list(folder.glob("*.arrow"))) == 1  # the older state's snapshot is gone


def test_a_write_during_the_read_is_not_saved(store, folder, monkeypatch) -> None:
    read = data.read_reviewed_records

    def read_then_write(engine: Any) -> pd.DataFrame:
        frame = read(engine)
        _sql("UPDATE records SET value = value + 1 WHERE rowid = 1")(engine)
        return frame

    monkeypatch.setattr(data, "read_reviewed_records", read_then_write)
    snapshots.read_dataset(store, folder)
    assert not list(folder.glob("*.arrow"))


def test_untracked_stores_are_always_read_in_full(store, folder) -> None:
    _sql("UPDATE store_state SET revision = NULL")(store)  # as on PostgreSQL
    snapshots.read_dataset(store, folder)
    assert store_revision(store) is None and not folder.exists()


class Damage(NamedTuple):
    name: str
    apply: Callable[[Path], None]


def _garbage(path: Path) -> None:
    path.write_bytes(b"not an arrow file" * 50)


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:1000])


DAMAGES = [Damage("garbage", _garbage), Damage("truncated", _truncated)]


@pytest.mark.parametrize("damage", DAMAGES, ids=[damage.name for damage in DAMAGES])
def test_a_damaged_snapshot_is_ignored_removed_and_written_again(store, folder, damage: Damage) -> None:
    expected = snapshots.read_dataset(store, folder)
    [path] = folder.glob("*.arrow")
    damage.apply(path)
    _same_dataset(snapshots.read_dataset(store, folder), expected)
    assert snapshots.read_snapshot(path, store_revision(store), snapshots.code_version()) is not None  # rewritten whole


def test_a_snapshot_of_another_state_under_this_name_is_not_used(store, folder, monkeypatch) -> None:
    snapshots.read_dataset(store, folder)
    [old] = folder.glob("*.arrow")
    kept = old.read_bytes()
    _sql("UPDATE records SET value = value + 1 WHERE rowid = 1")(store)
    code = snapshots.code_version()
    renamed = snapshots.snapshot_path(folder, store_revision(store), code)
    renamed.write_bytes(kept)  # the old state's file under the new state's name
    assert snapshots.read_snapshot(renamed, store_revision(store), code) is None
    assert not renamed.exists()


def test_a_column_that_reads_back_with_another_type_voids_the_snapshot(store, folder) -> None:
    import pyarrow as pa
    import pyarrow.feather as feather

    dataset = snapshots.read_dataset(store, folder)
    revision, code = store_revision(store), snapshots.code_version()
    path = snapshots.snapshot_path(folder, revision, code)
    assert snapshots.read_snapshot(path, revision, code) is not None
    changed = dataset.records.assign(page=dataset.records["page"].astype("float64"))  # saved as float ...
    table = pa.Table.from_pandas(changed, preserve_index=False)
    announced = snapshots._metadata(revision, code, dataset.records)  # ... announced as Int64
    feather.write_feather(table.replace_schema_metadata({snapshots.METADATA_KEY: announced}), path)
    assert snapshots.read_snapshot(path, revision, code) is None


def test_a_folder_that_cannot_be_written_only_costs_the_snapshot(store, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("x")
    expected = data.prepare_records(data.read_reviewed_records(store))
    _same_dataset(snapshots.read_dataset(store, blocked / "snapshots"), expected)


def test_each_store_keeps_its_newest_snapshot_and_the_folder_at_most_max_files(store, folder) -> None:
    frame = snapshots.read_dataset(store, folder).records
    code = snapshots.code_version()
    for number in range(snapshots.MAX_FILES + 3):  # other stores
        revision = f"{number:032x}:1:4"
        assert snapshots.write_snapshot(frame.head(3), snapshots.snapshot_path(folder, revision, code), revision, code)
        os.utime(snapshots.snapshot_path(folder, revision, code), (number, number))
    names = {path.name for path in folder.glob("*.arrow")}
    assert len(names) == snapshots.MAX_FILES
    newest = f"{snapshots.MAX_FILES + 2:032x}:1:4"
    assert snapshots.snapshot_path(folder, newest, code).name in names


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"DASHBOARD_SNAPSHOTS": "off"}, None),
        ({"DASHBOARD_SNAPSHOTS": " OFF "}, None),
        ({"DASHBOARD_SNAPSHOTS": "/srv/snapshots"}, Path("/srv/snapshots")),
        ({"XDG_CACHE_HOME": "/var/cache/me"}, Path("/var/cache/me/humanitarian-dashboard/snapshots")),
        ({}, Path("~/.cache/humanitarian-dashboard/snapshots").expanduser()),
    ],
    ids=["off", "off-any-case", "chosen-folder", "xdg-cache", "default"],
)
def test_snapshot_folder(environ: dict[str, str], expected: Path | None) -> None:
    assert snapshots.snapshot_dir(environ) == expected
