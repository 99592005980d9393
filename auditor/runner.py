"""Run checks over a snapshot: a raising check becomes ``error`` and the audit goes on.

The runner owns what is the same for every check: stamping metadata onto the finding, marking
HTTP-only checks ``unknown`` in folder mode, and applying the site-kind scope. Scope turns the
status into ``not-applicable`` but keeps ``found``, because "is there a returns policy" has an
answer even on a site that need not have one.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass

from auditor.check_api import CheckSpec, Evidence, Outcome, Status, clip
from auditor.site import SiteSnapshot


@dataclass(frozen=True, slots=True)
class Finding:
    spec: CheckSpec
    outcome: Outcome
    detail: str = ""  # the traceback of an error, for --debug; never in report.json

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def status(self) -> Status:
        return self.outcome.status

    @property
    def title(self) -> str:
        return self.spec.failure_title if self.status is Status.FAIL else self.spec.title


def run_one(spec: CheckSpec, site: SiteSnapshot, site_kind: str) -> Finding:
    if "http" in spec.needs and site.mode != "url":
        outcome = Outcome.unknown(
            "Not observable in folder mode: this check reads HTTP responses. "
            "Audit the deployed URL to judge it.",
            [Evidence(site.start_url, "searched", locator="folder mode: no HTTP headers")],
        )
        return Finding(spec, outcome)
    try:
        outcome = spec.func(site)
        if not isinstance(outcome, Outcome):
            raise TypeError(f"check returned {type(outcome).__name__}, not Outcome")
        if outcome.status in (Status.PASS, Status.FAIL) and not outcome.evidence:
            raise ValueError(f"check returned {outcome.status} without evidence")
    except Exception as exc:  # a broken check must never lose the rest of the audit
        message = f"The check failed to run ({type(exc).__name__}: {clip(str(exc), 150)})."
        return Finding(spec, Outcome(Status.ERROR, message), traceback.format_exc())
    if not spec.applies_to(site_kind) and outcome.status is not Status.ERROR:
        outcome = Outcome(
            Status.NOT_APPLICABLE,
            f"Not applicable to a {site_kind} site. {outcome.message}".strip(),
            outcome.evidence,
            outcome.found,
        )
    return Finding(spec, outcome)


def run_checks(
    site: SiteSnapshot, specs: Iterable[CheckSpec], site_kind: str
) -> tuple[Finding, ...]:
    """Every check once, in id order (deterministic)."""
    return tuple(run_one(spec, site, site_kind) for spec in sorted(specs, key=lambda s: s.id))
