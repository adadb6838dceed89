"""Loading the store's current records into a typed, precomputed Dataset. Pure: no Streamlit.

The store is chosen by `--db URL` (after `--` on the streamlit command line), else env DATABASE_URL, else the
default SQLite file data/store.sqlite, built from data/corpus/ when missing."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from dashboard.model.formatting import format_date
from dashboard.model.frames import single_chunked, sorted_frame
from dashboard.model.languages import language_choices
from dashboard.model.places import location_choices
from extractors.contract import STORE_FIELDS
from extractors.record import FIELDS, INDICATORS, MEASURES, QUALIFIERS

CONTRACT_COLUMNS: tuple[str, ...] = (*FIELDS, *STORE_FIELDS)  # the record's fields, then what the store adds
TEXT_COLUMNS = ("quote", "source", "attribution", "title", "location", "place", "doc", "raw_value")
UNKNOWN_LOCATION = "Unknown location"
Progress = Callable[[int, int, str], None]


class StoreUnavailable(RuntimeError):
    """The store cannot be opened or read; the message says what to do."""


@dataclass(frozen=True)
class StoreChoice:
    """Which store to open, and whether it is the default one (built when missing)."""

    url: str
    from_argument: bool


@dataclass(frozen=True)
class Dataset:
    """Current records, typed, with what the filters and pages need precomputed.

    records: one row per record; the contract columns, plus `date` (reference date, else
    publication date, as datetime64), `dated_by` ('reference'/'published'/'none'),
    `location_label`, `publisher` and `search_text` (lower-cased text for search).
    """

    records: pd.DataFrame
    indicators: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # ISO 639-1 codes of the records' documents, English first
    first_date: date | None = None
    last_date: date | None = None
    source_rank: Mapping[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.records.empty

    def documents_of(self, doc_id: str) -> pd.DataFrame:
        """Every current record of one document (for highlighting all its figures)."""
        return self.records[self.records["doc_id"] == doc_id]

    def describe(self) -> str:
        """'70 records from 55 documents, 19 Oct 2023 – 3 Nov 2025'."""
        frame = self.records
        documents = frame["doc_id"].nunique() if "doc_id" in frame else frame["doc"].nunique()
        span = f", {format_date(self.first_date)} – {format_date(self.last_date)}" if self.first_date else ""
        return f"{len(frame):,} records from {documents:,} documents{span}"


def parse_store_argument(argv: Sequence[str]) -> str | None:
    """The URL given by `--db URL` (or `--db=URL`) among the script's arguments, if any.

    >>> parse_store_argument(["app.py", "--db", "sqlite:///x.sqlite"])
    'sqlite:///x.sqlite'
    >>> parse_store_argument(["app.py"]) is None
    True
    """
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    parser.add_argument("--db", default=None)
    try:
        known, _ = parser.parse_known_args(list(argv[1:]))
    except (argparse.ArgumentError, SystemExit):
        return None
    return known.db.strip() if known.db and known.db.strip() else None


def choose_store(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> StoreChoice:
    """`--db URL`, else DATABASE_URL, else data/store.sqlite."""
    from store.connect import DEFAULT_STORE_PATH, normalize_url

    given = parse_store_argument(argv)
    if given:
        return StoreChoice(normalize_url(given), from_argument=True)
    url = (os.environ if environ is None else environ).get("DATABASE_URL", "").strip()
    return StoreChoice(normalize_url(url) if url else f"sqlite:///{DEFAULT_STORE_PATH}", from_argument=False)


def store_needs_building(choice: StoreChoice) -> bool:
    """True for the default SQLite store when its file does not exist yet."""
    if choice.from_argument:
        return False
    from store.connect import sqlite_path

    try:
        path = sqlite_path(choice.url)
    except Exception:
        return False
    return path is not None and not path.exists()


def build_default_store(progress: Progress | None = None) -> str:
    """Build the default store from data/corpus/ (see store.ensure_default_store)."""
    from store import ensure_default_store

    return ensure_default_store(progress=progress)


def open_engine(url: str) -> Any:
    """A SQLAlchemy engine on the store; StoreUnavailable with a helpful message otherwise."""
    from store.connect import display_url, sqlite_path

    try:
        path = sqlite_path(url)
    except Exception as error:
        raise StoreUnavailable(f"Not a database URL: {url!r} ({error}).") from error
    if path is not None and not path.exists():
        raise StoreUnavailable(
            f"No store at {path}. Build it with `python -m store ingest data/corpus` "
            "or start the dashboard without --db to build the default store."
        )
    try:
        from store import open_store

        return open_store(url)
    except Exception as error:
        raise StoreUnavailable(f"Cannot open the store {display_url(url)}: {error}") from error


def store_fingerprint(engine: Any) -> str:
    """A cheap token that changes when documents are ingested or superseded, or a figure is reviewed (for cache keys).

    Exact where the store tracks its revision (SQLite, see store.store_revision):
    any write, plain SQL included, changes it. Elsewhere counts and latest timestamps stand in.
    """
    import sqlalchemy as sa

    from store import store_revision

    revision = store_revision(engine)
    if revision is not None:
        return f"revision {revision}"
    try:
        with engine.connect() as connection:
            row = connection.execute(sa.text("SELECT COUNT(*), MAX(ingested_at), MAX(superseded_at) FROM documents")).one()
            for appended in (  # only appended: a count and last id change with every review (or filled-in copy)
                "SELECT COUNT(*), MAX(review_id) FROM reviews",
                "SELECT COUNT(*), MAX(review_id) FROM document_reviews",  # schema version 6
                "SELECT COUNT(*), MAX(sighting_id) FROM document_sightings",
            ):
                try:
                    row = (*row, *connection.execute(sa.text(appended)).one())
                except Exception:
                    connection.rollback()  # a store without that table yet
    except Exception:
        return "unknown"
    return "|".join(str(part) for part in row)


def read_records(engine: Any) -> pd.DataFrame:
    """The store's current records with each document's publisher, in no particular order (prepare_records sorts them)."""
    from store import current_records

    try:
        # One query; unordered, since ordering a million rows by document is wasted when they are sorted by date next.
        return current_records(engine, document_columns=("publisher",), ordered=False)
    except Exception:
        pass  # for instance a store whose documents have no publisher column: the records alone
    try:
        return current_records(engine)
    except Exception as error:
        raise StoreUnavailable(f"Cannot read records from the store: {error}") from error


def read_document(engine: Any, doc_id: str) -> dict[str, Any] | None:
    """The stored document (text, title, url, published, kind, page_map); None when unknown."""
    from store import get_document

    try:
        document = get_document(engine, doc_id)
    except Exception:
        return None
    return dict(document) if document else None


def row_dicts(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The rows as dicts of the given columns (all by default); much faster than DataFrame.to_dict('records')."""
    present = [c for c in (columns if columns is not None else frame.columns) if c in frame.columns]
    values = [frame[c].astype(object).tolist() for c in present]
    return [dict(zip(present, row, strict=True)) for row in zip(*values, strict=True)]


