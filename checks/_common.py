"""Evidence builders shared by the check families (page-type results, channels, searches)."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.check_api import Evidence, Outcome
from auditor.detect.pagetypes import PageTypeResult, Section, _slug_score, find_page_type
from auditor.detect.vocab import load_vocabulary
from auditor.site import SiteSnapshot

JS_RENDERED_MIN_WORDS = 40


def plural(n: int, word: str) -> str:
    """'1 page', '2 pages', '2 e-mail addresses'."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word}es" if word.endswith(("s", "x", "sh", "ch")) else f"{n} {word}s"


def without_article(what: str) -> str:
    """'a returns policy' → 'returns policy', for sentences that start with 'No'."""
    for article in ("a ", "an ", "the "):
        if what.startswith(article):
            return what[len(article):]
    return what


def looks_js_rendered(site: SiteSnapshot) -> bool:
    """The start page has almost no text or links but scripts: content comes from JavaScript
    (T6a)."""
    page = site.start_page
    if page is None or page.facts is None:
        return False
    facts = page.facts
    return facts.word_count < JS_RENDERED_MIN_WORDS and len(facts.links) < 5 and bool(facts.scripts)


def no_pages(site: SiteSnapshot) -> Outcome | None:
    """An ``unknown`` outcome when nothing could be read, else None."""
    if not site.html_pages:
        return Outcome.unknown("No HTML page could be audited, so nothing could be looked for.")
    if looks_js_rendered(site):
        page = site.start_page
        assert page is not None
        return Outcome.unknown(
            "The start page shows almost no text or links without JavaScript; its content is "
            "rendered by scripts, which a static audit cannot see.",
            [Evidence(page.url, "page", f"{page.facts.word_count if page.facts else 0} words",
                      "start page without JavaScript")],
        )
    return None


def page_type_evidence(result: PageTypeResult, limit: int = 3) -> list[Evidence]:
    evidence: list[Evidence] = []
    for cand in result.accepted[:limit]:
        for ref in cand.via[:2]:
            evidence.append(
                Evidence(ref.page, "link", ref.text, f"{ref.region} link to {cand.url}"))
        page = cand.page
        if page is not None and page.facts is not None:
            detail = cand.reason
            if cand.confirm_hits:
                detail += "; mentions " + ", ".join(cand.confirm_hits[:4])
            evidence.append(
                Evidence(page.final_url or page.url, "page", cand.head_text or page.facts.title,
                         detail)
            )
        elif not cand.via:
            evidence.append(Evidence(cand.url, "page", "", cand.reason))
    return evidence


def section_evidence(sections: Iterable[Section], limit: int = 3) -> list[Evidence]:
    return [
        Evidence(s.page, "text", s.heading, f"h{s.level} heading" if s.level else "section label")
        for s in list(sections)[:limit]
    ]


def searched_evidence(site: SiteSnapshot, result: PageTypeResult, what: str) -> list[Evidence]:
    """Where a page-type search looked, and the candidates it turned down (and why)."""
    evidence = [
        Evidence(
            site.start_url,
            "searched",
            f"{plural(result.links_examined, 'link')} on {plural(result.pages_examined, 'page')}",
            f"link texts, URLs, titles and headings naming {what}",
        )
    ]
    for cand in result.rejected[:4]:
        via = cand.via[0] if cand.via else None
        evidence.append(
            Evidence(via.page if via else cand.url, "searched", via.text if via else "",
                     f"{cand.url} not counted: {cand.reason}")
        )
    probes = [p for p in site.pages if p.source == "probe" and not p.ok]
    vt = load_vocabulary()[result.type]
    for probe in probes:
        if _slug_score(probe.url, vt) == 2:
            evidence.append(
                Evidence(probe.url, "searched", "", f"probed: {probe.error or probe.status}"))
    return evidence


def robots_blocked_for(site: SiteSnapshot, type_name: str) -> list[str]:
    """Robots-blocked URLs whose slug names the page type (trap T8: the page may exist)."""
    vt = load_vocabulary()[type_name]
    return [u for u in site.robots_blocked if _slug_score(u, vt) == 2]


def page_type_outcome(
    site: SiteSnapshot,
    type_name: str,
    what: str,
    *,
    sections_count: bool = False,
    extra_found: list[Evidence] | None = None,
) -> Outcome:
    """The common pass/fail/unknown shape of a "does page type X exist" check."""
    if (early := no_pages(site)) is not None:
        return early
    result = find_page_type(site, type_name)
    if result.found:
        best = result.best
        assert best is not None
        share = f" It is linked from {round(result.sitewide_share * 100)}% of audited pages."
        return Outcome.passed(f"Found {what}: {best.url}.{share if result.sitewide_share else ''}",
                              page_type_evidence(result))
    if extra_found:
        return Outcome.passed(f"Found {what}.", extra_found)
    if sections_count and result.sections:
        first = result.sections[0]
        return Outcome.passed(
            f"Found {what} as a section ('{first.heading}') on {first.page}.",
            section_evidence(result.sections),
        )
    blocked = robots_blocked_for(site, type_name)
    if blocked:
        return Outcome.unknown(
            f"robots.txt forbids fetching {blocked[0]}, which looks like {what}; it may exist.",
            [Evidence(u, "searched", "", "blocked by robots.txt") for u in blocked[:3]],
        )
    return Outcome.failed(
        f"No {without_article(what)} was found on the "
        f"{plural(result.pages_examined, 'page')} audited.",
        searched_evidence(site, result, what),
    )
