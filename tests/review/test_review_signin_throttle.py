"""The limit on failed sign-ins (dashboard.signin_limits.SignInLimiter) cannot be turned against reviewers.

A security review found that any visitor could lock a named reviewer out for 15 minutes with 5
wrong passwords, for ever, and that 10,001 failures on other names reset anyone's count. These
tests pin the replacement: failures slow down the client (connection) that made them, for that
name, with a growing delay; nobody else is refused; counts are dropped only once forgotten; and
the memory stays bounded. The clock is injected, so no test sleeps.
"""

from __future__ import annotations

import logging
import random

import pytest
from review_testkit import TEST_COST

from dashboard import auth
from dashboard.model import signin_limits

SECRET = "test-only-password-123"
STRANGER, REVIEWER_CLIENT = "203.0.113.7", "198.51.100.2"  # documentation addresses (RFC 5737)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def reviewers() -> dict[str, str]:
    return {"amina": auth.hash_password(SECRET, cost=TEST_COST)}


@pytest.fixture
def clock() -> Clock:
    return Clock()


def fail(limiter: signin_limits.SignInLimiter, times: int, name: str = "amina", client: str = STRANGER) -> None:
    for _ in range(times):
        limiter.failed(name, client)


def wrong_password(reviewers, limiter, name: str = "amina", client: str = STRANGER) -> auth.SignInRefused:
    with pytest.raises(auth.SignInRefused) as refused:
        auth.authenticate(reviewers, limiter, name, "not-the-password", client=client)
    return refused.value


# ---- a stranger cannot lock a reviewer out --------------------------------------------------


@pytest.mark.parametrize("failures", [5, 50], ids=["5-failures", "50-failures"])
@pytest.mark.parametrize("typed", ["amina", " AMINA "], ids=["same-spelling", "other-case-and-spaces"])
def test_a_strangers_failures_do_not_stop_the_reviewer_on_another_client(reviewers, clock, failures, typed):
    limiter = signin_limits.SignInLimiter(clock=clock)
    for _ in range(failures):
        if limiter.seconds_locked(typed, STRANGER) == 0:
            wrong_password(reviewers, limiter, typed)
        clock.now += 1
    assert limiter.seconds_locked("amina", STRANGER) > 0  # the stranger is slowed down ...
    assert limiter.seconds_locked("amina", REVIEWER_CLIENT) == 0  # ... and nobody else
    assert auth.authenticate(reviewers, limiter, "amina", SECRET, client=REVIEWER_CLIENT) == "amina"


@pytest.mark.parametrize(
    ("failures", "wait_s"),
    [(1, 0), (3, 0), (4, 1), (5, 2), (6, 4), (10, 64), (13, 512), (14, 900), (40, 900)],
    ids=["1", "3-free", "4-waits-1s", "5-waits-2s", "6-waits-4s", "10-waits-64s", "13-waits-512s", "14-capped", "40-capped"],
)
def test_the_delay_grows_with_each_failure_and_is_capped(clock, failures, wait_s):
    limiter = signin_limits.SignInLimiter(clock=clock)
    fail(limiter, failures)
    assert limiter.seconds_locked("amina", STRANGER) == wait_s
    clock.now += wait_s
    assert limiter.seconds_locked("amina", STRANGER) == 0  # a delay, never a lock for ever


def test_the_stranger_is_told_how_long_to_wait(reviewers, clock):
    limiter = signin_limits.SignInLimiter(clock=clock)
    for _ in range(signin_limits.FREE_FAILURES - 1):
        assert str(wrong_password(reviewers, limiter)) == "Wrong name or password. Check both and try again."
    assert str(wrong_password(reviewers, limiter)) == "Wrong name or password. Check both and try again."
    assert "Wait 1 second before the next try" in str(wrong_password(reviewers, limiter))
    with pytest.raises(auth.TooManyAttempts, match=r"from this connection for this name\. Try again in 1 second\.") as early:
        auth.authenticate(reviewers, limiter, "amina", SECRET, client=STRANGER)  # even the right password waits
    assert isinstance(early.value, PermissionError)
    clock.now += 1
    assert "Wait 2 seconds" in str(wrong_password(reviewers, limiter))
    fail(limiter, 6)
    with pytest.raises(auth.TooManyAttempts, match=r"Try again in 3 minutes\."):  # 128 s, rounded up
        auth.authenticate(reviewers, limiter, "amina", SECRET, client=STRANGER)
    clock.now += 128
    assert auth.authenticate(reviewers, limiter, "amina", SECRET, client=STRANGER) == "amina"


