"""One run of the feed watcher: each feed's new items read and stored, then the run's digest.

A feed whose listing fails (a timeout, an HTTP error, malformed XML or JSON, an answer over the
size cap, the daily cap reached) is reported in one line and skipped; the others go on. An item
that cannot be read (its page refused by the guard, gone, too large) is reported and skipped;
it is tried again on the next run. Each document is stored in one transaction (store.ingest), so
nothing is ever half-stored; the same report seen again (another URL, format or outlet) is kept
as a sighting of the stored document (store.same_document), never stored twice.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from extractors.console import extraction_notes, one_line
from extractors.document import DocumentMeta
from extractors.errors import ExtractionError
from extractors.loaders import HTTPStatusError

from ..ingest import NEW, NEW_VERSION, store_loaded
from ..intake import with_stated_date
from ..sources import LoadedSource
from . import reliefweb, rss, state
from .client import Client
from .config import APPNAME_ENV, APPNAME_HELP, Feed, FeedsFile
from .errors import FeedError, FeedUnreadable
from .items import Item

STUB_WORDS = 60  # a ReliefWeb body shorter than this, with a PDF attached, is a summary of the PDF
COPY = "copy"

# Test hook (tests/store/test_feeds_kill.py): after storing this many items, before marking the
# last one seen, touch PAUSE_FILE and sleep, so a test can kill the watcher there.
PAUSE_AFTER_ITEMS = "STORE_FEEDS_TEST_PAUSE_AFTER_ITEMS"
PAUSE_FILE = "STORE_FEEDS_TEST_PAUSE_FILE"


@dataclass
class FeedResult:
    name: str
    kind: str
    listed: int = 0
    new: int = 0  # new documents and new versions
    copies: int = 0  # the same document seen again: a sighting
    unchanged: int = 0
    seen: int = 0  # items of earlier runs, not fetched
    older: int = 0  # published before --since, not fetched
    failed: int = 0
    calls: int = 0
    error: str | None = None
    doc_ids: list[str] = field(default_factory=list)

    def line(self) -> str:
        head = f"feed {self.name!r} ({self.kind}): {self.listed} listed, {self.new} new, {self.copies} duplicates, {self.seen} seen before"
        head += f", {self.older} older than --since" if self.older else ""
        head += f", {self.unchanged} unchanged, {self.failed} failed, {self.calls} calls"
        return head + (f"; skipped: {self.error}" if self.error else "")


def _meta(item: Item, feed: Feed, own: DocumentMeta | None, doc: str) -> DocumentMeta:
    """The item's metadata: the feeds file's publisher, else the page's own, else the feed's; likewise title and date."""
    own = own or DocumentMeta()
    values = {
        "doc": doc,
        "title": own.title or item.title,
        "publisher": feed.publisher or (item.publisher if feed.kind == "reliefweb" else own.publisher or item.publisher),
        "url": item.url if feed.kind == "reliefweb" else own.url or item.url,
        "published": item.published if feed.kind == "reliefweb" else own.published or item.published,
        "kind": own.kind,
    }
    if item.lang and "lang" in getattr(DocumentMeta, "__dataclass_fields__", {}):
        values["lang"] = item.lang  # the languages work's field, where it exists
    return DocumentMeta.from_mapping(values)


def _read(item: Item, feed: Feed, client: Client) -> LoadedSource:
    """The item's document: the body the feed carries, its PDF when the body is a stub, else its page."""
    doc = item.url.rstrip("/").rsplit("/", 1)[-1] or item.url
    body = (item.text or "").strip()
    if feed.kind == "reliefweb" and (len(body.split()) >= STUB_WORDS or not item.attachments):
        content_type = "text/markdown"
        if not body and item.html:
            from extractors.loaders.html import parse_html

            body, content_type = parse_html(item.html.encode("utf-8"), item.url, base_url=item.url).text, "text/html"
        if not body.strip():
            raise FeedUnreadable(f"{item.url}: the report has no text and no PDF attached; nothing to read")
        return LoadedSource(body, _meta(item, feed, None, doc), item.url, content_type)
    target = item.attachments[0] if feed.kind == "reliefweb" else item.url
    loaded = client.load(target)
    meta = _meta(item, feed, loaded.meta, loaded.meta.doc)
    origin = item.url if feed.kind == "reliefweb" else str(loaded.origin)
    return with_stated_date(
        LoadedSource(loaded.text, meta, origin, loaded.content_type or "text/plain", tuple(loaded.pages), loaded.raw_sha256)
    )


