"""A realistic report.json dict for the report-site tests, with hostile content everywhere a page
controls it (titles, snippets, locators, URLs, error texts), valid against the schema.

Scores, counts and coverage are computed from the findings the way DESIGN.md §4 defines them, so
the overview shows numbers a real audit would.
"""

from __future__ import annotations

import copy
from typing import Any

from auditor.scoring import grade_for

SITE = "https://shop.example"
JS_URL = "javascript:alert(1)"
DATA_URL = "data:text/html,<script>alert(1)</script>"
TAB_JS_URL = " \tjava\nscript:alert(3)"
QUOTE_URL = 'https://shop.example/returns?q="><svg onload=alert(1)>'
SCRIPT_BREAK = '"><script>alert(1)</script>'
SCRIPT_CLOSE = "</script><script>alert(2)</script>"
IMG_ONERROR = "<img src=x onerror=alert(1)>"
#: Markers that must never appear unescaped in any rendered file.
HOSTILE_RAW = (
    "<script>alert(1)</script>",
    "<script>alert(2)</script>",
    "<img src=x onerror",
    "<svg onload",
    "<b>bold</b>",
)
#: What the escaped forms look like in HTML text (autoescape uses &#34; and &#39; for quotes).
HOSTILE_ESCAPED = (
    "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
    "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;",
    "&lt;img src=x onerror=alert(1)&gt;",
)

CATEGORY_TITLES = {
    "identity": "Identity",
    "contact": "Contact",
    "policies": "Policies",
    "privacy": "Privacy",
    "security": "Security",
    "social-proof": "Social proof",
    "credentials": "Credentials",
    "maintenance": "Maintenance",
    "machine-readable": "Machine-readable",
}


def _doc(looks_for: str, why: str, how: str, traps: str = "") -> dict[str, str]:
    return {"looks_for": looks_for, "why": why, "how_to_fix": how, "traps": traps}


def _ev(url: str, kind: str, snippet: str = "", locator: str = "") -> dict[str, str]:
    return {"url": url, "kind": kind, "snippet": snippet[:200], "locator": locator[:120]}


def _finding(
    id: str, category: str, severity: str, weight: int, status: str, found: bool | None,
    title: str, message: str, evidence: list[dict[str, str]], fix: str, doc: dict[str, str],
) -> dict[str, Any]:
    return {
        "id": id, "category": category, "severity": severity, "weight": weight,
        "status": status, "found": found, "title": title, "message": message,
        "evidence": evidence, "fix": fix, "doc": doc,
    }


