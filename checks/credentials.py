"""Third parties vouching for the business: certifications, awards and trust seals."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from auditor.check_api import Evidence, Outcome, check
from auditor.detect import memo
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
    product: bool = False  # a product label (Fairtrade, FSC ...), not the business's certificate


@cache
def cert_vocabulary() -> tuple[tuple[CertPattern, ...], re.Pattern[str]]:
    text = resources.files("checks").joinpath("certifications.toml").read_text("utf-8")
    data = tomllib.loads(text)
    patterns = tuple(
        CertPattern(c["name"], re.compile(c["pattern"], re.I if c.get("ignore_case") else 0),
                    c["group"], bool(c.get("needs_claim", False)), bool(c.get("product", False)))
        for c in data["cert"]
    )
    return patterns, re.compile(rf"\b(?:{data['claim_words']})\b", re.I)


@cache
def _any_cert() -> re.Pattern[str]:
    """Matches a text exactly when one of the certification patterns does: most texts name
    none, and one search rules them out."""
    patterns, _ = cert_vocabulary()
    return re.compile("|".join(
        f"(?i:{p.regex.pattern})" if p.regex.flags & re.I else f"(?:{p.regex.pattern})"
        for p in patterns))


def certification_claims(site: SiteSnapshot) -> list[tuple[CertPattern, Evidence]]:
    """Certification and award names claimed on the pages, one per name, sorted by name
    (memoised per snapshot: two checks read it)."""
    return memo(site, "credentials:claims", lambda: _certification_claims(site))


def _certification_claims(site: SiteSnapshot) -> list[tuple[CertPattern, Evidence]]:
    patterns, claim = cert_vocabulary()
    any_cert = _any_cert()
    found: dict[str, tuple[CertPattern, Evidence]] = {}
    seen: set[tuple[str, str]] = set()  # a text repeated on later pages can add nothing new
    for page in site.html_pages:
        facts = page.facts
        assert facts is not None
        texts = [(b.text, "text", b.region) for b in facts.blocks]
        texts += [(f"{i.alt} {i.title}".strip(), "image", i.region) for i in facts.images
                  if i.alt or i.title]
        texts += [(lk.title or lk.aria_label, "link", lk.region) for lk in facts.links
                  if lk.title or lk.aria_label]
        for text, kind, region in texts:
            if (text, kind) in seen:
                continue
            seen.add((text, kind))
            if not any_cert.search(text):
                continue
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


# --------------------------------------------------------------------------- verifiable


@dataclass(frozen=True, slots=True)
class Verifier:
    host: re.Pattern[str]
    path: re.Pattern[str] | None
    certs: frozenset[str]


@dataclass(frozen=True, slots=True)
class VerificationData:
    verifiers: tuple[Verifier, ...]
    certificate_number: re.Pattern[str]
    valid_until: re.Pattern[str]
    pdf_words: re.Pattern[str]


@cache
def verification_data() -> VerificationData:
    text = resources.files("checks").joinpath("certifications.toml").read_text("utf-8")
    data = tomllib.loads(text)
    ver = data["verification"]
    return VerificationData(
        tuple(Verifier(re.compile(v["host"]), re.compile(v["path"]) if v.get("path") else None,
                       frozenset(v["certs"])) for v in data["verifier"]),
        re.compile(ver["certificate_number"]),
        re.compile(ver["valid_until"]),
        re.compile(ver["pdf_words"]),
    )


ANY_CERT_GROUPS = ("security", "quality", "testing")


def _covers(verifier: Verifier, claim: CertPattern) -> bool:
    return claim.name in verifier.certs or ("*" in verifier.certs
                                            and claim.group in ANY_CERT_GROUPS)


def verification_evidence(site: SiteSnapshot, claims: list[CertPattern]) -> list[Evidence]:
    """Links to issuers' registers or certificate documents, and certificate numbers or validity
    dates written next to a claim."""
    data = verification_data()
    patterns, _ = cert_vocabulary()
    by_name = {c.name: c for c in claims}
    evidence: list[Evidence] = []
    verified: set[str] = set()
    for page in site.html_pages:
        facts = page.facts
        assert facts is not None
        for link in facts.links:
            if not link.url:
                continue
            parts = urlsplit(link.url)
            host = (parts.hostname or "").lower().removeprefix("www.")
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            label = " ".join(x for x in (link.text, link.title, link.aria_label, link.img_alt) if x)
            for verifier in data.verifiers:
                if not verifier.host.search(host) or (
                        verifier.path is not None and not verifier.path.search(path)):
                    continue
                for claim in claims:
                    if claim.name not in verified and _covers(verifier, claim):
                        verified.add(claim.name)
                        evidence.append(Evidence(page.url, "link", label or link.url,
                                                 f"{claim.name}: issuer register {link.url}"))
            if parts.path.lower().endswith(".pdf") and data.pdf_words.search(
                    f"{parts.path} {label}"):
                named = [p for p in patterns if p.name in by_name and (
                    p.regex.search(label) or p.regex.search(parts.path.replace("_", " ")))]
                for claim in named or claims[:1]:
                    if claim.name not in verified:
                        verified.add(claim.name)
                        evidence.append(Evidence(page.url, "link", label or link.url,
                                                 f"{claim.name}: certificate document {link.url}"))
        for block in facts.blocks:
            number = data.certificate_number.search(block.text)
            valid = data.valid_until.search(block.text)
            if not number and not valid:
                continue
            for claim in claims:
                if claim.name not in verified and claim.regex.search(block.text):
                    verified.add(claim.name)
                    m = number or valid
                    assert m is not None
                    evidence.append(Evidence(page.url, "text",
                                             snippet_around(block.text, m.start(), m.end(), 60),
                                             f"{claim.name}: certificate "
                                             + ("number" if number else "validity") + " stated"))
    return evidence


@check(
    id="certification-verifiable",
    category="credentials",
    severity="low",
    weight=2,
    title="Named certifications can be checked with the issuer",
    failure_title="The certifications named cannot be checked with their issuers",
    fix="Link each certification to the issuer's register or certificate page (B Corp "
    "directory, Trusted Shops certificate, FSC database, the certifier's certificate PDF) or "
    "state the certificate number and validity.",
)
def certification_verifiable(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: for the certifications the `certifications` check finds, a way to check
    them: a link to the issuer's register or certificate page (bcorporation.net/find-a-b-corp,
    trustedshops.*/bewertung/info_X…, info.fsc.org, certipedia.com, the certification bodies'
    certificate checkers, IAF CertSearch, Cyber Essentials registry, a SOC 2 trust portal …),
    a linked certificate PDF, or a certificate number or validity date written next to the
    claim (checks/certifications.toml). Not applicable when no certification is named.
    Why it matters: a claim the customer can check with the issuer is worth far more than a
    logo; false claims of certification are misrepresentation (Google Merchant policy).
    How to fix: link the issuer's record of your certificate from where you name it.
    Traps: awards are judged by `awards`, not here; product labels (Fairtrade, FSC, GOTS, EU
    Ecolabel, Stiftung Warentest …) certify goods, often a supplier's, and are not judged; a
    register link counts only for the certifications it can verify (a B Corp directory link
    does not verify ISO 9001); a PDF counts only when its name or link text says it is a
    certificate.
    """
    if (early := no_pages(site)) is not None:
        return early
    named = [(p, e) for p, e in certification_claims(site) if p.group != "award"]
    claims = [(p, e) for p, e in named if not p.product]
    if not claims:
        labels = ", ".join(p.name for p, _ in named)
        return Outcome.not_applicable(
            f"Only product labels are named ({labels}); they are checked on the product, not "
            "as the business's certificate." if named else
            "No certification is named (see certifications), so there is nothing to verify.")
    names = [p.name for p, _ in claims]
    evidence = verification_evidence(site, [p for p, _ in claims])
    if evidence:
        checked = sorted({e.locator.split(":")[0] for e in evidence})
        return Outcome.passed(
            f"{len(checked)} of {plural(len(names), 'named certification')} can be checked "
            f"with the issuer: {', '.join(checked)}.", evidence[:6])
    return Outcome.failed(
        f"Names {', '.join(names[:5])}, but links no issuer register or certificate and "
        "states no certificate number or validity.",
        [e for _, e in claims][:4]
        + [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                    "links to issuer registers and certificate PDFs; certificate numbers")])


