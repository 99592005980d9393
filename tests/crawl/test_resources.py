"""Same-site images fetched for their status after the page waves (source "resource")."""

from __future__ import annotations

from pathlib import Path

from auditor.crawl.engine import Crawl, Response, Seed
from auditor.crawl.folder import crawl_folder
from auditor.crawl.http import crawl_url
from auditor.crawl.options import CrawlOptions
from tests.crawl.server import Route, html, options, serve

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, body in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))


def test_folder_mode_answers_image_status_from_files(tmp_path: Path) -> None:
    _write(tmp_path, {
        "index.html": html("Home", links=["/about.html"],
                           body='<img src="/img/logo.png" alt="logo"><img src="/img/gone.jpg">'
                                '<img src="https://cdn.other.example/x.png">'
                                '<img src="data:image/png;base64,iVBORw0KGgo=">'),
        "about.html": html("About", body='<img src="/img/logo.png"><img src="img/team.png">'),
        "img/logo.png": PNG,
        "img/team.png": PNG,
    })
    snapshot = crawl_folder(tmp_path, CrawlOptions(probes=False))
    resources = {p.url: p for p in snapshot.pages if p.source == "resource"}
    assert set(resources) == {"https://site.invalid/img/logo.png",
                              "https://site.invalid/img/gone.jpg",
                              "https://site.invalid/img/team.png"}
    assert resources["https://site.invalid/img/logo.png"].status == 200
    assert resources["https://site.invalid/img/gone.jpg"].status == 404
    assert all(p.facts is None for p in resources.values())
    assert len(snapshot.html_pages) == 2  # images are never pages
    # the logo, shown on two pages, has the depth of the shallowest page showing it
    assert resources["https://site.invalid/img/logo.png"].depth == 1


def test_resources_are_bounded_most_used_first_then_by_url(tmp_path: Path) -> None:
    images = "".join(f'<img src="/i{n}.png">' for n in range(6))
    _write(tmp_path, {
        "index.html": html("Home", links=["/b.html"], body=images),
        "b.html": html("B", body='<img src="/i5.png"><img src="/i4.png">'),
    })
    snapshot = crawl_folder(tmp_path, CrawlOptions(probes=False, max_pages=3))
    fetched = [p.url.rsplit("/", 1)[1] for p in snapshot.pages if p.source == "resource"]
    # at most max_pages (3) images: the two used twice, then the first by URL
    assert sorted(fetched) == ["i0.png", "i4.png", "i5.png"]


class _CountingFetcher:
    """A fetcher that serves a fixed site and records what it was asked for."""

    def __init__(self, pages: dict[str, str], blocked: set[str] = frozenset()) -> None:
        self.pages = pages
        self.blocked = blocked
        self.calls: list[tuple[str, bool]] = []

    def fetch(self, url: str, *, want_body: bool) -> Response:
        self.calls.append((url, want_body))
        if url in self.pages:
            body = self.pages[url].encode() if want_body else b""
            return Response(url=url, status=200, content_type="text/html", body=body)
        if url.endswith("/html.png"):
            # a misconfigured server sending HTML for an image, body and all: never a page
            return Response(url=url, status=200, content_type="text/html",
                            body=b"<html><title>x</title></html>")
        if url.endswith(".png"):
            return Response(url=url, status=200, content_type="image/png")
        return Response(url=url, status=404)

    def allowed(self, url: str) -> bool:
        return url not in self.blocked


def _crawl(fetcher: _CountingFetcher, **kwargs: object) -> list[tuple[str, str, int]]:
    crawl = Crawl(fetcher, CrawlOptions(), in_scope=lambda u: u.startswith("https://a.example/"),
                  workers=3, **kwargs)  # type: ignore[arg-type]
    result = crawl.run([Seed("https://a.example/", "start")])
    return sorted((p.url, p.source, int(p.facts is not None)) for p in result.pages)


def test_engine_fetches_images_status_only_once_and_honours_robots() -> None:
    pages = {
        "https://a.example/": html("Home", links=["/big.png"],
                                   body='<img src="/a.png"><img src="/big.png">'
                                        '<img src="/private/b.png"><img src="/missing.gif">'
                                        '<img src="/html.png">'),
    }
    fetcher = _CountingFetcher(pages, blocked={"https://a.example/private/b.png"})
    got = _crawl(fetcher)
    assert ("https://a.example/a.png", "resource", 0) in got
    assert ("https://a.example/missing.gif", "resource", 0) in got
    assert ("https://a.example/html.png", "resource", 0) in got
    # linked as well as shown: fetched once, as a link target
    assert ("https://a.example/big.png", "link", 0) in got
    assert [u for u, _ in fetcher.calls].count("https://a.example/big.png") == 1
    assert "https://a.example/private/b.png" not in [u for u, _ in fetcher.calls]
    assert all(not want for u, want in fetcher.calls if u.endswith((".png", ".gif")))


def test_no_resources_when_disabled_and_deterministic_when_enabled() -> None:
    body = "".join(f'<img src="/p{n}.png">' for n in range(30))
    pages = {"https://a.example/": html("Home", body=body)}
    assert [p for p in _crawl(_CountingFetcher(pages), max_resources=0) if p[1] == "resource"] == []
    first = _crawl(_CountingFetcher(pages), max_resources=10)
    second = _crawl(_CountingFetcher(pages), max_resources=10)
    assert first == second
    assert len([p for p in first if p[1] == "resource"]) == 10


def test_url_mode_reports_broken_images_without_reading_them() -> None:
    routes = {
        "/": Route(body=html("Home", links=["/about"],
                             body='<img src="/ok.png"><img src="/broken.png">'
                                  '<img src="/error.png">')),
        "/about": Route(body=html("About", body='<img src="/ok.png">')),
        "/ok.png": Route(body=PNG, content_type="image/png"),
        "/error.png": Route(status=500, body="oops", content_type="text/plain"),
        "/robots.txt": Route(body="User-agent: *\nAllow: /\n", content_type="text/plain"),
    }
    with serve(routes) as server:
        snapshot = crawl_url(server.url("/"), options(probes=False))
        resources = {p.url.replace(server.origin, ""): p for p in snapshot.pages
                     if p.source == "resource"}
        assert {k: v.status for k, v in resources.items()} == {
            "/ok.png": 200, "/broken.png": 404, "/error.png": 500}
        assert server.paths().count("/ok.png") == 1
        assert len(snapshot.html_pages) == 2
