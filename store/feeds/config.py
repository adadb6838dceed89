"""The feeds file: what the watcher follows, and how politely (TOML).

    appname = "myorg-sudan-gaza-a7k2"   # ReliefWeb's approved appname; else env RELIEFWEB_APPNAME
    pause_seconds = 1.0                 # between two calls to one feed's server
    daily_cap = 300                     # calls per feed and UTC day

    [alerts]
    folder = "data/digests"             # digest-<time>.md and .json after each run
    atom = "dashboard/static/whats-new.xml"
    threshold = 0.10                    # a headline that moves more than 10 % is an alert
    webhook = "https://hooks.slack.com/services/..."   # optional

    [[reliefweb]]
    name = "Sudan: OCHA reports"
    country = ["SDN"]
    source = ["OCHA"]

    [[rss]]
    name = "UN News: Middle East"
    url = "https://news.un.org/feed/subscribe/en/news/region/middle-east/feed/rss.xml"

    [[url]]
    name = "Gaza MoH daily"
    urls = ["https://example.org/daily-report.html"]

Everything that is wrong in the file is said in one FeedsFileError (also a ValueError) naming
the key and what to write instead; nothing is fetched from a file that does not read.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import FeedsFileError

APPNAME_ENV = "RELIEFWEB_APPNAME"
APPNAME_HELP = "https://apidoc.reliefweb.int/parameters#appname"
RELIEFWEB_ENDPOINT = "https://api.reliefweb.int/v2/reports"
KINDS = ("reliefweb", "rss", "url")
MAX_FILE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Feed:
    """One thing to follow."""

    name: str
    kind: str  # reliefweb, rss or url
    url: str = ""  # the feed's address (rss), the API endpoint (reliefweb)
    urls: tuple[str, ...] = ()  # plain URLs (url)
    publisher: str | None = None  # overrides what the feed or page says (rss, url)
    country: tuple[str, ...] = ()  # ReliefWeb filters
    theme: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page_size: int = 20
    max_pages: int = 5


@dataclass(frozen=True)
class Alerts:
    folder: Path | None = None
    atom: Path | None = None
    threshold: float = 0.10
    webhook: str | None = None


@dataclass(frozen=True)
class FeedsFile:
    feeds: tuple[Feed, ...]
    appname: str | None = None
    pause_seconds: float = 1.0
    daily_cap: int = 300
    timeout_seconds: float = 30.0
    max_bytes: int = 20 * 1024 * 1024
    alerts: Alerts = field(default_factory=Alerts)


def _text(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FeedsFileError(f"{where} must be a non-empty string, not {value!r}")
    return value.strip()


def _texts(where: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise FeedsFileError(f"{where} must be a string or a list of strings, not {value!r}")
    return tuple(_text(where, item) for item in value)


def _number(where: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise FeedsFileError(f"{where} must be a number from {low:g} to {high:g}, not {value!r}")
    return value


def _day(where: str, value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise FeedsFileError(f"{where} must be a date written YYYY-MM-DD, not {value!r}") from None


def _web(where: str, value: Any) -> str:
    url = _text(where, value)
    if not url.lower().startswith(("http://", "https://")):
        raise FeedsFileError(f"{where} must be an http:// or https:// address, not {url[:80]!r}")
    return url


_FEED_KEYS = {
    "reliefweb": {"name", "endpoint", "country", "theme", "language", "source", "from", "to", "page_size", "max_pages"},
    "rss": {"name", "url", "publisher"},
    "url": {"name", "urls", "publisher"},
}


def _feed(kind: str, index: int, table: Any) -> Feed:
    where = f"[[{kind}]] number {index + 1}"
    if not isinstance(table, dict):
        raise FeedsFileError(f"{where} must be a table")
    unknown = sorted(set(table) - _FEED_KEYS[kind])
    if unknown:
        raise FeedsFileError(f"{where}: unknown key {unknown[0]!r}; the keys are {', '.join(sorted(_FEED_KEYS[kind]))}")
    name = _text(f"{where}: name", table.get("name"))
    where = f"feed {name!r}"
    publisher = _text(f"{where}: publisher", table["publisher"]) if "publisher" in table else None
    if kind == "rss":
        return Feed(name, kind, url=_web(f"{where}: url", table.get("url")), publisher=publisher)
    if kind == "url":
        urls = tuple(_web(f"{where}: urls", url) for url in _texts(f"{where}: urls", table.get("urls")))
        return Feed(name, kind, urls=urls, publisher=publisher)
    return Feed(
        name,
        kind,
        url=_web(f"{where}: endpoint", table.get("endpoint", RELIEFWEB_ENDPOINT)),
        country=tuple(code.upper() for code in _texts(f"{where}: country", table.get("country", []))),
        theme=_texts(f"{where}: theme", table.get("theme", [])),
        language=_texts(f"{where}: language", table.get("language", [])),
        source=_texts(f"{where}: source", table.get("source", [])),
        date_from=_day(f"{where}: from", table.get("from")),
        date_to=_day(f"{where}: to", table.get("to")),
        page_size=int(_number(f"{where}: page_size", table.get("page_size", 20), 1, 1000)),
        max_pages=int(_number(f"{where}: max_pages", table.get("max_pages", 5), 1, 1000)),
    )


def _alerts(table: Any, base: Path) -> Alerts:
    if not isinstance(table, dict):
        raise FeedsFileError("[alerts] must be a table")
    unknown = sorted(set(table) - {"folder", "atom", "threshold", "webhook"})
    if unknown:
        raise FeedsFileError(f"[alerts]: unknown key {unknown[0]!r}; the keys are atom, folder, threshold, webhook")

    def path(key: str) -> Path | None:
        return base / _text(f"[alerts] {key}", table[key]) if key in table else None

    return Alerts(
        folder=path("folder"),
        atom=path("atom"),
        threshold=_number("[alerts] threshold", table.get("threshold", 0.10), 0, 100),
        webhook=_web("[alerts] webhook", table["webhook"]) if "webhook" in table else None,
    )


_TOP_KEYS = {"appname", "pause_seconds", "daily_cap", "timeout_seconds", "max_bytes", "alerts", *KINDS}


def parse_feeds(data: dict[str, Any], base: Path = Path(".")) -> FeedsFile:
    """A feeds file's parsed TOML, checked; relative paths are taken from `base`."""
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise FeedsFileError(f"unknown key {unknown[0]!r}; the keys are {', '.join(sorted(_TOP_KEYS))}")
    feeds: list[Feed] = []
    for kind in KINDS:
        tables = data.get(kind, [])
        if not isinstance(tables, list):
            raise FeedsFileError(f"write each {kind} feed as a [[{kind}]] table")
        feeds.extend(_feed(kind, index, table) for index, table in enumerate(tables))
    names = [feed.name for feed in feeds]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise FeedsFileError(f"two feeds are named {twice[0]!r}; give each feed its own name (it keys what was seen)")
    appname = data.get("appname") or os.environ.get(APPNAME_ENV) or None
    if any(feed.kind == "reliefweb" for feed in feeds) and not appname:
        raise FeedsFileError(
            f'ReliefWeb feeds need an appname: write appname = "..." in the file or set {APPNAME_ENV}; '
            f"ReliefWeb grants one on request ({APPNAME_HELP})"
        )
    return FeedsFile(
        tuple(feeds),
        appname=_text("appname", appname) if appname else None,
        pause_seconds=_number("pause_seconds", data.get("pause_seconds", 1.0), 0, 3600),
        daily_cap=int(_number("daily_cap", data.get("daily_cap", 300), 1, 1_000_000)),
        timeout_seconds=_number("timeout_seconds", data.get("timeout_seconds", 30.0), 0.1, 600),
        max_bytes=int(_number("max_bytes", data.get("max_bytes", 20 * 1024 * 1024), 1024, 200 * 1024 * 1024)),
        alerts=_alerts(data.get("alerts", {}), base),
    )


def read_feeds(path: str | os.PathLike[str]) -> FeedsFile:
    """The feeds file at `path`; relative alert paths are taken from the working directory."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            content = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise FeedsFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    if len(content) > MAX_FILE_BYTES:
        raise FeedsFileError(f"{path}: larger than {MAX_FILE_BYTES:,} bytes, which no feeds file needs")
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise FeedsFileError(f"{path}: not valid TOML ({error}); see the feeds file format in store/README.md") from None
    try:
        return parse_feeds(data)
    except FeedsFileError as error:
        raise FeedsFileError(f"{path}: {error}") from None
