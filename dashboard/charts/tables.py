"""A trend chart's points as a table, for those who cannot read the chart (screen readers, keyboards). Pure: no Streamlit.

The figure, its date, the outlet, who counted it (the chart's series), the qualifier and the measure.
"""

from __future__ import annotations

import pandas as pd

from dashboard.charts.charts import MAX_POINTS, _column_values
from dashboard.model.formatting import MEASURE_LABELS, QUALIFIER_LABELS, format_date, format_figure

TABLE_COLUMNS = ("Figure", "Date", "Source", "Who counted", "Qualifier", "Measure")


def chart_table(frame: pd.DataFrame, max_points: int = MAX_POINTS) -> pd.DataFrame:
    """The points of a trend chart as a table, newest first: what a screen reader or keyboard reads instead of the chart.

    The figure comes first, as the report gave it ("at least 57,575"), so that a narrow screen shows it
    before the columns it has to scroll to; the same points as the chart (dated, the latest `max_points`).
    """
    dated = frame.loc[frame["date"].notna()]
    if not dated["date"].is_monotonic_increasing:
        dated = dated.sort_values("date", kind="stable")
    shown = dated.tail(max_points).iloc[::-1]
    get = {name: _column_values(shown, name) for name in ("value", "qualifier", "low", "high", "raw_value", "unit")}
    figures = [
        format_figure(value, str(qualifier or "exact"), low, high, raw, unit)
        for value, qualifier, low, high, raw, unit in zip(*get.values(), strict=True)
    ]
    qualifiers = [str(q or "exact") for q in get["qualifier"]]
    measures = shown["measure"].astype(str).tolist() if "measure" in shown else [""] * len(shown)
    return pd.DataFrame(
        {
            "Figure": figures,
            "Date": [format_date(value) for value in shown["date"].tolist()],
            "Source": shown["source"].astype(str).tolist(),
            "Who counted": [str(name) if name else "not stated" for name in _column_values(shown, "originator")],
            "Qualifier": [QUALIFIER_LABELS.get(q, q) for q in qualifiers],
            "Measure": [MEASURE_LABELS.get(m, m) for m in measures],
        },
        columns=list(TABLE_COLUMNS),
    )


__all__ = ["TABLE_COLUMNS", "chart_table"]