def findings() -> list[dict[str, Any]]:
    home, privacy, returns = f"{SITE}/", f"{SITE}/privacy", f"{SITE}/returns"
    return [
        _finding(
            "acme:returns-window", "policies", "medium", 4, "fail", False,
            "The returns policy gives no returns window",
            f"No number of days found near {SCRIPT_BREAK}",
            [_ev(DATA_URL, "searched", IMG_ONERROR, "main"),
             _ev(returns, "searched", "", "main > article")],
            "State how many days customers have to return an item.",
            _doc("A number of days in the returns policy.", "Customers plan around it.",
                 "Write the window, e.g. 30 days.", "A window only in a PDF is not found."),
        ),
        _finding(
            "broken-links", "maintenance", "low", 3, "fail", True,
            "Some internal links are broken",
            "1 internal link answers with an error.",
            [_ev(f"{SITE}/gift-cards", "link", "Gift cards", "a[href='/gift-cards'] on /")],
            "Fix or remove links that answer 404.",
            _doc("Internal links answering 4xx or 5xx.", "Dead ends look neglected.",
                 "Fix or remove the links.\n\nRe-run the audit after deploying."),
        ),
        _finding(
            "contact-email", "contact", "medium", 5, "pass", True,
            "The site shows an email address",
            "An email address is shown on 1 page.",
            [_ev(JS_URL, "text", SCRIPT_CLOSE, "footer"),
             _ev(TAB_JS_URL, "link", "mail us", "a[href^=mailto]"),
             _ev(home, "link", "hello@shop.example", IMG_ONERROR)],
            "Show an email address customers can write to.",
            _doc("A mailto link or an address in the text.", "People want a way to reach you.",
                 "Add an email address to the footer and the contact page.",
                 "Obfuscated addresses <b>bold</b> are still found."),
        ),
        _finding(
            "https", "security", "critical", 10, "fail", False,
            "The site is not served over HTTPS",
            "The start page answered over plain http.",
            [_ev("http://shop.example/", "header", "HTTP/1.1 200 OK", "")],
            "Serve every page over HTTPS and redirect http to https.",
            _doc("An https start URL and a redirect from http.", "Browsers warn on http.",
                 "Get a certificate (Let's Encrypt) and redirect."),
        ),
        _finding(
            "privacy-policy", "privacy", "high", 8, "pass", True,
            "The site links to a privacy policy",
            "A privacy policy is linked from every page.",
            [_ev(privacy, "link", SCRIPT_BREAK, 'footer > a[href="javascript:alert(1)"]'),
             _ev(QUOTE_URL, "page", "Privacy & cookies", "title")],
            "Link a privacy policy from the footer of every page.",
            _doc("A link whose text or target names a privacy policy.",
                 "Required by law in many countries.", "Add a footer link."),
        ),
        _finding(
            "returns-policy", "policies", "high", 8, "fail", False,
            "No returns policy is linked from the site",
            "No link or page names a returns policy.",
            [_ev(home, "searched", "", "all links"), _ev(privacy, "searched", "", "all links"),
             _ev(QUOTE_URL, "searched", SCRIPT_CLOSE, "all links"),
             _ev(JS_URL, "searched", "", "")],
            "Publish a returns policy and link it from the footer.",
            _doc("Links and pages named returns, refunds, Widerruf ...",
                 "Shoppers check returns before they buy.", "Add a returns page.",
                 "A 'return to top' link is not a returns policy."),
        ),
        _finding(
            "reviews", "social-proof", "low", 4, "not-applicable", None,
            "The site shows customer reviews",
            "Not applicable to this kind of site.",
            [], "Show reviews from a verified source.",
            _doc("Review widgets and review markup.", "Social proof.", "Add reviews."),
        ),
        _finding(
            "sitemap", "machine-readable", "info", 2, "error", None,
            "The site publishes a sitemap",
            f"The check raised ValueError: {IMG_ONERROR}",
            [], "Publish /sitemap.xml.",
            _doc("sitemap.xml or a Sitemap line in robots.txt.", "Helps crawlers.",
                 "Generate a sitemap."),
        ),
        _finding(
            "trust-seal", "credentials", "low", 3, "unknown", None,
            "The site shows a verifiable trust seal",
            "The seal is loaded by JavaScript, which trustaudit does not run.",
            [_ev(home, "script", SCRIPT_CLOSE, "script[src]")],
            "Show a seal that links to its verification page.",
            _doc("Seal vendors' scripts and images.", "Seals can reassure.", "Link the seal."),
        ),
    ]


def _score(items: list[dict[str, Any]]) -> tuple[int | None, float]:
    passed = sum(f["weight"] for f in items if f["status"] == "pass")
    judged = sum(f["weight"] for f in items if f["status"] in ("pass", "fail"))
    applicable = sum(f["weight"] for f in items if f["status"] != "not-applicable")
    value = round(100 * passed / judged) if judged else None
    return value, (round(judged / applicable, 4) if applicable else 0.0)


