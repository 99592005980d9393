"""Gates: --fail-on (severity and id), --fail-under, --baseline, and the one-line verdict.

Reports are built by the real pipeline (``judge`` with small test checks), so they are the
report.json dicts the CLI gates; ``make_report`` is shared with the diff and summary tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema
import pytest

from auditor.audit import judge
from auditor.check_api import CheckSpec, Evidence, Outcome
from auditor.config import CheckOverride, Selection
from auditor.gates import evaluate, split_fail_on
from auditor.results import load_schema
from auditor.site import Page, PageFacts, SiteSnapshot

SITE = "https://shop.example/"
#: id: (category, severity, weight)
CHECKS: dict[str, tuple[str, str, int]] = {
    "returns-policy": ("policies", "critical", 9),
    "contact-page": ("contact", "high", 8),
    "about-page": ("identity", "medium", 5),
    "faq": ("contact", "low", 3),
    "trust-seals": ("credentials", "info", 2),
}


def _func(check_id: str, status: str, message: str, evidence: tuple[Evidence, ...]):  # noqa: ANN202
    def run(site: SiteSnapshot) -> Outcome:
        if status == "pass":
            return Outcome.passed(message or f"{check_id} seen", evidence)
        if status == "fail":
            return Outcome.failed(message or f"{check_id} not found", evidence)
        if status == "unknown":
            return Outcome.unknown(message or "could not tell")
        if status == "not-applicable":
            return Outcome.not_applicable(message or "not for this site")
        raise RuntimeError(message or "boom")

    return run


def make_specs(statuses: Mapping[str, str], messages: Mapping[str, str] | None = None,
               evidence: Mapping[str, tuple[Evidence, ...]] | None = None,
               checks: Mapping[str, tuple[str, str, int]] = CHECKS) -> list[CheckSpec]:
    specs = []
    for check_id, status in statuses.items():
        category, severity, weight = checks[check_id]
        found = evidence.get(check_id) if evidence else None
        found = found or (Evidence(SITE, "searched" if status == "fail" else "link",
                                   f"{check_id} snippet", "footer"),)
        specs.append(CheckSpec(
            id=check_id, category=category, severity=severity, weight=weight,
            title=f"The site has {check_id}", failure_title=f"No {check_id} was found",
            fix=f"Add {check_id}.", func=_func(check_id, status, (messages or {}).get(check_id, ""),
                                                found),
        ))
    return specs


def make_report(statuses: Mapping[str, str], *, messages: Mapping[str, str] | None = None,
                evidence: Mapping[str, tuple[Evidence, ...]] | None = None,
                target: str = "site", mode: str = "folder", site_url: str = "",
                selection: Selection | None = None) -> dict[str, Any]:
    """A real report.json dict whose checks end with the given statuses."""
    snapshot = SiteSnapshot(
        mode=mode, target=target, start_url=SITE, site_url=site_url,
        pages=(Page(url=SITE, status=200, content_type="text/html",
                    facts=PageFacts(title="Home", lang="en")),),
    )
    _, report = judge(snapshot, site_kind="shop", specs=make_specs(statuses, messages, evidence),
                      selection=selection)
    return report


ALL_PASS = dict.fromkeys(CHECKS, "pass")


def test_reports_are_schema_valid() -> None:
    report = make_report({**ALL_PASS, "faq": "fail", "about-page": "error",
                          "trust-seals": "unknown"})
    jsonschema.validate(report, load_schema())
    assert {f["id"]: f["status"] for f in report["findings"]}["about-page"] == "error"


def test_no_gate_is_inactive_and_passes() -> None:
    verdict = evaluate(make_report({**ALL_PASS, "returns-policy": "fail"}))
    assert verdict.passed and not verdict.active and verdict.line == "" and verdict.exit_code == 0


@pytest.mark.parametrize(("fail_on", "tripped"), [
    (["critical"], ["returns-policy"]),
    (["high"], ["returns-policy", "contact-page"]),
    (["low"], ["returns-policy", "contact-page", "faq"]),
    (["info"], ["returns-policy", "contact-page", "faq", "trust-seals"]),
    (["critical", "low"], ["returns-policy", "contact-page", "faq"]),  # the most inclusive wins
])
def test_fail_on_severity(fail_on: list[str], tripped: list[str]) -> None:
    report = make_report({"returns-policy": "fail", "contact-page": "fail", "about-page": "pass",
                          "faq": "fail", "trust-seals": "fail"})
    verdict = evaluate(report, fail_on=fail_on)
    assert not verdict.passed and verdict.exit_code == 1
    assert verdict.tripped == ("fail-on",)
    assert list(verdict.failing) == tripped  # worst first
    assert verdict.line.startswith("gate failed: ")
    assert ", ".join(tripped) in verdict.line and "\n" not in verdict.line


def test_fail_on_severity_passes_when_only_lesser_checks_fail() -> None:
    verdict = evaluate(make_report({**ALL_PASS, "faq": "fail", "trust-seals": "unknown"}),
                       fail_on=["medium"])
    assert verdict.passed and verdict.active
    assert verdict.line == "gate passed: no failed check at or above medium"


def test_unknown_and_error_never_trip_fail_on() -> None:
    verdict = evaluate(make_report({**ALL_PASS, "returns-policy": "unknown",
                                    "contact-page": "error"}), fail_on=["info"])
    assert verdict.passed


def test_fail_on_check_id() -> None:
    report = make_report({**ALL_PASS, "faq": "fail", "about-page": "fail"})
    verdict = evaluate(report, fail_on=["faq"])
    assert not verdict.passed and verdict.failing == ("faq",)
    assert verdict.line == "gate failed: 1 failed check among faq: faq"
    assert evaluate(report, fail_on=["contact-page"]).passed
    both = evaluate(report, fail_on=["high", "about-page"])
    assert both.failing == ("about-page",)
    assert "at or above high or among about-page: about-page" in both.line


def test_split_fail_on() -> None:
    assert split_fail_on(["high", "faq", "low", "about-page"]) == ("low", ("about-page", "faq"))
    assert split_fail_on([]) == (None, ())


@pytest.mark.parametrize(("threshold", "passed"), [(0, True), (70, True), (71, False),
                                                  (100, False)])
def test_fail_under(threshold: int, passed: bool) -> None:
    # Passing weight 9 + 8 + 2 over judged weight 27 (about-page 5 and faq 3 fail): 70.
    report = make_report({**ALL_PASS, "about-page": "fail", "faq": "fail"})
    assert report["score"]["value"] == 70
    verdict = evaluate(report, fail_under=threshold)
    assert verdict.passed is passed
    if passed:
        assert verdict.line == f"gate passed: score 70 is at least {threshold}"
    else:
        assert verdict.tripped == ("fail-under",)
        assert verdict.line == f"gate failed: score 70 is under {threshold}"


def test_fail_under_trips_when_no_score_can_be_computed() -> None:
    report = make_report(dict.fromkeys(CHECKS, "unknown"))
    assert report["score"]["value"] is None
    verdict = evaluate(report, fail_under=10)
    assert not verdict.passed
    assert verdict.line == "gate failed: no score could be computed (fail-under 10)"


def test_several_gates_trip_in_one_line() -> None:
    report = make_report({**ALL_PASS, "returns-policy": "fail", "about-page": "fail"})
    verdict = evaluate(report, fail_on=["critical"], fail_under=90)
    assert verdict.tripped == ("fail-on", "fail-under")
    assert verdict.line.count("\n") == 0
    assert "returns-policy" in verdict.line and "is under 90" in verdict.line


# --------------------------------------------------------------------------- baseline


def test_baseline_new_failure_trips_and_known_failures_are_accepted() -> None:
    old = make_report({**ALL_PASS, "faq": "fail"})
    new = make_report({**ALL_PASS, "faq": "fail", "contact-page": "fail"})
    verdict = evaluate(new, baseline=old)
    assert not verdict.passed and verdict.tripped == ("baseline",)
    assert verdict.new_failures == ("contact-page",) and verdict.failing == ("contact-page",)
    assert verdict.line == "gate failed: baseline: 1 new failure: contact-page"


def test_baseline_without_new_failures_passes_and_reports_progress() -> None:
    old = make_report({**ALL_PASS, "faq": "fail", "about-page": "fail", "returns-policy": "fail"})
    new = make_report({**ALL_PASS, "faq": "fail"})
    verdict = evaluate(new, baseline=old)
    assert verdict.passed and verdict.baseline_used
    assert verdict.resolved == ("about-page", "returns-policy")
    assert verdict.line == ("gate passed: baseline: no new failures (1 known accepted); "
                            "progress: 2 resolved: about-page, returns-policy")


def test_baseline_counts_checks_that_appear_failing_but_not_pass_to_unknown() -> None:
    old = make_report({"returns-policy": "pass", "contact-page": "pass"})
    new = make_report({"returns-policy": "unknown", "contact-page": "pass", "faq": "fail"})
    verdict = evaluate(new, baseline=old)
    assert verdict.new_failures == ("faq",)
    assert not verdict.passed


def test_baseline_with_fail_on_counts_only_the_new_failures_it_names() -> None:
    old = make_report({**ALL_PASS, "returns-policy": "fail"})
    low_only = make_report({**ALL_PASS, "returns-policy": "fail", "faq": "fail"})
    verdict = evaluate(low_only, fail_on=["high"], baseline=old)
    assert verdict.passed  # the known critical failure is accepted, the new one is low
    assert verdict.new_failures == ("faq",)
    assert "baseline (new failures at or above high): no new failures" in verdict.line
    high_too = make_report({**ALL_PASS, "returns-policy": "fail", "faq": "fail",
                            "contact-page": "fail"})
    verdict = evaluate(high_too, fail_on=["high"], baseline=old)
    assert not verdict.passed and verdict.failing == ("contact-page",)
    assert verdict.line == ("gate failed: baseline (new failures at or above high): "
                            "1 new failure: contact-page")


def test_baseline_and_fail_under_together() -> None:
    old = make_report(ALL_PASS)
    new = make_report({**ALL_PASS, "returns-policy": "fail"})
    verdict = evaluate(new, baseline=old, fail_under=80)
    assert verdict.tripped == ("baseline", "fail-under")


def test_overrides_change_what_the_gate_sees() -> None:
    """A severity override is applied before the gate (and the score) see the finding."""
    statuses = {**ALL_PASS, "faq": "fail"}
    assert evaluate(make_report(statuses), fail_on=["high"]).passed
    raised = make_report(statuses, selection=Selection(
        overrides=(("faq", CheckOverride(severity="critical")),)))
    verdict = evaluate(raised, fail_on=["high"])
    assert not verdict.passed and verdict.failing == ("faq",)
    assert raised["score"]["capped_by"] == ["faq"]  # a failed critical check caps the grade
    ignored = make_report(statuses, selection=Selection(ignore=("faq",)))
    assert evaluate(ignored, fail_on=["info"]).passed
