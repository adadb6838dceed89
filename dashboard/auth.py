"""Reviewer sign-in: password hashes, where the reviewers are configured, and checking a sign-in against the limit on failures (model/signin_limits.py). Pure: no Streamlit.

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
import json
import logging
import os
import re
import secrets
import sys
from collections.abc import Mapping
from typing import Any

from dashboard.model.signin_limits import UNKNOWN_CLIENT, SignInLimiter, Throttle, duration_text

ENV_REVIEWERS = "DASHBOARD_REVIEWERS"
ENV_OIDC_REVIEWERS = "DASHBOARD_OIDC_REVIEWERS"
SECRETS_SECTION = "reviewers"
DEFAULT_COST = 2**14  # scrypt N: slow enough to make guessing costly, quick enough for a sign-in
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
            message += f" Wait {duration_text(throttle.wait_s)} before the next try."
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
            duration_text(throttle.wait_s),
        )
    elif throttle.wait_s > 0:
        LOG.warning(
            "Sign-in: %s failed %d times lately on %s; it waits %s",
            client,
            throttle.failures,
            who,
            duration_text(throttle.wait_s),
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
