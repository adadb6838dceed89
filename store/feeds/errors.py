"""The feed watcher's errors: one base, FeedError (a StoreError), each also the built-in a caller would catch."""

from __future__ import annotations

from ..connect import StoreError


class FeedError(StoreError):
    """Something the feed watcher could not do; the message says what and what to do."""


class FeedsFileError(FeedError, ValueError):
    """A feeds file that cannot be read, or a key in it with a value that cannot be used."""


class FeedUnreadable(FeedError, ValueError):
    """A feed's answer that is not what it should be: malformed XML or JSON, an unexpected shape."""


class DailyCapReached(FeedError):
    """A feed's calls for the day reached the daily cap of the feeds file."""


class RetryTooLate(FeedError, TimeoutError):
    """A server asked (Retry-After) to wait longer than the watcher waits."""
