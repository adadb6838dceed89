"""Resident memory of a real dashboard server: `python -m dashboard.serve` on a store, its pages opened in Chromium.

    .venv/bin/python bench/server_memory.py --db sqlite:///bench/.cache/dashboard-1000000-v3.sqlite
    .venv/bin/python bench/server_memory.py --db postgresql://postgres@127.0.0.1:PORT/dashboard_1000000_v3
    .venv/bin/python bench/server_memory.py --db sqlite:///big.sqlite --code /tmp/base   # an earlier commit's checkout
    .venv/bin/python bench/server_memory.py --db sqlite:///big.sqlite --json             # one line of JSON

The server is the measured checkout's own (`--code DIR`, this one by default), started from that
folder with it on PYTHONPATH, on a free port of 127.0.0.1, with DASHBOARD_SNAPSHOTS=off (the store
read in full, as after any change to it) and the store in DATABASE_URL. Steps, each with a deadline:

1. the server answers /_stcore/health;
2. its warm-up thread has read the store (dashboard.serve prints "warm-up: N records ready");
   resident memory after the read (where the warm-up did not read it, after the first page, which did);
3. every page of the measured code's page table a visitor can open without signing in (the reviewers'
   pages need an account), then Trends filtered by an indicator and a search on Records, each in
   headless Chromium (Debian's /usr/bin/chromium) until its script has finished (stApp's
   data-test-script-state); resident memory after every page. A page showing an exception or the
   app's "Something went wrong" fails the measurement;
4. one figure accepted through the measured code's store.reviews, and the Overview opened again once
   the server's cached store fingerprint has expired (ui.fingerprint_cached's ttl), so that it draws
   the reviewed store; resident memory after it, and the peak of the whole run (VmHWM, or a resident size
   read before it where that is larger: the kernel updates VmHWM lazily).

Memory is the server process's VmRSS and VmHWM in /proc (Linux). The seconds each page took in the
browser are informative: they include Chromium's drawing and the machine's other work. The server
and Chromium are stopped at the end, on an error and on Ctrl-C too. The accepted figure stays
accepted in the store measured.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("BROWSER_PATH") or os.environ.get("DASHBOARD_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip
READ_ROW = "server memory: resident MB after the read"
PAGES_ROW = "server memory: resident MB after every page"
REVIEW_ROW = "server memory: resident MB after a review"
PEAK_ROW = "server memory: peak resident MB"
MEMORY_ROWS = (READ_ROW, PAGES_ROW, REVIEW_ROW, PEAK_ROW)
PAGE_ROW = "server page, seconds in the browser: "
"""The prefix of a page's row; the page's label follows."""
REVIEWER = "server memory benchmark"
WARM_UP_PREFIX = "warm-up:"
WARM_UP_READY = " records ready in "
ERROR_TEXT = "Something went wrong"
"""The start of the app's message for an error a page did not expect (dashboard/app.py: ERROR_MESSAGE)."""
FINISHED_STATES = ("notRunning", "compilationError")
SETTLE_MS = 200
"""A finished script is watched this long for a rerun (a widget setting its value once drawn) before the page counts as done."""
DEFAULT_FINGERPRINT_TTL_S = 10.0


class ServerMemoryError(RuntimeError):
    """The server did not start, read the store, or draw a page without an error; the message says which and why."""


@dataclass(frozen=True)
class Visit:
    label: str
    path: str
    """The address below the server's root, query included."""


