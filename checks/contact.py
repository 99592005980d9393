"""Ways to reach a person: a contact page, an e-mail address, a phone number, an FAQ."""

from __future__ import annotations

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.contacts import Channel, channels_of, types_of, walk_json
from auditor.site import SiteSnapshot
from checks._common import no_pages, page_type_outcome, plural

REGION_RANK = {"footer": 0, "header": 1, "main": 2, "body": 3, "nav": 4, "aside": 5}


def channel_evidence(channels: tuple[Channel, ...], limit: int = 4) -> list[Evidence]:
    """One evidence item per distinct value, preferring links and the footer."""
    best: dict[str, Channel] = {}
    for ch in sorted(channels, key=lambda c: (c.source != "link", REGION_RANK.get(c.region, 9), c.page)):
        best.setdefault(ch.value, ch)
    kind = {"link": "link", "text": "text", "jsonld": "jsonld", "microdata": "microdata"}
    return [
        Evidence(ch.page, kind.get(ch.source, "text"), ch.snippet, f"{ch.region} {ch.source}: {ch.value}")
        for ch in list(best.values())[:limit]
    ]


def channel_outcome(site: SiteSnapshot, kind: str, what: str, looked: str) -> Outcome:
    if (early := no_pages(site)) is not None:
        return early
    channels = channels_of(site, kind)
    if channels:
        values = sorted({c.value for c in channels})
        return Outcome.passed(
            f"Found {plural(len(values), what)}: {', '.join(values[:3])}"
            + ("…" if len(values) > 3 else "") + ".",
            channel_evidence(channels),
        )
    pages = len(site.html_pages)
    return Outcome.failed(
        f"No {what} was found on the {plural(pages, 'page')} audited.",
        [Evidence(site.start_url, "searched", f"{plural(pages, 'page')}", looked)],
    )


@check(
    id="contact-page",
    category="contact",
    severity="high",
    weight=8,
    title="The site has a contact page",
    failure_title="No contact page is linked from the site",
    fix="Add a contact page with an e-mail address, a phone number and your address, and link "
    "it from the header or footer of every page.",
)
def contact_page(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a link named contact, contact us, Kontakt, nous contacter, contacto ...
    whose target page is confirmed by its heading or content (e-mail, phone, form, address).
    Why it matters: customers trust a business they can reach; Google and quality raters look for
    a contact page.
    How to fix: publish a contact page and link it from the header or footer of every page.
    Traps: "contact lenses" or "contact grill" are products (T3); an in-page "#contact" anchor
    on a one-page site is a section, not a page.
    """
    return page_type_outcome(site, "contact", "a contact page")


@check(
    id="contact-email",
    category="contact",
    severity="medium",
    weight=5,
    title="The site shows an e-mail address",
    failure_title="No e-mail address is shown on the site",
    fix="Show a monitored e-mail address (as a mailto: link) on the contact page and in the footer.",
)
def contact_email(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: mailto: links, e-mail addresses in visible text (also written as
    "name [at] domain"), Cloudflare-protected addresses, and "email" in JSON-LD.
    Why it matters: e-mail is the channel customers use to leave a written trace of a complaint;
    a form alone gives them no copy and no direct address.
    How to fix: publish an address on your own domain, as a mailto: link, in the footer.
    Traps: placeholder addresses (name@example.com) and image file names like logo@2x.png are
    not addresses.
    """
    return channel_outcome(site, "email", "e-mail address",
                           "mailto links, visible text and JSON-LD for e-mail addresses")


@check(
    id="contact-phone",
    category="contact",
    severity="medium",
    weight=4,
    title="The site shows a phone number",
    failure_title="No phone number is shown on the site",
    fix="Show a phone number customers can call (as a tel: link), with the hours it is answered.",
)
def contact_phone(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: tel: links, "telephone" in JSON-LD, and numbers in the text that are
    anchored by a phone word (Tel., Telefon, téléphone, teléfono ...) or written in
    international format.
    Why it matters: a number a person answers is reassuring before a large purchase and is one
    of the contact types Google's merchant rules count.
    How to fix: publish a phone number as a tel: link on the contact page and in the footer.
    Traps: order numbers, dates, VAT or register numbers are not phone numbers (T10); fax
    numbers do not count.
    """
    return channel_outcome(site, "phone", "phone number",
                           "tel: links, JSON-LD and visible text near phone words")


@check(
    id="faq",
    category="contact",
    severity="low",
    weight=3,
    title="The site answers common questions (FAQ or help centre)",
    failure_title="No FAQ or help centre was found",
    fix="Publish answers to the questions customers ask most (delivery, returns, payment) on an "
    "FAQ page or help centre.",
)
def faq(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: an FAQ or help-centre link (FAQ, Häufige Fragen, questions fréquentes,
    preguntas frecuentes ...) confirmed by the target; an FAQ section heading on a page;
    schema.org FAQPage markup; a hosted help centre (Zendesk, Freshdesk, Intercom).
    Why it matters: self-service answers show the business expects and respects questions.
    How to fix: publish an FAQ page and link it from the footer.
    Traps: a generic "Help" link to a contact form is counted only if the page answers questions.
    """
    extra = []
    for page in site.html_pages:
        assert page.facts is not None
        for item in (*page.facts.jsonld, *page.facts.microdata):
            if any("FAQPage" in types_of(node) for node in walk_json(item)):
                extra.append(Evidence(page.url, "jsonld", "FAQPage", "schema.org FAQPage"))
                break
    return page_type_outcome(site, "faq", "an FAQ or help centre", sections_count=True,
                             extra_found=extra[:4] or None)
