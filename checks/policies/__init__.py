"""Commerce policies: terms, returns, the EU withdrawal notice and shipping.

The policies family is a package (DESIGN.md §8): this module holds the terms, returns and
shipping checks; ``checks.policies.payments`` the payment-method and price checks;
``checks.policies.disclosures`` the review-authenticity and accessibility statements. Each
module is registered under the ``trustaudit.checks`` entry-point group. Wording lives in
``checks/commerce.toml``.
"""

from __future__ import annotations

import re

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.contacts import types_of, walk_json
from auditor.detect.pagetypes import find_page_type
from auditor.detect.structured import structured_nodes
from auditor.detect.text import fold
from auditor.site import Page, SiteSnapshot, TextBlock
from checks._common import no_pages, page_type_outcome, plural
from checks._region import region
from checks._wording import folded, window, wording


def jsonld_evidence(site: SiteSnapshot, keys: set[str], types: set[str]) -> list[Evidence]:
    """JSON-LD or microdata nodes with one of ``keys`` or of one of ``types``."""
    evidence = []
    for n in structured_nodes(site):
        hit = (keys & n.node.keys()) or (types & n.types)
        if hit:
            name = sorted(hit)[0]
            evidence.append(Evidence(n.page.url, n.source,
                                     f"{name}: {str(n.node.get(name, ''))[:120]}", name))
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
            if page is not None and page.facts is not None and DAYS_RE.search(
                    fold(page.facts.text)):
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
                if block.region in ("main", "body") and (
                        m := SHIPPING_TEXT_RE.search(fold(block.text))):
                    extra.append(Evidence(page.url, "text", block.text,
                                          f"shipping wording '{m.group(0)}'"))
                    break
            if len(extra) >= 2:
                break
    return page_type_outcome(site, "shipping", "shipping information", extra_found=extra or None)


# --------------------------------------------------------------------------- returns details



def returns_pages(site: SiteSnapshot) -> list[Page]:
    """The returns and withdrawal pages, else the pages holding a returns section."""
    pages: list[Page] = []
    for type_name in ("returns", "withdrawal"):
        for cand in find_page_type(site, type_name).accepted[:3]:
            if cand.page is not None and cand.page.facts is not None and cand.page not in pages:
                pages.append(cand.page)
    if not pages:
        by_url = {p.url: p for p in site.html_pages}
        for section in find_page_type(site, "returns").sections[:3]:
            page = by_url.get(section.page)
            if page is not None and page not in pages:
                pages.append(page)
    return pages


def _content_blocks(page: Page) -> list[TextBlock]:
    assert page.facts is not None
    return [b for b in page.facts.blocks if b.region not in ("header", "nav", "footer")]


RETURN_POLICY_FIELDS = {
    "returnFees": {"FreeReturn": "free returns", "ReturnFeesCustomerResponsibility":
                   "the customer pays return shipping", "ReturnShippingFees":
                   "return shipping fees apply", "OriginalShippingFees":
                   "original shipping fees are kept"},
    "refundType": {"FullRefund": "full refund", "StoreCreditRefund": "store credit",
                   "ExchangeRefund": "exchange"},
}


def _return_policy_markup(site: SiteSnapshot) -> dict[str, Evidence]:
    """Window, fees and refund type from schema.org MerchantReturnPolicy markup."""
    found: dict[str, Evidence] = {}
    for page in site.html_pages:
        assert page.facts is not None
        for item in (*page.facts.jsonld, *page.facts.microdata):
            for node in walk_json(item):
                if "MerchantReturnPolicy" not in types_of(node):
                    continue
                days = node.get("merchantReturnDays")
                if days and "window" not in found:
                    found["window"] = Evidence(page.url, "jsonld", f"merchantReturnDays: {days}",
                                               "MerchantReturnPolicy")
                category = str(node.get("returnPolicyCategory", "")).rsplit("/", 1)[-1]
                if category == "MerchantReturnNotPermitted" and "window" not in found:
                    found["window"] = Evidence(page.url, "jsonld", category,
                                               "MerchantReturnPolicy: no returns")
                for key, target in (("returnFees", "cost"), ("refundType", "refund")):
                    value = str(node.get(key, "")).rsplit("/", 1)[-1]
                    label = RETURN_POLICY_FIELDS[key].get(value)
                    if label and target not in found:
                        found[target] = Evidence(page.url, "jsonld", f"{key}: {value}", label)
    return found


