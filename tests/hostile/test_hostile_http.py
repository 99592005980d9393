"""The hostile suite, URL mode: a full ``trustaudit audit`` of every hostile case.

Each case runs the real command in a subprocess against its own host of the hostile server and
must: end within its time bound, stay under its peak-memory bound, give the stated outcome (a
finding, a fetch error with a clear reason, a limit hit, or one clear line and exit 3 for a
target that cannot be used), still audit the rest of the site, write the report, and leave
nothing in the report that a browser would run or load.

The audits run once per session (the ``outcomes`` fixture of ``conftest.py``, a few at a
time), then every case is checked as its own test.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from auditor.results import load_schema
from tests.hostile.harness import Outcome, assert_inert
from tests.hostile.server import HostileServer
from tests.hostile.site import (
    CASES,
    XSS_MARKERS,
    Case,
    CaseContext,
)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_case(case: Case, outcomes: dict[str, Outcome | BaseException],
                      hostile_servers: tuple[HostileServer, HostileServer],
                      measurements: dict[str, dict[str, float]]) -> None:
    hostile, internal = hostile_servers
    outcome = outcomes[case.name]
    if isinstance(outcome, BaseException):
        raise outcome
    out = outcome.out
    measurements[case.name] = {"seconds": round(outcome.elapsed, 2),
                               "peak_mib": round(outcome.peak_mib, 1)}
    assert outcome.exit_code == case.exit_code, outcome.describe()
    assert outcome.elapsed < case.seconds, outcome.describe()
    assert 0 < outcome.peak_mib < case.mib, outcome.describe()
    assert "Traceback" not in outcome.stderr and "internal error" not in outcome.stderr, \
        outcome.describe()
    if case.report:
        assert outcome.report is not None and (out / "index.html").is_file(), outcome.describe()
        jsonschema.validate(outcome.report, load_schema())
        assert_inert(out, forbidden=XSS_MARKERS)
    else:
        assert not out.exists(), "no report for an unusable target"
        lines = [line for line in outcome.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("trustaudit"), outcome.stderr
    case.expect(outcome, CaseContext(hostile, internal, case))


def test_every_case_is_documented() -> None:
    """docs/security.md lists every hostile case by name."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text("utf-8")
    missing = [case.name for case in CASES if f"`{case.name}`" not in text]
    assert not missing, f"cases missing from docs/security.md: {missing}"
