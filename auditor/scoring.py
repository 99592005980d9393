"""Scores from findings (DESIGN.md §4): weighted pass share, coverage, grade and the critical cap.

Category score = Σ weight·pass / Σ weight·(pass + fail). Unknown, not-applicable and error weigh
nothing: a check that could not look never costs points. A category with nothing judged shows no
score ("—"), never 0 or 100. The overall score is the weighted mean of the categories, each
weighing its judged weight — the same as pooling every judged check. A failed critical check caps
the grade at D. Coverage = judged weight / applicable weight (pass, fail, unknown, error).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from auditor.check_api import CATEGORIES, Status
from auditor.runner import Finding

GRADE_FLOORS: tuple[tuple[int, str], ...] = ((90, "A"), (80, "B"), (70, "C"), (60, "D"), (50, "E"))
CRITICAL_CAP = "D"


@dataclass(frozen=True, slots=True)
class Score:
    value: int | None
    grade: str | None
    coverage: float
    judged_weight: int
    capped_by: tuple[str, ...] = ()


def grade_for(value: int | None) -> str | None:
    if value is None:
        return None
    for floor, grade in GRADE_FLOORS:
        if value >= floor:
            return grade
    return "F"


def _cap(grade: str | None, cap: str) -> str | None:
    if grade is None:
        return None
    return max(grade, cap)  # letters sort A < B < ... < F, so max() is the worse grade


def score(findings: Iterable[Finding]) -> Score:
    findings = list(findings)
    passed = sum(f.spec.weight for f in findings if f.status is Status.PASS)
    judged = sum(f.spec.weight for f in findings if f.status in (Status.PASS, Status.FAIL))
    applicable = sum(f.spec.weight for f in findings if f.status is not Status.NOT_APPLICABLE)
    value = round(100 * passed / judged) if judged else None
    capped_by = tuple(
        sorted(f.id for f in findings if f.status is Status.FAIL and f.spec.severity == "critical")
    )
    grade = grade_for(value)
    if capped_by:
        grade = _cap(grade, CRITICAL_CAP)
    coverage = round(judged / applicable, 4) if applicable else 0.0
    return Score(value, grade, coverage, judged, capped_by)


def category_scores(findings: Iterable[Finding]) -> dict[str, Score]:
    """Scores per category that has at least one check, in the catalogue's category order."""
    by_category: dict[str, list[Finding]] = {}
    for finding in findings:
        by_category.setdefault(finding.spec.category, []).append(finding)
    return {c: score(by_category[c]) for c in CATEGORIES if c in by_category}
