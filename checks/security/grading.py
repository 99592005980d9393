"""The Observatory grading of the security checks: result keys, modifiers, shared verdicts.

Each security check is judged once per snapshot by a function registered with :func:`judge`; it
returns a :class:`Graded` (the Outcome the check reports and the result key that sets its
modifier). The check and the category scorer (:func:`observatory_modifiers`, registered with
the engine in ``checks.security``) read the same memoised verdict, so the grade can never
disagree with the findings.

Sources: the result keys and modifiers of the MDN HTTP Observatory's tests are those of
mdn/mdn-http-observatory ``src/grader/charts.js`` (SCORE_TABLE; the descriptions here are our
own words); the keys marked trustaudit are ours, for checks the Observatory does not run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from auditor.check_api import Evidence, Outcome, Status
from auditor.detect import memo
from auditor.runner import Finding
from auditor.scoring import Modifier
from auditor.site import Page, SiteSnapshot

#: Result key → (modifier, description). Keys and modifiers of the Observatory's results are
#: its own (charts.js); the last group are trustaudit's, for checks the Observatory lacks.
MODIFIERS: dict[str, tuple[int, str]] = {
    "redirection-to-https": (0, "http:// redirects to https:// on the same host first"),
    "redirection-not-needed-no-http": (0, "Nothing answers on http://, so no redirect is needed"),
    "redirection-off-host-from-http": (-5, "The first redirect goes to https:// on another host"),
    "redirection-not-to-https-on-initial-redirection": (
        -10, "The first redirect goes to another http:// address"),
    "redirection-not-to-https": (-20, "Redirects, but never to an https:// address"),
    "redirection-missing": (-20, "http:// does not redirect to https://"),
    "hsts-implemented-max-age-at-least-six-months": (0, "HSTS max-age is at least six months"),
    "hsts-implemented-max-age-less-than-six-months": (-10, "HSTS max-age is under six months"),
    "hsts-not-implemented": (-20, "No Strict-Transport-Security header"),
    "hsts-header-invalid": (-20, "The Strict-Transport-Security header cannot be parsed"),
    "hsts-not-implemented-no-https": (-20, "No HSTS possible: the site is not served over HTTPS"),
    "csp-implemented-with-no-unsafe-default-src-none": (
        10, "CSP with default-src 'none' and nothing unsafe"),
    "csp-implemented-with-no-unsafe": (5, "CSP without 'unsafe-inline' or 'unsafe-eval'"),
    "csp-implemented-with-unsafe-inline-in-style-src-only": (
        0, "CSP with unsafe sources in style-src only"),
    "csp-implemented-with-insecure-scheme-in-passive-content-only": (
        -10, "CSP allows images or media over http://"),
    "csp-implemented-with-unsafe-eval": (-10, "CSP allows 'unsafe-eval'"),
    "csp-implemented-with-unsafe-inline": (
        -20, "CSP allows inline or arbitrary scripts or objects"),
    "csp-implemented-with-insecure-scheme": (-20, "CSP allows scripts or frames over http://"),
    "csp-header-invalid": (-25, "The Content-Security-Policy cannot be parsed"),
    "csp-not-implemented": (-25, "No Content-Security-Policy"),
    "csp-not-implemented-but-reporting-enabled": (
        -25, "Only a Content-Security-Policy-Report-Only header, nothing enforced"),
    "x-content-type-options-nosniff": (0, "X-Content-Type-Options: nosniff"),
    "x-content-type-options-not-implemented": (-5, "No X-Content-Type-Options header"),
    "x-content-type-options-header-invalid": (-5, "X-Content-Type-Options is not nosniff"),
    "x-frame-options-implemented-via-csp": (5, "Framing restricted by CSP frame-ancestors"),
    "x-frame-options-sameorigin-or-deny": (0, "X-Frame-Options: DENY or SAMEORIGIN"),
    "x-frame-options-allow-from-origin": (0, "X-Frame-Options: ALLOW-FROM (ignored by browsers)"),
    "x-frame-options-not-implemented": (-20, "No X-Frame-Options and no frame-ancestors"),
    "x-frame-options-header-invalid": (-20, "X-Frame-Options cannot be recognised"),
    "referrer-policy-private": (5, "Referrer-Policy keeps paths private"),
    "referrer-policy-not-implemented": (0, "No Referrer-Policy (browser default applies)"),
    "referrer-policy-unsafe": (-5, "Referrer-Policy sends full or cross-origin referrers"),
    "referrer-policy-header-invalid": (-5, "Referrer-Policy cannot be recognised"),
    "cookies-secure-with-httponly-sessions-and-samesite": (
        5, "Cookies Secure, session cookies HttpOnly, all with SameSite"),
    "cookies-secure-with-httponly-sessions": (0, "Cookies Secure, session cookies HttpOnly"),
    "cookies-not-found": (0, "No cookies set in response headers"),
    "cookies-without-secure-flag-but-protected-by-hsts": (
        -5, "Cookies without Secure, but HSTS keeps them off http://"),
    "cookies-session-without-secure-flag-but-protected-by-hsts": (
        -10, "Session cookie without Secure, but HSTS keeps it off http://"),
    "cookies-without-secure-flag": (-20, "Cookies without Secure, or set over http://"),
    "cookies-samesite-flag-invalid": (-20, "SameSite is invalid, or None without Secure"),
    "cookies-anticsrf-without-samesite-flag": (-20, "Anti-CSRF cookie without SameSite"),
    "cookies-session-without-httponly-flag": (-30, "Session cookie without HttpOnly"),
    "cookies-session-without-secure-flag": (-40, "Session cookie without Secure"),
    "sri-implemented-and-all-scripts-loaded-securely": (
        5, "Integrity hashes used; all scripts from the site's own origin"),
    "sri-implemented-and-external-scripts-loaded-securely": (
        5, "Third-party scripts carry integrity hashes and load over https://"),
    "sri-not-implemented-but-no-scripts-loaded": (0, "No script elements"),
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": (
        0, "All scripts come from the site's own domain"),
    "sri-not-implemented-but-external-scripts-loaded-securely": (
        -5, "Third-party scripts over https:// but without integrity hashes"),
    "sri-implemented-but-external-scripts-not-loaded-securely": (
        -20, "Third-party scripts with integrity hashes, but over http://"),
    "sri-not-implemented-and-external-scripts-not-loaded-securely": (
        -50, "Third-party scripts over http:// without integrity hashes"),
    # trustaudit's own (the Observatory has no such test). Plain HTTP is already charged by
    # the redirection and HSTS tests, and http:// third-party scripts by the SRI test, so
    # those add nothing here; each insecure thing costs once.
    "https-served": (0, "Pages are served over HTTPS"),
    "https-not-served": (0, "Plain HTTP (charged by the redirection and HSTS tests)"),
    "mixed-content-none": (0, "No http:// subresources on HTTPS pages"),
    "mixed-content-passive": (-10, "HTTPS pages load images over http://"),
    "mixed-content-active": (-20, "HTTPS pages load frames or own scripts over http://"),
    "mixed-content-charged-elsewhere": (
        0, "Only third-party scripts or forms over http:// (charged by SRI and insecure-form)"),
    "insecure-form-none": (0, "No form sends data over http://"),
    "insecure-form-found": (-20, "Forms send data over http://"),
    "permissions-policy-set": (0, "Permissions-Policy set (not graded by the Observatory)"),
    "permissions-policy-missing": (0, "No Permissions-Policy (not graded by the Observatory)"),
    "security-txt-valid": (0, "A valid security.txt (not graded by the Observatory)"),
    "security-txt-invalid": (0, "No valid security.txt (not graded by the Observatory)"),
    "server-version-hidden": (0, "No software versions in headers (not graded)"),
    "server-version-disclosed": (0, "Software versions in headers (not graded)"),
}

#: Check id → the Observatory's test name, for the checks that mirror one of its tests.
OBSERVATORY_TESTS: dict[str, str] = {
    "http-to-https": "redirection",
    "hsts": "strict-transport-security",
    "csp": "content-security-policy",
    "x-content-type-options": "x-content-type-options",
    "clickjacking": "x-frame-options",
    "referrer-policy": "referrer-policy",
    "cookie-flags": "cookies",
    "subresource-integrity": "subresource-integrity",
}
#: Checks that read the start page's response headers: without one of them judged (folder
#: mode), there is no Observatory grade and the category keeps the weighted pass share.
HEADER_TESTS = frozenset(OBSERVATORY_TESTS) - {"subresource-integrity"}


@dataclass(frozen=True, slots=True)
class Graded:
    """A check's verdict and the result key that sets its modifier."""

    outcome: Outcome
    result: str


