"""Whether a store changed: an exact token for readers that keep what they read."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .migrations import current_version
from .schema import store_state


def store_revision(engine: Engine) -> str | None:
    """'<store id>:<revision>:<schema version>', which changes with every committed write; None when not tracked.

    Tracked on SQLite stores from schema version 4 (see migrations._step_004); None on
    PostgreSQL, on older stores that were opened without migrating, and when the store cannot
    be read. Equal tokens mean the same documents, records and reviews.
    """
    try:
        with engine.connect() as connection:
            version = current_version(connection)
            row = connection.execute(sa.select(store_state.c.store_id, store_state.c.revision)).first()
    except Exception:  # no store_state table yet, or no store at all: nothing to promise
        return None
    if row is None or row.revision is None:
        return None
    return f"{row.store_id}:{row.revision}:{version}"


__all__ = ["store_revision"]
