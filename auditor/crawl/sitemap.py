"""Sitemaps: seed the crawl with the pages the site lists itself, within firm bounds.

A sitemap is untrusted XML from the network: it is parsed with entities, DTDs and network access
off (no billion laughs, no XXE), gzip is decompressed with a cap, an index that lists itself or
its parent is walked once, and at most ``max_files`` sitemaps and ``max_urls`` URLs are read.
:func:`parse_sitemap` takes bytes so folder mode reads sitemap files with the same code.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lxml import etree

from auditor.crawl.engine import Response
from auditor.crawl.urls import absolute_url

MAX_SITEMAP_FILES = 10
MAX_SITEMAP_BYTES = 20 * 1024 * 1024  # decompressed; the protocol allows 50 MB, we read 20
_GZIP_MAGIC = b"\x1f\x8b"


def _gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip data, at most ``limit`` bytes of output (a truncated prefix is kept)."""
    out = bytearray()
    decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        while data and len(out) < limit:
            out += decomp.decompress(data, limit - len(out))
            if decomp.unconsumed_tail:
                break
            if decomp.eof and decomp.unused_data.startswith(_GZIP_MAGIC):
                data = decomp.unused_data
                decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
            else:
                data = b""
    except zlib.error:
        pass  # keep what decompressed; the XML parser recovers what it can
    return bytes(out)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False, dtd_validation=False, recover=True)


def parse_sitemap(data: bytes, base_url: str) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) of a sitemap (urlset, sitemapindex or plain text;
    gzip-compressed too). URLs are normalised and resolved against ``base_url``, duplicates
    dropped, order kept; the caller decides which are in scope."""
    if data.startswith(_GZIP_MAGIC):
        data = _gunzip(data, MAX_SITEMAP_BYTES)
    else:
        data = data[:MAX_SITEMAP_BYTES]
    urls: dict[str, None] = {}
    children: dict[str, None] = {}
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):  # a text sitemap: one URL per line
        for line in head.decode("utf-8", errors="replace").splitlines():
            url = absolute_url(base_url, line.strip()) if line.strip() else ""
            if url and line.strip().lower().startswith(("http://", "https://")):
                urls.setdefault(url, None)
        return list(urls), []
    try:
        root = etree.fromstring(head, _parser())
    except etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    for element in root.iter():
        if not isinstance(element.tag, str) or etree.QName(element).localname != "loc":
            continue
        parent = element.getparent()
        if parent is None or not isinstance(parent.tag, str):
            continue
        kind = etree.QName(parent).localname
        url = absolute_url(base_url, (element.text or "").strip())
        if not url:
            continue
        if kind == "url":
            urls.setdefault(url, None)
        elif kind == "sitemap":
            children.setdefault(url, None)
    return list(urls), list(children)


@dataclass(frozen=True, slots=True)
class SitemapResult:
    urls: tuple[str, ...]  # in-scope page URLs, in discovery order
    sitemaps: tuple[str, ...]  # sitemap files read (status 200)
    limit_hit: bool = False  # more sitemaps or URLs than the bounds allow


def collect_sitemaps(
    get: Callable[[str], Response],
    start: Iterable[str],
    keep: Callable[[str], bool],
    *,
    max_urls: int,
    max_files: int = MAX_SITEMAP_FILES,
) -> SitemapResult:
    """Read sitemaps breadth-first from ``start`` (robots' Sitemap lines, /sitemap.xml),
    following indexes, keeping URLs for which ``keep`` is true."""
    queue = list(dict.fromkeys(u for u in start if u))
    seen: set[str] = set()
    read: list[str] = []
    urls: dict[str, None] = {}
    limit_hit = False
    while queue:
        sitemap_url = queue.pop(0)
        if sitemap_url in seen:
            continue
        if len(seen) >= max_files or len(urls) >= max_urls:
            limit_hit = True
            break
        seen.add(sitemap_url)
        response = get(sitemap_url)
        if response.error or response.status != 200 or not response.body:
            continue
        read.append(sitemap_url)
        found, children = parse_sitemap(response.body, response.final_url or sitemap_url)
        for url in found:
            if keep(url):
                if len(urls) >= max_urls:
                    limit_hit = True
                    break
                urls.setdefault(url, None)
        queue.extend(c for c in children if c not in seen and keep(c))
    return SitemapResult(tuple(urls), tuple(read), limit_hit)
