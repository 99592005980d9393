"""Honest marketing, structural patterns: paid add-ons pre-selected in forms ("sneaking into
the basket") and fees that appear only in the cart (hidden costs).

Registered as its own entry point (``honesty-sneaking``); shares the evidence helpers of
:mod:`checks.honesty` and the wording of ``checks/darkpatterns.toml``.
"""

from __future__ import annotations

import re
from functools import cache

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.text import fold_slug, path_segments
from auditor.site import Page, SiteSnapshot
from checks._common import no_pages, plural
from checks.honesty import MAX_EVIDENCE, Hit, distinct, hit_evidence, pages_of
from checks.honesty.detectors import DARK_PATTERNS_FILE, find, load_file, normalize

# --------------------------------------------------------------------------- pre-checked add-ons

_NAME_SEPARATORS = re.compile(r"[_\-\[\]]+")


@check(
    id="prechecked-addons",
    category="honesty",
    severity="high",
    weight=6,
    title="No paid add-on is pre-selected in purchase forms",
    failure_title="Paid add-ons (insurance, protection, donation) are pre-selected",
    fix="Leave add-ons such as shipping protection, warranties and donations unchecked; let "
    "the buyer opt in.",
    scope=("shop",),
)
def prechecked_addons(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: checkboxes and radio buttons that are already checked in the page's
    forms and whose label names a paid add-on: shipping or package protection, insurance,
    protection plans and extended warranties, donations and round-ups, paid gift wrap, in
    seven languages ("Versandversicherung", "assurance", "garantía extendida",
    "assicurazione", "verzendverzekering", "seguro de envio"). ``found`` is true when one is
    pre-selected.
    Why it matters: adding something to the basket that the buyer did not choose is "sneaking
    into the basket" (Mathur et al. 2019); EU law (Consumer Rights Directive Art. 22) forbids
    pre-ticked boxes for extra payments.
    How to fix: leave the box unchecked and let the buyer opt in.
    Traps: consent and newsletter boxes are the prechecked-consent check, not this one; a
    pre-selected "No protection" radio is the honest default; a pre-selected shipping method
    "with insurance" is a choice of carrier, so insurance counts only on checkboxes; anything
    "included" or "free of charge" is not an extra payment; unchecked add-on offers are fine;
    checkout pages behind a session are not seen.
    """
    if (early := no_pages(site)) is not None:
        return early
    hits: list[Hit] = []
    boxes = 0
    for page in site.html_pages:
        assert page.facts is not None
        for form in page.facts.forms:
            for field in form.fields:
                if field.tag != "input" or field.type not in ("checkbox", "radio"):
                    continue
                boxes += 1
                label = field.label or _NAME_SEPARATORS.sub(" ", field.name)
                if not field.checked or not label:
                    continue
                # A pre-selected radio may be a shipping method "with insurance": only the
                # unambiguous add-ons count there.
                found = find("addons", label) or (
                    find("addon-insurance", label) if field.type == "checkbox" else ())
                if found:
                    hits.append(Hit(page.url, "form", f"☑ {label}",
                                    f"pre-checked {field.type} “{field.name}” in form "
                                    f"{form.action or page.url}", found[0]))
    if hits:
        pages = pages_of(hits)
        hits = distinct(hits)
        return Outcome.failed(
            f"{plural(len(hits), 'paid add-on')} pre-selected on "
            f"{plural(pages, 'page')}, e.g. “{hits[0].text[2:]}” ({hits[0].page}).",
            hit_evidence(hits), found=True)
    forms = sum(len(p.facts.forms) for p in site.html_pages if p.facts is not None)
    return Outcome.passed(
        f"No paid add-on is pre-selected in the {plural(forms, 'form')} audited ({boxes} "
        "checkboxes and radios); checkout pages behind a session are not seen.",
        [Evidence(site.start_url, "searched", f"{plural(forms, 'form')}, {boxes} checkboxes and "
                  "radios", "checked inputs labelled insurance, protection, warranty, donation")],
        found=False,
    )


# --------------------------------------------------------------------------- hidden costs


@cache
def _cart_slugs() -> frozenset[str]:
    return frozenset(fold_slug(s) for s in load_file(DARK_PATTERNS_FILE)["cart-pages"]["slugs"])


def _is_cart_page(page: Page) -> bool:
    return any(seg in _cart_slugs() for seg in path_segments(page.final_url or page.url))


@check(
    id="hidden-costs",
    category="honesty",
    severity="high",
    weight=6,
    title="Fees in the cart are disclosed before it",
    failure_title="The cart adds fees that are not mentioned before it",
    fix="Name every fee (service, handling, processing) with its amount on the product or "
    "shipping page, not only in the cart; better, include it in the price.",
    scope=("shop",),
)
def hidden_costs(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: cart and checkout pages that show an order total and a fee line with
    an amount ("Service fee €2.50", "Care & Handling $2.99", "Bearbeitungsgebühr 3,90 €",
    "frais de dossier", "gastos de gestión", "costi di gestione", "administratiekosten",
    "taxa de serviço"), then whether the fee's name appears on any page before the cart
    (product, shipping, terms or FAQ pages). ``found`` is true when a fee appears only in the
    cart.
    Why it matters: costs revealed at the last step are Mathur et al.'s "hidden costs" and
    Google Merchant Center's "full expense" rule; buyers who feel tricked abandon the cart and
    do not come back.
    How to fix: disclose every fee with its amount before the cart, or fold it into the price.
    Traps: taxes, duties and shipping are not fees (shipping-info covers them); a fee named on
    the shipping or terms page is disclosed; "plus shipping" next to a price is the opposite of
    hiding (German law requires it); an empty cart shows no fees, so without a cart page that
    lists an order total the check is unknown, never a pass or fail.
    """
    if (early := no_pages(site)) is not None:
        return early
    carts: list[Page] = []
    fees: list[tuple[Page, str, str]] = []  # page, fee line, fee name
    for page in site.html_pages:
        assert page.facts is not None
        if not _is_cart_page(page):
            continue
        blocks = page.facts.blocks
        if not any(find("cart-total", b.text) for b in blocks):
            continue
        carts.append(page)
        for block in blocks:
            if find("fees", block.text):
                for name in find("fee-names", block.text):
                    fees.append((page, block.text, name.matched))
    if not carts:
        return Outcome.unknown(
            "No cart or checkout page showing an order total could be audited (they usually "
            "need a session), so fees added there cannot be seen.",
            [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                      "cart and checkout pages with an order total")])
    cart_urls = {p.url for p in carts}
    before = " \n ".join(normalize(p.facts.text) for p in site.html_pages
                         if p.facts is not None and p.url not in cart_urls
                         and not _is_cart_page(p))
    hidden = [(p, line, name) for p, line, name in fees if name not in before]
    disclosed = [(p, line, name) for p, line, name in fees if name in before]
    if hidden:
        names = sorted({name for _, _, name in hidden})
        return Outcome.failed(
            f"The cart shows {', '.join(names)}, which no page before the cart mentions.",
            [Evidence(p.url, "text", line, f"fee line in the cart: “{name}”")
             for p, line, name in hidden[:MAX_EVIDENCE]]
            + [Evidence(site.start_url, "searched",
                        plural(len(site.html_pages) - len(carts), "page"),
                        "pages before the cart searched for the fee's name")],
            found=True)
    evidence = [Evidence(p.url, "page", p.facts.title if p.facts else "",
                         "cart page with an order total") for p in carts[:3]]
    evidence += [Evidence(p.url, "text", line, f"“{name}” is also named before the cart")
                 for p, line, name in disclosed[:3]]
    return Outcome.passed(
        f"The {plural(len(carts), 'cart page')} audited add no fee that is not named before "
        "the cart.", evidence, found=False)
