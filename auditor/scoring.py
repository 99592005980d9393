"""Scores from findings (DESIGN.md §4): weighted pass share, coverage, grade and the critical cap.

Category score = Σ weight·pass / Σ weight·(pass + fail). Unknown, not-applicable and error weigh
nothing: a check that could not look never costs points. A category with nothing judged shows no
score ("—"), never 0 or 100. The overall score is the weighted mean of the categories, each
weighing its judged weight — the same as pooling every judged check. A failed critical check caps
the grade at D. Coverage = judged weight / applicable weight (pass, fail, unknown, error).

A category may instead be graded like the MDN HTTP Observatory (src/scanner/index.js,
src/grader/grader.js, src/grader/charts.js in mdn/mdn-http-observatory): a baseline of 100 plus
one modifier per test result; bonus points count only when the score without them is at least
90; the score never drops below 0 and may exceed 100; letters A+ … F by steps of 5. A check family
registers a scorer for its category (:func:`register_category_scorer`) that turns the category's
judged findings into modifiers; the engine does the arithmetic. The category's value is then
that score, capped at 100, and it enters the overall mean with the category's judged weight.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from auditor.check_api import CATEGORIES, Status
from auditor.runner import Finding
from auditor.site import SiteSnapshot

GRADE_FLOORS: tuple[tuple[int, str], ...] = ((90, "A"), (80, "B"), (70, "C"), (60, "D"), (50, "E"))
CRITICAL_CAP = "D"
# The Observatory's GRADE_CHART (charts.js): the floor of each letter, scores rounded down to 5.
OBSERVATORY_GRADES: tuple[tuple[int, str], ...] = (
    (100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"),
    (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F"),
)
OBSERVATORY_BASELINE = 100
OBSERVATORY_EXTRA_CREDIT_FROM = 90  # MINIMUM_SCORE_FOR_EXTRA_CREDIT


@dataclass(frozen=True, slots=True)
class Modifier:
    """One test result of a baseline-with-modifiers grade, and the check that observed it."""

    check: str  # the check id
    test: str  # the Observatory's test name ("content-security-policy"), or the check id
    result: str  # the result key ("csp-not-implemented")
    value: int  # points added to the baseline; negative is a penalty
    source: str  # "observatory" (the Observatory's own modifier) or "trustaudit"
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "test": self.test, "result": self.result,
                "modifier": self.value, "source": self.source, "description": self.description}


@dataclass(frozen=True, slots=True)
class ObservatoryGrade:
    """An Observatory-style score (≥ 0, may exceed 100) with its letter and the modifiers."""

    score: int
    grade: str
    modifiers: tuple[Modifier, ...]
    extra_credit: bool  # bonus points counted (the score without them was at least 90)

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "grade": self.grade, "extra_credit": self.extra_credit,
                "baseline": OBSERVATORY_BASELINE,
                "modifiers": [m.to_dict() for m in self.modifiers]}


@dataclass(frozen=True, slots=True)
class Score:
    value: int | None
    grade: str | None
    coverage: float
    judged_weight: int
    capped_by: tuple[str, ...] = ()
    observatory: ObservatoryGrade | None = None  # set when a category scorer graded it


#: Turns one category's findings into Observatory modifiers, or None to keep the weighted share.
CategoryScorer = Callable[[Sequence[Finding], SiteSnapshot], "Sequence[Modifier] | None"]
_SCORERS: dict[str, CategoryScorer] = {}


def register_category_scorer(category: str, scorer: CategoryScorer) -> None:
    """Grade ``category`` with Observatory-style modifiers from ``scorer(findings, site)``."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    _SCORERS[category] = scorer


def observatory_grade_for(score: int) -> str:
    """The Observatory's letter: scores above 100 grade as 100, others round down to 5."""
    step = min(max(score, 0) // 5 * 5, 100)
    return next(grade for floor, grade in OBSERVATORY_GRADES if step >= floor)


def observatory_grade(modifiers: Iterable[Modifier]) -> ObservatoryGrade:
    """Baseline 100 plus every modifier; bonuses only when the penalties alone leave ≥ 90."""
    mods = tuple(sorted(modifiers, key=lambda m: (m.check, m.test, m.result)))
    uncurved = OBSERVATORY_BASELINE + sum(m.value for m in mods if m.value < 0)
    extra = uncurved >= OBSERVATORY_EXTRA_CREDIT_FROM
    total = OBSERVATORY_BASELINE + sum(m.value for m in mods) if extra else uncurved
    total = max(total, 0)
    return ObservatoryGrade(total, observatory_grade_for(total), mods, extra)


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


def category_scores(
    findings: Iterable[Finding], site: SiteSnapshot | None = None
) -> dict[str, Score]:
    """Scores per category that has at least one check, in the catalogue's category order.

    With the audited ``site`` given, a category with a registered scorer is graded by it."""
    by_category: dict[str, list[Finding]] = {}
    for finding in findings:
        by_category.setdefault(finding.spec.category, []).append(finding)
    scores = {c: score(by_category[c]) for c in CATEGORIES if c in by_category}
    for category, base in scores.items():
        scorer = _SCORERS.get(category)
        if scorer is None or site is None or base.value is None:
            continue
        modifiers = scorer(by_category[category], site)
        if modifiers is not None:
            scores[category] = with_observatory(base, observatory_grade(modifiers))
    return scores


def with_observatory(base: Score, graded: ObservatoryGrade) -> Score:
    """The category's score replaced by an Observatory grade (value capped at 100; the critical
    cap still applies to the letter grade)."""
    value = min(graded.score, 100)
    grade = grade_for(value)
    if base.capped_by:
        grade = _cap(grade, CRITICAL_CAP)
    return dataclasses.replace(base, value=value, grade=grade, observatory=graded)


def overall_score(findings: Iterable[Finding], categories: Mapping[str, Score]) -> Score:
    """The weighted mean of the category values, each weighing its judged weight (DESIGN §4).

    For categories scored by weighted pass share this equals pooling every judged check; a
    category graded by an Observatory scorer contributes its value × its judged weight."""
    findings = list(findings)
    base = score(findings)
    graded = {c: s for c, s in categories.items() if s.observatory is not None}
    if not graded or not base.judged_weight:
        return base
    total = sum(s.value * s.judged_weight for s in graded.values() if s.value is not None)
    total += 100 * sum(f.spec.weight for f in findings
                       if f.status is Status.PASS and f.spec.category not in graded)
    value = round(total / base.judged_weight)
    grade = grade_for(value)
    if base.capped_by:
        grade = _cap(grade, CRITICAL_CAP)
    return dataclasses.replace(base, value=value, grade=grade)
