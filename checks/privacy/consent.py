"""Privacy checks about consent and tracking: a consent mechanism, trackers that run before any
choice, pre-ticked consent boxes, and the US opt-out link.

Vocabulary lives in ``checks/consent.toml``; vendor fingerprints in ``checks/vendors.toml``.
Registered under the entry point ``privacy-consent`` (see ``checks/privacy/__init__.py``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.pagetypes import find_page_type
from auditor.detect.text import fold, phrase_regex
from auditor.detect.vendors import (
    Vendor,
    VendorHit,
    globals_pattern,
    hits_of_kind,
    inline_urls,
    load_vendors,
)
from auditor.site import Form, FormField, Page, SiteSnapshot
from checks._common import no_pages, page_type_evidence, plural
from checks.privacy.audience import site_audience

CONSENT_MARKER = re.compile(r"(cookie|consent|gdpr|cmp|cookiebar|cookienotice)", re.I)
ACCEPT_WORDS = re.compile(
    r"\b(accept|akzeptieren|zustimmen|einverstanden|accepter|j accepte|aceptar|acepto|accetta|"
    r"accetto|accepteren|akkoord|aceitar|aceito|allow all|alle zulassen|tout accepter|"
    r"agree|i agree|got it|ok)\b"
)
REJECT_WORDS = re.compile(
    r"\b(reject|decline|ablehnen|refuser|tout refuser|rechazar|rifiuta|weigeren|rejeitar|"
    r"only necessary|nur notwendige|necessary only)\b"
)
TCF_RE = re.compile(r"__tcfapi|__cmp\(|gtag\(\s*['\"]consent['\"]\s*,\s*['\"]default['\"]")
CONSENT_DEFAULT_RE = re.compile(
    r"gtag\(\s*['\"]consent['\"]\s*,\s*['\"]default['\"]\s*,\s*\{([^}]*)\}", re.S)
# Scripts a browser executes; any other type (text/plain ...) is how consent managers park tags.
EXEC_TYPES = frozenset({"", "text/javascript", "application/javascript", "module",
                        "text/ecmascript", "application/ecmascript", "application/x-javascript",
                        "text/jscript"})
# Consent managers in a mode that blocks known tags by itself before consent.
AUTO_BLOCKING = (
    ("data-blockingmode", "auto", "Cookiebot automatic blocking"),
    ("src", "otautoblock.js", "OneTrust auto-blocking"),
    ("src", "autoblocker.js", "Usercentrics auto-blocker"),
)
# Tag-manager containers: what they fire (a consent manager, or trackers) is configured inside
# them and cannot be seen in the HTML.
CONTAINER_MARKERS = ("gtm.js", "gtm.start", "googletagmanager.com/ns.html", "assets.adobedtm.com",
                     "tags.tiqcdn.com")
PERSONAL_FIELD = re.compile(r"e-?mail|correo|courriel|phone|telefon|telefone|telefono|tel\b",
                            re.I)


@dataclass(frozen=True, slots=True)
class ConsentData:
    ad_trackers: frozenset[str]
    cookie_vendor_kinds: tuple[str, ...]
    tracker_cookies: re.Pattern[str]
    gating_attributes: frozenset[str]
    consent_labels: re.Pattern[str] | None
    not_consent: re.Pattern[str] | None
    optin_names: re.Pattern[str]
    do_not_sell: re.Pattern[str] | None


@cache
def consent_data() -> ConsentData:
    raw = tomllib.loads(resources.files("checks").joinpath("consent.toml").read_text("utf-8"))
    return ConsentData(
        ad_trackers=frozenset(raw["ad_trackers"]),
        cookie_vendor_kinds=tuple(raw["cookie_vendor_kinds"]),
        tracker_cookies=re.compile(raw["tracker_cookies"]),
        gating_attributes=frozenset(raw["gating_attributes"]),
        consent_labels=phrase_regex(raw["consent_labels"]),
        not_consent=phrase_regex(raw["not_consent"]),
        optin_names=re.compile(raw["optin_names"]),
        do_not_sell=phrase_regex(raw["do_not_sell"]),
    )


def consent_evidence(site: SiteSnapshot) -> list[Evidence]:
    """Consent-manager scripts, TCF stubs, or a self-built banner with an accept button."""
    evidence = [
        Evidence(h.page, "script" if h.kind in ("script", "iframe") else "text",
                 f"{h.vendor.name}: {h.detail}", f"consent manager ({h.kind})")
        for h in hits_of_kind(site, "cmp")
    ]
    for page in site.html_pages:
        facts = page.facts
        assert facts is not None
        for script in facts.scripts:
            if script.inline and (m := TCF_RE.search(script.inline)):
                evidence.append(Evidence(page.url, "script", m.group(0),
                                         "consent API in inline script"))
        markers = [m for m in facts.markers if CONSENT_MARKER.search(m)]
        if markers:
            labels = [fold(f.label or f.value) for form in facts.forms for f in form.fields
                      if f.tag == "button" or f.type in ("button", "submit")]
            labels += [fold(lk.text) for lk in facts.links
                       if lk.href.startswith(("#", "javascript")) or lk.role == "button"]
            labels += [fold(b.text) for b in facts.blocks if len(b.text) < 400
                       and CONSENT_MARKER.search(b.text)]
            accept = next((t for t in labels if ACCEPT_WORDS.search(t)), None)
            if accept is not None:
                has_reject = any(REJECT_WORDS.search(t) for t in labels)
                evidence.append(Evidence(
                    page.url, "text", accept[:120],
                    f"banner markup {markers[0]} with an accept button"
                    + ("" if has_reject else " (no reject button seen: notice without choice?)")))
    return evidence


@check(
    id="cookie-consent",
    category="privacy",
    severity="high",
    weight=6,
    title="The site asks for consent before tracking",
    failure_title="Tracking scripts load with no consent banner",
    fix="Add a consent manager that blocks tracking scripts until the visitor agrees.",
)
def cookie_consent(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a consent manager by vendor (OneTrust, Cookiebot, Usercentrics, Didomi,
    iubenda ... by script host, markup and globals), an IAB TCF or Google Consent Mode call in an
    inline script, or a self-built banner (cookie/consent markup with an accept button). When
    none is found it looks for tracker scripts (Google Analytics, Meta pixel, TikTok ...).
    Why it matters: in the EU, non-essential cookies need prior consent (ePrivacy Art. 5(3));
    visitors notice trackers that run without asking.
    How to fix: load trackers only after consent, through a consent manager that offers accept
    and reject with equal prominence.
    Traps: banners injected late by JavaScript cannot be seen statically (T6a), so a site whose
    only tracker is a tag-manager container (GTM often loads the consent manager itself) is
    unknown; a notice with only an OK button is weaker than a real choice; with no tracker the
    banner is not needed, so its absence is not a failure.
    """
    if (early := no_pages(site)) is not None:
        return early
    evidence = consent_evidence(site)
    if evidence:
        return Outcome.passed("A consent mechanism was found.", evidence)
    trackers = hits_of_kind(site, "tracker")
    if trackers and all(is_container(h.detail) for h in trackers):
        return Outcome.unknown(
            "Only a tag manager loads from the static HTML; the consent banner and the tags it "
            "may load are configured inside it and cannot be seen without running the page.",
            [Evidence(h.page, "script", h.detail, f"{h.vendor.name} container")
             for h in trackers[:3]])
    if trackers:
        names = sorted({h.vendor.name for h in trackers})
        return Outcome.failed(
            f"Tracker scripts ({', '.join(names)}) are in the pages, but no consent banner or "
            "consent manager was found.",
            [Evidence(h.page, "script", h.detail, f"{h.vendor.name} tracker") for h in trackers[:5]]
            + [Evidence(site.start_url, "searched", "",
                        "consent-manager scripts, TCF API, banner markup")],
        )
    return Outcome.not_applicable(
        "No consent banner was found, and none is needed: no tracker script was seen.",
        found=False,
    )


