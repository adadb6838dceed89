"""Hostile input to the dashboard (issue 12): query parameters, a page that fails, links in a document's
text, and the settings the server starts with. Through AppTest and the pure modules; the browser checks
are in test_dashboard_hostile_browser.py."""

from __future__ import annotations

import logging
import re
import subprocess
import tomllib
from collections.abc import Iterator
from typing import NamedTuple

import pytest
import streamlit as st
from dashboard_testkit import REPO
from hostile_testkit import ERROR_MESSAGE, EVIL_PUBLISHER, EVIL_TITLE, build_link_store
from streamlit.testing.v1 import AppTest
from testkit import new_app

from dashboard.exports import embed
from dashboard.model.formatting import escape_markdown
from dashboard.ui import ui

# ---- what Streamlit's Markdown turns into a link ----------------------------------------------

# Streamlit's Markdown (remark-gfm) links bare addresses after parsing, in the text that the
# backslash escapes leave: these are its patterns (mdast-util-gfm-autolink-literal), ASCII \w as in JavaScript.
GFM_URL = re.compile(r"(?:https?://|www(?=\.))[-.A-Za-z0-9_]+", re.IGNORECASE)
GFM_EMAIL = re.compile(r"[-.A-Za-z0-9_+]+@[-A-Za-z0-9_]+(?:\.[-A-Za-z0-9_]+)+")
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
LINK_DESTINATION = re.compile(r"(?<!\\)\]\([^)\s]*\)")  # the app's own [text](address) links, never a document's


def autolinks(markdown: str) -> list[str]:
    """The bare addresses Streamlit would make links of in this Markdown source."""
    text = MARKDOWN_ESCAPE.sub(r"\1", LINK_DESTINATION.sub("]", markdown))
    return [match.group() for pattern in (GFM_URL, GFM_EMAIL) for match in pattern.finditer(text)]


def visible(markdown: str) -> str:
    """The text a reader sees: escapes resolved, invisible characters dropped."""
    return re.sub(r"[\u200b-\u200d\u2060]", "", MARKDOWN_ESCAPE.sub(r"\1", markdown))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(EVIL_TITLE, id="http"),
        pytest.param("HTTPS://EVIL.EXAMPLE/X", id="upper-case"),
        pytest.param("go to www.evil.example now", id="www"),
        pytest.param("write to evil@evil.example", id="email"),
        pytest.param("(http://evil.example/a_(b))", id="in-parentheses"),
        pytest.param("http://a.example http://b.example www.c.example", id="several"),
        pytest.param("http://\u2060evil.example", id="already-broken"),
    ],
)
def test_escaped_text_has_no_bare_link(text):
    escaped = escape_markdown(text)
    assert autolinks(escaped) == [], escaped
    assert visible(escaped) == visible(text)


def test_plain_text_is_left_as_it_is():
    assert escape_markdown("57,575 killed in Gaza; per UN OCHA") == "57,575 killed in Gaza; per UN OCHA"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("sqlite:///data/store.sqlite", "`sqlite:///data/store.sqlite`", id="address"),
        pytest.param("a`b", "`` a`b ``", id="backtick"),
        pytest.param("a\nb\x00c", "`a b c`", id="control-characters"),
    ],
)
def test_code_span(text, expected):
    from dashboard.model.formatting import code_span

    assert code_span(text) == expected


def test_the_empty_store_message_shows_its_address_as_written(tmp_path, monkeypatch):
    """In inline code Markdown escapes are not read: the escaped address showed its backslashes."""
    from store import open_store

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    open_store(url).dispose()
    monkeypatch.setattr("sys.argv", ["app.py", "--db", url])
    at = new_app()
    assert_no_failure(at)
    assert f"`{url}`" in at.info[0].value


# ---- query parameters -------------------------------------------------------------------------


class Page(NamedTuple):
    id: str
    path: str | None  # AppTest's page; None: the default one
    embedded: bool = False
    base: dict | None = None  # what the page needs in the query to be itself

    def open(self, params: dict) -> AppTest:
        return new_app({**(self.base or {}), **params}, self.path, embedded=self.embedded)


