"""Folder mode: URL↔file mapping, --site-url, scope, limits, and never reading outside the
folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditor.crawl.folder import FolderFetcher, crawl_folder, find_entry
from auditor.crawl.options import CrawlOptions
from auditor.errors import TargetError

PAGE = '<html><head><title>{title}</title></head><body>{body}</body></html>'


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def page(title: str, *links: str) -> str:
    return PAGE.format(title=title, body=" ".join(f'<a href="{h}">{h}</a>' for h in links))


def urls(snapshot) -> dict[str, tuple[int, str | None]]:
    return {p.url: (p.status, p.facts.title if p.facts else None) for p in snapshot.pages}


def test_site_url_maps_absolute_links_and_pretty_urls(tmp_path: Path) -> None:
    write(tmp_path, {
        "index.html": page("Home", "https://www.shop.example/about", "/blog/", "contact.html",
                            "https://other.example/x", "/missing.html"),
        "about.html": page("About"),
        "blog/index.html": page("Blog", "../index.html"),
        "contact.html": page("Contact"),
    })
    snap = crawl_folder(tmp_path, CrawlOptions(site_url="https://shop.example", probes=False))
    got = urls(snap)
    assert snap.mode == "folder" and snap.start_url == "https://shop.example/"
    assert got["https://shop.example/"] == (200, "Home")
    assert got["https://www.shop.example/about"] == (200, "About")  # www and apex are one site
    assert got["https://shop.example/blog/"] == (200, "Blog")
    assert got["https://shop.example/contact.html"] == (200, "Contact")
    assert got["https://shop.example/missing.html"] == (404, None)
    assert "https://other.example/x" not in got and snap.out_of_scope == 1
    # /index.html is the same file as /: recorded, audited once.
    assert got["https://shop.example/index.html"] == (200, None)
    assert [p.url for p in snap.pages] == sorted(p.url for p in snap.pages)


def test_without_site_url_pages_use_the_placeholder_origin(tmp_path: Path) -> None:
    write(tmp_path, {"index.html": page("Home", "/a.html"), "a.html": page("A")})
    snap = crawl_folder(tmp_path, CrawlOptions())
    assert {p.url for p in snap.pages} == {"https://site.invalid/", "https://site.invalid/a.html"}


def test_site_url_with_a_path_prefix(tmp_path: Path) -> None:
    write(tmp_path, {"index.html": page("Home", "/docs/a.html", "/elsewhere.html"),
                     "a.html": page("A")})
    snap = crawl_folder(tmp_path, CrawlOptions(site_url="https://x.example/docs/"))
    got = urls(snap)
    assert got["https://x.example/docs/a.html"] == (200, "A")
    assert "https://x.example/elsewhere.html" not in got


def test_probes_find_unlinked_policy_pages(tmp_path: Path) -> None:
    write(tmp_path, {"index.html": page("Home"), "impressum.html": page("Impressum"),
                     "policies/refund-policy/index.html": page("Refunds")})
    snap = crawl_folder(tmp_path, CrawlOptions(site_url="https://x.example"))
    got = urls(snap)
    assert got["https://x.example/impressum.html"] == (200, "Impressum")
    assert got["https://x.example/policies/refund-policy/"] == (200, "Refunds")
    assert all(p.status == 200 for p in snap.pages)  # absent probes leave no trace


def test_never_reads_outside_the_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text(page("SECRET"))
    site = write(tmp_path / "site", {"index.html": page(
        "Home", "/../secret.html", "/%2e%2e/secret.html", "/link.html", "/dir/x.html")})
    os.symlink(secret, site / "link.html")
    os.symlink(tmp_path, site / "dir")
    snap = crawl_folder(site, CrawlOptions(site_url="https://x.example"))
    titles = {p.facts.title for p in snap.pages if p.facts}
    assert titles == {"Home"}
    refused = [p for p in snap.pages if p.error.startswith("outside the folder")]
    assert {p.url for p in refused} == {"https://x.example/link.html",
                                        "https://x.example/dir/x.html"}


def test_limits_and_non_html(tmp_path: Path) -> None:
    links = [f"/p{i}.html" for i in range(20)] + ["/doc.pdf", "/img.png"]
    write(tmp_path, {"index.html": page("Home", *links), "doc.pdf": "%PDF-1.4",
                     **{f"p{i}.html": page(f"P{i}", f"/deep{i}.html") for i in range(20)},
                     **{f"deep{i}.html": page(f"D{i}") for i in range(20)}})
    snap = crawl_folder(tmp_path, CrawlOptions(max_pages=5, probes=False))
    assert len(snap.html_pages) == 5 and "max-pages" in snap.limits_hit
    snap = crawl_folder(tmp_path, CrawlOptions(max_depth=1, probes=False))
    assert not any(p.url.endswith("deep0.html") for p in snap.pages)
    assert "max-depth" in snap.limits_hit
    got = urls(crawl_folder(tmp_path, CrawlOptions(probes=False)))
    assert got["https://site.invalid/doc.pdf"] == (200, None)
    assert got["https://site.invalid/img.png"] == (404, None)


def test_same_result_twice_and_under_a_page_limit(tmp_path: Path) -> None:
    files = {"index.html": page("Home", *[f"/p{i}.html" for i in range(30)])}
    files |= {f"p{i}.html": page(f"P{i}", *[f"/p{j}.html" for j in range(i, 30)])
              for i in range(30)}
    write(tmp_path, files)
    for limit in (300, 7):
        first = crawl_folder(tmp_path, CrawlOptions(max_pages=limit))
        second = crawl_folder(tmp_path, CrawlOptions(max_pages=limit))
        assert first == second


def test_entry_without_index_html(tmp_path: Path) -> None:
    write(tmp_path, {"b/deep.html": page("Deep"), "start.html": page("Start")})
    assert find_entry(tmp_path) == "start.html"
    snap = crawl_folder(tmp_path, CrawlOptions())
    assert snap.start_url == "https://site.invalid/start.html"


@pytest.mark.parametrize("files", [{}, {"notes.txt": "hello", "img/logo.png": "x"}])
def test_folder_without_html_is_a_target_error(tmp_path: Path, files: dict[str, str]) -> None:
    write(tmp_path, files)
    with pytest.raises(TargetError, match="no HTML"):
        crawl_folder(tmp_path, CrawlOptions())


def test_missing_folder_is_a_target_error(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="folder not found"):
        crawl_folder(tmp_path / "nope", CrawlOptions())


def test_body_cap_truncates_huge_files(tmp_path: Path) -> None:
    write(tmp_path, {"index.html": page("Home", "/big.html")})
    with open(tmp_path / "big.html", "wb") as handle:
        handle.write(b"<html><body><p>" + b"x" * (3 * 1024 * 1024))
    fetcher = FolderFetcher(tmp_path, "", max_body_bytes=1024 * 1024)
    response = fetcher.fetch("https://site.invalid/big.html", want_body=True)
    assert response.truncated and len(response.body) == 1024 * 1024
