"""Privacy checks in URL mode: tracker cookies set by the server before any consent, against a
local HTTP server on 127.0.0.1."""

from __future__ import annotations

from typing import Any

from auditor.audit import judge
from auditor.crawl.http import crawl_url
from tests.crawl.server import Route, html, options, serve

BODY = ("<p>Wir sind ein kleiner Familienbetrieb. Wir beantworten jede Nachricht innerhalb eines "
        "Werktages und erklären Preise, Lieferzeiten und Bedingungen, bevor Sie etwas bestellen. "
        "Unser Team arbeitet seit vielen Jahren in diesem Handwerk und berät Sie gern bei der "
        "Auswahl der richtigen Brote, Kuchen und Torten für jeden Anlass.</p>")
ROBOTS = Route(body="User-agent: *\nAllow: /\n", content_type="text/plain")
CMP = '<script id="Cookiebot" src="https://consent.cookiebot.com/uc.js" data-cbid="x"></script>'


def audit(route: Route) -> dict[str, Any]:
    with serve({"/robots.txt": ROBOTS, "/": route}) as server:
        snapshot = crawl_url(server.url("/"), options(probes=False))
    _, report = judge(snapshot, site_kind="local")
    return {f["id"]: f for f in report["findings"]}


def page(head: str = "") -> str:
    return html("Bäckerei", body=BODY).replace("<html>", "<html lang='de'>").replace(
        "</head>", f"{head}</head>")


def test_tracker_cookie_in_the_first_response_fails_even_with_a_consent_manager() -> None:
    route = Route(body=page(CMP), headers=(("Set-Cookie", "_ga=GA1.1.123.456; Path=/"),))
    finding = audit(route)["tracking-before-consent"]
    assert (finding["status"], finding["found"]) == ("fail", True), finding["message"]
    assert "_ga" in finding["evidence"][0]["snippet"]


def test_session_cookie_is_not_a_tracker() -> None:
    route = Route(body=page(), headers=(("Set-Cookie", "PHPSESSID=abc; Path=/; HttpOnly"),))
    finding = audit(route)["tracking-before-consent"]
    assert (finding["status"], finding["found"]) == ("pass", False), finding["message"]
