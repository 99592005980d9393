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
from auditor.site import SiteSnapshot


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
INLINE_URL_RE = re.compile(r"(?:https?:)?(?:\\?/){2}([a-z0-9.-]+\.[a-z]{2,}(?:\\?/[\w./%-]*)?)", re.I)


def inline_urls(inline: str) -> list[str]:
    """Absolute URLs named in an inline script's text."""
    urls = []
    for match in INLINE_URL_RE.finditer(inline):
        urls.append("https://" + match.group(1).replace("\\/", "/"))
    return urls


@cache
def _globals_re(vendor: Vendor) -> re.Pattern[str] | None:
    if not vendor.globals:
        return None
    names = "|".join(re.escape(g) for g in sorted(vendor.globals, key=len, reverse=True))
    return re.compile(rf"(?<![\w$])(?:{names})(?![\w$])")


def vendor_hits(site: SiteSnapshot) -> tuple[VendorHit, ...]:
    """Every vendor fingerprint seen on every audited page, sorted for stable evidence."""

    def build() -> tuple[VendorHit, ...]:
        vendors = load_vendors()
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
            for vendor in vendors:
                for kind, url in urls:
                    if vendor.url_matches(url) or (kind == "link" and vendor.links
                                                   and vendor.link_matches(url)):
                        hits.add(VendorHit(vendor, page.url, kind, url))
                for marker in vendor.markers:
                    if marker in markers:
                        hits.add(VendorHit(vendor, page.url, "markup", marker))
                pattern = _globals_re(vendor)
                if pattern is not None and inline and (m := pattern.search(inline)):
                    hits.add(VendorHit(vendor, page.url, "inline", m.group(0)))
        return tuple(sorted(hits, key=lambda h: (h.vendor.id, h.page, h.kind, h.detail)))

    return memo(site, "vendor-hits", build)


def hits_of_kind(site: SiteSnapshot, *kinds: str) -> tuple[VendorHit, ...]:
    return tuple(h for h in vendor_hits(site) if h.vendor.kind in kinds)
