"""Signs that someone looks after the site: internal links that work."""

from __future__ import annotations

from auditor.check_api import Evidence, Outcome, check
from auditor.crawl.urls import normalize_url, same_site
from auditor.detect.pagetypes import find_page
from auditor.site import SiteSnapshot
from checks._common import no_pages, plural


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
                evidence.append(Evidence(source, "link", text, f"{region} link to {url} → {status}"))
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
