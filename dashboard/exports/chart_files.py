"""A chart as a file: a standalone HTML page that works offline, or a PNG. Pure: no Streamlit.

PNGs are rendered on the server by kaleido 1.x, which drives a headless Chromium through
choreographer: the browser is /usr/bin/chromium unless BROWSER_PATH (choreographer's own
variable) or DASHBOARD_CHROMIUM says otherwise, and it is started once and kept warm
for the next exports (PngRenderer; `close_renderer()` stops it, as does the interpreter's exit).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import struct
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dashboard.model.formatting import escape_html

SLIDE = (1600, 900)
COLUMN = (600, 500)
DEFAULT_SCALE = 2
DEFAULT_CHROMIUM = "/usr/bin/chromium"
START_TIMEOUT_S = 90.0
RENDER_TIMEOUT_S = 90.0


class ExportError(RuntimeError):
    """An export that cannot be made; the message says why and what to do."""


# ---- standalone HTML ------------------------------------------------------------------------


NARROW_SCRIPT = """
var gd = document.getElementById('{plot_id}');
var layouts = {layouts};
function fitBriefing() {
  var want = gd.clientWidth < %d ? 'narrow' : 'wide';
  if (gd.dataset.briefing !== want) { gd.dataset.briefing = want; Plotly.relayout(gd, layouts[want]); }
}
fitBriefing();
window.addEventListener('resize', fitBriefing);
"""


def standalone_html(
    figure: Any,
    *,
    title: str,
    config: Mapping[str, Any] | None = None,
    height: int = 720,
    footer: str = "",
    narrow_layout: Mapping[str, Any] | None = None,
    breakpoint: int = 900,
) -> str:
    """A full HTML page of the chart that works offline: plotly.js inline, tooltips included.

    `title` and `footer` are plain text (escaped here); the figure's JSON escapes '<'. With
    `narrow_layout` (the layout of the same chart laid out for a narrow column), the page
    switches to it while the chart is narrower than `breakpoint` pixels, and back.
    """
    import plotly.io as pio
    from plotly.io.json import to_json_plotly

    post_script = None
    if narrow_layout is not None:
        wide = figure.to_plotly_json()["layout"] if hasattr(figure, "to_plotly_json") else dict(figure)["layout"]
        layouts = to_json_plotly({"wide": wide, "narrow": dict(narrow_layout)})  # '<' escaped as \\u003c
        post_script = (NARROW_SCRIPT % int(breakpoint)).replace("{layouts}", layouts)
    div = pio.to_html(
        figure,
        config=dict(config or {}),
        include_plotlyjs=True,
        include_mathjax=False,
        full_html=False,
        default_width="100%",
        default_height=f"{int(height)}px",
        validate=False,
        post_script=post_script,
    )
    foot = f'\n<p class="foot">{escape_html(footer)}</p>' if footer else ""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape_html(title)}</title>\n"
        "<style>body{margin:0;padding:12px;font-family:'Liberation Sans',Arial,sans-serif;color:#1a1a1a;background:#fff}"
        ".foot{font-size:13px;color:#555;margin:8px 0 0}</style>\n"
        f"</head>\n<body>\n<main>\n{div}{foot}\n</main>\n</body>\n</html>\n"
    )


# ---- PNG ------------------------------------------------------------------------------------


def chromium_path(explicit: str | os.PathLike[str] | None = None) -> str:
    """The browser kaleido drives: the argument, else $BROWSER_PATH, else $DASHBOARD_CHROMIUM, else /usr/bin/chromium."""
    for candidate in (explicit, os.environ.get("BROWSER_PATH"), os.environ.get("DASHBOARD_CHROMIUM"), DEFAULT_CHROMIUM):
        if candidate:
            return str(candidate)
    return DEFAULT_CHROMIUM


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; ValueError when it is not a PNG."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", data[16:24])


class PngRenderer:
    """One headless Chromium driven by kaleido, opened on first use and kept warm.

    kaleido is asyncio-based: it runs on an event loop in a daemon thread of its own, so
    that Streamlit's script threads (and the CLI) call `png()` synchronously. Renders are
    serialized by a lock; a failed or timed-out render closes the browser, and the next
    call starts a new one.
    """

    def __init__(
        self, browser_path: str | None = None, *, start_timeout: float = START_TIMEOUT_S, render_timeout: float = RENDER_TIMEOUT_S
    ):
        self.browser_path = chromium_path(browser_path)
        self.start_timeout = start_timeout
        self.render_timeout = render_timeout
        self._lock = threading.RLock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None

    @property
    def is_open(self) -> bool:
        return self._kaleido is not None

    def _run(self, coroutine: Any, timeout: float) -> Any:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except BaseException:
            future.cancel()
            raise

    def open(self) -> None:
        with self._lock:
            if self._kaleido is not None:
                return
            if not Path(self.browser_path).is_file():
                raise ExportError(
                    f"PNG export needs Chromium, not found at {self.browser_path}: install it (apt-get install chromium) "
                    "or point BROWSER_PATH to a Chrome or Chromium."
                )
            import kaleido

            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, name="png-renderer", daemon=True)
            self._thread.start()

            async def start() -> Any:
                browser = kaleido.Kaleido(path=self.browser_path, n=1, timeout=self.render_timeout, mathjax=False)
                await browser.open()
                return browser

            try:
                self._kaleido = self._run(start(), self.start_timeout)
            except BaseException as error:
                self._stop_loop()
                raise ExportError(f"Could not start Chromium ({self.browser_path}) for PNG export: {error!r}") from error

    def png(self, figure: Any, *, width: int, height: int, scale: float = DEFAULT_SCALE) -> bytes:
        """The figure as PNG bytes of (width*scale) x (height*scale) pixels."""
        spec = figure.to_dict() if hasattr(figure, "to_dict") else dict(figure)
        opts = {"format": "png", "width": int(width), "height": int(height), "scale": scale}
        with self._lock:
            self.open()
            try:
                return self._run(self._kaleido.calc_fig(spec, opts=opts), self.render_timeout + 5)
            except BaseException as error:
                self.close()
                if isinstance(error, KeyboardInterrupt | SystemExit):
                    raise
                raise ExportError(f"PNG export failed: {error!r}") from error

    def _stop_loop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(10)
            if not self._loop.is_running():
                self._loop.close()
        self._loop, self._thread = None, None

    def close(self) -> None:
        """Stop the browser (the next png() starts a new one)."""
        with self._lock:
            if self._kaleido is not None:
                browser, self._kaleido = self._kaleido, None
                with contextlib.suppress(Exception):  # the browser may already be gone
                    self._run(browser.close(), 20)
            self._stop_loop()


_RENDERER: PngRenderer | None = None
_RENDERER_LOCK = threading.Lock()


def renderer(browser_path: str | None = None) -> PngRenderer:
    """The process's shared PngRenderer (a new one when another browser path is asked for)."""
    global _RENDERER
    with _RENDERER_LOCK:
        wanted = chromium_path(browser_path)
        if _RENDERER is None or _RENDERER.browser_path != wanted:
            if _RENDERER is not None:
                _RENDERER.close()
            _RENDERER = PngRenderer(wanted)
        return _RENDERER


def close_renderer() -> None:
    global _RENDERER
    with _RENDERER_LOCK:
        if _RENDERER is not None:
            _RENDERER.close()
            _RENDERER = None


atexit.register(close_renderer)


def png_bytes(
    figure: Any, *, width: int = SLIDE[0], height: int = SLIDE[1], scale: float = DEFAULT_SCALE, browser_path: str | None = None
) -> bytes:
    """The figure as a PNG rendered by the shared, warm headless Chromium."""
    return renderer(browser_path).png(figure, width=width, height=height, scale=scale)


__all__ = [
    "COLUMN",
    "SLIDE",
    "ExportError",
    "PngRenderer",
    "chromium_path",
    "close_renderer",
    "png_bytes",
    "png_size",
    "standalone_html",
]
