"""A whole run: every feed of the file, a progress line each, then the digest kept, written and sent."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from extractors.console import one_line
from extractors.errors import ExtractionError

from . import alerts, digest_files, state
from .config import FeedsFile
from .errors import FeedError
from .watch import FeedResult, client_for, watch_feed

ATOM_RUNS = 20  # the runs the Atom feed tells


@dataclass
class RunReport:
    run_id: int
    feeds: list[FeedResult]
    digest: dict[str, Any]
    seconds: float
    files: list[Path] = field(default_factory=list)
    webhook_error: str | None = None

    def line(self) -> str:
        new = sum(feed.new for feed in self.feeds)
        copies = sum(feed.copies for feed in self.feeds)
        failed = sum(1 for feed in self.feeds if feed.error)
        return (
            f"watch: {len(self.feeds)} feeds ({failed} skipped), {new} new documents, {copies} duplicates, "
            f"{len(self.digest['new'])} new headline figures, {len(self.digest['changes'])} changes in {self.seconds:.1f} s"
        )


def _write(path: Path, text: str) -> Path:
    """Written whole or not at all: a reader (the dashboard's server) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
    return path


def run_feeds(
    engine: Engine,
    settings: FeedsFile,
    *,
    since: dt.date | None = None,
    say: Callable[[str], None] = print,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> RunReport:
    started = time.perf_counter()
    run_id = state.start_run(engine)
    results: list[FeedResult] = []
    for feed in settings.feeds:
        client = client_for(engine, feed, settings, clock=clock, sleep=sleep)
        result = watch_feed(engine, feed, settings, client, say, since)
        results.append(result)
        say(result.line())
    doc_ids = [doc_id for result in results for doc_id in result.doc_ids]
    digest = alerts.digest(engine, doc_ids, settings.alerts.threshold)
    summary = {result.name: {k: v for k, v in vars(result).items() if k != "doc_ids"} for result in results}
    state.finish_run(engine, run_id, summary, digest)
    report = RunReport(run_id, results, digest, time.perf_counter() - started)
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    alerts_settings = settings.alerts
    if alerts_settings.folder is not None:
        stamp = when.replace(":", "").replace("+0000", "Z")
        report.files.append(_write(alerts_settings.folder / f"digest-{stamp}-run{run_id}.md", digest_files.markdown(digest, when)))
        report.files.append(_write(alerts_settings.folder / f"digest-{stamp}-run{run_id}.json", digest_files.as_json(digest, when)))
    if alerts_settings.atom is not None:
        runs = state.recent_digests(engine, ATOM_RUNS)
        report.files.append(_write(alerts_settings.atom, digest_files.atom(runs, when)))
    if alerts_settings.webhook and (digest["new"] or digest["changes"]):
        report.webhook_error = _post(engine, settings, digest_files.webhook_payload(digest, when), clock, sleep)
        if report.webhook_error:
            say(f"webhook: not sent: {report.webhook_error}")
    return report


def _post(
    engine: Engine, settings: FeedsFile, body: bytes, clock: Callable[[], float], sleep: Callable[[float], None]
) -> str | None:
    from .client import Client

    day = dt.datetime.now(dt.UTC).date().isoformat()
    client = Client(
        pause_seconds=0,
        daily_cap=settings.daily_cap,
        timeout=settings.timeout_seconds,
        max_bytes=settings.max_bytes,
        count_call=lambda: state.count_call(engine, "(webhook)", day),
        clock=clock,
        sleep=sleep,
    )
    try:
        client.post(settings.alerts.webhook or "", body, "application/json")
    except (FeedError, ExtractionError) as error:
        return one_line(error)
    return None
