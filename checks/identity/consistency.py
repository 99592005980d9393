"""Does the site tell one story about who it is: consistent names, phones and addresses, and a
contact e-mail address on its own domain."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from auditor.check_api import Evidence, Outcome, check
from auditor.crawl.urls import site_key
from auditor.detect.contacts import Channel, channels_of, clean_phone
from auditor.detect.text import fold
from auditor.site import SiteSnapshot
from checks._common import no_pages, plural
from checks.identity.entities import (
    copyright_holders,
    entities_in,
    legal_data,
    name_tokens,
    org_names,
    org_nodes,
    site_entities,
)

RESERVED_SUFFIXES = ("invalid", "localhost", "test", "example", "local", "internal")
POSTCODE_RE = re.compile(r"(?<![\w-])(\d{4}-\d{3}|\d{4}\s?[A-Z]{2}|\d{4,5})(?![\w-])")
STREET_NUMBER_RE = re.compile(r"^(.*?\D)\s*(\d{1,4}[a-zA-Z]?)\b")


@dataclass(frozen=True, slots=True)
class Seen:
    """One value of an attribute (a name, a phone, a postcode) and where it was seen."""

    value: str
    key: str  # the normalised form compared
    page: str
    source: str  # e.g. "Organization.name", "og:site_name", "© line", "tel: link"
    kind: str  # evidence kind
    snippet: str


def _evidence(seen: Iterable[Seen]) -> list[Evidence]:
    return [Evidence(s.page, s.kind, s.snippet, f"{s.source}: {s.value}") for s in seen]


def _distinct(items: list[Seen]) -> list[Seen]:
    out: dict[str, Seen] = {}
    for item in items:
        out.setdefault(item.key, item)
    return list(out.values())


def _name_conflicts(names: list[Seen], own: set[str]) -> list[tuple[Seen, Seen]]:
    """Pairs of names with no word in common, neither of which is the domain's name."""
    conflicts = []
    distinct = _distinct(names)
    for i, a in enumerate(distinct):
        for b in distinct[i + 1:]:
            ta, tb = set(a.key.split()), set(b.key.split())
            if ta & tb or _compact(a.key) in _compact(b.key) or _compact(b.key) in _compact(a.key):
                continue
            if own and (ta & own) and (tb & own):
                continue
            conflicts.append((a, b))
    return conflicts


def _compact(text: str) -> str:
    return text.replace(" ", "")


def _brand_names(site: SiteSnapshot) -> list[Seen]:
    names: list[Seen] = []
    for value, url in org_names(site, "name"):
        key = " ".join(sorted(name_tokens(value)))
        if key:
            names.append(Seen(value, key, url, "Organization name (markup)", "jsonld",
                              f"name: {value}"))
    for page in site.html_pages:
        assert page.facts is not None
        for meta_key, value in page.facts.meta:
            if meta_key == "og:site_name" and value.strip():
                key = " ".join(sorted(name_tokens(value)))
                if key:
                    names.append(Seen(value, key, page.url, "og:site_name", "meta", value))
    for holder, url, line in copyright_holders(site, footer_only=True):
        key = " ".join(sorted(name_tokens(holder)))
        if key and not next(entities_in(holder), None):
            names.append(Seen(holder, key, url, "copyright line", "text", line))
    return names


def _legal_names(site: SiteSnapshot) -> list[Seen]:
    names: list[Seen] = []
    for value, url in org_names(site, "legalName"):
        key = " ".join(sorted(name_tokens(value)))
        if key:
            names.append(Seen(value, key, url, "Organization legalName (markup)", "jsonld",
                              f"legalName: {value}"))
    for ent in site_entities(site):
        if ent.form and ent.source in ("imprint", "copyright", "footer"):
            key = " ".join(sorted(name_tokens(ent.name)))
            if key:
                names.append(Seen(ent.name, key, ent.page, f"{ent.source} text", "text",
                                  ent.snippet))
    return names


