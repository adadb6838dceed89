"""Reviewer sign-in: password hashes, where the reviewers are configured, and the limit on failed sign-ins. Pure: no Streamlit.

Viewing the dashboard needs no sign-in; adding documents and reviewing figures do. Reviewers
are configured outside the repository, as name -> password hash:

- Streamlit secrets (``.streamlit/secrets.toml``, git-ignored, or the host's secrets settings)::

      [reviewers]
      amina = "scrypt$16384$8$1$<salt>$<hash>"

- or the environment variable ``DASHBOARD_REVIEWERS``, as JSON (``{"amina": "scrypt$..."}``)
  or ``name:hash,name:hash``.

Hashes are scrypt (hashlib, standard library) with a random 16-byte salt per password, compared
in constant time; make one with ``python -m dashboard.auth hash``. Failed sign-ins are limited per
name: after MAX_FAILURES failures within WINDOW_S, that name is refused for LOCKOUT_S, even with
the right password (SignInLimiter).

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
import json
import os
import re
import secrets
import sys
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ENV_REVIEWERS = "DASHBOARD_REVIEWERS"
ENV_OIDC_REVIEWERS = "DASHBOARD_OIDC_REVIEWERS"
SECRETS_SECTION = "reviewers"
DEFAULT_COST = 2**14  # scrypt N: about 50 ms per check on this machine's cores
MAX_FAILURES = 5
WINDOW_S = 15 * 60
LOCKOUT_S = 15 * 60
MAX_TRACKED_NAMES = 10_000  # a flood of made-up names cannot grow the limiter without bound
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,31}")
_SCHEME = "scrypt"


class AuthError(Exception):
    """Base of the sign-in errors."""


class ReviewerConfigError(AuthError, ValueError):
    """The reviewers' configuration (secrets or DASHBOARD_REVIEWERS) is malformed."""


class SignInRefused(AuthError, PermissionError):
    """Wrong name or password, or no reviewers configured; the message never says which of name or password was wrong."""


class TooManyAttempts(SignInRefused):
    """Too many failed sign-ins for this name lately; try again later."""


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


@dataclass
class SignInLimiter:
    """Failed sign-ins per name, in memory, shared by every session of one server process (thread-safe).

    After `max_failures` failures within `window_s` seconds the name is locked for `lockout_s`
    seconds. A success clears the name's failures.
    """

    max_failures: int = MAX_FAILURES
    window_s: float = WINDOW_S
    lockout_s: float = LOCKOUT_S
    clock: Callable[[], float] = time.monotonic
    max_names: int = MAX_TRACKED_NAMES
    _failures: OrderedDict[str, deque[float]] = field(default_factory=OrderedDict, repr=False)
    _locked_until: dict[str, float] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @staticmethod
    def key(name: str) -> str:
        return str(name).strip().casefold()[:64]

    def seconds_locked(self, name: str) -> float:
        """How long this name is still refused (0 when it may try)."""
        with self._lock:
            until = self._locked_until.get(self.key(name), 0.0)
            return max(0.0, until - self.clock())

    def failed(self, name: str) -> None:
        key, now = self.key(name), self.clock()
        with self._lock:
            times = self._failures.pop(key, deque())
            times.append(now)
            while times and now - times[0] > self.window_s:
                times.popleft()
            self._failures[key] = times
            if len(times) >= self.max_failures:
                self._locked_until[key] = now + self.lockout_s
                times.clear()
            while len(self._failures) > self.max_names:
                oldest, _ = self._failures.popitem(last=False)
                if self._locked_until.get(oldest, 0.0) <= now:
                    self._locked_until.pop(oldest, None)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(self.key(name), None)


def authenticate(reviewers: Mapping[str, str], limiter: SignInLimiter, name: str, password: str) -> str:
    """The reviewer's configured name when `password` is right; SignInRefused (or TooManyAttempts) otherwise."""
    typed = str(name or "").strip()
    if not reviewers:
        raise SignInRefused(
            "No reviewers are configured, so nobody can sign in: an administrator adds them to the [reviewers] "
            f"secrets or {ENV_REVIEWERS} (see the README)."
        )
    locked = limiter.seconds_locked(typed)
    if locked > 0:
        raise TooManyAttempts(f"Too many failed sign-ins for this name. Try again in {max(1, round(locked / 60))} minute(s).")
    match = next((known for known in reviewers if known.casefold() == typed.casefold()), None)
    password = str(password or "")
    ok = False
    if typed and password and len(password) <= MAX_PASSWORD:
        ok = verify_password(password, reviewers[match] if match else _DUMMY_HASH) and match is not None
    if not ok:
        limiter.failed(typed)
        raise SignInRefused("Wrong name or password. Check both and try again.")
    limiter.succeeded(typed)
    return match


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
