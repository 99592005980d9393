"""Run the catalogue on a fixture folder through the same folder source users run.

Fixture layout (DESIGN.md §8): ``tests/checks/fixtures/<check-id>/<status>-<case>/`` holds a tiny
site (``index.html`` and friends). The folder name's prefix is the expected status (``pass``,
``fail``, ``unknown``, ``not-applicable``). An optional ``expect.toml`` in the case folder adds:

    found = true            # expected "found" (true / false; "null" as the string "null")
    site_kind = "shop"      # run with --site-kind
    site_url = "https://shop.example"
    date = "2026-11-23"     # the audit day (default: harness.FIXTURE_DATE)
    evidence = ["substring that must appear in some evidence snippet or locator"]
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.audit import judge
from auditor.crawl.folder import crawl_folder
from auditor.crawl.options import CrawlOptions

FIXTURES = Path(__file__).parent / "fixtures"
STATUSES = ("pass", "fail", "unknown", "not-applicable")


@dataclass(frozen=True)
class Case:
    check_id: str
    folder: Path
    status: str
    expect: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.check_id}/{self.folder.name}"


def status_of(folder_name: str) -> str:
    for status in sorted(STATUSES, key=len, reverse=True):
        if folder_name.startswith(status + "-") or folder_name == status:
            return status
    raise ValueError(f"fixture folder {folder_name!r} does not start with a status")


def all_cases() -> list[Case]:
    cases = []
    for check_dir in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for case_dir in sorted(p for p in check_dir.iterdir() if p.is_dir()):
            expect_file = case_dir / "expect.toml"
            expect = tomllib.loads(expect_file.read_text("utf-8")) if expect_file.exists() else {}
            cases.append(Case(check_dir.name, case_dir, status_of(case_dir.name), expect))
    return cases


# Fixtures are judged on a fixed day, so date-based checks (© year, "last updated") give the
# same verdict in 2030 as today. A case may set its own ``date`` in expect.toml.
FIXTURE_DATE = "2026-11-23"


def audit_fixture(folder: Path, *, site_kind: str | None = None, site_url: str = "",
                  date: str | None = None) -> dict[str, Any]:
    """report.json of a fixture folder, as a dict keyed by finding id. ``date`` fixes the
    audit day (the fixture cases pass FIXTURE_DATE); None keeps the crawl's own date."""
    snapshot = crawl_folder(folder, CrawlOptions(site_url=site_url))
    if date is not None:
        snapshot = dataclasses.replace(snapshot, date=date)
    _, report = judge(snapshot, site_kind=site_kind)
    return {f["id"]: f for f in report["findings"]}


def audit_html(tmp_path: Path, pages: dict[str, str], **kwargs: Any) -> dict[str, Any]:
    """Write tiny pages ({"index.html": "<html>..."}) and audit them; for one-line cases."""
    for name, html in pages.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, "utf-8")
    return audit_fixture(tmp_path, **kwargs)
