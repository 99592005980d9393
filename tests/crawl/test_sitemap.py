"""Sitemaps: urlset, index, gzip, text; hostile XML; bounds and loops; seeding the crawl."""

from __future__ import annotations

import gzip

from auditor.crawl.engine import Response
from auditor.crawl.http import crawl_url
from auditor.crawl.sitemap import MAX_SITEMAP_BYTES, collect_sitemaps, parse_sitemap
from auditor.crawl.urls import same_site
from tests.crawl.server import Route, html, options, serve

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def urlset(*locs: str) -> bytes:
    entries = "".join(f"<url><loc>{loc}</loc><lastmod>2024-01-01</lastmod></url>"
                      for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{entries}</urlset>'.encode()


def index(*locs: str) -> bytes:
    entries = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f'<?xml version="1.0"?><sitemapindex {NS}>{entries}</sitemapindex>'.encode()


def test_parse_urlset_and_index() -> None:
    urls, children = parse_sitemap(
        urlset("https://shop.example/a", " https://shop.example/b#x ", "/relative",
               "https://shop.example/a", "mailto:x@shop.example", "https://other.example/c"),
        "https://shop.example/sitemap.xml")
    assert urls == ["https://shop.example/a", "https://shop.example/b",
                    "https://shop.example/relative", "https://other.example/c"]
    assert children == []
    urls, children = parse_sitemap(index("https://shop.example/s1.xml", "/s2.xml.gz"),
                                   "https://shop.example/sitemap.xml")
    assert urls == [] and children == ["https://shop.example/s1.xml",
                                       "https://shop.example/s2.xml.gz"]


def test_parse_without_namespace_gzip_and_text() -> None:
    plain = b"<urlset><url><loc>https://shop.example/x</loc></url></urlset>"
    assert parse_sitemap(plain, "https://shop.example/")[0] == ["https://shop.example/x"]
    packed = gzip.compress(urlset("https://shop.example/gz"))
    assert parse_sitemap(packed, "https://shop.example/s.xml.gz")[0] == \
        ["https://shop.example/gz"]
    text = b"https://shop.example/t1\n\nhttps://shop.example/t2\r\nnot a url\n"
    assert parse_sitemap(text, "https://shop.example/sitemap.txt") == (
        ["https://shop.example/t1", "https://shop.example/t2"], [])


def test_hostile_xml_is_inert(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("https://shop.example/leaked")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://{secret}">]>'
           f'<urlset {NS}><url><loc>&x;</loc></url>'
           '<url><loc>https://shop.example/ok</loc></url></urlset>').encode()
    urls, _ = parse_sitemap(xxe, "https://shop.example/sitemap.xml")
    assert urls == ["https://shop.example/ok"]
    laughs = ('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                        for i in range(8))
              + f']><urlset {NS}><url><loc>https://shop.example/&i;</loc></url></urlset>')
    urls, _ = parse_sitemap(laughs.encode(), "https://shop.example/sitemap.xml")
    assert all(len(u) < 200 for u in urls)


def test_garbage_and_gzip_bomb_bounded() -> None:
    assert parse_sitemap(b"<<<not xml", "https://shop.example/") == ([], [])
    assert parse_sitemap(b"", "https://shop.example/") == ([], [])
    bomb = gzip.compress(b"<urlset>" + b" " * (MAX_SITEMAP_BYTES * 3), 9)
    assert len(bomb) < 1_000_000
    assert parse_sitemap(bomb, "https://shop.example/s.xml.gz") == ([], [])


def fake_get(files: dict[str, bytes], log: list[str]):
    def get(url: str) -> Response:
        log.append(url)
        body = files.get(url)
        if body is None:
            return Response(url=url, status=404)
        return Response(url=url, status=200, body=body, content_type="application/xml")

    return get


def test_collect_breaks_index_loops_and_keeps_same_site() -> None:
    base = "https://shop.example"
    files = {
        f"{base}/sitemap.xml": index(f"{base}/a.xml", f"{base}/b.xml",
                                     "https://evil.example/c.xml"),
        f"{base}/a.xml": index(f"{base}/sitemap.xml", f"{base}/b.xml"),  # loops back
        f"{base}/b.xml": urlset(f"{base}/p1", "https://www.shop.example/p2",
                                "https://evil.example/p3"),
    }
    log: list[str] = []
    found = collect_sitemaps(fake_get(files, log), [f"{base}/sitemap.xml"],
                             lambda u: same_site(u, base), max_urls=100)
    assert found.urls == (f"{base}/p1", "https://www.shop.example/p2")
    assert log == [f"{base}/sitemap.xml", f"{base}/a.xml", f"{base}/b.xml"]
    assert not found.limit_hit


def test_collect_bounds_files_and_urls() -> None:
    base = "https://shop.example"
    files = {f"{base}/s{i}.xml": index(f"{base}/s{i + 1}.xml") for i in range(50)}
    log: list[str] = []
    found = collect_sitemaps(fake_get(files, log), [f"{base}/s0.xml"], lambda u: True,
                             max_urls=10, max_files=4)
    assert len(log) == 4 and found.limit_hit
    many = {f"{base}/big.xml": urlset(*[f"{base}/p{i}" for i in range(100)])}
    found = collect_sitemaps(fake_get(many, []), [f"{base}/big.xml"], lambda u: True,
                             max_urls=25)
    assert len(found.urls) == 25 and found.limit_hit


def test_crawl_seeds_from_sitemaps_incl_gzip_index() -> None:
    with serve() as server:
        u = server.url
        server.routes.update({
            "/robots.txt": Route(body=f"User-agent: *\nSitemap: {u('/index.xml.gz')}\n",
                                 content_type="text/plain"),
            "/index.xml.gz": Route(raw_body=gzip.compress(index(u("/pages.xml"),
                                                                u("/index.xml.gz"))),
                                   content_type="application/gzip"),
            "/pages.xml": Route(body=urlset(u("/hidden"), u("/also-hidden"),
                                            "https://other.example/x"),
                                content_type="application/xml", gzip=True),
            "/sitemap.xml": Route(body=urlset(u("/from-default")),
                                  content_type="application/xml"),
            "/": Route(body=html("Home")),
            "/hidden": Route(body=html("Hidden")),
            "/also-hidden": Route(body=html("Also hidden")),
            "/from-default": Route(body=html("Default sitemap")),
        })
        snapshot = crawl_url(u("/"), options(probes=False))
        sources = {p.url: (p.source, p.status, p.depth) for p in snapshot.pages}
        assert sources == {
            u("/"): ("start", 200, 0),
            u("/hidden"): ("sitemap", 200, 1),
            u("/also-hidden"): ("sitemap", 200, 1),
            u("/from-default"): ("sitemap", 200, 1),
        }
        assert snapshot.robots.sitemaps == (u("/index.xml.gz"),)
        assert server.paths().count("/index.xml.gz") == 1  # the self-listing index: once
