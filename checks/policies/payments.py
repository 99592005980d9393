"""Money before checkout: which payment methods the shop takes, and whether its prices say
what they include (VAT, shipping)."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.contacts import types_of, walk_json
from auditor.detect.pagetypes import find_page_type
from auditor.detect.sitekind import ADD_TO_CART
from auditor.detect.structured import structured_nodes
from auditor.detect.text import fold, phrase_regex
from auditor.detect.vendors import hits_of_kind
from auditor.site import SiteSnapshot
from checks._common import no_pages, page_type_evidence, plural
from checks._region import region
from checks._wording import commerce_data, folded, window, wording

# --------------------------------------------------------------------------- payment methods


@cache
def _method_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = commerce_data()["payment"]
    clear = phrase_regex(data["names"])
    ambiguous = phrase_regex(data["ambiguous"])
    assert clear is not None and ambiguous is not None
    return clear, ambiguous, re.compile(data["marker_re"], re.I)


def _names_in(text: str) -> tuple[set[str], set[str]]:
    clear, ambiguous, _ = _method_res()
    folded_text = fold(text)
    return set(clear.findall(folded_text)), set(ambiguous.findall(folded_text))


def _file_stem(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", " ")


def _excluded_pages(site: SiteSnapshot) -> set[str]:
    """Privacy and cookie policies name payment providers as data processors, not as the
    methods a customer can choose."""
    urls: set[str] = set()
    for type_name in ("privacy", "cookies"):
        for cand in find_page_type(site, type_name).accepted:
            urls.add(cand.url)
            if cand.page is not None:
                urls.add(cand.page.url)
    return urls


@check(
    id="payment-methods",
    category="policies",
    severity="medium",
    weight=4,
    title="The shop lists the payment methods it accepts",
    failure_title="The accepted payment methods are not disclosed",
    fix="List the payment methods (cards, PayPal, invoice, bank transfer ...) on a payment page "
    "and as icons with alt text in the footer.",
    scope=("shop",),
)
def payment_methods(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a payment-methods page (payment methods, Zahlungsarten, moyens de
    paiement, métodos de pago, metodi di pagamento, betaalmethoden, métodos de pagamento)
    confirmed by its content; payment icons (image alt, title or file name, link labels,
    theme markers such as "list-payment"); text naming methods (Visa, Mastercard, PayPal,
    Klarna, SEPA, iDEAL, Bancontact, Bizum, MB Way, Multibanco, Twint, Kauf auf Rechnung,
    virement ...); payment-provider widgets (PayPal buttons, Klarna messaging, Apple Pay ...).
    Why it matters: buyers want to know before checkout that they can pay the way they trust;
    Google's merchant rules count missing payment information as misrepresentation.
    How to fix: list the methods on a payment page and show their icons in the footer.
    Traps: privacy and cookie policies name PayPal or Stripe as data processors, not as
    methods, and are not read; words that are also ordinary words ("ideal", "discover",
    "visa", "Rechnung") count in text only beside another method; the shop platform itself
    (Shopify) is not a payment method.
    """
    if (early := no_pages(site)) is not None:
        return early
    result = find_page_type(site, "payment")
    if result.found and result.best is not None:
        return Outcome.passed(f"Found a payment-methods page: {result.best.url}.",
                              page_type_evidence(result))
    _, _, marker_re = _method_res()
    context = wording("payment", "context_re")
    skip = _excluded_pages(site)
    evidence: list[Evidence] = []
    methods: set[str] = set()
    seen_blocks: set[str] = set()
    for page in site.html_pages:
        assert page.facts is not None
        if page.url in skip:
            continue
        facts = page.facts
        for image in facts.images:
            label = image.alt or image.title
            names, unclear = _names_in(label) if len(label) <= 40 else (set(), set())
            if not names and not unclear and image.src:
                names, unclear = _names_in(_file_stem(image.src))
            if names or unclear:
                methods |= names | unclear
                evidence.append(Evidence(page.url, "image", label or image.src,
                                         f"payment icon: {', '.join(sorted(names | unclear))}"))
        for link in facts.links:
            label = link.img_alt or link.aria_label or link.title
            names, unclear = _names_in(label) if 0 < len(label) <= 40 else (set(), set())
            if names or unclear:
                methods |= names | unclear
                evidence.append(Evidence(
                    page.url, "link", label,
                    f"payment icon link: {', '.join(sorted(names | unclear))}"))
        for marker in facts.markers:
            if marker_re.match(marker):
                evidence.append(Evidence(page.url, "text", marker, "payment-icon list markup"))
                break
        for block in facts.blocks:
            if len(block.text) > 300 or block.text in seen_blocks:
                continue
            seen_blocks.add(block.text)
            names, unclear = _names_in(block.text)
            if len(names | unclear) >= 2 and names or names and context.search(
                    folded(block.text)):
                methods |= names | unclear
                evidence.append(Evidence(
                    page.url, "text", block.text,
                    f"payment methods named: {', '.join(sorted(names | unclear))}"))
        if len(evidence) >= 6:
            break
    platforms = set(commerce_data()["payment"]["platform_vendors"])
    hits = [h for h in hits_of_kind(site, "payment") if h.vendor.id not in platforms]
    kinds = {"script": "script", "inline": "script", "iframe": "iframe", "image": "image",
             "link": "link", "markup": "text"}
    evidence += [Evidence(h.page, kinds.get(h.kind, "text"), h.detail,
                          f"payment provider on the page: {h.vendor.name}") for h in hits[:3]]
    if evidence:
        shown = sorted(methods) or sorted({h.vendor.name for h in hits})
        return Outcome.passed(
            "The shop shows its payment methods" + (f": {', '.join(shown[:6])}." if shown
                                                   else "."), evidence[:6])
    return Outcome.failed(
        "No payment-methods page, payment icons or listed methods were found.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "payment page, icon alt texts and file names, method names, provider widgets "
                  "(privacy and cookie policies skipped)")])


