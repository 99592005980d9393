"""The check contract: decorator validation, outcomes, evidence and docstring sections."""

from __future__ import annotations

import pytest

from auditor.check_api import Evidence, Outcome, Status, check, clip, parse_docs
from auditor.site import SiteSnapshot


def _ok(site: SiteSnapshot) -> Outcome:
    return Outcome.passed("ok", [Evidence("https://a.example/", "page")])


def test_decorator_attaches_spec_with_docs() -> None:
    def fn(site: SiteSnapshot) -> Outcome:
        """
        What it looks for: a thing.
        Why it matters: because
        it spans lines.
        How to fix: do it.
        Traps: none.
        """
        return _ok(site)

    decorated = check(id="acme:thing", category="identity", severity="low", weight=2,
                      title="t", failure_title="f", fix="x")(fn)
    spec = decorated.__trustaudit_check__
    assert spec.id == "acme:thing"
    assert spec.doc("Why it matters") == "because it spans lines."
    assert [name for name, _ in spec.docs] == [
        "What it looks for", "Why it matters", "How to fix", "Traps"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"id": "Bad_Id"},
        {"category": "nonsense"},
        {"severity": "urgent"},
        {"weight": 11},
        {"scope": ("marketplace",)},
        {"needs": ("browser",)},
    ],
)
def test_decorator_rejects_bad_metadata(kwargs: dict) -> None:
    base = dict(id="ok-id", category="identity", severity="low", weight=2, title="t",
                failure_title="f", fix="x")
    base.update(kwargs)
    with pytest.raises(ValueError):
        check(**base)


def test_evidence_clips_snippets_and_rejects_unknown_kinds() -> None:
    ev = Evidence("https://a.example/", "text", "x" * 500)
    assert len(ev.snippet) == 200 and ev.snippet.endswith("…")
    with pytest.raises(ValueError):
        Evidence("https://a.example/", "guess")


def test_outcome_dedupes_evidence_and_sets_found() -> None:
    ev = Evidence("https://a.example/", "page", "s")
    outcome = Outcome.passed("m", [ev, ev])
    assert outcome.evidence == (ev,) and outcome.found is True
    assert Outcome.failed("m", [ev]).found is False
    assert Outcome.unknown("m").found is None
    assert Outcome.not_applicable("m", found=True).status is Status.NOT_APPLICABLE


def test_clip_collapses_whitespace() -> None:
    assert clip("  a \n\t b  ") == "a b"


def test_parse_docs_ignores_unknown_headers() -> None:
    assert parse_docs("Note: x\nWhat it looks for: y") == (("What it looks for", "y"),)
