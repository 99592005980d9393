"""Render report.json into the static report site (DESIGN.md §7), written atomically.

The site is rendered from the report dict only (plus run.json's time and duration, and the
history when one is kept): an overview, one page per check, per category and per audited page, a
paginated pages index with its search data, badge.svg, two assets and a marker file. It opens
from ``file://`` or any static host (relative links only, nothing fetched from outside, no
JavaScript needed: scripts only filter, search and expand). Everything a page controls is hostile:
autoescape is always on, hrefs from report data pass
:func:`~auditor.report.filters.safe_href`, data for scripts is escaped JSON
(:func:`~auditor.report.filters.script_json`), and a strict Content-Security-Policy forbids
inline script and style. Output is deterministic: the same report (and run, and history) gives
byte-identical files.

The site is written to a temporary sibling folder and moved into place, so a failed or interrupted
render leaves the previous report intact; a folder that is not an earlier report is never replaced.
"""

from __future__ import annotations

import functools
import math
import os
import secrets
import shutil
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from auditor.errors import OutputError
from auditor.report import filters
from auditor.report.badge import badge_svg
from auditor.report.history import History

MARKER = ".trustaudit-report"
SEARCH_DATA = "pages/search-data.js"
PAGES_PER_INDEX = 200
ASSETS = ("style.css", "app.js")
GAUGE_RADIUS = 52
_GAUGE_CIRCUMFERENCE = 2 * math.pi * GAUGE_RADIUS
_PAGINATION_WINDOW = 3


@dataclass(frozen=True, slots=True)
class Links:
    """Where each thing of the report lives in the site, as paths relative to the site root."""

    checks: dict[str, str]
    categories: dict[str, str]
    pages: dict[str, str]
    page_index: dict[str, str]

    def check(self, check_id: str) -> str:
        return self.checks.get(check_id, "")

    def page(self, url: str) -> str:
        return self.pages.get(url, "")


# --------------------------------------------------------------------------- templates


@functools.cache
def environment() -> Environment:
    """The Jinja2 environment, built once per process (templates compile once)."""
    from auditor.registry import verify_builtin_packages

    verify_builtin_packages()
    env = Environment(
        loader=PackageLoader("site_templates", ""),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        safe_href=filters.safe_href,
        status_label=filters.status_label,
        status_symbol=filters.status_symbol,
        found_label=filters.found_label,
        found_class=filters.found_class,
        percent=filters.percent,
        score_text=filters.score_text,
        paragraphs=filters.paragraphs,
        kind_label=filters.kind_label,
        capfirst=filters.capfirst,
        live_href=filters.live_href,
        duration_text=filters.duration_text,
    )
    return env


def _template(name: str) -> Template:
    return environment().get_template(name)


# --------------------------------------------------------------------------- view model

#: One line per category, shown on its page: what the category is about.
CATEGORY_BLURBS: dict[str, str] = {
    "identity": "Who runs the site: legal name, imprint, address, an about page, social profiles.",
    "contact": "How a customer reaches a person: email, phone, a contact page, answers to "
    "common questions.",
    "policies": "The rules a customer reads before buying: returns, shipping, terms.",
    "privacy": "What happens to visitors' data: a privacy policy and consent before tracking.",
    "security": "Whether the connection and the pages are protected: HTTPS and safe headers.",
    "social-proof": "What other customers say: independent reviews and testimonials.",
    "credentials": "Third parties vouching for the business: seals, certifications, awards.",
    "ethics": "Fair dealing: no dark patterns, clear pricing, accessible design.",
    "honesty": "Claims that can be checked: no fake urgency, invented scarcity or unsourced "
    "superlatives.",
    "maintenance": "Signs somebody looks after the site: working links, current dates.",
    "feedback": "Ways to complain or give feedback, and a visible answer to it.",
    "machine-readable": "What search engines and tools can read: structured data, sitemaps.",
}