# --------------------------------------------------------------------------- trackers


@dataclass(frozen=True, slots=True)
class TrackerTag:
    page: str
    vendor: Vendor
    detail: str  # script URL, or the global/URL named in an inline script
    runs: bool  # an executable script type: it runs as the page loads
    why_parked: str  # for parked tags: the type and consent attribute that hold it back
    container: bool  # a tag-manager container (GTM, Adobe Launch), not a tracker by itself


def is_container(text: str) -> bool:
    """True for a tag-manager loader (Google Tag Manager's gtm.js, Adobe Launch ...)."""
    return any(marker in text for marker in CONTAINER_MARKERS)


def tracker_tags(site: SiteSnapshot) -> list[TrackerTag]:
    """Every <script> (by src or inline code) that loads a tracker, and whether it runs."""
    trackers = [v for v in load_vendors() if v.kind == "tracker"]
    gating = consent_data().gating_attributes
    tags: list[TrackerTag] = []
    for page in site.html_pages:
        assert page.facts is not None
        for script in page.facts.scripts:
            attrs = dict(script.attrs)
            runs = script.type in EXEC_TYPES
            parked = "" if runs else f'type="{script.type}"' + "".join(
                f" {a}" for a in sorted(gating & set(attrs)))
            inline = script.inline if script.type in EXEC_TYPES | {"text/plain"} else ""
            urls = inline_urls(inline) if inline else []
            container = is_container(f"{script.src} {inline}")
            for vendor in trackers:
                detail = ""
                if script.src and vendor.url_matches(script.src):
                    detail = script.src
                elif inline:
                    url = next((u for u in urls if vendor.url_matches(u)), "")
                    pattern = globals_pattern(vendor)
                    m = pattern.search(inline) if pattern is not None and not url else None
                    detail = url or (f"inline {m.group(0)}" if m else "")
                if detail:
                    tags.append(TrackerTag(page.url, vendor, detail, runs, parked, container))
    return tags


