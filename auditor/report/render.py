"""Render report.json into the static report site (DESIGN.md §7), written atomically.

The site is rendered from the report dict only: an overview, one page per check, per category and
per audited page, a paginated pages index, badge.svg, two assets and a marker file. It opens from
``file://`` or any static host (relative links only, nothing fetched from outside, no JavaScript
needed). Everything a page controls is hostile: autoescape is always on, hrefs from report data
pass :func:`~auditor.report.filters.safe_href`, and a strict Content-Security-Policy forbids inline
script and style. Output is deterministic: the same report (and run) gives byte-identical files.

The site is written to a temporary sibling folder and moved into place, so a failed or interrupted
render leaves the previous report intact; a folder that is not an earlier report is never replaced.
"""

from __future__ import annotations

import functools
import math
import os
import secrets
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from auditor.errors import OutputError
from auditor.report import filters
from auditor.report.badge import badge_svg

MARKER = ".trustaudit-report"
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
    )
    return env


def _template(name: str) -> Template:
    return environment().get_template(name)


# --------------------------------------------------------------------------- view model


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
    }


def _evidence_item(evidence: Mapping[str, Any], links: Links) -> dict[str, str]:
    return {
        "kind": evidence["kind"],
        "url": evidence["url"],
        "page": links.page(evidence["url"]),
        "snippet": evidence["snippet"],
        "locator": evidence["locator"],
    }


