"""Compare two report.json files: what changed since the last deploy.

``trustaudit diff OLD NEW`` and the ``--baseline`` gate share this comparison. A finding
*appeared* when NEW has a check OLD did not run, *disappeared* in the opposite case, and
*changed* when its status differs. NEW *regresses* when a check fails that did not fail in OLD
(a new failure, including a check that appeared failing) or when the score went down.
Renderers give plain text for logs and Markdown for pull-request comments; both are
deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.check_api import SEVERITIES

STATUS_ORDER = ("fail", "error", "unknown", "not-applicable", "pass")


class ReportFileError(ValueError):
    """A file that is not a readable trustaudit report.json (the message is one line)."""


@dataclass(frozen=True, slots=True)
class Change:
    """One check whose presence or status differs. ``old``/``new`` is None when absent."""

    id: str
    severity: str
    title: str
    old: str | None
    new: str | None

    @property
    def is_new_failure(self) -> bool:
        return self.new == "fail" and self.old != "fail"

    @property
    def is_resolved(self) -> bool:
        """Fixed: failing before, passing now (unknown or not-applicable is not a fix)."""
        return self.old == "fail" and self.new == "pass"


@dataclass(frozen=True, slots=True)
class ReportDiff:
    old_score: int | None
    new_score: int | None
    old_grade: str | None
    new_grade: str | None
    appeared: tuple[Change, ...]
    disappeared: tuple[Change, ...]
    changed: tuple[Change, ...]
    old_target: str = ""
    new_target: str = ""
    old_pages: int = 0
    new_pages: int = 0

    @property
    def score_delta(self) -> int | None:
        if self.old_score is None or self.new_score is None:
            return None
        return self.new_score - self.old_score

    @property
    def new_failures(self) -> tuple[str, ...]:
        return tuple(c.id for c in (*self.appeared, *self.changed) if c.is_new_failure)

    @property
    def resolved(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.changed if c.is_resolved)

    @property
    def regressed(self) -> bool:
        delta = self.score_delta
        return bool(self.new_failures) or (delta is not None and delta < 0)

    @property
    def unchanged(self) -> bool:
        return (not (self.appeared or self.disappeared or self.changed)
                and self.old_score == self.new_score and self.old_grade == self.new_grade)


def _key(change: Change) -> tuple[int, int, str]:
    worst = min(STATUS_ORDER.index(s) for s in (change.old, change.new) if s is not None)
    return worst, SEVERITIES.index(change.severity), change.id


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> ReportDiff:
    """What changed from ``old`` to ``new`` (two report.json dicts)."""
    before = {f["id"]: f for f in old["findings"]}
    after = {f["id"]: f for f in new["findings"]}
    appeared = [Change(i, f["severity"], f["title"], None, f["status"])
                for i, f in after.items() if i not in before]
    disappeared = [Change(i, f["severity"], f["title"], f["status"], None)
                   for i, f in before.items() if i not in after]
    changed = [Change(i, after[i]["severity"], after[i]["title"], before[i]["status"],
                      after[i]["status"])
               for i in after if i in before and before[i]["status"] != after[i]["status"]]
    return ReportDiff(
        old_score=old["score"]["value"],
        new_score=new["score"]["value"],
        old_grade=old["score"]["grade"],
        new_grade=new["score"]["grade"],
        appeared=tuple(sorted(appeared, key=_key)),
        disappeared=tuple(sorted(disappeared, key=_key)),
        changed=tuple(sorted(changed, key=_key)),
        old_target=old["target"]["input"],
        new_target=new["target"]["input"],
        old_pages=old["crawl"]["pages"],
        new_pages=new["crawl"]["pages"],
    )


# --------------------------------------------------------------------------- loading


def comparable_error(data: Any) -> str | None:
    """Where ``data`` lacks what a comparison reads ("" path for the top level), or None.

    Deliberately less than the JSON Schema: a baseline written by another trustaudit release
    (schema_version 1, say with a page source this release does not know) still compares.
    """
    if not isinstance(data, dict) or data.get("schema_version") != 1:
        return "(top level): not schema_version 1"
    score, target, crawl = data.get("score"), data.get("target"), data.get("crawl")
    if not isinstance(score, dict) or not isinstance(score.get("value"), int | None) \
            or not isinstance(score.get("grade"), str | None):
        return "score: expected {value, grade}"
    if not isinstance(target, dict) or not isinstance(target.get("input"), str):
        return "target: expected {input}"
    if not isinstance(crawl, dict) or not isinstance(crawl.get("pages"), int):
        return "crawl: expected {pages}"
    findings = data.get("findings")
    if not isinstance(findings, list):
        return "findings: expected an array"
    for index, finding in enumerate(findings):
        if not isinstance(finding, dict):
            return f"findings/{index}: expected an object"
        for key, kind in (("id", str), ("title", str), ("status", str), ("severity", str),
                          ("weight", int)):
            if not isinstance(finding.get(key), kind):
                return f"findings/{index}/{key}: missing or not a {kind.__name__}"
        if finding["status"] not in STATUS_ORDER:
            return f"findings/{index}/status: unknown status {finding['status']!r}"
        if finding["severity"] not in SEVERITIES:
            return f"findings/{index}/severity: unknown severity {finding['severity']!r}"
    return None


def load_report_file(path: Path, *, strict: bool = False) -> dict[str, Any]:
    """A report.json (or a report folder holding one). Raises :class:`ReportFileError` with one
    line. ``strict`` validates against this release's JSON Schema (when jsonschema is
    installed), as rendering needs; otherwise only what a comparison reads is checked."""
    path = Path(path)
    if path.is_dir():
        path = path / "report.json"
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ReportFileError(f"file not found: {path}") from None
    except (OSError, ValueError) as exc:
        raise ReportFileError(f"cannot read {path} as report.json: {exc}") from None
    problem = comparable_error(data)
    if problem is not None:
        raise ReportFileError(f"{path} is not a trustaudit report.json: {problem}")
    if not strict:
        return data
    try:
        import jsonschema
    except ImportError:  # validation is a bonus when jsonschema is installed
        return data
    from auditor.results import load_schema

    errors = sorted(jsonschema.Draft202012Validator(load_schema()).iter_errors(data),
                    key=lambda e: [str(p) for p in e.path])
    if errors:
        where = "/".join(str(p) for p in errors[0].path) or "(top level)"
        raise ReportFileError(f"{path} is not a trustaudit report.json: {where}: "
                              f"{errors[0].message[:200]}")
    return data


# --------------------------------------------------------------------------- renderers


def _score(value: int | None, grade: str | None) -> str:
    return "—" if value is None else f"{value} ({grade})"


def _delta(diff: ReportDiff) -> str:
    delta = diff.score_delta
    if delta is None:
        return ""
    return f" ({delta:+d})" if delta else " (no change)"


def _status(value: str | None) -> str:
    return "absent" if value is None else value


def verdict_line(diff: ReportDiff) -> str:
    if diff.regressed:
        reasons = []
        if diff.new_failures:
            count = len(diff.new_failures)
            reasons.append(f"{count} new failure{'s' if count != 1 else ''}: "
                           + ", ".join(diff.new_failures))
        if diff.score_delta is not None and diff.score_delta < 0:
            reasons.append(f"score {diff.score_delta:+d}")
        return "regressed: " + "; ".join(reasons)
    if diff.unchanged:
        return "no change"
    return "no regression" + (f"; {len(diff.resolved)} resolved: " + ", ".join(diff.resolved)
                              if diff.resolved else "")


def render_text(diff: ReportDiff, old_label: str = "OLD", new_label: str = "NEW") -> str:
    lines = [f"trustaudit diff {old_label} → {new_label}"]
    if diff.old_target != diff.new_target:
        lines.append(f"  target: {diff.old_target} → {diff.new_target}")
    lines.append(f"  score: {_score(diff.old_score, diff.old_grade)} → "
                 f"{_score(diff.new_score, diff.new_grade)}{_delta(diff)}")
    if diff.old_pages != diff.new_pages:
        lines.append(f"  pages audited: {diff.old_pages} → {diff.new_pages}")
    for title, changes in (("changed status", diff.changed), ("appeared", diff.appeared),
                           ("disappeared", diff.disappeared)):
        if not changes:
            continue
        lines.append(f"  {title} ({len(changes)}):")
        width = max(len(c.id) for c in changes)
        for c in changes:
            mark = "!" if c.is_new_failure else "+" if c.is_resolved else " "
            lines.append(f"    {mark} {c.severity:<8} {c.id:<{width}}  "
                         f"{_status(c.old)} → {_status(c.new)}  {c.title}")
    lines.append(f"  {verdict_line(diff)}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    from auditor.report.summary import md_escape

    return md_escape(text)


def render_markdown(diff: ReportDiff, old_label: str = "OLD", new_label: str = "NEW") -> str:
    icon = "🔴" if diff.regressed else "🟢"
    lines = [
        f"### {icon} trustaudit: {_md(verdict_line(diff))}",
        "",
        f"**Score** {_score(diff.old_score, diff.old_grade)} → "
        f"{_score(diff.new_score, diff.new_grade)}{_delta(diff)}"
        f" · {_md(old_label)} → {_md(new_label)}",
        "",
    ]
    rows = [*diff.changed, *diff.appeared, *diff.disappeared]
    if rows:
        lines += ["| | Severity | Check | Before | After | Title |",
                  "|---|---|---|---|---|---|"]
        for c in rows:
            mark = "❌" if c.is_new_failure else "✅" if c.is_resolved else "➖"
            lines.append(f"| {mark} | {c.severity} | `{c.id}` | {_status(c.old)} | "
                         f"{_status(c.new)} | {_md(c.title)} |")
    else:
        lines.append("No check changed status.")
    return "\n".join(lines) + "\n"
