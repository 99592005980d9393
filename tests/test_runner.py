"""The runner: errors are contained, folder mode makes HTTP checks unknown, scope keeps found."""

from __future__ import annotations

from auditor.check_api import CheckSpec, Evidence, Outcome, Status
from auditor.runner import run_checks, run_one
from auditor.site import SiteSnapshot

SITE = SiteSnapshot(mode="folder", target="x", start_url="https://site.invalid/")


def spec(func, **kw) -> CheckSpec:
    base = dict(id="c", category="policies", severity="high", weight=5, title="T",
                failure_title="F", fix="", func=func)
    base.update(kw)
    return CheckSpec(**base)


def test_raising_check_becomes_error_and_audit_continues() -> None:
    def boom(site):
        raise RuntimeError("bad")

    def ok(site):
        return Outcome.passed("fine", [Evidence(site.start_url, "page")])

    findings = run_checks(SITE, [spec(boom, id="a"), spec(ok, id="b")], "shop")
    assert [f.status for f in findings] == [Status.ERROR, Status.PASS]
    assert "RuntimeError" in findings[0].outcome.message and "bad" in findings[0].detail


def test_pass_without_evidence_is_an_error() -> None:
    finding = run_one(spec(lambda s: Outcome(Status.PASS, "no proof")), SITE, "shop")
    assert finding.status is Status.ERROR


def test_http_checks_unknown_in_folder_mode() -> None:
    finding = run_one(spec(lambda s: 1 / 0, needs=frozenset({"http"})), SITE, "shop")
    assert finding.status is Status.UNKNOWN and finding.outcome.evidence


def test_scope_gives_not_applicable_but_keeps_found() -> None:
    def absent(site):
        return Outcome.failed("none", [Evidence(site.start_url, "searched")])

    finding = run_one(spec(absent, scope=frozenset({"shop"})), SITE, "local")
    assert finding.status is Status.NOT_APPLICABLE and finding.outcome.found is False
    assert finding.title == "T"
