"""Straightforward pandas versions of computations the dashboard does faster, as test oracles.

They are the implementations the fast ones replaced (group-bys, merges, row-by-row
concatenation, sort_values); the tests check that both give the same results.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.model.analysis import (
    COMPARE_COLUMNS,
    FLAG_COLUMNS,
    NOT_CREDIBLE,
    OPEN_LOWER,
    OPEN_UPPER,
    Comparison,
    Disagreement,
    _window_label,
    _window_starts,
    bounds_overlap,
)
from dashboard.model.data import TEXT_COLUMNS, row_dicts
from dashboard.model.formatting import (
    MEASURE_LABELS,
    QUALIFIER_LABELS,
    WRAP_WIDTH,
    document_label,
    emphasized_quote_html,
    format_date,
    format_figure,
    format_number,
    indicator_label,
    is_missing,
)
from dashboard.model.tooltips import TOOLTIP_FIELDS


def _pick(frame: pd.DataFrame, credible: pd.Series, keys: list[str], column: str, how: str) -> pd.Series:
    """Per window, the row label of the credible row with the min/max `column` (any row when none is credible)."""
    any_row = getattr(frame.groupby(keys, observed=True)[column], how)()
    of_credible = getattr(frame[credible].groupby(keys, observed=True)[column], how)()
    return of_credible.reindex(any_row.index).fillna(any_row).astype(any_row.dtype)


def compare_sources(
    records: pd.DataFrame, window_days: int = 7, threshold: float = 0.05, max_records: int = 5000, max_flags: int = 50
) -> Comparison:
    """Side-by-side figures of the sources, windows of `window_days`, flags beyond `threshold`.

    Vectorised: one groupby pass over the windows, whatever their number.
    """
    dated = records[records["date"].notna()].tail(max_records)
    if dated.empty:
        return Comparison(pd.DataFrame(), pd.DataFrame())
    frame = dated[COMPARE_COLUMNS]  # narrow: copying ~40 wide text columns would dominate the cost
    frame = frame.assign(measure=frame["measure"].astype(str), source=frame["source"].astype(str))
    frame = frame.sort_values(["measure", "date"], kind="stable")
    codes = frame["measure"].map({m: i for i, m in enumerate(sorted(set(frame["measure"])))}).to_numpy()
    days = frame["date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    frame["start"] = _window_starts(days, codes, window_days).astype("datetime64[D]").astype("datetime64[ns]")
    keys = ["start", "measure"]
    frame["figure"] = [
        format_figure(v, q, lo, hi, raw, unit)
        for v, q, lo, hi, raw, unit in zip(
            frame["value"],
            frame["qualifier"].astype(str),
            frame["low"],
            frame["high"],
            frame["raw_value"],
            frame["unit"],
            strict=True,
        )
    ]
    credible = ~frame["qualifier"].astype(str).isin(NOT_CREDIBLE)
    frame["low_bound"] = frame["low"].fillna(frame["value"])
    frame["high_bound"] = frame["high"].fillna(frame["value"])
    grouped = frame.groupby(keys, observed=True)
    windows = pd.DataFrame({"end": grouped["date"].max(), "sources": grouped["source"].nunique(), "records": grouped.size()})
    best = frame.loc[_pick(frame, credible, keys, "value", "idxmin")]
    top = frame.loc[_pick(frame, credible, keys, "high_bound", "idxmax")]
    lowest = (
        frame[credible].groupby(keys, observed=True)["low_bound"].min().reindex(windows.index).fillna(grouped["low_bound"].min())
    )
    windows["conservative"] = best["figure"].to_numpy()
    windows["conservative source"] = best["source"].to_numpy()
    open_top = (
        top["qualifier"].astype(str).isin(OPEN_UPPER).to_numpy()
        | (top["high"].isna() & (top["qualifier"].astype(str) != "exact")).to_numpy()
    )
    qualifiers = frame["qualifier"].astype(str)
    frame["open_low"] = qualifiers.isin(OPEN_LOWER) | (frame["low"].isna() & (qualifiers != "exact"))
    frame["credible"] = credible
    open_bottom = []
    for key, lo in zip(windows.index, lowest.to_numpy(), strict=True):
        members = frame[(frame["start"] == key[0]) & (frame["measure"] == key[1])]
        pool = members[members["credible"]] if members.loc[members["credible"], "low_bound"].notna().any() else members
        open_bottom.append(bool(pool.loc[pool["low_bound"] == lo, "open_low"].all()))
    windows["range"] = [
        (f"{'~' if is_open_bottom else ''}{format_number(lo)}" if lo == hi
         else f"{'~' if is_open_bottom else ''}{format_number(lo)} – {format_number(hi)}") + ("+" if is_open else "")
        for lo, hi, is_open, is_open_bottom in zip(lowest.to_numpy(), top["high_bound"].to_numpy(), open_top, open_bottom,
                                                   strict=True)
    ]  # fmt: skip
    windows = windows.reset_index()
    windows["window"] = [_window_label(start, end) for start, end in zip(windows["start"], windows["end"], strict=True)]
    windows = windows.sort_values(["start", "measure"], ascending=[False, True]).reset_index(drop=True)

    latest = frame.groupby([*keys, "source"], observed=True, sort=False).tail(1)
    table = latest.pivot(index=keys, columns="source", values="figure").reset_index()
    table = table.merge(windows[["start", "measure", "window"]], on=keys).sort_values(
        ["start", "measure"], ascending=[False, True]
    )
    table = table[["window", "measure", *dict.fromkeys(latest["source"])]].reset_index(drop=True)
    table.columns.name = None
    credible_latest = latest[~latest["qualifier"].astype(str).isin(NOT_CREDIBLE)]
    flags, count = _disagreements(credible_latest, windows, keys, threshold, max_flags, dated)
    columns = ["window", "measure", "sources", "records", "conservative", "conservative source", "range"]
    return Comparison(table=table, windows=windows[columns], disagreements=flags, disagreement_count=count)


def _disagreements(
    latest: pd.DataFrame, windows: pd.DataFrame, keys: list[str], threshold: float, max_flags: int, records: pd.DataFrame
) -> tuple[list[Disagreement], int]:
    """Per window, the lowest and the highest credible figure of two sources, when they differ by more than `threshold`.

    The `max_flags` largest disagreements, and how many there are in all.
    """
    if latest.empty:
        return [], 0
    grouped = latest.groupby(keys, observed=True)
    pairs = pd.DataFrame(
        {"low": grouped["value"].idxmin(), "high": grouped["value"].idxmax(), "sources": grouped["source"].nunique()}
    )
    pairs = pairs[pairs["sources"] > 1]
    low_values = latest.loc[pairs["low"], "value"].to_numpy()
    high_values = latest.loc[pairs["high"], "value"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(low_values > 0, (high_values - low_values) / low_values, 0.0)
    flagged = pairs.assign(ratio=ratios)
    flagged = flagged[flagged["ratio"] > threshold].sort_values("ratio", ascending=False, kind="stable").head(max_flags)
    labels = windows.set_index(keys)["window"]
    lows = row_dicts(records.loc[flagged["low"]], FLAG_COLUMNS)
    highs = row_dicts(records.loc[flagged["high"]], FLAG_COLUMNS)
    flags: list[Disagreement] = []
    for key, ratio, low, high in zip(flagged.index, flagged["ratio"], lows, highs, strict=True):
        days = abs(int((high["date"] - low["date"]).days))
        flags.append(Disagreement(labels[key], str(key[1]), low, high, float(ratio), days, bounds_overlap(low, high)))
    return flags, int((pairs.assign(ratio=ratios)["ratio"] > threshold).sum())


def side_by_side(comparison: Comparison) -> pd.DataFrame:
    merged = comparison.windows.merge(comparison.table, on=["window", "measure"], how="left")
    return merged.drop(columns=["records"]).rename(columns={"conservative source": "conservative from"}).fillna("")


def search_text(frame: pd.DataFrame) -> pd.Series:
    text = frame["quote"].fillna("").astype(str)
    for column in TEXT_COLUMNS[1:]:
        text = text + "\n" + frame[column].astype("object").fillna("").astype(str)
    return text.str.lower()


def sorted_by_date(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["date", "published_at", "record_id"], na_position="first", kind="stable").reset_index(drop=True)


def dated_by(reference: pd.Series, published: pd.Series) -> pd.Series:
    labels = pd.Series("none", index=reference.index)
    labels.loc[published.notna()] = "published"
    labels.loc[reference.notna()] = "reference"
    return labels


def tooltip_html(record: dict, width: int = WRAP_WIDTH) -> str:
    """A record's provenance tooltip, line by line (what tooltips.tooltips_html makes for many records at once)."""
    import html

    row = {name: None if is_missing(record.get(name)) else record.get(name) for name in TOOLTIP_FIELDS}

    def esc(value: object) -> str:
        return "" if value is None else html.escape(value if isinstance(value, str) else str(value), quote=True)

    qualifier = str(row["qualifier"] or "exact")
    figure = format_figure(row["value"], qualifier, row["low"], row["high"], row["raw_value"], row["unit"])
    source = row["source"] or "unknown source"
    publisher = row["publisher"] or source
    quote = emphasized_quote_html(str(row["quote"] or ""), row["quote_start"] or 0, row["char_start"], row["char_end"], width)
    measure = str(row["measure"] or "")
    reference = row["reference_date"]
    document = row["title"] or row["doc"]
    lines = [
        f"<b>{esc(figure)}</b> · {esc(indicator_label(str(row['indicator'] or '')))} · {esc(row['location'] or 'location unknown')}",
        f"as of {esc(format_date(reference))}" if reference else "no reference date (publication date shown)",
        f"“{quote}”",
        f"Source: {esc(source)} · Publisher: {esc(publisher)}",
        f"Published: {esc(format_date(row['published']))}",
        f"Attribution: {esc(row['attribution'] or 'none stated')}",
        f"Qualifier: {esc(QUALIFIER_LABELS.get(qualifier, qualifier))} · Measure: {esc(MEASURE_LABELS.get(measure, measure))}",
        f"Document: {esc(document or '')}",
        f"<i>{esc(document_label(row['doc_kind'], source))}</i>",
    ]
    if str(row["extractor_version"] or "").startswith("manual:"):
        lines.append(f"<i>Added by hand by {esc(row['extractor_version'][7:])}, not read by the extractor</i>")
    return "<br>".join(lines)


def location_codes(records: pd.DataFrame) -> dict[str, str]:
    """Location label -> its most frequent ISO3 code, by a pandas group-by (what dashboard.exports.file_names counts in Python)."""
    if records.empty or "location_iso3" not in records.columns:
        return {}
    labels = records["location_label"] if "location_label" in records.columns else records["location"]
    pairs = pd.DataFrame({"label": labels.astype(object), "code": records["location_iso3"].astype(object)}).dropna()
    if pairs.empty:
        return {}
    counts = pairs.groupby(["label", "code"]).size().reset_index(name="n").sort_values(["n", "code"], ascending=[False, True])
    return {str(label): str(code) for label, code in counts.drop_duplicates("label")[["label", "code"]].itertuples(index=False)}
