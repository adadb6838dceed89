"""RSS and Atom feeds, read by feedparser from bytes the guarded fetch downloaded.

feedparser is given the downloaded bytes, never a URL: it would fetch on its own, past the
guard. A feed feedparser could only read by guessing (malformed XML: its `bozo` flag with a
parse error) is refused whole, so that a broken answer never passes for an empty feed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from .errors import FeedUnreadable
from .items import Item

MAX_ITEMS = 500  # per answer: a feed lists its latest few dozen


def _day(entry: Any) -> str | None:
    for name in ("published_parsed", "updated_parsed"):
        parsed = entry.get(name)
        if parsed:
            return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).date().isoformat()
    return None


def feed_items(data: bytes, url: str, publisher: str | None = None) -> list[Item]:
    """The items of an RSS or Atom feed, in the feed's order; FeedUnreadable when it is not one."""
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(problem, feedparser.CharacterEncodingOverride):
        raise FeedUnreadable(f"{url}: not a readable RSS or Atom feed ({str(problem)[:160]}); check the feed's address")
    if not parsed.get("version"):
        raise FeedUnreadable(f"{url}: the answer is not an RSS or Atom feed; check the feed's address")
    channel = parsed.get("feed", {})
    outlet = publisher or channel.get("publisher") or channel.get("title") or None
    lang = channel.get("language") or None
    items = []
    for entry in parsed.get("entries", [])[:MAX_ITEMS]:
        link = entry.get("link")
        if not isinstance(link, str) or not link.strip():
            continue
        items.append(
            Item(
                key=str(entry.get("id") or link).strip(),
                url=link.strip(),
                title=entry.get("title") or None,
                publisher=(entry.get("source") or {}).get("title") if not publisher and entry.get("source") else outlet,
                published=_day(entry),
                lang=entry.get("language") or lang,
            )
        )
    return items