@pytest.mark.parametrize("name", ["amina", "nobody"], ids=["reviewer", "not-a-reviewer"])
def test_the_messages_never_tell_whether_a_name_exists(reviewers, clock, name):
    limiter = signin_limits.SignInLimiter(clock=clock)
    messages = [str(wrong_password(reviewers, limiter, name)) for _ in range(signin_limits.FREE_FAILURES + 1)]
    with pytest.raises(auth.TooManyAttempts) as early:
        auth.authenticate(reviewers, limiter, name, SECRET, client=STRANGER)
    assert messages[-1] == "Wrong name or password. Check both and try again. Wait 1 second before the next try."
    assert str(early.value) == "Too many failed sign-ins from this connection for this name. Try again in 1 second."


# ---- counts: per client and name, not reset by others ---------------------------------------


@pytest.mark.parametrize(
    ("others", "many_clients", "max_records"),
    [
        (10_001, False, None),
        (10_001, True, None),
        (301, True, 300),
    ],
    ids=["10001-other-names-from-one-client", "10001-other-names-from-as-many-clients", "more-than-the-table-holds"],
)
def test_failures_on_other_names_do_not_reset_a_count(clock, others, many_clients, max_records):
    limiter = signin_limits.SignInLimiter(clock=clock, **({"max_records": max_records} if max_records else {}))
    fail(limiter, signin_limits.FREE_FAILURES)
    for number in range(others):
        limiter.failed(f"made-up-{number}", f"10.0.{number // 256}.{number % 256}" if many_clients else "192.0.2.1")
    assert limiter.seconds_locked("amina", STRANGER) == 0
    limiter.failed("amina", STRANGER)
    assert limiter.seconds_locked("amina", STRANGER) == 1  # the 4th failure, not a 1st


def test_failures_are_forgotten_after_a_quiet_while(clock):
    limiter = signin_limits.SignInLimiter(clock=clock)
    fail(limiter, 20)
    clock.now += signin_limits.FORGET_S
    assert limiter.seconds_locked("amina", STRANGER) == 0
    fail(limiter, signin_limits.FREE_FAILURES)  # a fresh start: the free failures again
    assert limiter.seconds_locked("amina", STRANGER) == 0


@pytest.mark.parametrize(
    ("name", "client", "waits"),
    [
        ("amina", STRANGER, False),
        ("omar", STRANGER, True),
        ("amina", "192.0.2.99", True),
    ],
    ids=["that-name-that-client", "other-name-same-client", "same-name-other-client"],
)
def test_a_success_clears_only_that_clients_failures_for_that_name(reviewers, clock, name, client, waits):
    limiter = signin_limits.SignInLimiter(clock=clock)
    for failed_name, failed_client in [("amina", STRANGER), ("omar", STRANGER), ("amina", "192.0.2.99")]:
        fail(limiter, signin_limits.FREE_FAILURES + 1, failed_name, failed_client)
    clock.now += 1
    assert auth.authenticate(reviewers, limiter, "amina", SECRET, client=STRANGER) == "amina"
    fail(limiter, 1, name, client)
    assert (limiter.seconds_locked(name, client) > 0) is waits


@pytest.mark.parametrize(
    "spellings",
    [["amina", "Amina", "AMINA", " amina", "amina  "], ["ﬁona", "FIONA", "fiona", " Fiona "]],
    ids=["case-and-spaces", "casefold"],
)
def test_names_are_counted_case_and_space_insensitively(clock, spellings):
    limiter = signin_limits.SignInLimiter(clock=clock)
    for typed in spellings:
        limiter.failed(typed, STRANGER)
    assert all(limiter.seconds_locked(typed, STRANGER) > 0 for typed in spellings)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("fe80::1%eth0", "fe80::/64"),
        ("not an address", None),
        ("", None),
        (None, None),
        (object(), None),
    ],
    ids=["ipv4", "ipv4-spaces", "ipv6", "ipv6-same-64", "ipv4-mapped", "ipv6-scoped", "garbage", "empty", "none", "not-a-string"],
)
def test_client_keys(given, expected):
    assert signin_limits.client_key(given) == expected


