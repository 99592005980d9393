"""Honest marketing: dark patterns in the pages' text (all negative signals): low-stock and
countdown pressure, activity notifications, confirmshaming, testimonials of uncertain origin.
Pre-selected add-ons and hidden costs live in :mod:`checks.honesty.sneaking`.

Every check here reports ``found = true`` when the pattern WAS found (status fail). A hit means
the site shows pressure wording or a pre-selected add-on; whether a "2 left" is true cannot be
seen from outside (signals.md §4 I), so messages say "pressure", never "lie". The wording lives
in ``checks/darkpatterns.toml`` and is matched by :mod:`checks.honesty.detectors`, the same
functions ``python -m benchmarks.darkpatterns`` measures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.contacts import types_of, walk_json
from auditor.detect.text import fold
from auditor.detect.vendors import hits_of_kind
from auditor.site import SiteSnapshot
from checks._common import no_pages, plural
from checks.honesty.detectors import (
    DARK_PATTERNS_FILE,
    Match,
    activity_vendor_ids,
    find,
    load_file,
    normalize,
)

#: Regions whose text is a message to the buyer; navigation and footers are boilerplate links.
PRESSURE_REGIONS = frozenset({"header", "main", "body", "aside"})
MAX_EVIDENCE = 10


@dataclass(frozen=True, slots=True)
class Hit:
    page: str
    kind: str  # evidence kind: text, link, form, script ...
    text: str
    where: str  # region and tag, or what the text belongs to
    match: Match


def _searched(site: SiteSnapshot, what: str) -> Evidence:
    pages = site.html_pages
    blocks = sum(len(p.facts.blocks) for p in pages if p.facts is not None)
    return Evidence(site.start_url, "searched",
                    f"{plural(blocks, 'text block')} on {plural(len(pages), 'page')}", what)


def text_hits(site: SiteSnapshot, category: str,
              regions: Iterable[str] = PRESSURE_REGIONS) -> list[Hit]:
    """Visible text blocks that a detector flags, on every page."""
    wanted = frozenset(regions)
    hits: list[Hit] = []
    for page in site.html_pages:
        assert page.facts is not None
        for block in page.facts.blocks:
            if block.region in wanted and (found := find(category, block.text)):
                hits.append(Hit(page.url, "text", block.text, f"{block.region} {block.tag}",
                                found[0]))
    return hits


def distinct(hits: Iterable[Hit]) -> list[Hit]:
    """One hit per normalised text: a header bar repeated on every page is one message."""
    seen: dict[str, Hit] = {}
    for hit in hits:
        seen.setdefault(normalize(hit.text), hit)
    return list(seen.values())


def hit_evidence(hits: Iterable[Hit]) -> list[Evidence]:
    return [Evidence(h.page, h.kind, h.text, f"{h.where}: “{h.match.matched}” ({h.match.rule})")
            for h in list(hits)[:MAX_EVIDENCE]]


def pages_of(hits: Iterable[Hit]) -> int:
    return len({h.page for h in hits})


def _pressure_outcome(site: SiteSnapshot, all_hits: list[Hit], noun: str, searched: str,
                      extra: list[Evidence] | None = None) -> Outcome:
    if all_hits:
        hits = distinct(all_hits)
        first = hits[0]
        return Outcome.failed(
            f"Found {plural(len(hits), noun)} on {plural(pages_of(all_hits), 'page')}, e.g. "
            f"“{first.text[:120]}” ({first.page}). This is pressure wording; whether it is "
            "true cannot be seen from outside.",
            hit_evidence(hits) + (extra or []),
            found=True,
        )
    return Outcome.passed(f"No {noun} was found.", [_searched(site, searched)] + (extra or []),
                          found=False)


# --------------------------------------------------------------------------- low stock


@check(
    id="low-stock-pressure",
    category="honesty",
    severity="low",
    weight=2,
    title="The site does not pressure buyers with low-stock messages",
    failure_title="The site pressures buyers with low-stock or high-demand messages",
    fix="Show stock only as plain, true information (\"In stock\", a delivery date); drop "
    "\"Only 2 left — hurry!\" and \"selling fast\" banners, above all when every product shows "
    "the same message.",
    scope=("shop",),
)
def low_stock_pressure(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: low-stock and high-demand wording in the visible text of product and
    cart pages, in seven languages: "Only 3 left in stock", "Hurry, only a few left",
    "87% claimed", "Selling fast", "Nur noch 2 auf Lager", "Plus que 3 en stock", "Solo quedan
    2", "Ultimi 3 pezzi", "Nog maar 2 op voorraad", "Restam apenas 2". ``found`` is true when
    such a message is shown.
    Why it matters: scarcity messages push buyers to decide before they compare; many are the
    same for every product, and customers who notice stop trusting the shop (Mathur et al.
    2019 found low-stock messages on hundreds of shops).
    How to fix: state stock plainly and truthfully, or not at all.
    Traps: a plain stock count ("23 in stock", "In stock") is information, not pressure, and is
    not counted; "due to high demand, delivery takes longer" is a delivery notice; inventory
    software describing "low-stock alerts" is a feature; time words ("only 3 days left") belong
    to countdown-urgency; long paragraphs (reviews, articles) are prose, not messages.
    """
    if (early := no_pages(site)) is not None:
        return early
    return _pressure_outcome(site, text_hits(site, "low-stock"), "low-stock pressure message",
                             "visible text checked for low-stock and high-demand wording")


