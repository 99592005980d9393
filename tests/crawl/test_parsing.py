"""Parsing in worker processes gives the same facts as parsing in the crawl's threads."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.crawl.folder import crawl_folder
from auditor.crawl.options import CrawlOptions
from auditor.crawl.parsing import Interner, PageParser, default_processes
from auditor.extract import extract_facts

FOOTER = ('<footer><a href="/privacy">Privacy policy</a> <a href="/terms">Terms</a>'
          '<p>© 2024 Acme GmbH, Hauptstraße 1, 10115 Berlin</p></footer>')


def page(n: int) -> bytes:
    return (f'<!doctype html><html lang="en"><head><title>Page {n}</title></head><body>'
            f'<header class="site-header"><a href="/">Acme</a></header>'
            f'<main><h1>Page {n}</h1><p>Text of page {n} with <a href="/p{n + 1}.html">the next '
            f'page</a>.</p><img src="/logo.png" alt="Acme logo"></main>{FOOTER}'
            '</body></html>').encode()


def test_worker_facts_equal_facts_parsed_here() -> None:
    bodies = [page(n) for n in range(5)]
    with PageParser(processes=1, warmup=0) as parse:
        remote = [parse(body, f"https://acme.example/p{n}.html") for n, body in enumerate(bodies)]
        assert parse._workers, "the pages were parsed in a worker process"
    local = [extract_facts(body, f"https://acme.example/p{n}.html")
             for n, body in enumerate(bodies)]
    assert remote == local


def test_an_error_in_a_worker_is_raised_to_the_caller() -> None:
    with PageParser(processes=1, warmup=0) as parse:
        with pytest.raises(AttributeError):
            parse(None, "https://acme.example/")  # type: ignore[arg-type]
        # The worker survives the error and parses the next page.
        assert parse(page(1), "https://acme.example/p1.html").title == "Page 1"


def test_a_dead_worker_is_replaced_by_parsing_here() -> None:
    with PageParser(processes=1, warmup=0) as parse:
        parse(page(0), "https://acme.example/p0.html")
        worker = parse._workers[0]
        worker.process.kill()
        worker.process.wait()
        facts = parse(page(1), "https://acme.example/p1.html")
        assert facts == extract_facts(page(1), "https://acme.example/p1.html")
        assert parse(page(2), "https://acme.example/p2.html").title == "Page 2"


def test_close_ends_the_workers() -> None:
    parse = PageParser(processes=2, warmup=0)
    parse(page(0), "https://acme.example/p0.html")
    processes = [w.process for w in parse._workers]
    assert len(processes) == 2
    parse.close()
    assert all(p.poll() is not None for p in processes)
    # Closed: pages are still parsed, here.
    assert parse(page(3), "https://acme.example/p3.html").title == "Page 3"


def test_first_pages_are_parsed_here() -> None:
    with PageParser(processes=2, warmup=3) as parse:
        for n in range(3):
            parse(page(n), f"https://acme.example/p{n}.html")
        assert not parse._workers
        parse(page(3), "https://acme.example/p3.html")
        assert len(parse._workers) == 2


def test_no_workers_means_parsing_here() -> None:
    with PageParser(processes=0, warmup=0) as parse:
        assert parse(page(0), "https://acme.example/p0.html").title == "Page 0"
        assert not parse._workers


def test_default_processes_is_a_small_number() -> None:
    assert 0 <= default_processes() <= 2


def test_interner_shares_equal_records_between_pages() -> None:
    interner = Interner()
    a = interner.facts(extract_facts(page(1), "https://acme.example/p1.html"))
    b = interner.facts(extract_facts(page(2), "https://acme.example/p2.html"))
    footer_a = [link for link in a.links if link.region == "footer"]
    footer_b = [link for link in b.links if link.region == "footer"]
    assert footer_a and all(x is y for x, y in zip(footer_a, footer_b, strict=True))
    assert a.markers is b.markers
    assert a.images == b.images
    assert a.images[0] is b.images[0]
    # Different content stays different.
    assert a.title != b.title and a.blocks != b.blocks


def test_folder_crawl_is_the_same_with_and_without_workers(tmp_path: Path) -> None:
    for n in range(60):  # past PageParser's warm-up, so most pages go to the workers
        (tmp_path / f"p{n}.html").write_bytes(page(n))
    (tmp_path / "index.html").write_bytes(
        page(-1) + b"".join(f'<a href="/p{n}.html">{n}</a>'.encode() for n in range(60)))
    here = crawl_folder(tmp_path, CrawlOptions(max_pages=100, site_url="https://acme.example/",
                                               parse_processes=0))
    workers = crawl_folder(tmp_path, CrawlOptions(
        max_pages=100, site_url="https://acme.example/", parse_processes=2))
    assert len(here.html_pages) == 61
    assert workers.pages == here.pages
