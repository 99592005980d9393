"""What the HTML loads and sends: mixed content, insecure forms, and third-party scripts without
integrity hashes (the Observatory's subresource-integrity test). Judged from the extracted
page facts, so these checks work in folder mode too.
"""

from __future__ import annotations

import re

from auditor.check_api import Evidence
from auditor.crawl.urls import same_site
from auditor.site import Page, SiteSnapshot
from checks._common import plural
from checks.security.grading import (
    Graded,
    failed,
    is_https,
    judge,
    meta_values,
    page_url,
    passed,
    unknown,
    worst,
)


def _upgrade_evidence(page: Page) -> Evidence | None:
    """CSP upgrade-insecure-requests (header or meta) makes the browser fetch http://
    subresources over https://."""
    for kind, values in (("header", page.header_values("content-security-policy")),
                         ("meta", meta_values(page, "content-security-policy"))):
        for value in values:
            if "upgrade-insecure-requests" in value.lower():
                return Evidence(page_url(page), kind, f"Content-Security-Policy: {value}",
                                "upgrade-insecure-requests: http:// URLs fetched as https://")
    return None


@judge("mixed-content")
def _judge_mixed(site: SiteSnapshot) -> Graded:
    # Folder mode: page URLs carry the production scheme (https:// unless --site-url says
    # http://), so the HTML is judged as it will be served.
    pages = [p for p in site.html_pages if is_https(p)]
    if not site.html_pages:
        return unknown("No HTML page could be audited.", "mixed-content-none")
    if not pages:
        return unknown("No audited page is served over HTTPS, so there is no mixed content to "
                       "look for (see the https check).", "mixed-content-none")
    active: list[Evidence] = []
    passive: list[Evidence] = []
    charged_elsewhere = 0
    upgraded: list[Evidence] = []
    for page in pages:
        assert page.facts is not None
        url = page_url(page)
        items: list[tuple[str, str, bool]] = []  # (kind, src, charged by another check)
        items += [("script", s.src, not same_site(s.src, url)) for s in page.facts.scripts
                  if s.src.startswith("http://")]
        items += [("iframe", src, False) for src in page.facts.iframes
                  if src.startswith("http://")]
        items += [("form", f.action, True) for f in page.facts.forms
                  if f.action.startswith("http://")]
        images = [i.src for i in page.facts.images if i.src.startswith("http://")]
        upgrade = _upgrade_evidence(page) if items or images else None
        if upgrade is not None:
            upgraded.append(upgrade)
            continue
        for kind, src, elsewhere in items:
            active.append(Evidence(url, kind, src, f"active mixed content: <{kind}> over http://"))
            charged_elsewhere += elsewhere
        passive += [Evidence(url, "image", src, "passive mixed content: image over http://")
                    for src in images]
    looked = Evidence(site.start_url, "searched", f"{plural(len(pages), 'HTTPS page')}",
                      "script, iframe, form and image URLs (stylesheets are not extracted)")
    if active:
        key = ("mixed-content-charged-elsewhere" if charged_elsewhere == len(active)
               else "mixed-content-active")
        if key == "mixed-content-charged-elsewhere" and passive:
            key = "mixed-content-passive"
        return failed(f"HTTPS pages load {plural(len(active), 'active resource')} (scripts, "
                      "frames, form targets) over plain HTTP; browsers block them or warn.",
                      [*active[:20], *passive[:5]], key, found=True)
    note = (f" On {plural(len(upgraded), 'page')}, upgrade-insecure-requests makes the browser "
            "fetch http:// URLs over https://." if upgraded else "")
    if passive:
        return passed(f"No active mixed content; {plural(len(passive), 'image')} over http:// "
                      f"(browsers upgrade or block them).{note}", [*passive[:20], *upgraded[:5]],
                      "mixed-content-passive", found=False)
    return passed(f"No active or passive mixed content on {plural(len(pages), 'HTTPS page')}."
                  f"{note}", [looked, *upgraded[:5]], "mixed-content-none", found=False)


CARD_FIELD_RE = re.compile(
    r"(?:^|[\[_.-])(?:cc-?(?:num|number|csc|cvc|exp)|card-?(?:number|num|no)|cardnumber|cvv2?|"
    r"cvc|iban)(?:$|[\]_.-])", re.I)