@dataclass(frozen=True)
class Server:
    base: str
    process: subprocess.Popen
    log: Path

    def log_tail(self, size: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def failed(self, what: str) -> ServerMemoryError:
        state = f"it ended with status {self.process.returncode}" if self.process.poll() is not None else "it is still running"
        return ServerMemoryError(f"{what} ({state}); the end of its log:\n{self.log_tail()}")

    def memory_mb(self) -> tuple[float, float]:
        """(resident, peak resident) megabytes of the server process."""
        if self.process.poll() is not None:
            raise self.failed("the server ended")
        text = Path(f"/proc/{self.process.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def absolute_sqlite(url: str) -> str:
    """A SQLite URL with a relative path made absolute: the server runs in the checkout's folder, not here."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url.startswith((prefix + "/", prefix + ":memory:")):
        return url
    path, query = url[len(prefix) :].partition("?")[::2]
    return f"{prefix}{Path(path).resolve()}" + (f"?{query}" if query else "")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def code_environment(code: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(code), **extra}


@contextlib.contextmanager
def serve(code: Path, url: str, log: Path) -> Iterator[Server]:
    """The checkout `code`'s `python -m dashboard.serve` on `url`; its whole process group is stopped at the end."""
    port = free_port()
    command = [sys.executable, "-m", "dashboard.serve", "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]  # fmt: skip
    # The store's address in the environment, not the command line, where `ps` would show its password.
    environment = code_environment(code, DATABASE_URL=url, DASHBOARD_SNAPSHOTS="off")
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=code, env=environment, stdin=subprocess.DEVNULL, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        yield Server(f"http://127.0.0.1:{port}", process, log)
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for_health(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{server.base}/_stcore/health", timeout=2) as response:
            if response.status == 200:
                return
        if server.process.poll() is not None:
            raise server.failed("the server ended before answering")
        if time.monotonic() > deadline:
            raise server.failed(f"the server did not answer /_stcore/health within {timeout:.0f} s")
        time.sleep(0.3)


def wait_for_warm_up(server: Server, timeout: float) -> bool:
    """Wait for dashboard.serve's warm-up line; whether it read the store (else the first page reads it)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in server.log_tail(size=1_000_000).splitlines() if line.startswith(WARM_UP_PREFIX)]
        if lines:
            return WARM_UP_READY in lines[0]
        if server.process.poll() is not None:
            raise server.failed("the server ended while reading the store")
        if time.monotonic() > deadline:
            raise server.failed(f"the server did not finish reading the store within {timeout:.0f} s")
        time.sleep(0.5)


def run_in_code(code: Path, *args: str, timeout: float = 300) -> dict:
    """This script run with the checkout `code` first on the path (a hidden subcommand); the JSON it prints."""
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    done = subprocess.run(
        command, cwd=code, env=code_environment(code), capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode:
        raise ServerMemoryError(f"{' '.join(args[:1])} failed in {code}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def describe_code(indicator: str, search: str) -> dict:
    """The pages to visit, from the page table and the filters of the checkout on the path."""
    from urllib.parse import urlencode

    from dashboard.model import pages
    from dashboard.model.filters import Filters

    def address(path: str, filters: Filters) -> str:
        return f"{path}?{urlencode(filters.to_query_params(), doseq=True)}"

    visits = [(page.title, page.url_path) for page in pages.PAGES if page.audience != "reviewer"]
    visits += [
        (f"Trends, indicator {indicator}", address(pages.PAGE["trends"].url_path, Filters(indicators=(indicator,)))),
        (f"Records, search {search!r}", address(pages.PAGE["records"].url_path, Filters(search=search))),
    ]
    return {"visits": visits}


def accept_one(url: str) -> dict:
    """Accept one figure of the store at `url` with the checkout on the path's store.reviews; its id, and how
    long the checkout's server keeps a store's fingerprint (ui.fingerprint_cached's ttl) before it reads it again."""
    import random

    import sqlalchemy as sa

    from store import create_store_engine
    from store.reviews import review_record

    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            offset = random.randrange(max(1, min(1000, connection.execute(sa.text("SELECT COUNT(*) FROM records")).scalar_one())))
            record_id = connection.execute(sa.text("SELECT record_id FROM records LIMIT 1 OFFSET :n"), {"n": offset}).scalar_one()
        review_record(engine, record_id, "accept", REVIEWER)
    finally:
        engine.dispose()
    from dashboard.ui import ui  # Streamlit's import: a second or two, while the fingerprint is still cached anyway

    ttl = getattr(getattr(ui.fingerprint_cached, "_info", None), "ttl", None)
    seconds = ttl.total_seconds() if hasattr(ttl, "total_seconds") else ttl
    return {
        "record_id": record_id,
        "fingerprint_ttl": float(seconds) if isinstance(seconds, int | float) else DEFAULT_FINGERPRINT_TTL_S,
    }


def open_page(page, base: str, visit: Visit, timeout_s: float) -> float:  # type: ignore[no-untyped-def]
    """Open `visit` and wait until its script has finished (and started no rerun); its seconds. Raises on an error shown."""
    from playwright.sync_api import Error as PlaywrightError

    state = "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
    finished = f"() => {json.dumps(FINISHED_STATES)}.includes(({state})())"
    started = time.perf_counter()
    try:
        page.goto(f"{base}/{visit.path}", timeout=timeout_s * 1000)
        while True:
            page.wait_for_function(finished, timeout=timeout_s * 1000)
            elapsed = time.perf_counter() - started
            try:  # a rerun started by the page itself: wait for it too
                page.wait_for_function(f"() => !({finished})()", timeout=SETTLE_MS)
            except PlaywrightError:
                break
    except PlaywrightError as error:
        raise ServerMemoryError(
            f"{visit.label} ({visit.path or '/'}) did not finish within {timeout_s:.0f} s: {error}"
        ) from error
    problems = []
    if page.evaluate(f"({state})()") == "compilationError":
        problems.append("its script did not compile")
    if page.locator('[data-testid="stException"]').count():
        problems.append("an exception is shown")
    if page.get_by_text(ERROR_TEXT).count():
        problems.append(f"{ERROR_TEXT!r} is shown")
    if not page.locator("h1").count():
        problems.append("it has no title")
    if problems:
        raise ServerMemoryError(f"{visit.label} ({visit.path or '/'}): {'; '.join(problems)}")
    return elapsed


def visited(server: Server, page, visit: Visit, timeout_s: float) -> float:  # type: ignore[no-untyped-def]
    """open_page on the server; a page that failed because the server ended says so, with its log."""
    try:
        return open_page(page, server.base, visit, timeout_s)
    except ServerMemoryError as error:
        if server.process.poll() is not None:
            raise server.failed(str(error)) from error
        raise


def measure(
    url: str,
    code: Path = REPO,
    *,
    indicator: str = "displaced",
    search: str = "reuters",
    start_timeout: float = 120,
    read_timeout: float = 900,
    page_timeout: float = 300,
    log: Path | None = None,
) -> dict[str, float]:
    """The server of checkout `code` on the store at `url`: MEMORY_ROWS (MB) and one PAGE_ROW per page visited (s)."""
    from playwright.sync_api import sync_playwright

    code, url = Path(code).resolve(), absolute_sqlite(url)
    if not CHROMIUM.is_file():
        raise ServerMemoryError(f"{CHROMIUM} not found: apt-get install chromium, or name another in BROWSER_PATH")
    folder = None if log else tempfile.TemporaryDirectory(prefix="server-memory-")
    log = log or Path(folder.name) / "server.log"  # type: ignore[union-attr]
    memory: dict[str, float] = {}
    seconds: dict[str, float] = {}
    try:
        with serve(code, url, log) as server, sync_playwright() as playwright:
            # Asked while the server starts.
            described = run_in_code(code, "--describe-code", "--indicator", indicator, "--search", search)
            visits = [Visit(label, path) for label, path in described["visits"]]
            default = next(visit for visit in visits if not visit.path)
            wait_for_health(server, start_timeout)
            if wait_for_warm_up(server, read_timeout):
                memory[READ_ROW] = server.memory_mb()[0]
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                for visit in visits:
                    seconds[PAGE_ROW + visit.label] = visited(server, page, visit, page_timeout)
                    memory.setdefault(READ_ROW, server.memory_mb()[0])  # no warm-up: the first page read the store
                last_page_done = time.monotonic()
                memory[PAGES_ROW] = server.memory_mb()[0]
                accepted = run_in_code(code, "--accept-one", url)
                # The pages' runs read the store's fingerprint at the latest when the last one finished; once
                # its cached value has expired, the next run reads the reviewed store.
                time.sleep(max(0.0, last_page_done + accepted["fingerprint_ttl"] - time.monotonic()))
                seconds[PAGE_ROW + default.label + ", after a review"] = visited(server, page, default, page_timeout)
                memory[REVIEW_ROW], peak = server.memory_mb()
                # The kernel raises VmHWM lazily (it reports the larger of its last record and the current size):
                # a resident size read earlier can exceed it, and is a peak the process reached.
                memory[PEAK_ROW] = max(peak, *memory.values())
            finally:
                browser.close()
    finally:
        if folder is not None:
            folder.cleanup()
    return {**memory, **seconds}


def format_rows(rows: dict[str, float]) -> str:
    return "\n".join(
        f"{row:60}{value:>10,.0f} MB" if row in MEMORY_ROWS else f"{row:60}{value:>10.2f} s" for row, value in rows.items()
    )


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # the same clean-up as Ctrl-C: the server and Chromium stopped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--db", help="the store's URL (SQLite or PostgreSQL)")
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose server is measured (default: this one)")
    parser.add_argument("--indicator", default="displaced", help="the indicator of the filtered Trends page")
    parser.add_argument("--search", default="reuters", help="the search on the Records page")
    parser.add_argument("--log", type=Path, help="keep the server's log in this file (by default it is removed)")
    parser.add_argument("--json", action="store_true", help="print the rows as one line of JSON")
    parser.add_argument("--describe-code", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--accept-one", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.describe_code:
        print(json.dumps(describe_code(args.indicator, args.search)))
        return 0
    if args.accept_one:
        print(json.dumps(accept_one(args.accept_one)))
        return 0
    if not args.db:
        parser.error("--db URL is required")
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        rows = measure(args.db, args.code, indicator=args.indicator, search=args.search, log=args.log)
    except ServerMemoryError as error:
        print(f"server_memory: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("server_memory: interrupted; the server and Chromium are stopped", file=sys.stderr)
        return 130
    print(json.dumps(rows) if args.json else format_rows(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
