"""The records as files: CSV (plain and HXL) and JSON lines, with the columns' types, tags and descriptions. Pure: no Streamlit.

Records go out with the contract fields (dashboard.model.data.CONTRACT_COLUMNS) and the publisher.
Numbers stay numbers (integral figures are written without ".0"); every text cell that a
spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return)
is neutralized with a leading single quote.

>>> neutralize("=HYPERLINK(\\"http://x\\")"), neutralize("-2"), neutralize("57,575"), neutralize(-2.0)
('\\'=HYPERLINK("http://x")', "'-2", '57,575', -2.0)
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard.model.data import CONTRACT_COLUMNS
from extractors.contract import ALL_FIELDS, EXPORT_FIELDS, Field, columns_of_type

DOWNLOAD_COLUMNS: tuple[str, ...] = (*CONTRACT_COLUMNS, *EXPORT_FIELDS)
"""Columns of the dashboard's record files (its downloads and `python -m dashboard.export`), in this order: the record
contract, doc_id, page, review_status, publisher. (The store's own `export` writes its EXPORT_COLUMNS.)"""
NUMBER_COLUMNS = columns_of_type("number")
INTEGER_COLUMNS = columns_of_type("integer")
BOOLEAN_COLUMNS = columns_of_type("boolean")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


# ---- fields ---------------------------------------------------------------------------------


FieldInfo = Field  # type, HXL tag, description of one column
# Every column's type, HXL tag and description: the contract table (extractors/contract.py).
FIELD_INFO: dict[str, FieldInfo] = dict(ALL_FIELDS)


def neutralize(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, with a leading single quote; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _numbers(series: pd.Series, integer: bool) -> list[int | float | None]:
    """A column as finite numbers (ints when integral or when `integer`), None for anything else."""
    raw = series.astype(object) if isinstance(series.dtype, pd.CategoricalDtype) else series
    numbers = pd.to_numeric(raw, errors="coerce").astype("float64").to_numpy()
    finite = np.isfinite(numbers)
    whole = finite & (np.round(numbers) == numbers)
    if integer:
        whole = finite
    rounded = np.round(np.where(finite, numbers, 0.0))
    return [
        (int(r) if w else float(n)) if f else None
        for n, r, f, w in zip(numbers.tolist(), rounded.tolist(), finite.tolist(), whole.tolist(), strict=True)
    ]


def _booleans(series: pd.Series) -> list[bool | None]:
    """A column as True/False, None for missing values (a record stored before the field existed)."""
    missing = series.isna().to_numpy(dtype=bool)
    return [None if m else bool(v) for v, m in zip(series.astype(object).tolist(), missing.tolist(), strict=True)]


def _texts(series: pd.Series) -> list[str | None]:
    """A column as strings, None for missing values."""
    missing = series.isna().to_numpy(dtype=bool)
    values = series.astype(object).tolist()
    return [None if m else (v if type(v) is str else str(v)) for v, m in zip(values, missing.tolist(), strict=True)]


def export_table(records: pd.DataFrame) -> dict[str, list[Any]]:
    """The records as columns of plain Python values (None, bool, int, float, str), DOWNLOAD_COLUMNS in order.

    Numeric columns are coerced (anything that is not a finite number becomes None), `headline`
    is a boolean; every other column is text. Extra columns of the frame (date, search_text, ...) are left out.
    """
    size = len(records)
    table: dict[str, list[Any]] = {}
    for column in DOWNLOAD_COLUMNS:
        if column not in records.columns:
            table[column] = [None] * size
        elif column in NUMBER_COLUMNS or column in INTEGER_COLUMNS:
            table[column] = _numbers(records[column], column in INTEGER_COLUMNS)
        elif column in BOOLEAN_COLUMNS:
            table[column] = _booleans(records[column])
        else:
            table[column] = _texts(records[column])
    return table


Records = pd.DataFrame | dict[str, list[Any]]
"""A DataFrame of records, or the export_table made of it (to convert a large frame once)."""


def table_of(records: Records) -> dict[str, list[Any]]:
    return records if isinstance(records, dict) else export_table(records)


def row_count(table: Mapping[str, Sequence[Any]]) -> int:
    return len(table["record_id"])


def export_frame(records: pd.DataFrame) -> pd.DataFrame:
    """export_table as a DataFrame of Python objects (what the CSV and JSON files hold)."""
    return pd.DataFrame(export_table(records), columns=list(DOWNLOAD_COLUMNS), dtype=object)


# ---- HXL ------------------------------------------------------------------------------------

_ATTRIBUTE = re.compile(r"[^a-z0-9_]")


def _attribute(name: str) -> str:
    """A valid HXL attribute from any name: lower case, [a-z][a-z0-9_]*."""
    text = _ATTRIBUTE.sub("_", str(name).lower()).strip("_") or "x"
    return text if text[0].isalpha() else f"x{text}"


def indicator_hxl(indicator: str, outcome: str | None = None) -> str:
    """The HXL hashtag of an indicator's figures, from extractors/data/indicators.toml.

    An indicator of several outcomes (aid-worker casualties) gets the outcome as an attribute.

    >>> indicator_hxl("deaths"), indicator_hxl("aid_worker_casualties", "killed")
    ('#affected+killed', '#affected+killed+aidworkers')
    """
    from extractors.vocabulary import vocabulary

    known = vocabulary().indicators.get(indicator)
    if known is None or not known.hxl:
        return f"#affected+{_attribute(indicator)}"
    tag = known.hxl.strip()
    if len(known.outcomes) > 1 and outcome:
        hashtag, _, attributes = tag.partition("+")
        attribute = _attribute(outcome)
        rest = [a for a in attributes.split("+") if a and a != attribute]
        tag = "+".join([hashtag, attribute, *rest])
    return tag


@dataclass(frozen=True)
class ValueColumn:
    """One column of the HXL CSV holding the figures of one indicator (and outcome) only."""

    name: str
    indicator: str
    outcome: str | None
    tag: str


def hxl_value_columns(table: Mapping[str, Sequence[Any]]) -> list[ValueColumn]:
    """A figure column per indicator present (per outcome for aid workers), in INDICATORS order."""
    from extractors.record import INDICATORS
    from extractors.vocabulary import vocabulary

    indicators = vocabulary().indicators
    present = sorted(
        {(str(i), o) for i, o in zip(table["indicator"], table["outcome"], strict=True) if i is not None},
        key=lambda pair: (INDICATORS.index(pair[0]) if pair[0] in INDICATORS else len(INDICATORS), pair[0], pair[1] or ""),
    )
    columns: dict[str, ValueColumn] = {}
    for indicator, outcome in present:
        split = indicator in indicators and len(indicators[indicator].outcomes) > 1 and bool(outcome)
        name = f"{indicator}_{_attribute(outcome)}" if split else indicator
        if name not in columns:
            columns[name] = ValueColumn(
                name, indicator, outcome if split else None, indicator_hxl(indicator, outcome if split else None)
            )
    return list(columns.values())


# ---- CSV and JSON lines ---------------------------------------------------------------------


_TRIGGER_CHARS = frozenset("".join(FORMULA_TRIGGERS))


def _neutralized(values: list[Any]) -> list[Any]:
    """neutralize() over a text column, fast."""
    return [("'" + value) if value and value[0] in _TRIGGER_CHARS else value for value in values]


def _csv_rows(records: Records, hxl: bool) -> tuple[list[str], list[str] | None, list[tuple[Any, ...]]]:
    """Header, HXL hashtags (hxl=True) and rows; None cells are written empty, numbers by str() (repr for floats)."""
    raw = table_of(records)
    columns = list(DOWNLOAD_COLUMNS)
    table = {
        column: values if column in NUMBER_COLUMNS | INTEGER_COLUMNS | BOOLEAN_COLUMNS else _neutralized(values)
        for column, values in raw.items()
    }
    tags: list[str] | None = None
    if hxl:
        extra = hxl_value_columns(raw)
        for spec in extra:
            table[spec.name] = [
                value if indicator == spec.indicator and (spec.outcome is None or outcome == spec.outcome) else None
                for value, indicator, outcome in zip(raw["value"], raw["indicator"], raw["outcome"], strict=True)
            ]
        at = columns.index("value") + 1
        columns[at:at] = [spec.name for spec in extra]
        tags_by_name = {name: info.hxl for name, info in FIELD_INFO.items()} | {spec.name: spec.tag for spec in extra}
        tags = [tags_by_name[name] for name in columns]
    return columns, tags, list(zip(*(table[column] for column in columns), strict=True))


def records_csv(records: Records, *, hxl: bool = False) -> bytes:
    """The records as UTF-8 CSV: a header row, with hxl=True a row of HXL hashtags under it, then one row per record.

    The HXL flavour adds, after `value`, a column per indicator present (#affected+killed,
    #affected+killed+aidworkers, ...) holding that indicator's figures only.
    """
    columns, tags, rows = _csv_rows(records, hxl)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    if tags is not None:
        writer.writerow(tags)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def records_jsonl(records: Records) -> bytes:
    """The records as JSON lines (one object per record, DOWNLOAD_COLUMNS, null for missing values)."""
    table = table_of(records)
    lines = [
        json.dumps(dict(zip(DOWNLOAD_COLUMNS, row, strict=True)), ensure_ascii=False, allow_nan=False)
        for row in zip(*(table[column] for column in DOWNLOAD_COLUMNS), strict=True)
    ]
    return "".join(line + "\n" for line in lines).encode("utf-8")


__all__ = [
    "DOWNLOAD_COLUMNS",
    "FIELD_INFO",
    "export_frame",
    "export_table",
    "hxl_value_columns",
    "indicator_hxl",
    "neutralize",
    "records_csv",
    "records_jsonl",
]
