"""The legal identity behind the site: its legal entity, the imprint's fields, stale references.

Register and VAT formats, legal forms, and the references that expired are data
(``checks/legal.toml``); the check-digit algorithms are in ``checks.identity.registers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.contacts import (
    Channel,
    channels_of,
    find_addresses,
    page_channels,
    types_of,
    walk_json,
)
from auditor.detect.pagetypes import find_page_type
from auditor.detect.text import strip_accents
from auditor.site import Page, SiteSnapshot, TextBlock
from checks._common import no_pages, plural
from checks._region import imprint_expected, region
from checks.identity.entities import (
    PERSON_RE,
    Entity,
    accepted_pages,
    entities_in,
    first_party_blocks,
    has_sole_trader_statement,
    imprint_pages,
    legal_data,
    pattern,
    site_entities,
    sole_traders_in,
)
from checks.identity.registers import VALIDATORS

SOURCE_LABEL = {
    "jsonld": "Organization markup", "imprint": "imprint", "copyright": "copyright line",
    "footer": "footer", "contact": "contact page", "about": "about page", "terms": "terms",
}


def _entity_evidence(entities: list[Entity], limit: int = 4) -> list[Evidence]:
    seen: set[tuple[str, str]] = set()
    out = []
    for ent in entities:
        if (ent.name, ent.source) in seen:
            continue
        seen.add((ent.name, ent.source))
        what = f"legal form {ent.form}" if ent.form else "owner named (sole trader)"
        out.append(Evidence(ent.page, ent.kind, ent.snippet,
                            f"{SOURCE_LABEL.get(ent.source, ent.source)}: {ent.name} ({what})"))
    return out[:limit]


@check(
    id="legal-entity",
    category="identity",
    severity="high",
    weight=7,
    title="The site names the legal entity behind it",
    failure_title="The site does not name a legal entity",
    fix="Name the company with its legal form (\"Acme GmbH\", \"Acme Ltd\", \"Acme S.L.\") in the "
    "footer, the imprint and the terms, or the owner if you trade as a sole trader; add "
    "Organization.legalName markup.",
)
def legal_entity(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a company name with its legal form (GmbH, UG, AG, e.K., SARL, SAS, S.L.,
    S.A., S.r.l., S.p.A., B.V., Lda, Ltd, LLC, Inc. ...) in the imprint, the footer, the
    copyright line ("© 2025 Acme GmbH"), the contact, about or terms page, or schema.org
    Organization.legalName; or a sole trader named as owner ("Inhaberin: …", "El titular … es
    …", "Exercice individuel").
    Why it matters: a named legal entity tells customers who is liable; the legal form tells
    them how.
    How to fix: write the full legal name in the footer and the imprint, and in
    Organization.legalName markup.
    Traps: the hosting company, the web agency or the payment provider named in the same
    imprint or terms ("Hébergeur : … Inc.", "Website by … GmbH", "PayPal (Europe) S.à r.l.")
    are not the operator; a domain like "brand.llc" is no legal form; in terms, about and
    contact pages a company counts only when it carries the site's name or is introduced as
    the operator.
    """
    if (early := no_pages(site)) is not None:
        return early
    entities = site_entities(site)
    companies = [e for e in entities if e.form]
    if companies:
        best = companies[0]
        return Outcome.passed(
            f"The site names {best.name} ({SOURCE_LABEL.get(best.source, best.source)}).",
            _entity_evidence(companies),
        )
    if entities:
        best = entities[0]
        return Outcome.passed(
            f"The site names {best.name} as its owner (a sole trader, no legal form needed).",
            _entity_evidence(entities),
        )
    looked = [p.url for p in imprint_pages(site)] + [
        p.url for t in ("contact", "about", "terms") for p in accepted_pages(site, t)]
    return Outcome.failed(
        "No company name with a legal form, and no named owner, was found in the imprint, "
        "footer, copyright line, contact, about or terms pages, or in Organization markup.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "footers, copyright lines and Organization.legalName")]
        + [Evidence(url, "searched", "", "legal forms and owner names") for url in looked[:5]],
    )


