"""URL mode end to end against a real local server: seeds, probes, limits, scope, errors."""

from __future__ import annotations

import threading
import time

import pytest

from auditor.crawl.http import crawl_url, parse_target
from auditor.crawl.netpolicy import is_private_address
from auditor.crawl.options import CrawlProgress
from auditor.detect.pagetypes import SOFT_404_PATH
from auditor.detect.priority import policy_priority
from auditor.errors import TargetError
from tests.crawl.server import (
    Route,
    TestServer,
    free_port,
    html,
    options,
    resolver_for,
    serve,
    site_pages,
)


def by_path(snapshot, server: TestServer) -> dict[str, object]:
    return {p.url.replace(server.origin, ""): p for p in snapshot.pages}


def test_parse_target() -> None:
    assert parse_target("shop.example") == "https://shop.example/"
    assert parse_target(" HTTP://Shop.Example/a#b ") == "http://shop.example/a"
    for bad in ("ftp://shop.example/", "http://", "https://exa mple.com/", "", "javascript:x"):
        with pytest.raises(TargetError, match="not a valid http"):
            parse_target(bad)


def test_probes_found_missing_and_not_duplicated() -> None:
    routes = {
        "/": Route(body=html("Home", footer=["/privacy|Privacy"])),
        "/privacy": Route(body=html("Privacy")),
        "/impressum": Route(body=html("Impressum")),  # not linked: found by a probe
        "/.well-known/security.txt": Route(body="Contact: mailto:sec@shop.example\n",
                                           content_type="text/plain"),
    }
    with serve(routes) as server:
        snapshot = crawl_url(server.url("/"), options(), priority=policy_priority)
        pages = by_path(snapshot, server)
        assert pages["/impressum"].source == "probe" and pages["/impressum"].status == 200
        assert pages["/impressum"].facts is not None
        assert pages["/privacy"].source == "link"
        assert server.paths().count("/privacy") == 1  # linked, so not probed again
        assert pages["/agb"].status == 404 and pages["/agb"].source == "probe"
        security = pages["/.well-known/security.txt"]
        assert security.status == 200 and security.content_type == "text/plain"
        assert security.facts is None
        assert pages[SOFT_404_PATH].status == 404
        probes = [p for p in snapshot.pages if p.source == "probe"]
        assert len(probes) <= 16  # 15 probes at most plus the soft-404 probe


def test_no_probes_when_disabled() -> None:
    with serve({"/": Route(body=html("Home"))}) as server:
        snapshot = crawl_url(server.url("/"), options(probes=False))
        assert [p.url for p in snapshot.pages] == [server.url("/")]
        assert server.paths() == ["/robots.txt", "/", "/sitemap.xml"]


@pytest.mark.parametrize("probes", [False, True])
def test_policy_links_first_under_a_tight_page_limit(probes: bool) -> None:
    products = [f"/product-{i:02d}" for i in range(30)]
    routes = {"/": Route(body=html("Home", links=products, footer=["/legal/pp|Privacy policy"])),
              "/legal/pp": Route(body=html("Privacy policy"))}
    routes.update({p: Route(body=html(p)) for p in products})
    with serve(routes) as server:
        snapshot = crawl_url(server.url("/"), options(max_pages=2, probes=probes),
                             priority=policy_priority)
        html_pages = [p.url for p in snapshot.html_pages]
        assert html_pages == [server.url("/"), server.url("/legal/pp")]
        assert "max-pages" in snapshot.limits_hit
        assert not any(path.startswith("/product") for path in server.paths())


def test_max_pages_counts_html_pages() -> None:
    with serve(site_pages(30)) as server:
        snapshot = crawl_url(server.url("/"), options(max_pages=7, probes=False))
        assert len(snapshot.html_pages) == 7
        assert snapshot.limits_hit == ("max-pages",)