# --------------------------------------------------------------------------- prices


def _offer_prices(site: SiteSnapshot) -> tuple[list[Evidence], list[Evidence]]:
    """(Offer prices with a currency, valueAddedTaxIncluded statements) from markup."""
    prices: list[Evidence] = []
    vat: list[Evidence] = []
    for n in structured_nodes(site):
        node = n.node
        if "valueAddedTaxIncluded" in node and not vat:
            vat.append(Evidence(n.page.url, n.source,
                                f"valueAddedTaxIncluded: {node['valueAddedTaxIncluded']}",
                                "PriceSpecification"))
        if n.types & {"Offer", "AggregateOffer", "PriceSpecification"} and (
                node.get("price") or node.get("lowPrice")) and (
                node.get("priceCurrency")) and len(prices) < 2:
            prices.append(Evidence(n.page.url, n.source,
                                   f"price: {node.get('price') or node.get('lowPrice')}"
                                   f" {node.get('priceCurrency')}", "Offer markup"))
    return prices, vat


def _product_pages(site: SiteSnapshot) -> list[str]:
    """Pages that sell one product: Product markup, or an add-to-cart button or link."""
    urls = []
    for page in site.html_pages:
        assert page.facts is not None
        facts = page.facts
        product = any("Product" in types_of(node) for item in (*facts.jsonld, *facts.microdata)
                      for node in walk_json(item))
        buttons = [f.label or f.value for form in facts.forms for f in form.fields
                   if f.tag == "button" or f.type in ("submit", "button")]
        buy = any(ADD_TO_CART.search(fold(t)) for t in buttons) or any(
            ADD_TO_CART.search(fold(link.text)) for link in facts.links if link.text)
        if product or buy:
            urls.append(page.url)
    return urls


