"""Map: where the figures are largest. One kind of figure (indicator, outcome, measure, status) by country or
first-level area, the latest figure at each place beside its ranked table, per person on demand."""

from __future__ import annotations

from dashboard.ui import map_ui

map_ui.map_page_ui()