Judge = Callable[[SiteSnapshot], Graded]
_JUDGES: dict[str, Judge] = {}


def judge(check_id: str) -> Callable[[Judge], Judge]:
    """Register the function that judges ``check_id`` (called once per snapshot)."""

    def register(func: Judge) -> Judge:
        _JUDGES[check_id] = func
        return func

    return register


def graded(site: SiteSnapshot, check_id: str) -> Graded:
    """The memoised verdict of one security check (the check and the scorer share it)."""
    result = memo(site, f"security:{check_id}", lambda: _JUDGES[check_id](site))
    if result.result not in MODIFIERS:  # pragma: no cover - a typo in this module
        raise KeyError(result.result)
    return result


def observatory_modifiers(findings: Sequence[Finding], site: SiteSnapshot) -> list[Modifier] | None:
    """The category scorer: one modifier per judged security check, or None (weighted share)
    when no header test was judged (folder mode)."""
    judged = [f for f in findings
              if f.status in (Status.PASS, Status.FAIL) and f.id in _JUDGES]
    if not any(f.id in HEADER_TESTS for f in judged):
        return None
    modifiers = []
    for finding in judged:
        key = graded(site, finding.id).result
        value, description = MODIFIERS[key]
        test = OBSERVATORY_TESTS.get(finding.id, finding.id)
        source = "observatory" if finding.id in OBSERVATORY_TESTS else "trustaudit"
        modifiers.append(Modifier(finding.id, test, key, value, source, description))
    return modifiers


