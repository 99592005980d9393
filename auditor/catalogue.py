"""The check catalogue as Markdown (docs/checks.md is generated from the registry by this)."""

from __future__ import annotations

from collections.abc import Sequence

from auditor.check_api import CATEGORIES, CheckSpec
from auditor.results import CATEGORY_TITLES

HEADER = """# Check reference

Generated from the registry by `trustaudit checks --markdown > docs/checks.md`; a test fails when
this file is stale. Each check reports a status (pass, fail, unknown, not-applicable, error) and,
for presence signals, `found` (true: detected; false: looked everywhere it should and did not find
it; null: could not tell). `trustaudit checks explain ID` prints one entry.
"""


def catalogue_markdown(specs: Sequence[CheckSpec]) -> str:
    lines = [HEADER]
    lines.append("| id | category | severity | weight | applies to | title |")
    lines.append("|---|---|---|---|---|---|")
    ordered = sorted(specs, key=lambda s: (CATEGORIES.index(s.category), s.id))
    for spec in ordered:
        scope = ", ".join(sorted(spec.scope)) + (" (URL mode)" if "http" in spec.needs else "")
        lines.append(f"| [`{spec.id}`](#{spec.id}) | {spec.category} | {spec.severity} | "
                     f"{spec.weight} | {scope} | {spec.title} |")
    current = None
    for spec in ordered:
        if spec.category != current:
            current = spec.category
            lines.append(f"\n## {CATEGORY_TITLES[current]}\n")
        lines.append(f"### {spec.id}\n")
        lines.append(f"**{spec.title}** — fails as: *{spec.failure_title}*.\n")
        lines.append(f"Category {spec.category}, severity {spec.severity}, weight {spec.weight}, "
                     f"applies to {', '.join(sorted(spec.scope))}"
                     + (", URL mode only" if "http" in spec.needs else "") + ".\n")
        for section, text in spec.docs:
            lines.append(f"- **{section}:** {text}")
        lines.append(f"- **Fix:** {spec.fix}\n")
    return "\n".join(lines).rstrip() + "\n"