def test_max_depth() -> None:
    routes = {"/": Route(body=html("0", links=["/d1"])),
              "/d1": Route(body=html("1", links=["/d2"])),
              "/d2": Route(body=html("2", links=["/d3"])),
              "/d3": Route(body=html("3"))}
    with serve(routes) as server:
        snapshot = crawl_url(server.url("/"), options(max_depth=2, probes=False))
        assert {p.url: p.depth for p in snapshot.pages} == {
            server.url("/"): 0, server.url("/d1"): 1, server.url("/d2"): 2}
        assert "max-depth" in snapshot.limits_hit
        only_start = crawl_url(server.url("/"), options(max_depth=0))
        assert [p.url for p in only_start.pages] == [server.url("/")]


def test_redirects_statuses_non_html_and_slow_pages() -> None:
    routes = {
        "/": Route(body=html("Home", links=["/old", "/gone", "/broken", "/slow", "/doc",
                                            "/logo.png", "/ok"])),
        "/old": Route(status=301, location="/mid"),
        "/mid": Route(status=302, location="/new"),
        "/new": Route(body=html("New")),
        "/gone": Route(status=404, body=html("Gone")),
        "/broken": Route(status=500, body=html("Oops")),
        "/slow": Route(body=html("Slow"), delay=3),
        "/doc": Route(body=b"%PDF-1.7", content_type="application/pdf"),
        "/logo.png": Route(body=b"\x89PNG", content_type="image/png"),
        "/ok": Route(body=html("Ok")),
    }
    with serve(routes) as server:
        started = time.monotonic()
        snapshot = crawl_url(server.url("/"), options(timeout=0.6, retries=0, probes=False))
        assert time.monotonic() - started < 2.5
        pages = by_path(snapshot, server)
        old = pages["/old"]
        assert old.status == 200 and old.final_url == server.url("/new")
        assert old.redirects == ((server.url("/old"), 301), (server.url("/mid"), 302))
        assert old.facts is not None and old.facts.title == "New"
        assert (pages["/gone"].status, pages["/broken"].status) == (404, 500)
        assert pages["/slow"].error == "timeout" and pages["/slow"].facts is None
        assert (pages["/doc"].status, pages["/doc"].content_type) == (200, "application/pdf")
        assert pages["/doc"].facts is None and pages["/logo.png"].facts is None
        assert pages["/logo.png"].status == 200
        assert pages["/ok"].facts is not None


def test_two_urls_redirecting_to_one_page_audited_once() -> None:
    routes = {"/": Route(body=html("Home", links=["/a", "/b"])),
              "/a": Route(location="/target"), "/b": Route(location="/target"),
              "/target": Route(body=html("Target"))}
    with serve(routes) as server:
        snapshot = crawl_url(server.url("/"), options(probes=False))
        assert [p.url for p in snapshot.html_pages] == [server.url("/"), server.url("/a")]


def test_scope_www_and_apex_headers_and_off_site_links() -> None:
    with serve() as server:
        port = server.port
        routes = {
            "/": Route(body=html("Home", links=[
                f"http://www.shop.example:{port}/about", "https://other.example/x",
                "https://other.example/y", "mailto:hi@shop.example", "/go-away"])),
            "/about": Route(body=html("About")),
            "/go-away": Route(location=f"http://partner.example:{port}/landing"),
            "/landing": Route(body=html("Partner")),
        }
        server.routes.update(routes)
        names = resolver_for({"shop.example": "127.0.0.1", "www.shop.example": "127.0.0.1",
                              "partner.example": "127.0.0.1"})
        snapshot = crawl_url(f"shop.example:{port}".join(["http://", "/"]),
                             options(probes=False, headers=(("Authorization", "Bearer t"),)),
                             resolver=names)
        urls = {p.url for p in snapshot.pages}
        assert f"http://www.shop.example:{port}/about" in urls
        assert not any("other.example" in u for u in urls)
        assert snapshot.out_of_scope == 2
        hosts = {r.host.split(":")[0]: r for r in server.requests()}
        assert hosts["www.shop.example"].header("authorization") == "Bearer t"
        assert hosts["shop.example"].header("authorization") == "Bearer t"
        assert hosts["partner.example"].header("authorization") is None
        assert all(r.header("user-agent").startswith("trustaudit/") for r in server.requests())


