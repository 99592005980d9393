"""Scoring: weighted pass share, unknowns weigh nothing, coverage, grades, critical cap."""

from __future__ import annotations

from auditor.check_api import CheckSpec, Outcome, Status
from auditor.runner import Finding
from auditor.scoring import category_scores, grade_for, score


def finding(status: Status, weight: int = 5, severity: str = "medium", category: str = "policies",
            id: str = "x") -> Finding:
    spec = CheckSpec(id=id, category=category, severity=severity, weight=weight, title="t",
                     failure_title="f", fix="", func=lambda s: Outcome(status, ""))
    return Finding(spec, Outcome(status, ""))


def test_weighted_share_ignores_unknown_na_error() -> None:
    s = score([
        finding(Status.PASS, 9), finding(Status.FAIL, 3), finding(Status.UNKNOWN, 10),
        finding(Status.NOT_APPLICABLE, 10), finding(Status.ERROR, 10),
    ])
    assert s.value == 75  # 9 / (9 + 3)
    assert s.coverage == round(12 / 32, 4)  # judged / applicable (n/a excluded)


def test_nothing_judged_has_no_score() -> None:
    s = score([finding(Status.UNKNOWN), finding(Status.NOT_APPLICABLE)])
    assert s.value is None and s.grade is None and s.coverage == 0.0


def test_failed_critical_caps_grade() -> None:
    findings = [finding(Status.PASS, 10, id=f"p{i}") for i in range(9)]
    findings.append(finding(Status.FAIL, 9, severity="critical", id="privacy-policy"))
    s = score(findings)
    assert s.value == 91 and s.grade == "D" and s.capped_by == ("privacy-policy",)


def test_grades() -> None:
    assert [grade_for(v) for v in (100, 90, 89, 80, 70, 60, 50, 49, None)] == [
        "A", "A", "B", "B", "C", "D", "E", "F", None]


def test_category_scores_in_catalogue_order() -> None:
    cats = category_scores([
        finding(Status.PASS, category="privacy"),
        finding(Status.FAIL, category="identity"),
        finding(Status.UNKNOWN, category="security"),
    ])
    assert list(cats) == ["identity", "privacy", "security"]
    assert cats["privacy"].value == 100 and cats["identity"].value == 0
    assert cats["security"].value is None
