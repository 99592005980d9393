"""Who the site says runs it: legal entities, sole traders, copyright holders, imprint text.

Shared by the legal-entity, imprint-fields and organisation-consistency checks. A legal form
("GmbH", "S.L.", "Ltd") after a capitalised name is a legal entity; the hard part is telling the
site's own from the hosting company, the web agency or the payment provider that an imprint or a
terms page also names (signals.md a-legal-entity-named, a-imprint-fields). Data:
``checks/legal.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from auditor.detect import memo
from auditor.detect.contacts import types_of
from auditor.detect.pagetypes import find_page_type
from auditor.detect.text import fold
from auditor.site import Page, SiteSnapshot, TextBlock

ORG_TYPES = frozenset({
    "Organization", "Corporation", "LocalBusiness", "OnlineStore", "OnlineBusiness", "Store",
    "NGO", "EducationalOrganization", "MedicalOrganization", "MedicalBusiness", "Dentist",
    "Physician", "LegalService", "Attorney", "ProfessionalService", "Restaurant",
    "FoodEstablishment", "HomeAndConstructionBusiness", "AutomotiveBusiness",
    "HealthAndBeautyBusiness", "LodgingBusiness", "CleaningService", "FinancialService",
    "InsuranceAgency", "RealEstateAgent", "TravelAgency", "SportsActivityLocation",
    "EntertainmentBusiness", "ShoppingCenter", "AccountingService", "Notary", "Optician",
    "Pharmacy", "VeterinaryCare", "AnimalShelter", "ChildCare", "DryCleaningOrLaundry",
    "EmploymentAgency", "GovernmentOffice", "Library", "RadioStation", "TelevisionStation",
    "TouristInformationCenter", "SelfStorage", "ArchiveOrganization", "Airline", "Consortium",
    "FundingScheme", "LibrarySystem", "NewsMediaOrganization", "PerformingGroup",
    "PoliticalParty", "Project", "ResearchOrganization", "SportsOrganization", "WorkersUnion",
})

_CAP = r"(?:[A-ZÀ-ÖØ-Þ][\w'’&+.\-]*|\d+[A-Za-zÀ-ÿ][\w'’&+.\-]*)"
_LINK = r"(?:&|\+|und|and|et|y|e|de|del|der|di|da|du|van|von|la|le)"
_PERSON = (r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿß'’\-]+\.?(?:[ \t]+(?:(?:von|van|de|del|da|di|dos|das|du|"
           r"zu|der|la|le|y|e)[ \t]+)?[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿß'’\-]+){1,3}")
PERSON_RE = re.compile(_PERSON)
WORD_RE = re.compile(r"[a-z0-9]{2,}")
COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d{2}\s*(?:[-–—/]\s*(?:(?:19|20)\d{2})?)?\s*)?"
    r"(?:by\s+|von\s+|par\s+|por\s+)?(?P<holder>[^|·•\n]{2,80}?)"
    r"(?=\s*(?:[|·•\n]|\s[-–—]\s|,\s|\.\s|all rights|alle rechte|tous droits|todos los derechos|"
    r"tutti i diritti|alle rechten|todos os direitos|\.?$))",
    re.I,
)
COPYRIGHT_HINT = re.compile(r"©|\(c\)|copyright", re.I)
GENERIC_HOLDERS = {"all rights reserved", "alle rechte vorbehalten", "tous droits reserves",
                   "todos los derechos reservados", "tutti i diritti riservati",
                   "alle rechten voorbehouden", "todos os direitos reservados"}


@cache
def legal_data() -> dict[str, Any]:
    """checks/legal.toml, parsed once."""
    text = resources.files("checks").joinpath("legal.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    data = legal_data()
    forms = data["legal_forms"]
    alternatives = sorted(forms["registered"] + forms["other"], key=len, reverse=True)
    form_re = "|".join(alternatives)
    imprint = data["imprint"]
    return {
        "entity": re.compile(
            rf"(?<![\w.@/\-])(?P<name>{_CAP}(?:[ \t]+(?:{_LINK}[ \t]+)?{_CAP}){{0,5}})"
            rf"(?:,[ \t]*|[ \t]+)(?P<form>{form_re})(?![\w])"
        ),
        "entity_first": re.compile(
            rf"(?<![\w.@/\-])(?P<form>{'|'.join(forms['form_first'])})[ \t]+"
            rf"(?P<name>{_CAP}(?:[ \t]+(?:{_LINK}[ \t]+)?{_CAP}){{0,4}})"
        ),
        "registered": re.compile(rf"^(?:{'|'.join(forms['registered'])})$"),
        "german": re.compile(rf"^(?:{'|'.join(forms['german_speaking'])})$"),
        "owner": re.compile(data["sole_trader"]["owner_re"] + rf"(?P<person>{_PERSON})"),
        "name_label": re.compile(data["sole_trader"]["name_label_re"] + rf"(?P<person>{_PERSON})"),
        "statement": re.compile(
            r"(?<![^\s])(?:" + "|".join(re.escape(fold(w)) for w in
                                        data["sole_trader"]["statement"]) + r")(?![^\s])"
        ),
        "representative": re.compile(imprint["representative_re"]),
        "po_box": re.compile(imprint["po_box_re"]),
        "register_words": re.compile(imprint["register_words_re"]),
        "credit_before": re.compile(imprint["credit_before_re"]),
        "first_party_before": re.compile(imprint["first_party_before_re"]),
        "third_label": re.compile(
            r"^(?:" + "|".join(re.escape(fold(w)) for w in imprint["third_party_labels"])
            + r")(?![^\s])"
        ),
        "third_party": re.compile(
            r"^(?:" + "|".join(re.escape(fold(w)) for w in imprint["third_parties"])
            + r")(?![^\s])"
        ),
    }


def pattern(name: str) -> re.Pattern[str]:
    return _patterns()[name]


@dataclass(frozen=True, slots=True)
class Entity:
    """A company or person the site names as (possibly) its operator."""

    name: str  # as written, legal form included ("Acme Handels GmbH", "Regina Muster")
    form: str  # the legal form, "" for a natural person
    registered: bool  # the form must be entered in a public register
    page: str
    source: str  # imprint, footer, copyright, jsonld, terms, contact, about
    snippet: str
    kind: str = "text"  # evidence kind

    @property
    def person(self) -> bool:
        return not self.form


@cache
def _folded_forms() -> tuple[str, ...]:
    forms = legal_data()["legal_forms"]
    raw = [re.sub(r"\\(.)", r"\1", f).replace(" ?", " ") for f in
           forms["registered"] + forms["other"]]
    folded = {fold(f) for f in raw} | {"co", "cie", "et cie", "und co", "and co"}
    return tuple(sorted((f for f in folded if f), key=len, reverse=True))


def norm_name(name: str) -> str:
    """Folded name without its legal form: "ACME Handels GmbH & Co. KG" → "acme handels"."""
    text = fold(name)
    changed = True
    while changed and text:
        changed = False
        for form in _folded_forms():
            if text == form:
                break
            if text.endswith(" " + form):
                text = text[: -len(form) - 1].rstrip()
                changed = True
                break
    return text


def name_tokens(name: str) -> set[str]:
    return set(WORD_RE.findall(norm_name(name))) - {"the", "der", "die", "das", "und", "and"}


def is_third_party(name: str) -> bool:
    return bool(pattern("third_party").match(norm_name(name)))


# --------------------------------------------------------------------------- first-party text


def first_party_blocks(page: Page) -> list[TextBlock]:
    """The page's blocks without hosting, web-design and photo-credit sections: a heading or a
    short label naming one opens such a section, the next other heading closes it."""
    assert page.facts is not None
    out: list[TextBlock] = []
    skipping = False
    third = pattern("third_label")
    for block in page.facts.blocks:
        text = fold(block.text)
        is_heading = block.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "strong", "b") or (
            len(text.split()) <= 4 and block.text.rstrip().endswith(":"))
        if third.match(text):
            if is_heading or len(text.split()) <= 6:
                skipping = True
            continue  # "Hosting: Example Host GmbH, Street 1" — the block itself is a credit
        if is_heading:
            skipping = False
        if not skipping:
            out.append(block)
    return out


def entities_in(text: str) -> Iterator[tuple[str, str, int, int]]:
    """(name with form, form, start, end) of legal entities in a text, suppliers left out."""
    not_names = {fold(w) for w in legal_data()["legal_forms"]["not_names"]}
    for m in pattern("entity").finditer(text):
        name = m.group("name")
        tokens = fold(name).split()
        while tokens and tokens[0] in not_names:
            tokens.pop(0)
        if not tokens or tokens[-1] in not_names:
            continue
        before = text[max(0, m.start() - 60): m.start()]
        if pattern("credit_before").search(before):
            continue
        full = f"{name} {m.group('form')}" if "," not in text[m.end("name"): m.start("form")] \
            else f"{name}, {m.group('form')}"
        if is_third_party(full):
            continue
        yield full, m.group("form"), m.start(), m.end()
    for m in pattern("entity_first").finditer(text):
        full = f"{m.group('form')} {m.group('name')}"
        before = text[max(0, m.start() - 60): m.start()]
        if not pattern("credit_before").search(before) and not is_third_party(m.group("name")):
            yield full, m.group("form"), m.start(), m.end()


def sole_traders_in(text: str, *, statement_page: bool) -> Iterator[tuple[str, int, int]]:
    """Natural persons named as the owner: (name, start, end)."""
    for m in pattern("owner").finditer(text):
        yield m.group("person"), m.start(), m.end()
    if statement_page:
        for m in pattern("name_label").finditer(text):
            yield m.group("person"), m.start(), m.end()


def has_sole_trader_statement(text: str) -> bool:
    return bool(pattern("statement").search(fold(text)))


# --------------------------------------------------------------------------- where to look


def imprint_pages(site: SiteSnapshot) -> list[Page]:
    """The imprint page(s); else contact or legal pages that carry imprint details."""

    def build() -> list[Page]:
        pages: list[Page] = []
        for cand in find_page_type(site, "imprint").accepted[:3]:
            if cand.page is not None and cand.page.facts is not None and cand.page not in pages:
                pages.append(cand.page)
        if pages:
            return pages
        for cand in find_page_type(site, "contact").accepted[:3]:
            page = cand.page
            if page is None or page.facts is None:
                continue
            text = "\n".join(b.text for b in page.facts.blocks
                              if b.region not in ("footer", "header", "nav"))
            if pattern("register_words").search(text) or pattern("representative").search(text):
                pages.append(page)
        return pages

    return memo(site, "identity-imprint-pages", build)


def accepted_pages(site: SiteSnapshot, type_name: str, limit: int = 3) -> list[Page]:
    pages: list[Page] = []
    for cand in find_page_type(site, type_name).accepted[:limit]:
        if cand.page is not None and cand.page.facts is not None and cand.page not in pages:
            pages.append(cand.page)
    return pages


def brand_tokens(site: SiteSnapshot) -> set[str]:
    """Words of the site's own name: its domain, og:site_name, Organization names."""
    tokens: set[str] = set()
    host = (urlsplit(site.site_url or site.start_url).hostname or "").lower()
    labels = host.split(".")
    if len(labels) >= 2 and labels[-1] not in ("invalid", "localhost", "test", "example"):
        tokens.update(t for t in re.split(r"[-_]", labels[-2]) if len(t) >= 3)
    for name in org_names(site, "name"):
        tokens |= {t for t in name_tokens(name[0]) if len(t) >= 3}
    for page in site.html_pages[:50]:
        assert page.facts is not None
        for key, value in page.facts.meta:
            if key == "og:site_name":
                tokens |= {t for t in name_tokens(value) if len(t) >= 3}
    return tokens