# --------------------------------------------------------------------------- imprint fields


@dataclass(frozen=True, slots=True)
class Number:
    """A register or VAT number read from the imprint."""

    label: str
    field: str  # register | vat
    value: str  # compact, with its prefix
    valid: bool | None  # None: no check digit known
    shown: str  # as written, anchor included ("HRB 12345", "RCS Lyon 065 898 934")
    page: str
    snippet: str


@cache
def _register_res() -> list[tuple[dict[str, object], re.Pattern[str]]]:
    out = []
    for entry in legal_data()["register"]:
        gap = int(entry.get("gap", 40))
        regex = re.compile(
            rf"(?P<anchor>{entry['anchor']})[^\n\d]{{0,{gap}}}?(?:\n[^\S\n]*)?"
            rf"(?<![\w])(?P<value>{entry['value']})(?![\w])"
        )
        out.append((entry, regex))
    return out


@cache
def _vat_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[str, str]]:
    data = legal_data()
    anchor = re.compile(data["vat_anchor"]["anchor"])
    prefixes = sorted((v["prefix"] for v in data["vat"]), key=len, reverse=True)
    start = re.compile(r"(?<![A-Za-z])(" + "|".join(prefixes) + r")(?=[\s.\-]?[0-9A-Z])")
    values = {v["prefix"]: v["value"] for v in data["vat"]}
    validators = {v["prefix"]: v.get("validator", "") for v in data["vat"]}
    compiled = re.compile("|".join(f"(?:{p}(?:{values[p]}))" for p in prefixes))
    return anchor, start, compiled, validators


GAP_VETO = re.compile(r"(?i)\b(?:tel|fax|phone|telefon\w*|t[eé]l[eé]phone|tel[eé]fono|telefone|"
                      r"telefoon|mobil\w*|call|iban|bic|konto|account|bestell\w*|order|auftrag)\b")


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-–/]", "", value)


def _validate(name: str, number: str) -> bool | None:
    func = VALIDATORS.get(name)
    return func(number) if func is not None else None


def numbers_in(text: str, page: str) -> list[Number]:
    """Register and VAT numbers with their keyword anchor (trap T10): the number must be the
    first one after its keyword, within the entry's gap on the same line or at the start of
    the next line (a label on one line, the number under it)."""
    found: list[Number] = []
    for entry, regex in _register_res():
        for m in regex.finditer(text):
            if GAP_VETO.search(text[m.end("anchor"): m.start("value")]):
                continue  # "NIF: see invoice · Tel. 952 000 000": the number is a phone
            raw = _compact(m.group("value"))
            strip = str(entry.get("strip", ""))
            digits = raw[len(strip):] if strip and raw.upper().startswith(strip) else raw
            valid = _validate(str(entry.get("validator", "")), digits)
            found.append(Number(str(entry["label"]), str(entry["field"]), raw, valid,
                                " ".join(m.group(0).split())[:60], page,
                                _snip(text, m.start(), m.end())))
    anchor, prefix_re, compiled, validators = _vat_res()
    gap = int(legal_data()["vat_anchor"].get("gap", 45))
    for m in anchor.finditer(text):
        lines = text[m.end(): m.end() + gap + 40].split("\n")
        line = lines[0]
        start = prefix_re.search(line[:gap])
        if start is None and len(lines) > 1:
            line = lines[1]  # "USt-IdNr. gemäß § 27 a UStG:" with the number on the next line
            start = prefix_re.match(line.lstrip()[:20])
            line = line.lstrip()
        if start is None:
            continue
        compact = _compact(line[start.start():])
        vm = compiled.match(compact)
        if vm is None or compact[vm.end(): vm.end() + 1].isdigit():
            continue
        value = vm.group(0)
        prefix = next(p for p in sorted(validators, key=len, reverse=True) if value.startswith(p))
        valid = _validate(validators[prefix], value[len(prefix):])
        found.append(Number("VAT ID", "vat", value, valid, value, page,
                            _snip(text, m.start(), m.end() + start.end() + 12)))
    unique: dict[tuple[str, str], Number] = {}
    for num in found:  # "HRB 123" read by two anchors is one number
        key = re.sub(r"\D", "", num.value) if num.field == "register" else num.value.upper()
        unique.setdefault((num.field, key or num.value.upper()), num)
    return list(unique.values())


