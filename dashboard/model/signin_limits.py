"""The limit on failed reviewer sign-ins: counts per client and name, in memory, with delays that
double, so that guessing costs time while a stranger can never lock a reviewer out. Pure: no Streamlit.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

FREE_FAILURES = 3  # per client and name, before any delay: a few typos cost nothing
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 15 * 60
# A count is forgotten this long after its last failure. Longer than MAX_DELAY_S, so that waiting out
# the longest delay does not also wipe the count: a client that keeps failing stays at one try per MAX_DELAY_S.
FORGET_S = 30 * 60
CLIENT_FREE_NAMES = 10  # names one client may fail on before it waits on every name
NAME_ATTACK_CLIENTS = 5  # clients that may fail on one name before each waits from its first failure
MAX_RECORDS = 100_000  # up to about 300 bytes each: the limiter never holds much more than 30 MB
MAX_KNOWN_GOOD = 1_000
UNKNOWN_CLIENT = "unknown"


@dataclass(slots=True)
class _Record:
    """One count: a client's failures on a name, the names a client failed on, the clients that failed on a name,
    or the failures the table had no room for."""

    count: int = 0
    last: float = 0.0  # when count last grew (clock time)
    until: float = 0.0  # no try before this (clock time)


@dataclass(frozen=True)
class Throttle:
    """What one failed sign-in led to: how long this client now waits for this name, and what the limiter knows."""

    wait_s: float
    failures: int  # this client's failures on this name lately (or, untracked, the overflow's count)
    clients: int  # clients that failed on this name lately
    tracked: bool  # False when the limiter had no room for this client and name (see SignInLimiter)


@dataclass
class SignInLimiter:
    """Failed sign-ins, in memory, shared by every session of one server process (thread-safe).

    Failures are counted per client (the connection's address, see client_key) and name, so a
    stranger's failures never refuse anybody else:

    - a client and name get `free_failures` failures, then a delay before the next try that doubles
      with each failure (1 s, 2 s, 4 s ...) up to `max_delay_s`;
    - a client that failed on more than `client_free_names` names waits, on every name, a delay that
      doubles with each further name (password spraying);
    - on a name that more than `name_attack_clients` clients failed on (guessing from many
      addresses), a client waits from its first failure; a client that has not failed still passes;
    - counts are forgotten `forget_s` after their last failure; a success clears that client's
      count for that name.

    Memory is bounded by `max_records`. A live count is never dropped to make room (else a flood of
    other names would reset it): while the table is full, a failure it has no room for
    goes to one shared overflow count, and every client and name the table does not hold waits its
    delay, except one that signed in successfully from that client before (`max_known_good`
    of them are remembered) and has not failed since.
    """

    free_failures: int = FREE_FAILURES
    first_delay_s: float = FIRST_DELAY_S
    max_delay_s: float = MAX_DELAY_S
    forget_s: float = FORGET_S
    client_free_names: int = CLIENT_FREE_NAMES
    name_attack_clients: int = NAME_ATTACK_CLIENTS
    max_records: int = MAX_RECORDS
    max_known_good: int = MAX_KNOWN_GOOD
    clock: Callable[[], float] = time.monotonic
    # Ordered by last failure, so the forgotten ones are at the front: sweeping them costs no search.
    _records: OrderedDict[tuple[str, ...], _Record] = field(default_factory=OrderedDict, repr=False)
    _known_good: OrderedDict[tuple[str, str], None] = field(default_factory=OrderedDict, repr=False)
    _overflow: _Record = field(default_factory=_Record, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.forget_s < self.max_delay_s:
            # A record must outlive its delay, or sweeping by last failure would end delays early.
            raise ValueError("forget_s must be at least max_delay_s")
        if self.max_records < 3:
            raise ValueError("max_records must leave room for one failure's three records")

    @staticmethod
    def key(name: str) -> str:
        return str(name).strip().casefold()[:64]

    def _keys(self, name: str, client: str | None) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        client = str(client or UNKNOWN_CLIENT)[:64]
        name = self.key(name)
        return ("pair", client, name), ("client", client), ("name", name)

    def _delay(self, count: int, free: int) -> float:
        over = count - free
        if over <= 0:
            return 0.0
        return min(self.max_delay_s, self.first_delay_s * 2.0 ** min(over - 1, 64))

    def _sweep(self, now: float) -> None:
        records = self._records
        while records:
            key = next(iter(records))
            if records[key].last + self.forget_s > now:
                break
            del records[key]
        if self._overflow.last + self.forget_s <= now:
            self._overflow = _Record()

    def _no_room(self, keys: tuple[tuple[str, ...], ...]) -> bool:
        """Whether a failure of a client and name the table does not hold yet would find no room."""
        return len(self._records) + sum(key not in self._records for key in keys) > self.max_records

    def _wait(self, name: str, client: str | None) -> tuple[float, bool]:
        """How long to wait, and whether because the table is full; called under the lock."""
        now = self.clock()
        keys = pair_key, by_client_key, _ = self._keys(name, client)
        self._sweep(now)
        pair, by_client = self._records.get(pair_key), self._records.get(by_client_key)
        until = max(pair.until if pair else 0.0, by_client.until if by_client else 0.0)
        overflowing = pair is None and self._no_room(keys) and pair_key[1:] not in self._known_good
        if overflowing and self._overflow.until > until:
            return self._overflow.until - now, True
        return max(0.0, until - now), False

    def seconds_locked(self, name: str, client: str | None = None) -> float:
        """How long this client must still wait before trying this name (0 when it may try now)."""
        with self._lock:
            return self._wait(name, client)[0]

    def refusal(self, name: str, client: str | None = None) -> str | None:
        """The message refusing this client a try at this name now, or None when it may try."""
        with self._lock:
            wait_s, overflowing = self._wait(name, client)
        if wait_s <= 0:
            return None
        if overflowing:
            return f"Too many failed sign-ins on this server lately. Try again in {duration_text(wait_s)}."
        return f"Too many failed sign-ins from this connection for this name. Try again in {duration_text(wait_s)}."

    def failed(self, name: str, client: str | None = None) -> Throttle:
        keys = pair_key, by_client_key, name_key = self._keys(name, client)
        with self._lock:
            now = self.clock()  # read under the lock, so that the records stay in the order of their last failure
            self._sweep(now)
            self._known_good.pop(pair_key[1:], None)  # no longer a client that has not failed
            pair = self._records.get(pair_key)
            if pair is None:
                if self._no_room(keys):
                    overflow = self._overflow
                    overflow.count, overflow.last = overflow.count + 1, now
                    overflow.until = now + self._delay(overflow.count, 0)
                    by_name = self._records.get(name_key)
                    return Throttle(overflow.until - now, overflow.count, by_name.count if by_name else 0, tracked=False)
                by_client = self._grow(by_client_key, now)
                if by_client.count > self.client_free_names:
                    by_client.until = now + self._delay(by_client.count, self.client_free_names)
                self._grow(name_key, now)
                pair = self._records[pair_key] = _Record()
            by_name = self._records.get(name_key)  # forgotten already when no new client failed on it lately
            clients = by_name.count if by_name else 0
            self._grow(pair_key, now)
            free = 0 if clients > self.name_attack_clients else self.free_failures
            pair.until = max(pair.until, now + self._delay(pair.count, free))
            by_client = self._records.get(by_client_key)
            until = max(pair.until, by_client.until if by_client else 0.0)
            return Throttle(until - now, pair.count, clients, tracked=True)

    def _grow(self, key: tuple[str, ...], now: float) -> _Record:
        record = self._records.get(key)
        if record is None:
            record = self._records[key] = _Record()
        record.count, record.last = record.count + 1, now
        self._records.move_to_end(key)
        return record

    def succeeded(self, name: str, client: str | None = None) -> None:
        pair_key, _, _ = self._keys(name, client)
        with self._lock:
            self._records.pop(pair_key, None)
            self._known_good[pair_key[1:]] = None
            self._known_good.move_to_end(pair_key[1:])
            while len(self._known_good) > self.max_known_good:
                self._known_good.popitem(last=False)  # forgetting one only matters while the table is full

    def sizes(self) -> dict[str, int]:
        """How many records and known-good clients the limiter holds (for tests and monitoring)."""
        with self._lock:
            return {"records": len(self._records), "known_good": len(self._known_good)}


def duration_text(seconds: float) -> str:
    """'1 second', '40 seconds', '3 minutes': rounded up, so that a try at the time said is not refused."""
    if seconds <= 60:
        whole = max(1, math.ceil(seconds))
        return f"{whole} second{'s' * (whole != 1)}"
    whole = math.ceil(seconds / 60)
    return f"{whole} minute{'s' * (whole != 1)}"


def client_key(address: object) -> str | None:
    """The client an address counts as, for the failure limiter; None when it is not an IP address.

    An IPv4 address counts as itself; an IPv6 address as its /64 network, since one host or
    household usually holds a whole /64 and could otherwise try from billions of addresses.
    """
    if not isinstance(address, str):
        return None
    try:
        ip = ipaddress.ip_address(address.strip().split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


__all__ = [
    "CLIENT_FREE_NAMES",
    "FORGET_S",
    "FREE_FAILURES",
    "NAME_ATTACK_CLIENTS",
    "UNKNOWN_CLIENT",
    "SignInLimiter",
    "Throttle",
    "client_key",
    "duration_text",
]
