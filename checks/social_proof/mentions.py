"""Third parties on the site's pages: client logos and case studies, press mentions, and paid
endorsements that must be disclosed.

Registered under the entry point ``social-proof-mentions``; vocabulary in
``checks/social_proof.toml``.
"""

from __future__ import annotations

from auditor.check_api import Evidence, Outcome, check
from auditor.crawl.urls import same_site
from auditor.detect.pagetypes import find_page_type, link_label
from auditor.detect.text import fold, path_segments
from auditor.detect.vocab import load_vocabulary
from auditor.site import Image, Link, Page, SiteSnapshot
from checks._common import no_pages, page_type_evidence, plural
from checks.social_proof import host_and_path, social_data

LABEL_MAX_WORDS = 8
MIN_LOGOS = 3
MIN_OUTLETS = 2
CONTENT_REGIONS = ("main", "body", "aside")


def section_labels(page: Page) -> list[tuple[str, str]]:
    """(text, what) for headings and short standalone labels in the page's content."""
    assert page.facts is not None
    labels = [(h.text, f"h{h.level} heading") for h in page.facts.headings
              if h.region in CONTENT_REGIONS]
    heading_texts = {h for h, _ in labels}
    labels += [(b.text, "section label") for b in page.facts.blocks
               if b.region in CONTENT_REGIONS and b.text not in heading_texts
               and len(b.text.split()) <= LABEL_MAX_WORDS and b.tag not in ("li", "td", "button")]
    return labels


def logo_images(page: Page) -> list[Image]:
    """Content images that look like logos: "logo" in the alt text or file name, or a short
    alt text that is a name (not a photo description)."""
    data = social_data()
    assert page.facts is not None
    logos = []
    for image in page.facts.images:
        if image.region not in CONTENT_REGIONS:
            continue
        alt = fold(image.alt or image.title)
        if data.partner_headings is not None and alt and data.partner_headings.search(alt):
            continue
        file_name = " ".join(path_segments(image.src)[-1:]) if image.src else ""
        if "logo" in alt or "logo" in file_name or (alt and len(alt.split()) <= 3):
            logos.append(image)
    return logos


# --------------------------------------------------------------------------- client logos