def _snip(text: str, start: int, end: int) -> str:
    lo = max(0, start - 30)
    return ("…" if lo else "") + " ".join(text[lo: min(len(text), end + 30)].split())


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    found: bool
    evidence: tuple[Evidence, ...] = ()
    note: str = ""


EMAIL_LABEL = re.compile(r"(?i)\b(?:e-?mail|courriel|correo(?: electr[oó]nico)?|posta elettronica|"
                         r"e-?mailadres|endere[cç]o (?:de )?e-?mail)\b\s*:?")


def _channel_evidence(channel: Channel, note: str) -> Evidence:
    kind = "text" if channel.source == "text" else "link"
    return Evidence(channel.page, kind, channel.snippet, f"{note}: {channel.value}")


def _name_above_address(page: Page, blocks: list[TextBlock]) -> list[Entity]:
    """A name line right above the address ("Jonas Lindner / Hauptstraße 5 / 04229 Leipzig"):
    small traders often give their name without an owner word."""
    found = []
    for block in blocks:
        lines = block.text.split("\n")
        for i, line in enumerate(lines[:-1]):
            below = "\n".join(lines[i + 1: i + 3])
            if PERSON_RE.fullmatch(line.strip()) and find_addresses(below) and not (
                    pattern("third_label").match(line.strip().casefold())):
                found.append(Entity(line.strip(), "", False, page.url, "imprint",
                                    _snip(block.text, 0, len(line))))
                break
    return found


