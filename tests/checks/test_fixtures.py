"""Every check against its pass/fail/unknown fixture folders, and the catalogue meta-tests."""

from __future__ import annotations

import pytest

from auditor.registry import load_specs
from tests.checks.harness import FIXTURE_DATE, Case, all_cases, audit_fixture

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture(case: Case) -> None:
    findings = audit_fixture(case.folder, site_kind=case.expect.get("site_kind"),
                             site_url=case.expect.get("site_url", ""),
                             date=case.expect.get("date", FIXTURE_DATE))
    finding = findings[case.check_id]
    assert finding["status"] == case.status, (finding["message"], finding["evidence"])
    if case.status in ("pass", "fail"):
        assert finding["evidence"], "a pass or fail must carry evidence"
        assert all(e["url"] for e in finding["evidence"])
    if "found" in case.expect:
        expected = None if case.expect["found"] == "null" else case.expect["found"]
        assert finding["found"] is expected, finding["message"]
    for needle in case.expect.get("evidence", []):
        haystack = " ".join(f"{e['snippet']} {e['locator']} {e['url']}"
                            for e in finding["evidence"])
        assert needle.lower() in haystack.lower(), (needle, finding["evidence"])


def test_every_check_has_pass_and_fail_fixtures() -> None:
    have: dict[str, set[str]] = {}
    for case in CASES:
        have.setdefault(case.check_id, set()).add(case.status)
    missing = []
    for spec in load_specs():
        # HTTP-only checks are unknown in folder mode; their pass and fail cases run against the
        # local HTTP server (tests/checks/test_security_http.py).
        needed = {"unknown"} if "http" in spec.needs else {"pass", "fail"}
        if not needed <= have.get(spec.id, set()):
            missing.append(spec.id)
    assert not missing, f"checks without their fixtures: {missing}"


def test_fixture_folders_name_real_checks() -> None:
    ids = {spec.id for spec in load_specs()}
    assert {c.check_id for c in CASES} <= ids
