"""Humanitarian indicator dashboard: `streamlit run dashboard/app.py [-- --db URL]`.

The entrypoint opens the store, draws the sidebar filters, keeps them in the URL and runs the
chosen page (views/). The store is `--db URL`, else DATABASE_URL, else data/store.sqlite
(built from data/corpus/ on first start).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts dashboard/ first, not the repo
    sys.path.insert(0, str(REPO_ROOT))

import streamlit as st  # noqa: E402

from dashboard import exports_ui, ui  # noqa: E402
from dashboard.filters import PAGE_PARAMS  # noqa: E402

# Not "pages/": a folder of that name beside the entrypoint switches Streamlit to its legacy
# pages-directory mode on reruns, which skips this script (and so the sidebar filters).
PAGES_DIR = Path(__file__).resolve().parent / "views"


def main_ui() -> None:
    st.set_page_config(page_title="Humanitarian indicators", layout="wide")
    url, fingerprint, dataset = ui.store_ui()
    if dataset.empty:
        ui.empty_store_ui(url)
        return
    if exports_ui.embed_requested_ui():  # ?embed=true&view=trend&indicator=deaths&location=PSE
        exports_ui.embed_page_ui(url, fingerprint, dataset)
        return
    page = st.navigation(
        [
            st.Page(PAGES_DIR / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
            st.Page(PAGES_DIR / "trends.py", title="Trends", icon=":material/show_chart:", url_path="trends"),
            st.Page(PAGES_DIR / "sources.py", title="Sources", icon=":material/compare_arrows:", url_path="sources"),
            st.Page(PAGES_DIR / "records.py", title="Records", icon=":material/table_rows:", url_path="records"),
        ]
    )
    filters = ui.filters_ui(dataset)
    ui.set_view_ui(ui.make_view(url, fingerprint, dataset, filters))
    extra = ui.page_params_ui(PAGE_PARAMS.get(page.url_path, ()))
    ui.sync_url_ui(filters, extra)
    st.sidebar.caption(f"Store: {dataset.describe()}")
    page.run()


main_ui()