def consent_mode_denied(site: SiteSnapshot) -> Evidence | None:
    """An inline Google Consent Mode default that denies storage until the visitor chooses."""
    for page in site.html_pages:
        assert page.facts is not None
        for script in page.facts.scripts:
            if script.inline and script.type in EXEC_TYPES:
                for m in CONSENT_DEFAULT_RE.finditer(script.inline):
                    if "denied" in m.group(1):
                        return Evidence(page.url, "script", m.group(0),
                                        "Google Consent Mode default: denied")
    return None


def auto_blocking(site: SiteSnapshot) -> Evidence | None:
    for page in site.html_pages:
        assert page.facts is not None
        for script in page.facts.scripts:
            attrs = dict(script.attrs) | {"src": script.src.lower()}
            for attr, value, name in AUTO_BLOCKING:
                if value in attrs.get(attr, "").lower():
                    return Evidence(page.url, "script", script.src or f"{attr}={value}", name)
    return None


def tracker_cookies(site: SiteSnapshot) -> list[Evidence]:
    """Tracker cookies set by the server in the first response (URL mode)."""
    pattern = consent_data().tracker_cookies
    found = []
    for page in site.pages:
        for value in page.header_values("set-cookie"):
            name = value.split("=", 1)[0].strip()
            if pattern.match(name):
                found.append(Evidence(page.url, "header", f"Set-Cookie: {value[:120]}",
                                      f"tracker cookie {name} set before any consent"))
    return found


def cookie_evidence(site: SiteSnapshot) -> list[Evidence]:
    """Signs that the site sets or reads cookies: widget scripts, tracker cookies, a banner."""
    kinds = consent_data().cookie_vendor_kinds
    evidence = [Evidence(h.page, "script", h.detail, f"{h.vendor.name} ({h.vendor.kind})")
                for h in hits_of_kind(site, *kinds) if h.kind in ("script", "inline", "iframe")]
    evidence += tracker_cookies(site)
    evidence += [e for e in consent_evidence(site) if "banner" in e.locator]
    return evidence


def _tag_evidence(tags: list[TrackerTag]) -> list[Evidence]:
    return [Evidence(t.page, "script", t.detail,
                     f"{t.vendor.name}: "
                     + ("runs on load" if t.runs else f"parked ({t.why_parked})"))
            for t in tags[:5]]


