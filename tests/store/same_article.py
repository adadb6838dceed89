"""One article in several formats, for the tests of same_document.py: pasted, an HTML page, a PDF.

The article is our own wording around one publicly reported figure (/work/shared/facts/facts.csv:
IOM DTM, 11,301,340 people internally displaced in Sudan as of 27 March 2025, published that day).
`next_edition` is the same wording around the later DTM figure (9,937,444 as of 29 July 2025,
allAfrica, published 27 August 2025): another report, which must stay a document of its own.
"""

from __future__ import annotations

import io

TITLE = "First recorded drop in Sudan displacement yet humanitarian crisis persists"
URL = "https://globaldiasporanews.com/first-recorded-drop-in-sudan-displacement-yet-humanitarian-crisis-persists"
PUBLISHED = "2025-03-27"
NEXT_URL, NEXT_PUBLISHED, NEXT_PUBLISHER = "https://allafrica.com/stories/202508270003.html", "2025-08-27", "allAfrica"


def paragraphs(figure: str = "11,301,340", day: str = "27 March 2025") -> list[str]:
    return [
        f"GENEVA, {day} – The number of people forced from their homes inside Sudan has gone down for the first "
        "time since the war began, according to the latest count of the International Organization for Migration.",
        f"The IOM Displacement Tracking Matrix now counts about {figure} internally displaced people across the "
        "country, a small decline that the agency links to families going back to areas where the fighting has "
        "moved away, in particular around the capital and in parts of Al Jazirah state.",
        "Aid workers warn that the fall must not be read as the end of the emergency. Many of those who returned "
        "found their houses damaged or looted, markets empty, clinics closed and water systems out of order, and "
        "they depend on assistance that is itself short of money and often blocked by insecurity on the roads.",
        "The agency called on all parties to protect civilians, to allow humanitarian convoys to pass and to let "
        "people decide freely whether and when to go home, and it asked donors to keep funding shelter, health "
        "care and food for the millions who are still displaced.",
    ]


def pasted(figure: str = "11,301,340", day: str = "27 March 2025") -> str:
    return "\n\n".join(paragraphs(figure, day)) + "\n"


def next_edition() -> str:
    return pasted("9,937,444", "29 July 2025")


def html_page() -> bytes:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs())
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{TITLE}</title><link rel='canonical' href='{URL}'>"
        f"<meta property='og:title' content='{TITLE}'><meta property='article:published_time' content='{PUBLISHED}'>"
        "</head><body><header><nav><a href='/'>Home</a> <a href='/world'>World</a></nav></header>"
        f"<main><article><h1>{TITLE}</h1>{body}</article></main>"
        "<footer><p>Subscribe to our newsletter</p></footer></body></html>"
    ).encode()


def pdf_lines(width: int = 62) -> list[list[str]]:
    """The article's lines as a PDF lays them out: wrapped at `width` characters, a long word split
    with a hyphen at the line end, a running header and a page footer; pages of 22 lines."""
    lines: list[str] = []
    for paragraph in paragraphs():
        line = ""
        for word in paragraph.split():
            if len(line) + 1 + len(word) <= width:
                line = f"{line} {word}".strip()
            elif len(word) > 8 and word.isalpha() and len(line) + 6 <= width:  # hyphenate: "humani-" / "tarian"
                cut = width - len(line) - 2
                cut = max(3, min(cut, len(word) - 3))
                lines.append(f"{line} {word[:cut]}-".strip())
                line = word[cut:]
            else:
                lines.append(line)
                line = word
        lines.append(line)
        lines.append("")
    pages = [lines[start : start + 22] for start in range(0, len(lines), 22)]
    return [
        ["IOM Sudan | Displacement update", "", *page, f"Page {number} of {len(pages)}"]
        for number, page in enumerate(pages, start=1)
    ]


def pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595.0, 842.0), invariant=1)
    pdf.setTitle(TITLE)
    pdf.setDateFormatter(lambda *_: "D:20250327090000+00'00'")
    for page in pdf_lines():
        y = 800.0
        for line in page:
            pdf.setFont("Helvetica", 11.0)
            pdf.drawString(56.0, y, line)
            y -= 16.0
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def pdf_text() -> str:
    """The text a PDF reader gets from pdf_bytes(), without the reader: pages joined by a form feed."""
    return "\f".join("\n".join(page) for page in pdf_lines())
