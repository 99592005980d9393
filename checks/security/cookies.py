"""Set-Cookie flags, judged per cookie like the Observatory's cookies.js (Secure, HttpOnly on
session cookies, SameSite), with HSTS softening a missing Secure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.check_api import Evidence
from auditor.site import Page, SiteSnapshot
from checks._common import plural
from checks.security.grading import (
    MODIFIERS,
    Graded,
    failed,
    is_https,
    judge,
    page_url,
    passed,
    searched,
    start_of,
    unknown,
    worst,
)
from checks.security.transport import hsts_protects

SESSION_RE = re.compile(r"sess|login|logged_?in|(?:^|[._-])sid$", re.I)
CSRF_RE = re.compile(r"csrf|xsrf", re.I)
IGNORED_COOKIES = ("heroku-session-affinity",)
COOKIE_ORDER = (  # the Observatory's "goodness" order: later is worse
    "cookies-without-secure-flag-but-protected-by-hsts", "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts", "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag", "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
)
COOKIE_PASSING = frozenset({"cookies-not-found", "cookies-secure-with-httponly-sessions",
                            "cookies-secure-with-httponly-sessions-and-samesite"})


@dataclass(frozen=True, slots=True)
class Cookie:
    name: str
    secure: bool
    httponly: bool
    samesite: str | None  # lower-case value; "" when the attribute has no value
    attributes: str  # the attributes as sent, the value masked

    @property
    def shown(self) -> str:
        return f"Set-Cookie: {self.name}=…{self.attributes}"


def parse_set_cookie(header: str) -> Cookie | None:
    """One Set-Cookie header (name, flags); None when it names no cookie."""
    parts = header.split(";")
    name = parts[0].split("=", 1)[0].strip()
    if not name or "=" not in parts[0]:
        return None
    secure = httponly = False
    samesite: str | None = None
    for attribute in parts[1:]:
        key, _, value = attribute.partition("=")
        key = key.strip().lower()
        if key == "secure":
            secure = True
        elif key == "httponly":
            httponly = True
        elif key == "samesite":
            samesite = value.strip().lower()
    attrs = "".join(f"; {a.strip()}" for a in parts[1:] if a.strip())
    return Cookie(name, secure, httponly, samesite, attrs)


def _cookie_problems(cookie: Cookie, over_https: bool, hsts: bool) -> list[str]:
    """The Observatory's per-cookie results (cookies.js), in the order it tests them."""
    secure = cookie.secure and over_https  # a cookie set over http:// is never protected
    session = bool(SESSION_RE.search(cookie.name))
    found = []
    if cookie.samesite is not None and cookie.samesite not in ("lax", "strict", "none"):
        found.append("cookies-samesite-flag-invalid")
    if cookie.samesite == "none" and not secure:
        found.append("cookies-samesite-flag-invalid")
    if not secure:
        found.append("cookies-without-secure-flag-but-protected-by-hsts" if hsts
                     else "cookies-without-secure-flag")
    if CSRF_RE.search(cookie.name) and not cookie.samesite:
        found.append("cookies-anticsrf-without-samesite-flag")
    if session and not secure:
        found.append("cookies-session-without-secure-flag-but-protected-by-hsts" if hsts
                     else "cookies-session-without-secure-flag")
    if session and not cookie.httponly:
        found.append("cookies-session-without-httponly-flag")
    return found


@judge("cookie-flags")
def _judge_cookies(site: SiteSnapshot) -> Graded:
    start = start_of(site)
    if start is None:
        return unknown("The start page could not be fetched.", "cookies-not-found")
    hsts = hsts_protects(site)
    pages = [start, *(p for p in site.html_pages if p is not start)]
    cookies: dict[str, tuple[Cookie, Page]] = {}
    result: str | None = None
    problems: list[Evidence] = []
    for page in pages:
        for header in page.header_values("set-cookie"):
            cookie = parse_set_cookie(header)
            if cookie is None or cookie.name in IGNORED_COOKIES or cookie.name in cookies:
                continue
            cookies[cookie.name] = (cookie, page)
            found = _cookie_problems(cookie, is_https(page), hsts)
            for key in found:
                result = worst(result, key, COOKIE_ORDER)
            if found:
                why = ", ".join(dict.fromkeys(MODIFIERS[k][1] for k in found))
                problems.append(Evidence(page_url(page), "header", cookie.shown, why))
    if not cookies:
        return passed(f"No cookies are set in the response headers of "
                      f"{plural(len(pages), 'audited page')}.",
                      [searched(start, "Set-Cookie header (cookies set by scripts are not seen)")],
                      "cookies-not-found")
    if result is not None:
        return failed(f"{plural(len(problems), 'cookie')} of {len(cookies)} lack protective "
                      f"flags: {MODIFIERS[result][1]}.", problems, result)
    all_samesite = all(c.samesite for c, _ in cookies.values())
    key = ("cookies-secure-with-httponly-sessions-and-samesite" if all_samesite
           else "cookies-secure-with-httponly-sessions")
    note = "" if all_samesite else " (some without SameSite; browsers then assume Lax)"
    evidence = [Evidence(page_url(p), "header", c.shown, "cookie flags")
                for c, p in list(cookies.values())[:10]]
    return passed(f"All {plural(len(cookies), 'cookie')} are Secure and session cookies "
                  f"HttpOnly{note}.", evidence, key)