def start_of(site: SiteSnapshot) -> Page | None:
    """The start page as crawled (a page reached by another URL may redirect to it too)."""
    return next((p for p in site.pages if p.source == "start"), None) or site.start_page


def page_url(page: Page) -> str:
    """The address the page was served from (after redirects)."""
    return page.final_url or page.url


def is_https(page: Page) -> bool:
    """Served over HTTPS (folder mode: the production URL's scheme)."""
    return page_url(page).startswith("https://")


def header_evidence(page: Page, name: str, value: str) -> Evidence:
    """A response header as seen on the start page."""
    return Evidence(page_url(page), "header", f"{name}: {value}",
                    "response header of the start page")


def searched(page: Page, what: str) -> Evidence:
    """Where a header check looked and what it did not find."""
    return Evidence(page_url(page), "searched", "",
                    f"response headers of the start page: no {what}")


def meta_values(page: Page, *names: str) -> list[str]:
    """Contents of ``<meta name|http-equiv>`` tags with one of ``names`` (lower-case)."""
    if page.facts is None:
        return []
    return [content for key, content in page.facts.meta if key in names]


def passed(message: str, evidence: Iterable[Evidence], result: str, found: bool | None = True
           ) -> Graded:
    """A pass with its result key."""
    return Graded(Outcome.passed(message, evidence, found=found), result)


def failed(message: str, evidence: Iterable[Evidence], result: str, found: bool | None = False
           ) -> Graded:
    """A fail with its result key."""
    return Graded(Outcome.failed(message, evidence, found=found), result)


def unknown(message: str, result: str) -> Graded:
    """An unknown (the result key is never applied: unknown findings carry no modifier)."""
    return Graded(Outcome.unknown(message), result)


def worst(current: str | None, candidate: str, order: Sequence[str]) -> str:
    """The Observatory's onlyIfWorse: keep the result that comes later in ``order``."""
    if current is None or current not in order:
        return candidate
    return candidate if order.index(candidate) > order.index(current) else current
