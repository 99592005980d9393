"""Response headers of the start page: Content-Security-Policy (parsed like the Observatory's
cspParser.js and graded like its csp.js), X-Content-Type-Options, framing (X-Frame-Options or
frame-ancestors), Referrer-Policy, Permissions-Policy and software versions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from auditor.check_api import Evidence
from auditor.detect import memo
from auditor.site import Page, SiteSnapshot
from checks._common import plural
from checks.security.grading import (
    Graded,
    failed,
    header_evidence,
    is_https,
    judge,
    meta_values,
    page_url,
    passed,
    searched,
    start_of,
    unknown,
)


class CspError(ValueError):
    """A policy the Observatory's parser rejects."""


DANGEROUSLY_BROAD = frozenset({"ftp:", "http:", "https:", "*", "http://*", "http://*.*",
                               "https://*", "https://*.*"})
UNSAFE_INLINE = frozenset({"'unsafe-inline'", "data:"})
PASSIVE_DIRECTIVES = ("img-src", "media-src")
NONCE_HASH = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")
META_FORBIDDEN = ("frame-ancestors", "report-uri", "sandbox")


def parse_policy(policy: str) -> dict[str, set[str]]:
    """One serialized CSP policy → {directive: sources}. An empty *-src list means 'none'; a
    repeated directive (other than report-uri/report-to) or a stub policy is an error."""
    policy = policy.replace("\r", "").replace("\n", "").strip()
    if len(policy) < len("img-src") - 1:
        raise CspError(f"invalid policy {policy!r}")
    parsed: dict[str, set[str]] = {}
    for entry in policy.split(";"):
        tokens = entry.split()
        if not tokens:
            continue
        directive = tokens[0].lower()
        if directive in parsed:
            if directive in ("report-uri", "report-to"):
                continue
            raise CspError(f"duplicate directive {directive}")
        sources = {t.lower() for t in tokens[1:]}
        parsed[directive] = sources or ({"'none'"} if directive.endswith("-src") else set())
    return parsed


def combine_policies(policies: Sequence[dict[str, set[str]]]) -> dict[str, set[str]]:
    """Several enforced policies: a source must be allowed by every policy naming the directive
    (a simplification of the Observatory's path-aware merge)."""
    combined: dict[str, set[str]] = {}
    for policy in policies:
        for directive, sources in policy.items():
            if directive in combined:
                combined[directive] = (combined[directive] & sources) or {"'none'"}
            else:
                combined[directive] = set(sources)
    return combined


@dataclass(frozen=True, slots=True)
class CspView:
    """The start page's policies, parsed once (shared by the CSP and clickjacking checks)."""

    headers: tuple[str, ...]
    metas: tuple[str, ...]
    policy: dict[str, set[str]] | None  # None: a policy did not parse
    header_policy: dict[str, set[str]]


def csp_view(site: SiteSnapshot, page: Page) -> CspView:
    def build() -> CspView:
        headers = tuple(p.strip() for v in page.header_values("content-security-policy")
                        for p in v.split(",") if p.strip())
        metas: list[str] = []
        for content in meta_values(page, "content-security-policy"):
            if content.endswith("…"):  # clipped by the extractor: drop the cut directive
                content = content.rsplit(";", 1)[0]
            metas.extend(p.strip() for p in content.split(",") if p.strip())
        try:
            header_parsed = [parse_policy(p) for p in headers]
            meta_parsed = [parse_policy(p) for p in metas]
        except CspError:
            return CspView(headers, tuple(metas), None, {})
        for parsed in meta_parsed:
            for name in META_FORBIDDEN:
                parsed.pop(name, None)
        return CspView(headers, tuple(metas), combine_policies(header_parsed + meta_parsed),
                       combine_policies(header_parsed))

    return memo(site, f"security:csp-view:{page.url}", build)


