"""Crawl-trap defences: general rules that stop endless URL spaces before they are fetched.

A site can offer infinitely many URLs: a calendar with a "next month" link forever, a session id
in every link, links that differ only in parameter order or letter case, relative links that
pile up path segments (``/a/b/a/b/...``), a link tree that grows on every page. None of these
are special-cased by path; four general rules catch them, and the page, depth and fetch limits
are the last line:

* **Session and tracking parameters** (PHPSESSID, jsessionid, sid, utm_* ...) are dropped from
  URLs before they are fetched or compared: the page is the same without them.
* **One dedup key per page**: the key sorts the query parameters and case-folds path and query,
  so ``/a?x=1&y=2``, ``/a?y=2&x=1`` and ``/A?X=1&Y=2`` are fetched once.
* **Shape limits**: URLs longer than :data:`MAX_URL_LENGTH`, paths deeper than
  :data:`MAX_PATH_SEGMENTS`, and paths whose segments repeat (one segment three times, or a run
  of segments twice in a row, ``/a/b/a/b``) are not followed.
* **Query variants**: at most :data:`MAX_QUERY_VARIANTS` distinct queries per path are fetched
  (``/cal?month=1``, ``/cal?month=2`` ...), admitted in the crawl's priority order.

Each rule that stops something is recorded as ``crawl-trap:<rule> <pattern>`` in the crawl's
``limits_hit`` (a bounded number of patterns), next to a plain ``crawl-trap``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit, urlunsplit

MAX_URL_LENGTH = 2000
MAX_PATH_SEGMENTS = 24
MAX_QUERY_VARIANTS = 50
MAX_TRAP_PATTERNS = 10  # distinct "crawl-trap:..." entries recorded
PATTERN_CHARS = 80

#: Query parameters that carry a session or a campaign, never a different page.
SESSION_PARAMS = frozenset({
    "phpsessid", "jsessionid", "sid", "sessionid", "session_id", "cfid", "cftoken", "zenid",
    "oscsid", "xtcsid", "gclid", "gbraid", "wbraid", "dclid", "fbclid", "msclkid", "yclid",
    "twclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
})
SESSION_PREFIXES = ("utm_", "aspsessionid")
# Path parameters of servlet-style URL rewriting: /shop;jsessionid=ABC/item
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid|sessionid)=[^/;?#]*", re.I)


def _is_session_param(name: str) -> bool:
    lowered = unquote(name).strip().lower()
    return lowered in SESSION_PARAMS or lowered.startswith(SESSION_PREFIXES)


def strip_session(url: str) -> str:
    """``url`` without session and tracking parameters (query and ``;jsessionid=`` path
    parameters); other parameters keep their order and spelling."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    path = _PATH_SESSION.sub("", parts.path) if ";" in parts.path else parts.path
    query = parts.query
    if query:
        kept = [p for p in query.split("&") if p and not _is_session_param(p.split("=", 1)[0])]
        query = "&".join(kept)
    if path == parts.path and query == parts.query:
        return url
    return urlunsplit((parts.scheme, parts.netloc, path or "/", query, ""))


def dedup_key(url: str) -> str:
    """The key under which a URL is fetched at most once: no session parameters, parameters
    sorted, path and query case-folded, empty parameters dropped."""
    url = strip_session(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    params = sorted(p.casefold() for p in parts.query.split("&") if p)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.casefold(), "&".join(params), ""))


def seen_digest(url: str) -> bytes:
    """A 16-byte digest of a URL's dedup key: the crawler remembers these, not the URLs, so a
    site of a million long URLs costs a few tens of megabytes of memory."""
    return hashlib.blake2b(dedup_key(url).encode("utf-8", "surrogatepass"),
                           digest_size=16).digest()


def _segments(path: str) -> list[str]:
    return [s.casefold() for s in path.split("/") if s]


def _repetition(segments: list[str]) -> str:
    """The repeated part of a pathological path ("" when the path is fine)."""
    counts: dict[str, int] = {}
    for segment in segments:
        counts[segment] = counts.get(segment, 0) + 1
        if counts[segment] >= 3:
            return segment
    n = len(segments)
    for size in range(2, n // 2 + 1):
        for start in range(0, n - 2 * size + 1):
            if segments[start:start + size] == segments[start + size:start + 2 * size]:
                return "/".join(segments[start:start + size])
    return ""


def _clip(text: str) -> str:
    return text if len(text) <= PATTERN_CHARS else text[: PATTERN_CHARS - 3] + "..."


def shape_trap(url: str) -> tuple[str, str] | None:
    """(rule, pattern) when the URL's shape is a trap: too long, too deep, repeating."""
    try:
        segments = _segments(urlsplit(url).path)
    except ValueError:
        return None
    if len(url) > MAX_URL_LENGTH:
        return "url-length", _clip("/" + "/".join(segments[:1]) + "/...")
    if len(segments) > MAX_PATH_SEGMENTS:
        return "path-depth", _clip("/" + "/".join(segments[:2]) + "/...")
    repeated = _repetition(segments)
    if repeated:
        return "path-repetition", _clip(f"/{repeated}/")
    return None


def variant_path(url: str) -> str:
    """What query variants are counted under: host and case-folded path."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path.casefold()}"


@dataclass(slots=True)
class TrapGuard:
    """Decides, URL by URL, whether a crawl-trap rule stops it, and remembers what stopped."""

    max_query_variants: int = MAX_QUERY_VARIANTS
    hits: dict[str, set[str]] = field(default_factory=dict)  # rule -> patterns
    _variants: dict[str, set[bytes]] = field(default_factory=dict)

    def check_shape(self, url: str) -> bool:
        """True when the URL may be followed; records the rule otherwise."""
        trap = shape_trap(url)
        if trap is None:
            return True
        self._record(*trap)
        return False

    def admit_variant(self, url: str) -> bool:
        """True while the URL's path has had fewer than ``max_query_variants`` distinct queries
        admitted (URLs without a query always pass)."""
        parts = urlsplit(url)
        if not parts.query:
            return True
        key = variant_path(url)
        seen = self._variants.setdefault(key, set())
        digest = seen_digest(url)
        if digest in seen:
            return True
        if len(seen) >= self.max_query_variants:
            self._record("query-variants", _clip(parts.path))
            return False
        seen.add(digest)
        return True

    def _record(self, rule: str, pattern: str) -> None:
        patterns = self.hits.setdefault(rule, set())
        if len(patterns) < MAX_TRAP_PATTERNS:
            patterns.add(pattern)

    def limits(self) -> set[str]:
        """The ``limits_hit`` entries: "crawl-trap" and up to MAX_TRAP_PATTERNS
        "crawl-trap:<rule> <pattern>" entries (first patterns in sorted order)."""
        if not self.hits:
            return set()
        entries = sorted(f"crawl-trap:{rule} {pattern}" for rule, patterns in self.hits.items()
                         for pattern in patterns)
        return {"crawl-trap", *entries[:MAX_TRAP_PATTERNS]}
