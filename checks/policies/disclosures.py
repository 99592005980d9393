"""Statements a shop owes about what it shows: how reviews are checked, and how accessible the
site is."""

from __future__ import annotations

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.contacts import types_of, walk_json
from auditor.detect.pagetypes import find_page_type
from auditor.detect.vendors import hits_of_kind, vendor_profile_links
from auditor.site import SiteSnapshot
from checks._common import no_pages, page_type_outcome, plural
from checks._region import region
from checks._wording import folded, window, wording

HIT_KIND = {"script": "script", "inline": "script", "iframe": "iframe", "image": "image",
            "link": "link", "markup": "text"}


def _count(node: dict[str, object]) -> int:
    for key in ("reviewCount", "ratingCount"):
        try:
            return int(str(node.get(key, "")).strip() or 0)
        except ValueError:
            continue
    return 0


def reviews_shown(site: SiteSnapshot) -> tuple[list[Evidence], list[Evidence]]:
    """(reviews visible in the HTML, review widgets whose reviews JavaScript renders): rating
    and review markup with reviews in it, testimonial pages and sections, and review vendors."""
    static: list[Evidence] = []
    for page in site.html_pages:
        assert page.facts is not None
        for source, items in (("jsonld", page.facts.jsonld), ("microdata", page.facts.microdata)):
            hit = next((node for item in items for node in walk_json(item)
                        if ("AggregateRating" in types_of(node) and _count(node) > 0)
                        or ("Review" in types_of(node) and node.get("reviewBody"))), None)
            if hit is not None:
                what = (f"AggregateRating with {_count(hit)} reviews" if _count(hit)
                        else "Review markup")
                static.append(Evidence(page.url, source, what, "review markup"))
    empty = wording("reviews", "empty_re")
    texts = {p.url: folded(p.facts.text) for p in site.html_pages if p.facts is not None}
    for type_name in ("testimonials", "reviews"):
        result = find_page_type(site, type_name)
        for cand in result.accepted[:1]:
            if not empty.search(texts.get(cand.page.url if cand.page else cand.url, "")):
                static.append(Evidence(cand.url, "page", cand.head_text, f"{type_name} page"))
        for section in result.sections:
            if not empty.search(folded(section.heading) + " " + texts.get(section.page, "")):
                static.append(Evidence(section.page, "text", section.heading,
                                       f"{type_name} section"))
                break
    widgets = [Evidence(h.page, HIT_KIND.get(h.kind, "text"), h.detail,
                        f"{h.vendor.name} ({h.vendor.kind})")
               for h in hits_of_kind(site, "review-platform", "review-app") if h.kind != "link"]
    return static, widgets[:3]


def _independent_platforms(site: SiteSnapshot) -> list[Evidence]:
    """Widgets of, and profile links to, platforms that collect and check reviews themselves."""
    evidence = [Evidence(h.page, HIT_KIND.get(h.kind, "text"), h.detail,
                         f"{h.vendor.name}: an independent review platform")
                for h in hits_of_kind(site, "review-platform")]
    evidence += [Evidence(url, "link", link.text or link.url,
                          f"profile on an independent review platform: {link.url}")
                 for url, link in vendor_profile_links(site, "review-platform")]
    return evidence[:3]