# --------------------------------------------------------------------------- awards


@dataclass(frozen=True, slots=True)
class AwardData:
    words: re.Pattern[str]
    prix_name: re.Pattern[str]
    year: re.Pattern[str]
    vague: re.Pattern[str]
    not_award: re.Pattern[str]


@cache
def award_data() -> AwardData:
    text = resources.files("checks").joinpath("certifications.toml").read_text("utf-8")
    raw = tomllib.loads(text)["awards"]
    return AwardData(*(re.compile(raw[k]) for k in ("words", "prix_name", "year", "vague",
                                                    "not_award")))


AWARD_WINDOW = 80


def award_mentions(site: SiteSnapshot) -> tuple[list[Evidence], list[Evidence]]:
    """(named awards: an award word with a year within the same sentence, vague claims)."""
    data = award_data()
    named: dict[str, Evidence] = {}
    vague: dict[str, Evidence] = {}
    seen: set[tuple[str, str]] = set()
    for page in site.html_pages:
        facts = page.facts
        assert facts is not None
        texts = [(b.text, "text", b.region) for b in facts.blocks if len(b.text) <= 600]
        texts += [(f"{i.alt} {i.title}".strip(), "image", i.region) for i in facts.images
                  if i.alt or i.title]
        for text, kind, region in texts:
            if (text, kind) in seen:
                continue  # a text repeated on later pages can add nothing new
            seen.add((text, kind))
            if text in named:
                continue
            matches = (*data.words.finditer(text), *data.prix_name.finditer(text))
            # The exclusion regex is the slowest of them: only for texts that claim something.
            if not matches and not data.vague.search(text) or data.not_award.search(text):
                continue
            for m in matches:
                lo = max(0, m.start() - AWARD_WINDOW)
                hi = min(len(text), m.end() + AWARD_WINDOW)
                sentence = re.split(r"(?<=[.!?])\s", text[lo:m.start()])[-1] + text[
                    m.start():hi].split(". ")[0]
                if data.year.search(sentence):
                    named[text] = Evidence(page.url, kind,
                                           snippet_around(text, m.start(), m.end(), 70),
                                           f"{region} {kind}: award named with a year")
                    break
            else:
                if (v := data.vague.search(text)) and text not in vague:
                    vague[text] = Evidence(page.url, kind,
                                           snippet_around(text, v.start(), v.end(), 60),
                                           f"{region} {kind}: award claimed without a name or "
                                           "year")
    return list(named.values()), list(vague.values())


