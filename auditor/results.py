"""Build report.json (what was judged) and run.json (when, how long, with what) from findings.

report.json is deterministic: sorted lists, sorted keys, no timestamps, no absolute local paths,
so CI can diff two runs. Everything that varies between identical runs goes to run.json.
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

from auditor import __version__
from auditor.check_api import Status
from auditor.runner import Finding
from auditor.scoring import Score, category_scores, overall_score
from auditor.site import SiteSnapshot

SCHEMA_VERSION = 1
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
CATEGORY_TITLES = {
    "identity": "Identity",
    "contact": "Contact",
    "policies": "Policies",
    "privacy": "Privacy",
    "security": "Security",
    "social-proof": "Social proof",
    "credentials": "Credentials",
    "ethics": "Ethics",
    "honesty": "Honesty",
    "maintenance": "Maintenance",
    "feedback": "Feedback",
    "machine-readable": "Machine-readable",
}


def finding_dict(finding: Finding) -> dict[str, Any]:
    spec, outcome = finding.spec, finding.outcome
    return {
        "id": spec.id,
        "category": spec.category,
        "severity": spec.severity,
        "weight": spec.weight,
        "status": str(outcome.status),
        "found": outcome.found if spec.presence else None,
        "title": finding.title,
        "message": outcome.message,
        "evidence": [e.to_dict() for e in outcome.evidence],
        "fix": spec.fix,
        "doc": {
            "looks_for": spec.doc("What it looks for"),
            "why": spec.doc("Why it matters"),
            "how_to_fix": spec.doc("How to fix"),
            "traps": spec.doc("Traps"),
        },
    }


def _score_dict(s: Score) -> dict[str, Any]:
    return {
        "value": s.value,
        "grade": s.grade,
        "coverage": s.coverage,
        "capped_by": list(s.capped_by),
    }


def _counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {str(status): 0 for status in Status}
    for f in findings:
        counts[str(f.status)] += 1
    return counts


def page_signals(findings: Iterable[Finding]) -> dict[str, list[str]]:
    """Check ids whose pass/fail evidence points at each page (searched locations excluded)."""
    signals: dict[str, set[str]] = {}
    for finding in findings:
        if finding.status is not Status.PASS:
            continue
        for ev in finding.outcome.evidence:
            if ev.kind != "searched":
                signals.setdefault(ev.url, set()).add(finding.id)
    return {url: sorted(ids) for url, ids in signals.items()}


def _linked_from(site: SiteSnapshot) -> dict[str, set[str]]:
    """Which audited pages link to (or show, for images) each URL: for fetch errors."""
    back: dict[str, set[str]] = {}
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            if link.url:
                back.setdefault(link.url, set()).add(page.final_url or page.url)
        for image in page.facts.images:
            if image.src:
                back.setdefault(image.src, set()).add(page.final_url or page.url)
    return back


def build_report(
    site: SiteSnapshot,
    findings: Iterable[Finding],
    *,
    site_kind: str,
    site_kind_source: str,
    languages: Iterable[str],
) -> dict[str, Any]:
    findings = sorted(findings, key=lambda f: f.id)
    per_category = category_scores(findings, site)
    overall = overall_score(findings, per_category)
    signals = page_signals(findings)
    back = _linked_from(site)
    errors = [p for p in site.pages if p.error or p.status >= 400]
    # A 404 answer to one of our own probes is not an error of the site.
    errors = [p for p in errors if not (p.source == "probe" and p.status == 404 and not p.error)]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "trustaudit", "version": __version__},
        "target": {
            "input": site.target,
            "mode": site.mode,
            "start_url": site.start_url,
            "site_url": site.site_url,
            "site_kind": site_kind,
            "site_kind_source": site_kind_source,
            "languages": sorted(set(languages)),
        },
        "crawl": {
            "pages": len(site.html_pages),
            "fetched": len(site.pages),
            "errors": len(errors),
            "robots_blocked": sorted(site.robots_blocked),
            "limits_hit": sorted(site.limits_hit),
            "out_of_scope": site.out_of_scope,
            "robots_txt": {
                "url": site.robots.url,
                "status": site.robots.status,
                "found": site.robots.found,
                "error": site.robots.error,
            },
        },
        "score": _score_dict(overall),
        "categories": [
            {
                "id": cat,
                "title": CATEGORY_TITLES[cat],
                **{k: v for k, v in _score_dict(s).items() if k in ("coverage",)},
                "score": s.value,
                "grade": s.grade,
                "counts": _counts(f for f in findings if f.spec.category == cat),
                "checks": sorted(f.id for f in findings if f.spec.category == cat),
                **({"observatory": s.observatory.to_dict()} if s.observatory else {}),
            }
            for cat, s in per_category.items()
        ],
        "findings": [finding_dict(f) for f in findings],
        "pages": [
            {
                "url": p.url,
                "final_url": p.final_url or p.url,
                "status": p.status,
                "title": p.facts.title if p.facts else "",
                "depth": p.depth,
                "content_type": p.content_type,
                "source": p.source,
                "error": p.error,
                "truncated": p.truncated,
                "signals": sorted(
                    set(signals.get(p.url, ())) | set(signals.get(p.final_url or p.url, ()))
                ),
            }
            for p in site.pages
            # Our own probes that found nothing, and images fetched for their status only,
            # are not pages of the site (failed images are listed under fetch_errors).
            if not (p.source == "probe" and p.status == 404) and p.source != "resource"
        ],
        "fetch_errors": [
            {
                "url": p.url,
                "status": p.status,
                "error": p.error or f"HTTP {p.status}",
                "linked_from": sorted(back.get(p.url, ())),
            }
            for p in sorted(errors, key=lambda p: p.url)
        ],
    }


def build_run(
    *, started: str, duration_s: float, argv: list[str], root: str = ""
) -> dict[str, Any]:
    """Run metadata: varies between identical runs, so it never goes into report.json."""
    return {
        "tool": {"name": "trustaudit", "version": __version__},
        "started": started,
        "duration_s": round(duration_s, 3),
        "argv": argv,
        "root": root,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "dependencies": dependency_versions(),
    }


def dependency_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("beautifulsoup4", "click", "jinja2", "lxml", "protego", "requests", "tldextract"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def dumps(data: Mapping[str, Any]) -> str:
    """Canonical JSON: sorted keys, two-space indent, UTF-8 text, final newline."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def load_schema() -> dict[str, Any]:
    text = resources.files("auditor.schema").joinpath("report.schema.json").read_text("utf-8")
    return json.loads(text)