def fix_first(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Failed findings by severity (critical first), then weight (heaviest first), then id."""
    failed = [f for f in findings if f["status"] == "fail"]
    return sorted(
        failed, key=lambda f: (filters.SEVERITY_ORDER.get(f["severity"], 9), -f["weight"], f["id"])
    )


def _status_counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(filters.STATUS_LABELS, 0)
    for finding in findings:
        counts[finding["status"]] = counts.get(finding["status"], 0) + 1
    return counts


def _gauge(value: int | None) -> dict[str, str]:
    if not value:  # no score, or 0: no arc (a zero-length round cap would draw a dot)
        return {"dash": "", "circumference": f"{_GAUGE_CIRCUMFERENCE:.2f}"}
    return {
        "dash": f"{_GAUGE_CIRCUMFERENCE * value / 100:.2f}",
        "circumference": f"{_GAUGE_CIRCUMFERENCE:.2f}",
    }


def _run_info(run: Mapping[str, Any] | None) -> dict[str, str] | None:
    if not run:
        return None
    duration = run.get("duration_s")
    return {
        "started": str(run.get("started", "")),
        "duration": f"{duration:.1f} s" if isinstance(duration, int | float) else "",
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


# --------------------------------------------------------------------------- the files


def site_files(
    report: Mapping[str, Any],
    run: Mapping[str, Any] | None = None,
    downloads: tuple[str, ...] = (),
) -> Iterator[tuple[str, bytes]]:
    """Every generated file of the site as (relative POSIX path, bytes), in a fixed order.

    ``downloads`` names the extra files written beside the site (report.json, run.json), which
    the overview links to.
    """
    links = _links(report)
    titles = _category_titles(report)
    findings = sorted(report["findings"], key=lambda f: f["id"])
    rows = [_finding_row(f, links, titles) for f in findings]
    rows_by_id = {r["id"]: r for r in rows}
    pages = _sorted_pages(report["pages"])
    score = report["score"]
    common = {
        "tool_version": report["tool"]["version"],
        "schema_version": report["schema_version"],
        "target_input": report["target"]["input"],
    }

    def render(name: str, root: str, section: str, **context: Any) -> bytes:
        text = _template(name).render(**common, root=root, section=section, **context)
        return text.encode("utf-8")

    categories = [
        {
            **category,
            "href": links.categories[category["id"]],
            "bar": 0 if category["score"] is None else category["score"],
        }
        for category in report["categories"]
    ]
    capped_by = [
        {"id": cid, "href": links.check(cid), "title": rows_by_id.get(cid, {}).get("title", cid)}
        for cid in score["capped_by"]
    ]
    yield "index.html", render(
        "index.html", "", "overview",
        report=report,
        target=report["target"],
        crawl=report["crawl"],
        score=score,
        gauge=_gauge(score["value"]),
        capped_by=capped_by,
        categories=categories,
        fix_first=[rows_by_id[f["id"]] for f in fix_first(findings)],
        rows=rows,
        counts=_status_counts(findings),
        status_labels=filters.STATUS_LABELS,
        status_order=filters.STATUS_ORDER,
        robots_blocked=[
            {"url": url, "page": links.page(url)} for url in report["crawl"]["robots_blocked"]
        ],
        run=_run_info(run),
        files=sorted({*downloads, "badge.svg"}),
        pages_count=len(pages),
    )

    for finding in findings:
        row = rows_by_id[finding["id"]]
        evidence = [_evidence_item(e, links) for e in finding["evidence"]]
        yield links.check(finding["id"]), render(
            "check.html", "../", "checks",
            finding=finding,
            row=row,
            evidence=[e for e in evidence if e["kind"] != "searched"],
            searched=[e for e in evidence if e["kind"] == "searched"],
        )

    for category in categories:
        members = [r for r in rows if r["category"] == category["id"]]
        yield category["href"], render(
            "category.html", "../", "categories",
            category=category,
            rows=members,
            counts=_status_counts(members),
            status_labels=filters.STATUS_LABELS,
            status_order=filters.STATUS_ORDER,
        )

    on_page: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        for ev in finding["evidence"]:
            target = links.page(ev["url"])
            if target:
                on_page.setdefault(target, []).append(
                    {**_evidence_item(ev, links), "check": rows_by_id[finding["id"]]}
                )
    page_template = _template("page.html")
    for page in pages:
        path = links.pages[page["url"]]
        signals = [
            {"id": sid, "href": links.check(sid), "title": rows_by_id.get(sid, {}).get("title", "")}
            for sid in page["signals"]
        ]
        yield path, page_template.render(
            **common, root="../", section="pages",
            page=page,
            signals=signals,
            evidence=on_page.get(path, []),
            back=links.page_index[page["url"]].removeprefix("pages/"),
            source_label=filters.SOURCE_LABELS.get(page["source"], page["source"]),
        ).encode("utf-8")

    total = max(1, math.ceil(len(pages) / PAGES_PER_INDEX))
    fetch_errors = [
        {
            **error,
            "page": links.page(error["url"]).removeprefix("pages/"),
            "linked_from": [
                {"url": u, "page": links.page(u).removeprefix("pages/")}
                for u in error["linked_from"]
            ],
        }
        for error in sorted(report["fetch_errors"], key=lambda e: e["url"])
    ]
    for number in range(1, total + 1):
        chunk = pages[(number - 1) * PAGES_PER_INDEX : number * PAGES_PER_INDEX]
        yield _index_file(number), render(
            "pages.html", "../", "pages",
            rows=[{**p, "href": links.pages[p["url"]].removeprefix("pages/")} for p in chunk],
            first=(number - 1) * PAGES_PER_INDEX + 1,
            pages_count=len(pages),
            pagination=_pagination(number, total),
            fetch_errors=fetch_errors if number == 1 else [],
            show_errors=number == 1,
            errors_count=len(fetch_errors),
        )

    yield "badge.svg", badge_svg(score["value"], score["grade"]).encode("utf-8")
    assets = resources.files("site_templates").joinpath("assets")
    for name in ASSETS:
        yield f"assets/{name}", assets.joinpath(name).read_bytes()
    yield MARKER, f"trustaudit report schema_version={report['schema_version']}\n".encode()


# --------------------------------------------------------------------------- writing


def _reason(exc: OSError) -> str:
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


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
) -> None:
    for folder in ("assets", "categories", "checks", "pages"):
        (root / folder).mkdir()
    downloads = tuple(n for n in extra_files if "/" not in _safe_extra_name(n))
    for rel, data in site_files(report, run, downloads):
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
) -> None:
    """Write the report site for ``report`` into ``out`` (replacing an earlier report there).

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
        tmp = _sibling(target, "tmp")
        tmp.mkdir()
    except OSError as exc:
        raise OutputError(f"cannot write the report to {shown}: {_reason(exc)}") from exc
    try:
        _write_all(tmp, report, run, extra_files)
        _swap(tmp, target, shown)
    except OSError as exc:
        raise OutputError(f"cannot write the report to {shown}: {_reason(exc)}") from exc
    finally:
        if os.path.lexists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
