"""Build gates: decide from report.json (and an earlier one) whether CI should fail the build.

Teams fail the build only on what they decided matters, and read the verdict as one line that
names what tripped it. The gates, all optional and combined (any tripped gate fails):

- ``fail-on`` (repeatable): a severity (findings of that severity or worse that fail) or a
  check id (that check fails).
- ``fail-under``: the overall score is under this value (a site with no score trips it too).
- ``baseline``: an earlier report.json. Failures that are new against it trip the gate (with
  ``fail-on``: only the new failures it names, so known failures are accepted while new ones
  are not); failures that pass now are reported as progress.

Pure functions of the report dicts: no I/O, deterministic wording and order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from auditor.check_api import SEVERITIES
from auditor.diff import compare

MAX_IDS_IN_LINE = 12


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the gates decided. ``line`` is the one line printed; ``active`` is False when no
    gate was asked for (then nothing is printed and the audit exits 0)."""

    passed: bool
    line: str
    active: bool = True
    tripped: tuple[str, ...] = ()  # names of the gates that tripped: fail-on, fail-under, baseline
    failing: tuple[str, ...] = ()  # check ids that tripped fail-on (or the baseline gate)
    new_failures: tuple[str, ...] = ()  # failing now, not failing in the baseline
    resolved: tuple[str, ...] = ()  # failing in the baseline, passing now
    baseline_used: bool = False

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1


def id_list(ids: Sequence[str], limit: int = MAX_IDS_IN_LINE) -> str:
    """``a, b, c`` (and ``and N more`` past ``limit``)."""
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def split_fail_on(values: Iterable[str]) -> tuple[str | None, tuple[str, ...]]:
    """(the most inclusive severity given or None, the check ids given)."""
    severities = [v for v in values if v in SEVERITIES]
    ids = tuple(sorted({v for v in values if v not in SEVERITIES}))
    threshold = max(severities, key=SEVERITIES.index) if severities else None
    return threshold, ids


def _trips(finding: Mapping[str, Any], threshold: str | None, ids: Sequence[str]) -> bool:
    if finding["id"] in ids:
        return True
    return threshold is not None and SEVERITIES.index(finding["severity"]) <= SEVERITIES.index(
        threshold
    )


def _order(report: Mapping[str, Any]) -> dict[str, tuple[int, int, str]]:
    """Sort key per finding id: worst severity first, heavier first, then id."""
    return {
        f["id"]: (SEVERITIES.index(f["severity"]), -int(f["weight"]), f["id"])
        for f in report["findings"]
    }


def evaluate(
    report: Mapping[str, Any],
    *,
    fail_on: Sequence[str] = (),
    fail_under: int | None = None,
    baseline: Mapping[str, Any] | None = None,
) -> Verdict:
    """Evaluate every requested gate on ``report`` (against ``baseline`` when given)."""
    unknown = [v for v in fail_on if not isinstance(v, str) or not v]
    if unknown:
        raise ValueError(f"invalid fail-on values: {unknown!r}")
    if not fail_on and fail_under is None and baseline is None:
        return Verdict(passed=True, line="", active=False)
    threshold, ids = split_fail_on(fail_on)
    order = _order(report)
    failed = [f for f in report["findings"] if f["status"] == "fail"]
    parts_failed: list[str] = []
    parts_passed: list[str] = []
    tripped: list[str] = []
    failing: list[str] = []
    new_failures: tuple[str, ...] = ()
    resolved: tuple[str, ...] = ()
    what = " or ".join(x for x in (f"at or above {threshold}" if threshold else "",
                                   f"among {id_list(ids)}" if ids else "") if x)

    if baseline is not None:
        change = compare(baseline, report)
        new_failures = tuple(sorted(change.new_failures, key=lambda i: order.get(i, (9, 0, i))))
        resolved = tuple(sorted(change.resolved))
        by_id = {f["id"]: f for f in failed}
        if fail_on:
            counted = [i for i in new_failures if _trips(by_id[i], threshold, ids)]
            label = f"baseline (new failures {what})"
        else:
            counted = list(new_failures)
            label = "baseline"
        if counted:
            tripped.append("baseline")
            failing += counted
            parts_failed.append(f"{label}: {_plural(len(counted), 'new failure')}: "
                                f"{id_list(counted)}")
        else:
            known = len([f for f in failed if f["id"] not in new_failures])
            parts_passed.append(f"{label}: no new failures"
                                + (f" ({known} known accepted)" if known else ""))
    elif fail_on:
        hits = sorted((f["id"] for f in failed if _trips(f, threshold, ids)),
                      key=lambda i: order[i])
        if hits:
            tripped.append("fail-on")
            failing += hits
            parts_failed.append(f"{_plural(len(hits), 'failed check')} {what}: {id_list(hits)}")
        else:
            parts_passed.append(f"no failed check {what}")

    if fail_under is not None:
        value = report["score"]["value"]
        if value is None:
            tripped.append("fail-under")
            parts_failed.append(f"no score could be computed (fail-under {fail_under})")
        elif value < fail_under:
            tripped.append("fail-under")
            parts_failed.append(f"score {value} is under {fail_under}")
        else:
            parts_passed.append(f"score {value} is at least {fail_under}")

    progress = f"; progress: {len(resolved)} resolved: {id_list(resolved)}" if resolved else ""
    if tripped:
        line = "gate failed: " + "; ".join(parts_failed) + progress
    else:
        line = "gate passed: " + "; ".join(parts_passed) + progress
    return Verdict(
        passed=not tripped,
        line=line,
        tripped=tuple(tripped),
        failing=tuple(dict.fromkeys(failing)),
        new_failures=new_failures,
        resolved=resolved,
        baseline_used=baseline is not None,
    )
