"""A document's text with its figures highlighted, where a reviewer selects a missed figure with the mouse.

A Streamlit custom component (st.components.v2): the browser builds the text from text nodes
only (no HTML from the document is ever parsed) and, when the reviewer selects part of it,
sends back the selection's character offsets into the document text (counted in Unicode code
points, as Python counts them). Python checks those offsets again before anything is stored.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.model.provenance import Span

CSS = """
.sel-doc { white-space: pre-wrap; line-height: 1.6; font-size: 0.95rem; max-height: 32rem; overflow-y: auto;
           padding: 0.75rem 1rem; border: 1px solid #d0d0d0; border-radius: 0.5rem; background: #fcfcfc; color: #1a1a1a;
           font-family: "Source Sans Pro", sans-serif; }
.sel-doc mark.fig { background: #fde9b3; padding: 0 2px; border-radius: 3px; }
.sel-doc mark.fig.reviewed { background: #c7e9c0; }
.sel-doc mark.fig.rejected { background: #eeeeee; text-decoration: line-through; }
.sel-doc mark.fig.selected { background: #56B4E9; color: #000; outline: 2px solid #0072B2; }
.sel-doc mark.pick { background: #CC79A7; color: #fff; }
"""

JS = """
export default function (component) {
  const { data, setStateValue, parentElement } = component;
  let root = parentElement.querySelector(".sel-doc");
  if (!root) {
    root = document.createElement("div");
    root.className = "sel-doc";
    root.setAttribute("data-testid", "review-document");
    parentElement.appendChild(root);
  }
  const chars = Array.from((data && data.text) || "");
  const spans = (data && data.spans) || [];
  const piece = (start, end) => chars.slice(start, end).join("");
  root.replaceChildren();
  let cursor = 0;
  for (const span of spans) {
    if (span.start < cursor || span.end > chars.length || span.end <= span.start) continue;
    root.appendChild(document.createTextNode(piece(cursor, span.start)));
    const mark = document.createElement("mark");
    mark.className = span.css;
    mark.title = span.label;
    mark.textContent = piece(span.start, span.end);
    root.appendChild(mark);
    cursor = span.end;
  }
  root.appendChild(document.createTextNode(piece(cursor, chars.length)));
  const offsetOf = (node, offset) => {
    const range = document.createRange();
    range.setStart(root, 0);
    range.setEnd(node, offset);
    return Array.from(range.toString()).length;
  };
  const onSelect = () => {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return;
    const start = offsetOf(range.startContainer, range.startOffset);
    const end = offsetOf(range.endContainer, range.endOffset);
    if (end > start) setStateValue("selection", { start, end, text: piece(start, end) });
  };
  root.addEventListener("mouseup", onSelect);
  root.addEventListener("keyup", onSelect);
  return () => {
    root.removeEventListener("mouseup", onSelect);
    root.removeEventListener("keyup", onSelect);
  };
}
"""

_SELECTOR = st.components.v2.component("dashboard_text_selector", css=CSS, js=JS, isolate_styles=False)


def _usable(spans: list[dict[str, Any]], length: int) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        if 0 <= span["start"] < span["end"] <= length and (not kept or span["start"] >= kept[-1]["end"]):
            kept.append(span)
    return kept


def document_selector_ui(text: str, spans: list[Span], css: dict[str, str], *, key: str) -> tuple[int, int] | None:
    """Show the text with each span highlighted (extra CSS classes by record id); the reviewer's selection as (start, end)."""
    items = [
        {"start": span.start, "end": span.end, "label": span.label, "css": "fig " + css.get(span.record_id, "")} for span in spans
    ]
    result = _SELECTOR(
        key=key,
        data={"text": text, "spans": _usable(items, len(text))},
        default={"selection": None},
        on_selection_change=lambda: None,
        height="content",
    )
    chosen = result.get("selection") if result is not None else None
    if not isinstance(chosen, dict):
        return None
    try:
        start, end = int(chosen["start"]), int(chosen["end"])
    except (KeyError, TypeError, ValueError):
        return None
    return (start, end) if 0 <= start < end <= len(text) else None
