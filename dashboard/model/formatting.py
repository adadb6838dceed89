"""How figures, qualifiers, dates and provenance read on screen. Pure: no Streamlit.

Every string that comes from a document (quotes, sources, attributions, titles, places)
is escaped here before it goes into HTML or Markdown, so a hostile quote such as
``<img src=x onerror=alert(1)>`` is shown as text and never runs.

>>> format_figure(57575, "at_least")
'at least 57,575'
>>> format_date("2025-05-25")
'25 May 2025'
"""

from __future__ import annotations

import functools
import html
import math
import re
from datetime import date, datetime
from typing import Any

import pandas as pd

QUALIFIER_WORDS: dict[str, str] = {
    "exact": "",
    "at_least": "at least",
    "more_than": "more than",
    "at_most": "at most",
    "fewer_than": "fewer than",
    "approx": "about",
    "range": "between",
    "vague": "",
}
QUALIFIER_LABELS: dict[str, str] = {
    "exact": "exact",
    "at_least": "at least",
    "more_than": "more than",
    "at_most": "at most",
    "fewer_than": "fewer than",
    "approx": "approximate",
    "range": "range",
    "vague": "vague",
}
MEASURE_LABELS: dict[str, str] = {
    "cumulative": "cumulative total",
    "period": "total for a period",
    "rate": "rate per day",
    "snapshot": "count at a date",
}
INDICATOR_LABELS: dict[str, str] = {
    "deaths": "Deaths",
    "injured": "Injured",
    "displaced": "Displaced",
    "famine_exposure": "Famine exposure",
    "food_insecurity": "Food insecurity",
    "aid_worker_casualties": "Aid-worker casualties",
}
DASH = "—"
WRAP_WIDTH = 72
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' missing markers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return value != value  # NaN
    if isinstance(value, str | int):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_number(value: Any) -> str:
    """A figure with thousands separators: '57,575'; fractions keep one decimal: '28.5'."""
    if is_missing(value):
        return DASH
    number = float(value)
    if math.isinf(number):
        return DASH
    if abs(number - round(number)) < 0.05:
        return f"{round(number):,}"
    return f"{number:,.1f}"


def indicator_label(indicator: str) -> str:
    """'famine_exposure' -> 'Famine exposure'."""
    return INDICATOR_LABELS.get(indicator, str(indicator).replace("_", " ").capitalize())


def format_figure(
    value: Any,
    qualifier: str = "exact",
    low: Any = None,
    high: Any = None,
    raw_value: str | None = None,
    unit: str | None = None,
) -> str:
    """The figure as an analyst would say it: 'at least 57,575', '5,000–7,000', 'dozens (24–99)'."""
    number = format_number(value)
    if qualifier == "range" and not is_missing(low) and not is_missing(high):
        text = f"{format_number(low)}–{format_number(high)}"
    elif qualifier == "vague":
        words = (raw_value or "").strip().lower() or "an unspecified number"
        if not is_missing(low) and not is_missing(high):
            text = f"{words} ({format_number(low)}–{format_number(high)})"
        else:
            text = f"{words} (at least {number})"
    else:
        words = QUALIFIER_WORDS.get(qualifier, "")
        text = f"{words} {number}".strip()
    if unit and "day" in unit:
        text += " per day"
    return text


