"""Loading the store's current records into a typed, precomputed Dataset. Pure: no Streamlit.

The store (extractors.store) is chosen by `--db URL` (after `--` on the streamlit command
line), else env DATABASE_URL, else the default SQLite file data/store.sqlite, which is
built from data/corpus/ when it is missing.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from extractors.record import FIELDS, INDICATORS, MEASURES, QUALIFIERS

from .formatting import format_date

CONTRACT_COLUMNS: tuple[str, ...] = (*FIELDS, "doc_id", "page", "review_status")
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
    given = parse_store_argument(argv)
    if given:
        from extractors.store.connect import normalize_url

        return StoreChoice(normalize_url(given), from_argument=True)
    environ = os.environ if environ is None else environ
    from extractors.store.connect import DEFAULT_STORE_PATH, normalize_url

    url = environ.get("DATABASE_URL", "").strip()
    return StoreChoice(normalize_url(url) if url else f"sqlite:///{DEFAULT_STORE_PATH}", from_argument=False)


def store_needs_building(choice: StoreChoice) -> bool:
    """True for the default SQLite store when its file does not exist yet."""
    if choice.from_argument:
        return False
    from extractors.store.connect import sqlite_path

    try:
        path = sqlite_path(choice.url)
    except Exception:
        return False
    return path is not None and not path.exists()


def build_default_store(progress: Progress | None = None) -> str:
    """Build the default store from data/corpus/ (see extractors.store.ensure_default_store)."""
    from extractors.store import ensure_default_store

    return ensure_default_store(progress=progress)


def open_engine(url: str) -> Any:
    """A SQLAlchemy engine on the store; StoreUnavailable with a helpful message otherwise."""
    from extractors.store.connect import display_url, sqlite_path

    try:
        path = sqlite_path(url)
    except Exception as error:
        raise StoreUnavailable(f"Not a database URL: {url!r} ({error}).") from error
    if path is not None and not path.exists():
        raise StoreUnavailable(
            f"No store at {path}. Build it with `python -m extractors.store ingest data/corpus` "
            "or start the dashboard without --db to build the default store."
        )
    try:
        from extractors.store import open_store

        return open_store(url)
    except Exception as error:
        raise StoreUnavailable(f"Cannot open the store {display_url(url)}: {error}") from error


def store_fingerprint(engine: Any) -> str:
    """A cheap token that changes when documents are ingested or superseded (for cache keys)."""
    import sqlalchemy as sa

    try:
        with engine.connect() as connection:
            row = connection.execute(sa.text("SELECT COUNT(*), MAX(ingested_at), MAX(superseded_at) FROM documents")).one()
    except Exception:
        return "unknown"
    return "|".join(str(part) for part in row)


def read_records(engine: Any) -> pd.DataFrame:
    """The store's current records, with each document's publisher joined in when it has one."""
    from extractors.store import current_records

    try:
        frame = current_records(engine)
    except Exception as error:
        raise StoreUnavailable(f"Cannot read records from the store: {error}") from error
    try:
        import sqlalchemy as sa

        with engine.connect() as connection:
            publishers = pd.DataFrame(
                connection.execute(sa.text("SELECT doc_id, publisher FROM documents WHERE superseded_at IS NULL")).all(),
                columns=["doc_id", "publisher"],
            )
        if not publishers.empty and "doc_id" in frame:
            frame = frame.merge(publishers.drop_duplicates("doc_id"), on="doc_id", how="left")
    except Exception:
        pass  # publisher falls back to the record's source
    return frame


def read_document(engine: Any, doc_id: str) -> dict[str, Any] | None:
    """The stored document (text, title, url, published, kind, page_map); None when unknown."""
    from extractors.store import get_document

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


def prepare_records(raw: pd.DataFrame) -> Dataset:
    """Type and precompute a current_records() frame (or any frame of contract records)."""
    frame = raw.copy()
    for column in CONTRACT_COLUMNS:
        if column not in frame:
            frame[column] = None
    if "publisher" not in frame:
        frame["publisher"] = None
    if frame["doc_id"].isna().all():
        frame["doc_id"] = frame["doc"]
    for column in ("value", "low", "high", "unit_factor"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("char_start", "char_end", "quote_start"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").fillna(-1).astype("int64")
    frame["page"] = pd.to_numeric(frame["page"], errors="coerce").astype("Int64")
    frame["publisher"] = frame["publisher"].where(frame["publisher"].notna(), frame["source"])
    reference = pd.to_datetime(frame["reference_date"], errors="coerce", format="%Y-%m-%d")
    published = pd.to_datetime(frame["published"], errors="coerce", format="%Y-%m-%d")
    frame["date"] = reference.fillna(published)
    frame["dated_by"] = "none"
    frame.loc[published.notna(), "dated_by"] = "published"
    frame.loc[reference.notna(), "dated_by"] = "reference"
    frame["location_label"] = frame["location"].where(frame["location"].notna(), UNKNOWN_LOCATION).astype(str)
    frame["source"] = frame["source"].where(frame["source"].notna(), "unknown source").astype(str)
    for column in ("indicator", "measure", "qualifier", "location_label", "source"):
        frame[column] = frame[column].astype("category")
    text = frame["quote"].fillna("").astype(str)
    for column in TEXT_COLUMNS[1:]:
        text = text + "\n" + frame[column].astype("object").fillna("").astype(str)
    frame["search_text"] = text.str.lower()
    frame["published_at"] = published
    # Same date: the later report last, so that it is "the latest figure".
    frame = frame.sort_values(["date", "published_at", "record_id"], na_position="first", kind="stable").reset_index(drop=True)

    counts = frame["source"].value_counts(sort=True)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    dates = frame["date"].dropna()
    present = set(map(str, frame["indicator"].cat.categories))
    indicators = tuple(i for i in INDICATORS if i in present) + tuple(sorted(present - set(INDICATORS)))
    measures_present = set(map(str, frame["measure"].cat.categories))
    return Dataset(
        records=frame,
        indicators=indicators,
        locations=tuple(sorted(map(str, frame["location_label"].cat.categories))),
        sources=tuple(sorted(map(str, frame["source"].cat.categories))),
        measures=tuple(m for m in MEASURES if m in measures_present) + tuple(sorted(measures_present - set(MEASURES))),
        first_date=dates.min().date() if not dates.empty else None,
        last_date=dates.max().date() if not dates.empty else None,
        source_rank={str(name): rank for rank, (name, _) in enumerate(ranked) if _ > 0},
    )


def empty_dataset() -> Dataset:
    return prepare_records(pd.DataFrame(columns=list(CONTRACT_COLUMNS)))


def load_dataset(url: str) -> Dataset:
    """Open the store at `url` and prepare its current records."""
    return prepare_records(read_records(open_engine(url)))


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
    "empty_dataset",
    "load_dataset",
    "open_engine",
    "parse_store_argument",
    "prepare_records",
    "read_document",
    "read_records",
    "row_dicts",
    "safe_link",
    "store_fingerprint",
    "store_needs_building",
]