def grade_csp(csp: dict[str, set[str]], https_page: bool) -> tuple[str, list[str]]:
    """The Observatory's CSP result for a parsed policy, and the reasons (worst first)."""
    reasons: list[str] = []
    result: str | None = None

    def hit(key: str, reason: str) -> None:
        nonlocal result
        result = result or key
        reasons.append(reason)

    default = csp.get("default-src")
    script = set(csp.get("script-src") or default or {"*"})
    style = set(csp.get("style-src") or default or {"*"})
    objects = set(csp.get("object-src") or default or {"*"})
    for sources in (script, style):
        if any(s.startswith(NONCE_HASH) for s in sources):
            sources.discard("'unsafe-inline'")
    if "'strict-dynamic'" in script:
        if not any(s.startswith(NONCE_HASH) for s in script):
            return "csp-header-invalid", ["'strict-dynamic' without a nonce or hash"]
        script = {s for s in script if not (s.startswith(tuple(DANGEROUSLY_BROAD))
                                            or s in ("'self'", "'unsafe-inline'"))}
    if "script-src" not in csp and default is None:
        hit("csp-implemented-with-unsafe-inline", "no script-src or default-src limits scripts")
    else:
        for source in sorted(script & (DANGEROUSLY_BROAD | UNSAFE_INLINE)):
            hit("csp-implemented-with-unsafe-inline", f"script-src allows {source}")
    if "object-src" not in csp and default is None:
        hit("csp-implemented-with-unsafe-inline", "no object-src or default-src limits plugins")
    else:
        for source in sorted(objects & DANGEROUSLY_BROAD):
            hit("csp-implemented-with-unsafe-inline", f"object-src allows {source}")
    active = [s for d, srcs in csp.items() if d not in PASSIVE_DIRECTIVES and d != "script-src"
              for s in srcs] + sorted(script)
    insecure = sorted({s for s in active if s.startswith(("http:", "ftp:"))})
    if https_page and insecure:
        hit("csp-implemented-with-insecure-scheme", f"allows {', '.join(insecure[:3])}")
    if "'unsafe-eval'" in script | style:
        hit("csp-implemented-with-unsafe-eval", "allows 'unsafe-eval'")
    passive = [s for d in PASSIVE_DIRECTIVES for s in (csp.get(d) or default or set())]
    if https_page and any(s.startswith(("http:", "ftp:")) for s in passive):
        hit("csp-implemented-with-insecure-scheme-in-passive-content-only",
            "images or media allowed over http://")
    if style & (DANGEROUSLY_BROAD | UNSAFE_INLINE):
        hit("csp-implemented-with-unsafe-inline-in-style-src-only",
            "style-src allows " + ", ".join(sorted(style & (DANGEROUSLY_BROAD | UNSAFE_INLINE))))
    if result is None and default == {"'none'"}:
        return "csp-implemented-with-no-unsafe-default-src-none", ["default-src 'none'"]
    return result or "csp-implemented-with-no-unsafe", reasons


CSP_PASSING = frozenset({
    "csp-implemented-with-no-unsafe-default-src-none", "csp-implemented-with-no-unsafe",
    "csp-implemented-with-unsafe-inline-in-style-src-only",
    "csp-implemented-with-insecure-scheme-in-passive-content-only",
})


@judge("csp")
def _judge_csp(site: SiteSnapshot) -> Graded:
    start = start_of(site)
    if start is None:
        return unknown("The start page could not be fetched.", "csp-not-implemented")
    view = csp_view(site, start)
    evidence = [header_evidence(start, "Content-Security-Policy", v) for v in view.headers]
    evidence += [Evidence(page_url(start), "meta", v, '<meta http-equiv="Content-Security-Policy">')
                 for v in view.metas]
    if view.policy is None:
        return failed("The Content-Security-Policy cannot be parsed (a directive repeated, or a "
                      "stub policy), so it may not protect as intended.", evidence,
                      "csp-header-invalid", found=True)
    if not view.policy:
        report_only = start.header("content-security-policy-report-only")
        if report_only:
            return failed("Only Content-Security-Policy-Report-Only is sent: violations are "
                          "reported, nothing is blocked.",
                          [header_evidence(start, "Content-Security-Policy-Report-Only",
                                           report_only)],
                          "csp-not-implemented-but-reporting-enabled")
        return failed("The start page sets no Content-Security-Policy (header or meta tag).",
                      [searched(start, "Content-Security-Policy")], "csp-not-implemented")
    result, reasons = grade_csp(view.policy, is_https(start))
    detail = "; ".join(reasons[:4])
    if result in CSP_PASSING:
        note = f" ({detail})" if detail else ""
        return passed(f"The Content-Security-Policy restricts scripts{note}.", evidence, result)
    return failed(f"The Content-Security-Policy does not stop injected scripts: {detail}.",
                  evidence, result, found=True)


