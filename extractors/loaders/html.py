"""HTML pages: the article's main text and its metadata, with trafilatura.

trafilatura (2.x, `bare_extraction`) finds the main text of a page and leaves
out navigation, sidebars, footers and, with `include_comments=False`, reader
comments. Ads that its own rules keep (an ad box inside the article body) are
pruned first with `AD_XPATHS`. Each paragraph, heading, list item or table row
of the article becomes one block of the text, blocks separated by a blank line,
so that the sentence splitter sees paragraph boundaries; a <br> inside a
paragraph stays a single line break.

Metadata: the title (og:title, JSON-LD headline or <title>), the site name
(og:site_name or the JSON-LD publisher) as `publisher`, the canonical URL
(<link rel="canonical">, else og:url) and the publication date
(article:published_time, JSON-LD datePublished, <time> and the like, read by
htmldate through trafilatura without its guesses from the free text).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from .base import HTML, Parsed
from .errors import NoTextFound

# Ad containers that trafilatura's own rules do not catch (class tokens "ad", "ads",
# "advert…", "sponsored", ids "ad-…"). XPath 1.0: trafilatura compiles them without EXSLT.
_CLASS = "concat(' ', normalize-space(@class), ' ')"
AD_XPATHS = [
    f"//*[contains({_CLASS}, ' ad ') or contains({_CLASS}, ' ads ') or contains({_CLASS}, ' ad-')]",
    "//*[contains(translate(@class, 'ADVERT', 'advert'), 'advert') or contains(translate(@id, 'ADVERT', 'advert'), 'advert')]",
    "//*[starts-with(@id, 'ad-') or starts-with(@id, 'ad_') or contains(@class, 'sponsored')]",
    "//*[@aria-label='advertisement' or @aria-label='Advertisement']",
]
_TABLE_RULE = re.compile(r"[|:\- ]*-[|:\- ]*")  # the |---|---| line under a table header
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(data: bytes, declared: str | None = None) -> str:
    """The page as text: the charset the server declared, a BOM, a <meta charset>, UTF-8,
    else trafilatura's guess (charset detection, replacement characters as a last resort)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    candidates = [declared] if declared else []
    match = _META_CHARSET.search(data, 0, 4096)
    if match:
        candidates.append(match.group(1).decode("ascii"))
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    from trafilatura.utils import decode_file

    return decode_file(data)


def parse_html(data: bytes, name: str, *, base_url: str | None = None, charset: str | None = None) -> Parsed:
    """The main text of an HTML page and what the page says about itself."""
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    markup = decode_html(data, charset)
    tree = load_html(markup)
    if tree is None:
        raise NoTextFound(f"{name}: is empty or not HTML that can be parsed")
    canonical = _canonical_url(tree, base_url)
    document = bare_extraction(
        tree,
        url=base_url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        prune_xpath=AD_XPATHS,
        date_extraction_params={
            "extensive_search": False,  # dates from markup and the URL, not guessed from the text
            "original_date": True,  # published, not last modified
            "max_date": dt.date.today().isoformat(),
        },
    )
    text = _body_text(document) if document is not None else ""
    if not text:
        raise NoTextFound(
            f"{name}: found no article text in this HTML page; if the page is built by JavaScript, "
            "save it from a browser (or copy its text into a .txt file)"
        )
    return Parsed(text, HTML, {**_metadata(document, canonical), "lang": _html_lang(tree)})


def _body_text(document: Any) -> str:
    """The article as blocks separated by a blank line: a paragraph, a heading, a list item,
    a table row. A line break inside a block (<br>) stays a single newline."""
    from trafilatura.xml import xmltotxt

    body = document.body
    if body is None or (body.text or "").strip() or any((child.tail or "").strip() for child in body):
        return _paragraphs(document.text)  # loose text between blocks: one block a line
    blocks = []
    for element in body:
        for block in element if element.tag in ("list", "table") else (element,):
            lines = (" ".join(line.split()) for line in xmltotxt(block, False).splitlines())
            text = "\n".join(line for line in lines if line and not _TABLE_RULE.fullmatch(line))
            if text:
                blocks.append(text)
    return "\n\n".join(blocks)


def _paragraphs(text: str | None) -> str:
    """One line a block."""
    lines = (" ".join(line.split()) for line in (text or "").splitlines())
    return "\n\n".join(line for line in lines if line and not _TABLE_RULE.fullmatch(line))


def _canonical_url(tree: Any, base_url: str | None) -> str | None:
    for link in tree.iterfind(".//link[@href]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            url = urljoin(base_url or "", link.get("href").strip())
            if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname:
                return url
    return None


def _metadata(document: Any, canonical: str | None) -> dict[str, str | None]:
    url = canonical or document.url
    if url and urlsplit(url).scheme not in ("http", "https"):
        url = None
    publisher = document.sitename
    if publisher and _is_host_name(publisher, url):
        publisher = None  # trafilatura's fallback, the host name, is no name the page gives
    return {"title": document.title, "publisher": publisher, "url": url, "published": document.date}


def _html_lang(tree: Any) -> str | None:
    """The language <html lang="fr"> states; the store validates it (document.language_code)."""
    stated = tree.xpath("/html/@lang | /html/@xml:lang", namespaces={"xml": "http://www.w3.org/XML/1998/namespace"})
    return str(stated[0]).strip() or None if stated else None


def _is_host_name(name: str, url: str | None) -> bool:
    name = name.lower().removeprefix("www.")
    host = (urlsplit(url).hostname or "") if url else ""
    return "." in name and " " not in name and (host == name or host.endswith("." + name))