def _counts(items: list[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(("pass", "fail", "unknown", "not-applicable", "error"), 0)
    for f in items:
        counts[f["status"]] += 1
    return counts


def pages(total: int = 0) -> list[dict[str, Any]]:
    """The hostile sample pages, plus plain generated pages up to ``total`` pages in all."""
    base = [
        {"url": f"{SITE}/", "final_url": f"{SITE}/", "status": 200,
         "title": f"{IMG_ONERROR}Lindenhof tea", "depth": 0, "content_type": "text/html",
         "source": "start", "error": "", "signals": ["contact-email"]},
        {"url": f"{SITE}/privacy", "final_url": f"{SITE}/privacy", "status": 200,
         "title": SCRIPT_BREAK, "depth": 1, "content_type": "text/html; charset=utf-8",
         "source": "link", "error": "", "signals": ["privacy-policy"]},
        {"url": QUOTE_URL, "final_url": QUOTE_URL, "status": 200, "title": SCRIPT_CLOSE,
         "depth": 1, "content_type": "text/html", "source": "sitemap", "error": "",
         "signals": ["privacy-policy"]},
        {"url": f"{SITE}/contact", "final_url": f"{SITE}/contact-us", "status": 200,
         "title": "Contact", "depth": 1, "content_type": "text/html", "source": "probe",
         "error": "", "signals": []},
        {"url": f"{SITE}/gift-cards", "final_url": f"{SITE}/gift-cards", "status": 404,
         "title": "", "depth": 1, "content_type": "text/html", "source": "link", "error": "",
         "signals": []},
        {"url": JS_URL, "final_url": DATA_URL, "status": 0, "title": "", "depth": 2,
         "content_type": "", "source": "link", "error": f"refused: {SCRIPT_BREAK}",
         "signals": ["contact-email", "not-a-check"]},
    ]
    for i in range(max(0, total - len(base))):
        base.append(
            {"url": f"{SITE}/p/{i:05d}", "final_url": f"{SITE}/p/{i:05d}", "status": 200,
             "title": f"Product {i}", "depth": 2, "content_type": "text/html", "source": "link",
             "error": "", "signals": []}
        )
    return base


def sample_report(total_pages: int = 0) -> dict[str, Any]:
    """A complete report.json dict (schema version 1)."""
    items = sorted(findings(), key=lambda f: f["id"])
    page_list = pages(total_pages)
    value, coverage = _score(items)
    capped = sorted(f["id"] for f in items if f["status"] == "fail" and f["severity"] == "critical")
    grade = grade_for(value)
    if capped and grade is not None:
        grade = max(grade, "D")
    categories = []
    for cat in CATEGORY_TITLES:
        members = [f for f in items if f["category"] == cat]
        if not members:
            continue
        cat_value, cat_coverage = _score(members)
        categories.append({
            "id": cat, "title": CATEGORY_TITLES[cat], "score": cat_value,
            "grade": grade_for(cat_value), "coverage": cat_coverage, "counts": _counts(members),
            "checks": sorted(f["id"] for f in members),
        })
    html_pages = [p for p in page_list if p["content_type"].startswith("text/html")]
    return copy.deepcopy({
        "schema_version": 1,
        "tool": {"name": "trustaudit", "version": "0.1.0"},
        "target": {
            "input": f"{SITE}/?utm=<i>x</i>", "mode": "url", "start_url": f"{SITE}/",
            "site_url": "", "site_kind": "shop", "site_kind_source": "inferred",
            "languages": ["de", "en"],
        },
        "crawl": {
            "pages": len(html_pages), "fetched": len(page_list), "errors": 2,
            "robots_blocked": sorted([f"{SITE}/admin", f"{SITE}/<script>alert(1)</script>",
                                      JS_URL]),
            "limits_hit": ["max-pages"], "out_of_scope": 7,
            "robots_txt": {"url": f"{SITE}/robots.txt", "status": 200, "found": True,
                           "error": ""},
        },
        "score": {"value": value, "grade": grade, "coverage": coverage, "capped_by": capped},
        "categories": categories,
        "findings": items,
        "pages": page_list,
        "fetch_errors": [
            {"url": f"{SITE}/gift-cards", "status": 404, "error": "HTTP 404",
             "linked_from": [f"{SITE}/", JS_URL]},
            {"url": f'{SITE}/slow"><script>alert(1)</script>', "status": 0,
             "error": f"timed out {IMG_ONERROR}", "linked_from": [QUOTE_URL]},
        ],
    })


def sample_run() -> dict[str, Any]:
    return {
        "tool": {"name": "trustaudit", "version": "0.1.0"},
        "started": "2025-01-02T03:04:05Z",
        "duration_s": 12.345,
        "argv": ["trustaudit", "audit", SITE],
        "root": "",
        "python": "3.11.7",
        "platform": "Linux",
        "dependencies": {"jinja2": "3.1.6"},
    }
