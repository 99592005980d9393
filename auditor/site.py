"""The site snapshot: everything the crawler gathered, and nothing the checks judged.

Checks are pure functions of a :class:`SiteSnapshot`. Pages keep only their extracted
:class:`PageFacts`; the DOM and the raw HTML are dropped after extraction so memory stays flat
as sites grow. Every collection is a tuple and every record a frozen, slotted dataclass so a
snapshot can be shared between threads and compared in tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

#: Regions a piece of content can sit in. ``body`` means none of the others.
REGIONS = ("header", "nav", "main", "aside", "footer", "body")


@dataclass(frozen=True, slots=True)
class Link:
    """An ``<a href>`` (or ``<area>``) as a customer sees it."""

    url: str  # absolute URL, fragment dropped; "" when the href is not http(s) (mailto:, tel:, js)
    href: str  # the raw attribute, trimmed and cut to 500 characters
    text: str  # visible text, whitespace collapsed, at most 200 characters
    region: str = "body"  # one of REGIONS
    aria_label: str = ""
    title: str = ""
    rel: tuple[str, ...] = ()
    img_alt: str = ""  # alt texts of images inside the link (logos, seals, payment icons)
    role: str = ""  # the role attribute, e.g. "button"


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1..6
    text: str
    region: str = "body"


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Visible text of one block element (p, li, td, address, blockquote, leaf div ...)."""

    text: str
    region: str = "body"
    tag: str = ""


@dataclass(frozen=True, slots=True)
class Image:
    src: str  # absolute URL ("" for data: URIs)
    alt: str = ""
    title: str = ""
    region: str = "body"


@dataclass(frozen=True, slots=True)
class FormField:
    tag: str  # input, textarea, select, button
    type: str = ""  # input type, lower-case
    name: str = ""
    label: str = ""  # <label> text, aria-label, or nearby text
    placeholder: str = ""
    value: str = ""
    checked: bool = False
    required: bool = False


@dataclass(frozen=True, slots=True)
class Form:
    action: str  # absolute URL, or the page URL when absent
    method: str = "get"
    fields: tuple[FormField, ...] = ()
    region: str = "body"


