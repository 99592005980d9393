"""Observatory-style grading of the security category: the arithmetic (baseline 100, bonuses only
from 90, floor 0, letters by steps of 5), the security scorer on a hand-built snapshot, and how
the category's value enters the overall mean. Every expected number is computed by hand in the
comment next to it (modifiers from mdn/mdn-http-observatory src/grader/charts.js)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from auditor.audit import judge
from auditor.check_api import CheckSpec, Outcome, Status
from auditor.extract import extract_facts
from auditor.registry import load_specs
from auditor.results import load_schema
from auditor.runner import Finding, run_checks
from auditor.scoring import (
    Modifier,
    category_scores,
    observatory_grade,
    observatory_grade_for,
    overall_score,
    score,
)
from auditor.site import Page, SiteSnapshot
from checks.security.grading import MODIFIERS, observatory_modifiers


def mod(value: int, check: str = "x", result: str = "r") -> Modifier:
    return Modifier(check, check, result, value, "observatory")


@pytest.mark.parametrize(("value", "grade"), [
    (135, "A+"), (100, "A+"), (99, "A"), (90, "A"), (89, "A-"), (85, "A-"), (84, "B+"),
    (80, "B+"), (79, "B"), (70, "B"), (69, "B-"), (65, "B-"), (64, "C+"), (60, "C+"), (59, "C"),
    (50, "C"), (49, "C-"), (45, "C-"), (44, "D+"), (40, "D+"), (39, "D"), (30, "D"), (29, "D-"),
    (25, "D-"), (24, "F"), (0, "F"),
])
def test_observatory_letters(value: int, grade: str) -> None:
    assert observatory_grade_for(value) == grade


def test_bonus_counts_only_when_penalties_leave_ninety() -> None:
    # 100 - 10 = 90 >= 90, so the +5 counts: 95, A.
    g = observatory_grade([mod(-10, "hsts"), mod(5, "csp")])
    assert (g.score, g.grade, g.extra_credit) == (95, "A", True)
    # 100 - 10 - 5 = 85 < 90: the +5 and +5 are dropped: 85, A-.
    g = observatory_grade([mod(-10, "hsts"), mod(-5, "xcto"), mod(5, "csp"), mod(5, "ref")])
    assert (g.score, g.grade, g.extra_credit) == (85, "A-", False)
    # Nothing negative: 100 + 10 + 5 + 5 + 5 + 5 = 130, A+ (above 100 is kept).
    g = observatory_grade([mod(10), mod(5), mod(5), mod(5), mod(5)])
    assert (g.score, g.grade) == (130, "A+")


def test_score_never_below_zero() -> None:
    # 100 - 25 - 20 - 20 - 40 - 50 = -55 -> 0, F.
    g = observatory_grade([mod(-25), mod(-20), mod(-20), mod(-40), mod(-50)])
    assert (g.score, g.grade, g.extra_credit) == (0, "F", False)


def test_modifiers_are_sorted_for_a_deterministic_report() -> None:
    g = observatory_grade([mod(-5, "b"), mod(-20, "a")])
    assert [m.check for m in g.modifiers] == ["a", "b"]
    assert json.dumps(g.to_dict(), sort_keys=True) == json.dumps(
        observatory_grade([mod(-20, "a"), mod(-5, "b")]).to_dict(), sort_keys=True)


def test_modifier_table_matches_the_observatory() -> None:
    # A sample of charts.js SCORE_TABLE entries, copied by hand.
    expected = {
        "csp-not-implemented": -25, "csp-implemented-with-unsafe-inline": -20,
        "csp-implemented-with-unsafe-eval": -10, "csp-implemented-with-no-unsafe": 5,
        "csp-implemented-with-no-unsafe-default-src-none": 10, "hsts-not-implemented": -20,
        "hsts-implemented-max-age-less-than-six-months": -10,
        "x-content-type-options-not-implemented": -5, "x-frame-options-not-implemented": -20,
        "x-frame-options-implemented-via-csp": 5, "referrer-policy-private": 5,
        "referrer-policy-unsafe": -5, "redirection-missing": -20,
        "redirection-off-host-from-http": -5, "cookies-session-without-secure-flag": -40,
        "cookies-session-without-httponly-flag": -30, "cookies-without-secure-flag": -20,
        "cookies-secure-with-httponly-sessions-and-samesite": 5,
        "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
        "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    }
    assert {k: MODIFIERS[k][0] for k in expected} == expected


# --------------------------------------------------------------------------- on a snapshot

HOME = ("<!doctype html><html lang='en'><head><title>Shop</title></head><body><main>"
        "<h1>Shop</h1><p>Handmade mugs and bowls.</p></main></body></html>")


def snapshot(headers: tuple[tuple[str, str], ...], *, body: str = HOME,
             extra: tuple[Page, ...] = ()) -> SiteSnapshot:
    url = "https://shop.example/"
    start = Page(url=url, status=200, headers=(("content-type", "text/html"), *headers),
                 content_type="text/html", facts=extract_facts(body.encode(), url),
                 source="start")
    return SiteSnapshot(mode="url", target=url, start_url=url, pages=(start, *extra),
                        date="2025-06-01")


def security_findings(site: SiteSnapshot, kind: str = "shop") -> list[Finding]:
    specs = [s for s in load_specs() if s.category == "security"]
    return list(run_checks(site, specs, kind))


def test_security_category_graded_by_modifiers() -> None:
    site = snapshot((("content-security-policy", "default-src 'self'"),
                     ("x-content-type-options", "nosniff"), ("x-frame-options", "DENY")))
    findings = security_findings(site)
    cat = category_scores(findings, site)["security"]
    assert cat.observatory is not None
    applied = {m.check: (m.result, m.value) for m in cat.observatory.modifiers}
    # csp +5 (no unsafe), hsts -20 (none), nosniff 0, DENY 0, no Referrer-Policy 0, no cookies 0,
    # no scripts 0; the http:// variant was not probed, so http-to-https is unknown: no modifier.
    assert applied["csp"] == ("csp-implemented-with-no-unsafe", 5)
    assert applied["hsts"] == ("hsts-not-implemented", -20)
    assert applied["referrer-policy"] == ("referrer-policy-not-implemented", 0)
    assert "http-to-https" not in applied
    # 100 - 20 = 80 < 90: the +5 does not count. 80 is B+ in the Observatory, B in trustaudit.
    assert (cat.observatory.score, cat.observatory.grade, cat.observatory.extra_credit) == (
        80, "B+", False)
    assert (cat.value, cat.grade) == (80, "B")


def test_a_hardened_start_page_scores_above_100() -> None:
    site = snapshot((
        ("content-security-policy", "default-src 'none'; frame-ancestors 'none'"),
        ("strict-transport-security", "max-age=63072000; includeSubDomains; preload"),
        ("x-content-type-options", "nosniff"), ("referrer-policy", "no-referrer"),
        ("permissions-policy", "camera=()"),
        ("set-cookie", "sid=1; Secure; HttpOnly; SameSite=Lax"),
    ))
    cat = category_scores(security_findings(site), site)["security"]
    assert cat.observatory is not None
    # csp +10, framing via CSP +5, referrer +5, cookies +5: 100 + 25 = 125, A+; value capped 100.
    assert (cat.observatory.score, cat.observatory.grade) == (125, "A+")
    assert (cat.value, cat.grade) == (100, "A")


def test_folder_mode_keeps_the_weighted_share() -> None:
    url = "https://site.invalid/"
    page = Page(url=url, status=200, content_type="text/html",
                facts=extract_facts(HOME.encode(), url), source="start")
    site = SiteSnapshot(mode="folder", target="/tmp/x", start_url=url, pages=(page,))
    findings = security_findings(site)
    cat = category_scores(findings, site)["security"]
    assert cat.observatory is None  # no header test judged: no Observatory grade
    assert cat.value == score(findings).value


def spec(id: str, category: str, weight: int, severity: str = "medium") -> CheckSpec:
    return CheckSpec(id=id, category=category, severity=severity, weight=weight, title="t",
                     failure_title="f", fix="", func=lambda s: Outcome(Status.PASS, ""))


def test_overall_mean_uses_the_observatory_value() -> None:
    site = snapshot((("x-content-type-options", "nosniff"),))
    security = security_findings(site)
    others = [Finding(spec("privacy-x", "privacy", 9), Outcome(Status.PASS, "")),
              Finding(spec("policies-x", "policies", 8), Outcome(Status.FAIL, ""))]
    findings = security + others
    cats = category_scores(findings, site)
    sec = cats["security"]
    assert sec.observatory is not None
    # csp -25, hsts -20, framing -20: 100 - 65 = 35 (D).
    assert (sec.observatory.score, sec.observatory.grade) == (35, "D")
    judged = sum(f.spec.weight for f in findings if f.status in (Status.PASS, Status.FAIL))
    expected = round((100 * 9 + 0 * 8 + 35 * sec.judged_weight) / judged)
    overall = overall_score(findings, cats)
    assert overall.value == expected
    assert overall.judged_weight == judged and overall.coverage == score(findings).coverage
    # Without an Observatory category the overall score is the pooled weighted share.
    plain = [f for f in findings if f.spec.category != "security"]
    assert overall_score(plain, category_scores(plain, site)) == score(plain)


def test_scorer_returns_none_without_header_tests() -> None:
    site = snapshot(())
    findings = [f for f in security_findings(site) if f.id in ("mixed-content", "insecure-form")]
    assert observatory_modifiers(findings, site) is None


def test_report_json_carries_the_observatory_object() -> None:
    site = snapshot((("content-security-policy", "script-src 'self' 'unsafe-inline'"),))
    _, report = judge(site, site_kind="shop")
    jsonschema.validate(report, load_schema())
    security = next(c for c in report["categories"] if c["id"] == "security")
    obs = security["observatory"]
    results = {m["check"]: (m["result"], m["modifier"], m["source"]) for m in obs["modifiers"]}
    assert results["csp"] == ("csp-implemented-with-unsafe-inline", -20, "observatory")
    assert results["mixed-content"] == ("mixed-content-none", 0, "trustaudit")
    # csp -20, hsts -20, nosniff -5, framing -20: 100 - 65 = 35.
    assert (obs["score"], obs["grade"], security["score"]) == (35, "D", 35)
    assert all(c.get("observatory") is None for c in report["categories"] if c["id"] != "security")