@check(
    id="price-transparency",
    category="policies",
    severity="high",
    weight=6,
    title="Prices say whether they include VAT and what shipping costs",
    failure_title="Prices do not say whether VAT is included or what shipping costs",
    fix="Next to prices (or in a site-wide note) state \"incl. VAT\" / \"inkl. MwSt.\" / \"TTC\" / "
    "\"IVA incluido\" and \"plus shipping\" with a link to the shipping costs.",
    scope=("shop",),
)
def price_transparency(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: prices shown with a currency (text or Offer markup); a statement of
    their tax status (incl. VAT, inc. VAT, tax included, inkl. MwSt., zzgl. MwSt., § 19 UStG,
    TTC, HT, IVA incluido, IVA inclusa, incl. btw, IVA incluído ...) anywhere on the site or
    valueAddedTaxIncluded markup; and a reference to shipping costs (zzgl. Versandkosten,
    plus shipping, frais de port, gastos de envío, spese di spedizione, verzendkosten, portes
    ...) or a shipping page. It passes when both are there.
    Why it matters: EU and UK consumers must see the full price; a missing VAT or shipping
    note is a classic ground for warning letters in Germany (PAngV) and a surprise at
    checkout, the top reason for abandoned carts.
    How to fix: add the VAT note beside prices or in the footer and link the shipping costs.
    Traps: US prices legitimately exclude sales tax, so only shops facing EU or UK customers are
    judged; a shop whose prices are rendered by JavaScript shows none to a static audit
    (unknown), and one whose product pages were not audited cannot be judged either (the
    notes often sit there only); a VAT note in the footer counts for the whole site; hidden
    fees at checkout are judged by the honesty checks, not here.
    """
    if (early := no_pages(site)) is not None:
        return early
    price_re = wording("prices", "price_re")
    vat_re = wording("prices", "vat_re")
    shipping_re = wording("prices", "shipping_re")
    prices, vat = _offer_prices(site)
    shipping: list[Evidence] = []
    seen: set[str] = set()
    for page in site.html_pages:
        assert page.facts is not None
        for block in page.facts.blocks:
            if block.text in seen:
                continue
            seen.add(block.text)
            text = folded(block.text)
            if len(prices) < 2 and block.region not in ("header", "nav", "footer") and len(
                    block.text) <= 200 and (m := price_re.search(block.text)):
                prices.append(Evidence(page.url, "text", block.text, f"price: {m.group(0)}"))
            if not vat and (m := vat_re.search(text)):
                vat.append(Evidence(page.url, "text", window(block.text, m.start(), m.end()),
                                    f"tax statement: '{m.group(0)}'"))
            if not shipping and (m := shipping_re.search(text)):
                shipping.append(Evidence(page.url, "text",
                                         window(block.text, m.start(), m.end()),
                                         f"shipping note: '{m.group(0)}'"))
    if not shipping:
        result = find_page_type(site, "shipping")
        if result.found and result.best is not None:
            shipping.append(Evidence(result.best.url, "page", result.best.head_text,
                                     "shipping costs page"))
    facing = region(site)
    found = bool(prices) and bool(vat) and bool(shipping)
    if not prices:
        return Outcome.unknown("No prices were seen in the static pages (they may be rendered "
                               "by JavaScript), so their labelling could not be judged.")
    if not (facing.eu or facing.uk):
        return Outcome.not_applicable(
            "Tax-inclusive price labelling is judged for shops facing EU or UK customers; "
            + facing.reason + ".", found=found)
    evidence = prices[:1] + vat[:1] + shipping[:1]
    if found:
        return Outcome.passed("Prices come with a tax statement and a shipping-cost reference.",
                              evidence)
    products = _product_pages(site)
    if not products:
        return Outcome.unknown(
            "Prices are shown, but no product page was audited (the notes are often on product "
            "pages only), so the labelling could not be judged.", evidence)
    missing = [what for what, have in (("a VAT/tax statement", vat),
                                       ("a shipping-cost reference", shipping)) if not have]
    return Outcome.failed(
        f"Prices are shown (e.g. {prices[0].locator.removeprefix('price: ')}) without "
        + " or ".join(missing) + ".",
        evidence + [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                             "incl./excl. VAT notes, shipping-cost notes, shipping page")],
        found=False)