PAGES = [
    Page("overview", None),
    Page("trends", "views/trends.py"),
    Page("sources", "views/sources.py"),
    Page("records", "views/records.py"),
    Page("signin", "views/signin.py"),
    Page("embed", None, embedded=True, base={"view": "trend"}),
]
NUMBERS = ["inf", "-inf", "nan", "-5", "0", "1e309", "99999999999999999999", "", "abc", "0x10", "1_000", " 7 "]
NUMBER_PARAMS = ("height", "window", "threshold")
FILTER_CASES = [
    pytest.param({"from": "9999-99-99"}, id="from-impossible"),
    pytest.param({"from": "0000-01-01"}, id="from-year-zero"),
    pytest.param({"from": "9999-12-31"}, id="from-far-future"),
    pytest.param({"to": "0001-01-01"}, id="to-year-one"),
    pytest.param({"from": "2024-02-30", "to": "2023-01-01"}, id="from-no-such-day"),
    pytest.param({"from": "2025-01-01", "to": "2024-01-01"}, id="dates-reversed"),
    pytest.param({"from": ["2024-01-01", "nonsense", "inf"]}, id="dates-repeated"),
    pytest.param({"indicator": ["nope", "deaths", "nope"]}, id="indicator-unknown-and-repeated"),
    pytest.param({"location": ["Mars", "inf", "nan"]}, id="location-unknown"),
    pytest.param({"source": "x" * 5000}, id="source-huge"),
    pytest.param({"measure": "-1"}, id="measure-number"),
    pytest.param({"q": "a\x00b\x1b[31m" + "y" * 10_000}, id="search-control-chars-and-huge"),
    pytest.param({"reviewed": ["maybe", "nan"]}, id="reviewed-unknown"),
    pytest.param({f"p{index}": "1" for index in range(60)}, id="unknown-parameter-flood"),
    pytest.param({"view": ["trend", "map"], "embed": "false"}, id="view-repeated"),
    pytest.param({"view": "nope"}, id="view-unknown"),
    pytest.param({"trend": "inf", "compare_indicator": "1e309", "compare_location": "", "doc": "nan", "record": "-1"}, id="page-params-numbers"),
    pytest.param({"doc": "<script>x</script>" * 50, "record": "x"}, id="doc-hostile"),
]  # fmt: skip


def assert_no_failure(at: AppTest) -> None:
    """No traceback and no error box: a hostile URL gets a note or is clamped, never a failure."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def notes(at: AppTest) -> str:
    return " ".join(element.value for element in [*at.warning, *at.caption])


@pytest.mark.parametrize("number", NUMBERS, ids=lambda value: repr(value))
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.id)
def test_hostile_numbers_in_the_url(app_env, page, number):
    at = page.open(dict.fromkeys(NUMBER_PARAMS, number))
    assert_no_failure(at)




@pytest.mark.parametrize(
    ("page", "params"),
    [
        pytest.param(page, case.values[0], id=f"{page.id}-{case.id}")
        for page in PAGES
        for case in FILTER_CASES
    ],
)  # fmt: skip
def test_hostile_parameters_in_the_url(app_env, page, params):
    at = page.open(params)
    assert_no_failure(at)


@pytest.mark.parametrize("params", [{"q": "ministry"}, {"source": "Al Jazeera"}, {"measure": "cumulative"}], ids=str)
def test_records_page_with_a_filter_but_no_indicator_or_location(app_env, params):
    """Found by the matrix above: an ordinary search on the Records page raised a TypeError naming the file stem."""
    at = new_app(params, "views/records.py")
    assert_no_failure(at)


@pytest.mark.parametrize(
    ("value", "noted"),
    [("inf", True), ("-inf", True), ("nan", True), ("1e309", True), ("abc", True), ("", True), (["300", "inf"], True),
     ("-5", False), ("99999999999999999999", False), ("700", False)],
    ids=lambda value: repr(value),
)  # fmt: skip
def test_the_embedded_view_says_when_it_ignores_a_height(app_env, value, noted):
    at = new_app({"view": "trend", "height": value}, embedded=True)
    assert_no_failure(at)
    assert at.get("plotly_chart"), "the chart is shown at its default height"
    assert ("height" in notes(at)) is noted, notes(at)


class HeightCase(NamedTuple):
    value: str
    height: int
    noted: bool
    id: str


HEIGHT_CASES = [
    HeightCase("700", 700, False, "pixels"),
    HeightCase("700.6", 701, False, "a fraction"),
    HeightCase("10", embed.MIN_HEIGHT, False, "too low-clamped"),
    HeightCase("-5", embed.MIN_HEIGHT, False, "negative-clamped"),
    HeightCase("99999999999999999999", embed.MAX_HEIGHT, False, "huge-clamped"),
    HeightCase("inf", embed.DEFAULT_HEIGHT, True, "infinity"),
    HeightCase("-inf", embed.DEFAULT_HEIGHT, True, "minus infinity"),
    HeightCase("1e309", embed.DEFAULT_HEIGHT, True, "overflows a float"),
    HeightCase("nan", embed.DEFAULT_HEIGHT, True, "not a number"),
    HeightCase("abc", embed.DEFAULT_HEIGHT, True, "a word"),
    HeightCase("", embed.DEFAULT_HEIGHT, True, "empty"),
]


@pytest.mark.parametrize("case", HEIGHT_CASES, ids=lambda case: case.id)
def test_parse_embed_request_height(corpus_dataset, case):
    from dashboard.model.filters import FilterChoices

    choices = FilterChoices.of(corpus_dataset)
    request = embed.parse_embed_request({"view": ["trend"], "height": [case.value]}, corpus_dataset.records, choices)
    assert request.height == case.height
    assert any("height" in note for note in request.notes) is case.noted, request.notes


# ---- a page that fails ------------------------------------------------------------------------


class Failure(NamedTuple):
    page: Page
    target: str  # the attribute made to raise: one the page calls on every run
    id: str


FAILURES = [
    *(Failure(page, "dashboard.ui.ui.caption_ui", page.id) for page in PAGES if page.id not in ("signin", "embed")),
    Failure(PAGES[-1], "dashboard.exports.embed.parse_embed_request", "embed"),
    Failure(PAGES[0], "dashboard.ui.ui.filters_ui", "sidebar-filters"),
]


@pytest.fixture
def server_log() -> Iterator[list[logging.LogRecord]]:
    """What the app logs to the server's log ("dashboard" logger; Streamlit's loggers do not propagate to the root)."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("dashboard")
    handler = Keep(level=logging.DEBUG)
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


