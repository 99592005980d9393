"""Contact channels anywhere on the site: e-mail addresses, phone numbers and postal addresses.

Numbers that merely look like phone numbers (order numbers, dates, IDs) need an anchor: a
``tel:`` link, an international prefix, or a phone word close before them (trap T10). Postal
addresses need a postcode with a town *and* a street part next to it, so a year or a price never
passes for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from auditor.detect import memo
from auditor.detect.text import fold, snippet_around
from auditor.site import Page, SiteSnapshot


@dataclass(frozen=True, slots=True)
class Channel:
    kind: str  # email, phone, address, maps
    value: str  # normalised: the address, digits with '+', the address text
    page: str  # page URL
    source: str  # link, text, jsonld, microdata
    snippet: str
    region: str = "body"


# ------------------------------------------------------------------------------ e-mail

EMAIL_RE = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24})(?![\w-])"
)
OBFUSCATED_RE = re.compile(
    r"([A-Za-z0-9._%+-]{1,64})\s*[\[\(\{]\s*(?:at|@)\s*[\]\)\}]\s*"
    r"((?:[A-Za-z0-9-]{1,63}\s*(?:[\[\(\{]\s*(?:dot|\.)\s*[\]\)\}]|\.)\s*)+[A-Za-z]{2,24})",
    re.I,
)
NOT_TLDS = {"png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "css", "js", "ico", "bmp", "tif"}
PLACEHOLDER_DOMAINS = {
    "example.com", "example.org", "example.net", "domain.com", "email.com", "yourdomain.com",
    "yoursite.com", "company.com", "mail.com.example", "sentry.io", "wixpress.com",
    "sentry-next.wixpress.com",
    # the same placeholders in the other languages templates are written in
    "dominio.it", "dominio.com", "dominio.es", "tudominio.com", "tudominio.es", "tuodominio.it",
    "exemple.com", "exemple.fr", "domaine.fr", "domaine.com", "votredomaine.fr",
    "votredomaine.com", "beispiel.de", "beispiel.com", "ihredomain.de", "deinedomain.de",
    "voorbeeld.nl", "uwdomein.nl", "exemplo.com", "exemplo.com.br", "exemplo.pt",
    "seudominio.com.br", "seudominio.pt",
}
PLACEHOLDER_LOCALS = {"your", "name", "yourname", "you", "email", "user", "username", "john.doe",
                      "max.mustermann", "vorname.nachname", "firstname.lastname"}


def clean_email(raw: str) -> str | None:
    email = unquote(raw).strip().strip(".,;:").lower()
    if not EMAIL_RE.fullmatch(email):
        return None
    local, _, domain = email.partition("@")
    if domain.rsplit(".", 1)[-1] in NOT_TLDS or domain in PLACEHOLDER_DOMAINS:
        return None
    if local in PLACEHOLDER_LOCALS or domain.endswith(".invalid"):
        return None
    return email


def decode_cfemail(hex_string: str) -> str | None:
    """Cloudflare e-mail protection: the first byte is the XOR key for the rest."""
    try:
        data = bytes.fromhex(hex_string)
    except ValueError:
        return None
    if len(data) < 2:
        return None
    return "".join(chr(b ^ data[0]) for b in data[1:])


# ------------------------------------------------------------------------------ phones

PHONE_WORDS = (
    r"tel|tél|telefon|telephone|téléphone|teléfono|telefono|telefoon|telefone|phone|fon|"
    r"call|call us|appelez|llámanos|llamanos|chiamaci|bel ons|ligue|mobil|mobile|handy|"
    r"portable|móvil|movil|cellulare|whatsapp|hotline|ring|t\.|☎|📞"
)
PHONE_CORE = r"(\+|00)?\(?\d[\d ()./\-\u00a0]{5,22}\d"
PHONE_ANCHORED_RE = re.compile(
    rf"(?:\b(?:{PHONE_WORDS})\b|[☎📞])[\s.:\-]{{0,6}}(?:\([^)\d]{{1,20}}\)\s*)?[:\s]*({PHONE_CORE})",
    re.I,
)
PHONE_INTL_RE = re.compile(
    r"(?<![\w+])(\+\d{1,3}[ \u00a0.\-]?\(?\d{1,4}\)?(?:[ \u00a0.\-]?\d{2,4}){2,5})(?![\w])")
PHONE_US_RE = re.compile(r"(?<![\w])(\(\d{3}\)\s?\d{3}[-.\s]\d{4}|\d{3}[-.]\d{3}[-.]\d{4})(?![\w])")
# The French national format "06 28 04 64 27" / "01.23.45.67.89" is unmistakable on its own.
PHONE_FR_RE = re.compile(r"(?<![\d+])(0[1-9](?:([ .])\d{2})(?:\2\d{2}){3})(?![\d])")
DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
FAX_BEFORE = re.compile(r"fax\W{0,4}$", re.I)


def clean_phone(raw: str) -> str | None:
    raw = unquote(raw).strip()
    if DATE_LIKE.match(raw.replace(" ", "")):
        return None
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("00"):
        digits, plus = digits[2:], True
    else:
        plus = raw.startswith("+")
    if not 6 <= len(digits) <= 15 or len(set(digits)) <= 2:
        return None
    if len(set(digits[-7:])) == 1:
        return None  # "+39 000 000 0000": a template's placeholder
    return ("+" if plus else "") + digits


# ------------------------------------------------------------------------------ addresses

STREET_WORDS = (
    r"stra(?:ss|ß)e|str\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee|steig|stege|"
    r"rue|avenue|av\.|bd|boulevard|chemin|allée|allee|place|impasse|quai|route|"
    r"calle|c/|avenida|avda\.?|plaza|paseo|carrer|camino|carretera|ronda|"
    r"via|viale|piazza|piazzale|corso|vicolo|largo|"
    r"straat|laan|plein|gracht|kade|singel|dreef|"
    r"rua|travessa|praça|praca|estrada|alameda|"
    r"street|st\.|road|rd\.|lane|ln\.|drive|dr\.|way|court|ct\.|suite|ste\.|unit|floor|"
    r"blvd|parkway|pkwy|highway|hwy|square|sq\.|house|building|tower|tour|edificio|"
    r"postfach|p\.?o\.? box|apartado|bp"
)
# Town names may carry a lower-case particle: "Miñera de Luna", "Frankfurt am Main".
_PARTICLE = (r"(?:de|del|de la|de los|de las|di|da|do|dos|das|du|des|sur|sous|en|am|an der|im|"
             r"op|aan de|aan den|bei)")
_CITY = (r"[A-ZÀ-ÖØ-Þ][\w'’.\-]+(?:(?:\s" + _PARTICLE + r")?[ \-][A-ZÀ-ÖØ-Þ(][\w'’.\-)]+)"
         r"{0,2}")
_CITY_END = r"(?=$|\s*[,.;)(|·–\-/]|\s+[A-ZÀ-ÖØ-Þ0-9(])"
EU_POSTCODE_RE = re.compile(
    rf"(?<![\w-])(?:[A-Z]{{1,2}}-)?(\d{{5}}|\d{{4}}-\d{{3}}|\d{{4}}\s?[A-Z]{{2}}|\d{{4}})\s+({_CITY}){_CITY_END}"
)
US_ZIP_RE = re.compile(r"\b[A-Z]{2},?\s+\d{5}(?:-\d{4})?\b")
UK_POSTCODE_RE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
STREET_RE = re.compile(rf"(?:\b|(?<=\s))(?:{STREET_WORDS})(?:\b|(?=\s)|$)", re.I)
# German and Dutch street names are written as one word: "Lindenstraße", "Keizersgracht".
COMPOUND_STREET_RE = re.compile(
    r"[A-Za-zÀ-ÿ]{2,}(?:stra(?:ss|ß)e|str\.|weg|platz|allee|gasse|damm|ufer|chaussee|stege|steig|"
    r"straat|laan|gracht|plein|kade|singel|dreef)\b",
    re.I,
)
NAME_NUMBER_RE = re.compile(r"[A-Za-zÀ-ÿ.\-]{3,},?\s\d{1,4}[a-zA-Z]?(?:\s?[-/]\s?\d{1,4})?\b")
NUMBER_NAME_RE = re.compile(r"\b\d{1,5}[a-zA-Z]?,?\s+(?:[A-Za-zÀ-ÿ'’.\-]+\s){0,3}")
TEMPLATE_ADDRESS = re.compile(r"musterstra(?:ss|ß)e|musterstadt|12345\s+\w+|123 main st", re.I)
YEAR_RE = re.compile(r"^(?:19|20)\d{2}$")


# Legal texts must quote other parties' addresses: the web host in French "mentions légales",
# the supervisory authority in privacy policies. Those are not the business's address.
THIRD_PARTY_BEFORE = re.compile(
    r"(h[ée]bergeur|h[ée]bergement|hosted by|hosting|hoster|alojamiento|alojado|ospitato|"
    r"aufsichtsbeh[öo]rde|landeszentrum f[üu]r datenschutz|landesbeauftragte|"
    r"autorit[ée] de contr[ôo]le|cnil|garante per|autoridad de control|"
    r"toezichthouder|autoriteit persoonsgegevens)",
    re.I,
)
# Street first, no postcode ("Via Roma, 16 — Bergamo"): only in short, address-like blocks.
STREET_FIRST_RE = re.compile(
    r"\b(?:Via|Viale|Piazza|Corso|Rua|Avenida|Calle|Carrer|Rue|Avenue|Avinguda|Travessa)\s+"
    r"[A-ZÀ-ÖØ-Þ][\w'’.\-]*(?:\s[\w'’.\-]+){0,4}?,?\s+(?:n[º°o]\.?\s*)?\d{1,5}[a-zA-Z]?\b"
    r"[^\n]{0,40}?[,—–\-/]\s*[A-ZÀ-ÖØ-Þ][\w'’\-]+"
)


def find_addresses(text: str) -> Iterator[tuple[int, int]]:
    """Spans of postal addresses in a text block (not those of a named third party)."""
    found = False
    for start, end in _postal_spans(text):
        # Look just before the address, and into its first words: US-style spans start up to
        # 90 characters early and may hold the "Hosted by ..." themselves.
        if not THIRD_PARTY_BEFORE.search(text[max(0, start - 120) : start + 25]):
            found = True
            yield start, end
    if not found and len(text) <= 200:
        for match in STREET_FIRST_RE.finditer(text):
            if not THIRD_PARTY_BEFORE.search(text[max(0, match.start() - 120) : match.start()]):
                yield match.start(), match.end()


def _postal_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in EU_POSTCODE_RE.finditer(text):
        code = match.group(1)
        if YEAR_RE.match(code):
            continue  # "© 2024 Acme" is a year and a name, not a postcode and a town
        before = text[max(0, match.start() - 70) : match.start()]
        tail_offset = max(0, len(before) - 45)
        tail = before[tail_offset:]
        start: int | None = None
        street_starts = [m.start() for m in (STREET_RE.search(before),
                                             COMPOUND_STREET_RE.search(before)) if m]
        if street_starts:
            start = min(street_starts)
            # Widen to the start of a hyphenated name ("Reicher-Leute-Stege").
            while start > 0 and (before[start - 1].isalpha() or before[start - 1] == "-"):
                start -= 1
        elif (m := NAME_NUMBER_RE.search(tail)) or (
                len(code) != 4 and (m := NUMBER_NAME_RE.search(tail))):
            start = tail_offset + m.start()
        if start is not None and not TEMPLATE_ADDRESS.search(
            text[max(0, match.start() - 70) : match.end()]
        ):
            yield match.start() - len(before) + start, match.end()
    for regex in (US_ZIP_RE, UK_POSTCODE_RE):
        for match in regex.finditer(text):
            before = text[max(0, match.start() - 90) : match.start()]
            if STREET_RE.search(before) and re.search(r"\b\d{1,6}[A-Za-z]?\b", before):
                yield max(0, match.start() - 90), match.end()


# ------------------------------------------------------------------------------ JSON-LD walk


def walk_json(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object inside a JSON-LD (or microdata) value, depth-bounded."""
    if depth > 12:
        return
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk_json(value, depth + 1)
    elif isinstance(node, list):
        for item in node[:200]:
            yield from walk_json(item, depth + 1)