def org_nodes(site: SiteSnapshot) -> list[tuple[Page, dict[str, Any]]]:
    """Top-level JSON-LD and microdata nodes of an organisation type (not a product's brand or
    a review's author, which are nested)."""

    def build() -> list[tuple[Page, dict[str, Any]]]:
        out = []
        for page in site.html_pages:
            assert page.facts is not None
            for item in (*page.facts.jsonld, *page.facts.microdata):
                nodes = item if isinstance(item, list) else [item]
                for node in nodes:
                    if not isinstance(node, dict):
                        continue
                    publisher = node.get("publisher")
                    if types_of(node) & ORG_TYPES:
                        out.append((page, node))
                    elif ("WebSite" in types_of(node) and isinstance(publisher, dict)
                          and types_of(publisher) & ORG_TYPES):
                        out.append((page, publisher))
        return out

    return memo(site, "identity-org-nodes", build)


def org_names(site: SiteSnapshot, key: str) -> list[tuple[str, str]]:
    """(value, page) of ``name`` or ``legalName`` of organisation nodes."""
    out = []
    for page, node in org_nodes(site):
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            out.append((value.strip(), page.url))
    return out


CREDIT_IN_HOLDER = re.compile(r"\b(?:by|von|par|por|di|door|powered|theme|template|design|"
                              r"webdesign|made with|realisiert|erstellt|contributors|photo|foto)\b")


