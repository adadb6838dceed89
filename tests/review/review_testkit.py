"""Constants and helpers of the review tests: the test-only reviewer, the briefs of the store, a report to paste."""

from __future__ import annotations

import functools
import secrets

from dashboard.auth import hash_password

REVIEWER = "amina"
PASSWORD = "test-only-" + secrets.token_urlsafe(12)  # made up per test session; never a real credential
TEST_COST = 2**10  # scrypt cost for the tests' hashes: fast, and verify_password reads it from the hash
STORE_BRIEFS = ("gaza-deaths-2023-11-06-al-jazeera", "sudan-deaths-2023-09-12-uol-noticias")
# A test-only report (no real figures): one figure the extractor reads, one it misses ("812 new arrivals").
PASTED_REPORT = (
    "Test-only situation note\n\n"
    "Officials said 40 people were killed in Khartoum, Sudan on 3 May 2025. "
    "The shelter in Omdurman counted 812 new arrivals on Monday.\n"
)
MISSED_FIGURE = "812"


@functools.cache
def reviewer_hash() -> str:
    return hash_password(PASSWORD, cost=TEST_COST)


def reviewers_value() -> str:
    """DASHBOARD_REVIEWERS for the test reviewer ('name:hash')."""
    return f"{REVIEWER}:{reviewer_hash()}"
