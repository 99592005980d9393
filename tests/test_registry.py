"""The registry: entry points, guards against shadowing packages, the catalogue's completeness."""

from __future__ import annotations

import re
import types

import pytest

from auditor.check_api import CATEGORIES, DOC_SECTIONS, Evidence, Outcome, check
from auditor.errors import InternalError
from auditor.registry import GROUP, find_spec, load_specs, verify_builtin_packages

CORE_IDS = {
    "privacy-policy", "terms-of-service", "returns-policy", "shipping-info", "contact-page",
    "contact-email", "contact-phone", "postal-address", "about-page", "testimonials", "reviews",
    "certifications", "trust-seals", "social-profiles", "cookie-consent", "faq", "imprint",
    "https", "broken-links",
}


def test_builtin_families_register_through_entry_points() -> None:
    from importlib.metadata import entry_points

    names = {ep.value for ep in entry_points(group=GROUP)}
    assert {"checks.privacy", "checks.policies", "checks.contact", "checks.identity"} <= names
    assert {s.id for s in load_specs()} >= CORE_IDS


def test_every_check_is_complete() -> None:
    ids = [s.id for s in load_specs()]
    assert len(ids) == len(set(ids))
    for spec in load_specs():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", spec.id)
        assert spec.category in CATEGORIES
        assert [name for name, _ in spec.docs] == list(DOC_SECTIONS), spec.id
        assert all(text for _, text in spec.docs), spec.id
        assert spec.title and spec.failure_title and spec.fix, spec.id


def test_duplicate_ids_are_refused() -> None:
    module = types.ModuleType("dup")

    def a(site):
        return Outcome.passed("x", [Evidence("u", "page")])

    module.a = check(id="same", category="identity", severity="low", weight=1, title="t",
                     failure_title="f", fix="x")(a)
    a.__module__ = "dup"
    with pytest.raises(InternalError):
        load_specs([module, module])


def test_find_spec_by_id() -> None:
    specs = load_specs()
    assert find_spec(specs, "privacy-policy").category == "privacy"
    assert find_spec(specs, "nope") is None


def test_shadowing_checks_package_is_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    fake = types.ModuleType("checks")
    fake.__file__ = "/somewhere/else/checks/__init__.py"
    monkeypatch.setitem(sys.modules, "checks", fake)
    with pytest.raises(InternalError, match="shadows"):
        verify_builtin_packages()


def test_docs_checks_md_is_current() -> None:
    from pathlib import Path

    from auditor.catalogue import catalogue_markdown

    path = Path(__file__).parent.parent / "docs" / "checks.md"
    assert path.read_text("utf-8") == catalogue_markdown(load_specs()), (
        "docs/checks.md is stale: run `trustaudit checks --markdown > docs/checks.md`")