# --------------------------------------------------------------------------- urgency

_COUNTDOWN_MARKER = re.compile(
    r"^[.#\[](?:data-)?[\w-]*(?:countdown|count-down|hurrify|deal-timer|sale-timer|offer-timer|"
    r"flash-timer|urgency-timer)[\w-]*\]?$", re.I)


@check(
    id="countdown-urgency",
    category="honesty",
    severity="low",
    weight=3,
    title="Offers are not pushed with countdown timers or vague deadlines",
    failure_title="Offers are pushed with countdown timers or vague deadlines",
    fix="Give promotions a real, stated end date (\"ends 31 March, 23:59\") instead of running "
    "timers and \"ends soon\" banners; never restart a timer for a new visitor.",
    scope=("shop",),
)
def countdown_urgency(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: countdown timers and limited-time wording in the visible text:
    "Offer ends in 02:14:33", "Sale ends tonight", "Limited time only", "Your cart is reserved
    for 09:56 minutes", "Days Hours Minutes Seconds" timer labels, "Angebot endet in",
    "durée limitée", "tiempo limitado", "solo oggi", "tijdelijke actie", "só hoje".
    Countdown markup (class "countdown") on the same page is added as evidence. ``found`` is
    true when such a message is shown.
    Why it matters: Mathur et al. (2019) found 157 of 393 countdown timers on shops to be fake
    (they reset or change at random); a deadline the buyer cannot check is pressure.
    How to fix: state a real end date and time, or none.
    Traps: a concrete end date ("offer ends 31 March") is information and is not counted;
    delivery cut-offs ("order within 02:13 for next-day delivery"), returns windows, trials,
    log-in sessions and one-time codes that expire are not offers; opening hours ("hurry in,
    open until 18:00") are clock times, not timers; a countdown class alone (themes ship
    unused countdown blocks) never fails a site; timers rendered only by JavaScript are not
    seen.
    """
    if (early := no_pages(site)) is not None:
        return early
    hits = text_hits(site, "urgency")
    pages = {h.page for h in hits}
    markup = []
    for page in site.html_pages:
        assert page.facts is not None
        if page.url in pages:
            marks = [m for m in page.facts.markers if _COUNTDOWN_MARKER.match(m)]
            if marks:
                markup.append(Evidence(page.url, "text", marks[0], "countdown markup on the page"))
    return _pressure_outcome(site, hits, "countdown or limited-time message",
                             "visible text checked for countdowns and deadline wording",
                             markup[:3])


# --------------------------------------------------------------------------- activity


def _vendor_evidence_kind(kind: str) -> str:
    return {"script": "script", "iframe": "iframe", "inline": "script"}.get(kind, "text")


@check(
    id="activity-notifications",
    category="honesty",
    severity="low",
    weight=3,
    title="The site does not show activity notifications",
    failure_title="The site shows activity notifications (\"12 people are viewing this\")",
    fix="Remove live-visitor counters and \"someone in Berlin just bought\" pop-ups, or show "
    "only real, verifiable figures; do not install social-proof pop-up apps.",
    scope=("shop",),
)
def activity_notifications(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: live activity wording ("12 people are viewing this", "24 sold in the
    last 24 hours", "Anna from Berlin just bought ...", "5 Personen sehen sich diesen Artikel
    an", "vient d'acheter", "acaba de comprar", "ha appena acquistato", "kocht zojuist",
    "acabou de comprar") and scripts of services whose product is such pop-ups (Fomo, Proof,
    ProveSource, TrustPulse, Nudgify ...). ``found`` is true when either is present.
    Why it matters: these counters push buyers to follow the crowd, and many are generated
    at random (Mathur et al. 2019); customers who notice distrust the whole shop.
    How to fix: remove the pop-ups, or show only real, dated figures.
    Traps: first-person text is a review ("My son in London bought me this"), never a
    notification; personalisation suites (Dynamic Yield, Insider, Qubit, Exponea, Yieldify)
    can show such messages but do much more, so their scripts are reported, not counted; a
    "12 people found this helpful" review vote is not activity; pop-up text rendered by
    JavaScript is not seen, only the vendor script is.
    """
    if (early := no_pages(site)) is not None:
        return early
    hits = text_hits(site, "activity")
    dedicated = activity_vendor_ids()
    vendor_evidence: list[Evidence] = []
    capability: list[Evidence] = []
    for hit in hits_of_kind(site, "urgency"):
        if hit.kind not in ("script", "iframe", "inline", "markup"):
            continue  # a link to a vendor's website is not an embed
        ev = Evidence(hit.page, _vendor_evidence_kind(hit.kind), hit.detail,
                      f"{hit.vendor.name} ({hit.kind})")
        if hit.vendor.id in dedicated:
            vendor_evidence.append(ev)
        else:
            capability.append(Evidence(hit.page, "searched", hit.detail,
                                       f"{hit.vendor.name}: personalisation suite that can show "
                                       "activity messages; not counted without text"))
    if hits or vendor_evidence:
        pages = pages_of(hits)
        hits = distinct(hits)
        names = sorted({e.locator.split(" (")[0] for e in vendor_evidence})
        parts = []
        if hits:
            parts.append(f"{plural(len(hits), 'activity message')} on "
                         f"{plural(pages, 'page')}, e.g. “{hits[0].text[:120]}”")
        if names:
            parts.append("the script of " + ", ".join(names) + " (activity pop-ups, rendered by "
                         "JavaScript)")
        return Outcome.failed("Found " + " and ".join(parts) + ".",
                              hit_evidence(hits) + vendor_evidence[:5], found=True)
    return Outcome.passed(
        "No activity notification or activity pop-up service was found.",
        [_searched(site, "visible text and scripts checked for activity notifications")]
        + capability[:3],
        found=False,
    )


# --------------------------------------------------------------------------- confirmshaming


def _short_texts(site: SiteSnapshot) -> Iterable[Hit]:
    """Buttons, links and short lines: where a pop-up's decline option sits."""
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            text = link.text or link.aria_label
            if text and (found := find("confirmshaming", text)):
                yield Hit(page.url, "link", text, f"{link.region} link {link.href[:60]}", found[0])
        for form in page.facts.forms:
            for field in form.fields:
                is_button = field.tag == "button" or field.type in ("submit", "button", "reset")
                text = field.label or field.value
                if is_button and text and (found := find("confirmshaming", text)):
                    yield Hit(page.url, "form", text, f"{form.region} button", found[0])
        for block in page.facts.blocks:
            if len(block.text) <= 120 and (found := find("confirmshaming", block.text)):
                yield Hit(page.url, "text", block.text, f"{block.region} {block.tag}", found[0])


@check(
    id="confirmshaming",
    category="honesty",
    severity="low",
    weight=3,
    title="Declining an offer is not worded to shame",
    failure_title="Declining an offer is worded to shame (confirmshaming)",
    fix="Word the decline option neutrally: \"No thanks\" or \"Not now\", never \"No thanks, I "
    "prefer paying full price\".",
)
def confirmshaming(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: decline buttons and links whose text shames the visitor: "No thanks,
    I'd rather pay full price", "No thanks, I don't like saving money", "I'd rather not win",
    "Nein danke, ich zahle lieber den vollen Preis", "Non merci, je préfère payer le prix
    fort", "No, gracias, prefiero pagar el precio completo", "No grazie, preferisco pagare il
    prezzo pieno", "Nee bedankt, ik betaal liever de volle prijs", "Não, obrigado, prefiro
    pagar o preço cheio". Links in hidden pop-ups count: their text is still in the page.
    ``found`` is true when such a text is shown.
    Why it matters: guilt-tripping the visitor into accepting an offer is manipulation that
    regulators name (EU DSA recital 67, FTC dark-patterns report), and it cheapens the brand.
    How to fix: a neutral "No thanks".
    Traps: only short texts (buttons, links, lines of at most 80 characters) that are
    themselves a refusal ("No ...", "I ...") count, never prose: a privacy policy saying "if
    you don't want to receive offers" is not shaming, and neither is a polite "No thanks, I
    don't want the newsletter".
    """
    if (early := no_pages(site)) is not None:
        return early
    all_hits = list(_short_texts(site))
    if all_hits:
        hits = distinct(all_hits)
        return Outcome.failed(
            f"Found {plural(len(hits), 'shaming decline text')} on "
            f"{plural(pages_of(all_hits), 'page')}, e.g. “{hits[0].text}” ({hits[0].page}).",
            hit_evidence(hits), found=True)
    return Outcome.passed("No decline option is worded to shame.",
                          [_searched(site, "links, buttons and short lines checked for "
                                           "confirmshaming")], found=False)


# --------------------------------------------------------------------------- testimonials

_TOKENS = re.compile(r"[^a-z0-9]+")
_QUOTES = "\"'“”„«»‘’‚"
_OPENING_QUOTES = tuple("\"“„«‘‚")
_DASHES = "-–—~"
_INLINE_QUOTE = re.compile(r'^["“„«](?P<quote>[^"“”„«»]{30,})["”“»]\s*[-–—~,]?\s*'
                           r'(?P<who>[^"“”„«»]{2,80})$')


@dataclass(frozen=True, slots=True)
class Testimonial:
    page: str
    quote: str
    who: str  # attribution as shown ("" when none)
    source: str  # "text" or "jsonld"


def _attribution(text: str, tag: str) -> str:
    """The name line under a quote, as shown: a dashed line ("— Anna K., Leeds"), a figure
    caption, or a "Verified buyer" label; "" otherwise (a heading or a "See all" link after a
    quote is not a name, and mistaking it for one would invent a "different name")."""
    text = " ".join(text.split())
    if not text or len(text) > 80:
        return ""
    if text.startswith(tuple(_DASHES)) or tag == "figcaption":
        return text.lstrip(_DASHES + " ").strip()
    return text if find("verified-attribution", text) else ""


def testimonials_of(site: SiteSnapshot) -> list[Testimonial]:
    """Quoted testimonials with their attribution, from the visible text and Review markup."""
    found: list[Testimonial] = []
    for page in site.html_pages:
        assert page.facts is not None
        blocks = page.facts.blocks
        for index, block in enumerate(blocks):
            text = " ".join(block.text.split())
            if block.region not in PRESSURE_REGIONS or len(text) < 30 or len(text) > 1000:
                continue
            if (m := _INLINE_QUOTE.match(text)) is not None:
                found.append(Testimonial(page.url, m["quote"], m["who"].strip(), "text"))
            elif text.startswith(_OPENING_QUOTES) or block.tag == "blockquote":
                nxt = blocks[index + 1] if index + 1 < len(blocks) else None
                who = _attribution(nxt.text, nxt.tag) if nxt is not None else ""
                found.append(Testimonial(page.url, text.strip(_QUOTES + " "), who, "text"))
        for item in page.facts.jsonld:
            for node in walk_json(item):
                body = node.get("reviewBody") or node.get("description")
                if "Review" in types_of(node) and isinstance(body, str) and len(body) >= 30:
                    author = node.get("author")
                    name = author.get("name", "") if isinstance(author, dict) else author or ""
                    found.append(Testimonial(page.url, " ".join(body.split()), str(name).strip(),
                                             "jsonld"))
    return found


@check(
    id="testimonials-uncertain-origin",
    category="honesty",
    severity="medium",
    weight=5,
    title="Testimonials have a traceable origin",
    failure_title="Testimonials of uncertain origin (reused, stock photos, unsourced \"verified\")",
    fix="Show testimonials only from real customers, once each, with their name and their own "
    "photo (or none); let a review platform verify reviews you call \"verified\".",
)
def testimonials_uncertain_origin(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: three signs that testimonials cannot be traced to a real customer:
    the same quote under two different names (on one page or across pages, in the text or in
    Review markup); a testimonial portrait taken from a stock-photo library (Shutterstock,
    iStock, Getty, Adobe Stock, Depositphotos, Pexels, Unsplash ... in the image URL, with an
    alt text or file name that says it shows a customer or names the quoted person); and
    quotes attributed only to "Verified buyer" (or "verifizierter Käufer", "acheteur vérifié"
    ...) with no name, on a site with no review platform or app that does the verifying.
    ``found`` is true when one of them is present.
    Why it matters: Mathur et al. (2019) found identical testimonials on unrelated shops; the
    FTC rule on fake reviews (16 CFR 465, 2024) and the EU Unfair Commercial Practices
    Directive forbid invented testimonials, and a buyer who finds a stock photo behind a
    "customer" distrusts everything else.
    How to fix: publish real testimonials with their author's consent, name and own photo.
    Traps: a quote repeated under the same name (a home page and a testimonials page) is one
    testimonial; stock photos elsewhere on the site (banners) are not portraits; "Verified
    buyer" labels printed by review apps (Judge.me, Yotpo, Trustpilot ...) are verified by
    them; duplicates across different sites are beyond a single-site audit.
    """
    if (early := no_pages(site)) is not None:
        return early
    items = testimonials_of(site)
    evidence: list[Evidence] = []
    reasons: list[str] = []
    by_quote: dict[str, list[Testimonial]] = {}
    for item in items:
        by_quote.setdefault(fold(item.quote), []).append(item)
    for group in by_quote.values():
        names = {fold(t.who) for t in group if fold(t.who)}
        if len(names) >= 2:
            reasons.append("the same quote under different names")
            evidence += [Evidence(t.page, "jsonld" if t.source == "jsonld" else "text",
                                  f"“{t.quote}” — {t.who}", "same testimonial, other name")
                         for t in group[:4]]
    data = load_file(DARK_PATTERNS_FILE)["testimonials"]
    stock = tuple(data["stock_photo"])
    portrait = tuple(data["portrait_words"])
    # the quoted person's name ("Anna K." of "Anna K., Leeds") as a portrait's alt text may say
    names = {fold(t.who.split(",")[0]) for t in items if len(fold(t.who.split(",")[0])) >= 3}
    quote_pages = {t.page for t in items}
    for page in site.html_pages:
        assert page.facts is not None
        if page.url not in quote_pages:
            continue
        for image in page.facts.images:
            src = image.src.lower()
            alt = fold(image.alt or image.title)
            if not src or not any(s in src for s in stock):
                continue
            words = set(alt.split()) | set(_TOKENS.split(src))
            named = any(f" {n} " in f" {alt} " for n in names)
            if named or any(t.startswith(w) for t in words for w in portrait):
                reasons.append("a stock photo as a customer portrait")
                evidence.append(Evidence(page.url, "image", image.src,
                                         f"stock-photo portrait, alt “{image.alt}”"))
    verified = [t for t in items if t.who and find("verified-attribution", t.who)]
    platforms = hits_of_kind(site, "review-platform", "review-app")
    if len(verified) >= 2 and not platforms:
        reasons.append("“verified” quotes with no name and no review platform")
        evidence += [Evidence(t.page, "text", f"“{t.quote}” — {t.who}",
                              "“verified” claim without a name or a verifying platform")
                     for t in verified[:4]]
    if reasons:
        unique = list(dict.fromkeys(reasons))
        return Outcome.failed(f"Testimonials of uncertain origin: {'; '.join(unique)}.",
                              evidence[:MAX_EVIDENCE], found=True)
    message = (f"No sign of uncertain origin in {plural(len(items), 'quoted testimonial')}: none "
               "is reused under another name, illustrated with a stock photo, or \"verified\" "
               "without a source." if items else
               "No quoted testimonials were found, so none is of uncertain origin.")
    return Outcome.passed(
        message,
        [Evidence(site.start_url, "searched", plural(len(items), "testimonial"),
                  "quotes and Review markup, their names and portraits")],
        found=False,
    )
