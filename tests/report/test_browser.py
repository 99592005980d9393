"""The report site in a real browser: Debian's Chromium driven by Playwright, from ``file://``.

Three reports are rendered once per session: the demo shop (audited in folder mode, with a
history of two runs: an earlier copy of the site missing two pages, then the site as it is), a
hostile site (``tests/fixtures/hostile-site``: script in every field a page controls), and the
hostile sample report of ``tests/report/sample.py`` grown to 450 pages (pagination, search
across parts, expand/collapse). Every page of every report is opened: links must resolve to
files in the folder, no request may leave it, no console error may appear and nothing may run.

Screenshots go to ``test-artifacts/`` (gitignored); ``TRUSTAUDIT_DOCS_IMG=1`` also refreshes
``docs/img/*.png`` (the README's pictures). axe-core comes from the npm package (see
:func:`axe_source`); without it the accessibility test skips, except in CI where it fails.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from auditor.report import history
from auditor.report.render import render_site
from auditor.results import dumps
from tests.report.sample import sample_report, sample_run

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-shop"
DEMO_URL = "https://lindenhof-tea.example"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile-site"
HOSTILE_URL = "https://hostile.example"
ARTIFACTS = ROOT / "test-artifacts"
DOCS_IMG = ROOT / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE_INSTALL = "npm install --prefix .ci-axe axe-core@4.14.1"
#: Installed scripts of the Window that a payload would call; each call is recorded.
TRAP = """
(() => {
  window.__trap = [];
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    window[name] = (...args) => { window.__trap.push(name + "(" + args.join(",") + ")"); };
  }
})();
"""


def page_file(url: str) -> str:
    return f"pages/{hashlib.sha256(url.encode()).hexdigest()[:12]}.html"


def required() -> bool:
    return os.environ.get("TRUSTAUDIT_REQUIRE_BROWSER") == "1"


def axe_source() -> str | None:
    """axe.min.js from ``$TRUSTAUDIT_AXE_JS``, else from ``.ci-axe`` (where .ci/run puts the
    npm package), else None."""
    candidates = [os.environ.get("TRUSTAUDIT_AXE_JS", ""),
                  str(ROOT / ".ci-axe" / "node_modules" / "axe-core" / "axe.min.js")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate).read_text("utf-8")
    return None


# --------------------------------------------------------------------------- reports


def _render(report: dict, out: Path, run: dict | None, hist: history.History | None) -> Path:
    extra = {"report.json": dumps(report)} | ({"run.json": dumps(run)} if run else {})
    render_site(report, out, run, extra_files=extra, history=hist)
    return out


def _audit(folder: Path, site_url: str) -> Any:
    from auditor.audit import run_audit
    from auditor.crawl.options import CrawlOptions

    # Relative to the working directory when below it, as a user would type it (the overview
    # shows the folder as given).
    target = os.path.relpath(folder) if folder.is_relative_to(Path.cwd()) else str(folder)
    return run_audit(target, CrawlOptions(site_url=site_url))


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="session")
def demo_report(workdir: Path) -> Path:
    """The demo shop's report, with the history of an earlier version missing two pages."""
    earlier = workdir / "demo-earlier"
    shutil.copytree(DEMO, earlier)
    for name in ("faq.html", "shipping.html"):
        (earlier / name).unlink()
    folder = workdir / "history"
    for site in (earlier, DEMO):
        result = _audit(site, DEMO_URL)
        entries, skipped = history.record(folder, result.report, result.run)
    hist = history.timeline(entries, result.report, result.run, skipped)
    assert hist.change is not None and hist.change.resolved, "the earlier run must differ"
    return _render(result.report, workdir / "demo-report", result.run, hist)


@pytest.fixture(scope="session")
def hostile_report(workdir: Path) -> Path:
    result = _audit(HOSTILE, HOSTILE_URL)
    return _render(result.report, workdir / "hostile-report", result.run, None)


