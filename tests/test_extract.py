"""PageFacts extraction: regions, visible text, links, structured data, forms, encodings, bounds."""

from __future__ import annotations

import time

import pytest

from auditor import extract
from auditor.extract import decode_html, extract_facts

URL = "https://shop.example/a/page.html"


def facts(html: str | bytes, url: str = URL, **kw):
    return extract_facts(html, url, **kw)


def test_links_are_absolute_with_text_region_and_attributes() -> None:
    f = facts("""<html><body>
      <header><nav><a href="/about">About <b>us</b></a></nav></header>
      <main><a href="../x.html" title="More" aria-label="Read more">›</a></main>
      <footer><a href="/privacy" rel="privacy-policy nofollow"><img src="/i.svg" alt="Privacy"></a>
      <a href="mailto:hi@shop.example">Mail</a><a href="javascript:void(0)">JS</a></footer>
    </body></html>""")
    links = {link.href: link for link in f.links}
    assert links["/about"].url == "https://shop.example/about"
    assert links["/about"].text == "About us" and links["/about"].region == "nav"
    assert links["../x.html"].url == "https://shop.example/x.html"
    assert links["../x.html"].aria_label == "Read more" and links["../x.html"].title == "More"
    assert links["/privacy"].rel == ("nofollow", "privacy-policy")
    assert links["/privacy"].img_alt == "Privacy" and links["/privacy"].region == "footer"
    assert links["mailto:hi@shop.example"].url == ""
    assert links["javascript:void(0)"].url == ""


def test_base_href_changes_resolution() -> None:
    f = facts('<head><base href="https://cdn.shop.example/de/"></head><a href="impressum">I</a>')
    assert f.links[0].url == "https://cdn.shop.example/de/impressum"


@pytest.mark.parametrize(("html", "region"), [
    ('<footer><p>x</p></footer>', "footer"),
    ('<div id="site-footer"><p>x</p></div>', "footer"),
    ('<div class="wrapper footer-widgets"><p>x</p></div>', "footer"),
    ('<div role="contentinfo"><p>x</p></div>', "footer"),
    ('<footer><nav><p>x</p></nav></footer>', "footer"),
    ('<header><nav><p>x</p></nav></header>', "nav"),
    ('<div class="site-header"><p>x</p></div>', "header"),
    ('<main><article><footer><p>x</p></footer></article></main>', "main"),
    ('<main><div class="card-footer"><p>x</p></div></main>', "main"),
    ('<aside><p>x</p></aside>', "aside"),
    ('<div><p>x</p></div>', "body"),
])
def test_regions(html: str, region: str) -> None:
    f = facts(f"<html><body>{html}</body></html>")
    assert [b.region for b in f.blocks if b.text == "x"] == [region]


def test_visible_text_blocks_skip_hidden_scripts_templates_and_controls() -> None:
    f = facts("""<body><p>Lindenstraße 12<br>10969 Berlin</p>
      <div hidden>hidden one</div><div style="display: none">hidden two</div>
      <template><p>template text</p></template><script>var x = "script text"</script>
      <noscript>noscript text</noscript><textarea>typed text</textarea>
      <select><option>Germany</option></select>
      <p>Visible <span>inline</span> text</p></body>""")
    texts = [b.text for b in f.blocks]
    assert "Lindenstraße 12\n10969 Berlin" in texts
    assert "Visible inline text" in texts
    joined = " ".join(texts)
    for hidden in ("hidden one", "hidden two", "template text", "script text", "noscript text",
                   "typed text", "Germany"):
        assert hidden not in joined
    assert f.word_count == sum(len(t.split()) for t in texts)


def test_title_lang_headings_meta_canonical_hreflang() -> None:
    f = facts("""<html lang="de-DE"><head><title> Tee &amp; mehr </title>
      <meta name="description" content="Loser Tee"><meta property="og:title" content="OG">
      <meta name="robots" content="NOINDEX"><link rel="canonical" href="/start">
      <link rel="alternate" hreflang="en" href="https://shop.example/en/"></head>
      <body><svg><title>icon</title></svg><h1>Willkommen <small>bei uns</small></h1>
      <footer><h2>Service</h2></footer></body></html>""")
    assert f.title == "Tee & mehr" and f.lang == "de-de"
    assert ("description", "Loser Tee") in f.meta and ("og:title", "OG") in f.meta
    assert f.robots == "noindex"
    assert f.canonical == "https://shop.example/start"
    assert f.hreflang == (("en", "https://shop.example/en/"),)
    assert [(h.level, h.text, h.region) for h in f.headings] == [
        (1, "Willkommen bei uns", "body"), (2, "Service", "footer")]


def test_jsonld_graph_flattened_and_errors_counted() -> None:
    f = facts("""<script type="application/ld+json">
      {"@context": "https://schema.org", "@graph": [{"@type": "Organization", "name": "A"},
       {"@type": "WebSite", "url": "https://shop.example/"}]}</script>
      <script type="application/ld+json">[{"@type": "Product", "name": "Tea"}]</script>
      <script type="application/ld+json">{not json</script>""")
    assert [item["@type"] for item in f.jsonld] == ["Organization", "WebSite", "Product"]
    assert f.jsonld_errors == 1


