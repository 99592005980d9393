"""Machine-readable signals: structured data (JSON-LD, microdata), link relations, OpenGraph and
hreflang, which search engines, shopping feeds and browsers read to describe the business.

Markup is read from the extracted JSON-LD (``@graph`` flattened) and microdata of every audited
page; nothing is rendered, so markup injected by JavaScript is not seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from auditor.check_api import Evidence, Outcome, check
from auditor.crawl.urls import normalize_url
from auditor.detect.contacts import types_of, walk_json
from auditor.detect.pagetypes import find_page
from auditor.detect.structured import structured_nodes
from auditor.site import Page, SiteSnapshot
from checks._common import no_pages, plural
from checks.honesty.detectors import load_file

MACHINE_FILE = "machine_readable.toml"
MAX_EVIDENCE = 10


def _items(site: SiteSnapshot) -> Iterator[tuple[Page, str, dict[str, Any]]]:
    """(page, "jsonld" | "microdata", top-level item) of every audited page."""
    for n in structured_nodes(site):
        if n.top:
            yield n.page, n.source, n.node


def _text(value: Any) -> str:
    """A property's value as text: the first non-empty string of a value, list or object."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        for item in value:
            if text := _text(item):
                return text
        return ""
    if isinstance(value, dict):
        for key in ("name", "url", "@id", "contentUrl", "telephone", "email", "value"):
            if text := _text(value.get(key)):
                return text
        return "present" if value else ""
    return ""


def _nodes(item: dict[str, Any], keys: Iterable[str] = ()) -> Iterator[dict[str, Any]]:
    """The item and the objects under the given keys (one level down)."""
    yield item
    for key in keys:
        value = item.get(key)
        for sub in value if isinstance(value, list) else [value]:
            if isinstance(sub, dict):
                yield sub


def _searched(site: SiteSnapshot, what: str) -> Evidence:
    return Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"), what)


# --------------------------------------------------------------------------- organization

CONTACT_FIELDS = ("contactPoint", "telephone", "email", "address")