def _list(feed: Feed, settings: FeedsFile, client: Client, engine: Engine, since: dt.date | None) -> list[Item]:
    """The feed's items not seen before, oldest first (so a digest tells them in order)."""
    if feed.kind == "url":
        return [Item(key=url, url=url, publisher=feed.publisher) for url in feed.urls]
    if feed.kind == "rss":
        fetched = client.fetch(feed.url)
        return list(reversed(rss.feed_items(fetched.data, feed.url, feed.publisher)))
    found: list[Item] = []
    offset = 0
    for _ in range(feed.max_pages):
        url = reliefweb.query_url(feed, settings.appname or "", offset, since)
        items, total = reliefweb.page_items(client.fetch(url).data, feed.url)
        found.extend(items)
        offset += len(items)
        if (
            not items
            or offset >= total
            or not {item.key for item in items} - state.seen_keys(engine, feed.name, [i.key for i in items])
        ):
            break  # the end, or a page wholly seen in earlier runs: older pages were seen too
    return list(reversed(found))


def _test_pause(stored: int) -> None:
    after = os.environ.get(PAUSE_AFTER_ITEMS)
    if after is not None and stored >= int(after):
        Path(os.environ[PAUSE_FILE]).write_text(str(os.getpid()))
        time.sleep(120)


def watch_feed(
    engine: Engine, feed: Feed, settings: FeedsFile, client: Client, say: Callable[[str], None], since: dt.date | None = None
) -> FeedResult:
    result = FeedResult(feed.name, feed.kind)
    try:
        items = _list(feed, settings, client, engine, since)
    except (FeedError, ExtractionError) as error:
        result.error, result.calls = one_line(error), client.calls
        if feed.kind == "reliefweb" and isinstance(error, HTTPStatusError) and error.status == 403:
            result.error += f"; ReliefWeb refuses an appname it has not approved: request one ({APPNAME_HELP}) and set appname or {APPNAME_ENV}"
        return result
    result.listed = len(items)
    seen = state.seen_keys(engine, feed.name, [item.key for item in items])
    for item in items:
        if item.key in seen:
            result.seen += 1
            continue
        if since is not None and item.published and item.published < since.isoformat():
            result.older += 1
            continue
        try:
            loaded = _read(item, feed, client)
            with extraction_notes():
                stored = store_loaded(engine, loaded, item.url)
        except (FeedError, ExtractionError) as error:
            result.failed += 1
            say(f"  skipped {item.url}: {one_line(error)}")
            if isinstance(error, FeedError) and not isinstance(error, ValueError):
                result.error = one_line(error)  # the daily cap, a Retry-After too long: the feed stops here
                break
            continue
        status = COPY if stored.similarity is not None else stored.status
        if stored.status in (NEW, NEW_VERSION):
            result.new += 1
            result.doc_ids.append(stored.doc_id or "")
        elif status == COPY:
            result.copies += 1
        else:
            result.unchanged += 1
        _test_pause(result.new + result.copies + result.unchanged)
        state.mark_seen(engine, feed.name, item.key, url=item.url, doc_id=stored.doc_id, status=status, lang=item.lang)
    result.calls = client.calls
    return result


def client_for(engine: Engine, feed: Feed, settings: FeedsFile, **clock: Any) -> Client:
    today = dt.datetime.now(dt.UTC).date().isoformat()
    return Client(
        pause_seconds=settings.pause_seconds,
        daily_cap=settings.daily_cap,
        timeout=settings.timeout_seconds,
        max_bytes=settings.max_bytes,
        count_call=lambda: state.count_call(engine, feed.name, today),
        **clock,
    )


__all__ = ["COPY", "FeedResult", "client_for", "watch_feed"]
