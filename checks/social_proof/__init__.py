"""What other customers say: testimonials on the site and reviews customers can check.

The family is a subpackage (DESIGN.md §8): this module (entry point ``social-proof``) holds the
testimonial and review checks and the shared vocabulary loader (``checks/social_proof.toml``);
``checks.social_proof.attribution`` (``social-proof-attribution``) judges who testimonials are
from; ``checks.social_proof.mentions`` (``social-proof-mentions``) holds client logos, press
mentions and endorsement disclosure.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from auditor.check_api import Evidence, Outcome, check
from auditor.crawl.urls import site_key
from auditor.detect import memo
from auditor.detect.contacts import types_of, walk_json
from auditor.detect.pagetypes import find_page_type, link_label
from auditor.detect.structured import structured_nodes
from auditor.detect.text import fold, phrase_regex, strip_accents
from auditor.detect.vendors import hits_of_kind, vendor_profile_links
from auditor.site import Link, SiteSnapshot
from checks._common import no_pages, page_type_evidence, plural, section_evidence

TESTIMONIAL_MARKER = re.compile(r"^[.#](?:[\w-]*[-_])?(testimonials?|temoignages?|testimonios?|"
                                r"kundenstimmen|referenzen)(?:[-_][\w-]*)?$", re.I)


@check(
    id="testimonials",
    category="social-proof",
    severity="low",
    weight=3,
    title="The site shows customer testimonials",
    failure_title="No customer testimonials were found",
    fix="Show a few real customer quotes with the customer's name (and company or photo, with "
    "their permission).",
)
def testimonials(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a testimonials section or page (testimonials, what our clients say,
    Kundenstimmen, témoignages, testimonios, lo que dicen nuestros pacientes ...), testimonial
    markup (class names such as "testimonial"), and schema.org Review with a named author.
    Why it matters: other customers' words are the first reassurance a new customer looks for.
    How to fix: quote real customers with their name and, where they agree, company or photo.
    Traps: a customer-logo wall is a different signal; a review widget is counted by `reviews`.
    """
    if (early := no_pages(site)) is not None:
        return early
    result = find_page_type(site, "testimonials")
    evidence = page_type_evidence(result) + section_evidence(result.sections)
    for page in site.html_pages:
        assert page.facts is not None
        marks = [m for m in page.facts.markers if TESTIMONIAL_MARKER.match(m)]
        if marks:
            evidence.append(Evidence(page.url, "text", marks[0], "testimonial markup"))
        for item in page.facts.jsonld:
            for node in walk_json(item):
                author = node.get("author")
                if "Review" in types_of(node) and author:
                    name = author.get("name") if isinstance(author, dict) else author
                    evidence.append(Evidence(page.url, "jsonld", f"Review by {name}",
                                             "schema.org Review"))
                    break
    if evidence:
        return Outcome.passed("Found customer testimonials.", evidence[:6])
    return Outcome.failed(
        f"No testimonials were found on the {plural(len(site.html_pages), 'page')} audited.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "testimonial headings, pages, markup and Review markup")],
    )


_REVIEW_WORDS = (r"(reviews?|ratings?|bewertungen|rezensionen|avis|opiniones|resenas|valoraciones|"
                 r"recensioni|beoordelingen|avaliacoes|opinioes)")
# A rating with its count: "4,1 ★ · 9 opiniones", or stars first: "★★★★★ 5.0 Based on 9
# verified reviews" (up to two words between the count and the word for reviews).
RATING_TEXT_RE = re.compile(
    r"\b[0-5](?:[.,]\d)?\s*(?:★|☆|/\s*5|out of 5|stars?|sterne|etoiles|estrellas|stelle|sterren|"
    r"estrelas)(?:.{0,40}?)\b(\d[\d.,]*)\s*" + _REVIEW_WORDS + r"\b"
    r"|[★☆]{3,5}\s*[0-5](?:[.,]\d)?\b.{0,40}?\b(\d[\d.,]*)\s+(?:[a-z]+\s+){0,2}"
    + _REVIEW_WORDS + r"\b"
)


