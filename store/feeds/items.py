"""One item of a feed: where it is, what the feed says about it, and its text when the feed carries it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    key: str  # what the feed calls it: ReliefWeb id, RSS guid or link, a plain URL
    url: str  # the report's page: the stored document's origin and address
    title: str | None = None
    publisher: str | None = None
    published: str | None = None  # YYYY-MM-DD
    lang: str | None = None  # the language the feed states
    text: str | None = None  # the body the feed carries (ReliefWeb), None when the page must be read
    html: str | None = None  # or its HTML
    attachments: tuple[str, ...] = ()  # PDFs to read when the body is a stub
