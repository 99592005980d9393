"""Third-party widgets and services by fingerprint (``checks/vendors.toml``, signals.md §5).

A static crawler sees ``<script src>``, iframes, images, links, DOM markers and globals named in
inline scripts, not what JavaScript later renders (§2.4), so a hit means "widget present", never
"widget shows good reviews".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from auditor.detect import memo
from auditor.site import Link, SiteSnapshot


@dataclass(frozen=True, slots=True)
class Vendor:
    id: str
    name: str
    kind: str
    hosts: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    globals: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    verified: bool = True

    def host_matches(self, host: str) -> bool:
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def url_matches(self, url: str) -> bool:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host or not self.host_matches(host):
            return False
        hostpath = host + parts.path
        if any(x in hostpath or x in url for x in self.exclude):
            return False
        return not self.paths or any(p in hostpath for p in self.paths)

    def link_matches(self, url: str) -> bool:
        parts = urlsplit(url)
        hostpath = ((parts.hostname or "").removeprefix("www.") + parts.path).lower()
        return any(hostpath.startswith(p.removeprefix("www.")) for p in self.links)


@dataclass(frozen=True, slots=True)
class VendorHit:
    vendor: Vendor
    page: str
    kind: str  # evidence kind: script, iframe, image, link, markup (marker), inline (global)
    detail: str  # the URL, marker or global that matched


@cache
def load_vendors() -> tuple[Vendor, ...]:
    text = resources.files("checks").joinpath("vendors.toml").read_text("utf-8")
    data = tomllib.loads(text)
    vendors = []
    for raw in data.get("vendor", []):
        vendors.append(
            Vendor(
                id=raw["id"],
                name=raw.get("name", raw["id"]),
                kind=raw["kind"],
                hosts=tuple(h.lower() for h in raw.get("hosts", ())),
                paths=tuple(raw.get("paths", ())),
                exclude=tuple(raw.get("exclude", ())),
                markers=tuple(raw.get("markers", ())),
                globals=tuple(raw.get("globals", ())),
                links=tuple(p.lower() for p in raw.get("links", ())),
                verified=bool(raw.get("verified", True)),
            )
        )
    return tuple(sorted(vendors, key=lambda v: v.id))


# JavaScript script types: JSON data blocks (product data, JSON-LD) are not code, and vendor
# names in them are not embeds.
JS_TYPES = ("", "text/javascript", "application/javascript", "module", "text/ecmascript",
            "application/x-javascript", "text/plain")
# URLs written inside inline loaders (GTM, Meta pixel, Clarity ...), also JSON-escaped https:\/\/.
INLINE_URL_RE = re.compile(
    r"(?:https?:)?(?:\\?/){2}([a-z0-9.-]+\.[a-z]{2,}(?:\\?/[\w./%-]*)?)", re.I)


def inline_urls(inline: str) -> list[str]:
    """Absolute URLs named in an inline script's text."""
    urls = []
    for match in INLINE_URL_RE.finditer(inline):
        urls.append("https://" + match.group(1).replace("\\/", "/"))
    return urls


@cache
def globals_pattern(vendor: Vendor) -> re.Pattern[str] | None:
    """One regex for the JS globals a vendor's loader defines (None when it names none)."""
    if not vendor.globals:
        return None
    names = "|".join(re.escape(g) for g in sorted(vendor.globals, key=len, reverse=True))
    return re.compile(rf"(?<![\w$])(?:{names})(?![\w$])")


