"""Third parties vouching for the business: certifications, awards and trust seals."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.text import snippet_around
from auditor.detect.vendors import hits_of_kind
from auditor.site import SiteSnapshot
from checks._common import no_pages, plural

CLAIM_WINDOW = 60


@dataclass(frozen=True, slots=True)
class CertPattern:
    name: str
    regex: re.Pattern[str]
    group: str
    needs_claim: bool


@cache
def cert_vocabulary() -> tuple[tuple[CertPattern, ...], re.Pattern[str]]:
    text = resources.files("checks").joinpath("certifications.toml").read_text("utf-8")
    data = tomllib.loads(text)
    patterns = tuple(
        CertPattern(c["name"], re.compile(c["pattern"], re.I if c.get("ignore_case") else 0),
                    c["group"], bool(c.get("needs_claim", False)))
        for c in data["cert"]
    )
    return patterns, re.compile(rf"\b(?:{data['claim_words']})\b", re.I)


def certification_claims(site: SiteSnapshot) -> list[tuple[CertPattern, Evidence]]:
    patterns, claim = cert_vocabulary()
    found: dict[str, tuple[CertPattern, Evidence]] = {}
    for page in site.html_pages:
        facts = page.facts
        assert facts is not None
        texts = [(b.text, "text", b.region) for b in facts.blocks]
        texts += [(f"{i.alt} {i.title}".strip(), "image", i.region) for i in facts.images if i.alt or i.title]
        texts += [(lk.title or lk.aria_label, "link", lk.region) for lk in facts.links if lk.title or lk.aria_label]
        for text, kind, region in texts:
            for pattern in patterns:
                if pattern.name in found:
                    continue
                m = pattern.regex.search(text)
                if not m:
                    continue
                if pattern.needs_claim and kind == "text":
                    window = text[max(0, m.start() - CLAIM_WINDOW) : m.end() + CLAIM_WINDOW]
                    if not claim.search(window):
                        continue
                found[pattern.name] = (
                    pattern,
                    Evidence(page.url, kind, snippet_around(text, m.start(), m.end(), 60),
                             f"{region} {kind}: {pattern.name}"),
                )
    return [found[k] for k in sorted(found)]


@check(
    id="certifications",
    category="credentials",
    severity="info",
    weight=2,
    title="The site names certifications or awards",
    failure_title="No certification, standard or award is named",
    fix="If you hold certifications (ISO 27001, SOC 2, B Corp, Fairtrade ...) or awards, name "
    "them with the issuer and link to the issuer's register.",
)
def certifications(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: names of management-system, security, consumer-trustmark, testing,
    ethical and environmental certifications and awards (ISO 27001, SOC 2, PCI DSS, Trusted
    Shops, TÜV, B Corp, Fairtrade, "award-winning ... 2024" ...) in visible text and image alt
    text; generic names need a claim word nearby (certified, zertifiziert, certifié ...).
    Why it matters: a third party vouching for the business is a strong trust signal when it
    can be checked.
    How to fix: name each certification with its issuer and validity and link to the issuer's
    public register.
    Traps: "GDPR compliant" is a self-claim; partner programmes (Google Partner) and CE marking
    are not certifications; a supplier's certificate on a product page is not the business's.
    """
    if (early := no_pages(site)) is not None:
        return early
    claims = certification_claims(site)
    if claims:
        names = [p.name for p, _ in claims]
        return Outcome.passed(f"Names {plural(len(names), 'certification or award')}: "
                              + ", ".join(names[:5]) + ".", [e for _, e in claims][:6])
    return Outcome.failed(
        "No certification, standard or award is named on the pages audited.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "text and image alt text for certification and award names")],
    )


@check(
    id="trust-seals",
    category="credentials",
    severity="info",
    weight=2,
    title="The site shows third-party trust seals",
    failure_title="No third-party trust seal was found",
    fix="If you belong to a trustmark scheme (Trusted Shops, BBB, Thuiswinkel ...) or use a "
    "security seal, embed the issuer's own seal script or image so it links to the live "
    "verification page.",
    scope=("shop",),
)
def trust_seals(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: seal and trustmark scripts, images and verification links served by the
    issuer (DigiCert, TrustedSite, BBB, TRUSTe, Trusted Shops, Norton Shopping Guarantee,
    SiteLock, SecurityMetrics ...).
    Why it matters: a seal the issuer serves and verifies tells shoppers a third party checked
    the shop; an image the shop hosts itself proves nothing.
    How to fix: use the issuer's embed code, so the seal links to the live verification page for
    your domain.
    Traps: "100% secure checkout" badges drawn by themes are decoration, not seals; a copy of a
    seal image on the shop's own server cannot be verified.
    """
    if (early := no_pages(site)) is not None:
        return early
    hits = hits_of_kind(site, "seal", "trustmark", "privacy-seal")
    if hits:
        return Outcome.passed(
            "Found " + ", ".join(sorted({h.vendor.name for h in hits})) + ".",
            [Evidence(h.page, "script" if h.kind == "script" else "image" if h.kind == "image"
                      else "link" if h.kind == "link" else "text", h.detail,
                      f"{h.vendor.name} ({h.kind})") for h in hits[:6]],
        )
    return Outcome.failed(
        "No seal or trustmark served by its issuer was found.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "seal and trustmark scripts, images and verification links")],
    )