@check(
    id="organization-markup",
    category="machine-readable",
    severity="low",
    weight=3,
    title="The site describes its organisation in structured data",
    failure_title="No complete Organization or LocalBusiness structured data was found",
    fix="Add JSON-LD of type Organization (or the LocalBusiness subtype that fits) with name, "
    "url, logo and contact details (contactPoint, telephone, address).",
)
def organization_markup(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: JSON-LD or microdata of type Organization or one of its subtypes
    (Corporation, OnlineStore, LocalBusiness, Dentist, Restaurant, Store, Attorney ...) at the
    top level of a page or as the publisher of the WebSite/WebPage or the seller of an Offer,
    with a name and at least one of url, logo or contact details (contactPoint, telephone,
    email, address).
    Why it matters: structured identity lets search engines show the business's knowledge
    panel, logo and contact details, and lets tools cross-check the name and address the
    pages show.
    How to fix: add an Organization block to the home page (schema.org/Organization).
    Traps: a Brand or a product's manufacturer is not the site's organisation; markup added
    by JavaScript after load is not seen; an Organization with only a name identifies nothing
    and is reported as incomplete.
    """
    if (early := no_pages(site)) is not None:
        return early
    types = frozenset(load_file(MACHINE_FILE)["organization"]["types"])
    complete: list[Evidence] = []
    partial: list[Evidence] = []
    for page, source, item in _items(site):
        for node in _nodes(item, ("publisher", "seller")):
            kinds = types_of(node) & types
            if not kinds:
                continue
            name = _text(node.get("name"))
            fields = [f for f in ("url", "logo", *CONTACT_FIELDS) if _text(node.get(f))]
            label = f"{sorted(kinds)[0]} “{name or '(no name)'}”"
            if name and fields:
                complete.append(Evidence(page.url, source, label, "with " + ", ".join(fields)))
            else:
                missing = ([] if name else ["name"]) + ([] if fields else ["url/logo/contact"])
                partial.append(Evidence(page.url, source, label, "missing " + ", ".join(missing)))
    if complete:
        return Outcome.passed(f"Found {complete[0].snippet} in structured data "
                              f"({complete[0].locator}).", complete[:MAX_EVIDENCE])
    if partial:
        return Outcome.failed(f"Organization markup is incomplete: {partial[0].snippet}, "
                              f"{partial[0].locator}.", partial[:MAX_EVIDENCE])
    return Outcome.failed("No Organization or LocalBusiness structured data was found.",
                          [_searched(site, "JSON-LD and microdata of every page")])


# --------------------------------------------------------------------------- product

PRODUCT_TYPES = frozenset({"Product", "ProductGroup", "IndividualProduct", "ProductModel",
                           "SomeProducts", "Vehicle", "Book"})


def _offer_price(offer: dict[str, Any]) -> tuple[str, str]:
    """(price, currency) of an Offer or AggregateOffer, from the offer or its priceSpecification."""
    price = _text(offer.get("price")) or _text(offer.get("lowPrice"))
    currency = _text(offer.get("priceCurrency"))
    spec = offer.get("priceSpecification")
    for sub in spec if isinstance(spec, list) else [spec]:
        if isinstance(sub, dict):
            price = price or _text(sub.get("price"))
            currency = currency or _text(sub.get("priceCurrency"))
    return price, currency


@check(
    id="product-markup",
    category="machine-readable",
    severity="low",
    weight=3,
    title="Products carry structured data with price and currency",
    failure_title="No Product structured data with an offer price and currency was found",
    fix="Give every product page JSON-LD of type Product with offers (Offer: price, "
    "priceCurrency, availability); shop platforms and SEO plugins can generate it.",
    scope=("shop",),
)
def product_markup(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: JSON-LD or microdata Product (or ProductGroup) with ``offers`` holding
    an Offer or AggregateOffer with a price (or lowPrice, or a priceSpecification price) and
    a priceCurrency.
    Why it matters: shopping results and price comparisons read the price from this markup;
    a product without it is shown without a price, or not at all.
    How to fix: add Product markup with a complete offer to product pages.
    Traps: a Product without offers (a catalogue page) is reported as incomplete, not as
    markup with a price; prices rendered by JavaScript are not seen.
    """
    if (early := no_pages(site)) is not None:
        return early
    complete: list[Evidence] = []
    partial: list[Evidence] = []
    for page, source, item in _items(site):
        for node in walk_json(item):
            if not types_of(node) & PRODUCT_TYPES:
                continue
            name = _text(node.get("name")) or "(no name)"
            offers = node.get("offers")
            offers = [o for o in (offers if isinstance(offers, list) else [offers])
                      if isinstance(o, dict)]
            prices = [_offer_price(o) for o in offers]
            good = [(p, c) for p, c in prices if p and c]
            if good:
                complete.append(Evidence(page.url, source, f"Product “{name}”",
                                         f"offer {good[0][0]} {good[0][1]}"))
            elif not any("hasVariant" in k for k in node):  # a group's variants speak for it
                what = "no offers" if not offers else "offer without " + " and ".join(
                    x for x, missing in (("price", not any(p for p, _ in prices)),
                                         ("priceCurrency", not any(c for _, c in prices)))
                    if missing)
                partial.append(Evidence(page.url, source, f"Product “{name}”", what))
    if complete:
        return Outcome.passed(f"Found Product markup with a price on "
                              f"{plural(len({e.url for e in complete}), 'page')}.",
                              complete[:MAX_EVIDENCE])
    if partial:
        return Outcome.failed(f"Product markup lacks a complete offer: {partial[0].snippet} "
                              f"({partial[0].locator}).", partial[:MAX_EVIDENCE])
    return Outcome.failed("No Product structured data was found.",
                          [_searched(site, "JSON-LD and microdata Product with offers")])


# --------------------------------------------------------------------------- return policy

RETURN_FIELDS = ("returnPolicyCategory", "merchantReturnDays", "merchantReturnLink",
                 "applicableCountry", "returnFees", "returnMethod")


def _typed_nodes(site: SiteSnapshot, wanted: frozenset[str], keys: Iterable[str]
                 ) -> Iterator[tuple[Page, str, dict[str, Any]]]:
    """Objects of the wanted types, or under the given property names, anywhere in the markup."""
    keys = tuple(keys)
    for page, source, item in _items(site):
        for node in walk_json(item):
            if types_of(node) & wanted:
                yield page, source, node
            for key in keys:
                value = node.get(key)
                for sub in value if isinstance(value, list) else [value]:
                    if isinstance(sub, dict) and not types_of(sub) & wanted:
                        yield page, source, sub


@check(
    id="return-policy-markup",
    category="machine-readable",
    severity="info",
    weight=2,
    title="The returns policy is described in structured data",
    failure_title="No MerchantReturnPolicy structured data was found",
    fix="Describe the returns policy as schema.org MerchantReturnPolicy (returnPolicyCategory, "
    "merchantReturnDays, returnFees, applicableCountry) on the Organization or the offers.",
    scope=("shop",),
)
def return_policy_markup(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a MerchantReturnPolicy object (on the Organization as
    hasMerchantReturnPolicy, or on an Offer) with at least one of returnPolicyCategory,
    merchantReturnDays, merchantReturnLink, applicableCountry, returnFees, returnMethod.
    Why it matters: Google shows return windows and fees next to products from this markup;
    buyers see the policy before they click.
    How to fix: add MerchantReturnPolicy markup that matches the written policy.
    Traps: an empty MerchantReturnPolicy object says nothing and does not count; the written
    returns policy is judged by returns-policy, not here.
    """
    if (early := no_pages(site)) is not None:
        return early
    found: list[Evidence] = []
    empty: list[Evidence] = []
    for page, source, node in _typed_nodes(site, frozenset({"MerchantReturnPolicy"}),
                                           ("hasMerchantReturnPolicy",)):
        fields = [f for f in RETURN_FIELDS if _text(node.get(f))]
        detail = ", ".join(f"{f}={_text(node.get(f))[:40]}" for f in fields[:3])
        (found if fields else empty).append(
            Evidence(page.url, source, "MerchantReturnPolicy", detail or "no fields"))
    if found:
        return Outcome.passed(f"Found MerchantReturnPolicy markup ({found[0].locator}).",
                              found[:MAX_EVIDENCE])
    return Outcome.failed("No MerchantReturnPolicy structured data with content was found.",
                          [_searched(site, "JSON-LD and microdata MerchantReturnPolicy")]
                          + empty[:3])


# --------------------------------------------------------------------------- shipping

SHIPPING_FIELDS = ("shippingRate", "deliveryTime", "shippingDestination", "shippingConditions",
                   "handlingTime", "transitTime", "fulfillmentType")


@check(
    id="shipping-markup",
    category="machine-readable",
    severity="info",
    weight=1,
    title="Shipping terms are described in structured data",
    failure_title="No shipping structured data (OfferShippingDetails, ShippingService) was found",
    fix="Add OfferShippingDetails to product offers (shippingRate, shippingDestination, "
    "deliveryTime), or a ShippingService on the Organization (hasShippingService).",
    scope=("shop",),
)
def shipping_markup(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: OfferShippingDetails (an Offer's shippingDetails) or ShippingService
    (an Organization's hasShippingService) with at least one of shippingRate, deliveryTime,
    shippingDestination, shippingConditions, handlingTime, transitTime, fulfillmentType.
    Why it matters: search engines show shipping costs and delivery times from this markup,
    so buyers know the full price before they visit.
    How to fix: add shipping details to the offers or a ShippingService to the organisation.
    Traps: an empty shipping object does not count; the written shipping page is judged by
    shipping-info, not here.
    """
    if (early := no_pages(site)) is not None:
        return early
    found: list[Evidence] = []
    for page, source, node in _typed_nodes(
            site, frozenset({"OfferShippingDetails", "ShippingService", "ShippingConditions"}),
            ("shippingDetails", "hasShippingService")):
        fields = [f for f in SHIPPING_FIELDS if _text(node.get(f))]
        if fields:
            kind = sorted(types_of(node))[0] if types_of(node) else "shipping details"
            found.append(Evidence(page.url, source, kind, "with " + ", ".join(fields[:4])))
    if found:
        return Outcome.passed(f"Found shipping structured data ({found[0].snippet} "
                              f"{found[0].locator}).", found[:MAX_EVIDENCE])
    return Outcome.failed("No OfferShippingDetails or ShippingService structured data was found.",
                          [_searched(site, "JSON-LD and microdata shipping details")])


# --------------------------------------------------------------------------- rel links

POLICY_RELS = ("privacy-policy", "terms-of-service")


@check(
    id="policy-rel-links",
    category="machine-readable",
    severity="info",
    weight=1,
    title="Policies are marked with rel=\"privacy-policy\" / rel=\"terms-of-service\"",
    failure_title="No rel=\"privacy-policy\" or rel=\"terms-of-service\" link relation was found",
    fix="Add <link rel=\"privacy-policy\" href=\"/privacy\"> and <link rel=\"terms-of-service\" "
    "href=\"/terms\"> to the page head, or rel attributes on the footer links (RFC 6903).",
)
def policy_rel_links(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: the RFC 6903 link relations ``rel="privacy-policy"`` and
    ``rel="terms-of-service"`` on ``<link>`` elements or ``<a>`` links of any audited page.
    It passes when at least one is present and names which.
    Why it matters: browsers, assistants and auditing tools find the policies without
    guessing from link texts.
    How to fix: add the link relations to the template's head or footer links.
    Traps: the relation must be spelled exactly ("privacy-policy", not "privacy"); a link
    relation to another site's policy (a payment provider's) is still reported with its
    address so it can be checked.
    """
    if (early := no_pages(site)) is not None:
        return early
    found: dict[str, list[Evidence]] = {rel: [] for rel in POLICY_RELS}
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            for rel in POLICY_RELS:
                if rel in link.rel and link.url:
                    element = "<a>" if link.text or link.region != "header" else "<link>"
                    found[rel].append(Evidence(page.url, "link", link.url,
                                               f'{element} rel="{rel}"'))
    present = [rel for rel in POLICY_RELS if found[rel]]
    evidence = [e for rel in POLICY_RELS for e in found[rel][:3]]
    if present:
        missing = [rel for rel in POLICY_RELS if rel not in present]
        note = f"; rel=\"{missing[0]}\" is not used" if missing else ""
        return Outcome.passed(
            "Found " + " and ".join(f'rel="{r}"' for r in present) + note + ".", evidence)
    return Outcome.failed(
        "No page marks its policies with rel=\"privacy-policy\" or rel=\"terms-of-service\".",
        [_searched(site, "rel attributes of <link> and <a> elements")])


# --------------------------------------------------------------------------- opengraph

OG_REQUIRED = ("og:title", "og:type", "og:url", "og:image")


@check(
    id="opengraph",
    category="machine-readable",
    severity="info",
    weight=1,
    title="The start page has OpenGraph metadata",
    failure_title="The start page lacks OpenGraph metadata (og:title, og:type, og:url, og:image)",
    fix="Add <meta property=\"og:title\">, og:type, og:url and og:image to the home page's "
    "head (most CMS and SEO plugins can do it).",
)
def opengraph(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: the four properties the OpenGraph protocol requires (ogp.me) on the
    start page: og:title, og:type, og:url and og:image, each with a value.
    Why it matters: when the site is shared in a chat or on social media, these make a
    recognisable card with the business's name and image instead of a bare link.
    How to fix: add the four meta tags to the home page's head.
    Traps: the properties are read from the start page as served (not from other pages);
    tags injected by JavaScript are not seen by most link previewers either; an empty content
    attribute counts as missing.
    """
    if (early := no_pages(site)) is not None:
        return early
    page = site.start_page
    assert page is not None and page.facts is not None
    values: dict[str, str] = {}
    for key, value in page.facts.meta:
        if key in OG_REQUIRED and value.strip() and key not in values:
            values[key] = value.strip()
    evidence = [Evidence(page.url, "meta", values[k], k) for k in OG_REQUIRED if k in values]
    missing = [k for k in OG_REQUIRED if k not in values]
    if not missing:
        return Outcome.passed(f"The start page has og:title “{values['og:title']}” and the other "
                              "required OpenGraph properties.", evidence)
    evidence.append(Evidence(page.url, "searched", "missing: " + ", ".join(missing),
                             "<meta property=\"og:*\"> of the start page"))
    return Outcome.failed(f"The start page lacks {', '.join(missing)}.", evidence)


# --------------------------------------------------------------------------- hreflang

_CODE_RE = re.compile(
    r"^(?P<lang>[a-z]{2,3})(?:-(?P<script>[a-z]{4}))?(?:-(?P<region>[a-z]{2}|\d{3}))?$")


def valid_hreflang(code: str) -> bool:
    """x-default, or language[-Script][-REGION] with an ISO 639-1 language (or a three-letter
    code) and an ISO 3166-1 alpha-2 (or UN M.49 numeric) region; case-insensitive."""
    code = code.strip().lower()
    if code == "x-default":
        return True
    m = _CODE_RE.match(code)
    if m is None:
        return False
    data = load_file(MACHINE_FILE)["hreflang"]
    if len(m["lang"]) == 2 and m["lang"] not in data["languages"]:
        return False
    region = m["region"]
    return not region or region.isdigit() or region in data["regions"]


@check(
    id="hreflang",
    category="machine-readable",
    severity="info",
    weight=1,
    title="Language versions are linked consistently (hreflang)",
    failure_title="hreflang annotations are inconsistent (invalid codes or missing return links)",
    fix="Use valid codes (\"de\", \"en-GB\", \"x-default\"; not \"en-UK\" or \"en_US\"), and let "
    "every language version list all the others, itself included, so each link is returned.",
)
def hreflang(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: the ``<link rel="alternate" hreflang>`` annotations of every audited
    page: each code must be valid (ISO 639-1 language, optional script, ISO 3166-1 region,
    or x-default), each alternate that was crawled must answer and must link back to the
    page (the return link search engines require), and whether an x-default exists is
    reported. Not applicable when no page declares hreflang.
    Why it matters: customers land on their own language and country version only when the
    annotations agree; broken ones send them to the wrong language or currency.
    How to fix: list all versions, with valid codes, on every version.
    Traps: alternates on other domains or beyond the crawl limits cannot be checked and are
    counted as "not verified", never as missing; common code mistakes ("en-uk", "en_us",
    "jp", "cz", "dk") are invalid; a missing x-default is reported, not failed (it is a
    recommendation).
    """
    if (early := no_pages(site)) is not None:
        return early
    annotated = [p for p in site.html_pages if p.facts is not None and p.facts.hreflang]
    if not annotated:
        return Outcome.not_applicable("No audited page declares hreflang alternates.")
    problems: list[Evidence] = []
    verified = unverified = 0
    has_default = False
    for page in annotated:
        assert page.facts is not None
        own = {page.url, page.final_url or page.url}
        if page.facts.canonical:
            own.add(normalize_url(page.facts.canonical))
        for code, url in page.facts.hreflang:
            has_default = has_default or code.strip().lower() == "x-default"
            if not valid_hreflang(code):
                problems.append(Evidence(page.url, "meta", f'hreflang="{code}" → {url}',
                                         "invalid language or region code"))
            target_url = normalize_url(url)
            if not target_url or target_url in own:
                continue
            target = find_page(site, target_url)
            if target is None:
                unverified += 1
                continue
            if target.status >= 400 or (target.status == 0 and target.error):
                problems.append(Evidence(page.url, "meta", f'hreflang="{code}" → {url}',
                                         f"alternate answers {target.error or target.status}"))
                continue
            if target.facts is None:
                unverified += 1
                continue
            verified += 1
            back = {normalize_url(u) for _, u in target.facts.hreflang}
            if not back & own:
                problems.append(Evidence(page.url, "meta", f'hreflang="{code}" → {url}',
                                         f"{url} does not link back to {page.url}"))
    default_note = "" if has_default else " No x-default is declared (recommended, not required)."
    pairs = sum(len(p.facts.hreflang) for p in annotated if p.facts is not None)
    if problems:
        return Outcome.failed(
            f"{plural(len(problems), 'hreflang problem')} on {plural(len(annotated), 'page')}: "
            f"{problems[0].locator}.{default_note}", problems[:MAX_EVIDENCE])
    evidence = [Evidence(p.url, "meta", ", ".join(c for c, _ in p.facts.hreflang[:8]),
                         "hreflang alternates") for p in annotated[:3] if p.facts is not None]
    if verified == 0 and unverified:
        return Outcome.unknown(
            f"The codes are valid, but none of the alternates was audited (other domains or "
            f"beyond the crawl), so return links could not be checked.{default_note}", evidence)
    note = f" ({unverified} alternates not audited, not verified)" if unverified else ""
    return Outcome.passed(
        f"{plural(pairs, 'hreflang annotation')} on {plural(len(annotated), 'page')} use valid "
        f"codes and {plural(verified, 'alternate')} checked link back{note}.{default_note}",
        evidence)
