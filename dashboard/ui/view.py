"""The view of a run: the dataset, the filters and the filtered records, taken column by column as pages ask."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.charts import charts
from dashboard.exports import file_names
from dashboard.model import data
from dashboard.model.filters import Filters, restrict, values_mask


@dataclass(frozen=True)
class View:
    """What every page reads: the dataset, the filters and the filtered records.

    The filtered records are taken from the dataset when a page first asks for all their
    columns (`records`); `column`, `columns`, `count`, `take_chart_records` and `take_trend_records`
    take only what they need, which spares Trends a copy of every column on each change.
    """

    url: str
    fingerprint: str
    dataset: data.Dataset
    filters: Filters
    rows: np.ndarray | None = None  # positions of the filtered records in dataset.records; None: all of them

    @functools.cached_property
    def records(self) -> pd.DataFrame:
        """The filtered records, every column (index labels: their positions in dataset.records)."""
        return self.dataset.records if self.rows is None else self.dataset.records.take(self.rows)

    @property
    def count(self) -> int:
        return len(self.dataset.records) if self.rows is None else len(self.rows)

    def newest(self, count: int) -> pd.DataFrame:
        """The last `count` filtered records (the newest: the dataset is sorted by date), every column."""
        if "records" in self.__dict__ or self.rows is None:
            return self.records.tail(count)
        return self.dataset.records.take(self.rows[-count:] if count else self.rows[:0])

    @functools.cached_property
    def _taken(self) -> dict[str, pd.Series]:
        """Columns taken so far by column(): a page asks for the same one several times in a run."""
        return {}

    def column(self, name: str) -> pd.Series:
        """One column of the filtered records (as records[name], without taking the others)."""
        if self.rows is None:
            return self.dataset.records[name]
        if "records" in self.__dict__:  # taken already
            return self.records[name]
        if name not in self._taken:
            self._taken[name] = self.dataset.records[name].take(self.rows)
        return self._taken[name]

    def columns(self, *names: str) -> pd.DataFrame:
        """Some columns of the filtered records (as records[list(names)])."""
        # Column by column: selecting a list of columns from the whole frame would first copy them.
        return pd.DataFrame({name: self.column(name) for name in names})

    def _matching(self, name: str, value: str) -> np.ndarray:
        """Which filtered records have `value` in column `name` (by category code where it is one)."""
        return values_mask(self.column(name), (value,))

    def take_columns(self, positions: np.ndarray, names: list[str]) -> pd.DataFrame:
        """Some columns of some filtered records (`positions` among them), as records[names].iloc[positions]."""
        rows = positions if self.rows is None else self.rows[positions]
        return pd.DataFrame({name: self.dataset.records[name].take(rows) for name in names})

    @functools.cached_property
    def _positions(self) -> dict[tuple[str, str], np.ndarray]:
        """Charts' positions found so far: a chart's trend, its files' name and its records ask in one run."""
        return {}

    def chart_positions(self, indicator: str, location: str) -> np.ndarray:
        """Where one chart's records (one indicator at one location) are in dataset.records, in their order."""
        if (indicator, location) not in self._positions:
            inside = np.flatnonzero(self._matching("indicator", indicator) & self._matching("location_label", location))
            self._positions[indicator, location] = inside if self.rows is None else self.rows[inside]
        return self._positions[indicator, location]

    def take_chart_records(self, indicator: str, location: str) -> pd.DataFrame:
        """briefing_text.select_chart_records(self.records, indicator, location), taking only the chart's rows."""
        return self.dataset.records.take(self.chart_positions(indicator, location))

    def take_trend_records(self, indicator: str, location: str, count: int) -> pd.DataFrame:
        """The rows of one chart that its trend draws, only the columns it reads (charts.TREND_COLUMNS): the latest
        `count` dated records, by date, as charts.trend_display finds them among all the chart's records."""
        rows = self.chart_positions(indicator, location)
        dates = self.dataset.records["date"].take(rows).to_numpy(dtype="datetime64[ns]")  # the chart's, not every record's
        dated = ~np.isnat(dates)
        rows, dates = rows[dated], dates[dated]
        if len(dates) > 1 and not (dates[1:] >= dates[:-1]).all():
            rows = rows[np.argsort(dates, kind="stable")]
        rows = rows[-count:] if count else rows[:0]
        records = self.dataset.records
        # Column by column: records[names] would first copy those columns of every record.
        return pd.DataFrame({name: records[name].take(rows) for name in charts.TREND_COLUMNS if name in records.columns})

    def chart_naming(self, indicator: str, location: str) -> file_names.ChartNaming:
        """file_names.chart_naming of one chart's records, from the three columns it reads."""
        rows = self.chart_positions(indicator, location)
        records = self.dataset.records
        names = [name for name in ("location_label", "location_iso3", "date") if name in records.columns]
        return file_names.chart_naming(pd.DataFrame({name: records[name].take(rows) for name in names}), location)

    def forget_copies(self) -> None:
        """Let go of the columns and records taken for this run (taken again if asked for later).

        The view stays in the session's state after its run, and Streamlit keeps a closed session's
        state for a while (for a reconnect): the copies a page took would be held that long too."""
        for name in ("records", "_taken", "_positions"):
            self.__dict__.pop(name, None)

    @property
    def key(self) -> str:
        """A cache key for computations on the filtered records."""
        return json.dumps([self.url, self.fingerprint, self.filters.to_query_params()], sort_keys=True)

    def chart_key(self, indicator: str, location: str) -> str:
        """A cache key for computations on one chart's records (one indicator at one location).

        Those records do not depend on the indicator and location filters when they let the
        chart's indicator and location through: choosing the indicator already charted in the
        Indicator filter finds the charts made without it.
        """
        filters = self.filters
        if (not filters.indicators or indicator in filters.indicators) and (
            not filters.locations or location in filters.locations
        ):
            filters = restrict(filters, indicators=(), locations=())
        return json.dumps([self.url, self.fingerprint, filters.to_query_params(), indicator, location], sort_keys=True)
