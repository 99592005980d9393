"""Who a site addresses (Europe, the US, the UK, German-speaking countries), from what it shows.

Several checks only apply under one region's law: GDPR notice topics, ePrivacy consent and EU
green-claims rules for Europe, "Do Not Sell" links for the US, modern-slavery and LkSG statements
for the UK and Germany. A static audit cannot know where a business sells, so it reads what the
site says about itself (``checks/audience.toml``):

- explicit country evidence: region subtags of ``<html lang>`` and hreflang alternates
  ("de-at", "en-us"), a country-code domain, JSON-LD ``addressCountry``, country names and US
  state-plus-ZIP forms in postal addresses, price currencies, and the laws its own privacy
  policy cites (GDPR/DSGVO/RGPD, CCPA);
- language alone ("de", "fr") counts for Europe only when no explicit evidence points elsewhere
  (a Spanish site on ``.mx`` is not European), and ``lang="en-US"`` — the WordPress default on
  English sites everywhere — counts for the US only when nothing points elsewhere.

"Europe" means the EU, the EEA and the UK: UK GDPR and PECR mirror the EU rules these checks
rely on. Every decision keeps its reasons, which the checks quote in their messages.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from auditor.detect import memo
from auditor.detect.contacts import channels_of, walk_json
from auditor.detect.pagetypes import body_text, find_page_type
from auditor.detect.text import fold, phrase_regex
from auditor.site import SiteSnapshot

US_ADDRESS_TAIL = re.compile(r"\b([A-Z]{2}),?\s+\d{5}(?:-\d{4})?\b")
USD_RE = re.compile(r"\bUSD\b|US\$|\bUS ?dollars?\b")
EUR_RE = re.compile(r"€|\bEUR\b")
GBP_RE = re.compile(r"£|\bGBP\b")
PHONE_PREFIX = re.compile(r"^\+(\d{1,3})")
# Calling codes of the European countries in audience.toml (EU, EEA, UK).
EUROPE_CALLING = ("30", "31", "32", "33", "34", "35", "36", "39", "40", "43", "44", "45", "46",
                  "47", "48", "49", "42")
# Two-letter top-level domains used as generic ones: they say nothing about a country.
GENERIC_CC = {"io", "co", "ai", "me", "tv", "fm", "ly", "to", "cc", "ws", "gg", "so", "sh", "ac",
              "im", "la", "vc", "nu", "tk", "app", "dev"}


@dataclass(frozen=True, slots=True)
class AudienceData:
    europe_countries: frozenset[str]
    europe_languages: frozenset[str]
    europe_tlds: tuple[str, ...]
    europe_names: re.Pattern[str] | None
    europe_law: re.Pattern[str] | None
    us_names: frozenset[str]
    us_states: frozenset[str]
    us_law: re.Pattern[str] | None
    uk_names: re.Pattern[str] | None
    de_names: re.Pattern[str] | None
    hosting: re.Pattern[str] | None


@cache
def audience_data() -> AudienceData:
    raw = tomllib.loads(resources.files("checks").joinpath("audience.toml").read_text("utf-8"))
    return AudienceData(
        europe_countries=frozenset(raw["europe_countries"]),
        europe_languages=frozenset(raw["europe_languages"]),
        europe_tlds=tuple(sorted(raw["europe_tlds"], key=len, reverse=True)),
        europe_names=phrase_regex(raw["europe_names"]),
        europe_law=phrase_regex(raw["europe_law"]),
        us_names=frozenset(fold(n) for n in raw["us_names"]),
        us_states=frozenset(raw["us_states"]),
        us_law=phrase_regex(raw["us_law"]),
        uk_names=phrase_regex(raw["uk_names"]),
        de_names=phrase_regex(raw["de_names"]),
        hosting=phrase_regex(raw["hosting_words"]),
    )


@dataclass(frozen=True, slots=True)
class Audience:
    """Regions the site addresses, each with the reasons that decided it."""

    europe: bool
    us: bool
    uk: bool
    german: bool  # Germany, Austria or Switzerland
    reasons: tuple[tuple[str, str], ...]  # (region, reason), region in europe/us/uk/german/other

    def why(self, region: str, limit: int = 3) -> str:
        found = [r for g, r in self.reasons if g == region]
        return "; ".join(found[:limit])

    def why_not(self, region: str) -> str:
        """What the decision rested on when the region was not found: the signs pointing
        elsewhere (another region, other countries), or that there were none."""
        elsewhere = {"europe": ("us", "other"), "us": ("us-weak", "europe", "other")}
        found = [r for g in elsewhere.get(region, ("other",)) for gg, r in self.reasons
                 if gg == g]
        return "; ".join(found[:3]) or "no sign of it (language, domain, address, currency)"


def _tag_parts(tag: str) -> tuple[str, str]:
    parts = tag.strip().lower().replace("_", "-").split("-")
    lang = parts[0]
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    return lang, region


def _host_address(site: SiteSnapshot, url: str, address: str, data: AudienceData) -> bool:
    """True when the block holding the address names a web host (Hébergeur, hosted by ...)."""
    page = site.page(url)
    if page is None or page.facts is None or data.hosting is None:
        return False
    key = address[:25]
    for block in page.facts.blocks:
        if key in " ".join(block.text.split()):
            return bool(data.hosting.search(fold(block.text)))
    return False


def site_audience(site: SiteSnapshot) -> Audience:
    """Who the site addresses (memoised per snapshot)."""
    return memo(site, "audience", lambda: _decide(site))


def _decide(site: SiteSnapshot) -> Audience:  # noqa: C901 - one pass over many small signals
    data = audience_data()
    reasons: list[tuple[str, str]] = []
    explicit: dict[str, list[str]] = {"europe": [], "us": [], "other": [], "uk": [], "de": []}

    def country(code: str, why: str) -> None:
        code = code.lower()
        if code in ("gb", "uk"):
            explicit["uk"].append(why)
        if code in ("de", "at", "ch"):
            explicit["de"].append(why)
        if code in data.europe_countries:
            explicit["europe"].append(why)
        elif code == "us":
            explicit["us"].append(why)
        else:
            explicit["other"].append(why)

    langs: dict[str, int] = {}
    en_us_pages = 0
    hreflangs: set[str] = set()
    for page in site.html_pages:
        facts = page.facts
        assert facts is not None
        if facts.lang:
            lang, region = _tag_parts(facts.lang)
            langs[lang] = langs.get(lang, 0) + 1
            if region and not (lang == "en" and region == "us"):
                country(region, f'<html lang="{facts.lang}">')
            elif region == "us":
                en_us_pages += 1
        for tag, _url in facts.hreflang:
            if tag != "x-default":
                hreflangs.add(tag)
    if len(hreflangs) > 1:  # alternates for several locales: each names a market
        for tag in sorted(hreflangs):
            lang, region = _tag_parts(tag)
            if region:
                country(region, f'hreflang="{tag}"')
            elif lang in data.europe_languages:
                explicit["europe"].append(f'hreflang="{tag}"')

    host = (urlsplit(site.site_url or site.start_url).hostname or "").lower()
    if host and not host.endswith((".invalid", ".test", ".example", ".localhost", ".local")) \
            and "." in host:
        tld = host.rsplit(".", 1)[-1]
        if host.endswith(data.europe_tlds):
            if len(tld) == 2 and tld != "eu":
                country("gb" if tld == "uk" else tld, f"domain .{tld}")
            else:
                explicit["europe"].append(f"domain .{tld}")
        elif tld == "us":
            country("us", "domain .us")
        elif len(tld) == 2 and tld not in GENERIC_CC:
            country(tld, f"domain .{tld}")

    for channel in channels_of(site, "address"):
        text = channel.value
        folded = fold(text)
        if _host_address(site, channel.page, text, data):
            continue  # the web host's address in an imprint says nothing about the audience
        if data.europe_names is not None and (m := data.europe_names.search(folded)):
            why = f"address in {m.group(0)}: {text[:60]}"
            explicit["europe"].append(why)
            if data.uk_names is not None and data.uk_names.search(folded):
                explicit["uk"].append(why)
            if data.de_names is not None and data.de_names.search(folded):
                explicit["de"].append(why)
        elif ((m2 := US_ADDRESS_TAIL.search(text)) and m2.group(1) in data.us_states) or any(
                f" {n} " in f" {folded} " for n in data.us_names if len(n) > 2):
            explicit["us"].append(f"US address: {text[:60]}")
    phones = [c.value for c in channels_of(site, "phone") if c.value.startswith("+")]
    if phones and not any(p.startswith("+1") for p in phones):
        codes = sorted({m.group(1)[:2] for p in phones if (m := PHONE_PREFIX.match(p))})
        if codes and all(c.startswith(EUROPE_CALLING) for c in codes):
            explicit["europe"].append(f"phone numbers with European prefixes (+{codes[0]})")
        elif codes:
            explicit["other"].append(
                f"phone numbers with non-European, non-US prefixes (+{codes[0]})")

    currencies: set[str] = set()
    for page in site.html_pages:
        facts = page.facts
        assert facts is not None
        for item in (*facts.jsonld, *facts.microdata):
            for node in walk_json(item):
                cur = node.get("priceCurrency")
                if isinstance(cur, str) and cur.strip():
                    currencies.add(cur.strip().upper())
                addr = node.get("addressCountry")
                if isinstance(addr, dict):
                    addr = addr.get("name") or addr.get("identifier")
                if isinstance(addr, str) and addr.strip():
                    value = fold(addr)
                    if len(value) == 2:
                        country(value, f"JSON-LD addressCountry {addr}")
                    elif value in data.us_names:
                        explicit["us"].append(f"JSON-LD addressCountry {addr}")
                    elif data.europe_names is not None and data.europe_names.fullmatch(value):
                        explicit["europe"].append(f"JSON-LD addressCountry {addr}")
        for key, value in facts.meta:
            if key in ("product:price:currency", "og:price:currency") and value.strip():
                currencies.add(value.strip().upper())
        text = facts.text[:20000]
        if USD_RE.search(text):
            currencies.add("USD")
        if EUR_RE.search(text):
            currencies.add("EUR")
        if GBP_RE.search(text):
            currencies.add("GBP")
    for cur in sorted(currencies):
        if cur == "USD":
            explicit["us"].append("prices in USD")
        elif cur == "EUR":
            explicit["europe"].append("prices in euros")
        elif cur == "GBP":
            explicit["europe"].append("prices in pounds sterling")
            explicit["uk"].append("prices in pounds sterling")
        elif len(cur) == 3 and cur.isalpha():
            explicit["other"].append(f"prices in {cur}")

    policy = find_page_type(site, "privacy")
    for cand in policy.accepted[:2]:
        doc = cand.page
        if doc is None or doc.facts is None:
            continue
        text = body_text(doc)
        if data.europe_law is not None and (m := data.europe_law.search(text)):
            explicit["europe"].append(f'its privacy policy cites "{m.group(0)}"')
        if data.us_law is not None and (m := data.us_law.search(text)):
            explicit["us"].append(f'its privacy policy cites "{m.group(0)}"')

    europe = bool(explicit["europe"])
    foreign = explicit["other"] + explicit["us"]
    main_lang = max(sorted(langs), key=lambda k: langs[k]) if langs else ""
    if main_lang in data.europe_languages and not foreign:
        europe = True
        reasons.append(("europe", f"pages in a European language ({main_lang})"))
    reasons += [("europe", r) for r in explicit["europe"]]
    us = bool(explicit["us"])
    reasons += [("us", r) for r in explicit["us"]]
    if not us and en_us_pages:
        non_us = explicit["other"] + explicit["europe"]
        if non_us:
            reasons.append(("us-weak", 'lang="en-US" alone, outweighed by ' + non_us[0]))
        else:
            us = True
            reasons.append(("us", '<html lang="en-US"> and nothing pointing elsewhere'))
    uk = bool(explicit["uk"])
    reasons += [("uk", r) for r in explicit["uk"]]
    german = bool(explicit["de"]) or (main_lang == "de" and not foreign)
    if german and not explicit["de"]:
        reasons.append(("german", "pages in German"))
    reasons += [("german", r) for r in explicit["de"]]
    reasons += [("other", r) for r in explicit["other"]]
    if not europe and main_lang and main_lang not in data.europe_languages:
        reasons.append(("other", f"pages in {main_lang}"))
    return Audience(europe, us, uk, german, tuple(dict.fromkeys(reasons)))
