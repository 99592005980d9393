"""Ethics: sustainability, community, green claims and supply-chain statements a customer can check.

Page-type words (sustainability, charity) come from ``checks/vocab/*.toml``; claim and statement
vocabulary from ``checks/green_claims.toml`` and ``checks/ethics.toml``. Which region's rules
apply is decided by ``checks.privacy.audience``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from auditor.check_api import Evidence, Outcome, Status, check
from auditor.detect.contacts import types_of, walk_json
from auditor.detect.pagetypes import find_page_type, link_label
from auditor.detect.text import fold, path_segments, snippet_around, strip_accents
from auditor.site import Link, Page, SiteSnapshot
from checks._common import no_pages, page_type_outcome, plural
from checks.privacy.audience import site_audience

ARTICLE_TYPES = {"Article", "BlogPosting", "NewsArticle", "Report", "ScholarlyArticle"}
LEGAL_TYPES = ("privacy", "terms", "imprint", "cookies", "returns", "shipping")
TARGET_WINDOW = 40
NEGATION_WINDOW = 25
QUOTES = "\"“”„«»'‘’"


def _patterns(raw: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in raw))


@dataclass(frozen=True, slots=True)
class GreenData:
    claims: re.Pattern[str]
    substantiation: re.Pattern[str]
    method_links: re.Pattern[str]
    topic_links: re.Pattern[str]
    targets: re.Pattern[str]
    target_before: re.Pattern[str]
    negations: re.Pattern[str]
    not_claims: re.Pattern[str]
    skip_segments: frozenset[str]


@dataclass(frozen=True, slots=True)
class EthicsData:
    report_links: re.Pattern[str]
    giving: re.Pattern[str]
    supply_chain: re.Pattern[str]
    whistleblowing: re.Pattern[str]
    whistleblowing_hosts: tuple[str, ...]
    investor_links: re.Pattern[str]
    company_forms: re.Pattern[str]


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("checks").joinpath(name).read_text("utf-8"))


@cache
def green_data() -> GreenData:
    raw = _load("green_claims.toml")
    lists = {k: _patterns(v) for k, v in raw.items() if k != "skip_segments"}
    return GreenData(skip_segments=frozenset(raw["skip_segments"]), **lists)


@cache
def ethics_data() -> EthicsData:
    raw = _load("ethics.toml")
    return EthicsData(
        report_links=_patterns(raw["report_links"]),
        giving=_patterns(raw["giving"]),
        supply_chain=_patterns(raw["supply_chain"]),
        whistleblowing=_patterns(raw["whistleblowing"]),
        whistleblowing_hosts=tuple(raw["whistleblowing_hosts"]),
        investor_links=_patterns(raw["investor_links"]),
        company_forms=re.compile(str(raw["company_forms"])),
    )


def link_text_and_url(link: Link) -> str:
    """Folded link label plus the URL path, for matching report or statement links."""
    return fold(f"{link_label(link)} {urlsplit(link.url).path if link.url else ''}")


# --------------------------------------------------------------------------- sustainability


def report_evidence(site: SiteSnapshot) -> list[Evidence]:
    pattern = ethics_data().report_links
    evidence: list[Evidence] = []
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            if link.url and pattern.search(link_text_and_url(link)):
                evidence.append(Evidence(page.url, "link", link_label(link) or link.url,
                                         f"{link.region} link to a report: {link.url}"))
                break
    return evidence[:3]


@check(
    id="sustainability-page",
    category="ethics",
    severity="info",
    weight=2,
    title="The site publishes its sustainability commitments",
    failure_title="No sustainability page or report was found",
    fix="If you act on your environmental or social impact, publish it: a sustainability page "
    "with concrete measures and figures, or a sustainability/ESG report.",
)
def sustainability_page(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a sustainability page (sustainability, our impact, ESG, Nachhaltigkeit,
    Verantwortung, développement durable, RSE, sostenibilidad, sostenibilità, duurzaamheid, MVO,
    sustentabilidade ...) confirmed by its content, or a link to a sustainability, ESG, CSR or
    impact report (Nachhaltigkeitsbericht, rapport RSE, informe de sostenibilidad ...).
    Why it matters: published commitments with figures let customers weigh a business's
    environmental and social conduct.
    How to fix: publish what you do, with measurable facts, and keep it dated.
    Traps: a page only using "impact" or "environment" as a word (product impact, IT
    environment) is not confirmed without sustainability content; claims on the page are judged
    separately by green-claims.
    """
    outcome = page_type_outcome(site, "sustainability", "a sustainability page")
    if outcome.status is Status.FAIL and (reports := report_evidence(site)):
        return Outcome.passed("Links a sustainability or ESG report.", reports)
    return outcome


