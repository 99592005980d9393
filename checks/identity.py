"""Who is behind the site: about page, imprint, postal address, public social profiles."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.contacts import channels_of, walk_json
from auditor.detect.language import site_languages
from auditor.detect.pagetypes import find_page_type
from auditor.site import SiteSnapshot
from checks._common import no_pages, page_type_outcome, plural
from checks.contact import channel_evidence


@check(
    id="about-page",
    category="identity",
    severity="medium",
    weight=5,
    title="The site has an about page",
    failure_title="No about page is linked from the site",
    fix="Add an about page that says who runs the business, where, and since when.",
)
def about_page(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a link named about us, our story, Über uns, à propos, quiénes somos ...
    confirmed by the linked page's heading or content.
    Why it matters: the first thing customers and quality raters look for is who is behind a
    site.
    How to fix: publish an about page with the people, the place and the history of the business,
    linked from the header or footer.
    Traps: "About this item" on product pages is not an about page (T3).
    """
    return page_type_outcome(site, "about", "an about page")


IMPRINT_FIELDS = re.compile(
    r"(angaben gem(a|ä)(ss|ß) ?§ ?5|handelsregister|registergericht|amtsgericht|hrb ?\d|"
    r"ust-?idnr|umsatzsteuer-identifikationsnummer|directeur de la publication|siret|siren|"
    r"rcs [a-z]|registro mercantil|cif[: ]|nif[: ]|partita iva|kvk|kamer van koophandel|"
    r"capital social|vertreten durch|geschäftsführer|gesch(a|ä)ftsf(u|ü)hrer)",
    re.I,
)
IMPRINT_LANGS = {"de", "fr", "es", "it", "nl", "pt"}
IMPRINT_TLDS = (".de", ".at", ".ch", ".fr", ".es", ".it", ".nl", ".pt", ".be", ".lu", ".li")


IMPRINT_COUNTRIES = re.compile(
    r"\b(germany|deutschland|austria|osterreich|österreich|switzerland|schweiz|suisse|svizzera|"
    r"france|espana|españa|spain|italia|italy|nederland|netherlands|portugal|belgique|belgie|"
    r"belgië|belgium|luxembourg|liechtenstein)\b",
    re.I,
)


def imprint_expected(site: SiteSnapshot) -> bool:
    """German-speaking and most EU countries require provider identification on the site: told
    by the site's language, its domain, or a business address in one of those countries."""
    host = urlsplit(site.site_url or site.start_url).hostname or ""
    if set(site_languages(site)[:1]) & IMPRINT_LANGS or host.endswith(IMPRINT_TLDS):
        return True
    return any(IMPRINT_COUNTRIES.search(c.snippet) for c in channels_of(site, "address"))


