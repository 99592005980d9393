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


def _normalize_escapes(text: str, safe: str) -> str:
    """Upper-case percent escapes, decode escaped unreserved characters, encode the rest once."""

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(0)[1:], 16))
        return char if char in _UNRESERVED else match.group(0).upper()

    text = _PCT_RE.sub(fix, text)
    return quote(text, safe=safe)


def _host_of(netloc_host: str | None) -> str:
    host = (netloc_host or "").strip(".").lower()
    if not host:
        return ""
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return ""
    return host


@lru_cache(maxsize=131072)
def normalize_url(url: str) -> str:
    """The canonical spelling of an http(s) URL, or "" when it is not one (or is malformed).

    Lower-case scheme and host, default port dropped, IDN hosts in punycode, dot segments
    resolved, an empty path becomes "/", escapes normalised, the fragment dropped. The query is
    kept in its order: servers may care about it.
    """
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
    path = parts.path or "/"
    if "." in path:
        trailing = path.endswith("/") or path.endswith("/.") or path.endswith("/..")
        path = posixpath.normpath(path)
        path = "/" if path in (".", "") else path
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
        if trailing and not path.endswith("/"):
            path += "/"
    path = _normalize_escapes(path, _PATH_SAFE)
    query = _normalize_escapes(parts.query, _QUERY_SAFE) if parts.query else ""
    return urlunsplit((scheme, netloc, path, query, ""))


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


@lru_cache(maxsize=65536)
def site_key(url: str) -> str:
    """The registrable domain of a URL ("shop.example" for https://www.shop.example/a), or the
    host with its port for IP addresses and single-label hosts."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = _host_of(parts.hostname)
    if not host:
        return ""
    if is_ip(host) or "." not in host:
        scheme = parts.scheme.lower()
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
