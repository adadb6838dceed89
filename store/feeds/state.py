"""What the watcher keeps in the store (migration 9): items seen per feed, calls per day, runs and their digests.

An item is marked seen in its own transaction after its document is stored (or recognised as a
copy). A watcher killed between the two finds the item unseen on its next run, fetches it
again, and ingestion finds the document already stored: nothing is stored twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..connect import write_transaction
from ..schema import feed_calls, feed_items, feed_runs


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def seen_keys(engine: Engine, feed: str, keys: Iterable[str]) -> set[str]:
    keys = list(dict.fromkeys(keys))
    if not keys:
        return set()
    query = sa.select(feed_items.c.item_key).where(feed_items.c.feed == feed, feed_items.c.item_key.in_(keys))
    with engine.connect() as connection:
        return set(connection.execute(query).scalars())


def mark_seen(engine: Engine, feed: str, key: str, *, url: str, doc_id: str | None, status: str, lang: str | None) -> None:
    with write_transaction(engine, f"feed:{feed}") as connection:
        exists = connection.execute(
            sa.select(feed_items.c.item_key).where(feed_items.c.feed == feed, feed_items.c.item_key == key)
        ).first()
        if exists is None:
            connection.execute(
                feed_items.insert().values(
                    feed=feed, item_key=key, url=url, doc_id=doc_id, status=status, lang=lang, seen_at=now_iso()
                )
            )


def count_call(engine: Engine, feed: str, day: str) -> int:
    """Record one call of `feed` on `day`; the calls of that day, this one included."""
    where = (feed_calls.c.feed == feed, feed_calls.c.day == day)
    with write_transaction(engine, f"feed-calls:{feed}") as connection:
        calls = connection.execute(sa.select(feed_calls.c.calls).where(*where)).scalar()
        if calls is None:
            connection.execute(feed_calls.insert().values(feed=feed, day=day, calls=1))
            return 1
        connection.execute(sa.update(feed_calls).where(*where).values(calls=calls + 1))
        return calls + 1


def start_run(engine: Engine) -> int:
    with write_transaction(engine, "feed-runs") as connection:
        return int(connection.execute(feed_runs.insert().values(started_at=now_iso(), summary={})).inserted_primary_key[0])


def finish_run(engine: Engine, run_id: int, summary: dict[str, Any], digest: dict[str, Any]) -> None:
    with write_transaction(engine, "feed-runs") as connection:
        connection.execute(
            sa.update(feed_runs).where(feed_runs.c.run_id == run_id).values(finished_at=now_iso(), summary=summary, digest=digest)
        )


def recent_digests(engine: Engine, limit: int = 20) -> list[dict[str, Any]]:
    """The digests of the latest finished runs, newest first."""
    query = (
        sa.select(feed_runs.c.run_id, feed_runs.c.finished_at, feed_runs.c.digest)
        .where(feed_runs.c.finished_at.is_not(None))
        .order_by(feed_runs.c.run_id.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]