def vendor_hits(site: SiteSnapshot) -> tuple[VendorHit, ...]:
    """Every vendor fingerprint seen on every audited page, sorted for stable evidence."""

    def build() -> tuple[VendorHit, ...]:
        vendors = load_vendors()
        by_host = _host_index(vendors)
        link_vendors = [(v, tuple(p.removeprefix("www.") for p in v.links))
                        for v in vendors if v.links]
        vendor_markers = [(v, marker) for v in vendors for marker in v.markers]
        vendor_globals = [(v, pattern) for v in vendors
                          if (pattern := globals_pattern(v)) is not None]
        # Pages repeat the same URLs (header, footer, product links): match each URL once.
        matches: dict[tuple[str, bool], tuple[Vendor, ...]] = {}
        hits: set[VendorHit] = set()
        for page in site.html_pages:
            facts = page.facts
            assert facts is not None
            urls: list[tuple[str, str]] = [("script", s.src) for s in facts.scripts if s.src]
            urls += [("iframe", u) for u in facts.iframes]
            urls += [("image", i.src) for i in facts.images if i.src]
            urls += [("link", lk.url) for lk in facts.links if lk.url]
            markers = set(facts.markers)
            inline = "\n".join(s.inline for s in facts.scripts
                               if s.inline and s.type in JS_TYPES)
            urls += [("inline", u) for u in inline_urls(inline)]
            for kind, url in urls:
                key = (url, kind == "link")
                matched = matches.get(key)
                if matched is None:
                    matched = matches[key] = _matching(vendors, by_host, link_vendors, *key)
                for vendor in matched:
                    hits.add(VendorHit(vendor, page.url, kind, url))
            for vendor, marker in vendor_markers:
                if marker in markers:
                    hits.add(VendorHit(vendor, page.url, "markup", marker))
            if inline:
                for vendor, pattern in vendor_globals:
                    if m := pattern.search(inline):
                        hits.add(VendorHit(vendor, page.url, "inline", m.group(0)))
        return tuple(sorted(hits, key=lambda h: (h.vendor.id, h.page, h.kind, h.detail)))

    return memo(site, "vendor-hits", build)


@cache
def _host_index(vendors: tuple[Vendor, ...]) -> dict[str, tuple[Vendor, ...]]:
    """Vendors by each host they list."""
    index: dict[str, list[Vendor]] = {}
    for vendor in vendors:
        for host in dict.fromkeys(vendor.hosts):
            index.setdefault(host, []).append(vendor)
    return {host: tuple(found) for host, found in index.items()}


def _matching(vendors: tuple[Vendor, ...], by_host: dict[str, tuple[Vendor, ...]],
              link_vendors: list[tuple[Vendor, tuple[str, ...]]], url: str,
              is_link: bool) -> tuple[Vendor, ...]:
    """The vendors whose fingerprint matches ``url``, in ``vendors`` order; the same answer as
    asking each vendor's ``url_matches`` (and ``link_matches`` for links), but only vendors
    listing the URL's host or one of its parent domains are asked."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return tuple(v for v in vendors if v.url_matches(url)
                     or (is_link and bool(v.links) and v.link_matches(url)))
    labels = host.split(".")
    found = {id(v) for i in range(len(labels)) for v in by_host.get(".".join(labels[i:]), ())
             if v.url_matches(url)}
    if is_link and link_vendors:
        # Vendor.link_matches, with the URL split once for all vendors.
        hostpath = ((parts.hostname or "").removeprefix("www.") + parts.path).lower()
        found.update(id(v) for v, prefixes in link_vendors
                     if any(hostpath.startswith(p) for p in prefixes))
    return tuple(v for v in vendors if id(v) in found) if found else ()


def hits_of_kind(site: SiteSnapshot, *kinds: str) -> tuple[VendorHit, ...]:
    return tuple(h for h in vendor_hits(site) if h.vendor.kind in kinds)


def vendor_profile_links(site: SiteSnapshot, kind: str) -> tuple[tuple[str, Link], ...]:
    """(page URL, link) for every link to a profile page on a vendor of ``kind`` (a company's
    page on a review platform ...), in page order. Memoised; each distinct URL is matched
    once, since headers and footers repeat the same links on every page."""

    def build() -> tuple[tuple[str, Link], ...]:
        vendors = [v for v in load_vendors() if v.kind == kind and v.links]
        verdicts: dict[str, bool] = {}
        out: list[tuple[str, Link]] = []
        for page in site.html_pages:
            assert page.facts is not None
            for link in page.facts.links:
                if not link.url:
                    continue
                ok = verdicts.get(link.url)
                if ok is None:
                    ok = verdicts[link.url] = any(v.link_matches(link.url) for v in vendors)
                if ok:
                    out.append((page.url, link))
        return tuple(out)

    return memo(site, f"profile-links:{kind}", build)