@check(
    id="client-logos",
    category="social-proof",
    severity="info",
    weight=2,
    title="The site names its clients (logo wall or case studies)",
    failure_title="No client logos or case studies were found",
    fix="Show the logos of clients who agreed to it under a 'Trusted by' heading, or publish "
    "case studies that name the client and the result.",
    scope=("saas",),
)
def client_logos(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a case-studies or customer-stories page, or a section labelled "trusted
    by", "our clients", "unsere Kunden", "ils nous font confiance", "nuestros clientes", "i
    nostri clienti", "onze klanten", "nossos clientes" ... on a page with at least three logo
    images (alt text or file name naming a logo, or a short name as alt text).
    Why it matters: named customers are B2B buyers' social proof: a prospect can ask them.
    How to fix: show client logos with permission, and link case studies that name the client.
    Traps: technology-partner, integration and payment strips ("powered by", "partners") are not
    clients and are not counted; "What our customers say" heads testimonials, not logos; a
    client heading whose logos are inline SVG or CSS backgrounds cannot be read statically, so
    it is unknown, not absent. Applies to SaaS (B2B) sites.
    """
    if (early := no_pages(site)) is not None:
        return early
    result = find_page_type(site, "case-studies")
    if result.found:
        best = result.best
        assert best is not None
        return Outcome.passed(f"Found case studies: {best.url}.", page_type_evidence(result))
    data = social_data()
    testimonial_words = load_vocabulary()["testimonials"].phrase_re
    unreadable: list[Evidence] = []
    for page in site.html_pages:
        for text, what in section_labels(page):
            folded = fold(text)
            if data.logo_headings is None or not data.logo_headings.search(folded):
                continue
            if data.partner_headings is not None and data.partner_headings.fullmatch(folded):
                continue
            if testimonial_words is not None and testimonial_words.search(folded):
                continue  # "What our customers say" heads quotes, not logos
            logos = logo_images(page)
            heading = Evidence(page.url, "text", text, what)
            if len(logos) >= MIN_LOGOS:
                return Outcome.passed(
                    f"Found a client section ('{text}') with {plural(len(logos), 'logo')}.",
                    [heading] + [Evidence(page.url, "image", i.alt or i.src, "client logo")
                                 for i in logos[:4]])
            unreadable.append(heading)
            break
    if unreadable:
        return Outcome.unknown(
            "A client section was found, but its logos are not images with alt text (inline "
            "SVG or CSS backgrounds?), so they cannot be read statically.", unreadable[:3])
    return Outcome.failed(
        "No case-studies page and no client-logo section were found.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "case-study pages; 'trusted by' / 'our clients' sections with logos")],
    )


# --------------------------------------------------------------------------- press


def _outlet_links(site: SiteSnapshot, page: Page) -> list[Link]:
    data = social_data()
    assert page.facts is not None
    seen: dict[str, Link] = {}
    for link in page.facts.links:
        if link.region not in CONTENT_REGIONS or not link.url or same_site(link.url,
                                                                           site.start_url):
            continue
        host, _ = host_and_path(link.url)
        if any(host == h or host.endswith("." + h) for h in data.not_press_hosts):
            continue
        seen.setdefault(host, link)
    return list(seen.values())


@check(
    id="press-mentions",
    category="social-proof",
    severity="info",
    weight=1,
    title="The site shows press coverage",
    failure_title="No press mentions were found",
    fix="If the press has covered you, add an 'As seen in' strip linking the articles, or a "
    "press page listing the coverage.",
)
def press_mentions(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: an "as seen in" / "featured in" / "bekannt aus" / "vu dans" / "visto
    en" / "visto su" / "bekend van" / "visto em" / "in the press" section, or a press page that
    lists coverage: links to at least two outside outlets, or outlet logos.
    Why it matters: earned media is a third party vouching for the business.
    How to fix: link the articles themselves, so readers can check them.
    Traps: a newsroom of the company's own press releases is not coverage; links to social
    networks and app stores are not outlets; logo strips without links cannot be verified
    (reported, still counted as a mention); sponsored articles cannot be told apart.
    """
    if (early := no_pages(site)) is not None:
        return early
    data = social_data()
    for page in site.html_pages:
        for text, what in section_labels(page):
            if data.press_phrases is not None and data.press_phrases.search(fold(text)):
                outlets = _outlet_links(site, page)
                note = (f" with links to {plural(len(outlets), 'outlet')}" if outlets
                        else "; its logos are not linked to the articles, so they cannot be "
                        "verified")
                return Outcome.passed(
                    f"Found a press section ('{text}'){note}.",
                    [Evidence(page.url, "text", text, what)]
                    + [Evidence(page.url, "link", link_label(lk) or lk.url, f"outlet: {lk.url}")
                       for lk in outlets[:3]])
    result = find_page_type(site, "press")
    for cand in result.accepted:
        press_page = cand.page
        if press_page is None or press_page.facts is None:
            continue
        outlets = _outlet_links(site, press_page)
        logos = logo_images(press_page)
        if len(outlets) >= MIN_OUTLETS or len(logos) >= MIN_LOGOS:
            return Outcome.passed(
                f"The press page {press_page.url} lists coverage ({plural(len(outlets), 'outlet')} "
                f"linked, {plural(len(logos), 'logo')}).",
                page_type_evidence(result, 1)
                + [Evidence(press_page.url, "link", link_label(lk) or lk.url, f"outlet: {lk.url}")
                   for lk in outlets[:3]])
    evidence = [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                         "'as seen in' sections; press pages linking outlets")]
    evidence += [Evidence(c.url, "searched", "", "press page without outside coverage")
                 for c in result.accepted[:2]]
    return Outcome.failed("No press mentions were found.", evidence)


# --------------------------------------------------------------------------- endorsements