def rating_markup(site: SiteSnapshot) -> list[Evidence]:
    evidence = []
    seen: set[tuple[str, str, int]] = set()  # one rating per top-level item
    for n in structured_nodes(site):
        key = (n.page.url, n.source, n.item)
        if key in seen or not ("AggregateRating" in n.types or "aggregateRating" in n.node):
            continue
        seen.add(key)
        rating = n.node.get("aggregateRating", n.node)
        value = rating.get("ratingValue") if isinstance(rating, dict) else ""
        count = (rating.get("reviewCount") or rating.get("ratingCount")
                 if isinstance(rating, dict) else "")
        evidence.append(Evidence(n.page.url, n.source, f"AggregateRating {value} ({count} reviews)",
                                 "schema.org AggregateRating"))
    return evidence


@check(
    id="reviews",
    category="social-proof",
    severity="low",
    weight=4,
    title="The site shows reviews customers can check",
    failure_title="No reviews, review widget or review-platform link was found",
    fix="Collect reviews on an independent platform (Trustpilot, Google, Trusted Shops ...) and "
    "link to your public profile or embed its widget.",
    scope=("shop", "local"),
)
def reviews(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: review widgets by vendor (Trustpilot, Trusted Shops, eKomi, Feefo,
    Reviews.io, Google Customer Reviews, Judge.me, Yotpo ...), links to a review-platform
    profile (trustpilot.com/review/..., Google Maps place, Yelp, ProvenExpert ...),
    AggregateRating markup, and a rating written with its count ("4,1 ★ · 9 opiniones").
    Why it matters: independent reviews are what customers trust most, because the merchant
    cannot silently edit them.
    How to fix: ask customers for reviews on an independent platform and link the profile.
    Traps: a "Reviews (0)" tab has no reviews (T3); a widget's content is rendered by
    JavaScript, so presence is reported, not the rating (T6a); star characters beside
    testimonials are decoration, not ratings.
    """
    if (early := no_pages(site)) is not None:
        return early
    evidence = [
        Evidence(h.page, "script" if h.kind == "script" else "link" if h.kind == "link" else "text",
                 h.detail, f"{h.vendor.name} ({h.vendor.kind}, {h.kind})")
        for h in hits_of_kind(site, "review-platform", "review-app")
    ]
    evidence += [Evidence(url, "link", link.text or link.url, f"review profile {link.url}")
                 for url, link in vendor_profile_links(site, "review-platform")]
    for page in site.html_pages:
        assert page.facts is not None
        for block in page.facts.blocks:
            if len(block.text) < 300 and (
                    m := RATING_TEXT_RE.search(strip_accents(block.text.casefold()))):
                evidence.append(Evidence(page.url, "text", block.text,
                                         f"rating with count: {m.group(0)}"))
    evidence += rating_markup(site)
    if evidence:
        return Outcome.passed("Found reviews customers can check.", evidence[:6])
    return Outcome.failed(
        "No review widget, review-platform link or rating markup was found.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "review vendor scripts, profile links, AggregateRating, ratings with counts")],
    )


# --------------------------------------------------------------------------- shared vocabulary


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    host: re.Pattern[str]
    path: re.Pattern[str]
    slug: str  # domain, name or id
    kind: str  # customer or employer
    needs_words: bool


@dataclass(frozen=True, slots=True)
class Affiliate:
    name: str
    host: re.Pattern[str]
    path: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class SocialData:
    profiles: tuple[Profile, ...]
    review_words: re.Pattern[str] | None
    generic_brand_words: frozenset[str]
    anonymous: frozenset[str]
    not_names: frozenset[str]
    particles: frozenset[str]
    honorifics: frozenset[str]
    role_words: re.Pattern[str] | None
    logo_headings: re.Pattern[str] | None
    partner_headings: re.Pattern[str] | None
    press_phrases: re.Pattern[str] | None
    not_press_hosts: tuple[str, ...]
    affiliates: tuple[Affiliate, ...]
    disclosures: re.Pattern[str] | None


@cache
def social_data() -> SocialData:
    """The vocabulary of ``checks/social_proof.toml``, compiled once."""
    raw = tomllib.loads(
        resources.files("checks").joinpath("social_proof.toml").read_text("utf-8"))
    return SocialData(
        profiles=tuple(
            Profile(p["name"], re.compile(p["host"]), re.compile(p["path"]), p["slug"],
                    p["kind"], bool(p.get("needs_words", False)))
            for p in raw["profile"]
        ),
        review_words=phrase_regex(raw["review_words"]),
        generic_brand_words=frozenset(fold(w) for w in raw["generic_brand_words"]),
        anonymous=frozenset(fold(w) for w in raw["anonymous"]),
        not_names=frozenset(fold(w) for w in raw["not_names"]),
        particles=frozenset(fold(w) for w in raw["name_particles"]),
        honorifics=frozenset(fold(w) for w in raw["honorifics"]),
        role_words=phrase_regex(raw["role_words"]),
        logo_headings=phrase_regex(raw["logo_headings"]),
        partner_headings=phrase_regex(raw["partner_headings"]),
        press_phrases=phrase_regex(raw["press_phrases"]),
        not_press_hosts=tuple(raw["not_press_hosts"]),
        affiliates=tuple(
            Affiliate(a["name"], re.compile(a["host"]),
                      re.compile(a["path"]) if a.get("path") else None)
            for a in raw["affiliate"]
        ),
        disclosures=phrase_regex(raw["disclosures"]),
    )


def host_and_path(url: str) -> tuple[str, str]:
    """('trustpilot.com', '/review/acme.de?x=1') with "www." removed from the host."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, parts.path + (f"?{parts.query}" if parts.query else "")


# --------------------------------------------------------------------------- review profiles


def brand_tokens(site: SiteSnapshot) -> frozenset[str]:
    """Distinctive words of the business's name: its domain, JSON-LD organisation names and
    og:site_name (generic words such as "shop" or "dental" left out)."""

    def build() -> frozenset[str]:
        generic = social_data().generic_brand_words
        names: list[str] = []
        host = urlsplit(site.site_url or site.start_url).hostname or ""
        if host and not host.endswith((".invalid", ".test", ".example", ".localhost")):
            names.append(site_key(site.site_url or site.start_url).split(".")[0])
        for page in site.html_pages[:50]:
            assert page.facts is not None
            names += [v for k, v in page.facts.meta if k == "og:site_name"]
            for item in page.facts.jsonld:
                for node in walk_json(item):
                    if types_of(node) & ORG_TYPES:
                        names += [v for k in ("name", "legalName", "alternateName")
                                  if isinstance(v := node.get(k), str)]
        tokens = {t for n in names for t in fold(n.replace("-", " ")).split()}
        return frozenset(t for t in tokens if len(t) >= 3 and t not in generic)

    return memo(site, "brand-tokens", build)


ORG_TYPES = {"Organization", "Corporation", "LocalBusiness", "Store", "OnlineStore",
             "ProfessionalService", "Dentist", "Physician", "MedicalBusiness", "LegalService",
             "Attorney", "Restaurant", "FoodEstablishment", "LodgingBusiness", "Hotel",
             "HomeAndConstructionBusiness", "HealthAndBeautyBusiness", "AutomotiveBusiness",
             "MedicalClinic", "NGO", "EducationalOrganization"}


def slug_matches_brand(slug: str, tokens: frozenset[str]) -> bool:
    compact = re.sub(r"[^a-z0-9]", "", fold(slug))
    return any(t.replace(" ", "") in compact for t in tokens)


@dataclass(frozen=True, slots=True)
class ProfileLink:
    profile: Profile
    page: str
    link: Link
    accepted: bool
    reason: str


def profile_links(site: SiteSnapshot) -> list[ProfileLink]:
    """Links to business profiles on review platforms, each judged: is it this business's?"""
    data = social_data()
    tokens = brand_tokens(site)
    found: list[ProfileLink] = []
    seen: set[str] = set()
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            if not link.url or link.url in seen:
                continue
            host, path = host_and_path(link.url)
            for profile in data.profiles:
                if not profile.host.search(host) or not (m := profile.path.search(path)):
                    continue
                seen.add(link.url)
                label = fold(link_label(link))
                words = bool(data.review_words and label and data.review_words.search(label))
                slug = m.group(1) if m.groups() and m.group(1) else ""
                if profile.needs_words and not words:
                    found.append(ProfileLink(profile, page.url, link, False,
                                             "short link without review wording"))
                elif profile.slug == "id" or not slug or not tokens:
                    found.append(ProfileLink(profile, page.url, link, True,
                                             "profile link" if tokens or profile.slug == "id"
                                             else "profile link (brand not checked)"))
                elif slug_matches_brand(slug, tokens):
                    found.append(ProfileLink(profile, page.url, link, True, "slug names the brand"))
                elif profile.name.startswith("Google Maps") and (
                        words or link.region in ("footer", "header")):
                    found.append(ProfileLink(profile, page.url, link, True,
                                             "site-wide map link to the business's place"))
                else:
                    found.append(ProfileLink(profile, page.url, link, False,
                                             f"slug {slug!r} does not name the brand "
                                             f"({', '.join(sorted(tokens)[:3])})"))
                break
    return found


@check(
    id="review-platform-profile",
    category="social-proof",
    severity="low",
    weight=3,
    title="The site links to its profile on an independent review platform",
    failure_title="No link to the business's profile on a review platform",
    fix="Link your public profile on an independent review platform (Trustpilot, Google, Yelp, "
    "ProvenExpert, Tripadvisor ...) from the footer or reviews section, so customers can check "
    "the rating themselves.",
)
def review_platform_profile(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: links to the business's own public profile on an independent platform:
    trustpilot.com/review/<domain>, Trusted Shops certificate pages, Google Maps place / cid /
    g.page review links, Yelp /biz/, Tripadvisor, ProvenExpert, Kiyoh, eKomi, Feefo, Reviews.io,
    Sitejabber, Avis Vérifiés, Capterra, G2, Jameda, Doctoralia, kununu (employer reviews) ...
    (checks/social_proof.toml); an independent platform's widget, which links the profile once
    rendered, counts too.
    Why it matters: a link out to the profile lets customers verify the rating where the
    merchant cannot edit it.
    How to fix: link the profile from the footer or the reviews section.
    Traps: a profile slug that names another business (a blog reviewing other companies, a
    partner's page) is not the site's own and is not counted; shortened map links count only
    when their text speaks of reviews; merchant-hosted review apps (Judge.me, Yotpo) are not
    independent profiles.
    """
    if (early := no_pages(site)) is not None:
        return early
    links = profile_links(site)
    accepted = [p for p in links if p.accepted]
    widgets = [h for h in hits_of_kind(site, "review-platform")
               if h.kind in ("script", "iframe", "markup", "inline")]
    if accepted or widgets:
        evidence = [Evidence(p.page, "link", link_label(p.link) or p.link.url,
                             f"{p.profile.name} ({p.profile.kind} reviews): {p.link.url} — "
                             f"{p.reason}") for p in accepted[:4]]
        evidence += [Evidence(h.page, "script", h.detail,
                              f"{h.vendor.name} widget (links the profile when rendered)")
                     for h in widgets[:2]]
        names = sorted({p.profile.name for p in accepted} | {h.vendor.name for h in widgets})
        return Outcome.passed(f"Links to its review profile on {', '.join(names)}.", evidence)
    evidence = [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                         "links to review-platform profiles (Trustpilot, Google, Yelp ...)")]
    evidence += [Evidence(p.page, "searched", p.link.url, f"not counted: {p.reason}")
                 for p in links[:4]]
    return Outcome.failed("No link to the business's own profile on an independent review "
                          "platform was found.", evidence)
