"""Maintenance checks that read HTTP answers (soft 404, server errors), against a local server.

In folder mode they are unknown (fixtures ``unknown-folder-mode``); here a real server on
127.0.0.1 answers as misconfigured sites do.
"""

from __future__ import annotations

from typing import Any

from auditor.audit import judge
from auditor.crawl.http import crawl_url
from auditor.detect.pagetypes import SOFT_404_PATH
from tests.crawl.server import Route, html, options, serve

BODY = ("<p>We make small-batch ceramics in our workshop and ship them across Europe. Every "
        "piece is thrown, glazed and fired by hand, and we answer every e-mail within a day.</p>")
ROBOTS = Route(body="User-agent: *\nAllow: /\n", content_type="text/plain")


def audit(routes: dict[str, Any], default: Route | None = None, **opts: Any) -> dict[str, Any]:
    kwargs = {"default": default} if default is not None else {}
    with serve({"/robots.txt": ROBOTS, **routes}, **kwargs) as server:
        snapshot = crawl_url(server.url("/"), options(**opts))
    _, report = judge(snapshot, site_kind="shop")
    return {f["id"]: f for f in report["findings"]}


def test_soft_404_passes_when_unknown_addresses_answer_404() -> None:
    finding = audit({"/": Route(body=html("Alder", body=BODY))})["soft-404"]
    assert (finding["status"], finding["found"]) == ("pass", False)
    assert "HTTP 404" in finding["evidence"][0]["locator"]
    assert finding["evidence"][0]["url"].endswith(SOFT_404_PATH)


def test_soft_404_fails_when_every_address_answers_200() -> None:
    page = Route(body=html("Alder", body=BODY))
    findings = audit({"/": page}, default=Route(body=html("Oops, nothing here", body=BODY)))
    finding = findings["soft-404"]
    assert (finding["status"], finding["found"]) == ("fail", True)
    assert finding["evidence"][0]["snippet"] == "Oops, nothing here"


def test_soft_404_fails_when_unknown_addresses_redirect_home() -> None:
    routes = {"/": Route(body=html("Alder", body=BODY)),
              SOFT_404_PATH: Route(status=302, location="/")}
    finding = audit(routes)["soft-404"]
    assert (finding["status"], finding["found"]) == ("fail", True)
    assert "after redirecting" in finding["message"]


def test_soft_404_unknown_without_probes() -> None:
    finding = audit({"/": Route(body=html("Alder", body=BODY))}, probes=False)["soft-404"]
    assert (finding["status"], finding["found"]) == ("unknown", None)


def test_server_errors_pass_and_fail() -> None:
    ok = audit({"/": Route(body=html("Alder", links=["/about"], body=BODY)),
                "/about": Route(body=html("About", body=BODY))})["server-errors"]
    assert (ok["status"], ok["found"]) == ("pass", False)
    bad = audit({"/": Route(body=html("Alder", links=["/about", "/shop"], body=BODY)),
                 "/about": Route(body=html("About", body=BODY)),
                 "/shop": Route(status=500, body="Internal Server Error",
                                content_type="text/plain")}, retries=0)["server-errors"]
    assert (bad["status"], bad["found"]) == ("fail", True)
    assert any(e["url"].endswith("/shop") and e["snippet"] == "HTTP 500" for e in bad["evidence"])
    assert any("linked from" in e["locator"] for e in bad["evidence"])


def test_broken_images_over_http() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    findings = audit({"/": Route(body=html("Alder", body=BODY + '<img src="/logo.png" alt="Logo">'
                                                          '<img src="/gone.jpg" alt="Vase">')),
                      "/logo.png": Route(body=png, content_type="image/png")})
    finding = findings["broken-images"]
    assert (finding["status"], finding["found"]) == ("fail", True)
    assert any(e["snippet"].endswith("/gone.jpg") and "HTTP 404" in e["locator"]
               for e in finding["evidence"])


def test_bot_walls_are_not_errors() -> None:
    """A hotlink guard's 403 on an image and a bot challenge's 503 are walls in front of the
    crawler, not a broken image or a broken server."""
    routes = {"/": Route(body=html("Alder", links=["/shop"],
                                   body=BODY + '<img src="/guarded.png" alt="Vase">')),
              "/guarded.png": Route(status=403, body="Forbidden", content_type="text/plain"),
              "/shop": Route(status=503, body="Just a moment...",
                             headers=(("cf-mitigated", "challenge"),))}
    findings = audit(routes, retries=0)
    assert findings["server-errors"]["status"] == "pass"
    images = findings["broken-images"]
    assert images["status"] == "unknown"  # the only image could not be judged