def parse_iso_date(value: Any) -> date | None:
    """A date from an ISO 8601 string, a datetime or a Timestamp; None when it is not one."""
    if is_missing(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", str(value))
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def format_date(value: Any) -> str:
    """'2025-05-25' -> '25 May 2025'; a missing or malformed date -> 'undated'."""
    if isinstance(value, str):
        return _format_date_text(value)
    day = parse_iso_date(value)
    if day is None:
        return "undated"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@functools.lru_cache(maxsize=4096)
def _format_date_text(value: str) -> str:
    day = parse_iso_date(value)
    if day is None:
        return "undated"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_change(current: Any, previous: Any, previous_date: Any = None) -> str | None:
    """'+2,409 since 12 May 2025'; None without a previous figure."""
    if is_missing(current) or is_missing(previous):
        return None
    delta = float(current) - float(previous)
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    text = f"{sign}{format_number(abs(delta))}"
    if previous_date is not None and parse_iso_date(previous_date) is not None:
        text += f" since {format_date(previous_date)}"
    return text


def format_signed(delta: Any) -> str:
    """A change with an ASCII sign, as st.metric reads it: '+2,409', '-1,200', '0'."""
    if is_missing(delta):
        return ""
    number = float(delta)
    sign = "+" if number > 0 else ("-" if number < 0 else "")
    return f"{sign}{format_number(abs(number))}"


def escape_html(value: Any) -> str:
    """HTML-escaped text ('' for missing values), quotes included. Quotes become numeric
    references (&#34;): Plotly's tooltips decode those but show a named &quot; literally."""
    if type(value) is str:  # the common case, without is_missing's checks
        return html.escape(value, quote=True).replace("&quot;", "&#34;")
    if is_missing(value):
        return ""
    return html.escape(str(value), quote=True).replace("&quot;", "&#34;")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")
WORD_JOINER = "\u2060"
# Streamlit's Markdown (remark-gfm) links bare addresses ("http(s)://" or "www." and a domain, name@domain) after
# parsing, so backslash escapes do not stop it; an invisible word joiner where the domain starts does.
_AUTOLINK_START = re.compile(r"(?<=https://)|(?<=http://)|(?<=www)(?=\.)|(?<=@)(?=[-\w])", re.IGNORECASE | re.ASCII)


def escape_markdown(value: Any) -> str:
    """Text that Streamlit's Markdown shows as written: no links (bare addresses included), images, emphasis, LaTeX or HTML."""
    if type(value) is str:
        return _escaped_markdown(value)
    if is_missing(value):
        return ""
    return _escaped_markdown(str(value))


@functools.lru_cache(maxsize=4096)
def _escaped_markdown(text: str) -> str:
    # Remembered: a page's places, kinds, outlets and labels recur on every card and caption.
    text = _AUTOLINK_START.sub(WORD_JOINER, _CONTROL.sub("", text))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def code_span(value: Any) -> str:
    """Text as inline Markdown code, shown as written: escapes are not read inside code, nor addresses linked."""
    text = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", "" if is_missing(value) else str(value)).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if "`" in text else f"{fence}{text}{fence}"


def document_label(doc_kind: Any, source: Any) -> str:
    """'summary of a Reuters report' for our briefs; the source's own report otherwise."""
    name = "" if is_missing(source) else str(source)
    if not is_missing(doc_kind) and str(doc_kind) == "summary":
        if not name:
            return "summary of a report"
        if name.lower().startswith("the "):
            return f"summary of a report by {name}"
        return f"summary of {article(name)} {name} report"
    if not is_missing(doc_kind) and str(doc_kind):
        return f"{doc_kind} by {name}" if name else str(doc_kind)
    return f"report by {name}" if name else "report"


def article(word: str) -> str:
    """'an' before a vowel sound as publishers' names start ('an AFP', 'a UN', 'a Reuters').

    >>> article("Al Jazeera"), article("UN OCHA"), article("Reuters")
    ('an', 'a', 'a')
    """
    return "an" if word[:1].upper() in "AEIO" and word[:1] else "a"


def split_quote(quote: str, quote_start: Any, char_start: Any, char_end: Any) -> tuple[str, str, str]:
    """(before, figure, after): the quote cut around the figure's span.

    The figure is quote[char_start - quote_start : char_end - quote_start]; offsets that fall
    outside the quote (a record whose quote was trimmed) leave the whole quote unemphasized.
    """
    quote = quote or ""
    try:
        start = int(char_start) - int(quote_start)
        end = int(char_end) - int(quote_start)
    except (TypeError, ValueError):
        return quote, "", ""
    if not 0 <= start < end <= len(quote):
        return quote, "", ""
    return quote[:start], quote[start:end], quote[end:]


def _wrap_points(text: str, width: int) -> list[int]:
    """Offsets where greedy word wrapping at `width` characters breaks `text` (at spaces)."""
    breaks: list[int] = []
    line_start = 0
    while len(text) - line_start > width:
        cut = text.rfind(" ", line_start + 1, line_start + width + 1)  # the last space that fits
        if cut == -1:
            cut = text.find(" ", line_start + width + 1)  # a long word: break after it
            if cut == -1:
                break
        breaks.append(cut)
        line_start = cut + 1
    return breaks


def needs_no_escaping(text: str) -> bool:
    """Whether html.escape leaves the text as it is (most quotes: escaping them is then skipped)."""
    return not ("&" in text or "<" in text or ">" in text or '"' in text or "'" in text)


def _same(text: str) -> str:
    return text


def emphasized_quote_html(quote: str, quote_start: Any, char_start: Any, char_end: Any, width: int = WRAP_WIDTH) -> str:
    """The quote, escaped, wrapped with <br> for a tooltip, the figure inside <b>…</b>."""
    before, figure, after = split_quote(quote, quote_start, char_start, char_end)
    text = before + figure + after
    escape = _same if needs_no_escaping(text) else escape_html
    fig_start, fig_end = len(before), len(before) + len(figure)
    cuts = [*_wrap_points(text, width), len(text)] if width else [len(text)]
    lines: list[str] = []
    start = 0
    for cut in cuts:
        if cut <= fig_start or start >= fig_end:  # no part of the figure on this line (escaping is per character)
            lines.append(escape(text[start:cut]) if cut > start else "")
            start = cut + 1
            continue
        parts = []
        for lo, hi, bold in (
            (start, min(cut, fig_start), False),
            (max(start, fig_start), min(cut, fig_end), True),
            (max(start, fig_end), cut, False),
        ):
            if hi > lo:
                chunk = escape(text[lo:hi])
                parts.append(f"<b>{chunk}</b>" if bold else chunk)
        lines.append("".join(parts))
        start = cut + 1
    return "<br>".join(lines)


def missing_as_none(values: list[Any]) -> list[Any]:
    """The values with every missing one (None, NA, NaT, NaN) as None: what tooltips_of_clean takes."""
    return [
        None if value is None or value is pd.NA or value is pd.NaT or (type(value) is float and value != value) else value
        for value in values
    ]
