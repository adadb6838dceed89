"""Reviewer sign-in: password hashes, where the reviewers are configured, and the limit on failed sign-ins. Pure: no Streamlit.

Viewing the dashboard needs no sign-in; adding documents and reviewing figures do. Reviewers
are configured outside the repository, as name -> password hash:

- Streamlit secrets (``.streamlit/secrets.toml``, git-ignored, or the host's secrets settings)::

      [reviewers]
      amina = "scrypt$16384$8$1$<salt>$<hash>"

- or the environment variable ``DASHBOARD_REVIEWERS``, as JSON (``{"amina": "scrypt$..."}``)
  or ``name:hash,name:hash``.

Hashes are scrypt (hashlib, standard library) with a random 16-byte salt per password, compared
in constant time; make one with ``python -m dashboard.auth hash``. Failed sign-ins slow down the
client (connection address) that made them, for the name it tried, with a delay that doubles with
each failure; nobody else is refused, so a stranger cannot lock a reviewer out (SignInLimiter).

>>> stored = hash_password("correct horse battery staple", cost=2**10)
>>> verify_password("correct horse battery staple", stored), verify_password("wrong", stored)
(True, False)
>>> parse_reviewers("amina:" + stored) == {"amina": stored}
True
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import ipaddress
import json
import logging
import math
import os
import re
import secrets
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ENV_REVIEWERS = "DASHBOARD_REVIEWERS"
ENV_OIDC_REVIEWERS = "DASHBOARD_OIDC_REVIEWERS"
SECRETS_SECTION = "reviewers"
DEFAULT_COST = 2**14  # scrypt N: slow enough to make guessing costly, quick enough for a sign-in
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
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,31}")
_SCHEME = "scrypt"
LOG = logging.getLogger(__name__)


class AuthError(Exception):
    """Base of the sign-in errors."""


class ReviewerConfigError(AuthError, ValueError):
    """The reviewers' configuration (secrets or DASHBOARD_REVIEWERS) is malformed."""


class SignInRefused(AuthError, PermissionError):
    """Wrong name or password, or no reviewers configured; the message never says which of name or password was wrong."""


class TooManyAttempts(SignInRefused):
    """Too many failed sign-ins lately from this client for this name (or, with the limiter full, from unknown clients)."""


# ---- hashes ---------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, cost: int = DEFAULT_COST, salt: bytes | None = None) -> str:
    """'scrypt$N$r$p$<salt>$<hash>' (base64) for a password, with a fresh random salt."""
    if not isinstance(password, str) or not password:
        raise ValueError("the password is empty")
    if cost < 2 or cost & (cost - 1):
        raise ValueError(f"the scrypt cost must be a power of two, not {cost}")
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=cost, r=8, p=1, maxmem=256 * 1024 * 1024, dklen=32)
    return f"{_SCHEME}${cost}$8$1${_b64(salt)}${_b64(digest)}"


def _parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes]:
    parts = str(stored).strip().split("$")
    if len(parts) != 6 or parts[0] != _SCHEME:
        raise ReviewerConfigError(
            "a reviewer's password hash is not a 'scrypt$N$r$p$salt$hash' string; make one with python -m dashboard.auth hash"
        )
    try:
        cost, block, parallel = int(parts[1]), int(parts[2]), int(parts[3])
        salt, digest = base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5], validate=True)
    except ValueError as error:
        raise ReviewerConfigError(
            f"a reviewer's password hash is malformed ({error}); make a new one with python -m dashboard.auth hash"
        ) from None
    if not (2 <= cost <= 2**20 and 1 <= block <= 32 and 1 <= parallel <= 16 and len(salt) >= 8 and len(digest) >= 16):
        raise ReviewerConfigError(
            "a reviewer's password hash has unusable parameters; make a new one with python -m dashboard.auth hash"
        )
    return cost, block, parallel, salt, digest