@check(
    id="awards",
    category="credentials",
    severity="info",
    weight=1,
    title="The site names awards it has won, with issuer and year",
    failure_title="No award is named with its issuer and year",
    fix="Name each award with the organisation that gave it and the year (and link the "
    "announcement), rather than just 'award-winning'.",
)
def awards(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: award wording (award, winner, finalist, Auszeichnung, Testsieger,
    lauréat, trophée, premio, galardón, vincitore, winnaar, bekroond, prémio, Red Dot,
    Travellers' Choice …) with a year in the same sentence, in visible text and image alt
    text ("Best Small Business Award 2023", "Testsieger Stiftung Warentest 05/2023").
    Why it matters: third-party recognition reassures when it can be looked up; a bare
    "award-winning" cannot.
    How to fix: write the award's name, the issuer and the year, and link the announcement.
    Traps: "award-winning", "preisgekrönt", "primé", "premiado" alone name nothing, so they fail
    (reported as unspecified); "prix" and "Preis" also mean price and only count as "Prix
    <Name>"; copyright lines ("© 2024 Award Ltd") and prize draws ("Gewinnspiel: die Gewinner
    2024") are not awards; self-invented awards cannot be told apart.
    """
    if (early := no_pages(site)) is not None:
        return early
    named, vague = award_mentions(site)
    if named:
        return Outcome.passed(f"Names {plural(len(named), 'award')} with a year.", named[:5])
    searched = Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                        "award names with a year in text and image alt text")
    if vague:
        return Outcome.failed(
            "The site claims awards ('" + vague[0].snippet[:60] + "') but names no award, "
            "issuer or year.", [*vague[:3], searched])
    return Outcome.failed("No award is named on the pages audited.", [searched])