@judge("x-content-type-options")
def _judge_nosniff(site: SiteSnapshot) -> Graded:
    start = start_of(site)
    if start is None:
        return unknown("The start page could not be fetched.",
                       "x-content-type-options-not-implemented")
    value = start.header("x-content-type-options")
    if value is None:
        return failed("The start page sends no X-Content-Type-Options header.",
                      [searched(start, "X-Content-Type-Options")],
                      "x-content-type-options-not-implemented")
    evidence = [header_evidence(start, "X-Content-Type-Options", value)]
    if value[:256].strip().lower() == "nosniff":
        return passed("X-Content-Type-Options is nosniff.", evidence,
                      "x-content-type-options-nosniff")
    return failed(f"X-Content-Type-Options is {value.strip()!r}; the only valid value is nosniff.",
                  evidence, "x-content-type-options-header-invalid", found=True)


def _frame_ancestors(site: SiteSnapshot, page: Page) -> set[str] | None:
    """frame-ancestors from header policies (browsers ignore it in meta tags), when protective."""
    sources = csp_view(site, page).header_policy.get("frame-ancestors")
    if sources is None or sources & DANGEROUSLY_BROAD:
        return None
    return sources


@judge("clickjacking")
def _judge_framing(site: SiteSnapshot) -> Graded:
    start = start_of(site)
    if start is None:
        return unknown("The start page could not be fetched.", "x-frame-options-not-implemented")
    ancestors = _frame_ancestors(site, start)
    xfo = start.header("x-frame-options")
    evidence = [header_evidence(start, "X-Frame-Options", xfo)] if xfo else []
    if ancestors is not None:
        shown = " ".join(sorted(ancestors))
        return passed(f"CSP frame-ancestors {shown} limits who may frame the site.",
                      [header_evidence(start, "Content-Security-Policy",
                                       f"frame-ancestors {shown}"), *evidence],
                      "x-frame-options-implemented-via-csp")
    if xfo is None:
        return failed("Neither X-Frame-Options nor CSP frame-ancestors is set: any site can show "
                      "this one in a frame.",
                      [searched(start, "X-Frame-Options or CSP frame-ancestors")],
                      "x-frame-options-not-implemented")
    value = xfo[:1024].strip().lower()
    if value in ("deny", "sameorigin"):
        return passed(f"X-Frame-Options is {xfo.strip()}.", evidence,
                      "x-frame-options-sameorigin-or-deny")
    if value.startswith("allow-from"):
        return failed("X-Frame-Options ALLOW-FROM is ignored by current browsers, so the site "
                      "can be framed; use CSP frame-ancestors.", evidence,
                      "x-frame-options-allow-from-origin", found=True)
    return failed(f"X-Frame-Options {xfo.strip()!r} is not a value browsers recognise.", evidence,
                  "x-frame-options-header-invalid", found=True)


REFERRER_PRIVATE = ("no-referrer", "same-origin", "strict-origin",
                    "strict-origin-when-cross-origin")
REFERRER_UNSAFE = ("origin", "origin-when-cross-origin", "unsafe-url",
                   "no-referrer-when-downgrade")