def copyright_holders(site: SiteSnapshot, *, footer_only: bool = False
                      ) -> list[tuple[str, str, str]]:
    """(holder, page, line) of "© 2025 Name" lines, once per distinct holder. Photo and map
    credits ("© Fotolia", "© OpenStreetMap contributors") and design credits are left out."""

    def build() -> list[tuple[str, str, str]]:
        seen: dict[str, tuple[str, str, str]] = {}
        for page in site.html_pages:
            assert page.facts is not None
            for block in page.facts.blocks:
                if footer_only and block.region != "footer":
                    continue
                if not COPYRIGHT_HINT.search(block.text):
                    continue
                for m in COPYRIGHT_RE.finditer(block.text):
                    holder = m.group("holder").strip(" .,-–—")
                    folded = fold(holder)
                    if (len(folded) < 2 or folded in GENERIC_HOLDERS or folded.isdigit()
                            or len(folded.split()) > 8 or CREDIT_IN_HOLDER.search(folded)
                            or is_third_party(holder)):
                        continue
                    seen.setdefault(folded, (holder, page.url, block.text))
        return list(seen.values())

    return memo(site, f"identity-copyright-{footer_only}", build)


def site_entities(site: SiteSnapshot) -> list[Entity]:
    """Every first-party legal entity and owner the site names, best sources first."""
    return memo(site, "identity-entities", lambda: _site_entities(site))


