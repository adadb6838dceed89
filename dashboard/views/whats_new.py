"""What's new: the alerts of the feed watcher's latest runs (new headline figures, figures that moved), and its Atom feed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.model import pages, whats_new
from dashboard.model.data import safe_link
from dashboard.model.formatting import escape_markdown
from dashboard.ui import ui

PAGE = pages.PAGE["whats_new"]
MAX_SHOWN = 60


@st.cache_data(ttl=30, show_spinner=False, max_entries=4)
def runs_cached(url: str, fingerprint: str) -> list[dict]:
    return whats_new.latest_runs(ui.engine_cached(url))


def _source(quote: object, source: object, url: object) -> str:
    link = safe_link(url)
    where = f"[{escape_markdown(str(source or 'source'))}]({link})" if link else escape_markdown(str(source or ""))
    return f"“{escape_markdown(str(quote or ''))}” ({where})"


def alert_ui(row: pd.Series) -> None:
    if row["alert"] == "changed":
        change = "from zero" if pd.isna(row["change"]) else f"{row['change']:+.0%}"
        st.markdown(f"**{escape_markdown(row['figure'])}** · changed {change}")
        st.markdown(
            f"- now: {_source(row['quote'], row['source'], row['url'])}\n- before: {_source(row['previous_quote'], row['previous_source'], row['previous_url'])}"
        )
    else:
        st.markdown(f"**{escape_markdown(row['figure'])}** · new\n\n{_source(row['quote'], row['source'], row['url'])}")


view = ui.view_ui()
st.title(PAGE.title)
runs = runs_cached(view.url, view.fingerprint)
st.caption(whats_new.run_summary(runs) + " The sidebar's filters do not apply to this page.")
st.markdown(
    f"Subscribe in a feed reader: [{whats_new.ATOM_FILE}]({whats_new.ATOM_PATH}) (Atom; written by "
    '`python -m store watch` when its feeds file sets `[alerts] atom = "dashboard/static/whats-new.xml"`).'
)
rows = whats_new.alert_rows(runs)
if rows.empty:
    st.info(
        "No alerts yet. Run `python -m store watch FEEDS.toml --once` (see store/README.md) to follow ReliefWeb and RSS feeds."
    )
else:
    for finished_at, alerts in rows.head(MAX_SHOWN).groupby("finished_at", sort=False):
        st.subheader(f"Run of {str(finished_at)[:19].replace('T', ' ')} UTC")
        for _, row in alerts.iterrows():
            alert_ui(row)
    if len(rows) > MAX_SHOWN:
        st.caption(f"The latest {MAX_SHOWN} of {len(rows)} alerts; the Atom feed and the digests folder have them all.")
