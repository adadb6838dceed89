"""What's new: the alerts of the feed watcher's latest runs (store/feeds), as rows a page lists. Pure: no Streamlit.

Each finished run of `python -m store watch` keeps its digest in the store (feed_runs): the
headline figures its new documents brought, and those that moved more than the threshold from
the same originator's previous headline. The same alerts are in the Atom file the watcher
writes; the dashboard serves it as a static file (ATOM_PATH below its root).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa

from store.feeds.digest_files import figure_label

ATOM_FILE = "whats-new.xml"
ATOM_PATH = f"app/static/{ATOM_FILE}"
"""Where Streamlit serves dashboard/static/whats-new.xml (server.enableStaticServing)."""
COLUMNS = (
    "finished_at",
    "alert",
    "figure",
    "change",
    "quote",
    "source",
    "url",
    "previous_quote",
    "previous_source",
    "previous_url",
)


def latest_runs(engine: Any, limit: int = 20) -> list[dict[str, Any]]:
    """The latest finished runs' digests, newest first; [] for a store the watcher never ran on."""
    from store.feeds.state import recent_digests

    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("feed_runs"):
            return []
    return recent_digests(engine, limit)


def _row(
    finished_at: str, alert: str, figure: dict[str, Any], change: Any = None, previous: dict[str, Any] | None = None
) -> dict[str, Any]:
    previous = previous or {}
    return {
        "finished_at": finished_at,
        "alert": alert,
        "figure": figure_label(figure),
        "change": change,
        "quote": figure.get("quote"),
        "source": figure.get("source"),
        "url": figure.get("url"),
        "previous_quote": previous.get("quote"),
        "previous_source": previous.get("source"),
        "previous_url": previous.get("url"),
    }


def alert_rows(runs: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per alert, newest run first, each run's changes before its new figures.

    >>> run = {"finished_at": "2025-08-01T06:00:00+00:00", "digest": {"changes": [], "new": [
    ...     {"indicator": "deaths", "outcome": "killed", "location": "Gaza", "value": 60034.0, "unit": "people",
    ...      "originator": "Gaza Ministry of Health", "quote": "60,034 Palestinians have been killed", "source": "OCHA", "url": None}]}}
    >>> alert_rows([run])[["alert", "figure"]].to_dict("records")
    [{'alert': 'new', 'figure': 'killed in Gaza: 60,034, Gaza Ministry of Health'}]
    """
    rows = []
    for run in runs:
        digest, when = run.get("digest") or {}, run.get("finished_at") or ""
        rows += [
            _row(when, "changed", alert["figure"], alert.get("change"), alert["previous"]) for alert in digest.get("changes", [])
        ]
        rows += [_row(when, "new", figure) for figure in digest.get("new", [])]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def run_summary(runs: Sequence[dict[str, Any]]) -> str:
    """'3 runs, the latest on 2025-08-01 06:00 UTC: 2 new documents, 2 headline figures, 1 change.'"""
    if not runs:
        return "The feed watcher has not run on this store yet."
    latest = runs[0]
    digest = latest.get("digest") or {}
    when = str(latest.get("finished_at") or "")[:16].replace("T", " ")
    plural = "run" if len(runs) == 1 else "runs"
    return (
        f"{len(runs)} {plural}, the latest on {when} UTC: {len(digest.get('documents', []))} new documents, "
        f"{len(digest.get('new', []))} headline figures, {len(digest.get('changes', []))} changes."
    )