# --------------------------------------------------------------------------- charity


@check(
    id="charity-community",
    category="ethics",
    severity="info",
    weight=1,
    title="The site describes its charity or community engagement",
    failure_title="No charity, donation or community engagement was found",
    fix="If you support causes or your community, say so concretely: which organisation, how "
    "much or how, since when.",
)
def charity_community(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a charity, giving-back, foundation or community page (Spenden, soziales
    Engagement, mécénat, acción social, beneficenza, goede doelen, solidariedade ...), or a
    giving programme described in the text: "we donate 1% of every sale", "1% for the Planet",
    "pro Bestellung pflanzen wir einen Baum", "nous reversons", "donamos", "doniamo", "wij
    doneren" (checks/ethics.toml).
    Why it matters: concrete engagement beyond profit is a reason to trust and prefer a
    business.
    How to fix: describe the programme with the partner organisation and the amounts.
    Traps: a "Community" link to a user forum is not engagement (the page must read like it);
    a donate button on a charity's own site counts, as the charity's work is the engagement.
    """
    outcome = page_type_outcome(site, "charity", "a charity or community page")
    if outcome.status is not Status.FAIL:
        return outcome
    pattern = ethics_data().giving
    extra: list[Evidence] = []
    for page in site.html_pages:
        assert page.facts is not None
        for block in page.facts.blocks:
            if len(block.text) <= 600 and (m := pattern.search(fold(block.text))):
                extra.append(Evidence(page.url, "text", block.text[:200],
                                      f"giving programme: {m.group(0)!r}"))
                break
        if len(extra) >= 3:
            break
    if extra:
        return Outcome.passed("Describes a giving or donation programme.", extra)
    return outcome


# --------------------------------------------------------------------------- green claims


def _editorial(page: Page, skip: frozenset[str]) -> bool:
    """Blog posts, news and glossaries discuss claims rather than make them."""
    assert page.facts is not None
    if any(seg in skip for seg in path_segments(page.url)):
        return True
    if any(k == "og:type" and v.strip().lower() == "article" for k, v in page.facts.meta):
        return True
    return any(types_of(node) & ARTICLE_TYPES for item in page.facts.jsonld
               for node in walk_json(item))


def _support(page: Page) -> str:
    """What on the page backs an environmental claim ("" when nothing does)."""
    data = green_data()
    assert page.facts is not None
    texts = [b.text for b in page.facts.blocks] + [f"{i.alt} {i.title}" for i in
                                                    page.facts.images]
    for text in texts:
        if m := data.substantiation.search(fold(text)):
            return f"names {m.group(0)!r}"
    for link in page.facts.links:
        target = link_text_and_url(link)
        if m := data.method_links.search(target):
            return f"links {link.url or link.href} ({m.group(0)!r})"
        if link.region in ("main", "body", "aside") and (m := data.topic_links.search(target)):
            return f"links {link.url or link.href} ({m.group(0)!r})"
    return ""


def _claims_in(text: str) -> list[re.Match[str]]:
    """Present-tense generic claims in a block (targets, negations, questions and quoted terms
    left out)."""
    data = green_data()
    folded = fold(text)
    plain = strip_accents(text.casefold())
    found = []
    for m in data.claims.finditer(folded):
        after = folded[m.end(): m.end() + TARGET_WINDOW]
        before = folded[max(0, m.start() - TARGET_WINDOW): m.start()]
        if data.targets.search(after) or data.target_before.search(before):
            continue
        if data.negations.search(folded[max(0, m.start() - NEGATION_WINDOW): m.start()]):
            continue
        if data.not_claims.search(folded[max(0, m.start() - 60): m.end() + 60]):
            continue  # travel advice ("arrive by train, the eco-friendly way"), tips
        first = m.group(0).split()[0]
        if re.search(rf"[{QUOTES}]\s*{re.escape(first)}", plain):
            continue  # a term in quotes is discussed, not claimed
        at = plain.find(first)
        question = plain.find("?", at) if at != -1 else -1
        if question != -1 and not re.search(r"[.!]\s", plain[at:question]):
            continue  # a question ("Is carbon-neutral shipping real?")
        found.append(m)
    return found


@check(
    id="green-claims",
    category="ethics",
    severity="low",
    weight=2,
    title="Environmental claims are backed by a label, standard or method",
    failure_title="Generic environmental claims without evidence",
    fix="Back each environmental claim where it is made: name the certification or standard "
    "(EU Ecolabel, ISO 14067, the offset standard), give figures, and link the methodology or "
    "report — or drop generic words like 'climate neutral' and 'eco-friendly'.",
)
def green_claims(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: generic environmental claims on the site's own pages — climate/carbon/
    CO2 neutral, eco-friendly, environmentally friendly, 100% sustainable, klimaneutral,
    umweltfreundlich, neutre en carbone, respectueux de l'environnement, neutro en carbono,
    a impatto zero, klimaatneutraal, milieuvriendelijk, amigo do ambiente …
    (checks/green_claims.toml) — and, on the same page, what backs them: a recognised label or
    standard (EU Ecolabel, Blauer Engel, FSC, B Corp, ClimatePartner, ISO 14067, PAS 2060, Gold
    Standard, GHG Protocol …), offsetting or footprint figures, or a link to a methodology,
    report or certificate. found=true means at least one claim stands without evidence (a
    negative signal).
    Why it matters: EU law (Directive 2024/825) bans generic environmental claims that cannot be
    substantiated (and, from 2026, neutrality claims resting on offsets alone); customers
    increasingly distrust green claims without proof.
    How to fix: substantiate each claim on the page where it is made, or remove it.
    Traps: targets ("climate neutral by 2030"), negations, questions, terms in quotes, quoted
    customer reviews and travel tips ("umweltfreundlich mit der Bahn anreisen") are not
    claims; blog posts, news, glossaries and legal pages discuss claims and are skipped; bare
    "green" and "sustainable" are too vague to judge, and "ökologisch" / "ecológico" are
    regulated organic-food terms, so none of them is read; only sites that address Europe can
    fail; any offset, standard or methodology reference counts as evidence (the check flags
    claims with none at all, not weak evidence), so doubt never fails.
    """
    if (early := no_pages(site)) is not None:
        return early
    data = green_data()
    legal: set[str] = set()
    for type_name in LEGAL_TYPES:
        for cand in find_page_type(site, type_name).accepted:
            legal.add(cand.url)
            if cand.page is not None:
                legal.add(cand.page.url)
    unsupported: list[Evidence] = []
    supported: list[Evidence] = []
    seen: set[str] = set()
    pages = 0
    for page in site.html_pages:
        assert page.facts is not None
        if page.url in legal or _editorial(page, data.skip_segments):
            continue
        pages += 1
        claims = []
        for block in page.facts.blocks:
            if block.region == "nav" or block.tag == "blockquote" or block.text in seen:
                continue  # a quoted customer's words are not the business's claim
            if found := _claims_in(block.text):
                seen.add(block.text)
                claims.append((block, found))
        if not claims:
            continue
        support = _support(page)
        for block, found in claims:
            named = ", ".join(dict.fromkeys(repr(m.group(0)) for m in found))
            snippet = block.text if len(block.text) <= 200 else snippet_around(
                block.text, found[0].start(), found[0].end(), 70)
            if support:
                supported.append(Evidence(page.url, "text", snippet,
                                          f"claim {named}; the page {support}"))
            else:
                unsupported.append(Evidence(page.url, "text", snippet,
                                            f"claim {named} with no label, standard, "
                                            "figures or methodology link on the page"))
    searched = Evidence(site.start_url, "searched", plural(pages, "page"),
                        "generic environmental claims (legal pages and articles skipped)")
    if not unsupported:
        if supported:
            return Outcome.passed(f"{plural(len(supported), 'environmental claim')} "
                                  f"{'is' if len(supported) == 1 else 'are'} backed on the page.",
                                  supported[:5], found=False)
        return Outcome.passed("No generic environmental claim was found.", [searched],
                              found=False)
    terms = sorted({t for e in unsupported for t in re.findall(r"'([^']+)'",
                                                                 e.locator.split(" with no")[0])})
    message = (f"{plural(len(unsupported), 'generic environmental claim')} "
               f"({', '.join(terms[:4])}) {'stands' if len(unsupported) == 1 else 'stand'} "
               "without a label, standard, figures or methodology link on the same page.")
    audience = site_audience(site)
    if not audience.europe:
        return Outcome.not_applicable(
            "The site does not appear to address European visitors "
            f"({audience.why_not('europe')}), where generic claims are banned. {message}",
            found=True)
    return Outcome.failed(message, unsupported[:5] + [searched], found=True)


# --------------------------------------------------------------------------- supply chain


def statement_evidence(site: SiteSnapshot) -> list[Evidence]:
    """Links, headings or titles naming a supply-chain, human-rights or whistleblowing
    statement or channel, and links to hosted whistleblowing portals."""
    data = ethics_data()
    evidence: list[Evidence] = []
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            if not link.url:
                continue
            host = (urlsplit(link.url).hostname or "").lower()
            target = link_text_and_url(link)
            if any(host == h or host.endswith("." + h) for h in data.whistleblowing_hosts):
                evidence.append(Evidence(page.url, "link", link_label(link) or link.url,
                                         f"hosted whistleblowing portal: {link.url}"))
            elif m := (data.supply_chain.search(target) or data.whistleblowing.search(target)):
                evidence.append(Evidence(page.url, "link", link_label(link) or link.url,
                                         f"{link.region} link: {m.group(0)!r} → {link.url}"))
        for text in [page.facts.title] + [h.text for h in page.facts.headings]:
            folded = fold(text)
            if m := (data.supply_chain.search(folded) or data.whistleblowing.search(folded)):
                evidence.append(Evidence(page.url, "page", text, f"names {m.group(0)!r}"))
                break
        if len(evidence) >= 6:
            break
    return evidence


def large_company_cues(site: SiteSnapshot) -> list[Evidence]:
    """Signs of a company large enough for statutory statements: investor relations or annual
    reports, a public-company legal form (AG, SE, plc), or a sustainability report."""
    data = ethics_data()
    cues: list[Evidence] = []
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            if m := data.investor_links.search(fold(link_label(link))):
                cues.append(Evidence(page.url, "link", link_label(link),
                                     f"investor information ({m.group(0)!r})"))
                break
        for block in page.facts.blocks:
            if len(block.text) <= 600 and (m := data.company_forms.search(block.text)):
                cues.append(Evidence(page.url, "text", m.group(0), "public-company form"))
                break
        if cues:
            break
    return cues + report_evidence(site)[:1]


@check(
    id="supply-chain-statement",
    category="ethics",
    severity="info",
    weight=1,
    title="The site publishes a supply-chain or whistleblowing statement",
    failure_title="No modern-slavery, supply-chain or whistleblowing statement was found",
    fix="Publish the statements the law asks of your company (UK modern slavery statement, "
    "German LkSG policy statement, a whistleblowing channel) and link them from the footer.",
)
def supply_chain_statement(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a link, page title or heading naming a modern slavery statement (UK),
    an LkSG Grundsatzerklärung / Lieferkettengesetz page or supplier code of conduct (DE), a
    plan de vigilance (FR), a human-rights policy, or a whistleblowing channel (Hinweisgeber-
    system, Meldestelle, lanceur d'alerte, canal de denuncias, klokkenluidersregeling ...)
    including hosted portals (EQS Integrity Line, NAVEX EthicsPoint, BKMS, Whispli …).
    Why it matters: these statements show how a company treats the people in its supply chain
    and protects those who report wrongdoing.
    How to fix: publish the statement and link it from the footer.
    Traps: the duties fall only on large companies (UK: turnover ≥ £36m; LkSG: ≥ 1,000
    employees), which a website does not show; so absence fails only for UK or German-speaking
    sites with signs of size — investor relations or annual reports, a public-company form (AG,
    SE, plc, "AG" of a court such as "AG München" is not one), or a sustainability report —
    and is otherwise not applicable.
    """
    if (early := no_pages(site)) is not None:
        return early
    evidence = statement_evidence(site)
    if evidence:
        return Outcome.passed("Found a supply-chain, human-rights or whistleblowing statement.",
                              evidence[:5])
    audience = site_audience(site)
    regions = [r for r, on in (("UK", audience.uk), ("German-speaking", audience.german)) if on]
    cues = large_company_cues(site)
    if not regions or not cues:
        why = ("the site does not address the UK or German-speaking countries" if not regions
               else "nothing on the site suggests a company large enough to owe one")
        return Outcome.not_applicable(
            f"No supply-chain or whistleblowing statement was found; {why}.", found=False)
    return Outcome.failed(
        f"A {' and '.join(regions)} site of a large company ({cues[0].locator}) publishes no "
        "modern-slavery, supply-chain or whistleblowing statement.",
        cues[:2] + [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                             "links, titles and headings naming such statements")])
