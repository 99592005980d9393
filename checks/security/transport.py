"""Transport: HTTPS, the redirect from http://, and HSTS (the Observatory's redirection and
strict-transport-security tests, mdn/mdn-http-observatory src/analyzer/tests/).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from auditor.check_api import Evidence
from auditor.crawl.urls import normalize_url
from auditor.site import Page, SiteSnapshot
from checks._common import plural
from checks.security.grading import (
    Graded,
    failed,
    graded,
    header_evidence,
    is_https,
    judge,
    page_url,
    passed,
    searched,
    start_of,
    unknown,
)

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
SIX_MONTHS = 15_552_000  # the Observatory's threshold (a little under 15768000, on purpose)
NO_HTTP_ERRORS = ("connection refused", "connection reset", "connection closed", "timeout")


@judge("https")
def _judge_https(site: SiteSnapshot) -> Graded:
    start = start_of(site)
    if start is None:
        return unknown("The start page could not be fetched.", "https-not-served")
    final = page_url(start)
    chain = " → ".join([u for u, _ in start.redirects] + [final])
    plain = sorted({page_url(p) for p in site.html_pages if page_url(p).startswith("http://")})
    evidence = [Evidence(start.url, "page", chain, "start page after redirects")]
    if final.startswith("https://") and not plain:
        return passed(f"The start page is served over HTTPS ({final}).", evidence, "https-served")
    if final.startswith("https://"):
        return failed(f"{plural(len(plain), 'audited page')} are served over plain HTTP.",
                      [Evidence(u, "page", u, "served over http://") for u in plain[:10]],
                      "https-not-served")
    return failed(f"The start page is served over plain HTTP ({final}).", evidence,
                  "https-not-served")


def _page_at(site: SiteSnapshot, url: str) -> Page | None:
    """The page fetched at ``url``; a probe (one hop, not followed) before a crawled page."""
    found = [p for p in site.pages if p.url == url]
    return min(found, key=lambda p: p.source != "probe") if found else None


def _http_entry(site: SiteSnapshot, start: Page) -> Page | None:
    """The answer to the http:// variant of the start URL: the start page itself when it was
    given as http://, else the crawler's probe (on any port: tests serve it apart), else a
    crawled page at that address."""
    if start.url.startswith("http://"):
        return start
    want = urlsplit(start.url)
    for page in site.pages:
        parts = urlsplit(page.url)
        if (page.source == "probe" and parts.scheme == "http" and parts.hostname == want.hostname
                and parts.path == want.path):
            return page
    variant = normalize_url(f"http://{want.netloc}{want.path or '/'}") if not want.port else ""
    return _page_at(site, variant) if variant else None


def _route(site: SiteSnapshot, entry: Page) -> list[str]:
    """The URLs visited from the http:// entry, entry first: the crawler's followed redirects,
    or the probes' Location headers hop by hop (the last URL may not have been fetched)."""
    route, page = [entry.url], entry
    for _ in range(10):
        if page.redirects:  # followed by the crawler: every hop and the final URL are known
            return route[:-1] + [u for u, _ in page.redirects] + [page_url(page)]
        location = page.header("location") if page.status in REDIRECT_CODES else None
        try:
            target = normalize_url(urljoin(page.url, location.strip())) if location else ""
        except ValueError:
            target = ""
        if not target:
            return route
        route.append(target)
        following = _page_at(site, target) if target.startswith("http://") else None
        if following is None or target in route[:-1]:
            return route
        page = following
    return route


