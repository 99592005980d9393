"""Property-based tests (hypothesis): URL normalisation, scope and crawl-trap decisions, folder
paths, and extraction on generated HTML. No exception escapes, results are deterministic, and
the invariants the crawler relies on hold for any input, not just the examples we thought of."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from auditor import extract
from auditor.crawl.folder import FolderFetcher
from auditor.crawl.traps import (
    MAX_PATH_SEGMENTS,
    SESSION_PARAMS,
    TrapGuard,
    dedup_key,
    seen_digest,
    shape_trap,
    strip_session,
)
from auditor.crawl.urls import absolute_url, normalize_url, same_site, site_key
from auditor.extract import decode_html, extract_facts

PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# ------------------------------------------------------------------------------ strategies

_label = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12).filter(
    lambda s: not s.startswith("-") and not s.endswith("-"))
_hosts = st.one_of(
    st.lists(_label, min_size=2, max_size=4).map(".".join),
    st.sampled_from(["localhost", "127.0.0.1", "[::1]", "shop.example", "www.shop.example",
                     "a.myshopify.com", "xn--bcher-kva.example", "BÜCHER.example"]),
)
_segment = st.text(st.characters(codec="utf-8", exclude_characters="/?#"), max_size=8)
_paths = st.lists(st.one_of(_segment, st.sampled_from(["..", ".", "%2e%2e", "a", "A", ""])),
                  max_size=8).map(lambda parts: "/" + "/".join(parts))
_param_names = st.one_of(st.sampled_from(["a", "b", "page", "q", "id", "PHPSESSID", "sid",
                                          "utm_source", "utm_campaign", "jsessionid", "gclid"]),
                         st.text("abcxyz_", min_size=1, max_size=5))
_params = st.lists(st.tuples(_param_names, st.text("0123456789abcXYZ%", max_size=5)),
                   max_size=5, unique_by=lambda p: p[0].lower())


@st.composite
def http_urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "Https"]))
    host = draw(_hosts)
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = draw(_paths)
    query = "&".join(f"{k}={v}" for k, v in draw(_params))
    fragment = draw(st.sampled_from(["", "#top", "#a?b"]))
    return f"{scheme}://{host}{port}{path}" + (f"?{query}" if query else "") + fragment


_any_text = st.text(max_size=200)

# ------------------------------------------------------------------------------ URLs


@PROPERTY
@given(st.one_of(_any_text, http_urls()))
def test_normalize_never_raises_and_gives_http_or_nothing(url: str) -> None:
    result = normalize_url(url)
    assert result == "" or result.startswith(("http://", "https://"))
    assert "#" not in result and not any(c.isspace() for c in result)


@PROPERTY
@given(http_urls())
def test_normalize_is_idempotent(url: str) -> None:
    once = normalize_url(url)
    assert normalize_url(once) == once


@PROPERTY
@given(http_urls())
def test_normalized_host_and_scheme_are_lower_case_and_default_ports_dropped(url: str) -> None:
    result = normalize_url(url)
    assume(result)
    parts = urlsplit(result)
    assert parts.scheme in ("http", "https")
    assert parts.netloc == parts.netloc.lower()
    assert not parts.netloc.endswith((":80", ":443")) or (
        parts.scheme == "http" and parts.netloc.endswith(":443")) or (
        parts.scheme == "https" and parts.netloc.endswith(":80"))
    bare = url.split("#", 1)[0].strip()
    assert normalize_url(bare + "#elsewhere") == normalize_url(bare)  # fragments never matter


@PROPERTY
@given(http_urls(), st.one_of(_any_text, _paths, http_urls()))
def test_absolute_url_never_raises(base: str, href: str) -> None:
    result = absolute_url(base, href)
    assert result == "" or result == normalize_url(result)


@PROPERTY
@given(http_urls(), http_urls())
def test_same_site_is_symmetric_and_reflexive(a: str, b: str) -> None:
    assert same_site(a, b) == same_site(b, a)
    if site_key(a):
        assert same_site(a, a)


@PROPERTY
@given(_hosts.filter(lambda h: "." in h and not h.startswith("[")
                    and not h.rsplit(".", 1)[-1].isdigit()), _paths)
def test_www_and_apex_are_one_site(host: str, path: str) -> None:
    host = host.lower().removeprefix("www.")
    assume(normalize_url(f"https://{host}/"))
    assert same_site(f"https://www.{host}{path}", f"http://{host}/")


# ------------------------------------------------------------------------------ crawl traps


@PROPERTY
@given(http_urls(), st.randoms(use_true_random=False))
def test_dedup_key_ignores_parameter_order_case_and_session_ids(url: str, rng: object) -> None:
    url = normalize_url(url)
    assume(url)
    parts = urlsplit(url)
    params = [p for p in parts.query.split("&") if p]
    shuffled = list(params)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    shuffled.append("PHPSESSID=deadbeef")
    shuffled.append("utm_source=newsletter")
    variant = parts._replace(path=parts.path.upper(), query="&".join(shuffled)).geturl()
    assert dedup_key(variant) == dedup_key(url)
    assert seen_digest(variant) == seen_digest(url)
    assert dedup_key(dedup_key(url)) == dedup_key(url)


@PROPERTY
@given(http_urls())
def test_strip_session_drops_only_session_parameters_and_keeps_order(url: str) -> None:
    url = normalize_url(url)
    assume(url)
    stripped = strip_session(url)
    kept = [p.split("=", 1)[0] for p in urlsplit(stripped).query.split("&") if p]
    assert not any(name.lower() in SESSION_PARAMS or name.lower().startswith("utm_")
                   for name in kept)
    original = [p.split("=", 1)[0] for p in urlsplit(url).query.split("&") if p]
    assert kept == [n for n in original if n in kept]  # order kept
    assert strip_session(stripped) == stripped


@PROPERTY
@given(st.lists(_label, min_size=MAX_PATH_SEGMENTS + 1, max_size=MAX_PATH_SEGMENTS + 10))
def test_paths_past_the_depth_limit_are_traps(segments: list[str]) -> None:
    trap = shape_trap("https://shop.example/" + "/".join(segments))
    assert trap is not None and trap[0] in ("path-depth", "path-repetition", "url-length")


@PROPERTY
@given(st.lists(st.integers(0, 500), max_size=300), st.integers(1, 60))
def test_query_variants_never_exceed_the_cap(values: list[int], cap: int) -> None:
    guard = TrapGuard(max_query_variants=cap)
    admitted = {v for v in values if guard.admit_variant(f"https://shop.example/cal?m={v}")}
    assert len(admitted) == min(cap, len(set(values)))
    assert guard.admit_variant("https://shop.example/other")  # other paths are not affected


# ------------------------------------------------------------------------------ folder scope

_FOLDER = Path(tempfile.mkdtemp(prefix="trustaudit-props-"))
(_FOLDER / "site" / "docs").mkdir(parents=True)
(_FOLDER / "site" / "index.html").write_text("<title>i</title>", "utf-8")
(_FOLDER / "site" / "docs" / "index.html").write_text("<title>d</title>", "utf-8")
(_FOLDER / "secret.html").write_text("<title>secret</title>", "utf-8")
_FETCHER = FolderFetcher(_FOLDER / "site", "https://shop.example/", 1024)


@PROPERTY
@given(st.lists(st.one_of(_segment, st.sampled_from(
    ["..", "%2e%2e", "%2E%2e", "..%2f..", "secret.html", "docs", "%00", "%ff", "~", "//"])),
    max_size=8))
def test_folder_never_locates_a_file_outside_the_folder(segments: list[str]) -> None:
    url = "https://shop.example/" + "/".join(segments)
    path, final, error = _FETCHER.locate(normalize_url(url) or url)
    if path is not None:
        real = os.path.realpath(path)
        assert real.startswith(str(_FETCHER.root) + os.sep), (url, path)
        assert not error
    assert isinstance(final, str)


# ------------------------------------------------------------------------------ extraction

_tags = st.sampled_from(["div", "p", "a", "span", "header", "footer", "nav", "main", "h1", "h2",
                         "title", "script", "style", "template", "form", "input", "label",
                         "button", "img", "br", "table", "td", "svg", "iframe", "meta", "link",
                         "base", "textarea", "noscript", "li", "ul", "b", "i"])
_attr_names = st.sampled_from(["href", "src", "alt", "class", "id", "rel", "itemscope",
                               "itemprop", "itemtype", "content", "name", "type", "hidden",
                               "style", "role", "aria-label", "data-x", "onclick", "charset"])
_attr_values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["javascript:alert(1)", "/privacy", "https://other.example/x",
                     "application/ld+json", "display:none", "footer", "#top", "mailto:a@b.c",
                     "http://[::1", "data:text/html,<script>", "privacy-policy"]),
)


@st.composite
def html_soup(draw: st.DrawFn) -> str:
    """Tag soup: nested, unclosed and stray tags, attributes, text and entities."""
    out: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 5))
        if kind <= 1:
            tag = draw(_tags)
            attrs = draw(st.lists(st.tuples(_attr_names, _attr_values), max_size=3))
            rendered = "".join(f' {n}="{v.replace(chr(34), "&quot;")}"' for n, v in attrs)
            out.append(f"<{tag}{rendered}>")
        elif kind == 2:
            out.append(f"</{draw(_tags)}>")
        elif kind == 3:
            out.append(draw(st.text(max_size=40)))
        elif kind == 4:
            out.append(draw(st.sampled_from(["&amp;", "&lt;", "&#0;", "&#x110000;", "<!--",
                                             "-->", "<![CDATA[", "]]>", "<?php", "\x00",
                                             '{"@type": "Organization"}'])))
        else:
            out.append(draw(st.sampled_from(["<" * 3, ">", "</", "<a href=", "'", '"'])))
    return "".join(out)


@PROPERTY
@given(html_soup())
def test_extraction_never_raises_and_is_deterministic(html: str) -> None:
    first = extract_facts(html, "https://shop.example/dir/page")
    second = extract_facts(html, "https://shop.example/dir/page")
    assert first == second
    assert len(first.links) <= extract.MAX_LINKS
    for link in first.links:
        assert link.url == "" or link.url.startswith(("http://", "https://"))
        assert len(link.href) <= extract.ATTR_CLIP and len(link.text) <= extract.TEXT_CLIP
    assert all(len(block.text) <= extract.MAX_BLOCK_CHARS for block in first.blocks)


@PROPERTY
@given(st.binary(max_size=2000), st.sampled_from(["", "utf-8", "shift_jis", "utf-16",
                                                   "windows-1252", "x-bogus", "latin-1"]))
def test_any_bytes_decode_and_extract(body: bytes, encoding: str) -> None:
    assert isinstance(decode_html(body, encoding), str)
    facts = extract_facts(body, "https://shop.example/", encoding=encoding)
    assert facts == extract_facts(body, "https://shop.example/", encoding=encoding)
