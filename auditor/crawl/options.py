"""Crawl settings shared by URL mode and folder mode, and the progress event the CLI displays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from auditor import __version__

PROJECT_URL = "https://github.com/trustaudit/trustaudit"
DEFAULT_USER_AGENT = f"trustaudit/{__version__} (+{PROJECT_URL})"


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    max_pages: int = 300  # HTML pages to audit (probes and sitemap seeds count too)
    max_depth: int = 10  # clicks from the start page
    timeout: float = 15.0  # seconds per request (connect + read, whole body)
    concurrency: int = 8  # requests in flight to the site at once
    delay: float | None = None  # seconds between requests to a host; None: polite default
    time_budget: float | None = None  # seconds for the whole crawl; None: no limit
    user_agent: str = DEFAULT_USER_AGENT
    headers: tuple[tuple[str, str], ...] = ()  # extra request headers (protected previews)
    allow_private: bool = False  # allow private/loopback addresses for a public target
    max_body_bytes: int = 5 * 1024 * 1024  # decompressed body cap
    max_redirects: int = 10
    retries: int = 2  # extra attempts on 429/503 and connection errors
    respect_robots: bool = True
    site_url: str = ""  # folder mode: production URL whose absolute links map to files
    include: tuple[str, ...] = ()  # regexes; when set, only matching URLs are followed
    exclude: tuple[str, ...] = ()  # regexes; matching URLs are never followed
    probes: bool = True  # probe common policy paths (/privacy, /impressum, ...)
    parse_processes: int | None = None  # processes parsing pages; 0: in the crawl's threads;
    # None: 2 on a machine with 2 cores or more (auditor.crawl.parsing)


@dataclass(frozen=True, slots=True)
class CrawlProgress:
    """One progress event: emitted after each fetched URL."""

    url: str
    status: int
    fetched: int  # URLs fetched so far (pages and other resources)
    pages: int  # HTML pages audited so far
    queued: int  # URLs waiting
    max_pages: int


ProgressFn = Callable[[CrawlProgress], None]