def test_target_errors_are_one_clear_line() -> None:
    port = free_port()
    with pytest.raises(TargetError, match=f"cannot connect to 127.0.0.1:{port}: connection "
                                          "refused"):
        crawl_url(f"http://127.0.0.1:{port}/", options(retries=0))
    with pytest.raises(TargetError, match="cannot resolve host does-not-exist.invalid"):
        crawl_url("http://does-not-exist.invalid/", options(retries=0))
    routes = {"/missing-home": Route(status=404), "/pdf": Route(content_type="application/pdf",
                                                                body=b"%PDF"),
              "/js": Route(location="javascript:alert(1)"), "/slow": Route(delay=3)}
    with serve(routes) as server:
        with pytest.raises(TargetError, match=r"answered HTTP 404"):
            crawl_url(server.url("/missing-home"), options())
        with pytest.raises(TargetError, match=r"is not HTML \(application/pdf\)"):
            crawl_url(server.url("/pdf"), options())
        with pytest.raises(TargetError, match="redirect to unsupported scheme javascript:"):
            crawl_url(server.url("/js"), options())
        with pytest.raises(TargetError, match=r"did not answer within 0.5 s \(timeout\)"):
            crawl_url(server.url("/slow"), options(timeout=0.5, retries=0))


def test_start_page_redirecting_to_private_address_refused() -> None:
    with serve({"/": Route(location="http://169.254.169.254/latest/meta-data/")}) as server:
        names = resolver_for({"public.example": "127.0.0.1"})
        with pytest.raises(TargetError, match="refused: private address 169.254.169.254"):
            # 127.0.0.1 plays a public address here; every other address is judged as usual.
            crawl_url(server.url("/", host="public.example"), options(), resolver=names,
                      classify=lambda ip: ip != "127.0.0.1" and is_private_address(ip))
        assert server.paths() == ["/robots.txt", "/"]


def test_deterministic_pages_and_facts() -> None:
    with serve(site_pages(60)) as server:
        def run(**changes: object):
            snapshot = crawl_url(server.url("/"), options(concurrency=8, **changes),
                                 priority=policy_priority)
            return ([(p.url, p.status) for p in snapshot.pages],
                    [p.facts for p in snapshot.pages], snapshot.limits_hit)

        first, second = run(), run()
        assert first == second and len(first[0]) >= 61
        small_a, small_b = run(max_pages=20), run(max_pages=20)
        assert small_a == small_b
        assert sum(1 for (_, status), facts in zip(small_a[0], small_a[1], strict=True)
                   if facts is not None and status == 200) == 20
        assert "max-pages" in small_a[2]


def test_interrupt_returns_partial_snapshot_promptly() -> None:
    routes = site_pages(40)
    for i in range(20, 40):
        routes[f"/p{i}"] = Route(body=html(f"Slow {i}"), delay=5)
    seen: list[CrawlProgress] = []

    def progress(event: CrawlProgress) -> None:
        seen.append(event)
        if event.pages >= 5:
            raise KeyboardInterrupt

    with serve(routes) as server:
        started = time.monotonic()
        snapshot = crawl_url(server.url("/"), options(timeout=10, probes=False), progress)
        assert time.monotonic() - started < 3
        assert "interrupted" in snapshot.limits_hit
        assert 5 <= len(snapshot.pages) < 41
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and any(
                t.name.startswith("trustaudit-fetch") and t.is_alive()
                for t in threading.enumerate()):
            time.sleep(0.05)
        assert not any(t.name.startswith("trustaudit-fetch") and t.is_alive()
                       for t in threading.enumerate())