def verify_password(password: str, stored: str) -> bool:
    """Whether the password matches the stored hash (constant-time comparison)."""
    cost, block, parallel, salt, digest = _parse_hash(stored)
    candidate = hashlib.scrypt(
        str(password).encode("utf-8", "surrogatepass"),
        salt=salt,
        n=cost,
        r=block,
        p=parallel,
        maxmem=256 * 1024 * 1024,
        dklen=len(digest),
    )
    return hmac.compare_digest(candidate, digest)


# A hash to check against when the name is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = hash_password(secrets.token_hex(16), cost=DEFAULT_COST)


# ---- configuration --------------------------------------------------------------------------


def _check_entry(name: Any, stored: Any) -> tuple[str, str]:
    name = str(name).strip()
    if not NAME.fullmatch(name):
        raise ReviewerConfigError(
            f"reviewer name {name[:40]!r} is not allowed: use 1-32 letters, digits, '.', '_', '-' or '@', starting with a letter or digit"
        )
    stored = str(stored).strip()
    _parse_hash(stored)
    return name, stored


def parse_reviewers(value: str | Mapping[str, Any] | None) -> dict[str, str]:
    """Reviewers from a mapping (secrets) or a DASHBOARD_REVIEWERS string: JSON or 'name:hash,name:hash'."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        items = list(value.items())
    else:
        text = str(value).strip()
        if not text:
            return {}
        if text.startswith(("{", "[")):
            try:
                loaded = json.loads(text)
            except json.JSONDecodeError as error:
                raise ReviewerConfigError(
                    f"{ENV_REVIEWERS} is not valid JSON ({error.msg}); see python -m dashboard.auth --help"
                ) from None
            if not isinstance(loaded, dict):
                raise ReviewerConfigError(f"{ENV_REVIEWERS} must be a JSON object of name: hash")
            items = list(loaded.items())
        else:
            items = []
            for entry in filter(None, (part.strip() for part in text.split(","))):
                name, separator, stored = entry.partition(":")
                if not separator:
                    raise ReviewerConfigError(f"{ENV_REVIEWERS} entries are 'name:hash', separated by commas")
                items.append((name, stored))
    return dict(_check_entry(name, stored) for name, stored in items)


def load_reviewers(secrets_section: Mapping[str, Any] | None, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The configured reviewers: the secrets' [reviewers] table, then DASHBOARD_REVIEWERS (which wins for a name in both)."""
    environ = os.environ if environ is None else environ
    reviewers = parse_reviewers(secrets_section)
    reviewers.update(parse_reviewers(environ.get(ENV_REVIEWERS)))
    return reviewers