@dataclass(frozen=True, slots=True)
class Script:
    src: str = ""  # absolute URL; "" for inline scripts
    type: str = ""
    attrs: tuple[tuple[str, str], ...] = ()  # id, data-*, async/defer, integrity, crossorigin
    inline: str = ""  # first 4 KB of an inline script's text (vendor globals, consent defaults)


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What one HTML page shows, computed once while crawling."""

    title: str = ""
    lang: str = ""  # <html lang>, lower-case, e.g. "de" or "en-gb"
    headings: tuple[Heading, ...] = ()
    blocks: tuple[TextBlock, ...] = ()
    links: tuple[Link, ...] = ()
    images: tuple[Image, ...] = ()
    forms: tuple[Form, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()  # (name or property lower-case, content)
    jsonld: tuple[Any, ...] = ()  # parsed JSON-LD objects, @graph flattened
    jsonld_errors: int = 0  # <script type=application/ld+json> blocks that did not parse
    microdata: tuple[Any, ...] = ()  # items as {"@type": ..., prop: value or [values]}
    scripts: tuple[Script, ...] = ()
    iframes: tuple[str, ...] = ()  # absolute src URLs
    markers: tuple[str, ...] = ()  # sorted ids ("#x"), classes (".x"), data-* names ("[data-x]")
    canonical: str = ""
    hreflang: tuple[tuple[str, str], ...] = ()  # (lang, absolute URL)
    robots: str = ""  # <meta name=robots> content
    word_count: int = 0

    @property
    def text(self) -> str:
        """All visible text, blocks joined by newlines."""
        return "\n".join(b.text for b in self.blocks)


@dataclass(frozen=True, slots=True)
class Page:
    """One fetched URL: an HTML page with facts, or another resource with a status only."""

    url: str  # the URL as requested (normalised)
    status: int  # HTTP status of the final response; 0 when no response arrived
    final_url: str = ""  # after redirects ("" = same as url)
    headers: tuple[tuple[str, str], ...] = ()  # final response headers, names lower-case
    content_type: str = ""  # media type, lower-case, no parameters
    depth: int = 0  # clicks from the start page
    redirects: tuple[tuple[str, int], ...] = ()  # (url, status) of each hop before the final URL
    facts: PageFacts | None = None  # None for non-HTML, errors and bodies that were not parsed
    error: str = ""  # why no usable response arrived (timeout, DNS, too large, refused ...)
    source: str = "link"  # start, link, sitemap, probe, resource (image fetched for its status)
    truncated: bool = False  # body hit the size cap; facts come from the first part only

    @property
    def is_html(self) -> bool:
        return self.facts is not None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 and not self.error

    def header(self, name: str) -> str | None:
        """The first value of a response header (case-insensitive), or None."""
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def header_values(self, name: str) -> tuple[str, ...]:
        name = name.lower()
        return tuple(v for k, v in self.headers if k == name)


@dataclass(frozen=True, slots=True)
class RobotsInfo:
    url: str = ""
    status: int = 0  # 0 when not fetched (folder without robots.txt, or fetch error)
    found: bool = False
    error: str = ""
    sitemaps: tuple[str, ...] = ()
    crawl_delay: float | None = None
    disallow_all: bool = False  # RFC 9309: 5xx / unreachable robots.txt means "disallow all"


@dataclass(frozen=True, slots=True)
class SiteSnapshot:
    """Everything gathered about one site. Checks read it; nothing writes to it after the crawl."""

    mode: str  # "url" or "folder"
    target: str  # what the user gave (URL or folder path as typed)
    start_url: str  # the normalised start URL (folder mode: the site URL of the entry page)
    pages: tuple[Page, ...] = ()  # sorted by url
    site_url: str = ""  # folder mode: the production URL given with --site-url
    robots: RobotsInfo = field(default_factory=RobotsInfo)
    robots_blocked: tuple[str, ...] = ()  # in-scope URLs not fetched because robots.txt forbids
    limits_hit: tuple[str, ...] = ()  # e.g. "max-pages", "max-depth", "time-budget", "interrupted"
    out_of_scope: int = 0  # distinct off-site links seen (not fetched)
    # The day of the audit (ISO date, UTC), for checks that judge dates (© year, "last
    # updated"). From SOURCE_DATE_EPOCH when set, so reruns and tests are reproducible.
    date: str = ""
    # Small text documents fetched for checks, (url, text): /.well-known/security.txt ...
    texts: tuple[tuple[str, str], ...] = ()
    # Derived data shared by many checks (page types, contact channels, vendors ...). Filled
    # lazily by auditor.detect; never part of equality, never serialised.
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def html_pages(self) -> tuple[Page, ...]:
        """Pages with extracted facts and a 2xx status: the pages checks read."""
        # Checks ask for this many times over; on a site of 10,000 pages it is worth keeping
        # (tied to this very ``pages`` tuple, so a copy with other pages never sees it).
        kept = self.cache.get("html-pages")
        if kept is None or kept[0] is not self.pages:
            kept = self.cache["html-pages"] = (self.pages, tuple(
                p for p in self.pages if p.facts is not None and 200 <= p.status < 300))
        return kept[1]  # type: ignore[no-any-return]

    @property
    def start_page(self) -> Page | None:
        """The page the audit started from: the one fetched as the start, else the one at the
        start URL (a linked http:// alias redirecting there has no facts and is not it)."""
        for page in self.pages:
            if page.source == "start":
                return page
        for page in self.pages:
            if page.url == self.start_url or page.final_url == self.start_url:
                return page
        html = self.html_pages
        return min(html, key=lambda p: (p.depth, p.url)) if html else None

    def text_of(self, url: str) -> str | None:
        """The text of a fetched document (see ``texts``), or None when it was not fetched."""
        for key, value in self.texts:
            if key == url:
                return value
        return None

    def page(self, url: str) -> Page | None:
        for page in self.pages:
            if page.url == url or page.final_url == url:
                return page
        return None


def audit_date() -> str:
    """Today's date (UTC) as YYYY-MM-DD, or the date of SOURCE_DATE_EPOCH when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date().isoformat()
    return datetime.now(UTC).date().isoformat()
