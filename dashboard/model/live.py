"""One copy of the store's current records for the whole server, brought up to date from what changed. Pure: no Streamlit.

A full read of a million figures takes seconds; a review or a new document changes a handful of
them. So the copy remembers which documents were current and the last id of each log it read
(store.store_changes: reviews, corrections of a document's details, filled-in copies), and when the
store's fingerprint moves it reads again only the documents that entered, left or were logged since:
their records are prepared alone (prepare_records, the reviewers' corrections laid over them) and
put in their place in the sorted frame, which keeps every other row as it was. The headline mask
(filters.headline_figures, decided within each document) is kept the same way.

A copy is never changed: `refreshed` returns a new one, so a page still drawing from the old one
is not disturbed. When most documents changed, or the new rows do not fit the old frame's columns
(another schema), the store is read in full.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.model import data, snapshots
from dashboard.model.filters import headline_figures

FULL_READ_SHARE = 0.2
"""Past this share of the documents changed, one full read is cheaper than reading them one by one."""


@dataclass(frozen=True)
class LiveCopy:
    """A prepared Dataset, its headline mask, and what of the store it reflects."""

    dataset: data.Dataset
    headlines: np.ndarray
    current: frozenset[str] = frozenset()
    marks: Mapping[str, int] = field(default_factory=dict)
    full_reads: int = 1
    """Full reads of the store this copy took (1, or more when a refresh fell back to one)."""
    identity: str | None = None
    """The store's id and schema version (store_identity): another store, or a migrated one, is read in full."""


def store_identity(engine: Any) -> str | None:
    """'<store id>:<schema version>' where the store tracks its revision (SQLite), else None."""
    from store import store_revision

    revision = store_revision(engine)
    if revision is None:
        return None
    return f"{revision.split(':', 1)[0]}:{revision.rsplit(':', 1)[-1]}"


def read_copy(engine: Any, snapshot_dir: Path | None = None) -> LiveCopy:
    """The store read in full (from its snapshot when unchanged since one was saved)."""
    from store import store_changes

    # Taken before the read: a write during it is read again at the next refresh (reading a document again is harmless).
    identity = store_identity(engine)
    changes = store_changes(engine)
    dataset = snapshots.read_dataset(engine, snapshot_dir)
    return LiveCopy(dataset, headline_figures(dataset.records), changes.current, dict(changes.marks), identity=identity)


def refreshed(copy: LiveCopy, engine: Any, snapshot_dir: Path | None = None) -> LiveCopy:
    """The copy brought up to date: only the documents that entered, left or were logged since it was made are read."""
    from store import store_changes

    if store_identity(engine) != copy.identity:
        return _full(copy, engine, snapshot_dir)
    changes = store_changes(engine, copy.marks)
    entered = changes.current - copy.current
    left = copy.current - changes.current
    reread = (entered | changes.touched) & changes.current
    if not left and not reread:
        return replace(copy, marks=dict(changes.marks))
    if len(left) + len(reread) > FULL_READ_SHARE * max(len(copy.current), 1):
        return _full(copy, engine, snapshot_dir)
    fresh = documents_records(engine, reread)
    merged = merge_records(copy.dataset.records, copy.headlines, left | reread, fresh)
    if merged is None:  # the new rows do not fit the old frame: another schema or types
        return _full(copy, engine, snapshot_dir)
    frame, headlines = merged
    return replace(copy, dataset=data.dataset_of(frame), headlines=headlines, current=changes.current, marks=dict(changes.marks))


def _full(copy: LiveCopy, engine: Any, snapshot_dir: Path | None) -> LiveCopy:
    return replace(read_copy(engine, snapshot_dir), full_reads=copy.full_reads + 1)


def documents_records(engine: Any, doc_ids: frozenset[str]) -> pd.DataFrame:
    """The current records of some documents as the reviewers left them, prepared (sorted as prepare_records sorts)."""
    from dashboard.model.review import overlay_reviews
    from store import current_records_of
    from store.reviews import corrections

    if not doc_ids:
        return data.empty_dataset().records
    try:
        raw = current_records_of(engine, doc_ids, document_columns=("publisher",))
        fixes = corrections(engine, doc_ids)
    except Exception as error:
        raise data.StoreUnavailable(f"Cannot read the changed documents from the store: {error}") from error
    return data.prepare_records(overlay_reviews(raw, fixes)).records


def merge_records(
    old: pd.DataFrame, headlines: np.ndarray, dropped: frozenset[str], new: pd.DataFrame
) -> tuple[pd.DataFrame, np.ndarray] | None:
    """`old` without the records of the `dropped` documents, with the `new` records in their sorted places,
    and the headline mask to match; None when `new` has other columns than `old`, or types that cannot be made
    the same."""
    keep = ~old["doc_id"].isin(list(dropped)).to_numpy(dtype=bool, na_value=False) if dropped else np.ones(len(old), bool)
    kept = np.flatnonzero(keep)
    if new.empty:
        frame = old.take(kept).reset_index(drop=True)
        return pd.DataFrame({name: tidied(frame[name]) for name in frame.columns}, copy=False), headlines[kept]
    if list(new.columns) != list(old.columns):
        return None
    fitted = fitted_columns(old, new)
    if fitted is None:
        return None
    old_columns, new_columns = fitted
    places = insertion_places(old_columns, kept, new_columns)
    added = np.arange(len(old), len(old) + len(new))
    order = np.insert(kept, places, added)
    # A review re-reads its document's records, which mostly land where they were: then a column
    # whose values did not change is kept as it is (the quotes and the search text, not copied).
    replaced = np.flatnonzero(~keep)
    in_place = len(replaced) == len(new) and np.array_equal(order[replaced], added)
    frame = pd.DataFrame(
        {
            name: old_columns[name]
            if in_place and unchanged(old_columns[name], replaced, new_columns[name])
            else tidied(spliced(old_columns[name], new_columns[name], order))
            for name in old.columns
        },
        # Not copied into blocks of one type each: the unchanged columns stay the old frame's own arrays, shared
        # with it while a page still draws from it (a review at a million figures copied 144 MB of them).
        copy=False,
    )
    marks = np.concatenate([headlines, headline_figures(new)])[order]
    return frame, marks