@pytest.mark.parametrize("failure", FAILURES, ids=lambda failure: failure.id)
def test_an_unexpected_error_shows_a_short_message_and_logs_the_trace(app_env, monkeypatch, server_log, failure):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom at /srv/secret/path.py")

    monkeypatch.setattr(failure.target, broken)
    at = failure.page.open({})
    assert not at.exception, "a visitor sees no traceback"
    assert [error.value for error in at.error] == [ERROR_MESSAGE]
    shown = " ".join(
        str(element.value) for kind in ("markdown", "caption", "warning", "info", "error") for element in at.get(kind)
    )
    assert "boom" not in shown and "/srv/secret" not in shown
    traces = [record for record in server_log if record.exc_info]
    assert traces and traces[0].levelno == logging.ERROR
    assert "boom at /srv/secret/path.py" in logging.Formatter().format(traces[0])  # the message and its traceback
    assert "Traceback" in logging.Formatter().format(traces[0])


class Control(NamedTuple):
    action: str
    id: str


@pytest.mark.parametrize("control", [Control("stop", "st.stop"), Control("rerun", "st.rerun")], ids=lambda c: c.id)
def test_streamlit_stop_and_rerun_pass_through_the_guard(app_env, monkeypatch, server_log, control):
    """st.stop and st.rerun work by raising: the guard must let them through, not show them as errors."""
    original = ui.caption_ui
    calls: list[int] = []

    def control_flow(view: ui.View) -> None:
        calls.append(1)
        if control.action == "stop":
            st.stop()
        if len(calls) == 1:
            st.rerun()
        original(view)

    monkeypatch.setattr(ui, "caption_ui", control_flow)
    at = new_app(None, "views/records.py")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert not server_log
    if control.action == "stop":
        assert not at.dataframe, "nothing after st.stop is drawn"
    else:
        assert len(calls) == 2 and at.dataframe, "the rerun ran the page again, whole"


# ---- document text with links -----------------------------------------------------------------


@pytest.fixture(scope="module")
def link_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_link_store(tmp_path_factory.mktemp("links"))