def _site_entities(site: SiteSnapshot) -> list[Entity]:
    found: list[Entity] = []
    registered = pattern("registered")

    def add(name: str, form: str, page: str, source: str, snippet: str, kind: str = "text") -> None:
        found.append(Entity(name, form, bool(form) and bool(registered.match(form)), page,
                            source, snippet, kind))

    for value, url in org_names(site, "legalName"):
        m = next(entities_in(value), None)
        add(value, m[1] if m else "", url, "jsonld", f"legalName: {value}", "jsonld")
    for value, url in org_names(site, "name"):
        for name, form, _, _ in entities_in(value):
            add(name, form, url, "jsonld", f"name: {value}", "jsonld")
    imprint = imprint_pages(site)
    for page in imprint:
        blocks = first_party_blocks(page)
        statement = has_sole_trader_statement(" ".join(b.text for b in blocks))
        for block in blocks:
            for name, form, start, end in entities_in(block.text):
                add(name, form, page.url, "imprint", _around(block.text, start, end))
            for person, start, end in sole_traders_in(block.text, statement_page=statement):
                add(person, "", page.url, "imprint", _around(block.text, start, end))
    for holder, url, line in copyright_holders(site):
        for name, form, _, _ in entities_in(holder):
            add(name, form, url, "copyright", line)
    footer_seen: set[str] = set()
    for page in site.html_pages:
        assert page.facts is not None
        for block in page.facts.blocks:
            if block.region != "footer" or block.text in footer_seen:
                continue
            footer_seen.add(block.text)
            for name, form, start, end in entities_in(block.text):
                add(name, form, page.url, "footer", _around(block.text, start, end))
    brand = brand_tokens(site)
    first_party = pattern("first_party_before")
    for source in ("contact", "about", "terms"):
        for page in accepted_pages(site, source):
            if page in imprint:
                continue
            blocks = first_party_blocks(page)
            statement = has_sole_trader_statement(" ".join(b.text for b in blocks))
            for block in blocks:
                if block.region == "footer":
                    continue
                for name, form, start, end in entities_in(block.text):
                    before = block.text[max(0, start - 70): start]
                    if name_tokens(name) & brand or first_party.search(before):
                        add(name, form, page.url, source, _around(block.text, start, end))
                if source != "terms":
                    for person, start, end in sole_traders_in(block.text,
                                                              statement_page=statement):
                        add(person, "", page.url, source, _around(block.text, start, end))
    return found


def _around(text: str, start: int, end: int, width: int = 60) -> str:
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    return ("…" if lo else "") + " ".join(text[lo:hi].split()) + ("…" if hi < len(text) else "")