def safe_link(value: Any) -> str | None:
    """The URL when it is an http(s) link, else None (no javascript: or data: links).

    >>> safe_link("https://example.org/a"), safe_link("javascript:alert(1)")
    ('https://example.org/a', None)
    """
    if value is None or not isinstance(value, str):
        return None
    text = value.strip()
    lowered = text.lower()
    if (lowered.startswith("https://") or lowered.startswith("http://")) and not any(c in text for c in '"<> \n\r\t'):
        return text
    return None


def parse_days(values: pd.Series) -> pd.Series:
    """ISO dates (YYYY-MM-DD) as datetime64, NaT for missing or malformed ones.

    Each distinct text is parsed once: a store holds a few thousand distinct dates for any
    number of records, and parsing is the costly part.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)  # a missing value: code -1
    parsed = pd.to_datetime(pd.Series(uniques, dtype=object), errors="coerce", format="%Y-%m-%d")
    days = np.append(parsed.to_numpy(), np.datetime64("NaT"))  # so that code -1 picks NaT
    return pd.Series(days[codes], index=values.index, name=values.name, dtype=parsed.dtype)


def search_text(frame: pd.DataFrame) -> pd.Series:
    """Per record, its TEXT_COLUMNS joined by newlines, lower-cased (missing values as empty text).

    Joined by Arrow in one pass: concatenating pandas columns one by one copied the growing
    text eight times and turned every value into a Python string.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    columns = []
    for name in TEXT_COLUMNS:
        column = frame[name]
        if isinstance(column.dtype, pd.StringDtype):
            columns.append(pa.array(column, from_pandas=True).cast(text))
        elif column.isna().all():
            columns.append(pa.nulls(len(column), type=text))
        else:  # numbers or mixed objects: as str() shows them
            columns.append(pa.array(column.astype("object").fillna("").astype(str), from_pandas=True).cast(text))
    separator = pa.scalar("\n", type=text)
    joined = pc.binary_join_element_wise(*columns, separator, null_handling="replace", null_replacement="")
    return pd.Series(pc.utf8_lower(joined), index=frame.index, dtype="str")