@check(
    id="review-authenticity",
    category="policies",
    severity="medium",
    weight=5,
    title="The shop says whether and how its reviews are verified",
    failure_title="Reviews are shown without saying whether they are verified",
    fix="Near the reviews (or on a linked page) say how reviews are collected and whether and how "
    "you check that they come from real customers — or that you do not check them.",
    scope=("shop",),
)
def review_authenticity(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: when the site shows reviews or testimonials (review widgets, rating or
    review markup, review and testimonial pages or sections): a statement on how they are
    collected or verified ("verified purchase", "verifizierter Kauf", "achat vérifié",
    "compra verificada", "acquisto verificato", "geverifieerde aankoop", "Echtheit der
    Bewertungen", "how we verify reviews", "reviews are moderated", "only customers who
    bought ... can review"), or reviews collected by an independent platform (Trustpilot,
    Trusted Shops, eKomi, Feefo, Google ...), whose verification policy is public.
    Why it matters: since the Omnibus Directive (UCPD Art. 7(6)) a trader that shows consumer
    reviews must say whether and how it ensures they come from real customers; the 2022 EU
    sweep found most shops did not.
    How to fix: add one sentence near the reviews and a short page on how reviews are
    collected and checked.
    Traps: not applicable when no reviews are shown, and an empty "Reviews (0)" tab shows none
    (T3); saying that reviews are NOT checked also informs and counts; an independent
    platform's widget is partial evidence (its policy applies); a merchant's own review app
    (Judge.me, Yotpo) renders its reviews and badges with JavaScript, so with nothing else
    shown the verdict is unknown; shops that face no EU customers are not applicable.
    """
    if (early := no_pages(site)) is not None:
        return early
    static, widgets = reviews_shown(site)
    shown = static + widgets
    if not shown:
        return Outcome.not_applicable("No reviews or testimonials are shown, so no statement "
                                      "about their verification is needed.")
    statement = wording("reviews", "statement_re")
    found: list[Evidence] = []
    for page in site.html_pages:
        assert page.facts is not None
        for block in page.facts.blocks:
            text = folded(block.text)
            if m := statement.search(text):
                found.append(Evidence(page.url, "text", window(block.text, m.start(), m.end()),
                                      "review verification statement"))
                break
        if len(found) >= 2:
            break
    facing = region(site)
    platform = _independent_platforms(site)
    if not facing.eu:
        return Outcome.not_applicable(
            "The review-information duty (UCPD Art. 7(6)) is EU law; " + facing.reason + ".",
            found=bool(found or platform))
    if found:
        return Outcome.passed("The site says how its reviews are verified.", found + shown[:1])
    if platform:
        return Outcome.passed(
            "The reviews come from an independent platform, which publishes how it collects and "
            "checks them (partial evidence: the site itself says nothing).", platform + shown[:1])
    if not static:
        return Outcome.unknown(
            "The reviews come from a widget that JavaScript renders; a \"verified\" badge or "
            "statement inside it cannot be seen by a static audit.", widgets)
    return Outcome.failed(
        "Reviews or testimonials are shown, but nothing says whether or how they are verified.",
        shown[:3] + [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                              "verified purchase, review verification and moderation "
                              "statements")])


@check(
    id="accessibility-statement",
    category="policies",
    severity="low",
    weight=2,
    title="The site publishes an accessibility statement",
    failure_title="No accessibility statement was found",
    fix="Publish an accessibility statement: the standard you aim for (WCAG 2.1 AA / EN 301 549), "
    "known gaps, and how to report a barrier. EU e-commerce falls under the European "
    "Accessibility Act from 28 June 2025.",
)
def accessibility_statement(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: an accessibility statement linked from the site (accessibility
    statement, Erklärung zur Barrierefreiheit, déclaration d'accessibilité, declaración de
    accesibilidad, dichiarazione di accessibilità, toegankelijkheidsverklaring, declaração de
    acessibilidade), confirmed by its content (WCAG, EN 301 549, screen readers, feedback
    mechanism).
    Why it matters: it tells customers with disabilities what works and how to get help; the
    European Accessibility Act (Directive 2019/882) asks e-commerce services in the EU for
    accessibility information from 28 June 2025 (small enterprises are exempt).
    How to fix: publish the statement and link it from the footer.
    Traps: accessibility overlay widgets (accessiBe, UserWay, EqualWeb) and a toolbar button
    labelled "Accessibility" are not a statement; in-page anchors and script links are not
    pages (T1).
    """
    return page_type_outcome(site, "accessibility", "an accessibility statement")