def types_of(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", ())
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values if v}


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value if v)
    if isinstance(value, dict):
        return ", ".join(_as_text(value.get(k)) for k in (
            "streetAddress", "postalCode", "addressLocality", "addressRegion", "addressCountry",
            "name") if value.get(k))
    return str(value).strip() if value is not None else ""


# ------------------------------------------------------------------------------ per page


def _text_phones(text: str, url: str, region: str) -> list[Channel]:
    """Phone numbers in one text block. The three patterns overlap ("Call us: (323) 458-5595"
    matches twice), so the longest match wins and overlapping shorter ones are dropped."""
    candidates: list[tuple[int, int, int]] = []  # (start, end, context start)
    for regex in (PHONE_ANCHORED_RE, PHONE_INTL_RE, PHONE_US_RE, PHONE_FR_RE):
        for m in regex.finditer(text):
            start, end = m.span(1)
            if not FAX_BEFORE.search(text[max(0, start - 12) : start]):
                candidates.append((start, end, m.start()))
    taken: list[tuple[int, int]] = []
    found: list[Channel] = []
    for start, end, context in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if any(start < e and end > s for s, e in taken):
            continue
        if phone := clean_phone(text[start:end]):
            taken.append((start, end))
            found.append(Channel("phone", phone, url, "text",
                                 snippet_around(text, context, end), region))
    return found