@judge("http-to-https")
def _judge_redirect(site: SiteSnapshot) -> Graded:
    start = start_of(site)
    if start is None:
        return unknown("The start page could not be fetched.", "redirection-missing")
    entry = _http_entry(site, start)
    if entry is None:
        return unknown("The http:// address of the start page was not probed (probes are off, "
                       "or the start URL names a port other than 443).", "redirection-missing")
    if entry.status == 0:
        if entry.error in NO_HTTP_ERRORS:
            return passed(f"Nothing answers on {entry.url} ({entry.error}), so visitors cannot "
                          "land on plain HTTP.",
                          [Evidence(entry.url, "page", entry.error,
                                    "http:// variant of the start URL")],
                          "redirection-not-needed-no-http", found=None)
        return unknown(f"{entry.url} could not be fetched ({entry.error}).",
                       "redirection-missing")
    route = _route(site, entry)
    shown = " → ".join(route)
    evidence = [Evidence(entry.url, "page", shown, f"redirects from the http:// address "
                                                   f"(first answer HTTP {entry.status})")]
    if len(route) == 1:
        return failed(f"{entry.url} answers HTTP {entry.status} over plain HTTP instead of "
                      "redirecting to https://.", evidence, "redirection-missing")
    if not route[-1].startswith("https://"):
        return failed(f"{entry.url} redirects, but not to an https:// address ({shown}).",
                      evidence, "redirection-not-to-https", found=False)
    if route[1].startswith("http://"):
        return failed(f"{entry.url} redirects to another http:// address first ({route[1]}); "
                      "the first hop should go to https:// on the same host.", evidence,
                      "redirection-not-to-https-on-initial-redirection", found=True)
    if urlsplit(route[0]).hostname != urlsplit(route[1]).hostname:
        return failed(f"{entry.url} redirects straight to another host ({route[1]}), so the "
                      "host's own HSTS header is never seen; redirect to https:// on the same "
                      "host first.", evidence, "redirection-off-host-from-http", found=True)
    return passed(f"{entry.url} redirects to HTTPS ({shown}).", evidence, "redirection-to-https")


@dataclass(frozen=True, slots=True)
class Hsts:
    max_age: int | None
    include_subdomains: bool
    preload: bool
    valid: bool


def parse_hsts(value: str) -> Hsts:
    """Strict-Transport-Security as the Observatory reads it (a comma means "set twice")."""
    value = value[:1024]
    max_age, subdomains, preload = None, False, False
    for part in (p.strip().lower() for p in value.split(";")):
        if part.startswith("max-age="):
            digits = part[8:128].strip().strip('"')
            max_age = int(digits) if digits.isdigit() else None
            if max_age is None:
                return Hsts(None, False, False, False)
        elif part == "includesubdomains":
            subdomains = True
        elif part == "preload":
            preload = True
    return Hsts(max_age, subdomains, preload, "," not in value and max_age is not None)


def hsts_protects(site: SiteSnapshot) -> bool:
    """The HSTS test passes (cookies without Secure are then "protected by HSTS")."""
    return graded(site, "hsts").result == "hsts-implemented-max-age-at-least-six-months"


@judge("hsts")
def _judge_hsts(site: SiteSnapshot) -> Graded:
    start = start_of(site)
    if start is None:
        return unknown("The start page could not be fetched.", "hsts-not-implemented")
    if not is_https(start):
        return failed("The start page is not served over HTTPS, so it cannot set HSTS (browsers "
                      "ignore the header over http://).", [searched(start, "HTTPS")],
                      "hsts-not-implemented-no-https")
    values = start.header_values("strict-transport-security")
    if not values:
        return failed("The HTTPS start page sends no Strict-Transport-Security header.",
                      [searched(start, "Strict-Transport-Security")], "hsts-not-implemented")
    hsts = parse_hsts(values[0])
    evidence = [header_evidence(start, "Strict-Transport-Security", values[0])]
    if not hsts.valid or hsts.max_age is None:
        return failed("The Strict-Transport-Security header cannot be parsed (a missing or "
                      "non-numeric max-age, or the header set twice).", evidence,
                      "hsts-header-invalid", found=True)
    extras = [w for w, on in (("includeSubDomains", hsts.include_subdomains),
                              ("preload", hsts.preload)) if on]
    note = f" with {' and '.join(extras)}" if extras else " (without includeSubDomains)"
    days = hsts.max_age // 86400
    if hsts.max_age < SIX_MONTHS:
        return failed(f"HSTS max-age is {hsts.max_age} s ({days} days){note}; at least six months "
                      f"({SIX_MONTHS} s) is needed.", evidence,
                      "hsts-implemented-max-age-less-than-six-months", found=True)
    return passed(f"HSTS max-age is {hsts.max_age} s ({days} days){note}.", evidence,
                  "hsts-implemented-max-age-at-least-six-months")