def _links(report: Mapping[str, Any]) -> Links:
    check_names = filters.assign_names((f["id"] for f in report["findings"]), "check")
    category_names = filters.assign_names((c["id"] for c in report["categories"]), "category")
    pages = report["pages"]
    page_names = filters.page_names(p["url"] for p in pages)
    page_files = {url: f"pages/{stem}.html" for url, stem in page_names.items()}
    for page in sorted(pages, key=lambda p: (p["url"], p["final_url"])):
        page_files.setdefault(page["final_url"], page_files[page["url"]])
    ordered = _sorted_pages(pages)
    page_index = {
        page["url"]: _index_file(i // PAGES_PER_INDEX + 1) for i, page in enumerate(ordered)
    }
    return Links(
        checks={k: f"checks/{v}.html" for k, v in check_names.items()},
        categories={k: f"categories/{v}.html" for k, v in category_names.items()},
        pages=page_files,
        page_index=page_index,
    )


def _sorted_pages(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Audited pages sorted by URL, one entry per URL (the first wins)."""
    seen: dict[str, dict[str, Any]] = {}
    for page in pages:
        seen.setdefault(page["url"], page)
    return [seen[url] for url in sorted(seen)]


def _index_file(number: int) -> str:
    return "pages/index.html" if number == 1 else f"pages/index-{number}.html"


def _category_titles(report: Mapping[str, Any]) -> dict[str, str]:
    return {c["id"]: c["title"] for c in report["categories"]}


def _site_origin(report: Mapping[str, Any]) -> str:
    target = report["target"]
    return filters.origin_of(target["start_url"]) or filters.origin_of(target["site_url"])


def _finding_row(finding: Mapping[str, Any], links: Links, titles: Mapping[str, str]) -> dict:
    return {
        "id": finding["id"],
        "title": finding["title"],
        "status": finding["status"],
        "severity": finding["severity"],
        "weight": finding["weight"],
        "category": finding["category"],
        "category_title": titles.get(finding["category"], finding["category"]),
        "category_href": links.categories.get(finding["category"], ""),
        "href": links.check(finding["id"]),
        "found": finding["found"],
        "fix": finding["fix"],
        "message": finding["message"],
    }


def _evidence_item(
    evidence: Mapping[str, Any], links: Links, origin: str, live_word: str
) -> dict[str, str]:
    return {
        "live_word": live_word,
        "kind": evidence["kind"],
        "url": evidence["url"],
        "short": filters.short_url(evidence["url"], origin),
        "live": filters.live_href(evidence["url"]),
        "page": links.page(evidence["url"]),
        "snippet": evidence["snippet"],
        "locator": evidence["locator"],
    }


def _priority(finding: Mapping[str, Any]) -> tuple[int, int, str]:
    return filters.SEVERITY_ORDER.get(finding["severity"], 9), -finding["weight"], finding["id"]


def fix_first(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Failed findings by severity (critical first), then weight (heaviest first), then id."""
    return sorted((f for f in findings if f["status"] == "fail"), key=_priority)


def not_judged(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unknown and errored findings, most important first: what the score leaves out."""
    return sorted((f for f in findings if f["status"] in ("unknown", "error")), key=_priority)


def _status_counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(filters.STATUS_LABELS, 0)
    for finding in findings:
        counts[finding["status"]] = counts.get(finding["status"], 0) + 1
    return counts


def _gauge(fraction: float | None) -> dict[str, str]:
    """Dash arrays of a 270° arc gauge (gap at the bottom): the track and the value arc.

    No value (or 0) draws no value arc: a zero-length round cap would draw a dot.
    """
    arc = _GAUGE_CIRCUMFERENCE * 0.75
    track = f"{arc:.2f} {_GAUGE_CIRCUMFERENCE:.2f}"
    if not fraction:
        return {"track": track, "dash": ""}
    return {"track": track, "dash": f"{arc * min(1.0, fraction):.2f} {_GAUGE_CIRCUMFERENCE:.2f}"}


def _run_info(run: Mapping[str, Any] | None) -> dict[str, str] | None:
    if not run:
        return None
    started = str(run.get("started", "") or "")
    return {
        "started": filters.started_text(started) if started else "",
        "started_iso": started,
        "duration": filters.duration_text(run.get("duration_s")),
    }


def _pagination(number: int, total: int) -> dict[str, Any]:
    lo, hi = max(1, number - _PAGINATION_WINDOW), min(total, number + _PAGINATION_WINDOW)
    shown = sorted({1, total, *range(lo, hi + 1)})
    items: list[dict[str, Any]] = []
    for n in shown:
        if items and n - items[-1]["number"] > 1:
            items.append({"number": None, "href": ""})
        items.append({"number": n, "href": _index_file(n).removeprefix("pages/")})
    return {
        "number": number,
        "total": total,
        "items": items,
        "prev": _index_file(number - 1).removeprefix("pages/") if number > 1 else "",
        "next": _index_file(number + 1).removeprefix("pages/") if number < total else "",
    }


def _sections(pages: list[dict[str, Any]], origin: str) -> list[dict[str, Any]]:
    """Pages grouped by the first folder of their path, with the index part each starts on."""
    groups: dict[str, dict[str, Any]] = {}
    for i, page in enumerate(pages):
        path = filters.short_url(page["url"], origin)
        if path.startswith("/") and "/" in path[1:].split("?")[0]:
            key = "/" + path[1:].split("/")[0] + "/"
        elif path.startswith("/"):
            key = "/"
        else:
            key = filters.origin_of(page["url"]) or "other"
        group = groups.setdefault(key, {"name": key, "count": 0, "first": i})
        group["count"] += 1
    return [
        {**g, "href": _index_file(g["first"] // PAGES_PER_INDEX + 1).removeprefix("pages/")}
        for g in sorted(groups.values(), key=lambda g: (-g["count"], g["name"]))
    ]


def _group_evidence(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Evidence on one page, one group per check: failures first, then by check id."""
    groups: dict[str, dict[str, Any]] = {}
    for item in items:
        check = item["check"]
        group = groups.setdefault(check["id"], {"check": check, "items": []})
        group["items"].append(item)
    order = {status: i for i, status in enumerate(filters.STATUS_ORDER)}
    return sorted(groups.values(),
                  key=lambda g: (order.get(g["check"]["status"], 9), g["check"]["id"]))


def _search_data(pages: list[dict[str, Any]], links: Links) -> str:
    """The pages index's search data, as a script that only assigns inert JSON."""
    rows = [
        {"u": p["url"], "t": p["title"], "s": p["status"],
         "h": links.pages[p["url"]].removeprefix("pages/")}
        for p in pages
    ]
    return f"window.trustauditPages = {filters.script_json(rows)};\n"


# --------------------------------------------------------------------------- the files


def site_files(
    report: Mapping[str, Any],
    run: Mapping[str, Any] | None = None,
    downloads: tuple[str, ...] = (),
    history: History | None = None,
) -> Iterator[tuple[str, bytes]]:
    """Every generated file of the site as (relative POSIX path, bytes), in a fixed order.

    ``downloads`` names the extra files written beside the site (report.json, run.json), which
    the overview links to; ``history`` adds the score-over-time chart and the changes since the
    previous run to the overview.
    """
    links = _links(report)
    titles = _category_titles(report)
    origin = _site_origin(report)
    findings = sorted(report["findings"], key=lambda f: f["id"])
    rows = [_finding_row(f, links, titles) for f in findings]
    rows_by_id = {r["id"]: r for r in rows}
    pages = _sorted_pages(report["pages"])
    score = report["score"]
    target = report["target"]
    folder_mode = target["mode"] == "folder"
    site_name = target["input"]
    if folder_mode and filters.live_href(target["site_url"]):
        site_name = urlsplit(target["site_url"]).netloc or site_name
    live_word = "Production URL" if folder_mode else "Live URL"
    common = {
        "tool_version": report["tool"]["version"],
        "schema_version": report["schema_version"],
        "target_input": report["target"]["input"],
        "site_name": site_name,
    }

    def render(name: str, root: str, section: str, **context: Any) -> bytes:
        text = _template(name).render(**common, root=root, section=section, **context)
        return text.encode("utf-8")

    categories = [
        {
            **category,
            "href": links.categories[category["id"]],
            "bar": 0 if category["score"] is None else category["score"],
            "blurb": CATEGORY_BLURBS.get(category["id"], ""),
        }
        for category in report["categories"]
    ]
    capped_by = [
        {"id": cid, "href": links.check(cid), "title": rows_by_id.get(cid, {}).get("title", cid)}
        for cid in score["capped_by"]
    ]
    change = None
    if history is not None and history.change is not None:
        diff = history.change

        def changes(items: tuple[Any, ...]) -> list[dict[str, Any]]:
            return [{"id": c.id, "title": c.title, "severity": c.severity, "old": c.old,
                     "new": c.new, "href": links.check(c.id) if c.new else ""} for c in items]

        change = {
            "delta": diff.score_delta,
            "old_score": diff.old_score,
            "old_grade": diff.old_grade,
            "new_failures": [c for c in changes((*diff.changed, *diff.appeared))
                             if c["new"] == "fail" and c["old"] != "fail"],
            "resolved": [c for c in changes(diff.changed)
                         if c["old"] == "fail" and c["new"] != "fail"],
            "other": [c for c in changes(diff.changed)
                      if c["new"] != "fail" and c["old"] != "fail"],
            "disappeared": changes(diff.disappeared),
            "appeared": [c for c in changes(diff.appeared) if c["new"] != "fail"],
            "unchanged": diff.unchanged,
        }
    run_info = _run_info(run)
    yield "index.html", render(
        "index.html", "", "overview",
        report=report,
        target=target,
        crawl=report["crawl"],
        score=score,
        gauge=_gauge(None if score["value"] is None else score["value"] / 100),
        coverage_gauge=_gauge(score["coverage"]),
        capped_by=capped_by,
        categories=categories,
        fix_first=[rows_by_id[f["id"]] for f in fix_first(findings)],
        not_judged=[rows_by_id[f["id"]] for f in not_judged(findings)],
        rows=rows,
        counts=_status_counts(findings),
        status_labels=filters.STATUS_LABELS,
        status_order=filters.STATUS_ORDER,
        severities=tuple(filters.SEVERITY_ORDER),
        robots_blocked=[
            {"url": url, "page": links.page(url)} for url in report["crawl"]["robots_blocked"]
        ],
        run=run_info,
        history=history,
        change=change,
        files=sorted({*downloads, "badge.svg"}),
        pages_count=len(pages),
    )

    for finding in findings:
        row = rows_by_id[finding["id"]]
        evidence = [_evidence_item(e, links, origin, live_word) for e in finding["evidence"]]
        yield links.check(finding["id"]), render(
            "check.html", "../", "checks",
            finding=finding,
            row=row,
            evidence=[e for e in evidence if e["kind"] != "searched"],
            searched=[e for e in evidence if e["kind"] == "searched"],
            pages_count=len(pages),
            folder_mode=folder_mode,
        )

    for category in categories:
        members = [r for r in rows if r["category"] == category["id"]]
        yield category["href"], render(
            "category.html", "../", "categories",
            category=category,
            gauge=_gauge(None if category["score"] is None else category["score"] / 100),
            fixes=fix_first(members),
            check_hrefs={r["id"]: r["href"] for r in members},
            rows=members,
            counts=_status_counts(members),
            status_labels=filters.STATUS_LABELS,
            status_order=filters.STATUS_ORDER,
            severities=tuple(filters.SEVERITY_ORDER),
        )

    on_page: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        for ev in finding["evidence"]:
            target_file = links.page(ev["url"])
            if target_file:
                on_page.setdefault(target_file, []).append(
                    {**_evidence_item(ev, links, origin, live_word),
                     "check": rows_by_id[finding["id"]]}
                )
    broken_from: dict[str, list[dict[str, Any]]] = {}
    for error in sorted(report["fetch_errors"], key=lambda e: e["url"]):
        for source in sorted(set(error["linked_from"])):
            target_file = links.page(source)
            if target_file:
                broken_from.setdefault(target_file, []).append({
                    "url": error["url"], "status": error["status"], "error": error["error"],
                    "short": filters.short_url(error["url"], origin),
                    "page": links.page(error["url"]).removeprefix("pages/"),
                })
    page_template = _template("page.html")
    for page in pages:
        path = links.pages[page["url"]]
        items = on_page.get(path, [])
        seen = _group_evidence([e for e in items if e["kind"] != "searched"])
        with_evidence = {g["check"]["id"] for g in seen}
        bare = [
            {"id": sid, "href": links.check(sid), "row": rows_by_id.get(sid)}
            for sid in sorted(set(page["signals"])) if sid not in with_evidence
        ]
        yield path, page_template.render(
            **common, root="../", section="pages",
            page=page,
            short=filters.short_url(page["url"], origin),
            url_label="Production URL" if folder_mode and filters.live_href(page["url"]) else "URL",
            seen=seen,
            bare=bare,
            searched=_group_evidence([e for e in items if e["kind"] == "searched"]),
            broken=broken_from.get(path, []),
            back=links.page_index[page["url"]].removeprefix("pages/"),
            source_label=filters.SOURCE_LABELS.get(page["source"], page["source"]),
        ).encode("utf-8")

    total = max(1, math.ceil(len(pages) / PAGES_PER_INDEX))
    fetch_errors = [
        {
            **error,
            "page": links.page(error["url"]).removeprefix("pages/"),
            "short": filters.short_url(error["url"], origin),
            "linked_from": [
                {"url": u, "page": links.page(u).removeprefix("pages/"),
                 "short": filters.short_url(u, origin)}
                for u in error["linked_from"]
            ],
        }
        for error in sorted(report["fetch_errors"], key=lambda e: e["url"])
    ]
    sections = _sections(pages, origin) if total > 1 else []
    for number in range(1, total + 1):
        chunk = pages[(number - 1) * PAGES_PER_INDEX : number * PAGES_PER_INDEX]
        yield _index_file(number), render(
            "pages.html", "../", "pages",
            rows=[
                {**p, "href": links.pages[p["url"]].removeprefix("pages/"),
                 "short": filters.short_url(p["url"], origin)}
                for p in chunk
            ],
            first=(number - 1) * PAGES_PER_INDEX + 1,
            pages_count=len(pages),
            pagination=_pagination(number, total),
            fetch_errors=fetch_errors if number == 1 else [],
            show_errors=number == 1,
            errors_count=len(fetch_errors),
            sections=sections if number == 1 else [],
            searchable=bool(pages),
        )
    if pages:
        yield SEARCH_DATA, _search_data(pages, links).encode("utf-8")

    yield "badge.svg", badge_svg(score["value"], score["grade"]).encode("utf-8")
    assets = resources.files("site_templates").joinpath("assets")
    for name in ASSETS:
        yield f"assets/{name}", assets.joinpath(name).read_bytes()
    yield MARKER, f"trustaudit report schema_version={report['schema_version']}\n".encode()


# --------------------------------------------------------------------------- writing


def _reason(exc: OSError) -> str:
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


def check_destination(out: Path) -> None:
    """Fail early (exit 5) when ``out`` must not be replaced: the CLI calls this before crawling,
    and :func:`render_site` checks again before it writes."""
    try:
        _destination_state(Path(os.path.abspath(out)), Path(out))
    except OSError as exc:
        raise OutputError(f"cannot write the report to {out}: {_reason(exc)}") from exc


def _destination_state(target: Path, shown: Path) -> str:
    """'missing', 'empty' or 'report'; OutputError for anything that must not be replaced."""
    if not os.path.lexists(target):
        return "missing"
    if not target.is_dir():
        raise OutputError(f"refusing to overwrite {shown}: it is a file, not a report folder")
    if (target / MARKER).is_file():
        return "report"
    if any(target.iterdir()):
        raise OutputError(
            f"refusing to overwrite {shown}: it is not a trustaudit report "
            f"(no {MARKER} marker)"
        )
    return "empty"


STALE_SECONDS = 3600


def _remove_stale_siblings(target: Path) -> None:
    """Delete temporary folders that a killed run left beside the report (``.NAME.tmp-*``,
    ``.NAME.old-*``) once they are an hour old: a run still writing is never that slow."""
    try:
        siblings = list(target.parent.iterdir())
    except OSError:
        return
    now = time.time()
    for path in siblings:
        name = path.name
        if not name.startswith((f".{target.name}.tmp-", f".{target.name}.old-")):
            continue
        try:
            if now - path.lstat().st_mtime > STALE_SECONDS:
                _remove(path)
        except OSError:
            continue


def _sibling(target: Path, tag: str) -> Path:
    while True:
        candidate = target.with_name(f".{target.name}.{tag}-{secrets.token_hex(4)}")
        if not os.path.lexists(candidate):
            return candidate


def _safe_extra_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        raise ValueError(f"extra file name must stay inside the report folder: {name!r}")
    return path.as_posix()


def _write_all(
    root: Path,
    report: Mapping[str, Any],
    run: Mapping[str, Any] | None,
    extra_files: Mapping[str, str],
    history: History | None = None,
) -> None:
    for folder in ("assets", "categories", "checks", "pages"):
        (root / folder).mkdir()
    downloads = tuple(n for n in extra_files if "/" not in _safe_extra_name(n))
    for rel, data in site_files(report, run, downloads, history):
        (root / rel).write_bytes(data)
    for name in sorted(extra_files):
        path = root / _safe_extra_name(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(extra_files[name].encode("utf-8"))


def _swap(tmp: Path, target: Path, shown: Path) -> None:
    state = _destination_state(target, shown)
    if state == "missing":
        os.rename(tmp, target)
    elif state == "empty":
        os.rmdir(target)
        try:
            os.rename(tmp, target)
        except BaseException:
            target.mkdir(exist_ok=True)
            raise
    else:
        aside = _sibling(target, "old")
        os.rename(target, aside)
        try:
            os.rename(tmp, target)
        except BaseException:
            os.rename(aside, target)
            raise
        _remove(aside)


def _remove(path: Path) -> None:
    """Delete the earlier report moved aside (a symlink is unlinked, never followed)."""
    if os.path.islink(path):
        os.unlink(path)
    else:
        shutil.rmtree(path, ignore_errors=True)


def render_site(
    report: dict[str, Any],
    out: Path,
    run: dict[str, Any] | None = None,
    *,
    extra_files: Mapping[str, str] = {},  # noqa: B006 - read only
    history: History | None = None,
) -> None:
    """Write the report site for ``report`` into ``out`` (replacing an earlier report there).

    ``history`` (from :func:`auditor.report.history.timeline`) adds the score over time.

    Raises :class:`~auditor.errors.OutputError` (exit 5) when ``out`` holds something that is not
    a trustaudit report or cannot be written; the previous content of ``out`` is then untouched.
    """
    shown = Path(out)
    target = Path(os.path.abspath(shown))
    for name in extra_files:
        _safe_extra_name(name)
    try:
        _destination_state(target, shown)
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_siblings(target)
        tmp = _sibling(target, "tmp")
        tmp.mkdir()
    except OSError as exc:
        raise OutputError(f"cannot write the report to {shown}: {_reason(exc)}") from exc
    try:
        _write_all(tmp, report, run, extra_files, history)
        _swap(tmp, target, shown)
    except OSError as exc:
        raise OutputError(f"cannot write the report to {shown}: {_reason(exc)}") from exc
    finally:
        if os.path.lexists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
