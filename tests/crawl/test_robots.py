"""robots.txt: Protego rules, crawl-delay, Sitemap lines, and RFC 9309 answers to failures."""

from __future__ import annotations

import threading

import pytest

from auditor.crawl.engine import Response
from auditor.crawl.http import crawl_url
from auditor.crawl.robots import (
    ROBOTS_MAX_BYTES,
    Robots,
    RobotsCache,
    parse_robots,
    robots_from_response,
)
from auditor.errors import TargetError
from auditor.site import RobotsInfo
from tests.crawl.server import Route, html, options, serve

UA = "trustaudit/0.1.0 (+https://github.com/trustaudit/trustaudit)"
ROBOTS = b"""User-agent: *
Disallow: /private
Crawl-delay: 2

User-agent: trustaudit
Disallow: /secret
Disallow: /*.json$
Allow: /secret/open
Crawl-delay: 0.25
Sitemap: /maps/main.xml
Sitemap: https://cdn.example/s.xml
"""


def test_parse_rules_delay_and_sitemaps() -> None:
    robots = parse_robots(ROBOTS, "https://shop.example/robots.txt", UA)
    assert not robots.allowed("https://shop.example/secret/x")
    assert robots.allowed("https://shop.example/secret/open")
    assert not robots.allowed("https://shop.example/feed.json")  # wildcard and $
    assert robots.allowed("https://shop.example/feed.json?x=1")
    assert robots.allowed("https://shop.example/private")  # the * group is not ours
    assert robots.crawl_delay == 0.25
    assert robots.info.sitemaps == ("https://cdn.example/s.xml",
                                    "https://shop.example/maps/main.xml")
    assert robots.info.found and robots.info.status == 200 and not robots.info.disallow_all
    other = parse_robots(ROBOTS, "https://shop.example/robots.txt", "OtherBot/2")
    assert not other.allowed("https://shop.example/private") and other.crawl_delay == 2.0


def test_oversized_file_cut_at_a_line() -> None:
    data = b"User-agent: *\nDisallow: /a\n" + b"# filler\n" * (ROBOTS_MAX_BYTES // 9 + 10)
    data += b"Disallow: /beyond\n"
    robots = parse_robots(data, "https://shop.example/robots.txt", UA)
    assert not robots.allowed("https://shop.example/a")
    assert robots.allowed("https://shop.example/beyond")


@pytest.mark.parametrize(("status", "error", "allowed", "disallow_all"), [
    (404, "", True, False),
    (401, "", True, False),
    (403, "", True, False),
    (429, "", False, True),
    (500, "", False, True),
    (503, "", False, True),
    (0, "timeout", False, True),
    (0, "connection refused", False, True),
    (301, "too many redirects", True, False),
    (302, "redirect loop", True, False),
])
def test_rfc9309_answers(status: int, error: str, allowed: bool, disallow_all: bool) -> None:
    response = Response(url="https://shop.example/robots.txt", status=status, error=error)
    robots = robots_from_response(response, UA)
    assert robots.allowed("https://shop.example/page") is allowed
    assert robots.info.disallow_all is disallow_all
    assert not robots.info.found
    if disallow_all:
        assert robots.info.error  # the report says why


def test_cache_loads_once_per_origin() -> None:
    loads: list[str] = []
    gate = threading.Event()

    def load(url: str) -> Robots:
        loads.append(url)
        gate.wait(0.2)
        return Robots(RobotsInfo(url=url))

    cache = RobotsCache(load)
    threads = [threading.Thread(target=cache.allowed, args=(f"https://shop.example/p{i}",))
               for i in range(6)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join()
    cache.allowed("https://www.shop.example/x")
    cache.allowed("http://shop.example/x")
    assert len(loads) == 3


def test_crawl_obeys_disallow_and_crawl_delay() -> None:
    routes = {
        "/robots.txt": Route(body=ROBOTS, content_type="text/plain"),
        "/": Route(body=html("Home", links=["/a", "/b", "/secret/x", "/private"])),
        "/a": Route(body=html("A")),
        "/b": Route(body=html("B")),
        "/private": Route(body=html("Private")),
    }
    with serve(routes) as server:
        snapshot = crawl_url(server.url("/"), options(probes=False, concurrency=4))
        assert server.url("/secret/x") in snapshot.robots_blocked
        assert "/secret/x" not in server.paths()
        assert {p.url for p in snapshot.pages} == {
            server.url("/"), server.url("/a"), server.url("/b"), server.url("/private")}
        assert snapshot.robots.crawl_delay == 0.25
        times = sorted(r.time for r in server.requests() if r.path != "/robots.txt")
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert len(gaps) >= 3 and min(gaps) >= 0.24  # one request every 0.25 s, 4 workers


def test_robots_404_allows_everything() -> None:
    with serve({"/": Route(body=html("Home", links=["/a"])),
                "/a": Route(body=html("A"))}) as server:
        snapshot = crawl_url(server.url("/"), options(probes=False))
        assert snapshot.robots.status == 404 and not snapshot.robots.found
        assert len(snapshot.pages) == 2


def test_robots_503_disallows_and_blocks_the_start_page() -> None:
    with serve({"/robots.txt": Route(status=503), "/": Route(body=html("Home"))}) as server:
        with pytest.raises(TargetError, match=r"robots\.txt .* answered HTTP 503.*RFC 9309"):
            crawl_url(server.url("/"), options(retries=0))
        assert "/" not in server.paths()
        # Told to ignore robots.txt, the crawl goes on and the report still shows the answer.
        snapshot = crawl_url(server.url("/"), options(retries=0, respect_robots=False,
                                                      probes=False))
        assert snapshot.robots.disallow_all and snapshot.robots.status == 503
        assert [p.status for p in snapshot.pages] == [200]


def test_robots_redirect_followed() -> None:
    routes = {
        "/robots.txt": Route(status=301, location="/real/robots.txt"),
        "/real/robots.txt": Route(body=b"User-agent: *\nDisallow: /secret\n",
                                  content_type="text/plain"),
        "/": Route(body=html("Home", links=["/secret", "/open"])),
        "/open": Route(body=html("Open")),
    }
    with serve(routes) as server:
        snapshot = crawl_url(server.url("/"), options(probes=False))
        assert snapshot.robots.found and snapshot.robots_blocked == (server.url("/secret"),)
        assert "/secret" not in server.paths() and "/open" in server.paths()


def test_start_page_blocked_by_robots() -> None:
    with serve({"/robots.txt": Route(body=b"User-agent: *\nDisallow: /\n",
                                     content_type="text/plain"),
                "/": Route(body=html("Home"))}) as server:
        with pytest.raises(TargetError, match="the start page .* is blocked by robots.txt"):
            crawl_url(server.url("/"), options())
        assert server.paths() == ["/robots.txt"]


def test_redirect_into_disallowed_path_not_followed() -> None:
    routes = {
        "/robots.txt": Route(body=b"User-agent: *\nDisallow: /admin\n",
                             content_type="text/plain"),
        "/": Route(body=html("Home", links=["/go"])),
        "/go": Route(location="/admin/panel"),
    }
    with serve(routes) as server:
        snapshot = crawl_url(server.url("/"), options(probes=False))
        page = snapshot.page(server.url("/go"))
        assert page is not None and page.error == "redirect target blocked by robots.txt"
        assert "/admin/panel" not in server.paths()