@judge("referrer-policy")
def _judge_referrer(site: SiteSnapshot) -> Graded:
    start = start_of(site)
    if start is None:
        return unknown("The start page could not be fetched.", "referrer-policy-not-implemented")
    headers = list(start.header_values("referrer-policy"))
    metas = meta_values(start, "referrer", "referrer-policy")
    evidence = [header_evidence(start, "Referrer-Policy", v) for v in headers]
    evidence += [Evidence(page_url(start), "meta", v, '<meta name="referrer">') for v in metas]
    if not headers and not metas:
        return failed("No Referrer-Policy is set (browsers then default to "
                      "strict-origin-when-cross-origin, which the Observatory does not penalise).",
                      [searched(start, "Referrer-Policy header or meta tag")],
                      "referrer-policy-not-implemented")
    tokens = [t.strip().lower() for t in ",".join(headers + metas).split(",")]
    valid = [t for t in tokens if t in REFERRER_PRIVATE + REFERRER_UNSAFE]
    policy = valid[-1] if valid else ""  # the last valid token wins, as in browsers
    if policy in REFERRER_PRIVATE:
        return passed(f"Referrer-Policy is {policy}.", evidence, "referrer-policy-private")
    if policy in REFERRER_UNSAFE:
        return failed(f"Referrer-Policy {policy} sends the page address to other sites.",
                      evidence, "referrer-policy-unsafe", found=True)
    return failed("The Referrer-Policy value is not one browsers recognise.", evidence,
                  "referrer-policy-header-invalid", found=True)


@judge("permissions-policy")
def _judge_permissions(site: SiteSnapshot) -> Graded:
    start = start_of(site)
    if start is None:
        return unknown("The start page could not be fetched.", "permissions-policy-missing")
    value = start.header("permissions-policy")
    legacy = start.header("feature-policy")
    if value and value.strip():
        return passed("Permissions-Policy limits the browser features pages may use.",
                      [header_evidence(start, "Permissions-Policy", value)],
                      "permissions-policy-set")
    if legacy and legacy.strip():
        return passed("Only the older Feature-Policy header is sent; rename it to "
                      "Permissions-Policy.", [header_evidence(start, "Feature-Policy", legacy)],
                      "permissions-policy-set")
    return failed("The start page sends no Permissions-Policy header.",
                  [searched(start, "Permissions-Policy")], "permissions-policy-missing")


VERSION_RE = re.compile(r"[A-Za-z][\w.+-]*/v?\d+(?:\.\d+)*(?![\w])")
# Fixed identifiers of managed services: the number never changes and the site cannot patch it.
MANAGED_RE = re.compile(r"^(?:awselb/2\.0|Microsoft-HTTPAPI/2\.0)$", re.I)
BARE_VERSION_RE = re.compile(r"\bv?\d+\.\d+(?:\.\d+)*\b")
VERSION_HEADERS = (("server", "Server"), ("x-powered-by", "X-Powered-By"),
                   ("x-aspnet-version", "X-AspNet-Version"),
                   ("x-aspnetmvc-version", "X-AspNetMvc-Version"))


@judge("server-version-disclosure")
def _judge_versions(site: SiteSnapshot) -> Graded:
    start = start_of(site)
    if start is None:
        return unknown("The start page could not be fetched.", "server-version-hidden")
    pages = [start, *(p for p in site.html_pages if p is not start)]
    disclosed: dict[tuple[str, str], Page] = {}
    seen: list[Evidence] = []
    for page in pages:
        for key, name in VERSION_HEADERS:
            for value in page.header_values(key):
                pattern = VERSION_RE if key in ("server", "x-powered-by") else BARE_VERSION_RE
                if pattern.search(value) and not MANAGED_RE.match(value.strip()):
                    disclosed.setdefault((name, value), page)
                elif page is start:
                    seen.append(header_evidence(page, name, value))
    if disclosed:
        evidence = [Evidence(page_url(p), "header", f"{name}: {value}", "response header")
                    for (name, value), p in sorted(disclosed.items())[:10]]
        shown = ", ".join(sorted({v for _, v in disclosed})[:3])
        return failed(f"Response headers name software versions ({shown}).", evidence,
                      "server-version-disclosed", found=True)
    evidence = seen or [searched(start, "Server or X-Powered-By header")]
    return passed(f"No version numbers in Server, X-Powered-By or X-AspNet-Version headers on "
                  f"{plural(len(pages), 'page')}.", evidence, "server-version-hidden", found=False)
