"""A progress display for long ingestion runs, on stderr.

On a terminal: one bar redrawn in place. Otherwise (a log, a pipe, CI): a plain
line now and then. Nothing at all for runs shorter than `delay` seconds.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from extractors.console import one_line


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class ProgressBar:
    """Call it as `progress(done, total, item)` after each item; `write()` prints a message; `close()` at the end."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        label: str = "ingest",
        unit: str = "documents",
        tty: bool | None = None,
        delay: float = 1.0,
        plain_interval: float = 5.0,
        width: int = 30,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = tty if tty is not None else bool(getattr(self.stream, "isatty", lambda: False)())
        self.label, self.unit, self.delay, self.plain_interval, self.width = label, unit, delay, plain_interval, width
        self.started = time.monotonic()
        self._last_draw = float("-inf")
        self._drawn = False  # a bar is on the terminal's last line
        self._shown = False  # anything was shown at all
        self._last: tuple[int, int] | None = None

    def _text(self, done: int, total: int, item: str) -> str:
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        share = done / total if total else 1.0
        eta = f", eta {_duration((total - done) / rate)}" if rate > 0 and done < total else ""
        counts = f"{done}/{total} {self.unit} ({share:.0%}), {rate:.1f}/s{eta}"
        if not self.tty:
            return f"{self.label}: {counts}"
        filled = int(share * self.width)
        name = one_line(item.rsplit("/", 1)[-1][:40])
        return f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {counts} {name}"

    def __call__(self, done: int, total: int, item: str = "") -> None:
        self._last = (done, total)
        now = time.monotonic()
        if now - self.started < self.delay and done < total:
            return
        interval = 0.1 if self.tty else self.plain_interval
        final = done >= total
        if not final and now - self._last_draw < interval:
            return
        if final and not self._shown and now - self.started < self.delay:
            return  # a short run: no progress display at all
        self._last_draw = now
        text = self._text(done, total, item)
        if self.tty:
            self.stream.write("\r\x1b[2K" + text)
            self._drawn = True
        else:
            self.stream.write(text + "\n")
        self._shown = True
        self.stream.flush()

    def write(self, line: str) -> None:
        """Print a message line (a failure, a warning) without garbling the bar."""
        if self._drawn:
            self.stream.write("\r\x1b[2K")
            self._drawn = False
            self._last_draw = float("-inf")  # redraw the bar at the next update
        self.stream.write(one_line(line.rstrip("\n")) + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self._drawn = False
            self.stream.flush()
