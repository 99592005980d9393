"""RFC 9116 security.txt: fetched by the crawler (or read from the build folder) into
``SiteSnapshot.texts``, parsed here, with its expiry judged against the audit date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from auditor.check_api import Evidence
from auditor.site import Page, SiteSnapshot
from checks._common import plural
from checks.security.grading import Graded, failed, judge, passed, unknown

SECURITY_TXT_PATHS = ("/.well-known/security.txt", "/security.txt")
CONTACT_SCHEMES = ("mailto:", "https://", "tel:")


@dataclass(frozen=True, slots=True)
class SecurityTxt:
    fields: tuple[tuple[str, str], ...]  # (name lower-case, value) in file order

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.fields if k == name]


def parse_security_txt(text: str) -> SecurityTxt:
    """RFC 9116 fields; an OpenPGP cleartext signature is unwrapped (dash-escapes removed)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].strip() == "-----BEGIN PGP SIGNED MESSAGE-----":
        body: list[str] = []
        started = False
        for line in lines[1:]:
            if line.startswith("-----BEGIN PGP SIGNATURE-----"):
                break
            if started:
                body.append(line[2:] if line.startswith("- ") else line)
            elif not line.strip():
                started = True
        lines = body
    fields = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition(":")
        if sep and name.strip() and " " not in name.strip():
            fields.append((name.strip().lower(), value.strip()))
    return SecurityTxt(tuple(fields))


EXPIRES_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ]\d{2}:\d{2}")


def _security_txt_source(site: SiteSnapshot) -> tuple[str, str | None, Page | None]:
    """(URL, text or None, fetched page or None): the /.well-known/ file first, else the legacy
    top-level one (RFC 9116 §3), else the /.well-known/ URL that answered nothing usable."""
    candidates: list[tuple[str, str | None, Page | None]] = []
    for path in SECURITY_TXT_PATHS:
        for url, text in site.texts:
            if urlsplit(url).path == path:
                candidates.append((url, text, site.page(url)))
        for page in site.pages:
            if urlsplit(page.url).path == path and page.source in ("probe", "link", "sitemap"):
                candidates.append((page.url, site.text_of(page.url), page))
    usable = [c for c in candidates if c[1] is not None and (
        c[2] is None or c[2].content_type == "text/plain")]
    if usable:
        return usable[0]
    return candidates[0] if candidates else ("", None, None)


@judge("security-txt")
def _judge_security_txt(site: SiteSnapshot) -> Graded:
    url, text, page = _security_txt_source(site)
    blocked = [u for u in site.robots_blocked if urlsplit(u).path in SECURITY_TXT_PATHS]
    if text is None and blocked:
        return unknown(f"robots.txt forbids fetching {blocked[0]}.", "security-txt-invalid")
    if not url:
        if site.mode == "folder":
            return unknown("The folder holds no .well-known/security.txt; a web server or CDN "
                           "can serve one the build does not contain, so audit the deployed URL "
                           "to judge it.", "security-txt-invalid")
        return unknown("/.well-known/security.txt was not fetched (probes are off).",
                       "security-txt-invalid")
    looked = Evidence(url, "searched", "", "RFC 9116 security.txt")
    if page is not None and page.status == 0:
        return unknown(f"{url} could not be fetched ({page.error}).", "security-txt-invalid")
    if text is None:
        status = f"HTTP {page.status}" if page is not None else "no answer"
        return failed(f"No security.txt: {url} answers {status}.", [looked],
                      "security-txt-invalid")
    if page is not None and page.content_type != "text/plain":
        return failed(f"{url} is served as {page.content_type or 'no type'}, not text/plain, so "
                      "it is not a security.txt (often an HTML error page).", [looked],
                      "security-txt-invalid")
    problems = []
    fields = parse_security_txt(text)
    contacts = fields.values("contact")
    expires = fields.values("expires")
    good_contacts = [c for c in contacts if c.lower().startswith(CONTACT_SCHEMES)]
    if not good_contacts:
        problems.append("no Contact: line with a mailto:, https: or tel: address")
    expiry = EXPIRES_RE.match(expires[0]) if len(expires) == 1 else None
    if len(expires) != 1:
        problems.append("Expires: must appear exactly once" if expires else "no Expires: line")
    elif expiry is None:
        problems.append(f"Expires: {expires[0]!r} is not an RFC 3339 date-time")
    elif site.date and expires[0][:10] < site.date:
        problems.append(f"it expired on {expires[0][:10]} (audit date {site.date})")
    if site.mode == "url" and not url.startswith("https://"):
        problems.append("it is served over plain HTTP (RFC 9116 requires HTTPS)")
    snippet = " · ".join(f"{k.title()}: {v}" for k, v in fields.fields
                         if k in ("contact", "expires"))[:200]
    evidence = [Evidence(url, "text", snippet or text.strip()[:200], "security.txt fields")]
    if problems:
        return failed(f"{url} is not a valid security.txt: {'; '.join(problems)}.", evidence,
                      "security-txt-invalid", found=True)
    notes = []
    year_ahead = f"{int(site.date[:4]) + 1:04d}{site.date[4:10]}" if site.date else ""
    if year_ahead and expires[0][:10] > year_ahead:
        notes.append("Expires is more than a year ahead (RFC 9116 advises less)")
    canonical = fields.values("canonical")
    if canonical and url not in canonical:
        notes.append("its Canonical URL differs from where it was found")
    if urlsplit(url).path != SECURITY_TXT_PATHS[0]:
        notes.append("found at the legacy /security.txt path")
    tail = f" Note: {'; '.join(notes)}." if notes else ""
    return passed(f"{url} names {plural(len(good_contacts), 'contact')} and expires "
                  f"{expires[0][:10]}.{tail}", evidence, "security-txt-valid")

