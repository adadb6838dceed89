"""Adding and reviewing through streamlit.testing.v1.AppTest: the sign-in and every refusal, pasting and
uploading, accepting, correcting, rejecting and adding a figure, and what the charts then show."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from review_testkit import MISSED_FIGURE, PASSWORD, PASTED_REPORT, REVIEWER
from streamlit.testing.v1 import AppTest
from testkit import APP, APPTEST_TIMEOUT, HOSTILE_QUOTE_PART, new_app

from dashboard.model import signin_limits
from dashboard.ui import review_ui

EDITING_PAGES = ("views/add.py", "views/review.py")
WRONG = "Wrong name or password. Check both and try again."


def plain(markdown: str) -> str:
    """Markdown-escaped text as it reads."""
    return markdown.replace("\\", "")


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def editing_widgets(at: AppTest) -> list[str]:
    """Keys and labels of any control that changes data."""
    found = [button.key or button.label for button in at.button if (button.key or "").startswith(("accept-", "reject-"))]
    found += [button.label for button in at.get("form_submit_button") if button.label != "Sign in"]
    found += [area.key for area in at.text_area]
    return found


def sign_in(at: AppTest, name: str = REVIEWER, password: str = PASSWORD) -> AppTest:
    at.switch_page("views/signin.py").run()
    at.text_input(key="signin-name").set_value(name)
    at.text_input(key="signin-password").set_value(password)
    return at.get("form_submit_button")[0].click().run()


def paste(at: AppTest, text: str, publisher: str = "Test Wire") -> AppTest:
    at.switch_page("views/add.py").run()
    at.text_area(key="add-text").set_value(text)
    at.text_input(key="add-publisher").set_value(publisher)
    return at.get("form_submit_button")[0].click().run()


def submit(at: AppTest, label: str) -> AppTest:
    (button,) = [button for button in at.get("form_submit_button") if button.label == label][:1]
    return button.click().run()


def record_ids(at: AppTest) -> list[str]:
    return [button.key.removeprefix("accept-") for button in at.button if (button.key or "").startswith("accept-")]


def review_page_of_pasted(at: AppTest) -> tuple[AppTest, str, str]:
    """After paste(): the review page of the added document, with its document and its one record id."""
    doc_id = at.session_state["_dashboard_added_doc"][0]
    at.query_params["doc"] = doc_id
    at.switch_page("views/review.py").run()
    (record_id,) = record_ids(at)
    return at, doc_id, record_id


def chart_values(at: AppTest) -> list[float]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return [y for spec in specs for trace in spec["data"] for y in (trace.get("y") or []) if y is not None]


# ---- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "embedded"),
    [
        ({}, False),
        ({"reviewer": "admin", "signed_in": "true"}, False),
        ({"page": "review", "doc": "x"}, True),
    ],
    ids=["plain", "crafted-params", "embedded"],
)
@pytest.mark.parametrize("page", EDITING_PAGES, ids=["add", "review"])
def test_editing_pages_are_unreachable_without_a_sign_in(app_env, page, params, embedded):
    at = new_app(params, page, embedded=embedded)
    assert_clean(at)
    assert at.title[0].value == "Overview"  # no such page in this session's navigation: the default one instead
    assert editing_widgets(at) == []


def test_the_editing_page_itself_refuses_without_a_sign_in(app_env):
    """Even run some other way than through the navigation, an editing page stops before any control."""
    at = AppTest.from_file(str(APP.parent / "views" / "review.py"), default_timeout=APPTEST_TIMEOUT).run()
    assert "need a reviewer sign-in" in at.error[0].value
    assert editing_widgets(at) == [] and not at.title


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        (REVIEWER, PASSWORD + "x", "Wrong name or password"),
        ("nobody", PASSWORD, "Wrong name or password"),
        (REVIEWER, "", "Wrong name or password"),
        ("", "", "Wrong name or password"),
        (HOSTILE_QUOTE_PART, PASSWORD, "Wrong name or password"),
    ],
    ids=["wrong-password", "unknown-name", "no-password", "nothing", "hostile-name"],
)
def test_a_wrong_sign_in_is_refused(app_env, name, password, message):
    at = sign_in(new_app(), name, password)
    assert_clean(at)
    assert message in at.error[0].value
    assert editing_widgets(new_app(page="views/review.py")) == []


class Clock:
    """A clock the test moves by hand, so that no test waits for a sign-in delay to pass."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def limiter_clock(app_env: str) -> Clock:
    """The hand-moved clock of the server's sign-in limiter (one per process, shared by the AppTest sessions)."""
    clock = Clock()
    review_ui.limiter_cached().clock = clock
    return clock