@check(
    id="imprint",
    category="identity",
    severity="high",
    weight=7,
    title="The site has an imprint (legal notice)",
    failure_title="No imprint or legal notice is linked from the site",
    fix="Publish an imprint (Impressum, mentions légales, aviso legal) with the company's legal "
    "name, address, representative, register and VAT numbers, linked from every footer.",
)
def imprint(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a link named Impressum, legal notice, mentions légales, aviso legal, note
    legali ... confirmed by the linked page; or a contact or legal page that carries the imprint
    fields (register court and number, VAT ID, managing director).
    Why it matters: German-speaking countries require provider identification "directly
    reachable" from every page, and France, Spain and Italy require a legal notice; customers
    there look for it before they buy. Elsewhere an imprint still passes, but its absence is
    not-applicable rather than a failure.
    How to fix: publish the legal notice and link it from the footer of every page.
    Traps: printing businesses "imprint your logo" (T3); an imprint merged into the contact page
    counts when it carries the fields; robots.txt may block /impressum (T8).
    """
    outcome = page_type_outcome(site, "imprint", "an imprint")
    if outcome.found is False:
        contact = find_page_type(site, "contact")
        for cand in contact.accepted:
            page = cand.page
            if page is not None and page.facts is not None:
                m = IMPRINT_FIELDS.search(page.facts.text)
                if m:
                    outcome = Outcome.passed(
                        f"The contact page {cand.url} carries the imprint details.",
                        [Evidence(page.url, "text", m.group(0), "imprint field on the contact page")],
                    )
                    break
    if outcome.found is not True and not imprint_expected(site):
        return Outcome.not_applicable(
            "An imprint is expected of sites for German-speaking and most EU countries; this "
            "site's language and domain point elsewhere. " + outcome.message,
            found=outcome.found,
        )
    return outcome


@check(
    id="postal-address",
    category="identity",
    severity="high",
    weight=7,
    title="The site shows a postal address",
    failure_title="No postal address is shown on the site",
    fix="Show the business's street address (not a PO box) in the footer or on the contact page, "
    "and in schema.org PostalAddress markup.",
)
def postal_address(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: schema.org PostalAddress in JSON-LD or microdata, an <address> element,
    and street, number, postcode and town written in the text (German, French, Spanish, Italian,
    Dutch, Portuguese, UK and US formats).
    Why it matters: a physical place of business tells customers there is someone to hold
    accountable; Google's merchant rules count it as a contact type.
    How to fix: publish the full street address in the footer or on the contact page.
    Traps: "Musterstraße 1, 12345 Musterstadt" template addresses; years and prices are not
    postcodes; a carrier's or a supplier's address is not the business's.
    """
    if (early := no_pages(site)) is not None:
        return early
    channels = channels_of(site, "address")
    if channels:
        return Outcome.passed(f"Found a postal address: {channels[0].value}.",
                              channel_evidence(channels))
    pages = len(site.html_pages)
    return Outcome.failed(
        f"No postal address was found on the {plural(pages, 'page')} audited.",
        [Evidence(site.start_url, "searched", plural(pages, "page"),
                  "PostalAddress markup, <address>, street + postcode + town in text")]
        + [Evidence(c.page, "searched", c.snippet, "map link only") for c in channels_of(site, "maps")[:2]],
    )


SOCIAL_HOSTS = {
    "facebook.com": re.compile(r"^/(?!sharer|share|dialog|plugins|tr\b|login)[^/?#]{2,}"),
    "instagram.com": re.compile(r"^/(?!p/|explore|accounts)[^/?#]{2,}"),
    "linkedin.com": re.compile(r"^/(company|in|school|showcase)/[^/?#]+"),
    "twitter.com": re.compile(r"^/(?!intent|share|home)[^/?#]{2,}"),
    "x.com": re.compile(r"^/(?!intent|share|home)[^/?#]{2,}"),
    "youtube.com": re.compile(r"^/(channel/|c/|user/|@)[^/?#]+"),
    "tiktok.com": re.compile(r"^/@[^/?#]+"),
    "pinterest.com": re.compile(r"^/(?!pin/create)[^/?#]{2,}"),
    "xing.com": re.compile(r"^/(pages|companies|profile)/[^/?#]+"),
    "github.com": re.compile(r"^/[^/?#]{2,}"),
    "threads.net": re.compile(r"^/@[^/?#]+"),
    "vimeo.com": re.compile(r"^/[^/?#]{2,}"),
}


def social_platform(url: str) -> str | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    for domain, path_re in SOCIAL_HOSTS.items():
        if host == domain or host.endswith("." + domain) or (
            domain == "pinterest.com" and re.match(r"^([a-z]{2}\.)?pinterest\.[a-z.]+$", host)
        ):
            return domain if path_re.match(parts.path or "/") else None
    return None


@check(
    id="social-profiles",
    category="identity",
    severity="low",
    weight=3,
    title="The site links to its social media profiles",
    failure_title="No social media profile is linked",
    fix="Link your company's social profiles (LinkedIn, Instagram, Facebook ...) from the footer "
    "and list them in Organization sameAs markup.",
)
def social_profiles(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: links to a profile on Facebook, Instagram, LinkedIn, X/Twitter, YouTube,
    TikTok, Pinterest, XING, GitHub or Threads, and schema.org sameAs.
    Why it matters: a public presence lets customers see how the business talks to people and
    answers complaints in public.
    How to fix: link the profiles you keep up from the footer.
    Traps: share buttons (sharer.php, intent/tweet) and links to a platform's home page are not
    profiles; template leftovers pointing to facebook.com/ are not counted.
    """
    if (early := no_pages(site)) is not None:
        return early
    evidence: dict[str, Evidence] = {}
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            if link.url and (platform := social_platform(link.url)) and link.url not in evidence:
                evidence[link.url] = Evidence(page.url, "link", link.text or link.aria_label or link.url,
                                              f"{link.region} link to {platform}: {link.url}")
        for item in page.facts.jsonld:
            for node in walk_json(item):
                same = node.get("sameAs")
                for url in same if isinstance(same, list) else [same]:
                    if isinstance(url, str) and social_platform(url) and url not in evidence:
                        evidence[url] = Evidence(page.url, "jsonld", url, "sameAs")
    if evidence:
        return Outcome.passed(f"Found {plural(len(evidence), 'social profile link')}.",
                              list(evidence.values())[:6])
    return Outcome.failed(
        "No link to a social media profile was found.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "links and sameAs to social platforms")],
    )
