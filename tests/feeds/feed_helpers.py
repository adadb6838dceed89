"""Helpers of the feed watcher's tests: a loopback HTTP server, and documents, feeds and ReliefWeb
answers in the style of real ones."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Route:
    body: bytes | Callable[[dict[str, list[str]]], bytes] = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    stream: int = 0  # send the body this many times, without Content-Length
    then: Route | None = None  # the answer to the next requests, once this one was given


class Server:
    """An HTTP server on 127.0.0.1 in a thread; `routes` maps a path (without query) to its answer."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.posts: list[tuple[str, bytes]] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                server.posts.append((self.path, self.rfile.read(length)))
                self.do_GET()

            def do_GET(self) -> None:
                server.requests.append(self.path)
                parts = urlsplit(self.path)
                route = server.routes.get(parts.path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                if route.then is not None:
                    server.routes[parts.path] = route.then
                if route.delay:
                    server.release.wait(route.delay)
                body = route.body(parse_qs(parts.query)) if callable(route.body) else route.body
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    if not route.stream:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    for _ in range(max(1, route.stream)):
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def add(self, path: str, body: bytes | str | Callable = b"", **options: object) -> str:
        self.routes[path] = Route(body=body.encode("utf-8") if isinstance(body, str) else body, **options)  # type: ignore[arg-type]
        return self.url(path)

    def fetched(self, path: str) -> int:
        return sum(1 for request in self.requests if urlsplit(request).path == path)


# ------------------------------------------------------------------ documents in the style of real reports
# Our own words; the figures, dates and credits are those of /work/shared/facts/facts.csv.

SUDAN_MARCH = """Sudan: Displacement Situation Update

The IOM Displacement Tracking Matrix (DTM) estimates that 11,301,340 people were internally displaced across Sudan as of 27 March 2025, the first recorded drop since the conflict began in April 2023. Field teams report that many families in Khartoum and Al Jazirah states have started to go back to damaged homes, although access to water, health care and markets remains very limited. Humanitarian partners continue to scale up food and cash assistance where security allows."""

SUDAN_JULY = """Sudan: Displacement Situation Update

According to the IOM Displacement Tracking Matrix (DTM), 9,937,444 people were internally displaced in Sudan as of 29 July 2025. Returns continued towards Khartoum, Sennar and Al Jazirah states over the summer months, while new displacement was recorded in North Darfur and Kordofan as fighting spread. Partners warn that returnees face destroyed infrastructure, unexploded ordnance and very limited basic services in many areas."""

GAZA_JULY = """Gaza: daily casualty figures

The Gaza Ministry of Health said on 29 July 2025 that 60,034 Palestinians have been killed in the Gaza Strip since 7 October 2023. The ministry added that hospitals in the south of the Strip are working far beyond capacity, with shortages of fuel, medicines and blood units reported by medical teams, and that many casualties remain under the rubble where rescue crews cannot reach them."""

GAZA_OCTOBER = """Gaza death toll rises

At least 67,194 Palestinians have been killed in the Gaza Strip since October 2023, the Gaza Ministry of Health said on 9 October 2025. The ministry said rescue teams were still unable to reach many people trapped under collapsed buildings, and that the few hospitals still working in the north were short of fuel, anaesthetics and surgical supplies as new casualties arrived each day."""


def html_page(text: str, *, header: str = "", footer: str = "", site: str = "") -> str:
    """A news page around `text`: the outlet's own header and footer, the report's paragraphs as <p>."""
    title, *paragraphs = [part for part in text.split("\n\n") if part.strip()]
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    return (
        f"<html><head><title>{title}</title>{meta}</head><body><header><nav>{header}</nav></header>"
        f"<article><h1>{title}</h1>{body}</article><footer>{footer}</footer></body></html>"
    )


def pdf_bytes(text: str) -> bytes:
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    y = 800
    for paragraph in text.split("\n\n"):
        for line in simpleSplit(paragraph, "Helvetica", 10, 500):
            pdf.drawString(50, y, line)
            y -= 14
        y -= 10
    pdf.save()
    return buffer.getvalue()


def rss(items: list[dict[str, str]], title: str = "Relief news", language: str = "en") -> str:
    entries = "".join(
        f"<item><title>{item['title']}</title><link>{item['link']}</link><guid>{item.get('guid', item['link'])}</guid>"
        f"<pubDate>{item['date']}</pubDate></item>"
        for item in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><link>http://example.org/</link><language>{language}</language><description>news</description>{entries}</channel></rss>'


def atom(items: list[dict[str, str]], title: str = "Agency updates") -> str:
    entries = "".join(
        f'<entry><id>{item.get("guid", item["link"])}</id><title>{item["title"]}</title><link href="{item["link"]}"/>'
        f"<updated>{item['date']}</updated></entry>"
        for item in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>{title}</title><updated>2025-08-01T00:00:00Z</updated>{entries}</feed>'


def reliefweb_report(report_id: int, title: str, *, body: str, source: str, created: str, url: str, pdf: str | None = None, lang: str = "en", html: bool = False) -> dict:
    """One report as the ReliefWeb API v2 answers it (fields asked for with fields[include][]); `html`: its body only as body-html."""
    fields = {
        "id": report_id,
        "title": title,
        **({"body-html": "".join(f"<p>{part}</p>" for part in body.split("\n\n"))} if html else {"body": body}),
        "date": {"created": created},
        "source": [{"name": source}],
        "language": [{"code": lang, "name": "English"}],
        "url": f"https://reliefweb.int/node/{report_id}",
        "url_alias": url,
    }
    if pdf:
        fields["file"] = [{"url": pdf, "mimetype": "application/pdf", "filename": pdf.rsplit("/", 1)[-1]}]
    return {"id": str(report_id), "score": 1, "fields": fields, "href": f"https://api.reliefweb.int/v2/reports/{report_id}"}


def reliefweb_pages(reports: list[dict]) -> Callable[[dict[str, list[str]]], bytes]:
    """The API's answer to a query: `limit` reports from `offset`, newest first, with totalCount and links."""

    def answer(query: dict[str, list[str]]) -> bytes:
        offset, limit = int(query.get("offset", ["0"])[0]), int(query.get("limit", ["10"])[0])
        page = reports[offset : offset + limit]
        links = {"self": {"href": "https://api.reliefweb.int/v2/reports"}}
        if offset + limit < len(reports):
            links["next"] = {"href": f"https://api.reliefweb.int/v2/reports?offset={offset + limit}&limit={limit}"}
        return json.dumps({"time": 3, "href": "https://api.reliefweb.int/v2/reports", "links": links, "took": 2, "totalCount": len(reports), "count": len(page), "data": page}).encode()

    return answer