@check(
    id="tracking-before-consent",
    category="privacy",
    severity="medium",
    weight=5,
    title="No tracker runs before the visitor has a choice",
    failure_title="Trackers run as the page loads, with no consent manager",
    fix="Load analytics and advertising tags only after consent: through a consent manager that "
    "blocks them (type=\"text/plain\" with its category attribute, or its auto-blocking mode), "
    "or with Google Consent Mode defaulting to denied.",
)
def tracking_before_consent(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: tracker scripts (Google Analytics/Tag Manager, Meta pixel, TikTok,
    LinkedIn Insight, Hotjar, Clarity ... checks/vendors.toml) that run from the static HTML —
    an executable <script src> or inline loader — while no consent mechanism is present: no
    consent manager, TCF stub, self-built banner, or Google Consent Mode default of "denied". In
    URL mode, tracker cookies (_ga, _fbp ...) set by the server in the first response are
    proof on their own. found=true means trackers run before consent (a negative signal).
    Why it matters: in Europe, trackers need prior consent (ePrivacy Art. 5(3), Planet49); tags
    that fire before the visitor chooses are the most common cookie violation.
    How to fix: park each tag until consent (type="text/plain" plus the consent manager's
    category attribute, or its auto-blocking mode), or use Consent Mode with denied defaults.
    Traps: Google Consent Mode with a denied default is consent-aware (tags load but set no
    cookies); scripts of type "text/plain" are parked, not run; when a consent manager is present
    but the tags are not visibly parked, or the only tag is a tag-manager container (which may
    load the consent manager itself), what runs before consent cannot be seen without running
    the page, so the result is unknown, never a fail. Only sites that address Europe can fail.
    """
    if (early := no_pages(site)) is not None:
        return early
    tags = tracker_tags(site)
    running = [t for t in tags if t.runs]
    cookies = tracker_cookies(site)
    searched = Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                        "tracker <script> tags and inline loaders, consent managers, "
                        "Consent Mode defaults")
    audience = site_audience(site)
    scope = "" if audience.europe else (
        " The site does not appear to address European visitors "
        f"({audience.why_not('europe')}), so prior consent is not required of it.")
    if cookies:
        outcome = Outcome.failed(
            "The server sets tracker cookies in its first response, before any consent.",
            cookies[:3] + _tag_evidence(running), found=True)
    elif not running:
        if tags:
            return Outcome.passed("Tracker tags are present but parked until consent.",
                                  _tag_evidence(tags), found=False)
        return Outcome.passed("No tracker script runs from the static HTML.", [searched],
                              found=False)
    else:
        denied = consent_mode_denied(site)
        google = {"google-analytics", "google-tag-manager", "google-ads"}
        if denied is not None:
            running = [t for t in running if t.vendor.id not in google]
            if not running:
                return Outcome.passed(
                    "Google tags load with Consent Mode defaulting to denied: they set no "
                    "cookies until the visitor agrees.", [denied], found=False)
        blocker = auto_blocking(site)
        if blocker is not None:
            return Outcome.passed(f"The consent manager blocks tags automatically "
                                  f"({blocker.locator}).", [blocker, *_tag_evidence(running)],
                                  found=False)
        if all(t.container for t in running):
            return Outcome.unknown(
                "Only a tag manager runs from the static HTML; the tags it fires, and any "
                "consent manager it loads first, cannot be seen without running the page.",
                _tag_evidence(running))
        mechanism = consent_evidence(site) + ([denied] if denied else [])
        names = ", ".join(sorted({t.vendor.name for t in running}))
        if mechanism:
            return Outcome.unknown(
                f"Tracker tags ({names}) are in the page as runnable scripts and a consent "
                "mechanism is present; whether it holds them until consent cannot be seen "
                "without running the page.", [*mechanism[:2], *_tag_evidence(running)])
        outcome = Outcome.failed(
            f"Tracker tags ({names}) run as the page loads, and no consent manager, banner or "
            "Consent Mode default was found.", [*_tag_evidence(running), searched], found=True)
    if scope:
        return Outcome.not_applicable(scope.strip() + " " + outcome.message, found=True)
    return outcome


# --------------------------------------------------------------------------- pre-ticked boxes


def _collects_personal_data(form: Form) -> bool:
    return any(
        f.type in ("email", "tel") or PERSONAL_FIELD.search(f"{f.name} {f.label} {f.placeholder}")
        for f in form.fields if f.tag in ("input", "textarea") and f.type not in (
            "checkbox", "radio", "hidden", "submit", "button")
    )


def prechecked_boxes(site: SiteSnapshot) -> list[tuple[Page, Form, FormField, str]]:
    """(page, form, field, why) for pre-ticked consent or marketing boxes in personal-data forms;
    the same box repeated in every footer is reported once."""
    data = consent_data()
    found: list[tuple[Page, Form, FormField, str]] = []
    seen: set[tuple[str, str]] = set()
    for page in site.html_pages:
        assert page.facts is not None
        for form in page.facts.forms:
            if not _collects_personal_data(form):
                continue
            for field in form.fields:
                if field.type != "checkbox" or not field.checked:
                    continue
                label = fold(field.label)
                if label and data.not_consent is not None and data.not_consent.search(label):
                    continue
                why = ""
                if label and data.consent_labels is not None and (
                        m := data.consent_labels.search(label)):
                    why = f"label names {m.group(0)!r}"
                elif not label and data.optin_names.search(field.name):
                    why = f"opt-in field name {field.name!r}"
                if why and (label, field.name) not in seen:
                    seen.add((label, field.name))
                    found.append((page, form, field, why))
    return found


@check(
    id="prechecked-consent",
    category="privacy",
    severity="high",
    weight=6,
    title="Consent and marketing boxes start unticked",
    failure_title="A consent or marketing checkbox is ticked in advance",
    fix="Leave every consent, newsletter and data-sharing checkbox unticked: the visitor must "
    "tick it themselves for the consent to count.",
)
def prechecked_consent(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: checkboxes that are `checked` in the HTML, in forms that collect an
    e-mail address or phone number, whose label speaks of newsletters, marketing, offers,
    partners, third parties or consent to processing (seven languages, checks/consent.toml), or
    that have no label but an opt-in name (customer[accepts_marketing]). found=true means such a
    box was found (a negative signal).
    Why it matters: a pre-ticked box is not consent (CJEU Planet49, GDPR Art. 4(11)); it is
    also the "trick question" dark pattern.
    How to fix: render the boxes unticked and record consent only when the visitor ticks them.
    Traps: "remember me", "same as billing address", "save my details" and the mandatory
    acceptance of terms or acknowledgement of the privacy policy are not consent and are never
    reported; filter and search forms (no e-mail or phone field) are ignored; pre-ticked paid
    add-ons (insurance, donations) are the honesty family's concern.
    """
    if (early := no_pages(site)) is not None:
        return early
    boxes = prechecked_boxes(site)
    checked = sum(1 for p in site.html_pages if p.facts for f in p.facts.forms for x in f.fields
                  if x.type == "checkbox")
    if boxes:
        evidence = [Evidence(page.url, "form", f"[x] {field.label or field.name}",
                             f"pre-ticked checkbox ({why}) in the form to "
                             f"{form.action or page.url}")
                    for page, form, field, why in boxes[:5]]
        return Outcome.failed(
            f"{plural(len(boxes), 'consent or marketing checkbox')} "
            f"{'is' if len(boxes) == 1 else 'are'} ticked in advance: "
            + "; ".join(f'"{(f.label or f.name)[:60]}"' for _, _, f, _ in boxes[:3]) + ".",
            evidence, found=True)
    return Outcome.passed(
        f"No consent or marketing checkbox is ticked in advance ({plural(checked, 'checkbox')} "
        "examined).",
        [Evidence(site.start_url, "searched", plural(checked, "checkbox"),
                  "checked consent/marketing boxes in forms that collect an e-mail or phone")],
        found=False)


# --------------------------------------------------------------------------- do not sell


def do_not_sell_links(site: SiteSnapshot) -> list[Evidence]:
    """Links and buttons labelled as a US opt-out (they may open a dialog rather than a page)."""
    pattern = consent_data().do_not_sell
    evidence: list[Evidence] = []
    result = find_page_type(site, "do-not-sell")
    if result.found:
        evidence += page_type_evidence(result)
    if pattern is None:
        return evidence
    for page in site.html_pages:
        assert page.facts is not None
        labels = [(lk.text or lk.aria_label or lk.title or lk.img_alt, "link", lk.region)
                  for lk in page.facts.links]
        labels += [(f.label, "form", form.region) for form in page.facts.forms
                   for f in form.fields if f.tag == "button"]
        for label, kind, region in labels:
            folded = fold(label)
            if folded and len(folded.split()) <= 15 and (m := pattern.search(folded)):
                evidence.append(Evidence(page.url, kind, label, f"{region} {kind}: {m.group(0)}"))
                break
    return evidence


def ad_tracker_hits(site: SiteSnapshot) -> list[VendorHit]:
    ads = consent_data().ad_trackers
    return [h for h in hits_of_kind(site, "tracker")
            if h.vendor.id in ads and h.kind in ("script", "inline", "iframe", "image")]


@check(
    id="do-not-sell-link",
    category="privacy",
    severity="low",
    weight=3,
    title="The site offers a 'Do Not Sell or Share' opt-out",
    failure_title="No 'Do Not Sell or Share My Personal Information' link on a US-facing site "
    "with advertising trackers",
    fix="Add a 'Do Not Sell or Share My Personal Information' or 'Your Privacy Choices' link to "
    "the footer that lets visitors opt out of sale and sharing (and honour Global Privacy "
    "Control).",
)
def do_not_sell_link(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a link or button labelled "Do Not Sell or Share My Personal
    Information", "Your Privacy Choices", "California privacy rights", "opt out of sale/targeted
    advertising" (also as a dialog button, which the CCPA allows), or a page of that kind.
    Why it matters: California's CCPA/CPRA (and similar state laws) require businesses above
    their thresholds that sell or share personal data — advertising pixels count as sharing —
    to offer this opt-out.
    How to fix: add the link to the footer and connect it to an opt-out that also honours
    Global Privacy Control.
    Traps: the link only matters for US-facing sites — decided from an en-US locale with nothing
    pointing elsewhere, en-US/es-US hreflang, a US address, USD prices, a .us domain or a
    policy citing the CCPA; elsewhere it is not applicable. Analytics alone is not sale or
    sharing, so a US site without advertising trackers is not applicable either; consent
    managers often inject the link, so with one present a missing link is unknown. The CCPA's
    size thresholds cannot be seen on a website, so the severity stays low.
    """
    if (early := no_pages(site)) is not None:
        return early
    links = do_not_sell_links(site)
    if links:
        return Outcome.passed("Found a US privacy opt-out link.", links[:4])
    audience = site_audience(site)
    if not audience.us:
        return Outcome.not_applicable(
            "No 'Do Not Sell' link was found; the site does not appear to address US visitors "
            f"({audience.why_not('us')}).", found=False)
    ads = ad_tracker_hits(site)
    if not ads:
        return Outcome.not_applicable(
            "No 'Do Not Sell' link was found; the pages load no advertising tracker, so nothing "
            "suggests personal data is sold or shared.", found=False)
    names = ", ".join(sorted({h.vendor.name for h in ads}))
    cmps = hits_of_kind(site, "cmp")
    if cmps:
        return Outcome.unknown(
            f"No 'Do Not Sell' link is in the HTML, but a consent manager ({cmps[0].vendor.name})"
            " is present and may add its opt-out link or button when the page runs.",
            [Evidence(h.page, "script", h.detail, f"{h.vendor.name} consent manager")
             for h in cmps[:2]])
    return Outcome.failed(
        f"The site addresses US visitors ({audience.why('us')}) and loads advertising trackers "
        f"({names}), but no 'Do Not Sell or Share' / 'Your Privacy Choices' link was found.",
        [*(Evidence(h.page, "script", h.detail, f"{h.vendor.name} advertising tracker")
           for h in ads[:3]),
         Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "link and button labels naming a Do Not Sell / privacy choices opt-out")],
    )
