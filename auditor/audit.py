"""One audit end to end: crawl → snapshot → site kind → checks → report.json and run.json.

The CLI is a thin layer over :func:`run_audit`; tests and other tools call it directly.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from auditor.check_api import CheckSpec
from auditor.config import Selection
from auditor.crawl.options import CrawlOptions, ProgressFn
from auditor.detect.language import site_languages
from auditor.detect.priority import policy_priority
from auditor.detect.sitekind import infer_site_kind
from auditor.errors import TargetError
from auditor.registry import load_specs
from auditor.results import build_report, build_run
from auditor.runner import Finding, run_checks
from auditor.site import SiteSnapshot


@dataclass(frozen=True, slots=True)
class AuditResult:
    snapshot: SiteSnapshot
    findings: tuple[Finding, ...]
    report: dict[str, Any]
    run: dict[str, Any]

    @property
    def interrupted(self) -> bool:
        return "interrupted" in self.snapshot.limits_hit


def resolve_target(target: str) -> tuple[str, Path | None]:
    """('folder', path) for an existing directory, ('url', None) for a URL; one clear line else."""
    text = target.strip()
    if not text:
        raise TargetError("no target given: pass a URL or a folder")
    path = Path(text).expanduser()
    if "://" not in text:
        if path.exists():
            if not path.is_dir():
                raise TargetError(f"not a folder: {text}")
            return "folder", path
        first = text.split("/")[0]
        if text.startswith((".", "/", "~")) or "." not in first or "\\" in text:
            raise TargetError(f"folder not found: {text}")
    return "url", None


def crawl(target: str, options: CrawlOptions, progress: ProgressFn | None) -> SiteSnapshot:
    mode, path = resolve_target(target)
    if mode == "folder":
        from auditor.crawl.folder import crawl_folder

        assert path is not None
        snapshot = crawl_folder(path, options, progress, policy_priority)
    else:
        from auditor.crawl.http import crawl_url

        snapshot = crawl_url(target, options, progress, policy_priority)
    # Keep what the user typed, so report.json names the target as given.
    return dataclasses.replace(snapshot, target=target)


def judge(
    snapshot: SiteSnapshot,
    *,
    site_kind: str | None = None,
    specs: Sequence[CheckSpec] | None = None,
    selection: Selection | None = None,
) -> tuple[tuple[Finding, ...], dict[str, Any]]:
    """Run the checks on a snapshot and build report.json (no I/O).

    ``selection`` (select/ignore, severity and weight overrides) is applied to the specs before
    they run, so findings, scores and report.json all carry the team's own settings.
    """
    specs = load_specs() if specs is None else specs
    if selection is not None:
        specs = selection.apply(specs)
    kind = site_kind or infer_site_kind(snapshot).kind
    findings = run_checks(snapshot, specs, kind)
    report = build_report(
        snapshot,
        findings,
        site_kind=kind,
        site_kind_source="option" if site_kind else "inferred",
        languages=site_languages(snapshot),
    )
    return findings, report


def run_audit(
    target: str,
    options: CrawlOptions,
    *,
    site_kind: str | None = None,
    progress: ProgressFn | None = None,
    argv: Sequence[str] = (),
    selection: Selection | None = None,
) -> AuditResult:
    started = datetime.now(UTC).replace(microsecond=0).isoformat()
    clock = time.monotonic()
    snapshot = crawl(target, options, progress)
    findings, report = judge(snapshot, site_kind=site_kind, selection=selection)
    mode, path = resolve_target(target)
    run = build_run(
        started=started,
        duration_s=time.monotonic() - clock,
        argv=list(argv),
        root=str(path.resolve()) if path is not None else "",
    )
    return AuditResult(snapshot, findings, report, run)
