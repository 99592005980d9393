"""Signs that someone looks after the site: working links and images, a current copyright year,
no template leftovers, honest error pages, no server errors, and page titles.

All checks here are negative signals: ``found`` is true when the problem WAS found (status
fail), like broken links.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from auditor.check_api import Evidence, Outcome, check
from auditor.crawl.urls import normalize_url, same_site
from auditor.detect.pagetypes import SOFT_404_PATH, find_page
from auditor.detect.text import fold
from auditor.site import Page, SiteSnapshot
from checks._common import no_pages, plural
from checks.honesty.detectors import Detector, load_file, normalize, parse_detectors

MAINTENANCE_FILE = "maintenance.toml"
MAX_EVIDENCE = 12


@check(
    id="broken-links",
    category="maintenance",
    severity="medium",
    weight=5,
    title="Internal links work",
    failure_title="Internal links lead to error pages",
    fix="Fix or remove links that answer 404 or 5xx; redirect moved pages to their new address.",
)
def broken_links(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: links between pages of the site whose target answered 4xx or 5xx or
    could not be fetched, with every page that links to them. ``found`` is true when broken
    links were found.
    Why it matters: dead links are the most visible sign that nobody looks after a site, and
    they break the path to policies and contact details.
    How to fix: correct the link, restore the page, or redirect the old address.
    Traps: links the crawl did not reach (page limit, robots.txt) are not judged; off-site links
    are not checked here.
    """
    if (early := no_pages(site)) is not None:
        return early
    broken: dict[str, list[tuple[str, str, str]]] = {}
    checked: set[str] = set()
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            if not link.url or link.href.startswith("#") or not same_site(link.url, site.start_url):
                continue
            target = find_page(site, link.url)
            if target is None:
                continue
            key = normalize_url(link.url)
            checked.add(key)
            if target.status >= 400 or (target.status == 0 and target.error):
                if target.error.startswith(("refused", "outside")):
                    continue  # policy refusals are not the site's fault
                broken.setdefault(key, []).append((page.url, link.text or link.href, link.region))
    if broken:
        evidence = []
        for url in sorted(broken):
            target = find_page(site, url)
            status = (target.error or f"HTTP {target.status}") if target else "?"
            for source, text, region in sorted(set(broken[url]))[:3]:
                evidence.append(Evidence(source, "link", text,
                                         f"{region} link to {url} → {status}"))
        return Outcome.failed(
            f"{plural(len(broken), 'internal link target')} of {len(checked)} checked answer with "
            "an error.",
            evidence[:30],
            found=True,
        )
    return Outcome.passed(
        f"All {plural(len(checked), 'internal link target')} checked answer.",
        [Evidence(site.start_url, "page", f"{len(checked)} internal link targets",
                  "links between audited pages")],
        found=False,
    )


# --------------------------------------------------------------------------- broken images


def _refused(page: Page) -> bool:
    """No verdict possible: our own policy refused the fetch, or the server refused the
    crawler (401/403/429 are bot walls and hotlink guards as often as real errors)."""
    return (page.status == 0 and page.error.startswith(("refused", "outside"))) or \
        page.status in (401, 403, 429)


def _broken(page: Page) -> bool:
    return page.status in (404, 410) or page.status >= 500 or (page.status == 0
                                                                and bool(page.error))


