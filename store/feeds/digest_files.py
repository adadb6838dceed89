"""A digest (alerts.digest) written out: Markdown, JSON, an Atom feed of the latest runs, a webhook message. Pure.

The Atom feed has one entry per alert (a new headline figure, a figure that moved), newest
run first, each linking to the report that states it; a feed reader shows an analyst what
changed without opening the dashboard.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

FEED_ID = "urn:humanitarian-indicators:whats-new"
MAX_ENTRIES = 200
MAX_WEBHOOK_LINES = 20


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def figure_label(figure: dict[str, Any]) -> str:
    """'killed in Gaza: 52,000, Gaza Ministry of Health'"""
    kind = " ".join(
        str(part) for part in (figure.get("outcome") or figure.get("indicator"), "in", figure.get("location")) if part
    )
    if figure.get("location") is None:
        kind = str(figure.get("outcome") or figure.get("indicator"))
    who = figure.get("originator") or f"{figure.get('source')} (originator not stated)"
    unit = figure.get("unit") or ""
    unit = "" if unit in ("person", "people") else unit  # a count of people needs no unit
    return f"{kind}: {_number(figure.get('value'))} {unit}".rstrip() + f", {who}"


def _change(alert: dict[str, Any]) -> str:
    change = alert.get("change")
    return "from zero" if change is None else f"{change:+.0%}"


def markdown(digest: dict[str, Any], when: str) -> str:
    lines = [f"# What's new: run of {when}", ""]
    lines.append(
        f"{len(digest['documents'])} new documents, {len(digest['new'])} headline figures, {len(digest['changes'])} changes "
        f"(more than {digest['threshold']:.0%} from the same originator's previous headline)."
    )
    if digest["changes"]:
        lines += ["", "## Changes", ""]
        for alert in digest["changes"]:
            new, old = alert["figure"], alert["previous"]
            lines += [
                f"- **{figure_label(new)}** ({_change(alert)}; was {_number(old['value'])} on {old.get('reference_date') or old.get('published') or 'an undated report'})",
                f'  - now: "{new["quote"]}" ({new.get("source")}, {new.get("published") or "undated"}) <{new.get("url") or ""}>',
                f'  - before: "{old["quote"]}" ({old.get("source")}, {old.get("published") or "undated"}) <{old.get("url") or ""}>',
            ]
    if digest["new"]:
        lines += ["", "## New headline figures", ""]
        for figure in digest["new"]:
            lines.append(
                f'- {figure_label(figure)}: "{figure["quote"]}" ({figure.get("source")}, {figure.get("published") or "undated"}) <{figure.get("url") or ""}>'
            )
    return "\n".join(lines) + "\n"


def as_json(digest: dict[str, Any], when: str) -> str:
    return json.dumps({"run": when, **digest}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _entry(run_id: Any, when: str, number: int, title: str, figure: dict[str, Any], summary: str) -> str:
    link = figure.get("url") or ""
    return (
        "  <entry>\n"
        f"    <id>{FEED_ID}:{escape(str(run_id))}:{number}</id>\n"
        f"    <title>{escape(title)}</title>\n"
        f"    <updated>{escape(when)}</updated>\n"
        + (f'    <link rel="alternate" href="{escape(link, {chr(34): "&quot;"})}"/>\n' if link else "")
        + f"    <summary>{escape(summary)}</summary>\n"
        "  </entry>\n"
    )


def atom(runs: Sequence[dict[str, Any]], updated: str, title: str = "Humanitarian indicators: what's new") -> str:
    """An Atom feed of the alerts of `runs` ({"run_id", "finished_at", "digest"}, newest first)."""
    entries: list[str] = []
    for run in runs:
        digest, when = run.get("digest") or {}, run["finished_at"]
        for number, alert in enumerate(digest.get("changes", [])):
            new, old = alert["figure"], alert["previous"]
            summary = f"Now: \u201c{new['quote']}\u201d ({new.get('source')}). Before: \u201c{old['quote']}\u201d ({old.get('source')}, {old.get('url') or 'no link'})."
            entries.append(_entry(run["run_id"], when, number, f"Changed {_change(alert)}: {figure_label(new)}", new, summary))
        for number, figure in enumerate(digest.get("new", []), start=len(digest.get("changes", []))):
            summary = f"\u201c{figure['quote']}\u201d ({figure.get('source')}, {figure.get('published') or 'undated'})."
            entries.append(_entry(run["run_id"], when, number, f"New: {figure_label(figure)}", figure, summary))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <id>{FEED_ID}</id>\n  <title>{escape(title)}</title>\n  <updated>{escape(updated)}</updated>\n"
        "  <author><name>python -m store watch</name></author>\n"
        + "".join(entries[:MAX_ENTRIES])
        + "</feed>\n"
    )


def webhook_payload(digest: dict[str, Any], when: str) -> bytes:
    """A Slack- and Teams-style message ({"text": ...}): the changes first, then the new figures, at most 20 lines."""
    lines = [f"What's new ({when}): {len(digest['new'])} headline figures, {len(digest['changes'])} changes"]
    lines += [
        f"• changed {_change(alert)}: {figure_label(alert['figure'])} <{alert['figure'].get('url') or ''}>"
        for alert in digest["changes"]
    ]
    lines += [f"• new: {figure_label(figure)} <{figure.get('url') or ''}>" for figure in digest["new"]]
    if len(lines) > MAX_WEBHOOK_LINES + 1:
        lines = [*lines[: MAX_WEBHOOK_LINES + 1], f"… and {len(lines) - MAX_WEBHOOK_LINES - 1} more"]
    return json.dumps({"text": "\n".join(lines)}, ensure_ascii=False).encode("utf-8")
