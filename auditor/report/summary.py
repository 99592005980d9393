"""Results where CI shows them: a Markdown summary, JUnit XML and GitHub Actions annotations.

- :func:`markdown_summary` — a short summary for pull-request comments and
  ``$GITHUB_STEP_SUMMARY``: score, gate verdict, the failed checks, progress since the baseline.
- :func:`junit_xml` — one test case per check (fail → ``failure`` with the evidence, error →
  ``error``, unknown and not-applicable → ``skipped``) in the layout GitLab, Jenkins and GitHub
  test reporters read: ``testsuites > testsuite > testcase``.
- :func:`github_annotations` — ``::error``/``::warning`` workflow commands, escaped as GitHub's
  toolkit does, so hostile page text can neither break a command nor start another.

Everything is built from the report dict (and the gate verdict) alone: request headers and
cookies are never in them, so they are never in these outputs either. Page-controlled text is
escaped for each format. Output is deterministic.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from auditor.check_api import CATEGORIES, SEVERITIES

if TYPE_CHECKING:
    from auditor.gates import Verdict

MAX_ROWS = 20
MESSAGE_MAX = 160
#: Characters XML 1.0 cannot hold (control characters, surrogates, U+FFFE/U+FFFF).
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MD_ESCAPES = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;",
    "@": "&#64;",  # no @mentions from page text in a pull-request comment
    "#": "&#35;",  # no issue references either
    **{c: "\\" + c for c in "\\`*_[]|~"},
}
ERROR_SEVERITIES = ("critical", "high")


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def md_escape(text: str, limit: int = MESSAGE_MAX) -> str:
    """Inline Markdown text that renders literally: one line, no markup, links or mentions."""
    return "".join(_MD_ESCAPES.get(c, c) for c in _clip(text, limit))


def _category_index(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


def _order(finding: Mapping[str, Any]) -> tuple[int, int, str]:
    return SEVERITIES.index(finding["severity"]), -int(finding["weight"]), finding["id"]


def _counts(report: Mapping[str, Any]) -> dict[str, int]:
    counts = {"pass": 0, "fail": 0, "unknown": 0, "not-applicable": 0, "error": 0}
    for finding in report["findings"]:
        counts[finding["status"]] = counts.get(finding["status"], 0) + 1
    return counts


def score_text(report: Mapping[str, Any]) -> str:
    score = report["score"]
    value = "—" if score["value"] is None else f"{score['value']}/100"
    return f"{value} · grade {score['grade'] or '—'} · coverage {round(score['coverage'] * 100)}%"


# --------------------------------------------------------------------------- Markdown


def markdown_summary(
    report: Mapping[str, Any],
    verdict: Verdict | None = None,
    *,
    report_path: str = "",
) -> str:
    """A short Markdown summary (pull-request comment, job summary)."""
    if verdict is None or not verdict.active:
        head = "trustaudit"
    else:
        head = "trustaudit: ✅ gate passed" if verdict.passed else "trustaudit: ❌ gate failed"
    target = report["target"]
    crawl = report["crawl"]
    lines = [
        f"### {head}",
        "",
        f"**{score_text(report)}** · {md_escape(target['input'], 120)} · "
        f"{target['site_kind']} site, {target['mode']} mode, {crawl['pages']} pages",
    ]
    if report["score"]["capped_by"]:
        lines[-1] += " · grade capped by " + ", ".join(
            f"`{i}`" for i in report["score"]["capped_by"])
    if verdict is not None and verdict.active:
        lines += ["", f"> {md_escape(verdict.line, 600)}"]
    failed = sorted((f for f in report["findings"] if f["status"] == "fail"), key=_order)
    new = set(verdict.new_failures) if verdict is not None else set()
    lines.append("")
    if failed:
        lines += [f"**Failed checks ({len(failed)})**", "",
                  "| Severity | Check | Finding |", "|---|---|---|"]
        for finding in failed[:MAX_ROWS]:
            mark = " 🆕" if finding["id"] in new else ""
            text = md_escape(finding["title"], 120)
            if finding["message"]:
                text += " — " + md_escape(finding["message"])
            lines.append(f"| {finding['severity']} | `{finding['id']}`{mark} | {text} |")
        if len(failed) > MAX_ROWS:
            lines.append(f"| | | and {len(failed) - MAX_ROWS} more in the full report |")
    else:
        lines.append("**No check failed.**")
    if verdict is not None and verdict.baseline_used:
        new_ids = ", ".join(f"`{i}`" for i in verdict.new_failures) or "none"
        fixed = ", ".join(f"`{i}`" for i in verdict.resolved) or "none"
        lines += ["", f"**Since the baseline:** new failures: {new_ids} · resolved: {fixed}"]
    counts = _counts(report)
    tail = (f"{counts['pass']} passed · {counts['fail']} failed · {counts['unknown']} unknown · "
            f"{counts['not-applicable']} not applicable · {counts['error']} errors · "
            f"{report['tool']['name']} {report['tool']['version']}")
    if report_path:
        tail += f" · full report: {md_escape(report_path, 200)}"
    lines += ["", f"<sub>{tail}</sub>"]
    return "\n".join(lines) + "\n"


def append_step_summary(markdown: str, path: str | os.PathLike[str]) -> None:
    """Append to ``$GITHUB_STEP_SUMMARY`` (several steps may write to it)."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(markdown if markdown.endswith("\n") else markdown + "\n")


