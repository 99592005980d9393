"""URL normalisation and site scope: one spelling per page, www and apex one site."""

from __future__ import annotations

import pytest

from auditor.crawl.urls import (
    absolute_url,
    is_ip,
    normalize_url,
    origin,
    same_site,
    site_key,
    url_path,
    with_path,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("HTTP://Shop.Example:80/a/../privacy#top", "http://shop.example/privacy"),
    ("https://shop.example:443", "https://shop.example/"),
    ("https://shop.example:8443/x", "https://shop.example:8443/x"),
    ("http://shop.example/a/./b/../c/", "http://shop.example/a/c/"),
    ("https://shop.example?b=1&a=2", "https://shop.example/?b=1&a=2"),  # query order kept
    ("https://shop.example/a%7eb%2fc", "https://shop.example/a~b%2Fc"),
    ("https://shop.example/%e2%82%ac", "https://shop.example/%E2%82%AC"),
    ("https://shop.example/a b", "https://shop.example/a%20b"),
    ("https://bücher.example/über", "https://xn--bcher-kva.example/%C3%BCber"),
    ("http://[2001:DB8::1]/", "http://[2001:db8::1]/"),
    ("http://[::1]:8080/a", "http://[::1]:8080/a"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000/"),
    ("  https://shop.example/x  ", "https://shop.example/x"),
])
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected
    assert normalize_url(expected) == expected  # idempotent


@pytest.mark.parametrize("bad", [
    "ftp://shop.example/", "javascript:alert(1)", "mailto:a@shop.example", "https:///nohost",
    "https://exa mple.com/", "http://shop.example:99999/", "", "not a url", "data:text/html,x",
])
def test_normalize_url_rejects(bad: str) -> None:
    assert normalize_url(bad) == ""


@pytest.mark.parametrize(("a", "b", "same"), [
    ("https://www.shop.example/a", "https://shop.example/", True),  # www and apex
    ("https://blog.shop.example/", "https://shop.example/", True),
    ("http://shop.example/", "https://shop.example/", True),  # http and https
    ("https://shop.co.uk/", "https://www.shop.co.uk/x", True),
    ("https://a.co.uk/", "https://b.co.uk/", False),  # public suffix: two sites
    ("https://a.myshopify.com/", "https://b.myshopify.com/", False),  # private suffix too
    ("https://shop.example/", "https://shop.example.evil.example/", False),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8001/", False),  # IPs: port counts
    ("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b", True),
    ("http://localhost:8000/", "http://localhost:8000/x", True),
    ("http://localhost:8000/", "http://localhost:9000/x", False),
    ("http://[::1]:8000/", "http://[::1]:8000/a", True),
    ("http://[::1]:8000/", "http://[::1:8000]/", False),
    ("https://bücher.example/", "https://www.xn--bcher-kva.example/", True),  # IDN
    ("mailto:a@shop.example", "https://shop.example/", False),
    ("", "https://shop.example/", False),
])
def test_same_site(a: str, b: str, same: bool) -> None:
    assert same_site(a, b) is same
    assert same_site(b, a) is same


def test_site_key() -> None:
    assert site_key("https://www.shop.example:8443/a") == "shop.example"
    assert site_key("https://shop.co.uk/") == "shop.co.uk"
    assert site_key("https://a.myshopify.com/") == "a.myshopify.com"
    assert site_key("http://127.0.0.1:8000/") == "127.0.0.1:8000"
    assert site_key("http://127.0.0.1/") == "127.0.0.1"
    assert site_key("http://[::1]:8000/") == "[::1]:8000"
    assert site_key("http://localhost/") == "localhost"


def test_helpers() -> None:
    assert with_path("https://www.shop.example/a/b?x=1", "/robots.txt") == \
        "https://www.shop.example/robots.txt"
    assert origin("https://Shop.Example:443/a?b") == "https://shop.example/"
    assert absolute_url("https://s.example/a/b", "../c") == "https://s.example/c"
    assert absolute_url("https://s.example/", "mailto:x@y.example") == ""
    assert url_path("https://s.example/%C3%BCber-uns") == "/über-uns"
    assert is_ip("[::1]") and is_ip("10.0.0.5") and not is_ip("shop.example")