def _phone_key(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return digits[-9:]


def _phones(site: SiteSnapshot) -> tuple[list[Seen], list[Seen]]:
    """(phones in Organization markup, phones shown to customers)."""
    marked: list[Seen] = []
    for page, node in org_nodes(site):
        raw = node.get("telephone")
        if isinstance(raw, str) and (phone := clean_phone(raw)):
            marked.append(Seen(raw, _phone_key(phone), page.url, "Organization telephone",
                               "jsonld", f"telephone: {raw}"))
    shown = [Seen(c.value, _phone_key(c.value), c.page,
                  "tel: link" if c.source == "link" else "phone in text",
                  "link" if c.source == "link" else "text", c.snippet)
             for c in channels_of(site, "phone") if c.source in ("link", "text")]
    return marked, shown


def _postcode(text: str) -> str:
    m = POSTCODE_RE.search(text)
    return m.group(1).replace(" ", "").upper() if m else ""


def _street_key(channel: Channel, code: str) -> str:
    """Folded street name and number before the postcode: "hauptstr 12"."""
    before = channel.value.split(code, 1)[0] if code and code in channel.value else ""
    m = STREET_NUMBER_RE.match(before.strip(" ,"))
    if not m:
        return ""
    street = fold(m.group(1)).split()
    return " ".join(street[-3:]) + " " + m.group(2).lower() if street else ""


def _addresses(site: SiteSnapshot) -> tuple[list[Seen], list[Seen]]:
    """(postal addresses in Organization markup, addresses shown in text) keyed by postcode."""
    marked: list[Seen] = []
    for page, node in org_nodes(site):
        address = node.get("address")
        if isinstance(address, dict):
            code = str(address.get("postalCode") or "").replace(" ", "").upper()
            street = str(address.get("streetAddress") or "")
            if code:
                marked.append(Seen(f"{street}, {code}".strip(", "), code, page.url,
                                   "Organization address", "jsonld", f"postalCode: {code}"))
    shown: list[Seen] = []
    for channel in channels_of(site, "address"):
        if channel.source != "text":
            continue
        code = _postcode(channel.value)
        if code:
            shown.append(Seen(channel.value, code, channel.page, "address in text", "text",
                              channel.snippet))
    return marked, shown


def _address_conflicts(site: SiteSnapshot, shown: list[Seen]) -> list[tuple[Seen, Seen]]:
    """The same street and number written with two different postcodes."""
    by_street: dict[str, list[Seen]] = {}
    for channel in channels_of(site, "address"):
        if channel.source != "text":
            continue
        code = _postcode(channel.value)
        key = _street_key(channel, code.lower() if code.islower() else code) if code else ""
        if not key:
            continue
        seen = next((s for s in shown if s.value == channel.value and s.page == channel.page),
                    None)
        if seen is not None:
            by_street.setdefault(key, []).append(seen)
    conflicts = []
    for items in by_street.values():
        codes = _distinct(items)
        if len(codes) > 1:
            conflicts.append((codes[0], codes[1]))
    return conflicts


@check(
    id="organisation-consistency",
    category="identity",
    severity="low",
    weight=3,
    title="The site names, numbers and locates itself consistently",
    failure_title="The site gives conflicting names, phone numbers or addresses",
    fix="Make the Organization markup, og:site_name, the copyright line, the imprint and the "
    "contact details agree; remove template leftovers.",
    presence=False,
)
def organisation_consistency(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: the organisation's name in Organization markup, og:site_name and the
    copyright line (brand names), and in Organization.legalName and the imprint, footer and
    copyright line (legal names); the phone number and postcode in Organization markup against
    those shown on the pages; and the same street written with two postcodes.
    Why it matters: a name, phone or address that differs between pages suggests a template,
    a resold site or neglect, and customers reaching the wrong number lose trust.
    How to fix: use one name, one phone and one address everywhere, and keep the markup in step
    with the pages.
    Traps: a brand and the company behind it differ legitimately ("Blumenpost" run by "Muster
    Handels GmbH"), so brand names are compared with brand names and legal names with legal
    names only; groups with several brands and businesses with several numbers or branches
    are common, so only markup that matches nothing on the pages and one street with two
    postcodes count as conflicts; unknown when there is too little to compare.
    """
    if (early := no_pages(site)) is not None:
        return early
    own = _own_tokens(site)
    conflicts: list[tuple[str, Seen, Seen]] = []
    compared: list[str] = []
    consistent: list[Seen] = []
    for label, names in (("name", _brand_names(site)), ("legal name", _legal_names(site))):
        if len(names) >= 2:
            compared.append(label)
            found = _name_conflicts(names, own)
            conflicts += [(label, a, b) for a, b in found]
            if not found:
                consistent += _distinct(names)[:2]
    marked_phones, shown_phones = _phones(site)
    if marked_phones and shown_phones:
        compared.append("phone")
        shown_keys = {s.key for s in shown_phones}
        for mark in _distinct(marked_phones):
            if mark.key not in shown_keys:
                conflicts.append(("phone", mark, shown_phones[0]))
            else:
                consistent.append(mark)
    marked_addresses, shown_addresses = _addresses(site)
    if marked_addresses and shown_addresses:
        compared.append("address")
        shown_codes = {s.key for s in shown_addresses}
        for mark in _distinct(marked_addresses):
            if mark.key not in shown_codes:
                conflicts.append(("address", mark, shown_addresses[0]))
            else:
                consistent.append(mark)
    conflicts += [("address", a, b) for a, b in _address_conflicts(site, shown_addresses)]
    if conflicts:
        evidence: list[Evidence] = []
        for _, a, b in conflicts[:4]:
            evidence += _evidence([a, b])
        what = sorted({label for label, _, _ in conflicts})
        first = conflicts[0]
        return Outcome.failed(
            f"Conflicting {', '.join(what)}: '{first[1].value}' ({first[1].source}) against "
            f"'{first[2].value}' ({first[2].source})"
            + (f", and {plural(len(conflicts) - 1, 'more conflict')}" if len(conflicts) > 1
               else "") + ".",
            evidence)
    if not compared:
        return Outcome.unknown(
            "Too little to compare: the site gives its name, phone and address in fewer than "
            "two places (markup, og:site_name, copyright line, imprint).")
    return Outcome.passed(
        f"No conflict in what was compared ({', '.join(compared)}): the values agree wherever "
        "they are given.",
        _evidence(consistent[:4]) or [Evidence(site.start_url, "searched",
                                               ", ".join(compared), "values compared")])


def _own_domain(site: SiteSnapshot) -> str:
    """The site's registrable domain, or "" for reserved names (a folder audited without
    --site-url is https://site.invalid/)."""
    key = site_key(site.site_url or site.start_url)
    if "." not in key or key.rsplit(".", 1)[-1] in RESERVED_SUFFIXES:
        return ""
    return key


def _own_tokens(site: SiteSnapshot) -> set[str]:
    label = _own_domain(site).split(".", 1)[0]
    return {t for t in re.split(r"[-_]", label) if len(t) >= 3}


# --------------------------------------------------------------------------- e-mail domain


@cache
def _free_mail() -> tuple[frozenset[str], frozenset[str]]:
    data = legal_data()["free_mail"]
    return frozenset(data["brands"]), frozenset(d.lower() for d in data["domains"])


def free_mail_provider(email: str) -> str:
    """The free-mail provider of an address ("gmail.com"), or "" for any other domain."""
    domain = email.rsplit("@", 1)[-1].lower()
    brands, domains = _free_mail()
    if domain in domains:
        return domain
    registrable = _registrable(domain)
    if registrable in domains:
        return registrable
    return registrable if registrable.split(".", 1)[0] in brands else ""


def _registrable(host: str) -> str:
    return site_key(f"https://{host}/").lower()


@check(
    id="business-email-domain",
    category="identity",
    severity="low",
    weight=2,
    title="The contact e-mail address is on the business's own domain",
    failure_title="The only contact e-mail addresses are free-mail accounts",
    fix="Publish an address on your own domain (info@yourdomain); a free-mail account looks "
    "temporary to customers.",
)
def business_email_domain(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: the e-mail addresses the site shows (mailto links, text, markup), split
    into free-mail accounts (Gmail, Yahoo, Hotmail/Outlook, GMX, web.de, iCloud, Proton,
    Orange, Libero ...) and addresses on a business domain, preferably the site's own.
    Why it matters: an address on the company's own domain shows a settled business; a
    free-mail account can be opened by anyone in a minute.
    How to fix: set up an address on your domain and show it instead of the free-mail one.
    Traps: small sole traders legitimately use free mail, so this is a low-weight signal;
    subdomains of a business domain (mail.acme.de) are not free mail; an address on a parent
    company's or another business domain still counts as a business address; no e-mail at all
    is the contact-email check's verdict, so this one is not applicable then.
    """
    if (early := no_pages(site)) is not None:
        return early
    emails = channels_of(site, "email")
    if not emails:
        return Outcome.not_applicable("No e-mail address is shown, so its domain cannot be judged "
                                      "(see contact-email).")
    own = _own_domain(site)
    by_value: dict[str, Channel] = {}
    for channel in sorted(emails, key=lambda c: (c.source != "link", c.page)):
        by_value.setdefault(channel.value, channel)
    free = {v: c for v, c in by_value.items() if free_mail_provider(v)}
    business = {v: c for v, c in by_value.items() if v not in free}
    on_own = {v: c for v, c in business.items() if own and _registrable(v.rsplit("@", 1)[1]) == own}

    def ev(items: dict[str, Channel], note: str) -> list[Evidence]:
        return [Evidence(c.page, "link" if c.source == "link" else "text", c.snippet,
                         f"{note}: {v}") for v, c in list(items.items())[:3]]

    if on_own:
        return Outcome.passed(f"The site shows {', '.join(list(on_own)[:3])} on its own domain.",
                              ev(on_own, "own domain"))
    if business:
        return Outcome.passed(
            f"The site shows {', '.join(list(business)[:3])}, a business domain "
            + ("other than the site's own." if own else "(not free mail)."),
            ev(business, "business domain"))
    providers = sorted({free_mail_provider(v) for v in free})
    return Outcome.failed(
        f"The only e-mail {'address is' if len(free) == 1 else 'addresses are'} on free-mail "
        f"{'service' if len(providers) == 1 else 'services'} ({', '.join(providers)}): "
        f"{', '.join(list(free)[:3])}.",
        ev(free, "free mail"))
