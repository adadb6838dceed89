"""Humanitarian indicator dashboard: `python -m streamlit run dashboard/app.py [-- --db URL]`.

Run from the repository (`python -m` puts it on the path) or with the project installed
(`pip install -e .`); `python -m dashboard.serve` (`make run`, `hid-dashboard`) runs this with a warm-up.

The entrypoint opens the store, draws the sidebar filters, keeps them in the URL and runs the
chosen page (views/). The pages that change data (Add documents, Review figures) are in the
navigation only for a signed-in reviewer (review_ui), and never in an embedded view. The store is `--db URL`, else DATABASE_URL, else data/store.sqlite
(built from data/corpus/ on first start).
An error a page did not expect shows as a short message; its traceback goes to the server's log only.
"""

from __future__ import annotations

import streamlit as st
from streamlit import config as streamlit_config
from streamlit.logger import get_logger

from dashboard.model import pages
from dashboard.model.filters import PAGE_PARAMS
from dashboard.ui import exports_ui, review_ui, ui

ERROR_MESSAGE = "Something went wrong showing this page. The error was logged; try another filter or reload."
# Streamlit's own handler and format, so that the trace sits among the server's log lines.
LOG = get_logger("dashboard")
SAFE_SETTINGS = {"client.showErrorDetails": "none", "client.disableDataExport": True}
"""What .streamlit/config.toml sets for visitors' sake, set again when that file was not read:
Streamlit reads it from the working directory only, and `streamlit run` may be started elsewhere.
(Streamlit sends the tables' setting as a run starts, so set here it holds from the next run on.)"""


def st_page(page: pages.Page, signed_in: bool = False) -> st.Page:
    """The navigation entry of a row of the page table."""
    return st.Page(
        page.script_path,
        title=page.title_for(signed_in),
        icon=page.icon,
        url_path=page.url_path or None,
        default=page.default,
    )


def public_pages() -> list:
    return [st_page(page) for page in pages.PUBLIC_PAGES]


def reviewer_pages(signed_in: bool) -> list:
    """The editing pages for a signed-in reviewer, else the sign-in page alone (pages.reviewer_pages).
    (A crafted /add or /review address then finds no such page: Streamlit shows the default one.)"""
    return [st_page(page, signed_in) for page in pages.reviewer_pages(signed_in)]


def main_ui() -> None:
    st.set_page_config(page_title="Humanitarian indicators", layout="wide")
    url, fingerprint, dataset = ui.store_ui()
    if exports_ui.embed_requested_ui():  # ?embed=true&view=trend&indicator=deaths&location=PSE
        if not dataset.empty:
            exports_ui.embed_page_ui(url, fingerprint, dataset)
        else:
            st.info("No figures in the store yet.")
        return
    embedded = review_ui.embedded_ui()
    signed_in = not embedded and review_ui.reviewer_ui() is not None
    public = public_pages()
    if dataset.empty:  # an empty store: a reviewer can still sign in and add the first documents
        overview = pages.DEFAULT_PAGE
        public = [st.Page(lambda: ui.empty_store_ui(url), title=overview.title, icon=overview.icon, default=True)]
    sections = {"Dashboard": public} if embedded else {"Dashboard": public, "Reviewers": reviewer_pages(signed_in)}
    page = st.navigation(sections)
    filters = ui.filters_ui(dataset)
    view = ui.make_view(url, fingerprint, dataset, filters)
    ui.set_view_ui(view)
    extra = ui.page_params_ui(PAGE_PARAMS.get(page.url_path, ()))
    ui.sync_url_ui(filters, extra)
    st.sidebar.caption(f"Store: {ui.describe_cached(url, fingerprint, dataset)}")
    try:
        page.run()
    finally:
        view.forget_copies()


def keep_safe_settings() -> None:
    """Set SAFE_SETTINGS that neither a config file, the environment nor the command line has set."""
    for name, value in SAFE_SETTINGS.items():
        if streamlit_config.get_where_defined(name) == "<default>":
            st.set_option(name, value)


def guarded_ui() -> None:
    """main_ui, with any error it did not expect shown as a short message and its traceback only in the server's log.

    st.stop, st.rerun and st.switch_page work by raising exceptions that are not Exceptions
    (Streamlit's ScriptControlException is a BaseException), so they pass through.
    """
    keep_safe_settings()
    try:
        main_ui()
    except Exception:
        LOG.exception("A page failed (query %.1000r)", st.query_params.to_dict())
        st.error(ERROR_MESSAGE, icon=":material/error:")


guarded_ui()
