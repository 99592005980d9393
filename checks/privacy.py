"""Privacy checks: a privacy policy, and a consent mechanism where tracking needs one."""

from __future__ import annotations

import re

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.text import fold
from auditor.detect.vendors import hits_of_kind
from auditor.site import SiteSnapshot
from checks._common import no_pages, page_type_outcome


@check(
    id="privacy-policy",
    category="privacy",
    severity="critical",
    weight=9,
    title="The site links to a privacy policy",
    failure_title="No privacy policy is linked from the site",
    fix="Publish a privacy policy and link it from the footer of every page.",
)
def privacy_policy(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a link whose text, rel="privacy-policy" or URL names a privacy policy
    (Datenschutz, politique de confidentialité, política de privacidad ... in seven languages),
    confirmed by the linked page's title, heading and content (personal data, rights,
    controller). Hosted policies (iubenda, Termly) count.
    Why it matters: customers want to know what happens to their data before they hand it over;
    the GDPR and California law require the notice, and Google checks for it.
    How to fix: publish a privacy policy page that names the controller, the data collected, the
    purposes and legal bases, retention, and the visitor's rights; link it from every footer.
    Traps: "Privacy settings" buttons that open a cookie dialog are not a policy (T1); Google's
    reCAPTCHA or PayPal policy links are someone else's (T2); a page returning the site's
    "not found" template is not a policy (T5).
    """
    return page_type_outcome(site, "privacy", "a privacy policy")


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
                evidence.append(Evidence(page.url, "script", m.group(0), "consent API in inline script"))
        markers = [m for m in facts.markers if CONSENT_MARKER.search(m)]
        if markers:
            labels = [fold(f.label or f.value) for form in facts.forms for f in form.fields
                      if f.tag == "button" or f.type in ("button", "submit")]
            labels += [fold(lk.text) for lk in facts.links if lk.href.startswith(("#", "javascript"))
                       or lk.role == "button"]
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
    Traps: banners injected late by JavaScript cannot be seen statically (T6a); a notice with
    only an OK button is weaker than a real choice; with no tracker the banner is not needed, so
    its absence is not a failure.
    """
    if (early := no_pages(site)) is not None:
        return early
    evidence = consent_evidence(site)
    if evidence:
        return Outcome.passed("A consent mechanism was found.", evidence)
    trackers = hits_of_kind(site, "tracker")
    if trackers:
        names = sorted({h.vendor.name for h in trackers})
        return Outcome.failed(
            f"Tracker scripts ({', '.join(names)}) are in the pages, but no consent banner or "
            "consent manager was found.",
            [Evidence(h.page, "script", h.detail, f"{h.vendor.name} tracker") for h in trackers[:5]]
            + [Evidence(site.start_url, "searched", "", "consent-manager scripts, TCF API, banner markup")],
        )
    return Outcome.not_applicable(
        "No consent banner was found, and none is needed: no tracker script was seen.",
        found=False,
    )