@pytest.fixture
def address(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """The connection address the AppTest sessions report as st.context.ip_address: set .value (AppTest has none)."""
    from streamlit.runtime.context import ContextProxy

    reported = SimpleNamespace(value=None)
    monkeypatch.setattr(ContextProxy, "ip_address", property(lambda _self: reported.value))
    return reported


@pytest.mark.parametrize(
    ("stranger_address", "reviewer_address"),
    [(None, None), ("203.0.113.7", "198.51.100.2"), ("2001:db8:1:2::7", "2001:db8:9:9::2")],
    ids=["no-address-each-session-apart", "ipv4-addresses", "ipv6-addresses"],
)
def test_a_strangers_failures_do_not_lock_the_reviewer_out(limiter_clock, address, stranger_address, reviewer_address):
    address.value = stranger_address
    stranger = new_app()
    for _ in range(5):
        sign_in(stranger, REVIEWER, "not-the-password")
    address.value = reviewer_address
    reviewer = sign_in(new_app())  # at once, from another connection
    assert_clean(reviewer)
    assert not reviewer.error, [error.value for error in reviewer.error]
    assert reviewer.session_state["_dashboard_reviewer"].name == REVIEWER
    assert "Too many failed sign-ins from this connection for this name" in plain(stranger.error[0].value)


def test_the_page_slows_a_stranger_down_with_a_growing_delay(limiter_clock):
    at = new_app()
    for _ in range(signin_limits.FREE_FAILURES):
        assert plain(sign_in(at, REVIEWER, "not-the-password").error[0].value) == WRONG
    assert "Wait 1 second before the next try" in plain(sign_in(at, REVIEWER, "not-the-password").error[0].value)
    sign_in(at, f" {REVIEWER.upper()} ", PASSWORD)  # the right password, other case and spaces: the same name, too early
    assert plain(at.error[0].value) == "Too many failed sign-ins from this connection for this name. Try again in 1 second."
    limiter_clock.now += 1
    assert "Wait 2 seconds before the next try" in plain(sign_in(at, REVIEWER, "not-the-password").error[0].value)
    limiter_clock.now += 2
    sign_in(at, REVIEWER, PASSWORD)
    assert at.session_state["_dashboard_reviewer"].name == REVIEWER
    assert editing_widgets(new_app(page="views/add.py")) == []  # signed in in that session only


def test_sessions_from_one_address_share_its_delay(limiter_clock, address):
    address.value = "203.0.113.7"
    for _ in range(signin_limits.FREE_FAILURES + 1):
        sign_in(new_app(), REVIEWER, "not-the-password")  # a new session each time: no fresh start
    again = sign_in(new_app(), REVIEWER, PASSWORD)
    assert plain(again.error[0].value) == "Too many failed sign-ins from this connection for this name. Try again in 1 second."
    assert "_dashboard_reviewer" not in again.session_state


def test_no_reviewers_configured_means_nobody_signs_in(app_env, monkeypatch):
    monkeypatch.delenv("DASHBOARD_REVIEWERS")
    at = sign_in(new_app(), REVIEWER, PASSWORD)
    assert "No reviewers are configured" in at.error[0].value


def test_a_malformed_configuration_is_reported_without_its_values(app_env, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REVIEWERS", f"{REVIEWER}:not-a-hash-secret-value")
    at = sign_in(new_app(), REVIEWER, PASSWORD)
    assert any("malformed" in error.value for error in at.error)
    assert all("secret-value" not in error.value for error in at.error)


def test_removing_a_reviewer_ends_their_session(app_env, monkeypatch):
    at = sign_in(new_app())
    assert at.success and at.session_state["_dashboard_reviewer"].name == REVIEWER
    monkeypatch.setenv("DASHBOARD_REVIEWERS", "")
    at.switch_page("views/add.py").run()
    assert at.title[0].value == "Overview" and editing_widgets(at) == []


# ---- the flow -------------------------------------------------------------------------------


def test_sign_in_paste_review_and_the_chart_changes(app_env):
    at = sign_in(new_app({"parts": "1"}))  # the pasted toll is a part (one city, one day): shown with parts only
    assert_clean(at)
    assert "Signed in as" in at.success[0].value
    at = paste(at, PASTED_REPORT)
    assert_clean(at)
    assert "1 figure(s) found" in at.success[0].value
    at, doc_id, record_id = review_page_of_pasted(at)
    assert_clean(at)
    at.text_input(key=f"c-value-{record_id}").set_value("41")
    at.text_input(key=f"c-n-{record_id}").set_value(HOSTILE_QUOTE_PART)
    at = submit(at, "Save correction")
    assert_clean(at)
    assert "Corrected" in at.success[0].value
    trail = at.dataframe[-1].value
    assert list(trail["action"]) == ["Corrected"] and "40 → 41" in trail["changes"].iloc[0]
    assert trail["note"].iloc[0] == HOSTILE_QUOTE_PART and trail["reviewer"].iloc[0] == REVIEWER

    at.text_input(key=f"typed-{doc_id}").set_value(MISSED_FIGURE).run()
    at.selectbox(key="a-indicator").set_value("displaced")
    at = submit(at, "Add figure")
    assert_clean(at)
    assert "Added by hand" in at.success[0].value and f"{MISSED_FIGURE} · Displaced" in at.success[0].value
    assert len(record_ids(at)) == 2

    at.switch_page("views/trends.py").run()
    at.checkbox(key="f_reviewed").check().run()
    assert_clean(at)
    assert at.query_params["reviewed"] == "only"
    assert "reviewed figures only" in at.caption[0].value
    assert 41.0 in chart_values(at) and 40.0 not in chart_values(at)  # the correction, not the extraction


def test_a_rejected_figure_leaves_every_chart_and_accepting_brings_it_back(app_env):
    at = paste(sign_in(new_app({"parts": "1"})), PASTED_REPORT.replace("40 people", "37 people"))  # a part, as above
    at, _, record_id = review_page_of_pasted(at)
    at.button(key=f"reject-{record_id}").click().run()
    assert_clean(at)
    assert at.button(key=f"reject-{record_id}").disabled  # shown on the review page, marked rejected
    at.switch_page("views/trends.py").run()
    assert 37.0 not in chart_values(at)
    at.switch_page("views/review.py").run()
    at.button(key=f"accept-{record_id}").click().run()
    at.switch_page("views/trends.py").run()
    assert 37.0 in chart_values(at)
    assert "Includes" in at.caption[0].value and "unreviewed" in at.caption[0].value  # not limited: it says so


@pytest.mark.parametrize(
    ("file_name", "content", "expected"),
    [
        ("sitrep.txt", PASTED_REPORT.replace("40", "36").encode(), "1 figure(s) found"),
        (
            "sitrep.html",
            f"<html><head><title>Sitrep</title></head><body><p>{PASTED_REPORT.replace('40', '35')}</p></body></html>".encode(),
            "1 figure(s) found",
        ),
        ("sitrep.md", ("# Sitrep\n\n" + PASTED_REPORT.replace("40", "38")).encode(), "1 figure(s) found"),
        ("big.txt", b"x" * (10 * 1024 * 1024 + 1), "more than the 10 MB limit"),
        ("empty.txt", b"", "is empty"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not text"),
        ("fake.pdf", b"not a pdf at all", "is not a PDF"),
    ],
    ids=["txt", "html", "md", "over-size", "empty", "binary", "fake-pdf"],
)
def test_uploads_are_read_or_refused_with_a_message(app_env, file_name, content, expected):
    at = sign_in(new_app())
    at.switch_page("views/add.py").run()
    at.segmented_control(key="add-kind").set_value("Upload a file").run()
    at.file_uploader(key="add-upload").set_value((file_name, content, "application/octet-stream"))
    at = submit(at, "Extract figures")
    assert_clean(at)
    shown = [plain(message.value) for message in (*at.success, *at.error)]
    assert any(expected in message for message in shown), shown


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("   \n ", None, "The text is empty"),
        ("x" * 10, None, None),
    ],
    ids=["blank", "no-figures"],
)
def test_pasting_odd_text(app_env, text, published, expected):
    at = paste(sign_in(new_app()), text)
    assert_clean(at)
    if expected:
        assert expected in at.error[0].value
    else:
        assert "0 figure(s) found" in at.success[0].value


def test_a_hostile_report_is_shown_as_text(app_env):
    report = f"Test-only: at least 15 people were killed in Haiti on 2 May 2025, officials said {HOSTILE_QUOTE_PART}.\n"
    at = paste(sign_in(new_app()), report, publisher="<script>alert(1)</script>")
    assert_clean(at)
    html = " ".join(element.proto.body for element in at.get("html"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and HOSTILE_QUOTE_PART not in html


def test_the_audit_trail_is_in_the_records_view(app_env):
    at = paste(sign_in(new_app()), PASTED_REPORT.replace("40 people", "39 people"))
    at, doc_id, record_id = review_page_of_pasted(at)
    at.button(key=f"accept-{record_id}").click().run()
    viewer = new_app({"doc": doc_id, "record": record_id}, "views/records.py")  # another session, signed out
    assert_clean(viewer)
    trail = viewer.dataframe[-1].value
    assert list(trail["action"]) == ["Accepted"] and trail["reviewer"].iloc[0] == REVIEWER
    assert any("Review: Accepted" in expander.label for expander in viewer.expander)


@pytest.mark.parametrize(
    ("email", "allowed"),
    [("amina@example.org", True), ("AMINA@example.org", True), ("someone@example.org", False)],
    ids=["listed", "listed-other-case", "not-listed"],
)
def test_an_organisation_sign_in_reviews_only_when_listed(app_env, email, allowed):
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-only"}
    at.secrets["review"] = {"oidc_reviewers": ["amina@example.org"]}
    at.user = {"is_logged_in": True, "email": email, "name": "Test user"}
    at.switch_page("views/add.py").run()
    assert_clean(at)
    assert (at.title[0].value == "Add documents") is allowed
