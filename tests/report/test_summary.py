"""CI-native outputs: the Markdown summary, JUnit XML (parsed back) and GitHub annotations."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from auditor.check_api import Evidence
from auditor.gates import evaluate
from auditor.report.summary import (
    append_step_summary,
    escape_data,
    escape_property,
    github_annotations,
    junit_xml,
    markdown_summary,
    md_escape,
    workflow_command,
)
from tests.test_gates import ALL_PASS, SITE, make_report

HOSTILE = "<script>alert(1)</script> | **bold** [x](javascript:1) @org/team #12 `tick`"
CONTROL = "bell\x07 nul\x00 esc\x1b ]]> end"
STATUSES = {"returns-policy": "fail", "contact-page": "pass", "about-page": "error",
            "faq": "not-applicable", "trust-seals": "unknown"}


def report_with_hostile_text() -> dict:
    return make_report(STATUSES, messages={"returns-policy": HOSTILE + " " + CONTROL})


# --------------------------------------------------------------------------- JUnit
# Allowed attributes and children per element, as the Jenkins JUnit schema (junit-10.xsd, the
# one the Jenkins xUnit plugin validates with) defines them; GitLab and GitHub test reporters
# read the same layout (testsuites > testsuite > testcase > failure/error/skipped).

ATTRS = {
    "testsuites": ({"name", "time", "tests", "failures", "errors"}, set()),
    "testsuite": ({"name", "tests", "failures", "errors", "group", "time", "skipped", "timestamp",
                   "hostname", "id", "package", "file", "log", "url"},
                  {"name", "tests", "failures", "errors"}),
    "properties": (set(), set()),
    "property": ({"name", "value"}, {"name", "value"}),
    "testcase": ({"name", "time", "classname", "group"}, {"name"}),
    "failure": ({"type", "message"}, set()),
    "error": ({"type", "message"}, set()),
    "skipped": ({"type", "message"}, set()),
    "system-out": (set(), set()),
    "system-err": (set(), set()),
}
CHILDREN = {
    "testsuites": {"testsuite"},
    "testsuite": {"testsuite", "properties", "testcase", "system-out", "system-err"},
    "properties": {"property"},
    "property": set(),
    "testcase": {"skipped", "error", "failure", "system-out", "system-err"},
    "failure": set(), "error": set(), "skipped": set(), "system-out": set(), "system-err": set(),
}


def assert_junit_layout(element: ET.Element) -> None:
    allowed, required = ATTRS[element.tag]
    assert set(element.attrib) <= allowed, (element.tag, element.attrib)
    assert required <= set(element.attrib), (element.tag, element.attrib)
    for child in element:
        assert child.tag in CHILDREN[element.tag], (element.tag, child.tag)
        assert_junit_layout(child)


def test_junit_structure_and_counts() -> None:
    report = report_with_hostile_text()
    root = ET.fromstring(junit_xml(report).encode("utf-8"))
    assert_junit_layout(root)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["about-page", "contact-page", "faq",
                                              "returns-policy", "trust-seals"]  # catalogue order
    assert len(cases) == len(report["findings"])  # one test case per check
    assert suite.get("tests") == root.get("tests") == "5"
    assert suite.get("failures") == root.get("failures") == "1"
    assert suite.get("errors") == root.get("errors") == "1"
    assert suite.get("skipped") == "2"
    assert sum(1 for c in cases if c.find("failure") is not None) == 1
    assert sum(1 for c in cases if c.find("error") is not None) == 1
    assert sum(1 for c in cases if c.find("skipped") is not None) == 2
    by_name = {c.get("name"): c for c in cases}
    assert by_name["returns-policy"].get("classname") == "trustaudit.policies"
    assert by_name["about-page"].get("classname") == "trustaudit.identity"
    assert by_name["faq"].find("skipped").get("message").startswith("not-applicable: ")
    assert by_name["trust-seals"].find("skipped").get("message").startswith("unknown: ")
    assert by_name["about-page"].find("error").get("type") == "check-error"
    passed = by_name["contact-page"]
    assert passed.find("failure") is None and passed.find("skipped") is None


def test_junit_failure_carries_message_and_evidence_and_survives_hostile_text() -> None:
    report = report_with_hostile_text()
    xml = junit_xml(report)
    root = ET.fromstring(xml.encode("utf-8"))  # control characters would make this raise
    failure = root.find(".//testcase[@name='returns-policy']/failure")
    assert failure is not None
    assert failure.get("message") == "No returns-policy was found"
    assert failure.get("type") == "critical"
    text = failure.text or ""
    assert "<script>alert(1)</script>" in text  # literal text, escaped in the file
    assert "<script>" not in xml
    assert "\x00" not in xml and "\x07" not in xml and "\x1b" not in xml
    assert "Looked at:" in text and f"- searched {SITE} (footer): returns-policy snippet" in text
    assert "Fix: Add returns-policy." in text


def test_junit_properties_and_gate() -> None:
    report = make_report({**ALL_PASS, "faq": "fail"})
    verdict = evaluate(report, fail_on=["low"])
    root = ET.fromstring(junit_xml(report, verdict))
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert props["score"] == str(report["score"]["value"])
    assert props["grade"] == report["score"]["grade"]
    assert props["gate"] == verdict.line
    assert props["target"] == "site"


def test_junit_is_deterministic() -> None:
    assert junit_xml(report_with_hostile_text()) == junit_xml(report_with_hostile_text())


# --------------------------------------------------------------------------- Markdown


def test_markdown_summary_with_a_failed_gate_and_baseline() -> None:
    old = make_report({**ALL_PASS, "about-page": "fail"})
    report = make_report({**ALL_PASS, "returns-policy": "fail", "faq": "fail"},
                         messages={"faq": HOSTILE})
    verdict = evaluate(report, fail_on=["low"], baseline=old)
    md = markdown_summary(report, verdict, report_path="trustaudit-report/index.html")
    lines = md.splitlines()
    assert lines[0] == "### trustaudit: ❌ gate failed"
    value, grade = report["score"]["value"], report["score"]["grade"]
    assert f"**{value}/100 · grade {grade} · coverage 100%**" in md
    assert "grade capped by `returns-policy`" in md
    assert lines[4].startswith("> gate failed: baseline (new failures at or above low): ")
    assert "**Failed checks (2)**" in md
    assert "| critical | `returns-policy` 🆕 | No returns-policy was found" in md
    assert "**Since the baseline:** new failures: `returns-policy`, `faq` · resolved: " \
           "`about-page`" in md
    assert "full report: trustaudit-report/index.html" in md
    # Page text renders literally: no HTML, links, emphasis, mentions or table breaks.
    row = next(line for line in lines if "`faq`" in line)
    assert "<script>" not in row and "&lt;script&gt;" in row
    assert "\\*\\*bold\\*\\*" in row and "\\[x\\]" in row and "&#64;org" in row
    assert "&#35;12" in row and "\\`tick\\`" in row
    assert row.count(" | ") == 2  # the escaped pipe does not split the cell


def test_markdown_summary_without_gate_and_without_failures() -> None:
    md = markdown_summary(make_report(ALL_PASS))
    assert md.startswith("### trustaudit\n")
    assert "**No check failed.**" in md and "gate" not in md
    assert md.endswith("</sub>\n")


def test_markdown_summary_limits_rows() -> None:
    checks = {f"check-{i:02d}": ("policies", "low", 1) for i in range(25)}
    from auditor.audit import judge
    from auditor.site import Page, PageFacts, SiteSnapshot
    from tests.test_gates import make_specs

    snapshot = SiteSnapshot(mode="url", target=SITE, start_url=SITE,
                            pages=(Page(url=SITE, status=200, facts=PageFacts(title="x")),))
    _, report = judge(snapshot, site_kind="shop",
                      specs=make_specs(dict.fromkeys(checks, "fail"), checks=checks))
    md = markdown_summary(report)
    assert md.count("| low | `check-") == 20
    assert "and 5 more in the full report" in md


def test_md_escape_is_one_line_and_clipped() -> None:
    assert md_escape("a\nb\r\nc") == "a b c"
    assert len(md_escape("x" * 500, 50)) == 50


def test_step_summary_is_appended(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    path.write_text("# earlier step\n")
    append_step_summary("### trustaudit", path)
    append_step_summary("second\n", path)
    assert path.read_text() == "# earlier step\n### trustaudit\nsecond\n"


# --------------------------------------------------------------------------- GitHub


def test_workflow_command_escaping() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = workflow_command("error", "bad: x,y\n::set-env name=X::1",
                            file="site/a,b.html", title="t: 1")
    assert line == ("::error file=site/a%2Cb.html,title=t%3A 1::"
                    "bad: x,y%0A::set-env name=X::1")
    assert "\n" not in line
    assert workflow_command("notice", "m") == "::notice::m"


def test_annotations_levels_titles_and_gate() -> None:
    statuses = {"returns-policy": "fail", "contact-page": "fail", "about-page": "fail",
                "faq": "error", "trust-seals": "fail"}
    report = make_report(statuses, messages={"contact-page": "line one\nline two: 50% off"})
    verdict = evaluate(report, fail_on=["high"])
    lines = github_annotations(report, verdict)
    assert all("\n" not in line and "\r" not in line for line in lines)
    commands = [line.split(" ", 1)[0].split("::")[1] for line in lines]
    assert commands == ["error", "error", "warning", "warning", "notice", "error"]
    assert lines[0].startswith("::error title=trustaudit critical%3A returns-policy::"
                               "No returns-policy was found: returns-policy not found")
    assert "line one line two: 50%25 off" in lines[1]  # one line, % escaped
    assert "title=trustaudit%3A check faq could not run" in lines[3]
    assert lines[-1] == f"::error title=trustaudit gate::{verdict.line}"
    assert all(line.startswith("::") and "::" in line[2:] for line in lines)


def test_annotations_point_at_files_in_folder_mode(tmp_path: Path) -> None:
    site = tmp_path / "public"
    (site / "about").mkdir(parents=True)
    (site / "about" / "index.html").write_text("<p>about</p>")
    (site / "contact.html").write_text("<p>contact</p>")
    evidence = {
        "about-page": (Evidence("https://shop.example/about/", "link", "About", "footer"),),
        "contact-page": (Evidence("https://shop.example/contact.html", "text", "Call", ""),),
        "faq": (Evidence("https://shop.example/", "searched", "", "all pages"),),
    }
    report = make_report({"about-page": "fail", "contact-page": "fail", "faq": "fail"},
                         evidence=evidence, target="public",
                         site_url="https://shop.example")
    lines = github_annotations(report, cwd=tmp_path)
    by_id = {line.split("%3A ", 1)[1].split("::")[0]: line for line in lines}
    assert "file=public/about/index.html," in by_id["about-page"]
    assert "file=public/contact.html," in by_id["contact-page"]
    assert "file=" not in by_id["faq"]  # "searched" is site-wide: no file
    url_mode = make_report({"about-page": "fail"}, evidence=evidence, mode="url", target=SITE)
    assert "file=" not in github_annotations(url_mode, cwd=tmp_path)[0]


@pytest.mark.parametrize("passed", [True, False])
def test_no_gate_annotation_when_the_gate_passes(passed: bool) -> None:
    report = make_report({**ALL_PASS, "faq": "fail"})
    verdict = evaluate(report, fail_on=["high" if passed else "low"])
    lines = github_annotations(report, verdict)
    assert any("title=trustaudit gate" in line for line in lines) is not passed