@check(
    id="returns-policy-specifics",
    category="policies",
    severity="medium",
    weight=5,
    title="The returns policy states the window, the costs and the refund method",
    failure_title="The returns policy is vague about the window, costs or refunds",
    fix="State on the returns page how many days customers have, who pays return shipping, "
    "and how and when the money comes back (same payment method, within N days).",
    scope=("shop",),
)
def returns_policy_specifics(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: on the returns (or withdrawal) page: a return window in days ("30
    days", "14 Tage", "quatorze jours", "un mes" ...) in a sentence about returns; who pays
    return shipping or that returns are free ("free returns", "Rücksendekosten trägt",
    "frais de retour à votre charge", "gastos de devolución", "spese di reso", "retourkosten",
    "custos de devolução"); how or when refunds are paid ("same means of payment", "within 14
    days", "store credit", "dasselbe Zahlungsmittel", "même moyen de paiement" ...). An
    explicit "no returns / all sales final" statement is specific too. MerchantReturnPolicy
    markup (merchantReturnDays, returnFees, refundType) counts. It passes when the window and
    at least one of the other two are stated.
    Why it matters: a vague policy ("returns accepted") leaves the customer guessing; Google
    treats unclear return terms as misrepresentation.
    How to fix: add the missing details to the returns page.
    Traps: a delivery time in days is not a return window — the number must stand in a sentence
    about returns, refunds or withdrawal; a "no returns" statement is transparent but does not
    replace the EU withdrawal right (see eu-withdrawal-notice); without a returns page there is
    nothing to read, so the verdict is unknown (see returns-policy).
    """
    if (early := no_pages(site)) is not None:
        return early
    pages = returns_pages(site)
    markup = _return_policy_markup(site)
    if not pages and not markup:
        return Outcome.unknown("No returns page was found, so its details could not be read "
                               "(see returns-policy).")
    context = wording("returns", "context_re")
    patterns = {"window": wording("returns", "window_re"), "cost": wording("returns", "cost_re"),
                "refund": wording("returns", "refund_re")}
    no_returns = wording("returns", "no_returns_re")
    found: dict[str, Evidence] = {}
    text_days: set[str] = set()
    final: Evidence | None = None
    for page in pages:
        for block in _content_blocks(page):
            text = folded(block.text)
            for key, regex in patterns.items():
                m = regex.search(text)
                if m is None or (key == "window" and not context.search(text)):
                    continue
                if key == "window" and m.groupdict().get("n"):
                    text_days.add(m.group("n"))
                found.setdefault(key, Evidence(page.url, "text",
                                               window(block.text, m.start(), m.end()),
                                               f"{key}: '{m.group(0)[:60]}'"))
            if final is None and (m := no_returns.search(text)):
                final = Evidence(page.url, "text", window(block.text, m.start(), m.end()),
                                 "no-returns statement")
    for key, marked in markup.items():
        found.setdefault(key, marked)
    notes = []
    marked_days = markup.get("window")
    if marked_days and text_days and marked_days.snippet.split(": ")[-1] not in text_days:
        notes.append(f"the markup says {marked_days.snippet.split(': ')[-1]} days, the page "
                     f"{', '.join(sorted(text_days))}")
    labels = {"window": "a return window in days", "cost": "who pays return shipping",
              "refund": "how and when refunds are paid"}
    evidence = list(found.values()) + ([final] if final else [])
    searched = [Evidence(p.url, "searched", p.facts.title if p.facts else "",
                         "returns page: window, costs, refund method") for p in pages]
    note = f" Note: {'; '.join(notes)}." if notes else ""
    if "window" not in found and final is not None:
        return Outcome.passed("The returns policy states that sales are final (no returns)."
                              + note, evidence)
    if "window" in found and ("cost" in found or "refund" in found):
        stated = [labels[k] for k in ("window", "cost", "refund") if k in found]
        missing = [labels[k] for k in ("cost", "refund") if k not in found]
        return Outcome.passed(
            "The returns policy states " + ", ".join(stated) + "."
            + (f" Not stated: {missing[0]}." if missing else "") + note, evidence)
    missing = [labels[k] for k in ("window", "cost", "refund") if k not in found]
    return Outcome.failed(
        "The returns policy does not state " + " or ".join(missing) + "." + note,
        evidence + searched)


# --------------------------------------------------------------------------- withdrawal


def _policy_pages_first(site: SiteSnapshot) -> list[Page]:
    first: list[Page] = []
    for type_name in ("returns", "withdrawal", "terms", "faq", "shipping"):
        for cand in find_page_type(site, type_name).accepted[:3]:
            if cand.page is not None and cand.page.facts is not None and cand.page not in first:
                first.append(cand.page)
    return first + [p for p in site.html_pages if p not in first]


def _unread_policy_documents(site: SiteSnapshot) -> list[Evidence]:
    """Returns, withdrawal or terms links whose target is a PDF or was not fetched: the notice
    may be there."""
    unread = []
    for type_name in ("withdrawal", "returns", "terms"):
        for cand in find_page_type(site, type_name).accepted[:3]:
            if cand.page is None or cand.page.facts is None:
                unread.append(Evidence(cand.url, "searched", cand.reason, type_name))
    return unread


@check(
    id="eu-withdrawal-notice",
    category="policies",
    severity="high",
    weight=7,
    title="The shop explains the EU 14-day right of withdrawal",
    failure_title="The shop does not explain the EU right of withdrawal",
    fix="Publish the statutory withdrawal notice (Widerrufsbelehrung / droit de rétractation / "
    "derecho de desistimiento ...) with the 14-day period and the model withdrawal form, and "
    "link it from the footer and the checkout.",
    scope=("shop",),
)
def eu_withdrawal_notice(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: the 14-day period within about 100 characters of a withdrawal word
    (right of withdrawal, Widerrufsrecht, droit de rétractation, derecho de desistimiento,
    diritto di recesso, herroepingsrecht, direito de livre resolução ...), and the model
    withdrawal form (Muster-Widerrufsformular, formulaire de rétractation, formulario de
    desistimiento, modulo di recesso, modelformulier voor herroeping, formulário de livre
    resolução) or a withdrawal-form page. Either passes; the evidence quotes each.
    Why it matters: EU consumers buying at a distance may withdraw within 14 days, and the
    trader must tell them how (Directive 2011/83/EU); without the notice the period extends to
    a year and the shop risks warning letters.
    How to fix: publish the notice and the model form; a longer voluntary return period is
    fine, but the statutory text must still be there.
    Traps: a 30-day voluntary returns policy is not the statutory notice (the 14 days must
    stand beside a withdrawal word, and "§ 14 BGB" is no period); shops that sell only to
    businesses owe no consumer withdrawal right and are not applicable; shops that face no EU
    customers are not applicable; a notice kept in a PDF or an unfetched page is unknown, not
    missing; digital-content exceptions cannot be judged statically.
    """
    if (early := no_pages(site)) is not None:
        return early
    words = wording("withdrawal", "words_re")
    fourteen = wording("withdrawal", "fourteen_re")
    form = wording("withdrawal", "form_re")
    b2b = wording("withdrawal", "b2b_re")
    notice: Evidence | None = None
    model: Evidence | None = None
    business_only: Evidence | None = None
    for page in _policy_pages_first(site):
        for block in _content_blocks(page):
            text = folded(block.text)
            if notice is None:
                for m in fourteen.finditer(text):
                    w = words.search(text[max(0, m.start() - 100): m.end() + 100])
                    if w:
                        notice = Evidence(page.url, "text", window(block.text, m.start(),
                                                                    m.end(), 80),
                                          f"14-day period beside '{w.group(0)}'")
                        break
            if model is None and (f := form.search(text)):
                model = Evidence(page.url, "text", window(block.text, f.start(), f.end()),
                                 f"model withdrawal form ('{f.group(0)}')")
            if business_only is None and (b := b2b.search(text)):
                business_only = Evidence(page.url, "text",
                                         window(block.text, b.start(), b.end()),
                                         "sells to businesses only")
        if notice and model:
            break
    if model is None:
        withdrawal = find_page_type(site, "withdrawal")
        if withdrawal.found and withdrawal.best is not None:
            model = Evidence(withdrawal.best.url, "page", withdrawal.best.head_text,
                             "withdrawal form page")
    facing = region(site)
    found = bool(notice or model)
    unread = _unread_policy_documents(site) if not found else []
    if business_only is not None and not found:
        return Outcome.not_applicable(
            "The shop sells only to businesses, which have no statutory right of withdrawal: "
            f"'{business_only.snippet}'.", found=False)
    if not facing.eu:
        return Outcome.not_applicable(
            "The 14-day right of withdrawal is EU law; " + facing.reason + ".", found=found)
    if unread:
        return Outcome.unknown(
            "The withdrawal notice may be in a document the audit could not read: "
            + ", ".join(u.url for u in unread[:2]) + ".",
            [Evidence(u.url, "searched", u.locator, "not read") for u in unread[:3]])
    evidence = [e for e in (notice, model) if e is not None]
    if notice and model:
        return Outcome.passed("The shop explains the 14-day right of withdrawal and provides "
                              "the model withdrawal form.", evidence)
    if found:
        return Outcome.passed(
            "The shop " + ("explains the 14-day right of withdrawal" if notice else
                           "provides the model withdrawal form")
            + "; " + ("the model form was not found." if notice else
                      "the 14-day notice itself was not found beside it."), evidence)
    pages = returns_pages(site)
    return Outcome.failed(
        "No explanation of the 14-day right of withdrawal and no model withdrawal form were "
        f"found on the {plural(len(site.html_pages), 'page')} audited"
        + (" (the returns page describes a voluntary returns policy only)." if pages else "."),
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "14 days beside withdrawal words; model withdrawal form")]
        + [Evidence(p.url, "searched", p.facts.title if p.facts else "", "returns page")
           for p in pages[:2]])