# --------------------------------------------------------------------------- JUnit


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: control characters from pages are dropped."""
    return _XML_INVALID.sub("", str(text))


def _evidence_lines(evidence: Sequence[Mapping[str, str]], limit: int = 20) -> list[str]:
    lines = []
    for item in evidence[:limit]:
        line = f"- {item['kind']} {item['url']}"
        if item.get("locator"):
            line += f" ({item['locator']})"
        if item.get("snippet"):
            line += f": {item['snippet']}"
        lines.append(line)
    if len(evidence) > limit:
        lines.append(f"- and {len(evidence) - limit} more")
    return lines


def _case_text(finding: Mapping[str, Any]) -> str:
    lines = [finding["message"]] if finding["message"] else []
    if finding["evidence"]:
        label = "Looked at:" if finding["status"] == "fail" else "Evidence:"
        lines += ["", label, *_evidence_lines(finding["evidence"])]
    if finding["status"] == "fail" and finding.get("fix"):
        lines += ["", f"Fix: {finding['fix']}"]
    return xml_text("\n".join(lines))


def junit_xml(report: Mapping[str, Any], verdict: Verdict | None = None) -> str:
    """JUnit XML: one testsuite "trustaudit", one testcase per check (classname by category,
    in the catalogue's category order)."""
    findings = sorted(report["findings"], key=lambda f: (_category_index(f["category"]), f["id"]))
    counts = _counts(report)
    tests = str(len(findings))
    failures, errors = str(counts["fail"]), str(counts["error"])
    skipped = str(counts["unknown"] + counts["not-applicable"])
    root = ET.Element("testsuites", {"name": "trustaudit", "tests": tests, "failures": failures,
                                     "errors": errors})
    suite = ET.SubElement(root, "testsuite", {"name": "trustaudit", "tests": tests,
                                              "failures": failures, "errors": errors,
                                              "skipped": skipped})
    properties = ET.SubElement(suite, "properties")
    score = report["score"]
    props = [
        ("target", report["target"]["input"]),
        ("mode", report["target"]["mode"]),
        ("site_kind", report["target"]["site_kind"]),
        ("score", "" if score["value"] is None else str(score["value"])),
        ("grade", score["grade"] or ""),
        ("coverage", str(score["coverage"])),
        ("pages", str(report["crawl"]["pages"])),
        ("tool_version", report["tool"]["version"]),
    ]
    if verdict is not None and verdict.active:
        props.append(("gate", verdict.line))
    for name, value in props:
        ET.SubElement(properties, "property", {"name": name, "value": xml_text(value)})
    for finding in findings:
        case = ET.SubElement(suite, "testcase", {"classname": f"trustaudit.{finding['category']}",
                                                 "name": finding["id"]})
        status = finding["status"]
        title = xml_text(finding["title"])
        if status == "fail":
            failure = ET.SubElement(case, "failure", {"message": title,
                                                      "type": finding["severity"]})
            failure.text = _case_text(finding)
        elif status == "error":
            error = ET.SubElement(case, "error", {"message": xml_text(finding["message"]),
                                                  "type": "check-error"})
            error.text = _case_text(finding)
        elif status in ("unknown", "not-applicable"):
            ET.SubElement(case, "skipped", {"message": xml_text(f"{status}: {finding['message']}")})
        elif finding["evidence"]:
            out = ET.SubElement(case, "system-out")
            out.text = _case_text(finding)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --------------------------------------------------------------------------- GitHub


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as @actions/core does."""
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file, title), escaped as @actions/core does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, **properties: str) -> str:
    props = ",".join(f"{k}={escape_property(v)}" for k, v in properties.items() if v)
    return f"::{command}{' ' + props if props else ''}::{escape_data(message)}"


def _file_for(report: Mapping[str, Any], url: str, cwd: Path) -> str:
    """Folder mode: the file (relative to ``cwd``) a page URL came from, or ""."""
    target = report["target"]
    if target["mode"] != "folder" or not url:
        return ""
    from auditor.crawl.folder import site_origin

    base, _ = site_origin(target["site_url"])
    if not url.startswith(base):
        return ""
    relative = unquote(urlsplit(url).path[len(urlsplit(base).path):])
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    folder = Path(target["input"])
    path = (folder if folder.is_absolute() else cwd / folder) / relative
    try:
        if not path.is_file():
            return ""
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except (OSError, ValueError):
        return ""


def github_annotations(
    report: Mapping[str, Any],
    verdict: Verdict | None = None,
    *,
    cwd: Path | None = None,
) -> list[str]:
    """Workflow commands: failed critical/high checks are errors, failed info checks notices,
    other failures and checks that could not run warnings; a failed gate is one more error."""
    cwd = Path.cwd() if cwd is None else cwd
    lines = []
    for finding in sorted(report["findings"], key=_order):
        status = finding["status"]
        if status not in ("fail", "error"):
            continue
        if status == "fail" and finding["severity"] in ERROR_SEVERITIES:
            level = "error"
        elif status == "fail" and finding["severity"] == "info":
            level = "notice"
        else:
            level = "warning"
        where = next((e["url"] for e in finding["evidence"] if e.get("url")), "")
        # A file only where something was seen (a link, a text): "searched" is site-wide.
        seen = next((e["url"] for e in finding["evidence"]
                     if e.get("url") and e.get("kind") != "searched"), "")
        message = _clip(finding["title"], 200)
        if finding["message"]:
            message += f": {_clip(finding['message'], 400)}"
        if status == "fail" and finding.get("fix"):
            message += f" Fix: {_clip(finding['fix'], 300)}"
        if where:
            message += f" ({where})"
        title = f"trustaudit {finding['severity']}: {finding['id']}"
        if status == "error":
            title = f"trustaudit: check {finding['id']} could not run"
        lines.append(workflow_command(level, message, file=_file_for(report, seen, cwd),
                                      title=title))
    if verdict is not None and verdict.active and not verdict.passed:
        lines.append(workflow_command("error", verdict.line, title="trustaudit gate"))
    return lines
