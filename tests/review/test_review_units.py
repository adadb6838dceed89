"""The pure parts: password hashes, the reviewers' configuration, the limit on failed sign-ins, the hash
command line, corrections laid over records, the reviewed-only filter and what charts say about review."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from review_testkit import TEST_COST

from dashboard import auth
from dashboard.exports import briefing_text
from dashboard.model import review
from dashboard.model.filters import FilterChoices, Filters, apply_filters, from_query_params

SECRET = "test-only-password-123"


@pytest.fixture(scope="module")
def stored() -> str:
    return auth.hash_password(SECRET, cost=TEST_COST)


# ---- hashes and configuration ---------------------------------------------------------------


def test_hashes_are_salted_and_checked(stored):
    again = auth.hash_password(SECRET, cost=TEST_COST)
    assert stored != again and stored.startswith(f"scrypt${TEST_COST}$8$1$")  # a fresh salt each time
    assert auth.verify_password(SECRET, stored) and auth.verify_password(SECRET, again)
    assert not auth.verify_password(SECRET + " ", stored) and not auth.verify_password("", stored)
    assert SECRET not in stored


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, {}),
        ("", {}),
        ("amina:{h}", {"amina": "{h}"}),
        (" amina:{h} , omar.k:{h} ", {"amina": "{h}", "omar.k": "{h}"}),
        ('{{"amina": "{h}"}}', {"amina": "{h}"}),
        ({"amina": "{h}"}, {"amina": "{h}"}),
    ],
    ids=["none", "empty", "one", "two-with-spaces", "json", "secrets-table"],
)
def test_reviewer_configurations_are_read(stored, value, expected):
    given = json.loads(json.dumps(value).replace("{h}", stored)) if isinstance(value, dict) else value
    given = given.replace("{h}", stored).replace("{{", "{").replace("}}", "}") if isinstance(given, str) else given
    assert auth.parse_reviewers(given) == dict.fromkeys(expected, stored)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("amina", "name:hash"),
        ("amina:plaintext-password", "not a 'scrypt"),
        ("<img src=x>:{h}", "is not allowed"),
        ("{not json", "not valid JSON"),
        ('["amina"]', "not valid JSON|must be a JSON object"),
        ("amina:scrypt$3$8$1$AAAA$AAAA", "unusable|malformed"),
    ],
    ids=["no-hash", "plain-password", "hostile-name", "bad-json", "json-list", "bad-cost"],
)
def test_malformed_configurations_are_refused_without_echoing_hashes(stored, value, message):
    with pytest.raises(auth.ReviewerConfigError, match=message) as refused:
        auth.parse_reviewers(value.replace("{h}", stored))
    assert (
        isinstance(refused.value, ValueError)
        and stored not in str(refused.value)
        and "plaintext-password" not in str(refused.value)
    )


def test_the_environment_adds_to_the_secrets(stored):
    other = auth.hash_password("another-password", cost=TEST_COST)
    merged = auth.load_reviewers({"amina": stored}, {auth.ENV_REVIEWERS: f"omar:{other}"})
    assert merged == {"amina": stored, "omar": other}
    assert auth.oidc_reviewers(["A@x.org"], {auth.ENV_OIDC_REVIEWERS: " b@y.org ,"}) == {"a@x.org", "b@y.org"}


# The limit on failed sign-ins: test_review_signin_throttle.py.


# ---- the command line -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "shape"),
    [([], r"^scrypt\$16384\$8\$1\$\S+\$\S+\n$"), (["--name", "amina"], r'^amina = "scrypt\$[^"]+"\n$'),
     (["--name", "amina", "--format", "env"], r"^amina:scrypt\$\S+\n$")],
    ids=["hash", "toml", "env"],
)  # fmt: skip
def test_the_hash_command(monkeypatch, capsys, args, shape):
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    assert auth.main(["hash", "--stdin", *args]) == 0
    out = capsys.readouterr().out
    assert re.match(shape, out), out
    stored = re.search(r'scrypt\$[^"\s]+', out).group(0)
    assert auth.verify_password(SECRET, stored)


def test_the_hash_command_refuses_short_passwords_and_shows_examples(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert auth.main(["hash", "--stdin"]) == 2
    assert "at least" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        auth.main(["--help"])
    assert "python -m dashboard.auth hash --name amina" in capsys.readouterr().out


# ---- corrections over records, the filter, the captions -------------------------------------

FRAME = pd.DataFrame(
    {
        "record_id": ["kept", "fixed", "gone", "added"],
        "value": [10.0, 20.0, 30.0, 40.0],
        "low": [10.0, 20.0, 30.0, 40.0],
        "high": [10.0, 20.0, 30.0, 40.0],
        "reference_date": ["2025-01-01"] * 4,
        "location": ["Sudan"] * 4,
        "review_status": ["unreviewed", "corrected", "rejected", "accepted"],
        "extractor_version": ["0.9", "0.9", "0.9", "manual:amina"],
    }
)


def test_overlay_shows_corrections_and_leaves_out_rejections():
    corrections = {"fixed": {"value": 25.0, "high": None, "reference_date": "2025-02-01"}, "unknown": {"value": 1.0}}
    shown = review.overlay_reviews(FRAME, corrections)
    assert list(shown["record_id"]) == ["kept", "fixed", "added"]
    fixed = shown.set_index("record_id").loc["fixed"]
    assert (fixed["value"], pd.isna(fixed["high"]), fixed["reference_date"], fixed["corrected"]) == (
        25.0,
        True,
        "2025-02-01",
        True,
    )
    assert list(shown["manual"]) == [False, False, True]
    assert FRAME.loc[1, "value"] == 20.0  # the frame given is untouched
    assert len(review.overlay_reviews(FRAME, {}, keep_rejected=True)) == 4


@pytest.mark.parametrize(
    ("params", "reviewed_only", "notes"),
    [({"reviewed": "only"}, True, 0), ({"reviewed": "all"}, False, 0), ({"reviewed": "<b>x</b>"}, False, 1), ({}, False, 0)],
    ids=["only", "all", "hostile", "absent"],
)
def test_the_reviewed_filter_in_the_url(params, reviewed_only, notes):
    filters, found = from_query_params(params, FilterChoices())
    assert filters.reviewed_only is reviewed_only and len(found) == notes
    assert ("reviewed" in filters.to_query_params()) is reviewed_only
    kept = apply_filters(review.overlay_reviews(FRAME, {}), filters)
    assert list(kept["record_id"]) == (["fixed", "added"] if reviewed_only else ["kept", "fixed", "added"])


@pytest.mark.parametrize(
    ("reviewed_only", "statuses", "expected"),
    [(True, ["accepted"], "Reviewed figures only"), (False, ["accepted", "corrected"], "All figures reviewed"),
     (False, ["accepted", "unreviewed", "unreviewed"], "Includes 2 unreviewed figures")],
    ids=["limited", "all-reviewed", "mixed"],
)  # fmt: skip
def test_charts_say_whether_they_are_limited_to_reviewed_figures(reviewed_only, statuses, expected):
    records = pd.DataFrame({"review_status": statuses, "date": [pd.Timestamp("2025-01-01")] * len(statuses),
                            "doc_id": ["d"] * len(statuses)})  # fmt: skip
    assert review.review_scope(reviewed_only, records) == expected
    assert expected in briefing_text.filters_text(Filters(reviewed_only=reviewed_only), records)  # PNG, HTML and package subtitle


@pytest.mark.parametrize(
    ("values", "low", "high"),
    [({"qualifier": "exact"}, 45.0, 45.0), ({"qualifier": "at_least"}, 45.0, None), ({"qualifier": "fewer_than"}, None, 45.0),
     ({"qualifier": "approx"}, 1.0, 99.0), ({"qualifier": "range"}, 1.0, 99.0)],
    ids=["exact", "at-least", "fewer-than", "approx-keeps", "range-keeps"],
)  # fmt: skip
def test_qualifiers_imply_their_bounds(values, low, high):
    result = review.with_implied_bounds({"value": 45.0, "low": 1.0, "high": 99.0, **values})
    assert (result["low"], result["high"]) == (low, high)


@pytest.mark.parametrize(
    ("selected", "expected"),
    [("1,200", (1200.0, "exact")), ("dozens", (24.0, "vague")), ("between 30 and 40", (30.0, "range")), ("people", (None, "exact"))],
    ids=["digits", "vague", "range", "no-number"],
)  # fmt: skip
def test_a_selected_figure_prefills_the_form(selected, expected):
    text = f"Test-only: {selected} arrived."
    start = text.index(selected)
    guess = review.suggest_figure(text, start, start + len(selected))
    assert (guess["value"], guess["qualifier"]) == expected


def test_the_audit_trail_reads_as_text():
    table = review.history_table(
        [
            {"reviewed_at": "2025-05-01T10:00:00+00:00", "reviewer": "amina", "action": "correct",
             "old_values": {"value": 40.0, "location_iso3": "SDN"}, "new_values": {"value": 41.0, "location_iso3": "SDN"}, "note": None},
            {"reviewed_at": "2025-05-02T10:00:00+00:00", "reviewer": "omar", "action": "accept",
             "old_values": {"review_status": "corrected"}, "new_values": {"review_status": "accepted"}, "note": "ok"},
        ]
    )  # fmt: skip
    assert list(table["action"]) == ["Accepted", "Corrected"]  # newest first
    assert list(table["changes"]) == ["status: Corrected → Accepted", "value: 40 → 41"]
    assert review.find_occurrences("12 and 12", "12") == [(0, 2), (7, 9)] and review.find_occurrences("x", " ") == []


@pytest.mark.parametrize("module", [auth, review], ids=lambda module: module.__name__)
def test_the_examples_in_the_docstrings_hold(module):
    import doctest

    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