def affiliate_links(page: Page) -> list[tuple[Link, str]]:
    """(link, network) for unambiguous affiliate or sponsored links on a page."""
    data = social_data()
    assert page.facts is not None
    found = []
    for link in page.facts.links:
        if "sponsored" in link.rel:
            if link.region in CONTENT_REGIONS:  # a theme credit in the footer is no endorsement
                found.append((link, 'rel="sponsored"'))
            continue
        if not link.url:
            continue
        host, path = host_and_path(link.url)
        for aff in data.affiliates:
            if aff.host.search(host) and (aff.path is None or aff.path.search(path)):
                found.append((link, aff.name))
                break
    return found


def disclosure(page: Page) -> str:
    """The disclosure wording on a page (text, or a link to a disclosure page), or ""."""
    data = social_data()
    assert page.facts is not None
    if data.disclosures is None:
        return ""
    for block in page.facts.blocks:
        if m := data.disclosures.search(fold(block.text)):
            return f"{m.group(0)!r} in: {block.text[:120]}"
    for link in page.facts.links:
        if (label := link_label(link)) and (m := data.disclosures.search(fold(label))):
            return f"{m.group(0)!r} in link: {label[:120]}"
    return ""


@check(
    id="endorsement-disclosure",
    category="social-proof",
    severity="medium",
    weight=4,
    title="Affiliate and sponsored links are disclosed",
    failure_title="Affiliate links appear without a disclosure",
    fix="Label paid links where the reader sees them: 'This post contains affiliate links; we "
    "earn a commission' / 'Anzeige' / 'lien affilié', and link a disclosure page.",
)
def endorsement_disclosure(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: pages with unambiguous affiliate links (amazon ...?tag=xx-21, amzn.to,
    Awin, ShareASale, Skimlinks, CJ, Rakuten, Impact, Partnerize, eBay campid ...) or
    rel="sponsored" links, then disclosure wording on the same page (affiliate, commission,
    sponsored, "as an Amazon Associate", Anzeige, Werbung, lien affilié, publicidad,
    pubblicità, advertentie, publicidade ...) or a link to a disclosure page. Fails when a page
    with such links discloses nothing; not applicable when there are no such links.
    Why it matters: readers weigh a recommendation differently when the author is paid for it;
    the FTC (16 CFR 255) and EU/UK consumer law require the connection to be disclosed.
    How to fix: put a clear disclosure near the links on every page that has them.
    Traps: ordinary outbound links and bare shop links are not affiliate links (only tagged
    links and network redirect hosts count); a rel="sponsored" theme credit in the footer is not
    an endorsement; a disclosure anywhere on the page, footer
    included, is accepted, so a doubtful case never fails.
    """
    if (early := no_pages(site)) is not None:
        return early
    pages = [(p, links) for p in site.html_pages if (links := affiliate_links(p))]
    if not pages:
        return Outcome.not_applicable("No affiliate or sponsored links were found, so there is "
                                      "nothing to disclose.")
    disclosed: list[Evidence] = []
    undisclosed: list[tuple[Page, list[tuple[Link, str]]]] = []
    for page, links in pages:
        if how := disclosure(page):
            disclosed.append(Evidence(page.url, "text", how, f"disclosure beside "
                                      f"{plural(len(links), 'affiliate link')}"))
        else:
            undisclosed.append((page, links))
    if not undisclosed:
        what = ("The page with affiliate or sponsored links discloses them" if len(pages) == 1
                else f"All {len(pages)} pages with affiliate or sponsored links disclose them")
        return Outcome.passed(f"{what}.", disclosed[:5])
    evidence = [Evidence(page.url, "link", link_label(lk) or lk.url, f"{network} link: {lk.url}")
                for page, links in undisclosed[:4] for lk, network in links[:1]]
    evidence += [Evidence(page.url, "searched", "", "no disclosure wording on the page")
                 for page, _ in undisclosed[:4]]
    return Outcome.failed(
        f"{plural(len(undisclosed), 'page')} with affiliate or sponsored links "
        f"{'shows' if len(undisclosed) == 1 else 'show'} no disclosure.", evidence)
