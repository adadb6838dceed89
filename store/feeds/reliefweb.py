"""ReliefWeb API v2 `reports`: the query for a feed, and the items of an answer.

The API is called with GET and the query in the URL's parameters (it takes the same
parameters as a JSON POST body, written `filter[conditions][0][field]=...`), with the
`appname` ReliefWeb requires on every call. Newest first (sort date.created:desc), so the
watcher stops paging at the first page it has wholly seen. An answer is
`{"totalCount": N, "count": n, "data": [{"id": "...", "fields": {...}}, ...], "links": {...}}`;
the fields read are title, body (Markdown) or body-html, date.created, source[].name,
language[].code, url_alias (else url) and file[].url of PDF attachments.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from .config import Feed
from .errors import FeedUnreadable
from .items import Item

FIELDS = (
    "id",
    "title",
    "body",
    "body-html",
    "date.created",
    "source.name",
    "language.code",
    "url",
    "url_alias",
    "file.url",
    "file.mimetype",
)
CONDITIONS = (("country", "country.iso3"), ("theme", "theme.name"), ("language", "language.code"), ("source", "source.shortname"))


def query_url(feed: Feed, appname: str, offset: int, since: dt.date | None = None) -> str:
    """The GET URL of one page of a feed's reports."""
    params: list[tuple[str, str]] = [("appname", appname)]
    params += [("fields[include][]", name) for name in FIELDS]
    conditions: list[list[tuple[str, str]]] = []  # each: (key below filter[conditions][i], value)
    for attribute, field in CONDITIONS:
        values = getattr(feed, attribute)
        if values:
            conditions.append([("[field]", field), *(("[value][]", value) for value in values), ("[operator]", "OR")])
    start = max(filter(None, (feed.date_from, since)), default=None)
    if start or feed.date_to:
        dates = [("[field]", "date.created")]
        if start:
            dates.append(("[value][from]", f"{start.isoformat()}T00:00:00+00:00"))
        if feed.date_to:
            dates.append(("[value][to]", f"{feed.date_to.isoformat()}T23:59:59+00:00"))
        conditions.append(dates)
    if conditions:
        params.append(("filter[operator]", "AND"))
        for index, condition in enumerate(conditions):
            params += [(f"filter[conditions][{index}]{key}", value) for key, value in condition]
    params += [("sort[]", "date.created:desc"), ("limit", str(feed.page_size)), ("offset", str(offset))]
    return f"{feed.url}?{urlencode(params)}"


def _first(values: Any, key: str) -> str | None:
    if isinstance(values, list):
        for value in values:
            if isinstance(value, dict) and isinstance(value.get(key), str) and value[key].strip():
                return value[key].strip()
    return None


def _item(entry: Any) -> Item | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("fields"), dict):
        return None
    fields = entry["fields"]
    key = str(entry.get("id") or fields.get("id") or "").strip()
    url = fields.get("url_alias") or fields.get("url")
    if not key or not isinstance(url, str):
        return None
    created = (fields.get("date") or {}).get("created") if isinstance(fields.get("date"), dict) else None
    files = fields.get("file") if isinstance(fields.get("file"), list) else []
    pdfs = tuple(
        f["url"]
        for f in files
        if isinstance(f, dict)
        and isinstance(f.get("url"), str)
        and (f.get("mimetype") == "application/pdf" or f["url"].lower().endswith(".pdf"))
    )
    return Item(
        key=key,
        url=url,
        title=fields.get("title") if isinstance(fields.get("title"), str) else None,
        publisher=_first(fields.get("source"), "name"),
        published=created[:10] if isinstance(created, str) else None,
        lang=_first(fields.get("language"), "code"),
        text=fields.get("body") if isinstance(fields.get("body"), str) else None,
        html=fields.get("body-html") if isinstance(fields.get("body-html"), str) else None,
        attachments=pdfs,
    )


def page_items(data: bytes, url: str) -> tuple[list[Item], int]:
    """The items of one answer and the total count the API states; FeedUnreadable for anything else."""
    try:
        answer = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise FeedUnreadable(
            f"{url}: the answer is not JSON ({str(error)[:120]}); check the endpoint, or try again later"
        ) from None
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
        raise FeedUnreadable(f"{url}: the answer has no `data` list, so it is not a ReliefWeb API answer; check the endpoint")
    total = answer.get("totalCount")
    items = [item for item in map(_item, answer["data"]) if item is not None]
    return items, total if isinstance(total, int) else len(items)