@pytest.fixture
def link_env(link_store: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", link_store)
    monkeypatch.setattr("sys.argv", ["app.py"])
    return link_store


def markdown_sources(at: AppTest) -> list[str]:
    """Every piece of Markdown the run drew: headings, text, notes, tile labels and their tooltips, expanders."""
    texts = [str(e.value) for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error")
             for e in at.get(kind)]  # fmt: skip
    texts += [metric.proto.label for metric in at.metric] + [metric.proto.help for metric in at.metric]
    texts += [expander.label for expander in at.expander]
    return texts


@pytest.mark.parametrize(
    ("page", "params"),
    [
        pytest.param(None, {}, id="overview-tiles"),
        pytest.param("views/records.py", {"doc": None}, id="records-document"),
        pytest.param("views/records.py", {"doc": None, "record": None}, id="records-selected-figure"),
        pytest.param("views/sources.py", {}, id="sources"),
        pytest.param("views/trends.py", {"source": EVIL_PUBLISHER}, id="filters-caption"),
    ],
)
def test_links_in_document_text_are_not_links(link_env, page, params):
    if "doc" in params:
        from dashboard.model import data

        row = data.load_dataset(link_env).records.iloc[0]
        params = {"doc": str(row["doc_id"]), **({"record": str(row["record_id"])} if "record" in params else {})}
    at = new_app(params, page)
    assert_no_failure(at)
    texts = markdown_sources(at)
    assert any("evil" in text for text in texts), texts  # the text is shown...
    assert [link for text in texts for link in autolinks(text)] == []  # ...and no address in it is a link
    if page == "views/records.py":
        assert visible(at.subheader[0].value) == f"Document: {EVIL_TITLE}"


# ---- how the server starts --------------------------------------------------------------------


def streamlit_config() -> dict:
    return tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_the_config_hides_error_details_and_table_downloads_and_listens_on_localhost():
    config = streamlit_config()
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["disableDataExport"] is True
    assert config["server"]["address"] == "localhost"


def test_the_configured_values_are_ones_streamlit_accepts():
    from streamlit import config as st_config

    config = streamlit_config()
    assert config["client"]["showErrorDetails"] in {option.value for option in st_config.ShowErrorDetailsConfigOptions}

    def names(table: dict, prefix: str) -> list[str]:  # [theme.light] is a table inside [theme]
        found: list[str] = []
        for key, value in table.items():
            found += names(value, f"{prefix}{key}.") if isinstance(value, dict) else [prefix + key]
        return found

    for name in names(config, ""):
        assert name in st_config._config_options_template, name
    assert "theme.light.primaryColor" in names(config, "")


def test_the_app_hides_error_details_itself_when_no_config_was_read(app_env, monkeypatch):
    """Streamlit reads .streamlit/config.toml from the working directory only; started elsewhere the app sets them."""
    from streamlit import config as st_config

    chosen: dict[str, object] = {}
    monkeypatch.setattr(st_config, "get_where_defined", lambda name: "<default>")
    monkeypatch.setattr(st, "set_option", lambda name, value: chosen.__setitem__(name, value))
    assert_no_failure(new_app())
    assert chosen == {"client.showErrorDetails": "none", "client.disableDataExport": True}


def test_settings_an_operator_chose_are_kept(app_env, monkeypatch):
    from streamlit import config as st_config

    chosen: dict[str, object] = {}
    monkeypatch.setattr(st_config, "get_where_defined", lambda name: "command-line argument or environment variable")
    monkeypatch.setattr(st, "set_option", lambda name, value: chosen.__setitem__(name, value))
    assert_no_failure(new_app())
    assert chosen == {}


def make_run(*variables: str) -> str:
    done = subprocess.run(["make", "-n", "run", *variables], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stdout.splitlines() if "dashboard.serve" in line]
    return line


@pytest.mark.parametrize(
    ("variables", "address"),
    [
        pytest.param((), None, id="default-localhost-from-the-config"),
        pytest.param(("ADDRESS=0.0.0.0",), "0.0.0.0", id="on-a-network"),
    ],
)
def test_make_run_listens_where_it_is_told(variables, address):
    line = make_run(*variables)
    if address is None:
        assert "--server.address" not in line  # .streamlit/config.toml's localhost applies
    else:
        assert f"--server.address {address}" in line


def test_the_app_does_not_catch_streamlits_control_flow():
    """The guard in app.py catches Exception; st.stop, st.rerun and st.switch_page raise these, which must pass."""
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

    assert not issubclass(StopException, Exception) and not issubclass(RerunException, Exception)