@judge("insecure-form")
def _judge_forms(site: SiteSnapshot) -> Graded:
    if not site.html_pages:
        return unknown("No HTML page could be audited.", "insecure-form-none")
    found: list[Evidence] = []
    forms = 0
    for page in site.html_pages:
        assert page.facts is not None
        url = page_url(page)
        plain_page = url.startswith("http://")
        for form in page.facts.forms:
            forms += 1
            shown = f'<form action="{form.action}" method="{form.method}">'
            secret = [f for f in form.fields
                      if f.type == "password" or CARD_FIELD_RE.search(f.name)]
            if form.action.startswith("http://") and not plain_page:
                found.append(Evidence(url, "form", shown, "an HTTPS page posts to http://"))
            elif form.action.startswith("http://") and secret:
                kinds = sorted({"password" if f.type == "password" else "card" for f in secret})
                found.append(Evidence(url, "form", shown,
                                      f"{' and '.join(kinds)} field sent over http://"))
    if found:
        return failed(f"{plural(len(found), 'form')} {'sends' if len(found) == 1 else 'send'} "
                      "data over plain HTTP, where anyone on the network can read it.",
                      found[:20], "insecure-form-found", found=True)
    return passed(f"No form sends data from an HTTPS page to http://, nor passwords or card "
                  f"data over plain HTTP ({plural(forms, 'form')} on "
                  f"{plural(len(site.html_pages), 'page')}).",
                  [Evidence(site.start_url, "searched", f"{plural(forms, 'form')}",
                            "form actions and password or card fields")],
                  "insecure-form-none", found=False)


SRI_ORDER = (  # the Observatory's "goodness" order: later is worse
    "sri-implemented-and-all-scripts-loaded-securely",
    "sri-implemented-and-external-scripts-loaded-securely",
    "sri-implemented-but-external-scripts-not-loaded-securely",
    "sri-not-implemented-but-external-scripts-loaded-securely",
    "sri-not-implemented-and-external-scripts-not-loaded-securely",
)
SRI_PASSING = frozenset({
    "sri-implemented-and-all-scripts-loaded-securely",
    "sri-implemented-and-external-scripts-loaded-securely",
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
    "sri-not-implemented-but-no-scripts-loaded",
})
SRI_HASH_RE = re.compile(r"\bsha(?:256|384|512)-[A-Za-z0-9+/=_-]{16,}")


@judge("subresource-integrity")
def _judge_sri(site: SiteSnapshot) -> Graded:
    if not site.html_pages:
        return unknown("No HTML page could be audited.",
                       "sri-not-implemented-but-no-scripts-loaded")
    result: str | None = None
    foreign: dict[str, Evidence] = {}
    bad: dict[str, Evidence] = {}
    scripts = 0
    for page in site.html_pages:
        assert page.facts is not None
        url = page_url(page)
        for script in page.facts.scripts:
            scripts += 1
            if not script.src:
                continue
            integrity = SRI_HASH_RE.search(dict(script.attrs).get("integrity", "")) is not None
            secure = script.src.startswith("https://")
            if same_site(script.src, url):
                if integrity and secure and result is None:
                    result = "sri-implemented-and-all-scripts-loaded-securely"
                continue
            shown = f'<script src="{script.src}"' + (' integrity="…">' if integrity else ">")
            seen_at = Evidence(url, "script", shown, "third-party script")
            foreign.setdefault(script.src, seen_at)
            if integrity and secure:
                continue
            key = ("sri-implemented-but-external-scripts-not-loaded-securely" if integrity
                   else "sri-not-implemented-but-external-scripts-loaded-securely" if secure
                   else "sri-not-implemented-and-external-scripts-not-loaded-securely")
            result = worst(result, key, SRI_ORDER)
            bad.setdefault(script.src, seen_at)
    if not scripts:
        return passed("The audited pages have no script elements.",
                      [Evidence(site.start_url, "searched", "0 scripts", "script elements")],
                      "sri-not-implemented-but-no-scripts-loaded")
    if result is None:
        result = ("sri-implemented-and-external-scripts-loaded-securely" if foreign
                  else "sri-not-implemented-but-all-scripts-loaded-from-secure-origin")
    if result in SRI_PASSING:
        message = (f"Every third-party script ({len(foreign)}) carries an integrity hash."
                   if foreign else "All scripts come from the site's own domain.")
        evidence = list(foreign.values())[:10] or [
            Evidence(site.start_url, "searched", plural(scripts, "script"), "script sources")]
        return passed(message, evidence, result)
    how = ("over plain http:// or without an integrity hash"
           if result.endswith("not-loaded-securely") else "without an integrity hash")
    return failed(f"{len(bad)} of {plural(len(foreign), 'third-party script')} load {how}.",
                  list(bad.values())[:20], result)
