"""The contract between the engine and a check: a decorated pure function returning an Outcome.

A check reads a :class:`~auditor.site.SiteSnapshot` and returns an :class:`Outcome`. It never does
I/O. Metadata lives in the decorator; the runner, not the check, stamps id, title, severity and
weight onto the finding, and applies the site-kind scope (so ``found`` is still reported for a
check that does not apply to this kind of site).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from auditor.site import SiteSnapshot

CATEGORIES: tuple[str, ...] = (
    "identity",
    "contact",
    "policies",
    "privacy",
    "security",
    "social-proof",
    "credentials",
    "ethics",
    "honesty",
    "maintenance",
    "feedback",
    "machine-readable",
)
SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
SITE_KINDS: tuple[str, ...] = ("shop", "saas", "local", "content")
#: Capabilities a check may need; "http" checks are unknown in folder mode.
NEEDS: tuple[str, ...] = ("pages", "http")
EVIDENCE_KINDS: tuple[str, ...] = (
    "link",
    "text",
    "header",
    "jsonld",
    "microdata",
    "script",
    "iframe",
    "image",
    "form",
    "meta",
    "page",
    "searched",
)
SNIPPET_MAX = 200
_ID_RE = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*:)?[a-z0-9]+(?:-[a-z0-9]+)*$")
DOC_SECTIONS = ("What it looks for", "Why it matters", "How to fix", "Traps")


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not-applicable"
    ERROR = "error"


def clip(text: str, limit: int = SNIPPET_MAX) -> str:
    """Collapse whitespace and cut to ``limit`` characters (an ellipsis marks the cut)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Evidence:
    """What proved a verdict, or where a check looked: enough for a user to verify it by hand."""

    url: str
    kind: str
    snippet: str = ""
    locator: str = ""

    def __post_init__(self) -> None:
        if self.kind not in EVIDENCE_KINDS:
            raise ValueError(f"unknown evidence kind {self.kind!r}")
        object.__setattr__(self, "snippet", clip(self.snippet))
        object.__setattr__(self, "locator", clip(self.locator, 120))

    def to_dict(self) -> dict[str, str]:
        return {"url": self.url, "kind": self.kind, "snippet": self.snippet,
                "locator": self.locator}


@dataclass(frozen=True, slots=True)
class Outcome:
    """A check's verdict. ``found`` is the presence answer: True / False / None (could not tell)."""

    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()
    found: bool | None = None

    @classmethod
    def passed(
        cls, message: str, evidence: Iterable[Evidence], *, found: bool | None = True
    ) -> Outcome:
        return cls(Status.PASS, message, _sorted_unique(evidence), found)

    @classmethod
    def failed(
        cls, message: str, evidence: Iterable[Evidence], *, found: bool | None = False
    ) -> Outcome:
        return cls(Status.FAIL, message, _sorted_unique(evidence), found)

    @classmethod
    def unknown(
        cls, message: str, evidence: Iterable[Evidence] = (), *, found: bool | None = None
    ) -> Outcome:
        return cls(Status.UNKNOWN, message, _sorted_unique(evidence), found)

    @classmethod
    def not_applicable(cls, message: str, *, found: bool | None = None) -> Outcome:
        return cls(Status.NOT_APPLICABLE, message, (), found)


def _sorted_unique(evidence: Iterable[Evidence]) -> tuple[Evidence, ...]:
    """Evidence in first-seen order without duplicates, at most 50 items (the report stays
    small)."""
    seen: dict[tuple[str, str, str, str], Evidence] = {}
    for item in evidence:
        key = (item.url, item.kind, item.snippet, item.locator)
        seen.setdefault(key, item)
    return tuple(seen.values())[:50]


CheckFunc = Callable[[SiteSnapshot], Outcome]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """A registered check: metadata plus the function."""

    id: str
    category: str
    severity: str
    weight: int
    title: str
    failure_title: str
    fix: str
    func: CheckFunc = field(compare=False, repr=False)
    scope: frozenset[str] = frozenset({"all"})
    needs: frozenset[str] = frozenset({"pages"})
    presence: bool = True  # reports ``found`` (a signal that can be detected or not)
    aliases: tuple[str, ...] = ()
    docs: tuple[tuple[str, str], ...] = ()  # (section, text) from the docstring

    def doc(self, section: str) -> str:
        for name, text in self.docs:
            if name == section:
                return text
        return ""

    def applies_to(self, site_kind: str) -> bool:
        return "all" in self.scope or site_kind in self.scope


def parse_docs(docstring: str | None) -> tuple[tuple[str, str], ...]:
    """Split a check docstring into its named sections (``What it looks for:`` ...)."""
    text = inspect.cleandoc(docstring or "")
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        head, sep, rest = line.partition(":")
        if sep and head.strip() in DOC_SECTIONS:
            sections.append((head.strip(), [rest.strip()] if rest.strip() else []))
        elif sections:
            sections[-1][1].append(line.strip())
    return tuple((name, " ".join(x for x in lines if x).strip()) for name, lines in sections)


def check(
    *,
    id: str,
    category: str,
    severity: str,
    weight: int,
    title: str,
    failure_title: str,
    fix: str,
    scope: Iterable[str] = ("all",),
    needs: Iterable[str] = ("pages",),
    presence: bool = True,
    aliases: Iterable[str] = (),
) -> Callable[[CheckFunc], CheckFunc]:
    """Register a function as a check. Validates the metadata at import time."""
    if not _ID_RE.match(id):
        raise ValueError(f"check id {id!r} is not kebab-case")
    if category not in CATEGORIES:
        raise ValueError(f"check {id}: unknown category {category!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"check {id}: unknown severity {severity!r}")
    if not 0 <= weight <= 10:
        raise ValueError(f"check {id}: weight must be 0..10")
    scope_set = frozenset(scope)
    if not scope_set <= set(SITE_KINDS) | {"all"}:
        raise ValueError(f"check {id}: unknown scope {sorted(scope_set)}")
    needs_set = frozenset(needs)
    if not needs_set <= set(NEEDS):
        raise ValueError(f"check {id}: unknown needs {sorted(needs_set)}")

    def decorate(func: CheckFunc) -> CheckFunc:
        spec = CheckSpec(
            id=id,
            category=category,
            severity=severity,
            weight=weight,
            title=title,
            failure_title=failure_title,
            fix=fix,
            func=func,
            scope=scope_set,
            needs=needs_set,
            presence=presence,
            aliases=tuple(aliases),
            docs=parse_docs(func.__doc__),
        )
        func.__trustaudit_check__ = spec  # type: ignore[attr-defined]
        return func

    return decorate