_DIGIT = re.compile(r"\d")  # every phone and postal pattern needs one
_BRACKET = re.compile(r"[\[\(\{]")  # OBFUSCATED_RE needs one


def page_channels(page: Page) -> list[Channel]:
    facts = page.facts
    if facts is None:
        return []
    out: list[Channel] = []
    url = page.url
    for link in facts.links:
        href = link.href.strip()
        low = href.lower()
        if low.startswith("mailto:"):
            for part in href[7:].split("?", 1)[0].split(","):
                if email := clean_email(part):
                    out.append(Channel("email", email, url, "link", link.text or href, link.region))
        elif low.startswith(("tel:", "callto:")):
            if phone := clean_phone(href.split(":", 1)[1]):
                out.append(Channel("phone", phone, url, "link", link.text or href, link.region))
        elif "/cdn-cgi/l/email-protection#" in low:
            decoded = decode_cfemail(href.rsplit("#", 1)[1])
            if decoded and (email := clean_email(decoded)):
                out.append(Channel("email", email, url, "link", "protected e-mail link",
                                   link.region))
        elif re.search(r"(?:maps\.google\.|google\.[a-z.]+/maps|goo\.gl/maps|maps\.app\.goo\.gl)",
                       low):
            out.append(Channel("maps", link.url, url, "link", link.text or "map link", link.region))
        elif re.search(r"(?:wa\.me/|api\.whatsapp\.com/send)", low):
            out.append(Channel("messaging", link.url, url, "link", link.text or href,
                               link.region))
    for block in facts.blocks:
        text = block.text
        # Cheap tests first: an address needs "@", an obfuscated one a bracket, and phone
        # numbers and postal addresses need digits; most blocks have none of them.
        if "@" in text:
            for m in EMAIL_RE.finditer(text):
                if email := clean_email(m.group(1)):
                    out.append(Channel("email", email, url, "text",
                                       snippet_around(text, m.start(), m.end()), block.region))
        if _BRACKET.search(text):
            for m in OBFUSCATED_RE.finditer(text):
                domain = re.sub(r"\s*[\[\(\{]\s*(?:dot|\.)\s*[\]\)\}]\s*|\s*\.\s*", ".",
                                m.group(2))
                if email := clean_email(f"{m.group(1)}@{domain}"):
                    out.append(Channel("email", email, url, "text",
                                       snippet_around(text, m.start(), m.end()), block.region))
        if _DIGIT.search(text):
            out.extend(_text_phones(text, url, block.region))
            for start, end in find_addresses(text):
                out.append(Channel("address", " ".join(text[start:end].split()), url, "text",
                                   snippet_around(text, start, end, 30), block.region))
    for source, items in (("jsonld", facts.jsonld), ("microdata", facts.microdata)):
        for item in items:
            for node in walk_json(item):
                for key, kind in (("email", "email"), ("telephone", "phone")):
                    raw = node.get(key)
                    if isinstance(raw, str):
                        value = clean_email(raw.removeprefix("mailto:")) if kind == "email" \
                            else clean_phone(raw)
                        if value:
                            out.append(Channel(kind, value, url, source, f"{key}: {raw}"))
                if "PostalAddress" in types_of(node) or (
                    isinstance(node.get("address"), str) and len(node["address"]) > 10
                ):
                    address = node if "PostalAddress" in types_of(node) else node["address"]
                    text = _as_text(address)
                    has_street = isinstance(address, str) or address.get("streetAddress")
                    if text and has_street:
                        out.append(Channel("address", text, url, source, f"address: {text}"))
    for block in facts.blocks:
        if block.tag == "address" and re.search(r"\d", block.text) and STREET_RE.search(
            block.text
        ) and not any(c.kind == "address" and c.page == url and c.snippet in block.text
                      for c in out):
            out.append(Channel("address", " ".join(block.text.split())[:200], url, "text",
                               block.text, block.region))
    return out


def site_channels(site: SiteSnapshot) -> tuple[Channel, ...]:
    """All channels on all audited pages, sorted; footer repeats are kept (evidence picks)."""

    def build() -> tuple[Channel, ...]:
        found: set[Channel] = set()
        for page in site.html_pages:
            found.update(page_channels(page))
        return tuple(sorted(found, key=lambda c: (c.kind, c.value, c.page, c.source, c.snippet)))

    return memo(site, "channels", build)


def channels_of(site: SiteSnapshot, kind: str) -> tuple[Channel, ...]:
    return tuple(c for c in site_channels(site) if c.kind == kind)


__all__ = ["Channel", "site_channels", "channels_of", "page_channels", "find_addresses",
           "walk_json", "types_of", "fold"]