def test_microdata_nested_items() -> None:
    f = facts("""<div itemscope itemtype="https://schema.org/Product">
      <span itemprop="name">Green tea</span>
      <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
        <meta itemprop="price" content="9.90"><link itemprop="availability"
        href="https://schema.org/InStock"></div>
      <div itemprop="aggregateRating" itemscope itemtype="https://schema.org/AggregateRating">
        <span itemprop="ratingValue">4.5</span></div></div>""")
    (item,) = f.microdata
    assert item["@type"] == "Product" and item["name"] == "Green tea"
    assert item["offers"] == {"@type": "Offer", "price": "9.90",
                              "availability": "https://schema.org/InStock"}
    assert item["aggregateRating"]["ratingValue"] == "4.5"


def test_scripts_iframes_images_and_markers() -> None:
    f = facts("""<head><script src="//widget.trustpilot.com/tp.js" async
      integrity="sha384-x" data-cbid="abc"></script>
      <script>window.Cookiebot = {}; gtag('consent', 'default', {});</script></head>
      <body><div id="onetrust-banner-sdk" class="ot-sdk-container big" data-bv-show="x"></div>
      <iframe src="https://www.youtube.com/embed/1"></iframe>
      <img src="data:image/gif;base64,xx" data-src="/lazy.png" alt="Lazy">
      <img src="/seal.png" alt="Seal" title="Verified"></body>""")
    ext, inline = f.scripts
    assert ext.src == "https://widget.trustpilot.com/tp.js"
    assert ("integrity", "sha384-x") in ext.attrs and ("data-cbid", "abc") in ext.attrs
    assert "Cookiebot" in inline.inline and inline.src == ""
    assert f.iframes == ("https://www.youtube.com/embed/1",)
    assert [(i.src, i.alt) for i in f.images] == [("https://shop.example/lazy.png", "Lazy"),
                                                  ("https://shop.example/seal.png", "Seal")]
    assert {"#onetrust-banner-sdk", ".ot-sdk-container", ".big", "[data-bv-show]"} <= set(f.markers)
    assert list(f.markers) == sorted(f.markers)


def test_forms_fields_labels_and_loose_buttons() -> None:
    f = facts("""<form action="/subscribe" method="POST">
      <label for="e">E-mail</label><input id="e" type="email" name="email" required
        placeholder="Max Mustermann">
      <label><input type="checkbox" name="news" checked> Send me offers</label>
      <button>Subscribe</button></form>
      <div class="cookie-banner"><button class="accept">Accept all</button></div>""")
    form, loose = f.forms
    assert form.action == "https://shop.example/subscribe" and form.method == "post"
    email, news, button = form.fields
    assert (email.type, email.label, email.required, email.placeholder) == (
        "email", "E-mail", True, "Max Mustermann")
    assert (news.type, news.checked, news.label) == ("checkbox", True, "Send me offers")
    assert (button.tag, button.label) == ("button", "Subscribe")
    assert loose.action == "" and loose.fields[0].label == "Accept all"


def test_placeholder_text_in_attributes_is_not_visible_text() -> None:
    f = facts('<input placeholder="Max Mustermann" value="Lorem ipsum"><p>Hello</p>')
    assert "Mustermann" not in " ".join(b.text for b in f.blocks)


@pytest.mark.parametrize(("body", "encoding", "expected"), [
    ("Größe".encode(), "", "Größe"),
    ("Größe".encode("windows-1252"), "", "Größe"),
    ("Größe".encode("windows-1252"), "utf-8", "Größe"),  # a lying charset header
    ('<meta charset="shift_jis"><p>日本語</p>'.encode("shift_jis"), "", "日本語"),
    (b"\xef\xbb\xbfBOM text", "iso-8859-1", "BOM text"),
    (b"bad \xff\xfe utf8 \xc3", "utf-8", "bad"),
])
def test_decoding(body: bytes, encoding: str, expected: str) -> None:
    assert expected in decode_html(body, encoding)


def test_deep_nesting_and_huge_link_counts_stay_bounded() -> None:
    deep = "<div>" * 100_000 + "<p>deep</p>" + "</div>" * 100_000 + '<a href="/x">x</a>'
    started = time.monotonic()
    f = facts(deep)
    assert time.monotonic() - started < 10
    assert any(link.url == "https://shop.example/x" for link in f.links)
    many = "".join(f'<a href="/p{i}">p{i}</a>' for i in range(extract.MAX_LINKS + 500))
    assert len(facts(many).links) == extract.MAX_LINKS


def test_binary_garbage_does_not_raise() -> None:
    f = facts(bytes(range(256)) * 100)
    assert f.links == ()


def test_output_is_deterministic() -> None:
    html = '<div class="b a" id="z" data-x="1"><a href="/q">Q</a><p>T</p></div>'
    assert facts(html) == facts(html)


def test_sibling_links_stay_separate_words() -> None:
    f = facts('<p><a href="tel:0525510023">052 551 00 23</a><a href="mailto:i@x.ch">i@x.ch</a></p>')
    assert f.blocks[0].text == "052 551 00 23 i@x.ch"
