"""Find checks: every module registered under the ``trustaudit.checks`` entry-point group.

Built-in families register there too, so third-party checks are first-class. A module
contributes every function decorated with :func:`auditor.check_api.check`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from importlib.metadata import entry_points
from types import ModuleType

from auditor.check_api import CheckSpec
from auditor.errors import InternalError

GROUP = "trustaudit.checks"


def specs_in_module(module: ModuleType) -> list[CheckSpec]:
    """The checks a module defines, in source order."""
    found: list[CheckSpec] = []
    for value in vars(module).values():
        spec = getattr(value, "__trustaudit_check__", None)
        if isinstance(spec, CheckSpec) and value.__module__ == module.__name__:
            found.append(spec)
    return found


def verify_builtin_packages() -> None:
    """Fail with one clear line if another installed package shadows ``checks`` or
    ``site_templates``."""
    for name, marker in (
        ("checks", "TRUSTAUDIT_CHECKS_PACKAGE"),
        ("site_templates", "TRUSTAUDIT_TEMPLATES_PACKAGE"),
    ):
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise InternalError(f"trustaudit's '{name}' package cannot be imported: {exc}") from exc
        if not getattr(module, marker, False):
            where = getattr(module, "__file__", "?")
            raise InternalError(
                f"another installed package named '{name}' ({where}) shadows trustaudit's own; "
                "install trustaudit in its own virtual environment"
            )


def load_specs(modules: Iterable[ModuleType] | None = None) -> tuple[CheckSpec, ...]:
    """All registered checks sorted by id. Duplicate ids are an internal error."""
    if modules is None:
        modules = [ep.load() for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name)]
    by_id: dict[str, CheckSpec] = {}
    for module in modules:
        for spec in specs_in_module(module):
            for key in (spec.id, *spec.aliases):
                if key in by_id:
                    raise InternalError(f"check id {key!r} is registered twice")
                by_id[key] = spec
    unique = {spec.id: spec for spec in by_id.values()}
    return tuple(unique[k] for k in sorted(unique))


def find_spec(specs: Iterable[CheckSpec], check_id: str) -> CheckSpec | None:
    """Look a check up by id or alias."""
    for spec in specs:
        if check_id == spec.id or check_id in spec.aliases:
            return spec
    return None