@pytest.fixture(scope="session")
def big_report(workdir: Path) -> Path:
    """The hostile sample with 450 pages and a two-run history."""
    report, run = sample_report(total_pages=450), sample_run()
    earlier = copy.deepcopy(report)
    earlier["score"].update(value=40, grade="E")
    for finding in earlier["findings"]:
        if finding["id"] == "broken-links":
            finding["status"] = "pass"
    folder = workdir / "big-history"
    history.record(folder, earlier, dict(run, started="2024-12-01T00:00:00Z"))
    entries, skipped = history.record(folder, report, run)
    hist = history.timeline(entries, report, run, skipped)
    return _render(report, workdir / "big-report", run, hist)


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class Watch:
    """Everything a page did that it must not: console errors, page errors, dialogs, calls to
    trapped functions, and requests outside the report folder."""

    root: Path
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    requests: int = 0

    def inside(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme != "file":
            return False
        path = Path(unquote(parts.path)).resolve()
        return path.is_relative_to(self.root.resolve())

    def attach(self, page: Any) -> None:
        page.on("console", lambda m: m.type == "error" and self.console.append(
            f"{page.url}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        self.requests += 1
        if not self.inside(request.url):
            self.outside.append(request.url)

    def assert_clean(self) -> None:
        assert not self.console, self.console[:10]
        assert not self.errors, self.errors[:10]
        assert not self.dialogs, self.dialogs[:10]
        assert not self.outside, self.outside[:10]


@pytest.fixture()
def open_report(browser: Any) -> Iterator[Any]:
    """``open_report(root, **context_options)`` -> (page, watch); contexts closed afterwards."""
    contexts: list[Any] = []

    def opener(root: Path, **options: Any) -> tuple[Any, Watch]:
        context = browser.new_context(viewport=options.pop("viewport", DESKTOP),
                                      device_scale_factor=1, **options)
        context.add_init_script(TRAP)
        contexts.append(context)
        page = context.new_page()
        watch = Watch(root)
        watch.attach(page)
        return page, watch

    yield opener
    for context in contexts:
        context.close()


def goto(page: Any, root: Path, rel: str) -> None:
    page.goto((root / rel).as_uri())  # waits for the load event


def trapped(page: Any) -> list[str]:
    return page.evaluate("window.__trap || []")


# --------------------------------------------------------------------------- every page

COLLECT = """() => ({
  links: Array.from(document.querySelectorAll("[href], [src]")).flatMap((el) =>
    ["href", "src"].filter((a) => el.hasAttribute(a)).map((a) => ({
      tag: el.tagName.toLowerCase(), raw: el.getAttribute(a), rel: el.getAttribute("rel") || "",
      url: new URL(el.getAttribute(a), document.baseURI).href }))),
  ids: Array.from(document.querySelectorAll("[id]")).map((el) => el.id),
  text: document.body.innerText,
})"""

INERT = """() => {
  const bad = [];
  const urlAttrs = ["href", "src", "action", "formaction", "xlink:href", "data", "poster"];
  for (const el of document.querySelectorAll("*")) {
    for (const a of Array.from(el.attributes)) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (name.startsWith("on")) bad.push(el.tagName + " " + name);
      if (name === "srcdoc") bad.push(el.tagName + " srcdoc");
      if (urlAttrs.includes(name) && /^(javascript|data|vbscript):/.test(value)) {
        bad.push(el.tagName + " " + name + "=" + a.value);
      }
    }
    if (["IFRAME", "FRAME", "OBJECT", "EMBED", "FORM", "BASE"].includes(el.tagName)) {
      bad.push(el.tagName);
    }
  }
  const scripts = Array.from(document.scripts).map((s) => s.getAttribute("src") || "INLINE");
  for (const el of document.querySelectorAll("body *")) {
    for (const type of ["mouseover", "mouseenter", "focus", "mousedown", "load", "error"]) {
      el.dispatchEvent(new Event(type, { bubbles: true }));
    }
  }
  return { bad, scripts };
}"""


def crawl(
    page: Any, root: Path, watch: Watch, *, inert: bool = False, page_views: int | None = None
) -> dict[str, str]:
    """Open every page reachable from index.html; check links, requests, scripts on the way.

    Every link target must be a file of the folder; ``page_views`` limits how many page views
    are opened too (a big report's 450 are alike). Returns the visible text of opened pages."""
    ids: dict[str, set[str]] = {}
    texts: dict[str, str] = {}
    fragments: list[tuple[str, str, str]] = []
    queue = ["index.html"]
    seen = {"index.html"}
    while queue:
        rel = queue.pop(0)
        is_view = rel.startswith("pages/") and not rel.startswith("pages/index")
        if is_view and page_views is not None:
            if page_views <= 0:
                continue
            page_views -= 1
        goto(page, root, rel)
        found = page.evaluate(COLLECT)
        ids[rel] = set(found["ids"])
        texts[rel] = found["text"]
        for link in found["links"]:
            parts = urlsplit(link["url"])
            if parts.scheme in ("http", "https"):
                assert link["tag"] == "a", (rel, link)
                assert set(link["rel"].split()) == {"noopener", "noreferrer", "nofollow"}, link
                continue
            assert parts.scheme == "file", (rel, link)
            target = Path(unquote(parts.path))
            assert watch.inside(link["url"]), (rel, link)
            assert target.is_file(), (rel, link)
            target_rel = target.resolve().relative_to(root.resolve()).as_posix()
            if parts.fragment:
                fragments.append((rel, target_rel, parts.fragment))
            if target.suffix == ".html" and target_rel not in seen:
                seen.add(target_rel)
                queue.append(target_rel)
        if inert:
            result = page.evaluate(INERT)
            assert not result["bad"], (rel, result["bad"])
            allowed = {"search-data.js", "../assets/app.js", "assets/app.js"}
            assert set(result["scripts"]) <= allowed, (rel, result["scripts"])
        assert not trapped(page), (rel, trapped(page))
    for rel, target_rel, fragment in fragments:
        if target_rel in ids:
            assert fragment in ids[target_rel], (rel, target_rel, fragment)
    every = {p.relative_to(root).as_posix() for p in root.rglob("*.html")}
    assert seen == every, sorted(every - seen)
    return texts


def test_demo_report_every_page_links_and_requests(open_report: Any, demo_report: Path) -> None:
    page, watch = open_report(demo_report)
    texts = crawl(page, demo_report, watch)
    watch.assert_clean()
    assert len(texts) > 30 and watch.requests >= len(texts) * 3  # each page, its CSS and its JS


def test_hostile_report_executes_nothing(open_report: Any, hostile_report: Path) -> None:
    page, watch = open_report(hostile_report)
    texts = crawl(page, hostile_report, watch, inert=True)
    # The payloads are really in the report, shown as text: titles, URLs, evidence.
    shown = {m for text in texts.values() for m in re.findall(r"alert\('(xss-[a-z-]+)'\)", text)}
    assert {"xss-title", "xss-title-img", "xss-about-title", "xss-privacy-title",
            "xss-returns-title", "xss-missing", "xss-product"} <= shown, sorted(shown)
    assert len(shown) >= 10, sorted(shown)
    goto(page, hostile_report, page_file(f"{HOSTILE_URL}/"))
    h1 = page.inner_text("h1")
    assert "<script>alert('xss-title')</script>" in h1, h1
    goto(page, hostile_report, "pages/index.html")
    text = page.inner_text("main")
    assert "Privacy policy <script>alert('xss-privacy-title')</script>" in text
    page.fill("#page-query", "script")
    page.wait_for_selector("#page-results li")
    results = page.locator("#page-results a")
    assert results.count() >= 2
    for i in range(results.count()):
        href = results.nth(i).get_attribute("href")
        assert href and href.endswith(".html") and "/" not in href, href
    assert page.evaluate("document.querySelectorAll('#page-results *').length") == (
        3 * page.locator("#page-results li").count())  # li, a, span: nothing else was built
    goto(page, hostile_report, "index.html")
    page.fill("#search", "<img src=x onerror=alert(1)>")
    assert visible_rows(page) == 0 and page.is_visible("#filter-empty")
    assert not trapped(page)
    watch.assert_clean()


def test_sample_report_every_page_links_and_requests(open_report: Any, big_report: Path) -> None:
    page, watch = open_report(big_report)
    texts = crawl(page, big_report, watch, inert=True, page_views=40)
    watch.assert_clean()
    report = sample_report(total_pages=450)
    # the overview, 40 page views and the 3 index parts, one page per check and category
    assert len(texts) == 1 + 40 + 3 + len(report["findings"]) + len(report["categories"])
    assert sum(t.startswith("pages/") and not t.startswith("pages/index") for t in texts) == 40
    page_files = {p.relative_to(big_report).as_posix() for p in big_report.glob("pages/*.html")}
    assert len(page_files) == 450 + 3  # all were checked to exist as link targets


# --------------------------------------------------------------------------- enhancements


def visible_rows(page: Any) -> int:
    return page.locator("#findings tr.finding:visible").count()


def test_filters_and_search_on_the_overview(open_report: Any, demo_report: Path) -> None:
    import json

    report = json.loads((demo_report / "report.json").read_text("utf-8"))
    statuses = [f["status"] for f in report["findings"]]
    page, watch = open_report(demo_report)
    goto(page, demo_report, "index.html")
    assert page.is_visible("#filters")
    assert visible_rows(page) == len(statuses)
    assert page.inner_text("#filter-count") == f"Showing all {len(statuses)} checks"
    page.select_option("#filter-status", "fail")
    assert visible_rows(page) == statuses.count("fail")
    assert page.inner_text("#filter-count") == (
        f"Showing {statuses.count('fail')} of {len(statuses)} checks")
    page.select_option("#filter-status", "")
    critical = [f for f in report["findings"] if f["severity"] == "critical"]
    page.select_option("#filter-severity", "critical")
    assert visible_rows(page) == len(critical)
    page.select_option("#filter-severity", "")
    page.select_option("#filter-category", "policies")
    policies = [f for f in report["findings"] if f["category"] == "policies"]
    assert visible_rows(page) == len(policies)
    page.select_option("#filter-category", "")
    query = "returns-policy"
    expected = [f for f in report["findings"] if query in f["id"] or query in f["title"].lower()]
    page.fill("#search", query)
    assert visible_rows(page) == len(expected) >= 1
    page.fill("#search", "no such check anywhere")
    assert visible_rows(page) == 0 and page.is_visible("#filter-empty")
    page.fill("#search", "")
    assert visible_rows(page) == len(statuses)
    # the check and category pages have the same filters
    goto(page, demo_report, "categories/policies.html")
    page.select_option("#filter-status", "pass")
    assert visible_rows(page) == sum(f["status"] == "pass" for f in policies)
    watch.assert_clean()


def test_page_search_finds_pages_in_other_parts(open_report: Any, big_report: Path) -> None:
    page, watch = open_report(big_report)
    goto(page, big_report, "pages/index.html")
    assert page.is_visible("#page-search") and page.is_visible("#page-listing")
    page.fill("#page-query", "/p/00420")
    assert page.locator("#page-results li").count() == 1
    assert not page.is_visible("#page-listing")
    assert page.inner_text("#page-count") == "1 matching page"
    page.click("#page-results a")
    page.wait_for_load_state("load")
    assert page.inner_text("h1") == "Product 420"
    goto(page, big_report, "pages/index-2.html")
    page.fill("#page-query", "/p/")
    assert page.locator("#page-results li").count() == 100
    assert "first 100 of 444" in page.inner_text("#page-count")
    page.fill("#page-query", "")
    assert page.is_visible("#page-listing") and not page.is_visible("#page-results")
    watch.assert_clean()


def test_expand_and_collapse(open_report: Any, big_report: Path) -> None:
    page, watch = open_report(big_report)
    goto(page, big_report, "index.html")
    button = page.locator("button.expand-all")
    assert button.inner_text() == "Expand all"
    details = page.locator("main details")
    assert details.count() >= 2
    button.click()
    assert all(details.nth(i).get_attribute("open") is not None for i in range(details.count()))
    assert button.inner_text() == "Collapse all" and button.get_attribute("aria-pressed") == "true"
    button.click()
    assert all(details.nth(i).get_attribute("open") is None for i in range(details.count()))
    # keyboard: the button and the summaries are reachable and work with Enter
    button.focus()
    page.keyboard.press("Enter")
    assert button.inner_text() == "Collapse all"
    watch.assert_clean()


def test_works_without_javascript(open_report: Any, demo_report: Path) -> None:
    page, watch = open_report(demo_report, java_script_enabled=False)
    goto(page, demo_report, "index.html")
    assert not page.is_visible("#filters")  # JS-only controls stay hidden
    rows = page.locator("#findings tr.finding")
    assert rows.count() > 10 and all(rows.nth(i).is_visible() for i in range(rows.count()))
    assert page.locator("button.expand-all").count() == 0
    summary = page.locator("details.history-table summary")
    summary.click()
    assert page.is_visible("details.history-table table")
    goto(page, demo_report, "pages/index.html")
    assert not page.is_visible("#page-search") and page.is_visible("#pages")
    page.click("#pages tbody tr:first-child a")
    page.wait_for_load_state("load")
    assert page.url.endswith(page_file(f"{DEMO_URL}/"))
    watch.assert_clean()


def test_history_chart_and_changes(open_report: Any, demo_report: Path) -> None:
    page, watch = open_report(demo_report)
    goto(page, demo_report, "index.html")
    chart = page.locator("svg.history-chart")
    assert chart.get_attribute("role") == "img"
    assert page.locator("svg.history-chart circle.dot").count() == 2
    assert page.locator("#history-title").text_content() == "Score over 2 runs"
    assert "from" in (page.locator("#history-desc").text_content() or "")
    changes = page.inner_text("section[aria-labelledby='history-heading']")
    assert "Fixed (" in changes and "faq" in changes  # faq.html is missing from the earlier copy
    assert page.locator(".delta-value").inner_text().startswith("+")
    watch.assert_clean()


def test_print_dark_mode_and_phone_width(open_report: Any, demo_report: Path) -> None:
    page, watch = open_report(demo_report, color_scheme="dark")
    goto(page, demo_report, "index.html")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 20, 23)", background
    page.emulate_media(media="print", color_scheme="light")
    hidden = page.evaluate("""() => ['.site-nav', '#filters', '.skip-link']
        .map((s) => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none", "none", "none"]
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "overview-print.pdf"))
    phone, phone_watch = open_report(demo_report, viewport=PHONE)
    for rel in ("index.html", "checks/returns-policy.html", page_file(f"{DEMO_URL}/"),
                "pages/index.html", "categories/policies.html"):
        goto(phone, demo_report, rel)
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (rel, overflow)
    watch.assert_clean()
    phone_watch.assert_clean()


# --------------------------------------------------------------------------- screenshots

SHOTS = {
    "overview": "index.html",
    "check": "checks/returns-policy.html",
    "page": page_file(f"{DEMO_URL}/"),
}


def test_screenshots(open_report: Any, demo_report: Path) -> None:
    """Full pages to test-artifacts/ (light and dark); with TRUSTAUDIT_DOCS_IMG=1 also the
    first screen of each view to docs/img/ for the README."""
    ARTIFACTS.mkdir(exist_ok=True)
    docs = os.environ.get("TRUSTAUDIT_DOCS_IMG") == "1"
    if docs:
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        for scheme in ("light", "dark"):
            page, watch = open_report(demo_report, viewport=viewport, color_scheme=scheme)
            for name, rel in SHOTS.items():
                goto(page, demo_report, rel)
                path = ARTIFACTS / f"{name}-{label}-{scheme}.png"
                page.screenshot(path=str(path), full_page=True)
                assert path.stat().st_size > 10_000
                if docs and scheme == "light":
                    page.screenshot(path=str(DOCS_IMG / f"{name}-{label}.png"))
            watch.assert_clean()


# --------------------------------------------------------------------------- accessibility

AXE_PAGES = (
    "index.html",
    "checks/returns-policy.html",
    "checks/privacy-policy.html",
    "checks/https.html",
    "categories/policies.html",
    page_file(f"{DEMO_URL}/"),
    "pages/index.html",
)
AXE_RUN = """() => axe.run(document, {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                    "best-practice"] },
  resultTypes: ["violations"],
}).then((r) => r.violations.map((v) => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
})))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(
    open_report: Any, demo_report: Path, big_report: Path, scheme: str
) -> None:
    source = axe_source()
    if source is None:
        message = f"axe-core not found: set TRUSTAUDIT_AXE_JS or run `{AXE_INSTALL}`"
        if required():
            pytest.fail(message + " (TRUSTAUDIT_REQUIRE_BROWSER=1)", pytrace=False)
        pytest.skip(message)
    problems: list[str] = []
    minor: list[str] = []
    targets = [(demo_report, rel, DESKTOP) for rel in AXE_PAGES]
    targets += [(demo_report, "index.html", PHONE), (big_report, "pages/index.html", DESKTOP)]
    for root, rel, viewport in targets:
        page, watch = open_report(root, viewport=viewport, color_scheme=scheme)
        goto(page, root, rel)
        watch.assert_clean()
        # Evaluated through DevTools: the page's CSP stays in force (it blocks axe's own
        # requests, which log console errors that are axe's, not the report's).
        page.evaluate(source)
        for violation in page.evaluate(AXE_RUN):
            line = f"{rel} @{viewport['width']}px {violation['id']} ({violation['impact']}): " \
                   f"{violation['help']} {violation['nodes']}"
            (problems if violation["impact"] in ("serious", "critical") else minor).append(line)
        assert not watch.outside and not watch.dialogs, (rel, watch.outside, watch.dialogs)
    if minor:
        print("\n".join(["axe, minor and moderate:", *minor]))
    assert not problems, "\n".join(problems)