def spliced(old: pd.Series, new: pd.Series, order: np.ndarray) -> pd.Series:
    """old and new one after the other, then taken in `order`: text columns by slicing, others by take.

    `order` keeps long runs of old rows (a refresh drops and inserts a few): a text column
    becomes a chunked array of slices of the old one, between the new rows, which
    data.dataset_of joins in one pass (an Arrow take over the whole column would cost more).
    """
    import pyarrow as pa

    array = old.array
    if isinstance(old.dtype, pd.StringDtype) and old.dtype.storage == "pyarrow" and new.dtype == old.dtype:
        source = old.array._pa_array
        added = new.array._pa_array
        if added.type != source.type:
            added = added.cast(source.type)
        combined = pa.chunked_array([*source.chunks, *added.chunks], type=source.type)
        breaks = np.flatnonzero(np.diff(order) != 1) + 1
        starts = order[np.r_[0, breaks]]
        lengths = np.diff(np.r_[0, breaks, len(order)])
        chunks = [chunk for start, length in zip(starts, lengths, strict=True) for chunk in combined.slice(start, length).chunks]
        joined = pa.chunked_array(chunks, type=source.type)
        return pd.Series(type(array)(joined, dtype=old.dtype), name=old.name, copy=False)
    return pd.concat([old, new], ignore_index=True).take(order).reset_index(drop=True)


def unchanged(old: pd.Series, positions: np.ndarray, new: pd.Series) -> bool:
    """Whether the new values equal the old ones at `positions` (missing values equal)."""
    return old.take(positions).reset_index(drop=True).equals(new.reset_index(drop=True))


def tidied(column: pd.Series) -> pd.Series:
    """A categorical column with only the categories present, sorted, as astype("category") makes them."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column
    categories = column.cat.categories
    used = np.bincount(column.cat.codes.to_numpy()[column.cat.codes.to_numpy() >= 0], minlength=len(categories)) > 0
    present = categories[used]
    if used.all() and categories.is_monotonic_increasing:
        return column
    return column.cat.set_categories(sorted(present))


def fitted_columns(old: pd.DataFrame, new: pd.DataFrame) -> tuple[dict[str, pd.Series], dict[str, pd.Series]] | None:
    """The two frames' columns with the same type in each (categories joined), or None when a column will not convert.

    Columns, not frames: a frame of a million rows would copy its numeric columns into blocks, for nothing."""
    old_columns, new_columns = {}, {}
    for name in old.columns:
        left, right = old[name], new[name]
        if isinstance(left.dtype, pd.CategoricalDtype):
            right = right.astype(object)
            extra = [value for value in pd.unique(right.dropna()) if value not in left.cat.categories]
            if extra:
                left = left.cat.add_categories(extra)  # codes unchanged: no copy of the column's values
            right = pd.Categorical(right, dtype=left.dtype)
            old_columns[name], new_columns[name] = left, pd.Series(right, index=new.index, name=name)
            continue
        if right.dtype != left.dtype:
            try:
                right = right.astype(left.dtype)
            except (TypeError, ValueError):
                return None
        old_columns[name], new_columns[name] = left, right
    return old_columns, new_columns


def _day_numbers(column: pd.Series) -> np.ndarray:
    """Datetimes as int64 nanoseconds with NaT as the smallest number: missing dates sort first."""
    return column.to_numpy(dtype="datetime64[ns]").view("int64")


def insertion_places(old: Mapping[str, pd.Series], kept: np.ndarray, new: Mapping[str, pd.Series]) -> np.ndarray:
    """For each new row (in order), the index among the kept old rows before which it goes, non-decreasing."""
    days = _day_numbers(old["date"])[kept]
    published = _day_numbers(old["published_at"])[kept]
    ids = old["record_id"]
    new_days, new_published, new_ids = _day_numbers(new["date"]), _day_numbers(new["published_at"]), new["record_id"].tolist()
    places = np.empty(len(new_ids), dtype=np.int64)
    for row in range(len(new_ids)):
        low = int(np.searchsorted(days, new_days[row], side="left"))
        high = int(np.searchsorted(days, new_days[row], side="right"))
        low += int(np.searchsorted(published[low:high], new_published[row], side="left"))
        high = low + int(np.searchsorted(published[low:high], new_published[row], side="right"))
        same = ids.take(kept[low:high]).tolist()  # the old rows of the same dates: a few, found by bisection
        place = low
        while place < high and same[place - low] < new_ids[row]:
            place += 1
        places[row] = place
    return places


__all__ = ["FULL_READ_SHARE", "LiveCopy", "documents_records", "merge_records", "read_copy", "refreshed"]
