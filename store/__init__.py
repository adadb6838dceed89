"""The records store: documents and their indicator records in SQLite or PostgreSQL.

    from store import open_store, ensure_default_store, current_records, get_document

    engine = open_store(ensure_default_store())   # data/store.sqlite, built from data/corpus/ if missing
    frame = current_records(engine)                # pandas.DataFrame of the current records
    document = get_document(engine, frame.doc_id[0])

See README.md beside this file for the schema and the command line; reviews.py for the
reviewers' corrections and audit trail, intake.py for documents added in the dashboard.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from .connect import (
    DEFAULT_CORPUS,
    DEFAULT_STORE_PATH,
    StoreError,
    create_store_engine,
    default_store_url,
    display_url,
    sqlite_path,
)
from .document_reviews import correct_document, document_audit, document_sightings
from .ingest import (
    FAILED,
    NEW,
    NEW_VERSION,
    UNCHANGED,
    IngestResult,
    IngestSummary,
    ensure_default_store,
    ingest_paths,
    ingest_source,
    ingest_sources,
    store_loaded,
)
from .intake import IntakeRefused, ingest_loaded
from .migrations import LATEST_VERSION, current_version, migrate
from .progress import ProgressBar
from .queries import (
    CURRENT_COLUMNS,
    EXPORT_COLUMNS,
    count_documents,
    current_records,
    current_records_of,
    export_records,
    get_document,
    iter_records,
)
from .review_rules import REVIEWED_STATUSES, ReviewRefused, UnknownRecord
from .reviews import add_figure, corrections, record_history, review_record
from .sources import LoadedSource, discover, load_source
from .state import StoreChanges, store_changes, store_revision


def open_store(url: str | None = None, *, upgrade: bool = True) -> Engine:
    """A SQLAlchemy engine on the store at `url` (default: default_store_url()).

    The schema is migrated to the latest version first (a no-op when it is current;
    upgrade=False skips that). Close it with engine.dispose().
    """
    engine = create_store_engine(url or default_store_url())
    if upgrade:
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
    return engine


__all__ = [
    "CURRENT_COLUMNS",
    "DEFAULT_CORPUS",
    "DEFAULT_STORE_PATH",
    "EXPORT_COLUMNS",
    "FAILED",
    "LATEST_VERSION",
    "NEW",
    "NEW_VERSION",
    "REVIEWED_STATUSES",
    "UNCHANGED",
    "IngestResult",
    "IngestSummary",
    "IntakeRefused",
    "LoadedSource",
    "ProgressBar",
    "ReviewRefused",
    "StoreChanges",
    "StoreError",
    "UnknownRecord",
    "add_figure",
    "correct_document",
    "corrections",
    "count_documents",
    "create_store_engine",
    "current_records",
    "current_records_of",
    "current_version",
    "default_store_url",
    "discover",
    "display_url",
    "document_audit",
    "document_sightings",
    "ensure_default_store",
    "export_records",
    "get_document",
    "ingest_loaded",
    "ingest_paths",
    "ingest_source",
    "ingest_sources",
    "iter_records",
    "load_source",
    "migrate",
    "open_store",
    "record_history",
    "review_record",
    "sqlite_path",
    "store_changes",
    "store_loaded",
    "store_revision",
]
