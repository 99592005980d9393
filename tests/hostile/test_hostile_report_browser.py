"""The hostile server's reports in a real browser: nothing a hostile page wrote may run.

The cases whose pages put script in every field they control (titles, headings, link text,
hrefs, alt, meta, JSON-LD, response headers, redirect targets, URLs) are audited by the real
command; every HTML file of each report is then opened from ``file://`` in Debian's Chromium
(driven by Playwright) with ``alert``/``confirm``/``prompt``/``open``/``print`` trapped, event
handlers provoked, and every request watched. Asserted: no dialog, no trapped call, no console
or page error, no request outside the report folder, no element that runs or embeds anything.
Skipped without Chromium or Playwright (``tests/conftest.py``), failing in CI instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.hostile.harness import Outcome

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: Cases whose report carries the most page-controlled text. Opened: the overview, the page
#: index, and every file that shows markup-like page data (the others are alike and would only
#: slow CI down).
CASES = ("injection", "redirect-schemes", "encodings", "server-errors")


def documents_to_open(root: Path) -> list[Path]:
    documents = sorted(root.rglob("*.html"))
    keep = {"index.html", "pages/index.html"}
    return [d for d in documents if d.relative_to(root).as_posix() in keep
            or "&lt;" in d.read_text("utf-8") or "alert" in d.read_text("utf-8")]


TRAP = """
(() => {
  window.__trap = [];
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    window[name] = (...args) => { window.__trap.push(name + "(" + args.join(",") + ")"); };
  }
})();
"""
PROBE = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of Array.from(el.attributes)) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (name.startsWith("on") || name === "srcdoc") bad.push(el.tagName + " " + name);
      if (/^(javascript|vbscript|data):/.test(value)) bad.push(el.tagName + " " + name);
    }
    if (["IFRAME", "FRAME", "OBJECT", "EMBED", "BASE", "META"].includes(el.tagName)
        && !(el.tagName === "META" && !el.httpEquiv.match(/refresh/i))) bad.push(el.tagName);
  }
  for (const el of document.querySelectorAll("body *")) {
    for (const type of ["mouseover", "focus", "click", "load", "error", "animationstart"]) {
      el.dispatchEvent(new Event(type, { bubbles: false }));
    }
  }
  const scripts = Array.from(document.scripts).map((s) => s.getAttribute("src") || "INLINE");
  const links = Array.from(document.querySelectorAll("a[href]")).map((a) => a.href);
  return { bad, scripts, links, text: document.body.innerText };
}"""


@dataclass
class Watch:
    root: Path
    problems: list[str] = field(default_factory=list)
    requests: int = 0

    def attach(self, page: Any) -> None:
        page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console error on {page.url}: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error on {page.url}: {e}"))
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        self.requests += 1
        parts = urlsplit(request.url)
        inside = parts.scheme == "file" and Path(unquote(parts.path)).resolve().is_relative_to(
            self.root.resolve())
        if not inside:
            self.problems.append(f"request outside the folder: {request.url}")


@pytest.fixture(scope="module")
def reports(outcomes: dict[str, Outcome | BaseException]) -> dict[str, Path]:
    """The report folders of CASES, from the session's audits of the hostile cases."""
    out: dict[str, Path] = {}
    for name in CASES:
        outcome = outcomes[name]
        if isinstance(outcome, BaseException):
            raise outcome
        assert outcome.exit_code == 0 and outcome.report is not None, outcome.describe()
        out[name] = outcome.out
    return out


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("name", CASES)
def test_hostile_report_runs_nothing_and_loads_nothing(name: str, reports: dict[str, Path],
                                                       chromium: Any) -> None:
    root = reports[name]
    context = chromium.new_context()
    try:
        context.add_init_script(TRAP)
        page = context.new_page()
        watch = Watch(root)
        watch.attach(page)
        documents = documents_to_open(root)
        texts: list[str] = []
        for document in documents:
            rel = document.relative_to(root)
            page.goto(document.as_uri())
            found = page.evaluate(PROBE)
            assert not found["bad"], (rel, found["bad"])
            assert all(s != "INLINE" and not urlsplit(s).scheme for s in found["scripts"]), \
                (rel, found["scripts"])
            for href in found["links"]:
                assert urlsplit(href).scheme in ("file", "http", "https"), (rel, href)
            assert page.evaluate("window.__trap") == [], (rel, page.evaluate("window.__trap"))
            texts.append(found["text"])
        page.wait_for_timeout(200)  # anything scheduled by the last page has run by now
        assert page.evaluate("window.__trap") == []
        assert not watch.problems, watch.problems[:10]
        assert watch.requests >= len(documents)
        if name == "injection":
            shown = "\n".join(texts)
            assert "<script>alert(1)</script>" in shown, "the payload is shown as text"
    finally:
        context.close()
