"""Plotly figures that serialise quickly: what st.plotly_chart reads of a trend chart is to_dict(). Pure: no Streamlit."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go


class NotPlain(Exception):
    """Data that only Plotly's own to_dict serialises faithfully (arrays, tuples...)."""


_ATOMS = frozenset({str, int, float, bool, type(None)})


def plain_copy(value: Any) -> Any:
    """A deep copy of JSON-like data: dicts and lists of text, numbers, booleans and None."""
    kind = type(value)
    if kind is dict:
        return {key: plain_copy(item) for key, item in value.items()}
    if kind is list:
        return [item if type(item) in _ATOMS else plain_copy(item) for item in value]
    if kind in _ATOMS:
        return value
    raise NotPlain(kind.__name__)


class TrendFigure(go.Figure):
    """A figure that is built once and then only read (it is cached and shared between sessions).

    st.plotly_chart serialises figure.to_dict() on every rerun; Plotly deep-copies every trace
    and base64-encodes arrays each time. Here that happens once, and for a figure of plain
    lists (as trend_figure builds them) by a copy that skips deepcopy's bookkeeping and the
    search for arrays to encode, which finds none: the same dict, in a third of the time.
    """

    def to_dict(self) -> dict:
        cached = getattr(self, "_dict_once", None)
        if cached is None:
            try:
                cached = {"data": plain_copy(self._data), "layout": plain_copy(self._layout)}
                if self._frame_objs:
                    raise NotPlain("frames")
            except NotPlain:
                cached = super().to_dict()
            self._dict_once = cached
        return cached


_TEMPLATES: dict[str, Any] = {}
"""Plotly's default template as a dict, by name (see DisplayFigure._default_template)."""


class DisplayFigure(go.Figure):
    """A trend chart for st.plotly_chart, which reads nothing of a figure but to_dict().

    Even unvalidated, Plotly's trace objects cost about 80% of building a big chart, and a plain
    dict handed to st.plotly_chart would be validated again. This figure keeps the traces and
    layout as plain dicts; its to_dict() is what TrendFigure's would be (tested), with the
    template Plotly adds to every layout. Its .data and .layout are empty: use trend_figure for
    a figure to read or change.
    """

    def __init__(self, data: list[dict], layout: dict) -> None:
        super().__init__()
        template = self._default_template()
        self._display = {
            "data": data,
            "layout": layout if template is None or "template" in layout else {**layout, "template": template},
        }

    def _default_template(self) -> Any:
        """What Plotly adds to a new figure's layout: the default template, as a dict made once per default
        template (Plotly's to_dict copies it deeply and searches it for arrays each time). Shared: read only."""
        import plotly.io as pio

        name = pio.templates.default
        if not isinstance(name, str):
            return super().to_dict()["layout"].get("template")
        if name not in _TEMPLATES:
            _TEMPLATES[name] = super().to_dict()["layout"].get("template")
        return _TEMPLATES[name]

    def to_dict(self) -> dict:
        return self._display
