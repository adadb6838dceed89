"""Calls to one feed's servers, politely: a pause between calls, a daily cap, Retry-After obeyed.

Every call goes through extractors.loaders (fetch and load): the guard refuses internal
addresses unless an operator allows them by name, the whole call has a deadline and the body
a size cap counted while reading. The clock and the sleep are injectable, so tests need not wait.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable
from typing import TypeVar

from extractors.loaders import HTTPStatusError, LoadedDocument, fetch, load
from extractors.loaders.fetch import Fetched

from .errors import DailyCapReached, RetryTooLate

T = TypeVar("T")
RETRY_STATUSES = frozenset({429, 503})
MAX_RETRIES = 3
MAX_RETRY_WAIT_S = 300.0  # a server asking for longer is left for the next run


def retry_after_seconds(value: str | None, now: dt.datetime) -> float | None:
    """The wait a Retry-After header asks for: seconds, or an HTTP date; None when it says nothing usable.

    >>> now = dt.datetime(2025, 5, 3, 10, 0, tzinfo=dt.UTC)
    >>> retry_after_seconds("7", now), retry_after_seconds("Sat, 03 May 2025 10:00:30 GMT", now), retry_after_seconds("soon", now)
    (7.0, 30.0, None)
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


class Client:
    """One feed's calls. `count_call()` records a call and returns the calls made today, this one included."""

    def __init__(
        self,
        *,
        pause_seconds: float,
        daily_cap: int,
        timeout: float,
        max_bytes: int,
        count_call: Callable[[], int],
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.pause_seconds, self.daily_cap = pause_seconds, daily_cap
        self.timeout, self.max_bytes = timeout, max_bytes
        self._count_call, self._clock, self._sleep, self._now = count_call, clock, sleep, now
        self._last: float | None = None
        self.calls = 0
        self.waited = 0.0

    def fetch(self, url: str) -> Fetched:
        return self._call(url, lambda: fetch(url, timeout=self.timeout, max_bytes=self.max_bytes))

    def load(self, url: str) -> LoadedDocument:
        return self._call(url, lambda: load(url, timeout=self.timeout, max_bytes=self.max_bytes))

    def post(self, url: str, body: bytes, content_type: str) -> Fetched:
        return self._call(url, lambda: fetch(url, timeout=self.timeout, max_bytes=64 * 1024, post=(body, content_type)))

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self._sleep(seconds)

    def _call(self, url: str, action: Callable[[], T]) -> T:
        for attempt in range(MAX_RETRIES + 1):
            if self._last is not None:
                self._wait(self.pause_seconds - (self._clock() - self._last))
            made = self._count_call()
            if made > self.daily_cap:
                raise DailyCapReached(
                    f"{url}: not fetched: the feed made its {self.daily_cap} calls for today (daily_cap in the feeds file); "
                    "the rest waits for tomorrow's run"
                )
            self.calls += 1
            try:
                result = action()
            except HTTPStatusError as error:
                self._last = self._clock()
                wait = retry_after_seconds(error.retry_after, self._now()) if error.status in RETRY_STATUSES else None
                if wait is None or attempt == MAX_RETRIES:
                    raise
                if wait > MAX_RETRY_WAIT_S:
                    raise RetryTooLate(
                        f"{url}: the server asks to wait {wait:,.0f} s (Retry-After), longer than {MAX_RETRY_WAIT_S:g} s; "
                        "the feed is left for the next run"
                    ) from error
                self._wait(wait)
                self._last = None  # the server's own wait stands for the pause
                continue
            except BaseException:
                self._last = self._clock()
                raise
            self._last = self._clock()
            return result
        raise AssertionError("unreachable: the loop returns or raises")
