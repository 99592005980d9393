"""robots.txt: fetched once per origin, parsed with Protego, answered per RFC 9309.

RFC 9309 decides what a missing or broken file means: a 4xx answer (the file is "unavailable")
allows everything; a 5xx answer, a 429, or no answer at all (timeout, refused connection) means
"disallow everything" until the file can be read, and the report says so. Redirects are followed
up to five hops; the file is read up to 500 KiB (the RFC's minimum) and the rest ignored.

Protego is used because the standard library's parser gets wildcards and ``$`` wrong. It matches
the product token of our User-Agent (``trustaudit``) against ``User-agent:`` lines.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from auditor.crawl.engine import Response
from auditor.crawl.urls import absolute_url, with_path
from auditor.site import RobotsInfo

ROBOTS_MAX_BYTES = 500 * 1024
ROBOTS_MAX_REDIRECTS = 5
# Fetch failures that mean "the file is unavailable" (like a 4xx), not "the server is down".
# "refused:" is our own network policy: the host's pages are refused too, and each is then
# reported with that reason instead of as "blocked by robots.txt".
_UNAVAILABLE_ERRORS = ("too many redirects", "redirect loop", "invalid redirect location",
                       "redirect to unsupported scheme", "refused:")

GetFn = Callable[[str], Response]


@dataclass(frozen=True, slots=True)
class Robots:
    """The rules of one origin and what the report shows about them."""

    info: RobotsInfo
    parser: Protego | None = None
    user_agent: str = "*"

    def allowed(self, url: str) -> bool:
        if self.info.disallow_all:
            return False
        if self.parser is None:
            return True
        try:
            return bool(self.parser.can_fetch(url, self.user_agent))
        except Exception:  # noqa: BLE001 - Protego on odd input: do not block the crawl
            return True

    @property
    def crawl_delay(self) -> float | None:
        return self.info.crawl_delay


def robots_url(url: str) -> str:
    return with_path(url, "/robots.txt")


def parse_robots(data: bytes, url: str, user_agent: str, status: int = 200) -> Robots:
    """Parse robots.txt bytes fetched from ``url``."""
    if len(data) > ROBOTS_MAX_BYTES:  # keep whole lines only
        data = data[:ROBOTS_MAX_BYTES].rsplit(b"\n", 1)[0]
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        parser = Protego.parse(text)
        delay = parser.crawl_delay(user_agent)
        sitemaps = [absolute_url(url, s) for s in parser.sitemaps]
    except Exception as exc:  # noqa: BLE001 - an unparsable file is reported, never fatal
        info = RobotsInfo(url=url, status=status, found=True, error=f"unparsable: {exc}"[:200])
        return Robots(info, None, user_agent)
    info = RobotsInfo(
        url=url,
        status=status,
        found=True,
        sitemaps=tuple(sorted({s for s in sitemaps if s})),
        crawl_delay=float(delay) if delay is not None else None,
    )
    return Robots(info, parser, user_agent)


def robots_from_response(response: Response, user_agent: str) -> Robots:
    """Turn the fetch of a robots.txt into rules, per RFC 9309."""
    url = response.url
    status = response.status
    if response.error:
        if response.error.startswith(_UNAVAILABLE_ERRORS):
            info = RobotsInfo(url=url, status=status, error=response.error)
            return Robots(info, None, user_agent)
        info = RobotsInfo(url=url, status=status, error=response.error, disallow_all=True)
        return Robots(info, None, user_agent)
    if 200 <= status < 300:
        return parse_robots(response.body, url, user_agent, status)
    if status == 429 or status >= 500:
        info = RobotsInfo(url=url, status=status, disallow_all=True,
                          error=f"robots.txt answered HTTP {status}")
        return Robots(info, None, user_agent)
    # 4xx (and odd answers such as a 3xx without Location): unavailable, everything allowed.
    return Robots(RobotsInfo(url=url, status=status), None, user_agent)


def fetch_robots(get: GetFn, site_url: str, user_agent: str) -> Robots:
    """Fetch and interpret the robots.txt of ``site_url``'s origin. ``get`` must follow up to
    five redirects and keep up to 500 KiB of any content type."""
    return robots_from_response(get(robots_url(site_url)), user_agent)


def origin_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class RobotsCache:
    """robots.txt per origin, fetched on first use (thread-safe, once per origin)."""

    def __init__(self, load: Callable[[str], Robots]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._entries: dict[str, Robots] = {}
        self._loading: dict[str, threading.Lock] = {}

    def put(self, url: str, robots: Robots) -> None:
        with self._lock:
            self._entries[origin_key(url)] = robots

    def for_url(self, url: str) -> Robots:
        key = origin_key(url)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                return found
            gate = self._loading.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                found = self._entries.get(key)
            if found is None:
                found = self._load(url)
                with self._lock:
                    self._entries[key] = found
        return found

    def allowed(self, url: str) -> bool:
        return self.for_url(url).allowed(url)