def _imprint_fields(site: SiteSnapshot, pages: list[Page]) -> list[Field]:
    """Each field of the imprint, found or missing. Where the imprint itself does not show a
    contact detail the site shows elsewhere, the field counts with a note: a detail missed by
    the extractor (an address in an unusual format, an e-mail in an image) must not fail."""
    ev: dict[str, list[Evidence]] = {k: [] for k in (
        "name", "address", "representative", "email", "second", "register", "vat")}
    notes: dict[str, str] = {}
    entities: list[Entity] = []
    numbers: list[Number] = []
    po_box_only = False
    email_label: Evidence | None = None
    for page in pages:
        blocks = first_party_blocks(page)
        text = "\n".join(b.text for b in blocks)
        statement = has_sole_trader_statement(text)
        for block in blocks:
            for name, form, start, end in entities_in(block.text):
                entities.append(Entity(name, form, bool(pattern("registered").match(form)),
                                       page.url, "imprint", _snip(block.text, start, end)))
            for person, start, end in sole_traders_in(block.text, statement_page=statement):
                entities.append(Entity(person, "", False, page.url, "imprint",
                                       _snip(block.text, start, end)))
            if m := pattern("representative").search(block.text):
                ev["representative"].append(
                    Evidence(page.url, "text", _snip(block.text, m.start(), m.end()),
                             f"representative: {m.group(0)}"))
            if email_label is None and (m := EMAIL_LABEL.search(block.text)):
                email_label = Evidence(page.url, "text", _snip(block.text, m.start(), m.end()),
                                       "e-mail label without an address in the HTML")
        if not entities:
            entities += _name_above_address(page, blocks)
        numbers += numbers_in(text, page.url)
        if not any(n.field == "register" for n in numbers) and (
                m := pattern("register_words").search(text)):
            notes["register"] = f"'{m.group(0)}' is named, but no number in a known format follows"
            ev["register"].append(Evidence(page.url, "text", _snip(text, m.start(), m.end()),
                                           f"register named: {m.group(0)}"))
        channels = page_channels(page)
        addresses = [c for c in channels if c.kind == "address"]
        street = [c for c in addresses if not pattern("po_box").search(c.value)]
        po_box_only = po_box_only or (bool(addresses) and not street)
        for kind, key in (("email", "email"), ("phone", "second")):
            ev[key] += [_channel_evidence(c, kind) for c in channels if c.kind == kind][:1]
        ev["address"] += [_channel_evidence(c, "address") for c in street[:1]]
    _fill_from_site(site, ev, notes, email_label, po_box_only)
    if not entities:
        entities = [e for e in site_entities(site) if e.source in ("copyright", "footer",
                                                                    "jsonld")][:1]
        if entities:
            notes["name"] = f"given in the {entities[0].source}, not in the imprint"
    for ent in entities[:2]:
        what = f"legal form {ent.form}" if ent.form else "no legal form"
        ev["name"].append(Evidence(ent.page, ent.kind, ent.snippet, f"name: {ent.name} ({what})"))
    for num in numbers:
        state = "" if num.valid is None else (" (check digit valid)" if num.valid
                                               else " (check digit does not match)")
        ev[num.field].append(Evidence(num.page, "text", num.snippet,
                                      f"{num.label}: {num.shown} = {num.value}{state}"))
    company = next((e for e in entities if e.form), None)
    german = company is not None and bool(pattern("german").match(company.form))
    vat = [n for n in numbers if n.field == "vat"]
    fields = [
        Field("name", "name (with the legal form of a company)", bool(entities),
              tuple(ev["name"]), notes.get("name", "")),
        Field("address", "street address (not a PO box)", bool(ev["address"]),
              tuple(ev["address"]), notes.get("address", "")),
        Field("email", "e-mail address", bool(ev["email"]), tuple(ev["email"]),
              notes.get("email", "")),
        Field("second", "a second quick channel (phone or form)", bool(ev["second"]),
              tuple(ev["second"]), notes.get("second", "")),
    ]
    if company is not None and (german or ev["representative"]):
        fields.append(Field("representative", f"representative of the {company.form}",
                            bool(ev["representative"]), tuple(ev["representative"])))
    if company is not None and company.registered and (german or not vat):
        fields.append(Field("register", f"register entry of the {company.form}",
                            bool(ev["register"]), tuple(ev["register"]),
                            notes.get("register", "")))
    elif ev["register"]:
        fields.append(Field("register", "register entry", True, tuple(ev["register"]),
                            notes.get("register", "")))
    if vat:
        fields.append(Field("vat", "VAT or tax ID", True, tuple(ev["vat"])))
    for num in [n for n in numbers if n.valid is False]:
        fields.append(Field("valid", f"{num.label} {num.value} with a matching check digit",
                            False, (Evidence(num.page, "text", num.snippet,
                                             f"{num.label} {num.value}: check digit does not "
                                             "match"),)))
    return fields


def _fill_from_site(site: SiteSnapshot, ev: dict[str, list[Evidence]], notes: dict[str, str],
                    email_label: Evidence | None, po_box_only: bool) -> None:
    """Contact details the imprint lacks but the site shows elsewhere count, with a note."""
    if not ev["email"]:
        elsewhere = channels_of(site, "email")
        if elsewhere:
            ev["email"].append(_channel_evidence(elsewhere[0], "e-mail elsewhere on the site"))
            notes["email"] = f"shown on {elsewhere[0].page}, not in the imprint"
        elif email_label is not None:
            ev["email"].append(email_label)
            notes["email"] = "an e-mail label without an address in the HTML (image or script?)"
    if not ev["second"]:
        phones = channels_of(site, "phone")
        if phones:
            ev["second"].append(_channel_evidence(phones[0], "phone elsewhere on the site"))
            notes["second"] = f"a phone number is shown on {phones[0].page}"
        else:
            for cand in find_page_type(site, "contact").accepted[:2]:
                page = cand.page
                if page is not None and page.facts is not None and any(
                        any(f.tag == "textarea" for f in form.fields)
                        for form in page.facts.forms):
                    ev["second"].append(Evidence(page.url, "form", "contact form",
                                                 "second channel: a form"))
                    break
    if not ev["address"]:
        street = [c for c in channels_of(site, "address")
                  if not pattern("po_box").search(c.value)]
        if street:
            ev["address"].append(_channel_evidence(street[0], "address elsewhere on the site"))
            notes["address"] = f"shown on {street[0].page}, not in the imprint"
        elif po_box_only:
            notes["address"] = "only a PO box is given"


