"""Reports that arrive by themselves: ReliefWeb API queries, RSS and Atom feeds, plain URLs.

    from store.feeds import read_feeds, run_feeds
    report = run_feeds(open_store(url), read_feeds("feeds.toml"))

`python -m store watch FEEDS.toml` runs it; see store/README.md for the feeds file.
"""

from __future__ import annotations

from .config import Feed, FeedsFile, parse_feeds, read_feeds
from .errors import DailyCapReached, FeedError, FeedsFileError, FeedUnreadable, RetryTooLate
from .run import RunReport, run_feeds

__all__ = [
    "DailyCapReached",
    "Feed",
    "FeedError",
    "FeedUnreadable",
    "FeedsFile",
    "FeedsFileError",
    "RetryTooLate",
    "RunReport",
    "parse_feeds",
    "read_feeds",
    "run_feeds",
]
