"""URL normalisation and scope: one spelling per page, and which URLs belong to the audited site.

The crawler, the folder source and the checks all compare URLs through :func:`normalize_url`,
so a link written ``HTTP://Shop.Example:80/a/../privacy#top`` and the page fetched as
``http://shop.example/privacy`` are the same page everywhere.

"Same site" is the registrable domain (public-suffix aware, via tldextract's bundled snapshot;
it never downloads the list at run time): ``www.shop.example`` and ``shop.example`` are one site,
``a.myshopify.com`` and ``b.myshopify.com`` are two. IP addresses and single-label hosts
(``localhost``) are their own site, port included, so two local test servers stay apart.
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from functools import lru_cache
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import tldextract

HTTP_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                 include_psl_private_domains=True)
# Characters left as they are in paths and queries; everything else is percent-encoded once.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = "/:@!$&'()*+,;=-._~%?"
_PCT_RE = re.compile(r"%[0-9a-fA-F]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
#: Longer "URLs" are not URLs anyone can follow (servers refuse request lines past 8 KiB).
MAX_URL_CHARS = 8192
#: Only URLs up to this length are memoised, so the caches stay small whatever pages link to.
_CACHED_CHARS = 512


def _normalize_escapes(text: str, safe: str) -> str:
    """Upper-case percent escapes, decode escaped unreserved characters, encode the rest once."""

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(0)[1:], 16))
        return char if char in _UNRESERVED else match.group(0).upper()

    text = _PCT_RE.sub(fix, text)
    # surrogateescape: a file name that is not UTF-8 ("caf\udce9.html" from os.fsdecode) gets
    # its own bytes back as escapes (caf%E9.html) instead of raising.
    return quote(text, safe=safe, errors="surrogateescape")


def _host_of(netloc_host: str | None) -> str:
    host = (netloc_host or "").strip(".").lower()
    if not host:
        return ""
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return ""
    return host


def normalize_url(url: str) -> str:
    """The canonical spelling of an http(s) URL, or "" when it is not one (or is malformed, or
    longer than MAX_URL_CHARS).

    Lower-case scheme and host, default port dropped, IDN hosts in punycode, dot segments
    resolved, an empty path becomes "/", escapes normalised, the fragment dropped. The query is
    kept in its order: servers may care about it.
    """
    if len(url) > MAX_URL_CHARS:
        return ""
    try:
        return _normalize_cached(url) if len(url) <= _CACHED_CHARS else _normalize(url)
    except (ValueError, UnicodeError):  # never an exception for a malformed URL
        return ""


def _normalize(url: str) -> str:
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in HTTP_SCHEMES:
        return ""
    host = _host_of(parts.hostname)
    if not host or any(c in host for c in " \t\r\n<>\"'`{}|\\^"):
        return ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    # Escapes first (RFC 3986 6.2.2): "%2E%2E" is "..", and must be resolved like it.
    path = _normalize_escapes(parts.path or "/", _PATH_SAFE)
    if "." in path:
        trailing = path.endswith("/") or path.endswith("/.") or path.endswith("/..")
        path = posixpath.normpath(path)
        path = "/" if path in (".", "") else path
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
        if trailing and not path.endswith("/"):
            path += "/"
    query = _normalize_escapes(parts.query, _QUERY_SAFE) if parts.query else ""
    return urlunsplit((scheme, netloc, path, query, ""))


_normalize_cached = lru_cache(maxsize=32768)(_normalize)


def absolute_url(base: str, href: str) -> str:
    """``href`` resolved against ``base`` and normalised; "" for mailto:, tel:, javascript: ..."""
    href = href.strip()
    if not href:
        return ""
    try:
        joined = urljoin(base, href)
    except ValueError:
        return ""
    return normalize_url(joined)


def host_of(url: str) -> str:
    try:
        return _host_of(urlsplit(url).hostname)
    except ValueError:
        return ""


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def site_key(url: str) -> str:
    """The registrable domain of a URL ("shop.example" for https://www.shop.example/a), or the
    host with its port for IP addresses and single-label hosts."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    hostname = parts.hostname or ""
    if len(hostname) > 253:  # not a DNS name
        return ""
    return _host_site_key(parts.scheme.lower(), hostname, port)


@lru_cache(maxsize=4096)
def _host_site_key(scheme: str, hostname: str, port: int | None) -> str:
    """site_key by host: a crawl sees few hosts and many URLs, so this is what is memoised."""
    host = _host_of(hostname)
    if not host:
        return ""
    if is_ip(host) or "." not in host:
        default = DEFAULT_PORTS.get(scheme)
        if ":" in host:  # IPv6: bracketed, so [::1]:8000 and [::1:8000] stay apart
            host = f"[{host}]"
        return host if port in (None, default) else f"{host}:{port}"
    ext = _EXTRACT(host)
    registered = ext.top_domain_under_public_suffix if hasattr(
        ext, "top_domain_under_public_suffix") else ext.registered_domain
    if registered:
        return str(registered)
    # No known public suffix (".example", ".test", ".internal"): the last two labels.
    labels = host.split(".")
    return ".".join(labels[-2:])


def same_site(url: str, base: str) -> bool:
    """True when both URLs are http(s) and share a registrable domain (www and apex are one)."""
    if not url or not base:
        return False
    scheme = url.split(":", 1)[0].lower()
    if scheme not in HTTP_SCHEMES:
        return False
    key = site_key(url)
    return bool(key) and key == site_key(base)


def url_path(url: str) -> str:
    """The decoded path of a URL ("/über-uns" for /%C3%BCber-uns)."""
    try:
        return unquote(urlsplit(url).path) or "/"
    except ValueError:
        return "/"


def origin(url: str) -> str:
    """scheme://host[:port]/ of a URL."""
    parts = urlsplit(normalize_url(url))
    return urlunsplit((parts.scheme, parts.netloc, "/", "", "")) if parts.scheme else ""


def with_path(url: str, path: str) -> str:
    """The URL on the same origin with another path (for probes, robots.txt, sitemap.xml)."""
    return normalize_url(urljoin(origin(url), path))


def strip_www(host: str) -> str:
    return host[4:] if host.startswith("www.") else host