@check(
    id="imprint-fields",
    category="identity",
    severity="high",
    weight=7,
    title="The imprint gives the details the law asks for",
    failure_title="The imprint is missing required details",
    fix="Give in the imprint: the full name with legal form, a street address, the "
    "representative, an e-mail address and a phone number, and the register court and number "
    "and VAT ID where they exist.",
)
def imprint_fields(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: on the imprint (or the contact page that carries it): the name (with
    the legal form of a company, or the owner), a street address (a PO box is not
    summonable), an e-mail address and a second channel (phone or contact form); for companies
    of the German-speaking countries the representative (Geschäftsführer, Vorstand, Inhaber)
    and the register entry (HRB/HRA with Registergericht, FN ...); for other registered forms
    the register entry or the company's tax ID (SIREN/SIRET/RCS, Registro Mercantil or CIF,
    REA or partita IVA, KvK, NIPC ...). VAT IDs (DE, ATU, FR, ES, IT, NL, PT, BE, CHE ...) are
    read and their check digits verified where the algorithm is certain (DE, AT, BE, ES, FR,
    IT, NL, PT, CH); a number whose check digit fails is reported.
    Why it matters: § 5 DDG in Germany (and the LCEN, LSSI and Italian rules) ask for these
    details so a customer can contact and, if need be, sue the provider; an incomplete
    imprint is a common ground for warning letters.
    How to fix: complete the imprint with the missing fields; copy register and VAT numbers
    from the register extract.
    Traps: numbers need their keyword just before them on the same line (T10), so order,
    phone and account numbers are never taken for register numbers; the hosting provider's or
    web agency's company and numbers in the same imprint are not the provider's; a VAT ID or
    register number is optional where none exists, so its absence alone never fails; an
    e-mail shown as an image, or contact details given elsewhere on the site, count with a
    note rather than as missing.
    """
    if (early := no_pages(site)) is not None:
        return early
    if not imprint_expected(site):
        return Outcome.not_applicable(
            "An imprint is expected of sites for German-speaking and most EU countries; this "
            "site's language and domain point elsewhere.")
    pages = imprint_pages(site)
    if not pages:
        return Outcome.unknown(
            "No imprint page was found, so its fields could not be read (see the imprint "
            "check).")
    fields = _imprint_fields(site, pages)
    missing = [f for f in fields if not f.found]
    evidence = [e for f in fields for e in f.evidence[:2]]
    present = [f.label for f in fields if f.found]
    notes = "; ".join(f"{f.name}: {f.note}" for f in fields if f.note)
    if missing:
        return Outcome.failed(
            "The imprint lacks: " + "; ".join(f.label for f in missing) + "."
            + (f" Found: {', '.join(present)}." if present else "")
            + (f" ({notes})" if notes else ""),
            [e for f in missing for e in f.evidence[:1]]
            + [Evidence(pages[0].url, "searched", "", f"missing: {f.label}")
               for f in missing if not f.evidence]
            + evidence
            + [Evidence(p.url, "searched", p.facts.title if p.facts else "",
                        "imprint fields (first-party part of the page)") for p in pages],
        )
    return Outcome.passed(
        "The imprint gives " + ", ".join(present) + "." + (f" ({notes})" if notes else ""),
        evidence,
    )


# --------------------------------------------------------------------------- stale references


def _folded_keep_punct(text: str) -> str:
    return strip_accents(text.casefold())


ARTICLE_TYPES = {"Article", "BlogPosting", "NewsArticle", "Report", "ScholarlyArticle"}
ARTICLE_SEGMENTS = {"blog", "news", "aktuelles", "neuigkeiten", "magazin", "magazine", "journal",
                    "actualites", "actualidad", "noticias", "notizie", "nieuws", "artigos",
                    "article", "articles", "artikel", "press", "presse", "ratgeber", "wissen"}


def _is_article(page: Page) -> bool:
    assert page.facts is not None
    for item in page.facts.jsonld:
        for node in walk_json(item):
            if types_of(node) & ARTICLE_TYPES:
                return True
    path = page.url.split("://", 1)[-1].split("/", 1)[-1].lower()
    return any(seg in ARTICLE_SEGMENTS for seg in re.split(r"[/._-]", path))


@cache
def _stale_rules() -> list[tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]]:
    return [(rule, re.compile(rule["pattern"]), re.compile(rule["superseded"]))
            for rule in legal_data()["stale"]]


@check(
    id="stale-legal-references",
    category="identity",
    severity="low",
    weight=2,
    title="The legal texts cite laws and bodies that are still current",
    failure_title="The legal texts cite laws or bodies that no longer apply",
    fix="Update the legal texts: cite § 5 DDG instead of § 5 TMG, remove the link to the closed "
    "EU ODR platform (keep the § 36 VSBG statement), and name the EU-US Data Privacy "
    "Framework instead of the Privacy Shield or Safe Harbor.",
)
def stale_legal_references(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: references that stopped being true before the audit date: "§ 5 TMG" or
    the Telemediengesetz (replaced by the DDG on 14 May 2024), links to
    ec.europa.eu/consumers/odr or text about the EU ODR platform (closed 20 July 2025), the
    EU-US Privacy Shield (invalidated 16 July 2020) and Safe Harbor (invalidated 6 October
    2015) named as a transfer basis.
    Why it matters: copy-pasted legal texts that were never updated are a visible sign of
    neglect, and a leftover ODR link may itself be challenged as misleading.
    How to fix: replace or remove each reference listed in the evidence.
    Traps: blog posts and news articles discuss old laws legitimately and are not read; a
    block that names the replacement or the change ("§ 5 DDG, formerly TMG", "the ODR
    platform was closed") is historical, not stale; dates are compared with the audit date,
    so an audit of an archive from 2023 does not flag the TMG; the security "safe harbor" for
    researchers is not the data-transfer agreement.
    """
    if (early := no_pages(site)) is not None:
        return early
    date = site.date
    if not date:
        return Outcome.unknown("The audit date is unknown, so expired references cannot be told.")
    hits: list[Evidence] = []
    labels: list[str] = []
    pages_read = 0
    rules = [r for r in _stale_rules() if date >= r[0]["since"]]
    # Headers and footers repeat on every page: each distinct text is read once.
    spans: dict[str, dict[int, tuple[int, int]]] = {}

    def read(raw: str) -> dict[int, tuple[int, int]]:
        found = spans.get(raw)
        if found is None:
            folded = _folded_keep_punct(raw)
            found = spans[raw] = {}
            for index, (_, regex, superseded) in enumerate(rules):
                m = regex.search(folded)
                if m is not None and not superseded.search(folded):
                    found[index] = (m.start(), m.end())
        return found

    for page in site.html_pages:
        assert page.facts is not None
        if _is_article(page):
            continue
        pages_read += 1
        texts = [(b.text, "text") for b in page.facts.blocks]
        texts += [(link.href, "link") for link in page.facts.links if link.href]
        read_texts = [(raw, kind, read(raw)) for raw, kind in texts]
        for index, (rule, _, _) in enumerate(rules):
            for raw, kind, found in read_texts:
                if index not in found:
                    continue
                start, end = found[index]
                snippet = raw if kind == "link" else _snip(raw, start, end)
                hits.append(Evidence(page.url, kind, snippet,
                                     f"{rule['label']}: replaced by {rule['replacement']}"))
                if rule["label"] not in labels:
                    labels.append(rule["label"])
                break
    facing = region(site)
    if not facing.eu:
        return Outcome.not_applicable(
            "These references concern EU and German law; " + facing.reason + ".",
            found=bool(hits))
    if hits:
        return Outcome.failed(
            "The legal texts still cite " + ", ".join(labels) + f" (as of {date}).",
            hits[:8], found=True)
    return Outcome.passed(
        f"No expired legal reference was found on the {plural(pages_read, 'page')} read "
        f"(as of {date}).",
        [Evidence(site.start_url, "searched", plural(pages_read, "page"),
                  "§ 5 TMG, EU ODR platform, Privacy Shield, Safe Harbor (articles skipped)")],
        found=False)