def test_a_client_trying_many_names_is_slowed_on_every_name(clock):
    limiter = signin_limits.SignInLimiter(clock=clock)
    for number in range(signin_limits.CLIENT_FREE_NAMES):
        limiter.failed(f"name-{number}", STRANGER)
    assert limiter.seconds_locked("amina", STRANGER) == 0
    limiter.failed("one-name-too-many", STRANGER)
    assert limiter.seconds_locked("amina", STRANGER) == 1  # a name it never tried
    assert limiter.seconds_locked("amina", REVIEWER_CLIENT) == 0


def test_a_name_failed_from_many_clients_delays_each_from_its_first_failure_but_not_a_clean_client(reviewers, clock, caplog):
    limiter = signin_limits.SignInLimiter(clock=clock)
    attackers = [f"192.0.2.{number}" for number in range(signin_limits.NAME_ATTACK_CLIENTS + 1)]
    with caplog.at_level(logging.WARNING, logger="dashboard.auth"):
        for attacker in attackers[:-1]:
            wrong_password(reviewers, limiter, client=attacker)
        assert all(limiter.seconds_locked("amina", attacker) == 0 for attacker in attackers[:-1])
        wrong_password(reviewers, limiter, client=attackers[-1])
    assert limiter.seconds_locked("amina", attackers[-1]) == 1  # no free failures on a name under attack
    assert limiter.seconds_locked("amina", REVIEWER_CLIENT) == 0
    assert auth.authenticate(reviewers, limiter, "amina", SECRET, client=REVIEWER_CLIENT) == "amina"
    logged = caplog.text
    assert "connections failed on amina" in logged and "not-the-password" not in logged


def test_the_memory_stays_bounded_under_a_flood_of_names_and_clients(clock):
    limiter = signin_limits.SignInLimiter(clock=clock, max_records=500, max_known_good=20)
    fail(limiter, 14)  # a 15-minute delay, longer than the flood lasts
    pick = random.Random(12)
    for _ in range(20_000):
        client = f"{pick.randrange(1, 224)}.{pick.randrange(256)}.{pick.randrange(256)}.{pick.randrange(256)}"
        limiter.failed(f"{pick.getrandbits(64):x}", client)
        clock.now += 0.01
    for number in range(100):
        limiter.succeeded("amina", f"198.51.100.{number}")
    assert limiter.sizes()["records"] <= 500 and limiter.sizes()["known_good"] == 20
    assert limiter.seconds_locked("amina", STRANGER) > 0  # a live count is never dropped to make room
    clock.now += signin_limits.FORGET_S + 1
    limiter.failed("amina", STRANGER)
    assert limiter.sizes()["records"] == 3  # the forgotten ones went; this failure's pair, client and name came


def test_a_full_table_makes_unrecorded_clients_wait_but_not_a_reviewer_known_from_there(reviewers, clock, caplog):
    limiter = signin_limits.SignInLimiter(clock=clock, max_records=30)
    assert auth.authenticate(reviewers, limiter, "amina", SECRET, client=REVIEWER_CLIENT) == "amina"
    for number in range(10):
        limiter.failed(f"made-up-{number}", f"192.0.2.{number}")  # 30 records: full
    with caplog.at_level(logging.WARNING, logger="dashboard.auth"):
        wrong_password(reviewers, limiter, client=STRANGER)  # no room for its count ...
    assert limiter.seconds_locked("amina", STRANGER) == 1  # ... so whoever the table does not know waits
    assert limiter.seconds_locked("amina", "192.0.2.200") == 1
    assert limiter.seconds_locked("amina", REVIEWER_CLIENT) == 0  # signed in from there before: passes
    assert limiter.seconds_locked("made-up-1", "192.0.2.1") == 0  # and the recorded counts are kept
    with pytest.raises(auth.TooManyAttempts, match="Too many failed sign-ins on this server lately"):
        auth.authenticate(reviewers, limiter, "amina", SECRET, client="192.0.2.200")
    assert "full" in caplog.text
    clock.now += signin_limits.FORGET_S
    assert limiter.seconds_locked("amina", "192.0.2.200") == 0
