"""The site's languages: ``<html lang>`` first, then hreflang alternates and Content-Language."""

from __future__ import annotations

from collections import Counter

from auditor.detect import memo
from auditor.site import SiteSnapshot


def primary(tag: str) -> str:
    return tag.strip().lower().replace("_", "-").split("-")[0]


def site_languages(site: SiteSnapshot) -> tuple[str, ...]:
    """Languages of the audited pages, most common first (ties alphabetical)."""

    def build() -> tuple[str, ...]:
        counts: Counter[str] = Counter()
        for page in site.html_pages:
            assert page.facts is not None
            lang = primary(page.facts.lang) or primary(
                (page.header("content-language") or "").split(",")[0]
            )
            if lang and lang.isalpha() and len(lang) <= 3:
                counts[lang] += 1
        return tuple(k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    return memo(site, "languages", build)


def main_language(site: SiteSnapshot) -> str:
    langs = site_languages(site)
    return langs[0] if langs else ""
