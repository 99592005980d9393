"""Ways to reach a person: contact page and channels, hours, chat, FAQ, status, complaints."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from auditor.check_api import Evidence, Outcome, check
from auditor.crawl.urls import same_site
from auditor.detect.contacts import Channel, channels_of, types_of, walk_json
from auditor.detect.pagetypes import find_page_type
from auditor.detect.structured import structured_nodes
from auditor.detect.vendors import VendorHit, hits_of_kind
from auditor.site import SiteSnapshot, TextBlock
from checks._common import (
    no_pages,
    page_type_evidence,
    page_type_outcome,
    plural,
    searched_evidence,
)
from checks._region import region
from checks._wording import commerce_data, folded, window, wording

REGION_RANK = {"footer": 0, "header": 1, "main": 2, "body": 3, "nav": 4, "aside": 5}


def channel_evidence(channels: tuple[Channel, ...], limit: int = 4, *,
                     start: str = "") -> list[Evidence]:
    """One evidence item per distinct value, preferring links and the footer."""
    best: dict[str, Channel] = {}
    # The business's own details come first: links and markup, the start page and the footer;
    # a third party quoted deep in a legal text (a designer, an authority) comes last.
    for ch in sorted(channels, key=lambda c: (c.source not in ("link", "jsonld", "microdata"),
                                              c.page != start, REGION_RANK.get(c.region, 9),
                                              c.page)):
        best.setdefault(ch.value, ch)
    kind = {"link": "link", "text": "text", "jsonld": "jsonld", "microdata": "microdata"}
    return [
        Evidence(ch.page, kind.get(ch.source, "text"), ch.snippet,
                 f"{ch.region} {ch.source}: {ch.value}")
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
            channel_evidence(channels, start=site.start_url),
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
    fix="Show a monitored e-mail address (as a mailto: link) on the contact page and in the "
    "footer.",
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
    aliases=("help-centre",),
)
def faq(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: an FAQ or help-centre link (FAQ, Häufige Fragen, questions fréquentes,
    preguntas frecuentes ...) confirmed by the target; an FAQ section heading on a page;
    schema.org FAQPage markup; a help centre or knowledge base — on the site (Help Center,
    Hilfecenter, centre d'aide ..., confirmed by article lists and "was this article helpful")
    or hosted (links to Zendesk /hc/, Freshdesk, Intercom, Help Scout Docs).
    This check also answers the id `help-centre` (an alias): an FAQ and a help centre are one
    signal in the catalogue (b-help-center-faq), so they are one verdict, not two.
    Why it matters: self-service answers show the business expects and respects questions.
    How to fix: publish an FAQ page and link it from the footer.
    Traps: a generic "Help" link to a contact form is counted only if the page answers
    questions; a chat widget is live-chat, not a help centre.
    """
    extra = []
    for page in site.html_pages:
        assert page.facts is not None
        for item in (*page.facts.jsonld, *page.facts.microdata):
            if any("FAQPage" in types_of(node) for node in walk_json(item)):
                extra.append(Evidence(page.url, "jsonld", "FAQPage", "schema.org FAQPage"))
                break
    help_centre = find_page_type(site, "help")
    if help_centre.found:
        extra += page_type_evidence(help_centre, limit=2)
    extra += [Evidence(h.page, "link", h.detail, f"hosted help centre ({h.vendor.name})")
              for h in hits_of_kind(site, "chat") if h.kind == "link" and not (
                  h.vendor.links and h.vendor.link_matches(h.detail))][:2]
    return page_type_outcome(site, "faq", "an FAQ or help centre", sections_count=True,
                             extra_found=extra[:4] or None)


# --------------------------------------------------------------------------- channels


CHANNEL_KINDS = (("email", "an e-mail address"), ("phone", "a phone number"),
                 ("address", "a postal address"))


