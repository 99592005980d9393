"""Which legal region a site faces: imprint countries, the EU, the UK.

Several checks apply only where a law applies: an imprint in German-speaking and most EU
countries, the 14-day withdrawal right and the review-information duty in the EU, VAT-inclusive
prices in the EU and the UK. The region is told from facts the audit sees — the site's domain,
its page languages and hreflang, the countries in its addresses and the international prefixes
of its phone numbers — never from where the audit runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from auditor.detect import memo
from auditor.detect.contacts import channels_of
from auditor.detect.language import primary, site_languages
from auditor.site import SiteSnapshot

IMPRINT_LANGS = {"de", "fr", "es", "it", "nl", "pt"}
IMPRINT_TLDS = (".de", ".at", ".ch", ".fr", ".es", ".it", ".nl", ".pt", ".be", ".lu", ".li")
IMPRINT_COUNTRIES = re.compile(
    r"\b(germany|deutschland|austria|osterreich|österreich|switzerland|schweiz|suisse|svizzera|"
    r"france|espana|españa|spain|italia|italy|nederland|netherlands|portugal|belgique|belgie|"
    r"belgië|belgium|luxembourg|liechtenstein)\b",
    re.I,
)
EU_TLDS = frozenset([
    "eu", "at", "be", "bg", "cy", "cz", "de", "dk", "ee", "es", "fi", "fr", "gr", "hr", "hu",
    "ie", "it", "lt", "lu", "lv", "mt", "nl", "pl", "pt", "ro", "se", "si", "sk",
])
# Official languages of EU member states (ISO 639-1). German, French and Italian are also
# Swiss, Spanish and Portuguese also Latin American: other evidence (domain, phone prefixes,
# addresses) decides those.
EU_LANGS = frozenset([
    "de", "fr", "es", "it", "nl", "pt", "pl", "cs", "sk", "sl", "hu", "ro", "bg", "el", "hr",
    "et", "lv", "lt", "sv", "da", "fi", "ga", "mt",
])
EU_COUNTRIES = re.compile(
    r"\b(germany|deutschland|austria|osterreich|österreich|france|espana|españa|spain|italia|"
    r"italy|nederland|netherlands|portugal|belgique|belgie|belgië|belgium|luxembourg|ireland|"
    r"éire|polska|poland|sverige|sweden|danmark|denmark|suomi|finland|česko|czechia|slovensko|"
    r"slovakia|slovenija|slovenia|magyarország|hungary|românia|romania|bulgaria|hellas|greece|"
    r"hrvatska|croatia|eesti|estonia|latvija|latvia|lietuva|lithuania|malta|cyprus)\b",
    re.I,
)
EU_PHONE_PREFIXES = ("30", "31", "32", "33", "34", "351", "352", "353", "356", "357", "358",
                     "359", "36", "370", "371", "372", "385", "386", "39", "40", "420", "421",
                     "43", "45", "46", "48", "49")
UK_TLDS = (".uk",)
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
NON_EU_TLDS = frozenset([
    "ch", "li", "uk", "us", "ca", "mx", "br", "ar", "cl", "co", "pe", "ve", "uy", "py", "bo",
    "ec", "au", "nz", "in", "za", "ru", "ua", "tr", "no", "is", "jp", "cn",
])


@dataclass(frozen=True, slots=True)
class Region:
    eu: bool  # the site addresses customers in the EU
    uk: bool  # the site addresses customers in the UK
    reason: str  # what decided it, for messages


def host_of(site: SiteSnapshot) -> str:
    return (urlsplit(site.site_url or site.start_url).hostname or "").lower()


def imprint_expected(site: SiteSnapshot) -> bool:
    """German-speaking and most EU countries require provider identification on the site: told
    by the site's language, its domain, or a business address in one of those countries."""
    host = host_of(site)
    if set(site_languages(site)[:1]) & IMPRINT_LANGS or host.endswith(IMPRINT_TLDS):
        return True
    return any(IMPRINT_COUNTRIES.search(c.snippet) for c in channels_of(site, "address"))


def _phone_countries(site: SiteSnapshot) -> tuple[bool, bool]:
    """(some number has an EU prefix, some number has another international prefix)."""
    eu = other = False
    for channel in channels_of(site, "phone"):
        if not channel.value.startswith("+"):
            continue
        digits = channel.value[1:]
        if digits.startswith(EU_PHONE_PREFIXES):
            eu = True
        else:
            other = True
    return eu, other


def _hreflang_countries(site: SiteSnapshot) -> set[str]:
    countries: set[str] = set()
    for page in site.html_pages:
        assert page.facts is not None
        for lang, _ in page.facts.hreflang:
            parts = lang.lower().replace("_", "-").split("-")
            if len(parts) >= 2 and len(parts[1]) == 2:
                countries.add(parts[1])
    return countries


def region(site: SiteSnapshot) -> Region:
    """Whether the site faces EU and UK customers, with the reason."""
    return memo(site, "checks-region", lambda: _region(site))


def _region(site: SiteSnapshot) -> Region:
    host = host_of(site)
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    addresses = " ".join(c.snippet for c in channels_of(site, "address"))
    eu_address = bool(EU_COUNTRIES.search(addresses))
    eu_phone, other_phone = _phone_countries(site)
    hreflang = _hreflang_countries(site)
    langs = [primary(lang) for lang in site_languages(site)]
    uk = (host.endswith(UK_TLDS) or "gb" in hreflang or bool(UK_POSTCODE.search(addresses))
          or any(lang == "en" for lang in langs[:1]) and "£" in _sample_text(site))
    if tld in EU_TLDS:
        return Region(True, uk, f"the domain ends in .{tld}")
    if eu_address:
        return Region(True, uk, "a business address in an EU country")
    if hreflang & EU_TLDS:
        return Region(True, uk, "hreflang alternates for EU countries")
    if eu_phone:
        return Region(True, uk, "a phone number with an EU country prefix")
    if tld in NON_EU_TLDS:
        return Region(False, uk, f"the domain (.{tld}) is outside the EU")
    if other_phone:
        return Region(False, uk, "the phone numbers carry non-EU country codes")
    if langs and langs[0] in EU_LANGS:
        return Region(True, uk, f"the pages are in an EU language ({langs[0]})")
    return Region(False, uk, "nothing points to EU customers (domain, language, address, phone)")


def _sample_text(site: SiteSnapshot) -> str:
    page = site.start_page
    if page is None or page.facts is None:
        return ""
    return page.facts.text[:20000]
