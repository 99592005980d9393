"""The security checks against real local servers (HTTP and HTTPS): every header check's pass and
fail, the http:// redirect, cookie flags, mixed content, insecure forms, security.txt, and the
Observatory grade in report.json. Folder mode is covered by the unknown-folder-mode fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jsonschema
import pytest

from auditor.audit import judge
from auditor.crawl.http import crawl_url, http_variant
from auditor.results import load_schema
from auditor.site import SiteSnapshot
from tests.crawl import server as test_server
from tests.crawl.server import Route, TestServer, free_port, html, options, resolver_for, serve

NAMES = resolver_for({"shop.example": "127.0.0.1", "www.shop.example": "127.0.0.1"})
HOME = html("Shop", body="<p>Handmade mugs and bowls, shipped across Europe.</p>")


def findings_of(snapshot: SiteSnapshot, site_kind: str = "shop") -> dict[str, dict[str, Any]]:
    _, report = judge(snapshot, site_kind=site_kind)
    return {f["id"]: f for f in report["findings"]}


def audit_headers(headers: tuple[tuple[str, str], ...], body: str = HOME,
                  ) -> dict[str, dict[str, Any]]:
    """The start page of a plain-HTTP server answering with ``headers`` (no probes)."""
    with serve({"/": Route(body=body, headers=headers)}) as server:
        snapshot = crawl_url(server.url("/"), options(max_depth=0))
    return findings_of(snapshot)


def evidence_text(finding: dict[str, Any]) -> str:
    return " ".join(f"{e['snippet']} {e['locator']} {e['url']}" for e in finding["evidence"])


def expect(finding: dict[str, Any], status: str, *needles: str) -> None:
    assert finding["status"] == status, (finding["message"], finding["evidence"])
    assert finding["evidence"], "a pass or fail carries evidence"
    for needle in needles:
        assert needle.lower() in (evidence_text(finding) + finding["message"]).lower(), needle


# --------------------------------------------------------------------------- plain headers

HEADER_CASES = [
    # (check id, response headers, expected status, text in the evidence or message)
    ("csp", (("Content-Security-Policy", "default-src 'self'"),), "pass", "default-src 'self'"),
    ("csp", (("Content-Security-Policy", "default-src 'none'; img-src 'self'"),), "pass",
     "default-src 'none'"),
    ("csp", (("Content-Security-Policy",
              "script-src 'nonce-r4nd0m' 'unsafe-inline' 'strict-dynamic'; object-src 'none'"),),
     "pass", "nonce"),
    ("csp", (("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'"),),
     "pass", "style-src allows 'unsafe-inline'"),
    ("csp", (), "fail", "no content-security-policy"),
    ("csp", (("Content-Security-Policy-Report-Only", "default-src 'self'"),), "fail",
     "Report-Only"),
    ("csp", (("Content-Security-Policy", "script-src 'self' 'unsafe-inline'; object-src 'none'"),),
     "fail", "script-src allows 'unsafe-inline'"),
    ("csp", (("Content-Security-Policy", "default-src *"),), "fail", "script-src allows *"),
    ("csp", (("Content-Security-Policy", "script-src 'self'"),), "fail",
     "no object-src or default-src"),
    ("csp", (("Content-Security-Policy", "default-src 'self' 'unsafe-eval'"),), "fail",
     "unsafe-eval"),
    ("csp", (("Content-Security-Policy", "default-src 'self'; default-src 'none'"),), "fail",
     "cannot be parsed"),
    ("x-content-type-options", (("X-Content-Type-Options", "nosniff"),), "pass", "nosniff"),
    ("x-content-type-options", (), "fail", "no X-Content-Type-Options"),
    ("x-content-type-options", (("X-Content-Type-Options", "sniff"),), "fail", "sniff"),
    ("clickjacking", (("X-Frame-Options", "DENY"),), "pass", "X-Frame-Options: DENY"),
    ("clickjacking", (("X-Frame-Options", "sameorigin"),), "pass", "sameorigin"),
    ("clickjacking", (("Content-Security-Policy", "frame-ancestors 'self'"),), "pass",
     "frame-ancestors 'self'"),
    ("clickjacking", (), "fail", "X-Frame-Options or CSP frame-ancestors"),
    ("clickjacking", (("X-Frame-Options", "ALLOW-FROM https://partner.example/"),), "fail",
     "ALLOW-FROM"),
    ("clickjacking", (("Content-Security-Policy", "frame-ancestors *"),), "fail",
     "X-Frame-Options or CSP frame-ancestors"),
    ("referrer-policy", (("Referrer-Policy", "strict-origin-when-cross-origin"),), "pass",
     "strict-origin-when-cross-origin"),
    ("referrer-policy", (("Referrer-Policy", "unsafe-url, no-referrer"),), "pass",
     "no-referrer"),  # the last valid value wins
    ("referrer-policy", (), "fail", "no Referrer-Policy"),
    ("referrer-policy", (("Referrer-Policy", "unsafe-url"),), "fail", "unsafe-url"),
    ("referrer-policy", (("Referrer-Policy", "no-referrer-when-downgrade"),), "fail",
     "no-referrer-when-downgrade"),
    ("referrer-policy", (("Referrer-Policy", "always"),), "fail", "not one browsers recognise"),
    ("permissions-policy", (("Permissions-Policy", "camera=(), geolocation=()"),), "pass",
     "camera=()"),
    ("permissions-policy", (), "fail", "no Permissions-Policy"),
]


@pytest.fixture(scope="module")
def header_server() -> Iterator[TestServer]:
    """One server, one path per case: each path is the start page of its own audit."""
    routes = {f"/case-{i}": Route(body=HOME, headers=headers)
              for i, (_, headers, _, _) in enumerate(HEADER_CASES)}
    routes["/meta"] = Route(body=html("Shop", body="<p>Mugs.</p>").replace(
        "<title>", '<meta name="referrer" content="same-origin"><meta http-equiv='
        '"Content-Security-Policy" content="default-src \'self\'"><title>'))
    with serve(routes) as server:
        yield server


@pytest.mark.parametrize(("index", "case"), list(enumerate(HEADER_CASES)),
                         ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(HEADER_CASES)])
def test_header_check(header_server: TestServer, index: int,
                      case: tuple[str, tuple[tuple[str, str], ...], str, str]) -> None:
    check_id, _, status, needle = case
    snapshot = crawl_url(header_server.url(f"/case-{index}"), options(max_depth=0))
    expect(findings_of(snapshot)[check_id], status, needle)


def test_meta_tags_count_for_csp_and_referrer(header_server: TestServer) -> None:
    found = findings_of(crawl_url(header_server.url("/meta"), options(max_depth=0)))
    expect(found["csp"], "pass", "meta")
    expect(found["referrer-policy"], "pass", "same-origin")
    expect(found["clickjacking"], "fail")  # frame-ancestors cannot be set by a meta tag


def test_server_version_disclosure(monkeypatch: pytest.MonkeyPatch) -> None:
    # The test server names itself like http.server does ("BaseHTTP/0.6 Python/3.x").
    found = audit_headers(())
    expect(found["server-version-disclosure"], "fail", "Python/3.")
    found = audit_headers((("X-Powered-By", "PHP/7.4.3"), ("X-AspNet-Version", "4.0.30319")))
    expect(found["server-version-disclosure"], "fail", "PHP/7.4.3", "4.0.30319")
    monkeypatch.setattr(test_server._Handler, "server_version", "nginx")
    monkeypatch.setattr(test_server._Handler, "sys_version", "")
    found = audit_headers((("X-Powered-By", "Express"),))
    expect(found["server-version-disclosure"], "pass", "nginx")
    monkeypatch.setattr(test_server._Handler, "server_version", "ECS (dcb/7F84)")
    expect(audit_headers(())["server-version-disclosure"], "pass", "ECS (dcb/7F84)")


# --------------------------------------------------------------------------- HTTPS


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    made = test_server.self_signed_cert(tmp_path_factory.mktemp("tls"), "shop.example",
                                        "www.shop.example")
    if made is None:
        pytest.skip("the openssl command is not installed")
    return made


@dataclass
class Pair:
    """An HTTPS server (the site) and a plain-HTTP server standing in for its port 80."""

    tls: TestServer
    plain: TestServer

    def https(self, path: str = "/", host: str = "shop.example") -> str:
        return f"https://{host}:{self.tls.port}{path}"

    def http(self, path: str = "/", host: str = "shop.example") -> str:
        return f"http://{host}:{self.plain.port}{path}"


@pytest.fixture
def pair(cert: tuple[str, str]) -> Iterator[Pair]:
    with serve(tls=cert) as tls, serve() as plain:
        yield Pair(tls, plain)


def crawl_pair(pair: Pair, cert: tuple[str, str], *, http_port: int | None = None,
               **opts: Any) -> SiteSnapshot:
    return crawl_url(pair.https(), options(**({"max_pages": 5} | opts)), resolver=NAMES,
                     verify=cert[0], backoff=0.01,
                     http_port=pair.plain.port if http_port is None else http_port)


def test_http_variant_of_the_start_url() -> None:
    assert http_variant("https://shop.example/de/?a=1") == "http://shop.example/de/?a=1"
    assert http_variant("https://shop.example:8443/") == ""  # another port: not guessed
    assert http_variant("https://shop.example:8443/", 8080) == "http://shop.example:8080/"
    assert http_variant("http://shop.example/") == ""  # the start page is the http:// answer


def test_https_site_with_hsts_redirect_and_good_cookies(pair: Pair, cert: tuple[str, str]
                                                        ) -> None:
    pair.tls.routes["/"] = Route(body=HOME, headers=(
        ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
        ("Set-Cookie", "sessionid=abc123; Path=/; Secure; HttpOnly; SameSite=Lax"),
        ("Set-Cookie", "prefs=eur; Path=/; Secure; SameSite=Strict"),
        ("Set-Cookie", "csrftoken=t0k3n; Path=/; Secure; SameSite=Lax"),
    ))
    pair.plain.routes["/"] = Route(status=301, location=pair.https())
    snapshot = crawl_pair(pair, cert)
    start = next(p for p in snapshot.pages if p.source == "start")
    assert len(start.header_values("set-cookie")) == 3  # not merged into one line
    probe = next(p for p in snapshot.pages if p.url == pair.http())
    assert probe.source == "probe" and probe.status == 301 and probe.facts is None
    assert snapshot.start_page is not None and snapshot.start_page.url == pair.https()
    found = findings_of(snapshot)
    expect(found["https"], "pass")
    expect(found["http-to-https"], "pass", pair.https())
    expect(found["hsts"], "pass", "includeSubDomains")
    expect(found["cookie-flags"], "pass", "sessionid=…; Path=/; Secure; HttpOnly")
    assert "abc123" not in evidence_text(found["cookie-flags"])  # values are never shown


def test_hsts_failures(pair: Pair, cert: tuple[str, str]) -> None:
    pair.plain.routes["/"] = Route(status=301, location=pair.https())
    for header, needle in ((None, "no Strict-Transport-Security"),
                           ("max-age=300", "300 s"), ("max-age=abc", "cannot be parsed")):
        headers = (("Strict-Transport-Security", header),) if header else ()
        pair.tls.routes["/"] = Route(body=HOME, headers=headers)
        expect(findings_of(crawl_pair(pair, cert, probes=False))["hsts"], "fail", needle)


def test_redirect_failures(pair: Pair, cert: tuple[str, str]) -> None:
    pair.tls.routes["/"] = Route(body=HOME)
    # http:// answers with the page itself.
    pair.plain.routes["/"] = Route(body=HOME)
    found = findings_of(crawl_pair(pair, cert))
    expect(found["http-to-https"], "fail", "instead of redirecting")
    # First hop to https:// on another host: HSTS of shop.example is never seen.
    pair.plain.routes["/"] = Route(status=301, location=pair.https(host="www.shop.example"))
    found = findings_of(crawl_pair(pair, cert))
    expect(found["http-to-https"], "fail", "another host")
    # First hop to another http:// address, then https://.
    pair.plain.routes["/"] = lambda request: (
        Route(status=301, location=pair.http(host="www.shop.example"))
        if request.host.startswith("shop.example") else Route(status=302, location=pair.https()))
    snapshot = crawl_pair(pair, cert)
    found = findings_of(snapshot)
    expect(found["http-to-https"], "fail", "another http:// address first")
    assert [p.url for p in snapshot.pages if p.source == "probe" and p.url.startswith("http:")
            ] == [pair.http(), pair.http(host="www.shop.example")]
    # Redirects that never reach https://.
    pair.plain.routes["/"] = lambda request: (
        Route(status=301, location=pair.http(host="www.shop.example"))
        if request.host.startswith("shop.example") else Route(body=HOME))
    expect(findings_of(crawl_pair(pair, cert))["http-to-https"], "fail", "not to an https://")


def test_no_http_listener_needs_no_redirect(pair: Pair, cert: tuple[str, str]) -> None:
    pair.tls.routes["/"] = Route(body=HOME)
    found = findings_of(crawl_pair(pair, cert, http_port=free_port(), retries=0))
    expect(found["http-to-https"], "pass", "connection refused")


def test_plain_http_site() -> None:
    routes = {"/": Route(body=html("Shop", body=(
        '<form action="/login" method="post"><input type="password" name="pw"></form>'
        '<p>Mugs.</p>')), headers=(("Set-Cookie", "PHPSESSID=x1; path=/"),
                                    ("Strict-Transport-Security", "max-age=31536000")))}
    with serve(routes) as server:
        snapshot = crawl_url(server.url("/"), options(max_pages=3))
    found = findings_of(snapshot)
    expect(found["https"], "fail")
    expect(found["http-to-https"], "fail", "instead of redirecting")
    expect(found["hsts"], "fail", "not served over HTTPS")  # HSTS over http:// is ignored
    expect(found["cookie-flags"], "fail", "Session cookie without Secure")
    expect(found["insecure-form"], "fail", "password field sent over http://")
    assert found["mixed-content"]["status"] == "unknown"


def test_cookie_flag_failures(pair: Pair, cert: tuple[str, str]) -> None:
    pair.plain.routes["/"] = Route(status=301, location=pair.https())
    cases = [
        ((("Set-Cookie", "sessionid=1; Secure; SameSite=Lax"),), "without HttpOnly"),
        ((("Set-Cookie", "cart=1; HttpOnly; SameSite=Lax"),), "Cookies without Secure"),
        ((("Set-Cookie", "cart=1; Secure; SameSite=Nonsense"),), "SameSite is invalid"),
        ((("Set-Cookie", "cart=1; SameSite=None"),), "SameSite is invalid"),
        ((("Set-Cookie", "csrftoken=1; Secure"),), "Anti-CSRF cookie without SameSite"),
    ]
    for headers, needle in cases:
        pair.tls.routes["/"] = Route(body=HOME, headers=headers)
        expect(findings_of(crawl_pair(pair, cert, probes=False))["cookie-flags"], "fail", needle)
    # With HSTS in front, a cookie without Secure costs less (-5), but still fails.
    pair.tls.routes["/"] = Route(body=HOME, headers=(
        ("Strict-Transport-Security", "max-age=31536000"), ("Set-Cookie", "cart=1; SameSite=Lax")))
    _, report = judge(crawl_pair(pair, cert, probes=False), site_kind="shop")
    security = next(c for c in report["categories"] if c["id"] == "security")
    mods = {m["check"]: (m["result"], m["modifier"]) for m in security["observatory"]["modifiers"]}
    assert mods["cookie-flags"] == ("cookies-without-secure-flag-but-protected-by-hsts", -5)


def test_cookies_without_samesite_pass_and_no_cookies_pass(pair: Pair, cert: tuple[str, str]
                                                           ) -> None:
    pair.tls.routes["/"] = Route(body=HOME, headers=(("Set-Cookie", "sid=1; Secure; HttpOnly"),))
    expect(findings_of(crawl_pair(pair, cert, probes=False))["cookie-flags"], "pass",
           "without SameSite")
    pair.tls.routes["/"] = Route(body=HOME)
    expect(findings_of(crawl_pair(pair, cert, probes=False))["cookie-flags"], "pass",
           "no Set-Cookie header")


def test_mixed_content_over_https(pair: Pair, cert: tuple[str, str]) -> None:
    body = html("Shop", links=["/about"], body='<img src="http://img.example.org/a.jpg" alt="">')
    pair.tls.routes["/"] = Route(body=body)
    pair.tls.routes["/about"] = Route(body=html("About", body=(
        '<script src="http://cdn.example.org/lib.js"></script>'
        '<iframe src="http://maps.example.org/embed"></iframe>')))
    found = findings_of(crawl_pair(pair, cert, probes=False))
    expect(found["mixed-content"], "fail", "http://maps.example.org/embed",
           "http://cdn.example.org/lib.js", "passive")
    expect(found["subresource-integrity"], "fail", "http://cdn.example.org/lib.js")
    pair.tls.routes["/about"] = Route(body=html("About"), headers=(
        ("Content-Security-Policy", "upgrade-insecure-requests"),))
    pair.tls.routes["/"] = Route(body=body, headers=(
        ("Content-Security-Policy", "upgrade-insecure-requests"),))
    expect(findings_of(crawl_pair(pair, cert, probes=False))["mixed-content"], "pass",
           "upgrade-insecure-requests")


# --------------------------------------------------------------------------- security.txt

VALID_TXT = ("Contact: mailto:security@shop.example\nExpires: 2099-01-01T00:00:00Z\n"
             "Canonical: https://shop.example/.well-known/security.txt\n")


def test_security_txt_valid_and_legacy(pair: Pair, cert: tuple[str, str]) -> None:
    pair.plain.routes["/"] = Route(status=301, location=pair.https())
    pair.tls.routes.update({"/": Route(body=HOME), "/.well-known/security.txt": Route(
        body=VALID_TXT, content_type="text/plain; charset=utf-8")})
    snapshot = crawl_pair(pair, cert)
    url = pair.https("/.well-known/security.txt")
    assert snapshot.text_of(url) == VALID_TXT
    assert pair.tls.paths().count("/.well-known/security.txt") == 1  # fetched once, then primed
    assert "/security.txt" not in pair.tls.paths()  # the legacy path only when needed
    found = findings_of(snapshot, site_kind="saas")["security-txt"]
    expect(found, "pass", "mailto:security@shop.example", "2099-01-01")
    assert "Canonical" in found["message"]  # fetched from the test port, not the canonical URL
    del pair.tls.routes["/.well-known/security.txt"]
    pair.tls.routes["/security.txt"] = Route(body=VALID_TXT, content_type="text/plain")
    found = findings_of(crawl_pair(pair, cert), site_kind="saas")["security-txt"]
    expect(found, "pass", "legacy")


@pytest.mark.parametrize(("route", "needle"), [
    (None, "HTTP 404"),
    (Route(body="Contact: mailto:a@shop.example\nExpires: 2020-01-01T00:00:00Z\n",
           content_type="text/plain"), "expired on 2020-01-01"),
    (Route(body="Contact: mailto:a@shop.example\n", content_type="text/plain"), "no Expires"),
    (Route(body=VALID_TXT.replace("Contact:", "X-Contact:"), content_type="text/plain"),
     "no Contact"),
    (Route(body=html("Not found", body="<p>" + VALID_TXT + "</p>")), "not text/plain"),
])
def test_security_txt_failures(pair: Pair, cert: tuple[str, str], route: Route | None,
                               needle: str) -> None:
    pair.plain.routes["/"] = Route(status=301, location=pair.https())
    pair.tls.routes["/"] = Route(body=HOME)
    if route is not None:
        pair.tls.routes["/.well-known/security.txt"] = route
    found = findings_of(crawl_pair(pair, cert), site_kind="saas")["security-txt"]
    expect(found, "fail", needle)


def test_security_txt_without_content_type_is_not_a_page() -> None:
    routes = {"/": Route(body=HOME), "/.well-known/security.txt": Route(
        body="<p>" + VALID_TXT + "</p>", content_type="")}
    with serve(routes) as server:
        snapshot = crawl_url(server.url("/"), options(max_pages=3))
    assert [p.url for p in snapshot.html_pages] == [server.url("/")]
    expect(findings_of(snapshot, site_kind="saas")["security-txt"], "fail", "not text/plain")


def test_security_txt_blocked_by_robots_is_unknown() -> None:
    routes = {"/": Route(body=HOME), "/robots.txt": Route(
        body="User-agent: *\nDisallow: /.well-known/\nDisallow: /security.txt\n",
        content_type="text/plain")}
    with serve(routes) as server:
        snapshot = crawl_url(server.url("/"), options(max_pages=3))
        assert "/.well-known/security.txt" not in server.paths()
    assert findings_of(snapshot, site_kind="saas")["security-txt"]["status"] == "unknown"


def test_security_txt_over_plain_http_fails() -> None:
    routes = {"/": Route(body=HOME),
              "/.well-known/security.txt": Route(body=VALID_TXT, content_type="text/plain")}
    with serve(routes) as server:
        snapshot = crawl_url(server.url("/"), options(max_pages=3))
    expect(findings_of(snapshot, site_kind="saas")["security-txt"], "fail",
           "RFC 9116 requires HTTPS")


# --------------------------------------------------------------------------- the grade


def test_report_grades_security_like_the_observatory(pair: Pair, cert: tuple[str, str]) -> None:
    pair.plain.routes["/"] = Route(status=301, location=pair.https())
    pair.tls.routes["/"] = Route(body=HOME, headers=(
        ("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload"),
        ("Content-Security-Policy", "default-src 'none'; img-src 'self'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
        ("Set-Cookie", "sid=1; Secure; HttpOnly; SameSite=Strict"),
    ))
    snapshot = crawl_pair(pair, cert)
    _, report = judge(snapshot, site_kind="shop")
    jsonschema.validate(report, load_schema())
    security = next(c for c in report["categories"] if c["id"] == "security")
    obs = security["observatory"]
    mods = {m["check"]: m["modifier"] for m in obs["modifiers"]}
    # csp +10, framing via CSP +5, referrer +5, cookies +5, redirect 0, hsts 0, nosniff 0,
    # no scripts 0 = 125, A+. Server: BaseHTTP/x Python/y is disclosed (trustaudit's own, 0).
    assert mods["csp"] == 10 and mods["clickjacking"] == 5 and mods["http-to-https"] == 0
    assert (obs["score"], obs["grade"], obs["extra_credit"]) == (125, "A+", True)
    assert security["score"] == 100
    again = judge(crawl_pair(pair, cert), site_kind="shop")[1]
    assert again == report  # deterministic