@check(
    id="broken-images",
    category="maintenance",
    severity="info",
    weight=1,
    title="Images on the site load",
    failure_title="Images on the site are broken",
    fix="Restore or re-upload the missing image files, or fix the image addresses in the pages.",
)
def broken_images(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: same-site images (``<img src>``, lazy-loading ``data-src``) of the
    audited pages whose address answers 4xx or 5xx. The crawler fetches up to 200 distinct
    image addresses for their status only (most-used first); in folder mode the answer is
    whether the file exists in the folder. ``found`` is true when broken images were found.
    Why it matters: an empty frame where a product photo or logo should be is the most
    visible sign of neglect, and on a shop it hides what the customer would buy.
    How to fix: restore the file or correct the address.
    Traps: images on other hosts (CDNs) are not fetched and not judged; images the crawl did
    not fetch (past the 200 bound) are "not checked", never broken; 401, 403 and 429 answers
    come from bot walls and hotlink guards as often as from missing files, so they are not
    counted; inline data: images have no address; an image that redirects to an HTML page
    cannot be told from a working one.
    """
    if (early := no_pages(site)) is not None:
        return early
    uses: dict[str, list[tuple[str, str, str]]] = {}  # image url -> (page, alt, region)
    for page in site.html_pages:
        assert page.facts is not None
        for image in page.facts.images:
            if image.src and same_site(image.src, site.start_url):
                uses.setdefault(normalize_url(image.src), []).append(
                    (page.url, image.alt, image.region))
    if not uses:
        return Outcome.passed(
            "The audited pages show no images from the site's own host.",
            [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                      "same-site <img> addresses")], found=False)
    checked: dict[str, Page] = {}
    for url in uses:
        target = find_page(site, url)
        if target is not None and not _refused(target):
            checked[url] = target
    if not checked:
        return Outcome.unknown(
            f"{plural(len(uses), 'same-site image')} were shown but none was fetched, so "
            "whether they load is not known.",
            [Evidence(site.start_url, "searched", plural(len(uses), "image"),
                      "image addresses not fetched")])
    broken = {u: p for u, p in checked.items() if _broken(p)}
    unchecked = len(uses) - len(checked)
    note = f" ({unchecked} more not fetched)" if unchecked else ""
    if broken:
        evidence = []
        for url in sorted(broken):
            target = broken[url]
            status = target.error or f"HTTP {target.status}"
            for page_url, alt, region in sorted(set(uses[url]))[:2]:
                evidence.append(Evidence(page_url, "image", url,
                                         f"{region} image{f' “{alt}”' if alt else ''} → {status}"))
        verb = "does" if len(broken) == 1 else "do"
        return Outcome.failed(
            f"{plural(len(broken), 'same-site image')} of {len(checked)} checked {verb} not load"
            f"{note}.", evidence[:MAX_EVIDENCE], found=True)
    return Outcome.passed(
        f"All {plural(len(checked), 'same-site image')} checked load{note}.",
        [Evidence(site.start_url, "image", f"{len(checked)} images",
                  "same-site images fetched for their status")], found=False)


# --------------------------------------------------------------------------- copyright year

_COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)|\bcopyright\b)(?:\s*©)?\s*[^\d\n]{0,40}?\b((?:19|20)\d{2})\b"
    r"(?:\s*(?:-|/|to|bis|a|au|al|tot|ate)\s*((?:19|20)\d{2})\b)?")
_CLAUSE_SPLIT = re.compile(r"\s[|·•]\s|(?<=[a-z)])\.\s|\n")
_YEAR_MARKER = re.compile(r"^[#.\[](?:data-)?(?:[\w-]*[-_])?(?:current-?)?year(?:[-_][\w-]*)?\]?$",
                          re.I)


def _footer_texts(page: Page) -> list[str]:
    assert page.facts is not None
    blocks = page.facts.blocks
    footer = [b.text for b in blocks if b.region == "footer"]
    return footer or [b.text for b in blocks[-3:]]


def _copyright_years(text: str) -> list[tuple[int, str]]:
    """(year, clause) of the site's own copyright notices in a footer text."""
    data = load_file(MAINTENANCE_FILE)["copyright"]
    credits = tuple(data["credit_words"])
    founding = tuple(data["founding_words"])
    found = []
    for clause in _CLAUSE_SPLIT.split(normalize(text)):
        words = f" {fold(clause)} "
        if any(f" {w} " in words for w in credits + founding):
            continue
        for m in _COPYRIGHT_RE.finditer(clause):
            years = [int(y) for y in m.groups() if y]
            found.append((max(years), clause.strip()))
    return found


@check(
    id="copyright-year",
    category="maintenance",
    severity="low",
    weight=2,
    title="The copyright year is current",
    failure_title="The copyright year in the footer is outdated",
    fix="Update the year in the footer (\"© 2019–2025\" or just the current year), or generate it "
    "when the site is built.",
)
def copyright_year(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: the copyright notice in the footer ("© 2019 Acme", "Copyright
    2015–2026", "(c) 2021"), on every audited page; a range counts by its end year, and the
    newest year shown anywhere is the site's. It fails when that year is older than the year
    before the audit date (a site showing 2023 in 2025). ``found`` is true when the year is
    outdated.
    Why it matters: a footer stuck years in the past tells customers that nobody has touched
    the site since, and makes them wonder whether the business still exists.
    How to fix: update the year, or have the site generator fill it in.
    Traps: a year filled in by JavaScript (an empty ``<span id="year">``) is unknown, not old;
    theme, template and photo credits ("Theme © 2019 Vendor") and founding years ("since
    1998") are not the site's copyright; a footer without any copyright year passes (there is
    nothing outdated to show).
    """
    if (early := no_pages(site)) is not None:
        return early
    if not site.date[:4].isdigit():
        return Outcome.unknown("The audit date is unknown, so the year cannot be judged.")
    current = int(site.date[:4])
    notices: list[tuple[int, str, str]] = []  # year, page, footer text
    js_year: list[Evidence] = []
    for page in site.html_pages:
        assert page.facts is not None
        page_notices = [(year, page.url, text) for text in _footer_texts(page)
                        for year, _ in _copyright_years(text) if year <= current + 1]
        notices += page_notices
        if not page_notices and any(_YEAR_MARKER.match(m) for m in page.facts.markers):
            footer = " ".join(_footer_texts(page))
            if "©" in footer or "copyright" in footer.lower():
                js_year.append(Evidence(page.url, "text", footer[-120:],
                                        "copyright without a year; a year element is filled "
                                        "in by JavaScript"))
    if not notices:
        if js_year:
            return Outcome.unknown("The copyright year is filled in by JavaScript, which a "
                                   "static audit does not run.", js_year[:3])
        return Outcome.passed(
            "No copyright year is shown in the footer, so none is outdated.",
            [Evidence(site.start_url, "searched", plural(len(site.html_pages), "footer"),
                      "© / copyright notices with a year")], found=False)
    newest = max(year for year, _, _ in notices)
    shown = sorted({(url, text) for year, url, text in notices if year == newest})
    evidence = [Evidence(url, "text", text, f"footer copyright year {newest}")
                for url, text in shown[:3]]
    if newest < current - 1:
        return Outcome.failed(
            f"The newest copyright year shown is {newest}, {current - newest} years before the "
            f"audit ({site.date}).", evidence, found=True)
    return Outcome.passed(f"The copyright year shown is {newest} (audit date {site.date}).",
                          evidence, found=False)


# --------------------------------------------------------------------------- placeholder text


@cache
def _placeholder_detector() -> Detector:
    return parse_detectors(load_file(MAINTENANCE_FILE))["placeholder"]


@check(
    id="placeholder-text",
    category="maintenance",
    severity="medium",
    weight=4,
    title="The pages show no template placeholder text",
    failure_title="Pages show template placeholder text (lorem ipsum, \"Your Company Name\")",
    fix="Replace the template's filler text, names and addresses with your own content, or "
    "remove the section.",
)
def placeholder_text(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: filler and template text in the visible text and titles of every
    audited page: lorem ipsum, "Your Company Name", "[Insert text here]", "This is a sample
    page", "Just another WordPress site", "123 Main St", "(555) 555-0100", "Max Mustermann",
    "Musterstraße", "Musterfirma", "Blindtext", "texte d'exemple", "texto de ejemplo", "testo
    di esempio", "voorbeeldtekst", "site under construction / im Aufbau / en construction".
    ``found`` is true when such text is shown.
    Why it matters: Google Merchant Center lists placeholder text under "website needs
    improvement"; a customer who reads lorem ipsum or a template address doubts that a real
    business stands behind the site.
    How to fix: replace the filler with real content or remove it.
    Traps: form placeholders and values ("Max Mustermann" as a field hint), ``<template>``
    and hidden blocks are not visible text and are never read (T9); code samples in ``<pre>``
    are skipped; an example in help text ("z. B. Max Mustermann", "e.g. 123 Main St") is not
    a leftover; a page about lorem ipsum itself is not; common real names (Jean Dupont, Mario
    Rossi) are never treated as placeholders; "coming soon" product badges are fine.
    """
    if (early := no_pages(site)) is not None:
        return early
    detector = _placeholder_detector()
    hits: dict[str, tuple[str, str, str]] = {}  # normalised text -> page, text, locator
    pages: set[str] = set()
    for page in site.html_pages:
        assert page.facts is not None
        texts = [(b.text, f"{b.region} {b.tag}") for b in page.facts.blocks if b.tag != "pre"]
        texts.append((page.facts.title, "<title>"))
        for text, where in texts:
            if text and (found := detector.find(text)):
                pages.add(page.url)
                hits.setdefault(normalize(text), (page.url, text,
                                                  f"{where}: “{found[0].matched}”"))
    if hits:
        first = next(iter(hits.values()))
        return Outcome.failed(
            f"Template placeholder text is shown on {plural(len(pages), 'page')}, e.g. "
            f"“{first[1][:100]}” ({first[0]}).",
            [Evidence(url, "text", text, where) for url, text, where in
             list(hits.values())[:MAX_EVIDENCE]], found=True)
    blocks = sum(len(p.facts.blocks) for p in site.html_pages if p.facts is not None)
    return Outcome.passed(
        "No template placeholder text was found.",
        [Evidence(site.start_url, "searched",
                  f"{plural(blocks, 'text block')} on {plural(len(site.html_pages), 'page')}",
                  "visible text and titles checked for filler and template text")],
        found=False)


# --------------------------------------------------------------------------- soft 404


@check(
    id="soft-404",
    category="maintenance",
    severity="low",
    weight=2,
    title="Unknown addresses answer \"404 Not Found\"",
    failure_title="Unknown addresses answer 200 OK (soft 404)",
    fix="Configure the server or platform to answer 404 (or 410) for addresses that do not "
    "exist, with a helpful not-found page.",
    needs=("http",),
)
def soft_404(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: the answer to a made-up address on the site
    (``/trustaudit-soft-404-probe-7f3a9c``), fetched once per audit. A 404 or 410 passes; a
    200 page, or a redirect to a page that answers 200 (often the home page), is a soft 404.
    ``found`` is true when a soft 404 was found.
    Why it matters: when every address "exists", dead links and mistyped addresses look like
    real pages to customers and search engines, and broken links can no longer be found.
    How to fix: answer 404 with a helpful page.
    Traps: only observable over HTTP (unknown in folder mode); when the probe was not fetched
    (probes disabled) or got no answer, the check is unknown.
    """
    probe = next((p for p in site.pages if p.url.endswith(SOFT_404_PATH)), None)
    if probe is None:
        return Outcome.unknown("The made-up address was not fetched (probes disabled), so how "
                               "the site answers unknown addresses is not known.")
    if probe.status == 0:
        return Outcome.unknown(f"The made-up address got no answer ({probe.error or 'error'}).",
                               [Evidence(probe.url, "searched", "", probe.error)])
    final = probe.final_url or probe.url
    title = probe.facts.title if probe.facts is not None else ""
    if 200 <= probe.status < 300:
        where = f" after redirecting to {final}" if final != probe.url else ""
        return Outcome.failed(
            f"The made-up address {probe.url} answered HTTP {probe.status}{where} instead of "
            "404.",
            [Evidence(probe.url, "page", title, f"HTTP {probe.status} for an address that does "
                      f"not exist{where}")], found=True)
    return Outcome.passed(
        f"A made-up address answers HTTP {probe.status}.",
        [Evidence(probe.url, "page", title, f"HTTP {probe.status} for an address that does not "
                  "exist")], found=False)


# --------------------------------------------------------------------------- server errors


def _bot_wall(page: Page) -> bool:
    """A 5xx that is a bot challenge, not a failure (Cloudflare answers its challenge 503)."""
    return page.header("cf-mitigated") is not None or (
        page.status == 503 and "cloudflare" in (page.header("server") or "").lower()
        and page.header("cf-chl-bypass") is not None)


@check(
    id="server-errors",
    category="maintenance",
    severity="medium",
    weight=4,
    title="The server answers without errors",
    failure_title="The server answers some addresses with 5xx errors",
    fix="Look up the failing addresses in the server's error log and fix the cause; a page that "
    "is gone should answer 404 or redirect, never 500.",
    needs=("http",),
)
def server_errors(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: every address fetched during the audit (pages, link targets, probes,
    images) that answered with a 5xx status after the crawler's retries, with the pages that
    link to it. ``found`` is true when server errors were found.
    Why it matters: "this page isn't working" in the middle of a purchase is a reason to
    leave; Google Merchant Center disapproves offers whose page is down.
    How to fix: fix the cause in the server or application, or answer 404 for gone pages.
    Traps: only observable over HTTP (unknown in folder mode); 429 "too many requests" and
    timeouts are not 5xx answers; a 503 the server asked us to retry later was retried with
    backoff before it counts; a bot challenge answered with 503 (Cloudflare's
    ``cf-mitigated`` header) is a wall in front of the crawler, not a broken server.
    """
    if (early := no_pages(site)) is not None:
        return early
    errors = sorted((p for p in site.pages if p.status >= 500 and not _bot_wall(p)),
                    key=lambda p: p.url)
    if errors:
        linked: dict[str, list[str]] = {}
        for page in site.html_pages:
            assert page.facts is not None
            for link in page.facts.links:
                if link.url:
                    linked.setdefault(normalize_url(link.url), []).append(page.url)
        evidence = []
        for page in errors[:MAX_EVIDENCE]:
            sources = sorted(set(linked.get(page.url, [])))
            where = f"linked from {sources[0]}" if sources else f"fetched as {page.source}"
            evidence.append(Evidence(page.url, "page", f"HTTP {page.status}", where))
        return Outcome.failed(
            f"{plural(len(errors), 'address')} of {len(site.pages)} fetched answered with a server "
            f"error (5xx), e.g. {errors[0].url} (HTTP {errors[0].status}).", evidence, found=True)
    return Outcome.passed(
        f"None of the {plural(len(site.pages), 'address')} fetched answered with a server error.",
        [Evidence(site.start_url, "searched", plural(len(site.pages), "address"),
                  "HTTP status of every fetched address")], found=False)


# --------------------------------------------------------------------------- page titles

_PAGINATION = re.compile(r"/(?:page|seite|pagina|p)/\d+/?$|/\d+/?$")
#: A title shared by at least this many pages, and by this share of all pages, is generic.
GENERIC_TITLE_PAGES = 3
GENERIC_TITLE_SHARE = 0.5


@check(
    id="page-titles",
    category="maintenance",
    severity="info",
    weight=1,
    title="Every page has its own title",
    failure_title="Pages lack a title, or most pages share one generic title",
    fix="Give every page a <title> that names the page and the business (\"Returns — Acme\").",
)
def page_titles(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: HTML pages without a ``<title>`` (or with an empty one), and one title
    shared by most pages of the site (at least three pages and half of all pages), the mark of
    a template that never set page titles. ``found`` is true when either was found.
    Why it matters: the title is what a customer sees in the browser tab, in bookmarks and in
    search results; "Home" on every page makes the site look unfinished and hard to navigate.
    How to fix: give every page its own descriptive title.
    Traps: a few pages sharing a title (language variants) are normal and not counted; the
    pages of one paginated list (?page=2, /page/3/) count as one; pages whose canonical link
    points to another page are variants of it; the crawler's own not-found probe is not a page
    of the site.
    """
    if (early := no_pages(site)) is not None:
        return early
    pages = [p for p in site.html_pages if not p.url.endswith(SOFT_404_PATH)]
    missing = [p for p in pages if p.facts is not None and not p.facts.title.strip()]
    groups: dict[str, dict[str, Page]] = {}
    for page in pages:
        assert page.facts is not None
        canonical = page.facts.canonical
        own = not canonical or normalize_url(canonical) in (page.url, page.final_url or page.url)
        if page.facts.title.strip() and own:
            # Pages of one list (?page=2, /page/3/) are one page here.
            key = _PAGINATION.sub("", urlsplit(page.final_url or page.url).path)
            groups.setdefault(fold(page.facts.title), {}).setdefault(key, page)
    generic = [sorted(g.values(), key=lambda p: p.url) for g in groups.values()
               if len(g) >= GENERIC_TITLE_PAGES and len(g) >= GENERIC_TITLE_SHARE * len(pages)]
    evidence = [Evidence(p.url, "page", "", "no <title>") for p in missing[:6]]
    for group in generic:
        title = group[0].facts.title if group[0].facts is not None else ""
        evidence += [Evidence(p.url, "page", title, f"same title on {len(group)} of "
                              f"{len(pages)} pages") for p in group[:6]]
    if missing or generic:
        parts = []
        if missing:
            parts.append(f"{plural(len(missing), 'page')} without a title")
        for group in generic:
            title = group[0].facts.title if group[0].facts is not None else ""
            parts.append(f"“{title}” as the title of {len(group)} of {len(pages)} pages")
        return Outcome.failed("Found " + " and ".join(parts) + ".", evidence[:MAX_EVIDENCE],
                              found=True)
    return Outcome.passed(
        f"All {plural(len(pages), 'page')} have a title, and no title is shared by most pages.",
        [Evidence(site.start_url, "searched", plural(len(pages), "page"), "<title> of every page")],
        found=False)