@check(
    id="contact-channels",
    category="contact",
    severity="high",
    weight=8,
    title="The site offers at least two ways to reach the business",
    failure_title="The site offers fewer than two contact channels",
    fix="Show at least two of: an e-mail address, a phone number and a postal address — a "
    "contact form alone does not count.",
)
def contact_channels(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: the distinct kinds of direct channel shown anywhere on the site: an
    e-mail address (mailto, text, Cloudflare-protected, markup), a phone number (tel:, markup,
    anchored text) and a postal address (markup, <address>, street with postcode and town).
    Chat widgets and messaging links are reported but not counted.
    Why it matters: Google's merchant rules want at least two of address, phone and e-mail;
    a second channel is what customers fall back on when the first one goes unanswered.
    How to fix: add the missing channel to the contact page and the footer.
    Traps: a contact form alone does not count (S1); obfuscated e-mails ("name [at] domain",
    Cloudflare) do count; numbers of carriers, fax numbers and register numbers are not
    phones (T10); map links alone are not an address.
    """
    if (early := no_pages(site)) is not None:
        return early
    found = [(kind, what) for kind, what in CHANNEL_KINDS if channels_of(site, kind)]
    missing = [what for kind, what in CHANNEL_KINDS if not channels_of(site, kind)]
    evidence: list[Evidence] = []
    for kind, _ in found:
        evidence += channel_evidence(channels_of(site, kind), limit=2, start=site.start_url)
    extras = [c for c in channels_of(site, "messaging")][:1]
    evidence += [Evidence(c.page, "link", c.snippet, f"messaging link (not counted): {c.value}")
                 for c in extras]
    names = [what for _, what in found]
    if len(found) >= 2:
        return Outcome.passed(
            f"The site offers {len(found)} kinds of channel: {', '.join(names)}.", evidence)
    pages = len(site.html_pages)
    evidence.append(Evidence(site.start_url, "searched", plural(pages, "page"),
                             "e-mail, phone and postal address on every page and in markup"))
    forms = any(any(f.tag == "textarea" for f in form.fields)
                for p in site.html_pages if p.facts is not None for form in p.facts.forms)
    return Outcome.failed(
        (f"Only {names[0]} was found" if names else "No direct contact channel was found")
        + f"; missing: {', '.join(missing)}."
        + (" A contact form does not count as a channel." if forms else ""),
        evidence, found=False)


# --------------------------------------------------------------------------- hours


@cache
def _hours_res() -> dict[str, re.Pattern[str]]:
    data = commerce_data()["hours"]
    days = "|".join(sorted(data["days"], key=len, reverse=True))
    full = "|".join(sorted(data["full_days"], key=len, reverse=True))
    joins = "|".join(re.escape(w) for w in sorted(data["range_words"], key=len, reverse=True))
    time = r"\d{1,2}(?:[:.h]\d{2})?\s*(?:h|uhr|am|pm|u)?"
    time_range = rf"{time}\s*(?:-|–|—|to|bis|a|à|al|alle|tot|as|às|till|until)\s*{time}"
    return {
        "range": re.compile(
            rf"(?<![\w])(?:{days})\.?\s*(?:{joins})\s*(?:{days})\.?[\s:,.]{{0,6}}"
            rf"(?:von\s+|de\s+|from\s+|dalle\s+|van\s+|das\s+)?{time_range}"),
        "single": re.compile(
            rf"(?<![\w])(?:{full})\s*[:,]?\s*(?:von\s+|de\s+|from\s+)?{time_range}"),
        "time_range": re.compile(time_range),
        "keywords": wording("hours", "keywords_re"),
        "always": wording("hours", "always_re"),
        "service": wording("hours", "service_words_re"),
        "response": wording("hours", "response_re"),
        "reply": wording("hours", "reply_words_re"),
    }


def _hours_in_blocks(page_url: str, blocks: list[TextBlock]) -> list[Evidence]:
    res = _hours_res()
    out: list[Evidence] = []
    heading_hours = False
    for block in blocks:
        text = folded(block.text)
        is_heading = block.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt") or len(text) < 40
        for key, note in (("range", "day range with hours"), ("single", "day with hours")):
            if m := res[key].search(text):
                out.append(Evidence(page_url, "text", window(block.text, m.start(), m.end()),
                                    note))
                break
        else:
            kw = res["keywords"].search(text)
            tr = res["time_range"].search(text)
            if kw and tr and abs(kw.start() - tr.start()) <= 80:
                out.append(Evidence(page_url, "text", window(block.text, kw.start(), tr.end()),
                                    f"hours after '{kw.group(0)}'"))
            elif heading_hours and tr and len(text) < 120:
                out.append(Evidence(page_url, "text", block.text, "hours under an hours heading"))
            elif (a := res["always"].search(text)) and res["service"].search(
                    text[max(0, a.start() - 40): a.end() + 40]):
                out.append(Evidence(page_url, "text", window(block.text, a.start(), a.end()),
                                    f"round-the-clock service ('{a.group(0)}')"))
            elif (r := res["response"].search(text)) and res["reply"].search(
                    text[max(0, r.start() - 80): r.end() + 40]):
                out.append(Evidence(page_url, "text", window(block.text, r.start(), r.end()),
                                    "response-time promise"))
        if is_heading:
            heading_hours = bool(res["keywords"].search(text))
    return out



def _hours_markup(site: SiteSnapshot) -> list[Evidence]:
    evidence = []
    for n in structured_nodes(site):
        for key in ("openingHours", "openingHoursSpecification", "hoursAvailable"):
            if n.node.get(key):
                evidence.append(Evidence(n.page.url, n.source,
                                         f"{key}: {_describe_hours(n.node[key])}", key))
    return evidence[:3]


def _describe_hours(value: object) -> str:
    """'Mo-Fr 09:00-17:00' or 'Monday 09:00–13:00; Tuesday …' from markup values."""
    items = value if isinstance(value, list) else [value]
    parts = []
    for item in items[:3]:
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, dict):
            days = item.get("dayOfWeek", "")
            days = ", ".join(str(d).rsplit("/", 1)[-1] for d in days) if isinstance(
                days, list) else str(days).rsplit("/", 1)[-1]
            parts.append(f"{days} {item.get('opens', '')}–{item.get('closes', '')}".strip())
    return "; ".join(parts) or "specification"


@check(
    id="service-hours",
    category="contact",
    severity="low",
    weight=2,
    title="The site states its opening or service hours",
    failure_title="No opening or service hours are stated",
    fix="State when customers can reach you (\"Mon–Fri 9:00–17:00\") next to the phone number, "
    "and in openingHoursSpecification markup.",
)
def service_hours(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: schema.org openingHours, openingHoursSpecification or
    contactPoint.hoursAvailable; day ranges with times in seven languages ("Mon–Fri 9–17",
    "Mo.–Fr. 9:00–18:00 Uhr", "lun-ven 9h-18h", "Lunes 9:00–13:00", "ma t/m vr 9-17"); times
    under an opening-hours heading (Öffnungszeiten, horaires, horario, orari, openingstijden);
    "24/7" beside a service word; response-time promises ("we reply within 24 hours").
    Why it matters: stated hours and reply times set expectations; slow or unknown response
    times are a common complaint.
    How to fix: give the hours next to the phone number on the contact page and in the footer.
    Traps: a time range alone (a price, a date span, "2020–2024") is not hours: a day name or an
    hours heading must come with it; short day abbreviations ("do", "so", "ma") count only in
    a day range followed by times.
    """
    if (early := no_pages(site)) is not None:
        return early
    evidence = _hours_markup(site)
    seen: set[str] = set()
    for page in site.html_pages:
        assert page.facts is not None
        blocks = [b for b in page.facts.blocks if b.text not in seen]
        seen.update(b.text for b in page.facts.blocks if b.region in ("footer", "header"))
        evidence += _hours_in_blocks(page.url, blocks)
        if len(evidence) >= 4:
            break
    if evidence:
        return Outcome.passed(f"Found stated hours or reply times ({evidence[0].locator}).",
                              evidence[:4])
    return Outcome.failed(
        "No opening hours, service hours or response-time promise was found.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "day ranges with times, hours headings, 24/7, reply times, openingHours")])


# --------------------------------------------------------------------------- live chat


def _chat_hits(site: SiteSnapshot) -> list[VendorHit]:
    """Chat widgets by script, iframe, markup or global; messaging links (wa.me, m.me, t.me).
    A link to a help-desk vendor's knowledge base is a help centre, not a chat."""
    return [h for h in hits_of_kind(site, "chat")
            if h.kind != "link" or (h.vendor.links and h.vendor.link_matches(h.detail))]


@check(
    id="live-chat",
    category="contact",
    severity="info",
    weight=2,
    title="The site offers live chat or a messaging channel",
    failure_title="No live chat or messaging channel was found",
    fix="Offer a chat widget or a messaging link (WhatsApp, Messenger) for quick questions, "
    "with the hours a person answers.",
)
def live_chat(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: chat and help-desk widgets by vendor fingerprint (Intercom, Zendesk,
    Crisp, Tawk.to, LiveChat, HubSpot, Freshchat, Tidio, Drift, Gorgias, Userlike, Smartsupp,
    Zoho SalesIQ ...) in script sources, iframes, DOM markers and inline globals, and
    messaging links (wa.me, api.whatsapp.com/send, m.me, t.me).
    Why it matters: a real-time channel answers the question that would otherwise end a
    purchase.
    How to fix: add a chat widget or a messaging link and say when it is staffed.
    Traps: a link to a vendor's help centre (zendesk.com/hc) is not a chat; whether a human
    answers cannot be seen (chatbot-only widgets count as chat); a chat loaded later by a tag
    manager or only after consent is invisible to a static audit, so the verdict says so; a
    widget's script is seen even on a page whose content JavaScript renders.
    """
    hits = _chat_hits(site) if site.html_pages else []
    if not hits and (early := no_pages(site)) is not None:
        return early
    if hits:
        vendors = sorted({h.vendor.name for h in hits})
        evidence = [Evidence(h.page, _HIT_KIND.get(h.kind, "script"), h.detail,
                             f"{h.vendor.name} ({h.kind})") for h in hits]
        return Outcome.passed(f"Found {', '.join(vendors[:3])}.", evidence[:5])
    loaders = [h for h in hits_of_kind(site, "cmp", "tracker")
               if "tagmanager" in h.detail or "gtm" in h.detail.lower()]
    note = (" A tag manager or consent manager is present and may load a chat after consent, "
            "which a static audit cannot see." if loaders or hits_of_kind(site, "cmp") else "")
    return Outcome.failed(
        "No chat widget or messaging link was found in the page sources." + note,
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "chat vendor scripts, iframes, markers, globals; wa.me, m.me, t.me links")])


ADR_HEADING = re.compile(r"streit|schlicht|\bodr\b|\bos\b|dispute|litig|controvers|geschil")
ODR_ONLY = re.compile(r"ec\.europa\.eu/consumers/odr|\bos-?\s?plattform|odr[ -]?platform|"
                      r"online-?\s?streitbeilegung|"
                      r"plateforme (?:de )?(?:rll|odr|reglement en ligne)")
_HIT_KIND = {"script": "script", "iframe": "iframe", "image": "image", "link": "link",
             "markup": "text", "inline": "script"}


# --------------------------------------------------------------------------- status page


@check(
    id="status-page",
    category="contact",
    severity="low",
    weight=3,
    title="The site links to a service status page",
    failure_title="No service status page is linked",
    fix="Publish a status page (status.yourdomain, or a hosted one) and link it from the footer "
    "and the help centre.",
    scope=("saas",),
)
def status_page(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a footer or help link named Status / System status (Systemstatus, état
    du service, estado del servicio ...) to a status page on the site or its status.
    subdomain, confirmed by its content when it was crawled; links to hosted status pages
    (Atlassian Statuspage, Instatus, Better Stack, Status.io, Statuspal, UptimeRobot).
    Why it matters: an online service that reports its outages openly is one customers can
    plan around.
    How to fix: publish a status page and link it from the footer.
    Traps: "order status" and "check your order status" are not service status pages (T3).
    """
    if (early := no_pages(site)) is not None:
        return early
    extra = [Evidence(h.page, "link", h.detail, f"{h.vendor.name} status page")
             for h in hits_of_kind(site, "status-page")][:3]
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            host = (urlsplit(link.url).hostname or "") if link.url else ""
            if host.startswith("status.") and same_site(link.url, site.start_url):
                extra.append(Evidence(page.url, "link", link.text or link.url,
                                      f"{link.region} link to the status subdomain {host}"))
                break
        if len(extra) >= 3:
            break
    return page_type_outcome(site, "status", "a status page", extra_found=extra or None)


# --------------------------------------------------------------------------- complaints


@check(
    id="complaints",
    category="contact",
    severity="low",
    weight=3,
    title="The site describes how to complain and the dispute-resolution options",
    failure_title="No complaints route or dispute-resolution statement was found",
    fix="Say how customers can complain and whether you take part in out-of-court dispute "
    "resolution (in Germany the § 36 VSBG statement, required of traders with more than ten "
    "employees; in Portugal a link to the Livro de Reclamações; in Spain the hojas de "
    "reclamaciones; in France your consumer mediator).",
    scope=("shop",),
)
def complaints(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a complaints page or section (complaints procedure, Beschwerde,
    réclamations, reclamaciones, reclami, klachten, reclamações); dispute-resolution
    statements: the German § 36 VSBG sentence (willing or not, obliged or not, to take part in
    proceedings before a consumer arbitration board), the French médiateur de la
    consommation, Spanish hojas de reclamaciones or arbitraje de consumo, Italian ADR bodies,
    the Dutch Geschillencommissie, the Portuguese Livro de Reclamações (livroreclamacoes.pt)
    and UK ombudsman or ADR schemes.
    Why it matters: knowing where to turn when something goes wrong lowers the risk of buying;
    several EU countries require the statement (Germany only of traders with more than ten
    employees, so a fail is a missing signal, not necessarily a breach).
    How to fix: add a complaints section to the terms or contact page with the statement your
    country requires.
    Traps: the EU ODR platform closed on 20 July 2025, so a link to it is no longer a route (see
    stale-legal-references); "complaint" inside a product review is not a procedure; the
    duty is an EU one, so sites that face no EU customers are not applicable.
    """
    if (early := no_pages(site)) is not None:
        return early
    statement = wording("complaints", "statement_re")
    hosts = tuple(commerce_data()["complaints"]["link_hosts"])
    extra: list[Evidence] = []
    for page in site.html_pages:
        assert page.facts is not None
        for block in page.facts.blocks:
            if m := statement.search(folded(block.text)):
                extra.append(Evidence(page.url, "text", window(block.text, m.start(), m.end()),
                                      f"complaints or dispute statement ('{m.group(0)[:60]}')"))
                break
        for link in page.facts.links:
            target = (urlsplit(link.url).hostname or "") + urlsplit(link.url).path \
                if link.url else ""
            if any(target.startswith(h) or target.startswith("www." + h) for h in hosts):
                extra.append(Evidence(page.url, "link", link.text or link.url,
                                      f"link to a complaints body: {link.url}"))
        if len(extra) >= 4:
            break
    result = find_page_type(site, "complaints")
    pages = {p.url: p for p in site.html_pages}
    for section in result.sections:
        holder = pages.get(section.page)
        if holder is None or holder.facts is None:
            continue
        if ADR_HEADING.search(folded(section.heading)) and not statement.search(
                folded(holder.facts.text)):
            continue  # "EU-Streitschlichtung" over the closed ODR platform only
        extra.append(Evidence(section.page, "text", section.heading,
                              f"complaints section (h{section.level})" if section.level
                              else "complaints section label"))
        break
    accepted = [c for c in result.accepted if c.page is None or c.page.facts is None
                or statement.search(folded(c.page.facts.text))
                or not ODR_ONLY.search(folded(c.page.facts.text))]
    if accepted:
        best = accepted[0]
        outcome = Outcome.passed(f"Found a complaints page: {best.url}.",
                                 page_type_evidence(result) + extra[:2])
    elif extra:
        outcome = Outcome.passed("Found a complaints route or dispute-resolution statement.",
                                 extra[:4])
    else:
        outcome = Outcome.failed(
            "No complaints page, complaints section or dispute-resolution statement was found "
            f"on the {plural(result.pages_examined, 'page')} audited.",
            searched_evidence(site, result, "a complaints route")
            + [Evidence(site.start_url, "searched", "", "§ 36 VSBG, médiateur, hojas de "
                        "reclamaciones, Livro de Reclamações, ADR and ombudsman statements")])
    facing = region(site)
    if not facing.eu and outcome.found is not True:
        return Outcome.not_applicable(
            "The complaints and dispute-resolution statements are EU duties; "
            f"{facing.reason}. {outcome.message}", found=outcome.found)
    return outcome
