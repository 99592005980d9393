"""What other customers say: testimonials on the site and reviews customers can check."""

from __future__ import annotations

import re

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.contacts import types_of, walk_json
from auditor.detect.pagetypes import find_page_type
from auditor.detect.text import strip_accents
from auditor.detect.vendors import hits_of_kind, load_vendors
from auditor.site import SiteSnapshot
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
                    evidence.append(Evidence(page.url, "jsonld", f"Review by {name}", "schema.org Review"))
                    break
    if evidence:
        return Outcome.passed("Found customer testimonials.", evidence[:6])
    return Outcome.failed(
        f"No testimonials were found on the {plural(len(site.html_pages), 'page')} audited.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "testimonial headings, pages, markup and Review markup")],
    )


RATING_TEXT_RE = re.compile(
    r"\b[0-5](?:[.,]\d)?\s*(?:★|☆|/\s*5|out of 5|stars?|sterne|etoiles|estrellas|stelle|sterren|"
    r"estrelas)(?:.{0,40}?)\b(\d[\d.,]*)\s*(reviews?|ratings?|bewertungen|rezensionen|avis|"
    r"opiniones|resenas|valoraciones|recensioni|beoordelingen|reviews|avaliacoes|opinioes)\b"
)


def rating_markup(site: SiteSnapshot) -> list[Evidence]:
    evidence = []
    for page in site.html_pages:
        assert page.facts is not None
        for source, items in (("jsonld", page.facts.jsonld), ("microdata", page.facts.microdata)):
            for item in items:
                for node in walk_json(item):
                    if "AggregateRating" in types_of(node) or "aggregateRating" in node:
                        rating = node.get("aggregateRating", node)
                        value = rating.get("ratingValue") if isinstance(rating, dict) else ""
                        count = (rating.get("reviewCount") or rating.get("ratingCount")
                                 if isinstance(rating, dict) else "")
                        evidence.append(Evidence(page.url, source,
                                                 f"AggregateRating {value} ({count} reviews)",
                                                 "schema.org AggregateRating"))
                        break
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
    profile_vendors = [v for v in load_vendors() if v.links and v.kind in ("review-platform",)]
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            if link.url and any(v.link_matches(link.url) for v in profile_vendors):
                evidence.append(Evidence(page.url, "link", link.text or link.url, f"review profile {link.url}"))
        for block in page.facts.blocks:
            if len(block.text) < 300 and (m := RATING_TEXT_RE.search(strip_accents(block.text.casefold()))):
                evidence.append(Evidence(page.url, "text", block.text, f"rating with count: {m.group(0)}"))
    evidence += rating_markup(site)
    if evidence:
        return Outcome.passed("Found reviews customers can check.", evidence[:6])
    return Outcome.failed(
        "No review widget, review-platform link or rating markup was found.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "review vendor scripts, profile links, AggregateRating, ratings with counts")],
    )
