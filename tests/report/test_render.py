"""The static report site: files, atomic replacement, hostile content, links, determinism, size."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
from lxml import etree, html

from auditor.errors import EXIT_OUTPUT, OutputError
from auditor.report import filters, render
from auditor.report.badge import GRADE_COLOURS, badge_svg
from auditor.report.render import MARKER, fix_first, render_site
from auditor.results import dumps, load_schema
from tests.report.sample import (
    DATA_URL,
    HOSTILE_ESCAPED,
    HOSTILE_RAW,
    JS_URL,
    QUOTE_URL,
    SCRIPT_CLOSE,
    SITE,
    sample_report,
    sample_run,
)

CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)


def page_file(url: str) -> str:
    return f"pages/{hashlib.sha256(url.encode()).hexdigest()[:12]}.html"


def write(out: Path, report: dict | None = None, run: dict | None = None) -> dict:
    report = sample_report() if report is None else report
    extra = {"report.json": dumps(report)} | ({"run.json": dumps(run)} if run else {})
    render_site(report, out, run, extra_files=extra)
    return report


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def all_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def parse(path: Path) -> html.HtmlElement:
    return html.fromstring(path.read_bytes(), parser=html.HTMLParser(encoding="utf-8"))


def facts(doc: html.HtmlElement) -> dict[str, str]:
    """The first fact list of a page (<dl class="facts">) as {term: text}."""
    dl = doc.xpath("//dl[contains(@class,'facts')]")[0]
    return {d.xpath("string(dt)"): " ".join(d.xpath("string(dd)").split()) for d in dl.xpath("div")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "report"
    write(out, run=sample_run())
    return out


# --------------------------------------------------------------------------- the sample


def test_sample_report_is_valid_against_the_schema() -> None:
    jsonschema.validate(sample_report(), load_schema())
    jsonschema.validate(sample_report(total_pages=450), load_schema())


# --------------------------------------------------------------------------- files


def test_writes_every_file(site: Path) -> None:
    report = sample_report()
    for name in ("index.html", "badge.svg", "assets/style.css", "assets/app.js", MARKER,
                 "pages/index.html", "report.json", "run.json"):
        assert (site / name).is_file(), name
    for finding in report["findings"]:
        name = finding["id"].replace(":", "--")
        assert (site / "checks" / f"{name}.html").is_file(), finding["id"]
    for category in report["categories"]:
        assert (site / "categories" / f"{category['id']}.html").is_file()
    for page in report["pages"]:
        assert (site / page_file(page["url"])).is_file(), page["url"]
    expected = (1 + len(report["findings"]) + len(report["categories"]) + 1
                + len(report["pages"]))
    assert len(html_files(site)) == expected
    assert not list(site.parent.glob(".report.*")), "temporary folders were left behind"


def test_marker_names_tool_and_schema(site: Path) -> None:
    text = (site / MARKER).read_text("utf-8")
    assert text == "trustaudit report schema_version=1\n"


def test_extra_files_are_byte_exact(site: Path) -> None:
    assert (site / "report.json").read_bytes() == dumps(sample_report()).encode("utf-8")
    assert (site / "run.json").read_bytes() == dumps(sample_run()).encode("utf-8")
    assert json.loads((site / "report.json").read_text("utf-8")) == sample_report()


def test_namespaced_id_gets_a_safe_file_name(site: Path) -> None:
    assert (site / "checks" / "acme--returns-window.html").is_file()
    assert 'href="checks/acme--returns-window.html"' in (site / "index.html").read_text("utf-8")
    names = filters.assign_names(["acme:returns-window", "a/../../etc", "CON", "Foo", "x" * 300],
                                 "check")
    assert names["acme:returns-window"] == "acme--returns-window"
    for key, stem in names.items():
        assert stem and "/" not in stem and ".." not in stem and len(stem) <= 100, (key, stem)
        assert stem == stem.lower()
    assert names["CON"] != "con" and names["Foo"] != "foo"
    assert len(set(names.values())) == len(names)


# --------------------------------------------------------------------------- replacing folders


def test_refuses_a_folder_that_is_not_a_report(tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.txt").write_text("do not delete")
    (out / "index.html").write_text("mine")
    with pytest.raises(OutputError) as exc:
        write(out)
    assert exc.value.exit_code == EXIT_OUTPUT == 5
    message = exc.value.format_message()
    assert "\n" not in message
    assert message == (f"refusing to overwrite {out}: it is not a trustaudit report "
                       f"(no {MARKER} marker)")
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "thesis.txt"]
    assert (out / "thesis.txt").read_text() == "do not delete"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious"]


def test_refuses_a_file(tmp_path: Path) -> None:
    out = tmp_path / "report"
    out.write_text("a file")
    with pytest.raises(OutputError, match="refusing to overwrite"):
        write(out)
    assert out.read_text() == "a file"


def test_an_empty_folder_is_fine(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    write(out)
    assert (out / "index.html").is_file() and (out / MARKER).is_file()


def test_creates_missing_parents(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "report"
    write(out)
    assert (out / "index.html").is_file()


def test_replaces_an_earlier_report(tmp_path: Path) -> None:
    out = tmp_path / "report"
    write(out)
    (out / "stale.txt").write_text("from an older version")
    report = sample_report()
    report["target"]["input"] = "https://second.example/"
    write(out, report)
    assert not (out / "stale.txt").exists()
    assert "https://second.example/" in (out / "index.html").read_text("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_a_failed_render_leaves_the_previous_report_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report"
    write(out)
    before = all_files(out)
    real = render.site_files

    def broken(*args, **kwargs):
        for i, item in enumerate(real(*args, **kwargs)):
            if i == 3:
                raise KeyboardInterrupt
            yield item

    monkeypatch.setattr(render, "site_files", broken)
    with pytest.raises(KeyboardInterrupt):
        write(out)
    assert all_files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_an_unwritable_location_is_one_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(OutputError) as exc:
        write(blocker / "report")
    assert exc.value.exit_code == EXIT_OUTPUT
    assert "\n" not in exc.value.format_message()
    assert exc.value.format_message().startswith(f"cannot write the report to {blocker}")


# --------------------------------------------------------------------------- hostile content


def test_no_script_but_the_asset_script(site: Path) -> None:
    for path in html_files(site):
        doc = parse(path)
        scripts = doc.xpath("//script")
        depth = len(path.relative_to(site).parts) - 1
        expected = ["../" * depth + "assets/app.js"]
        if path.parent.name == "pages" and path.name.startswith("index"):
            expected.insert(0, "search-data.js")  # the pages index's search data
        assert [s.get("src") for s in scripts] == expected, path
        assert not any((s.text or "").strip() for s in scripts), path
        assert path.read_text("utf-8").lower().count("<script") == len(expected), path
        assert not doc.xpath("//style") and not doc.xpath("//*[@style]"), path
        assert not doc.xpath("//iframe|//object|//embed|//form|//base"), path
        for element in doc.iter():
            if isinstance(element.tag, str):
                handlers = [a for a in element.attrib if a.lower().startswith("on")]
                assert not handlers, (path, element.tag, handlers)


def test_no_dangerous_urls_in_any_attribute(site: Path) -> None:
    for path in html_files(site):
        for element in parse(path).iter():
            if not isinstance(element.tag, str):
                continue
            for attr in ("href", "src", "action", "formaction", "xlink:href", "srcset"):
                value = element.get(attr)
                if value is None:
                    continue
                squashed = "".join(value.split()).lower()
                for scheme in ("javascript:", "data:", "vbscript:", "file:"):
                    assert not squashed.startswith(scheme), (path, attr, value)


def test_hostile_strings_are_escaped(site: Path) -> None:
    texts = {p: p.read_text("utf-8") for p in html_files(site)}
    joined = "\n".join(texts.values())
    for raw in HOSTILE_RAW:
        assert raw not in joined, raw
    for escaped in HOSTILE_ESCAPED:
        assert escaped in joined, escaped
    check = texts[site / "checks" / "contact-email.html"]
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in check
    # The hostile URLs are shown as text, never linked outside: the javascript: page is
    # linked to its own page view (a file of the report) and named as text.
    doc = parse(site / "checks" / "contact-email.html")
    js_links = [a for a in doc.xpath("//a") if a.text_content() == JS_URL]
    assert js_links and all(a.get("href") == "../" + page_file(JS_URL) for a in js_links)
    assert '<span class="url"> \tjava\nscript:alert(3)</span>' in check
    page = texts[site / page_file(JS_URL)]
    assert "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # Only the badge is an image; no element came out of the page data.
    for path in html_files(site):
        doc = parse(path)
        assert [i.get("src") for i in doc.xpath("//img")] in ([], ["badge.svg"]), path
        assert not doc.xpath("//*[local-name()='svg']//*[local-name()='script']")


def test_external_links_are_http_only_and_marked(site: Path) -> None:
    seen_quote_url = False
    for path in html_files(site):
        for a in parse(path).xpath("//a[@href]"):
            href = a.get("href")
            if urlsplit(href).scheme:
                assert urlsplit(href).scheme in ("http", "https"), (path, href)
                assert set(a.get("rel", "").split()) == {"noopener", "noreferrer", "nofollow"}
                seen_quote_url = seen_quote_url or href == QUOTE_URL
    assert seen_quote_url, "a URL with quotes must still be linked, escaped"


def test_safe_href() -> None:
    allowed = {
        "https://shop.example/a?b=c#d": "https://shop.example/a?b=c#d",
        "HTTP://shop.example/": "HTTP://shop.example/",
        "  https://shop.example/x \n": "https://shop.example/x",
        "ht\ttps://shop.example/": "https://shop.example/",
        QUOTE_URL: QUOTE_URL,
    }
    for url, expected in allowed.items():
        assert filters.safe_href(url) == expected, url
    refused = [JS_URL, " \tjava\nscript:alert(3)", "JavaScript:alert(1)", DATA_URL,
               "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/", "/relative",
               "mailto:a@b.example", "https:evil", "https://x\x00y/", "https://[::1/", "",
               None, 42]
    for url in refused:
        assert filters.safe_href(url) == "", url


# --------------------------------------------------------------------------- links


def _ids(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        cache[path] = set(parse(path).xpath("//@id"))
    return cache[path]


def assert_links_resolve(out: Path) -> int:
    """Every relative href/src points at a file in the folder (and at an id that exists)."""
    root = out.resolve()
    cache: dict[Path, set[str]] = {}
    checked = 0
    for path in html_files(out):
        doc = parse(path)
        for element in doc.xpath("//*[@href or @src]"):
            for attr in ("href", "src"):
                value = element.get(attr)
                if value is None:
                    continue
                parts = urlsplit(value)
                if parts.scheme:
                    assert element.tag == "a", (path, element.tag, value)
                    continue
                assert not parts.netloc and not value.startswith("/"), (path, value)
                target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
                assert target.is_relative_to(root), (path, value)
                assert target.is_file(), (path, value)
                if parts.fragment and target.suffix == ".html":
                    assert parts.fragment in _ids(target, cache), (path, value)
                checked += 1
    return checked


def test_every_relative_link_resolves(site: Path) -> None:
    assert assert_links_resolve(site) > 100


def test_nothing_is_fetched_from_outside(site: Path) -> None:
    for path in html_files(site):
        doc = parse(path)
        for element in doc.xpath("//link|//script|//img|//source|//video|//audio"):
            for attr in ("href", "src"):
                value = element.get(attr)
                if value:
                    assert not urlsplit(value).scheme and not value.startswith("//"), value
    css = (site / "assets" / "style.css").read_text("utf-8")
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    js = (site / "assets" / "app.js").read_text("utf-8")
    for api in ("fetch(", "XMLHttpRequest", "innerHTML", "eval(", "document.write"):
        assert api not in js, api


# --------------------------------------------------------------------------- structure


def test_every_page_is_accessible_and_well_formed(site: Path) -> None:
    for path in html_files(site):
        doc = parse(path)
        assert doc.get("lang") == "en", path
        assert doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content") == [CSP]
        assert len(doc.xpath("//main[@id='main']")) == 1, path
        assert doc.xpath("//header//nav") and doc.xpath("//footer"), path
        assert doc.xpath("//a[@class='skip-link']/@href") == ["#main"], path
        assert "trustaudit 0.1.0" in doc.xpath("string(//footer)"), path
        levels = [int(h.tag[1]) for h in doc.xpath("//main//*[self::h1 or self::h2 or "
                                                     "self::h3 or self::h4]")]
        assert levels.count(1) == 1 and levels[0] == 1, (path, levels)
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (path, levels)
        assert len(doc.xpath("//h1")) == 1, path
        ids = doc.xpath("//@id")
        assert len(ids) == len(set(ids)), (path, sorted(i for i in ids if ids.count(i) > 1))
        for label in doc.xpath("//label[@for]"):
            assert doc.xpath(f"//*[@id='{label.get('for')}']"), path


def test_css_has_dark_mode_print_and_focus_styles(site: Path) -> None:
    css = (site / "assets" / "style.css").read_text("utf-8")
    assert "@media (prefers-color-scheme: dark)" in css
    assert "@media print" in css and 'attr(href)' in css
    assert ":focus-visible" in css


# --------------------------------------------------------------------------- overview


def test_overview_content(site: Path) -> None:
    doc = parse(site / "index.html")
    text = " ".join(doc.text_content().split())
    assert "Coverage 88%" in text
    assert "Capped by https" in text
    assert facts(doc)["Audited"] == "2025-01-02 03:04 UTC"
    assert doc.xpath("//time/@datetime") == ["2025-01-02T03:04:05Z"]
    assert facts(doc)["Site kind"] == "shop (inferred from the pages)"
    titles = [t.text for t in doc.xpath("//svg[contains(@class,'gauge')]/*[local-name()='title']")]
    assert titles == ["Score 34 out of 100, grade F", "Coverage 88%"]
    fixes = [a.get("href") for a in doc.xpath("//ol[@class='fix-list']/li/p[@class='fix-head']/a")]
    assert fixes == ["checks/https.html", "checks/returns-policy.html",
                     "checks/acme--returns-window.html", "checks/broken-links.html"]
    first = doc.xpath("//ol[@class='fix-list']/li")[0]
    assert "Serve every page over HTTPS" in first.xpath("string(p[@class='fix-line'])")
    assert "weight 10" in first.xpath("string(p[@class='fix-meta'])")
    judged = [a.get("href") for a in doc.xpath("//ul[@class='judged-list']/li/a")]
    assert judged == ["checks/trust-seal.html", "checks/sitemap.html"]  # low, then info
    crawl = {d.xpath("string(dt)"): " ".join(d.xpath("string(dd)").split())
             for d in doc.xpath("//dl[contains(@class,'crawl')]/div")}
    assert crawl["Duration"] == "12.3 s" and crawl["Limits hit"] == "max-pages"
    assert crawl["Blocked by robots.txt"] == "3" and crawl["Pages audited"] == "5"
    rows = doc.xpath("//table[@id='findings']//tr[contains(@class,'finding')]")
    assert len(rows) == len(sample_report()["findings"])
    assert {r.get("data-status") for r in rows} == {"pass", "fail", "unknown",
                                                     "not-applicable", "error"}
    assert doc.xpath("//select[@id='filter-status']") and doc.xpath("//input[@id='search']")
    cards = doc.xpath("//ul[@class='cards']/li")
    social = next(c for c in cards if "Social proof" in c.text_content())
    assert "—" in social.xpath("string(.//span[@class='card-value'])")
    assert "3 URLs blocked by robots.txt" in text
    assert "max-pages" in text


def test_run_details_only_with_a_run(tmp_path: Path) -> None:
    out = tmp_path / "r"
    write(out)
    text = (out / "index.html").read_text("utf-8")
    assert "Audited" not in text and "Duration" not in text and 'href="run.json"' not in text
    assert 'href="report.json"' in text


def test_fix_first_order() -> None:
    findings = [
        {"id": "b", "status": "fail", "severity": "low", "weight": 9},
        {"id": "a", "status": "fail", "severity": "low", "weight": 9},
        {"id": "c", "status": "fail", "severity": "low", "weight": 10},
        {"id": "d", "status": "pass", "severity": "critical", "weight": 10},
        {"id": "e", "status": "fail", "severity": "critical", "weight": 1},
        {"id": "f", "status": "fail", "severity": "info", "weight": 10},
    ]
    assert [f["id"] for f in fix_first(findings)] == ["e", "c", "a", "b", "f"]


def test_no_score_shows_a_dash(tmp_path: Path) -> None:
    report = sample_report()
    report["score"].update(value=None, grade=None, coverage=0.0, capped_by=[])
    out = tmp_path / "r"
    write(out, report)
    doc = parse(out / "index.html")
    assert doc.xpath("string(//*[@class='gauge-score'])") == "—"
    assert not doc.xpath("//*[contains(@class,'gauge-value')]")
    badge = etree.fromstring((out / "badge.svg").read_bytes())
    assert "—" in "".join(badge.itertext())


# --------------------------------------------------------------------------- check and page views


def test_check_page_for_a_failure(site: Path) -> None:
    doc = parse(site / "checks" / "returns-policy.html")
    text = " ".join(doc.text_content().split())
    assert doc.xpath("string(//h1)") == "No returns policy is linked from the site"
    assert "✗ Fail" in doc.xpath("string(//p[@class='verdict'])")
    headings = [h.text_content() for h in doc.xpath("//main//h2")]
    assert headings == ["Where it looked", "What it looks for", "Why it matters", "How to fix",
                        "Traps"]
    assert "Fix: Publish a returns policy" in text
    searched = doc.xpath("//ul[@id='searched']/li")
    assert len(searched) == 4
    assert searched[0].xpath("string(p[@class='searched-what'])") == "Looked for all links."
    assert searched[0].xpath(".//a[@class='page-view']/@href") == ["../" + page_file(f"{SITE}/")]
    assert searched[0].xpath(".//a[@class='ext']/@href") == [f"{SITE}/"]
    hostile = " ".join(searched[2].xpath("string(p[@class='searched-what'])").split())
    assert hostile == "Searched </script><script>alert(2)</script> for all links."
    # the javascript: URL is never an external link, only text (its page view is a file here)
    assert not searched[3].xpath(".//a[@class='ext']")
    assert facts(doc) == {"Severity": "high", "Weight": "8", "Category": "Policies",
                          "Found": "no"}


def test_check_page_for_a_pass_links_evidence_and_page_views(site: Path) -> None:
    doc = parse(site / "checks" / "privacy-policy.html")
    assert "✓ Pass" in doc.xpath("string(//p[@class='verdict'])")
    items = doc.xpath("//ol[@id='evidence']/li")
    assert len(items) == 2
    assert items[0].xpath("string(.//span[@class='kind'])") == "Link"
    assert items[0].xpath(".//a[@class='ext']/@href") == [f"{SITE}/privacy"]
    assert "Live URL:" in items[0].xpath("string(p[@class='evidence-place'])")
    views = items[0].xpath(".//a[@class='page-view']")
    assert [(a.get("href"), a.text) for a in views] == [
        ("../" + page_file(f"{SITE}/privacy"), "/privacy")]
    assert items[0].xpath("string(.//q)") == '"><script>alert(1)</script>'
    assert items[0].xpath("string(.//code)") == 'footer > a[href="javascript:alert(1)"]'
    for status, word in (("unknown", "? Unknown"), ("error", "! Error"),
                         ("not-applicable", "– Not applicable")):
        name = {"unknown": "trust-seal", "error": "sitemap", "not-applicable": "reviews"}[status]
        verdict = parse(site / "checks" / f"{name}.html").xpath("string(//p[@class='verdict'])")
        assert word in verdict, (status, verdict)


def test_page_view_lists_signals_with_links(site: Path) -> None:
    doc = parse(site / page_file(f"{SITE}/privacy"))
    rows = doc.xpath("//table[contains(@class,'signals')]/tbody/tr")
    assert [r.xpath(".//td[@class='cell-check']/a/@href") for r in rows] == [
        ["../checks/privacy-policy.html"]]
    assert rows[0].xpath("string(.//q)") == '"><script>alert(1)</script>'
    assert "✓ Pass" in rows[0].xpath("string(td[@class='cell-status'])")
    shown = facts(doc)
    assert shown["Depth"] == "1" and shown["Content type"] == "text/html; charset=utf-8"
    assert shown["Found through"] == "followed link" and shown["Status"] == "200"
    assert shown["Title"] == '"><script>alert(1)</script>'
    assert shown["Final URL"] == "same as the URL (no redirect)"
    redirected = parse(site / page_file(f"{SITE}/contact"))
    assert facts(redirected)["Final URL"] == f"{SITE}/contact-us (after redirects)"
    assert redirected.xpath("//a[@class='ext']/@href") == [f"{SITE}/contact",
                                                            f"{SITE}/contact-us"]


def test_page_view_groups_evidence_searches_and_broken_links(site: Path) -> None:
    home = parse(site / page_file(f"{SITE}/"))
    rows = home.xpath("//table[contains(@class,'signals')]/tbody/tr")
    checks = [r.xpath("string(.//code[@class='check-id'])") for r in rows]
    assert checks == ["trust-seal", "contact-email"]  # not searches; unknown before pass
    assert "Script" in rows[0].xpath("string(td[@class='cell-seen'])")
    searched = home.xpath("//section[@aria-labelledby='searched-heading']//li")
    assert ["returns-policy" in li.xpath("string(a/@href)") for li in searched] == [True]
    broken = home.xpath("//section[@aria-labelledby='broken-heading']//li")
    assert len(broken) == 1 and "404 HTTP 404" in broken[0].text_content()
    assert broken[0].xpath("a/@href") == [page_file(f"{SITE}/gift-cards").removeprefix("pages/")]
    refused = parse(site / page_file(JS_URL))
    bare = refused.xpath("//table[contains(@class,'signals')]/tbody/tr")
    assert [r.xpath("string(.//code[@class='check-id'])") for r in bare] == [
        "contact-email", "not-a-check"]
    assert "no evidence recorded" in bare[1].text_content()
    assert not refused.xpath("//a[@class='ext']")  # javascript: and data: URLs are not linked


def test_pages_index_lists_pages_and_fetch_errors(site: Path) -> None:
    doc = parse(site / "pages" / "index.html")
    rows = doc.xpath("//table[@id='pages']/tbody/tr")
    assert len(rows) == len(sample_report()["pages"])
    errors = doc.xpath("//table[contains(@class,'fetch-errors')]/tbody/tr")
    assert len(errors) == 2
    assert "HTTP 404" in errors[0].text_content()
    assert [a.text for a in rows[0].xpath(".//a")] == ["/"]  # short paths, linked to page views
    assert not doc.xpath("//details[@class='sections']"), "sections only for paginated sites"


def test_pages_search_data_is_inert_json(site: Path) -> None:
    text = (site / "pages" / "search-data.js").read_text("utf-8")
    prefix = "window.trustauditPages = "
    assert text.startswith(prefix) and text.endswith(";\n") and text.count("\n") == 1
    for raw in ("<", ">", "&", "\u2028", "\u2029", "'"):
        assert raw not in text, raw
    data = json.loads(text[len(prefix):-2])
    report = sample_report()
    assert [d["u"] for d in data] == sorted(p["url"] for p in report["pages"])
    assert {d["t"] for d in data} >= {SCRIPT_CLOSE, '"><script>alert(1)</script>'}
    for d in data:
        assert (site / "pages" / d["h"]).is_file() and "/" not in d["h"]


# --------------------------------------------------------------------------- scale


def test_pages_index_is_paginated(tmp_path: Path) -> None:
    out = tmp_path / "big"
    write(out, sample_report(total_pages=450))
    indexes = sorted(p.name for p in (out / "pages").glob("index*.html"))
    assert indexes == ["index-2.html", "index-3.html", "index.html"]
    counts = [len(parse(out / "pages" / n).xpath("//table[@id='pages']/tbody/tr"))
              for n in ("index.html", "index-2.html", "index-3.html")]
    assert counts == [200, 200, 50]
    assert len(list((out / "pages").glob("*.html"))) == 453
    sections = parse(out / "pages" / "index.html").xpath("//details[@class='sections']//li")
    assert [li.xpath("string(a)") for li in sections][:2] == ["/p/", "/"]
    assert sections[0].xpath("a/@href") == ["index.html"]
    pager = parse(out / "pages" / "index-2.html").xpath("//nav[@class='pager']")[0]
    assert pager.xpath(".//a[@rel='prev']/@href") == ["index.html"]
    assert pager.xpath(".//a[@rel='next']/@href") == ["index-3.html"]
    assert assert_links_resolve(out) > 1000


def test_large_sites_paginate_and_page_views_stay_small(tmp_path: Path) -> None:
    """Speed is measured by the benchmark (benchmarks/), not asserted here; this checks the
    shape that keeps a big report small: paginated indexes and lean page views."""
    report = sample_report(total_pages=2_000)
    write(tmp_path / "huge", report)
    pages = tmp_path / "huge" / "pages"
    assert len(list(pages.glob("index*.html"))) == 10
    assert len(list(pages.glob("*.html"))) == 2_010
    size = sum(p.stat().st_size for p in pages.glob("*.html"))
    assert size / 2_010 < 8_000, "page views must stay small (no inline CSS)"


# --------------------------------------------------------------------------- determinism, badge


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    write(tmp_path / "a", run=sample_run())
    write(tmp_path / "b", run=sample_run())
    first, second = all_files(tmp_path / "a"), all_files(tmp_path / "b")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


def test_badge_is_valid_svg_with_score_and_grade(site: Path) -> None:
    root = etree.fromstring((site / "badge.svg").read_bytes())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = "".join(root.itertext())
    assert "34/100 · F" in text
    fills = root.xpath("//svg:rect/@fill", namespaces={"svg": "http://www.w3.org/2000/svg"})
    assert GRADE_COLOURS["F"] in fills
    a = etree.fromstring(badge_svg(95, "A").encode())
    assert GRADE_COLOURS["A"] in a.xpath("//*/@fill") and "95/100 · A" in "".join(a.itertext())
    assert int(float(a.get("width"))) > 60


def test_replacing_a_symlinked_report_keeps_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write(real)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    write(link)
    assert (real / "index.html").is_file() and (link / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_an_empty_report_still_renders_a_working_site(tmp_path: Path) -> None:
    report = sample_report()
    report.update(findings=[], categories=[], pages=[], fetch_errors=[])
    report["score"].update(value=None, grade=None, coverage=0.0, capped_by=[])
    report["crawl"].update(pages=0, fetched=0, errors=0, robots_blocked=[], limits_hit=[])
    jsonschema.validate(report, load_schema())
    out = tmp_path / "empty-report"
    write(out, report)
    assert sorted(p.relative_to(out).as_posix() for p in html_files(out)) == [
        "index.html", "pages/index.html"]
    text = " ".join(parse(out / "index.html").text_content().split())
    assert "No check failed." in text and "No categories were checked." in text
    assert "No pages were fetched." in parse(out / "pages" / "index.html").text_content()
    assert_links_resolve(out)


# --------------------------------------------------------------------------- folder audits


def test_folder_audit_links_the_production_url(tmp_path: Path) -> None:
    report = sample_report()
    report["target"].update(mode="folder", input="public", site_url=SITE)
    write(tmp_path / "r", report)
    doc = parse(tmp_path / "r" / "checks" / "privacy-policy.html")
    place = doc.xpath("//ol[@id='evidence']/li")[0].xpath("string(p[@class='evidence-place'])")
    assert " ".join(place.split()) == f"Production URL: {SITE}/privacy"
    overview = parse(tmp_path / "r" / "index.html")
    assert overview.xpath("string(//h1)") == "Trust audit of shop.example"
    assert facts(overview)["Mode"] == "build folder public"
    page = parse(tmp_path / "r" / page_file(f"{SITE}/privacy"))
    assert "Production URL" in facts(page)


def test_folder_audit_without_site_url_links_no_placeholder(tmp_path: Path) -> None:
    placeholder = "https://site.invalid"
    text = dumps(sample_report()).replace(SITE, placeholder)
    report = json.loads(text)
    report["target"].update(mode="folder", input="public", site_url="")
    write(tmp_path / "r", report)
    for path in html_files(tmp_path / "r"):
        for href in parse(path).xpath("//a/@href"):
            assert "site.invalid" not in href, (path, href)
    doc = parse(tmp_path / "r" / "checks" / "privacy-policy.html")
    first = doc.xpath("//ol[@id='evidence']/li")[0]
    assert first.xpath("string(.//a[@class='page-view'])") == "/privacy"
    assert "Audited as https://site.invalid/privacy" in " ".join(first.text_content().split())
    assert "pass --site-url" in parse(tmp_path / "r" / "index.html").text_content()


def test_filters_for_times_urls_and_script_data() -> None:
    assert filters.started_text("2025-01-02T03:04:05+02:00") == "2025-01-02 01:04 UTC"
    assert filters.started_text("2025-01-02T03:04:05") == "2025-01-02 03:04"
    assert filters.started_text("yesterday") == "yesterday"
    assert [filters.duration_text(s) for s in (0.04, 12.345, 192, 7300, -1, "x", True)] == [
        "0.0 s", "12.3 s", "3 min 12 s", "2 h 1 min", "", "", ""]
    assert filters.short_url(f"{SITE}/a?b", SITE) == "/a?b"
    assert filters.short_url(SITE, SITE) == "/"
    assert filters.short_url(f"{SITE}.evil/x", SITE) == f"{SITE}.evil/x"
    assert filters.short_url(JS_URL, SITE) == JS_URL
    assert filters.live_href("https://site.invalid/x") == ""
    assert filters.live_href(f"{SITE}/x") == f"{SITE}/x" and filters.live_href(JS_URL) == ""
    assert filters.capfirst("a clear policy") == "A clear policy" and filters.capfirst("") == ""
    hostile = ["</script><script>alert(1)</script>", "a & b", "it's", "\u2028\u2029"]
    text = filters.script_json(hostile)
    for raw in ("<", ">", "&", "'", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == hostile


def test_stale_temporary_folders_of_killed_runs_are_removed(tmp_path: Path) -> None:
    import os as _os

    from auditor.report.render import STALE_SECONDS

    out = tmp_path / "report"
    stale = tmp_path / ".report.tmp-dead0000"
    fresh = tmp_path / ".report.tmp-live0000"
    other = tmp_path / ".elsewhere.tmp-dead0000"
    for folder in (stale, fresh, other):
        folder.mkdir()
        (folder / "index.html").write_text("half written")
    old = time_now() - STALE_SECONDS - 60
    for folder in (stale, other):
        _os.utime(folder, (old, old))
    write(out, sample_report())
    assert not stale.exists()  # a killed run's leftovers, an hour old
    assert fresh.exists()  # may belong to a run still writing
    assert other.exists()  # another report's business


def time_now() -> float:
    import time as _time

    return _time.time()
