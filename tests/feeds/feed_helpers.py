"""Helpers of the feed watcher's tests: documents, feeds and ReliefWeb answers in the style of real
ones (the loopback HTTP server that serves them is testkit's)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

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