def oidc_reviewers(listed: Any, environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """E-mail addresses that may review after an OpenID Connect sign-in (st.login): the secrets' list and DASHBOARD_OIDC_REVIEWERS."""
    environ = os.environ if environ is None else environ
    values = [str(item) for item in (listed or ()) if item] if not isinstance(listed, str) else listed.split(",")
    values += environ.get(ENV_OIDC_REVIEWERS, "").split(",")
    return frozenset(value.strip().casefold() for value in values if value.strip())


# ---- failed sign-ins ------------------------------------------------------------------------


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
            return f"Too many failed sign-ins on this server lately. Try again in {_duration(wait_s)}."
        return f"Too many failed sign-ins from this connection for this name. Try again in {_duration(wait_s)}."

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


def _duration(seconds: float) -> str:
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


def _who(match: str | None) -> str:
    # A typed name that is no reviewer's is never logged: it may be a password typed in the wrong box.
    return match if match is not None else "a name that is not a reviewer's"


def authenticate(
    reviewers: Mapping[str, str], limiter: SignInLimiter, name: str, password: str, *, client: str | None = None
) -> str:
    """The reviewer's configured name when `password` is right; SignInRefused (or TooManyAttempts) otherwise.

    `client` is the key of who is trying (client_key of the address, or one per session); callers
    that give none all share UNKNOWN_CLIENT.
    """
    typed = str(name or "").strip()
    client = client or UNKNOWN_CLIENT
    if not reviewers:
        raise SignInRefused(
            "No reviewers are configured, so nobody can sign in: an administrator adds them to the [reviewers] "
            f"secrets or {ENV_REVIEWERS} (see the README)."
        )
    refusal = limiter.refusal(typed, client)
    if refusal:
        raise TooManyAttempts(refusal)  # checked before the hash, so a refused try costs no scrypt work
    match = next((known for known in reviewers if known.casefold() == typed.casefold()), None)
    password = str(password or "")
    ok = False
    if typed and password and len(password) <= MAX_PASSWORD:
        ok = verify_password(password, reviewers[match] if match else _DUMMY_HASH) and match is not None
    if not ok:
        throttle = limiter.failed(typed, client)
        _log_failure(throttle, client, _who(match), limiter)
        message = "Wrong name or password. Check both and try again."
        if throttle.wait_s > 0:
            message += f" Wait {_duration(throttle.wait_s)} before the next try."
        raise SignInRefused(message)
    limiter.succeeded(typed, client)
    return match


def _log_failure(throttle: Throttle, client: str, who: str, limiter: SignInLimiter) -> None:
    if not throttle.tracked:
        LOG.warning(
            "Sign-in limiter full (%d records): a failure from %s on %s went to the shared count; connections "
            "it holds no record of wait %s, reviewers who signed in from theirs before do not",
            limiter.max_records,
            client,
            who,
            _duration(throttle.wait_s),
        )
    elif throttle.wait_s > 0:
        LOG.warning(
            "Sign-in: %s failed %d times lately on %s; it waits %s", client, throttle.failures, who, _duration(throttle.wait_s)
        )
    if throttle.clients == limiter.name_attack_clients + 1 and throttle.failures == 1:
        LOG.warning(
            "Sign-in: %d connections failed on %s within %d minutes; each now waits from its first failure",
            throttle.clients,
            who,
            round(limiter.forget_s / 60),
        )


# ---- command line ---------------------------------------------------------------------------

EXAMPLES = f"""examples:
  python -m dashboard.auth hash                       # asks for the password twice, prints the hash
  python -m dashboard.auth hash --name amina          # prints a line for .streamlit/secrets.toml
  printf '%s' "$PASSWORD" | python -m dashboard.auth hash --stdin --name amina --format env

then, in .streamlit/secrets.toml (never committed):
  [{SECRETS_SECTION}]
  amina = "scrypt$16384$8$1$...$..."

or in the environment:
  export {ENV_REVIEWERS}='amina:scrypt$16384$8$1$...$...,omar:scrypt$...'
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.auth",
        description="Make password hashes for the dashboard's reviewers (scrypt, a random salt per password).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser(
        "hash", help="print the hash of a password", epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    make.add_argument("--name", help="the reviewer's sign-in name: print a ready line for secrets.toml or the environment")
    make.add_argument("--stdin", action="store_true", help="read the password from standard input instead of asking")
    make.add_argument(
        "--format", choices=("toml", "env"), default="toml", help="with --name: a secrets.toml line (default) or name:hash"
    )
    args = parser.parse_args(argv)
    if args.name is not None and not NAME.fullmatch(args.name):
        parser.error("--name: use 1-32 letters, digits, '.', '_', '-' or '@', starting with a letter or digit")
    if args.stdin:
        password = sys.stdin.read().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("error: the two passwords differ", file=sys.stderr)
            return 2
    if len(password) < MIN_PASSWORD:
        print(f"error: use a password of at least {MIN_PASSWORD} characters", file=sys.stderr)
        return 2
    stored = hash_password(password)
    if args.name is None:
        print(stored)
    elif args.format == "env":
        print(f"{args.name}:{stored}")
    else:
        print(f'{args.name} = "{stored}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
