"""Transport security as customers see it (URL mode only: folder audits have no HTTP)."""

from __future__ import annotations

from auditor.check_api import Evidence, Outcome, check
from auditor.site import SiteSnapshot


@check(
    id="https",
    category="security",
    severity="critical",
    weight=9,
    title="The site is served over HTTPS",
    failure_title="The site is not served over HTTPS",
    fix="Serve every page over HTTPS with a valid certificate and redirect http:// to https://.",
    needs=("http",),
    presence=True,
)
def https(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: the scheme of the start page after redirects, and audited pages that
    still end on http://.
    Why it matters: browsers mark plain-HTTP pages "Not secure", and anything typed into them
    (addresses, card numbers, passwords) can be read on the way.
    How to fix: install a certificate (free from Let's Encrypt), serve every page over HTTPS and
    redirect http:// to https://.
    Traps: a site audited at http://localhost during development is not the production site;
    audit the deployed URL.
    """
    start = site.start_page
    if start is None:
        return Outcome.unknown("The start page could not be fetched.")
    final = start.final_url or start.url
    chain = " → ".join([u for u, _ in start.redirects] + [final])
    plain = sorted({p.final_url or p.url for p in site.html_pages
                    if (p.final_url or p.url).startswith("http://")})
    if final.startswith("https://") and not plain:
        return Outcome.passed(
            f"The start page is served over HTTPS ({final}).",
            [Evidence(start.url, "page", chain, "start page after redirects")],
        )
    if final.startswith("https://"):
        return Outcome.failed(
            f"{len(plain)} audited page(s) are served over plain HTTP.",
            [Evidence(u, "page", u, "served over http://") for u in plain[:10]],
            found=False,
        )
    return Outcome.failed(
        f"The start page is served over plain HTTP ({final}).",
        [Evidence(start.url, "page", chain, "start page after redirects")],
        found=False,
    )
