"""Who is behind the site: about, imprint, team and careers pages, postal address, social profiles.

The identity family is a package (DESIGN.md §8): this module holds the page and channel checks;
``checks.identity.legal`` the legal-entity, imprint-field and stale-reference checks;
``checks.identity.consistency`` the organisation-consistency and e-mail-domain checks. Each
module is registered under the ``trustaudit.checks`` entry-point group.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.contacts import channels_of, walk_json
from auditor.detect.pagetypes import find_page_type
from auditor.site import SiteSnapshot
from checks._common import no_pages, page_type_outcome, plural
from checks._region import imprint_expected
from checks.contact import channel_evidence
from checks.identity.entities import PERSON_RE, accepted_pages, legal_data


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
                        [Evidence(page.url, "text", m.group(0),
                                  "imprint field on the contact page")],
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
                              channel_evidence(channels, start=site.start_url))
    pages = len(site.html_pages)
    return Outcome.failed(
        f"No postal address was found on the {plural(pages, 'page')} audited.",
        [Evidence(site.start_url, "searched", plural(pages, "page"),
                  "PostalAddress markup, <address>, street + postcode + town in text")]
        + [Evidence(c.page, "searched", c.snippet, "map link only")
           for c in channels_of(site, "maps")[:2]],
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


# The platforms' own pages, not anybody's profile: policies, help, developer docs.
_PLATFORM_PAGES = re.compile(
    r"^/(?:policy|policies|privacy|legal|terms|help|about|settings|business/help|ads)(?:[/.?#]|$)"
    r"|^/policy\.php", re.I)
# Profiles live on the platform's main host (www., m., mobile. or a country prefix), never on
# docs.github.com, business.facebook.com, developers.facebook.com ...
_PROFILE_HOST = re.compile(r"^(?:(?:www|m|mobile|[a-z]{2}(?:-[a-z]{2})?)\.)?$")


def social_platform(url: str) -> str | None:
    """The platform a link to a public profile points at, or None (share buttons, the
    platform's own policy and help pages, developer subdomains)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path or "/"
    for domain, path_re in SOCIAL_HOSTS.items():
        if host == domain or host.endswith("." + domain):
            prefix = host[: -len(domain)]
        elif domain == "pinterest.com" and re.match(r"^([a-z]{2}\.)?pinterest\.[a-z.]+$", host):
            prefix = ""
        else:
            continue
        if not _PROFILE_HOST.match(prefix) or _PLATFORM_PAGES.match(path):
            return None
        return domain if path_re.match(path) else None
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
                evidence[link.url] = Evidence(
                    page.url, "link", link.text or link.aria_label or link.url,
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


TEAM_ROLE_RE = re.compile(
    r"\b(ceo|cto|cfo|coo|founder|co-founder|managing director|head of|owner|"
    r"gr[uü]nder(?:in)?|gesch[aä]ftsf[uü]hrer(?:in)?|inhaber(?:in)?|fondat(?:eur|rice)|"
    r"co-?fondat(?:eur|rice)|g[eé]rant(?:e)?|directeur|directrice|fundador(?:a)?|"
    r"cofundador(?:a)?|director(?:a)?|gerente|fondatore|fondatrice|titolare|amministratore|"
    r"oprichter|eigenaar|s[oó]ci[oa]|partner|lawyer|attorney|solicitor|avocat(?:e)?|"
    r"abogad[oa]|avvocat[oa]|advocaat|advogad[oa]|rechtsanw[aä]lt(?:in)?|notar(?:y|in)?|"
    r"notaire|notario|notaio|dentist(?:a|e)?|zahn[aä]rzt(?:in)?|tandarts|orthodontist|"
    r"physician|doctor|dr\.|[aä]rzt(?:in)?|m[eé]decin|m[eé]dic[oa]|architect(?:e)?|"
    r"architekt(?:in)?|arquitect[oa]|architett[oa]|steuerberater(?:in)?|expert-comptable|"
    r"accountant|therapist|therapeut(?:in)?|physiotherapeut(?:in)?|photographer|"
    r"fotograf(?:in)?|photographe|fot[oó]graf[oa]|chef|k[uü]chenchef)\b",
    re.I,
)


def _person_nodes(site: SiteSnapshot) -> list[Evidence]:
    """schema.org Person as an organisation's founder or employee, with a name."""
    evidence = []
    for page in site.html_pages:
        assert page.facts is not None
        for item in page.facts.jsonld:
            for node in walk_json(item):
                for key in ("founder", "employee", "employees", "member", "founders"):
                    people = node.get(key)
                    for person in people if isinstance(people, list) else [people]:
                        if isinstance(person, dict) and isinstance(person.get("name"), str):
                            evidence.append(Evidence(page.url, "jsonld",
                                                     f"{key}: {person['name']}",
                                                     "schema.org Person"))
    return evidence[:4]


def _named_roles(site: SiteSnapshot) -> list[Evidence]:
    """Lines on the about or team page that give a person's name with a role ("Regina Muster,
    Gründerin & Inhaberin", "CEO: Jane Doe"), or a name heading next to a role line."""
    evidence = []
    for page in accepted_pages(site, "about") + accepted_pages(site, "team"):
        assert page.facts is not None
        blocks = [b for b in page.facts.blocks
                  if b.region not in ("footer", "nav", "header") and len(b.text) <= 160]
        for i, block in enumerate(blocks):
            for line in block.text.split("\n"):
                role = TEAM_ROLE_RE.search(line)
                if role is None:
                    continue
                rest = line[:role.start()] + " | " + line[role.end():]
                person = PERSON_RE.search(rest)
                if person and abs(person.start() - role.start()) <= 60:
                    evidence.append(Evidence(page.url, "text", line,
                                             f"person named with a role ('{role.group(0)}')"))
                    break
            name = block.text.strip()
            if (block.tag in ("h2", "h3", "h4", "h5", "h6") and PERSON_RE.fullmatch(name)
                    and not TEAM_ROLE_RE.search(name)):
                near = [b.text for b in blocks[max(0, i - 1): i + 2] if b is not block]
                role_line = next((t for t in near if TEAM_ROLE_RE.search(t)), None)
                if role_line is not None:
                    evidence.append(Evidence(page.url, "text", f"{name} — {role_line}",
                                             "name heading next to a role"))
        if evidence:
            break
    return evidence[:4]


@check(
    id="team-page",
    category="identity",
    severity="low",
    weight=3,
    title="The site shows the people behind the business",
    failure_title="No team page or named people were found",
    fix="Show the founders, the team or the people customers deal with, with names and roles, "
    "on a team or about page.",
)
def team_page(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a team page (our team, meet the team, Unser Team, notre équipe,
    nuestro equipo, il team, ons team, a nossa equipa ...) confirmed by roles on it; a team
    section (heading) on a page that names roles (founder, CEO, Geschäftsführer, fondateur,
    fundador ...); a person named with a role on the about page ("Jane Doe, founder");
    schema.org Person marked up as founder or employee.
    Why it matters: real, named people — the "employees" side of trust — tell customers who
    they will deal with.
    How to fix: add a team page or section with names, roles and photos.
    Traps: "Join our team" is a careers link, not a team page (T3); testimonial names are
    customers, not staff; a team heading without any role or name on its page is not counted.
    """
    if (early := no_pages(site)) is not None:
        return early
    result = find_page_type(site, "team")
    if result.found:
        return page_type_outcome(site, "team", "a team page")
    extra = _person_nodes(site) or _named_roles(site)
    if not extra:
        for section in result.sections:
            page = next((p for p in site.html_pages if p.url == section.page), None)
            if page is not None and page.facts is not None and (
                    m := TEAM_ROLE_RE.search(page.facts.text)):
                extra.append(Evidence(section.page, "text", section.heading,
                                      f"team section naming a role ('{m.group(0)}')"))
                break
    if extra:
        return Outcome.passed("The site names the people behind the business with their roles.",
                              extra)
    return page_type_outcome(site, "team", "a team page")


def _job_board_links(site: SiteSnapshot) -> list[Evidence]:
    hosts = tuple(legal_data()["careers"]["job_board_hosts"])
    evidence = []
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            host = (urlsplit(link.url).hostname or "").lower() if link.url else ""
            if host and any(host == h or host.endswith("." + h) for h in hosts):
                evidence.append(Evidence(page.url, "link", link.text or link.url,
                                         f"{link.region} link to a job board: {link.url}"))
    return evidence[:4]


@check(
    id="careers-page",
    category="identity",
    severity="info",
    weight=1,
    title="The site has a careers page",
    failure_title="No careers page or job listing was found",
    fix="If you hire, publish open positions on a careers page or link your job board from the "
    "footer.",
)
def careers_page(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a careers or jobs page (careers, jobs, Karriere, Stellenangebote,
    carrières, empleo, lavora con noi, vacatures, carreiras ...) confirmed by its content, or
    a link to a hosted job board (Greenhouse, Lever, Personio, Recruitee, SmartRecruiters,
    Teamtailor, Workable, Ashby, Workday, JOIN ...).
    Why it matters: a company that hires is a real, growing organisation.
    How to fix: publish your openings, or link the job board you use, from the footer.
    Traps: "Jobs" as a product category or a portfolio of "projects" is not a careers page; the
    link must be confirmed by the page (apply, vacancies, full time ...) or point to a job board.
    """
    if not find_page_type(site, "careers").found and (boards := _job_board_links(site)):
        return Outcome.passed("The site links to its openings on a job board.", boards)
    return page_type_outcome(site, "careers", "a careers page")