def dated_by(has_reference: np.ndarray, has_published: np.ndarray, index: pd.Index) -> pd.Series:
    """'reference', 'published' or 'none': which date places each record (built in Arrow, no Python strings)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def text(value: str) -> pa.Scalar:
        return pa.scalar(value, type=pa.large_string())

    labels = pc.if_else(has_reference, text("reference"), pc.if_else(has_published, text("published"), text("none")))
    return pd.Series(labels, index=index, dtype="str")


def date_order(frame: pd.DataFrame) -> np.ndarray:
    """Positions that sort the records by date, publication date and record id, missing values first; stable.

    Sorted by Arrow on the three columns at once (it compares record ids only between equal
    dates), unless the ids are not text: then by pandas, as sort_values did.
    """
    keys = ["date", "published_at", "record_id"]
    if not isinstance(frame["record_id"].dtype, pd.StringDtype):
        ordered = frame[keys].reset_index(drop=True)
        return ordered.sort_values(keys, na_position="first", kind="stable").index.to_numpy()
    import pyarrow as pa
    import pyarrow.compute as pc

    table = pa.table({name: pa.array(frame[name], from_pandas=True) for name in keys})  # NaT and NaN: null
    return pc.sort_indices(table, sort_keys=[(name, "ascending", "at_start") for name in keys]).to_numpy()


def prepare_records(raw: pd.DataFrame, *, consume: bool = False) -> Dataset:
    """Type and precompute a current_records() frame (or any frame of contract records). With `consume`
    the frame given is emptied, so that each column read is freed once sorted: one copy held, not two."""
    frame = raw.copy(deep=False)  # copy-on-write: the caller's frame is not changed, and no column is copied up front
    if consume:
        for name in list(raw.columns):  # in place, without drop(inplace=True), which pandas deprecates
            del raw[name]
    for column in (*CONTRACT_COLUMNS, "publisher"):
        if column not in frame:
            frame[column] = None
    if frame["doc_id"].isna().all():
        frame["doc_id"] = frame["doc"]
    for column in ("value", "low", "high", "unit_factor"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("char_start", "char_end", "quote_start"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").fillna(-1).astype("int64")
    frame["page"] = pd.to_numeric(frame["page"], errors="coerce").astype("Int64")
    frame["publisher"] = frame["publisher"].where(frame["publisher"].notna(), frame["source"])
    reference = parse_days(frame["reference_date"])
    published = parse_days(frame["published"])
    frame["date"] = reference.fillna(published)
    frame["dated_by"] = dated_by(reference.notna().to_numpy(), published.notna().to_numpy(), frame.index)
    frame["location_label"] = frame["location"].where(frame["location"].notna(), UNKNOWN_LOCATION).astype(str)
    frame["source"] = frame["source"].where(frame["source"].notna(), "unknown source").astype(str)
    for column in ("indicator", "measure", "qualifier", "location_label", "source"):
        frame[column] = frame[column].astype("category")
    frame["published_at"] = published
    # Same date: the later report last, so that it is "the latest figure".
    order = date_order(frame)
    columns = dict(frame.items())  # held there alone, each column is let go as soon as it is sorted: one copy, not two
    del frame
    frame = sorted_frame(columns, order)
    # Made from the sorted rows: sorting it would copy its text, the largest column, once more.
    frame.insert(frame.columns.get_loc("published_at"), "search_text", search_text(frame))
    return dataset_of(frame)


def dataset_of(frame: pd.DataFrame) -> Dataset:
    """The Dataset of a frame that prepare_records made (the filters' choices and the date range worked out)."""
    frame = single_chunked(frame)
    counts = frame["source"].value_counts(sort=True)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    dates = frame["date"].dropna()
    present = set(map(str, frame["indicator"].cat.categories))
    indicators = tuple(i for i in INDICATORS if i in present) + tuple(sorted(present - set(INDICATORS)))
    measures_present = set(map(str, frame["measure"].cat.categories))
    return Dataset(
        records=frame,
        indicators=indicators,
        locations=location_choices(frame),
        sources=tuple(sorted(map(str, frame["source"].cat.categories))),
        measures=tuple(m for m in MEASURES if m in measures_present) + tuple(sorted(measures_present - set(MEASURES))),
        languages=language_choices(frame),
        first_date=dates.min().date() if not dates.empty else None,
        last_date=dates.max().date() if not dates.empty else None,
        source_rank={str(name): rank for rank, (name, _) in enumerate(ranked) if _ > 0},
    )


def empty_dataset() -> Dataset:
    return prepare_records(pd.DataFrame(columns=list(CONTRACT_COLUMNS)))


def read_corrections(engine: Any) -> dict:
    """The reviewers' corrections, record_id -> corrected fields (see store.reviews)."""
    from store.reviews import corrections

    try:
        return corrections(engine)
    except Exception as error:  # never show uncorrected figures silently
        raise StoreUnavailable(f"Cannot read the reviewers' corrections from the store: {error}") from error


def read_reviewed_records(engine: Any) -> pd.DataFrame:
    """The current records as the reviewers left them: corrections laid over the extracted values,
    rejected records left out. Every page, chart and export reads through here."""
    from dashboard.model.review import overlay_reviews

    with collector_paused():
        return overlay_reviews(read_records(engine), read_corrections(engine))


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection in the block (it is turned back on after, if it was on).

    Reading a store makes a tuple per row, freed by reference counting: the collector would walk
    them many times during a read and find nothing to free.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_dataset(url: str) -> Dataset:
    """Open the store at `url` and prepare its current records, as the reviewers left them."""
    return prepare_records(read_reviewed_records(open_engine(url)), consume=True)


__all__ = [
    "CONTRACT_COLUMNS",
    "INDICATORS",
    "MEASURES",
    "QUALIFIERS",
    "Dataset",
    "StoreChoice",
    "StoreUnavailable",
    "build_default_store",
    "choose_store",
    "collector_paused",
    "dataset_of",
    "empty_dataset",
    "load_dataset",
    "open_engine",
    "parse_store_argument",
    "prepare_records",
    "read_corrections",
    "read_document",
    "read_records",
    "read_reviewed_records",
    "row_dicts",
    "safe_link",
    "store_fingerprint",
    "store_needs_building",
]
