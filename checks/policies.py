"""Commerce policies: terms, returns and shipping, as pages customers can find."""

from __future__ import annotations

import re

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.contacts import types_of, walk_json
from auditor.detect.pagetypes import find_page_type
from auditor.detect.text import fold
from auditor.site import SiteSnapshot
from checks._common import page_type_outcome


def jsonld_evidence(site: SiteSnapshot, keys: set[str], types: set[str]) -> list[Evidence]:
    """JSON-LD or microdata nodes with one of ``keys`` or of one of ``types``."""
    evidence = []
    for page in site.html_pages:
        assert page.facts is not None
        for source, items in (("jsonld", page.facts.jsonld), ("microdata", page.facts.microdata)):
            for item in items:
                for node in walk_json(item):
                    hit = (keys & node.keys()) or (types & types_of(node))
                    if hit:
                        name = sorted(hit)[0]
                        evidence.append(Evidence(page.url, source, f"{name}: {str(node.get(name, ''))[:120]}", name))
    return evidence[:5]


@check(
    id="terms-of-service",
    category="policies",
    severity="high",
    weight=7,
    title="The site publishes its terms and conditions",
    failure_title="No terms and conditions are linked from the site",
    fix="Publish your terms (of sale or of service) and link them from every footer.",
)
def terms_of_service(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a link named terms and conditions, terms of service or of sale, AGB, CGV,
    términos y condiciones ... (or rel="terms-of-service"), confirmed by the linked page.
    Why it matters: customers read the contract before they pay; Google's merchant rules and
    raters expect published terms.
    How to fix: publish the terms that apply to a purchase or to using the service and link them
    from the footer and the checkout.
    Traps: payment providers' terms (PayPal, Klarna) and reCAPTCHA notices are not the site's
    (T2); a glossary "Terms" page is not a contract (T3).
    """
    return page_type_outcome(site, "terms", "terms and conditions")


DAYS_RE = re.compile(
    r"\b\d{1,3}\s*-?\s*(day|days|tage|tagen|jours|dias|giorni|dagen|werktage|business days)\b"
)


@check(
    id="returns-policy",
    category="policies",
    severity="critical",
    weight=9,
    title="The site links to a returns policy",
    failure_title="No returns policy is linked from the site",
    fix="Publish a returns and refunds page (window, who pays return shipping, how refunds are "
    "paid) and link it from every footer.",
    scope=("shop",),
)
def returns_policy(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a link named returns, refund policy, Widerrufsbelehrung, retours,
    devoluciones ... confirmed by the linked page; schema.org MerchantReturnPolicy markup; or a
    returns section (heading) on a page that states a number of days.
    Why it matters: a clear, easy-to-find returns policy is what lets a customer risk a first
    order; Google requires one for shopping listings and EU shops must explain the 14-day right
    of withdrawal.
    How to fix: publish a returns page with the return window, who pays return shipping and how
    and when refunds are made; link it from the footer and from product pages.
    Traps: "Return to shop" and "Return to top" are not policies (T3); a "Returns" product
    category is not a policy.
    """
    extra = jsonld_evidence(site, {"hasMerchantReturnPolicy"}, {"MerchantReturnPolicy"})
    result = find_page_type(site, "returns")
    if not result.found and not extra:
        for section in result.sections:
            page = next((p for p in site.html_pages if p.url == section.page), None)
            if page is not None and page.facts is not None and DAYS_RE.search(fold(page.facts.text)):
                extra.append(Evidence(section.page, "text", section.heading,
                                      f"h{section.level} returns section stating a number of days"))
                break
    return page_type_outcome(site, "returns", "a returns policy", extra_found=extra or None)


SHIPPING_TEXT_RE = re.compile(
    r"\b(free (shipping|delivery) (over|from|on orders)|shipping costs?|delivery times?|"
    r"versandkostenfrei ab|versandkosten|lieferzeit|livraison (offerte|gratuite) (des|a partir de)|"
    r"frais de (port|livraison)|envio gratis (a partir de|desde)|gastos de envio|"
    r"spedizione gratuita (sopra|da)|costi di spedizione|gratis verzending vanaf|verzendkosten|"
    r"portes gratis|frete gratis|custos de envio)\b"
)


@check(
    id="shipping-info",
    category="policies",
    severity="high",
    weight=6,
    title="The site explains shipping costs and delivery times",
    failure_title="No shipping information is published",
    fix="Publish a shipping page with costs, delivery times and destinations; link it from the "
    "footer and product pages.",
    scope=("shop",),
)
def shipping_info(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a shipping or delivery page (Versand, livraison, envíos ...) confirmed by
    its content; schema.org OfferShippingDetails markup; or shipping-cost wording in the pages
    ("free shipping over €40", "versandkostenfrei ab").
    Why it matters: unexpected delivery costs are the most common reason to abandon a purchase;
    Google's merchant rules ask for shipping information before checkout.
    How to fix: state costs, delivery times and countries on a shipping page and next to prices.
    Traps: "delivery" inside a product description is not shipping information (T3).
    """
    extra = jsonld_evidence(site, {"shippingDetails", "hasShippingService"},
                            {"OfferShippingDetails", "ShippingDeliveryTime"})
    if not extra:
        for page in site.html_pages:
            assert page.facts is not None
            for block in page.facts.blocks:
                if block.region in ("main", "body") and (m := SHIPPING_TEXT_RE.search(fold(block.text))):
                    extra.append(Evidence(page.url, "text", block.text, f"shipping wording '{m.group(0)}'"))
                    break
            if len(extra) >= 2:
                break
    return page_type_outcome(site, "shipping", "shipping information", extra_found=extra or None)
