"""Privacy checks about the privacy policy itself: that it exists, is reachable, complete and dated,
and that cookies are explained.

The family is a subpackage (DESIGN.md §8): this module holds the policy-page checks and is the
``privacy`` entry point; ``checks.privacy.consent`` (entry point ``privacy-consent``) holds the
consent and tracking checks; ``checks.privacy.audience`` decides which region's law applies.
Vocabulary lives in ``checks/privacy_topics.toml`` (GDPR topics, "last updated" markers).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from auditor.check_api import Evidence, Outcome, check
from auditor.crawl.urls import normalize_url
from auditor.detect.pagetypes import (
    SOFT_404_PATH,
    PageTypeResult,
    find_page_type,
    is_page_link,
    link_label,
)
from auditor.detect.text import fold, phrase_regex, snippet_around
from auditor.site import Page, SiteSnapshot
from checks._common import no_pages, page_type_evidence, page_type_outcome, plural
from checks.privacy.audience import site_audience
from checks.privacy.consent import cookie_evidence

SITEWIDE_SHARE = 0.8
MIN_POLICY_WORDS = 150  # below this, with scripts on the page, the text may come from JavaScript
MARKER_GAP_WORDS = 3  # "last updated on the 5th ..." : words allowed between marker and date
# Short words that may stand between a "last updated" marker and its date.
FILLERS = frozenset({"on", "am", "vom", "le", "au", "du", "el", "il", "al", "del", "de", "dal",
                     "op", "em", "in", "the", "at", "per", "is", "ist", "est", "was", "wurde",
                     "a", "da", "do", "of", "this", "policy", "notice", "page", "date", "datum",
                     "fecha", "data", "zum"})


@check(
    id="privacy-policy",
    category="privacy",
    severity="critical",
    weight=9,
    title="The site links to a privacy policy",
    failure_title="No privacy policy is linked from the site",
    fix="Publish a privacy policy and link it from the footer of every page.",
)
def privacy_policy(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a link whose text, rel="privacy-policy" or URL names a privacy policy
    (Datenschutz, politique de confidentialité, política de privacidad ... in seven languages),
    confirmed by the linked page's title, heading and content (personal data, rights,
    controller). Hosted policies (iubenda, Termly) count.
    Why it matters: customers want to know what happens to their data before they hand it over;
    the GDPR and California law require the notice, and Google checks for it.
    How to fix: publish a privacy policy page that names the controller, the data collected, the
    purposes and legal bases, retention, and the visitor's rights; link it from every footer.
    Traps: "Privacy settings" buttons that open a cookie dialog are not a policy (T1); Google's
    reCAPTCHA or PayPal policy links are someone else's (T2); a page returning the site's
    "not found" template is not a policy (T5).
    """
    return page_type_outcome(site, "privacy", "a privacy policy")


# --------------------------------------------------------------------------- the policy page


def policy_urls(result: PageTypeResult) -> set[str]:
    """Every spelling of the accepted policy URLs (link target, fetched URL, redirect target)."""
    urls: set[str] = set()
    for cand in result.accepted:
        urls.add(normalize_url(cand.url) or cand.url)
        if cand.page is not None:
            urls.add(cand.page.url)
            if cand.page.final_url:
                urls.add(normalize_url(cand.page.final_url) or cand.page.final_url)
    return urls


def policy_page(site: SiteSnapshot) -> tuple[PageTypeResult, Page | None]:
    """The privacy-policy search result and the first accepted policy that is an audited HTML
    page (None when the policy is a PDF, off-site, not fetched or absent)."""
    result = find_page_type(site, "privacy")
    for cand in result.accepted:
        page = cand.page
        if page is not None and page.facts is not None and page.ok:
            return result, page
    return result, None


def unreadable_policy(site: SiteSnapshot, what: str) -> tuple[Page | None, Outcome | None]:
    """The policy page to read, or the outcome to return when there is none to read."""
    if (early := no_pages(site)) is not None:
        return None, early
    result, page = policy_page(site)
    if not result.found:
        return None, Outcome.not_applicable(
            f"No privacy policy was found (see privacy-policy), so its {what} cannot be judged.",
            found=False,
        )
    if page is None:
        best = result.best
        assert best is not None
        return None, Outcome.unknown(
            f"The privacy policy ({best.url}) is a document or page that was not read as HTML "
            f"({best.reason}), so its {what} cannot be judged.",
            page_type_evidence(result),
        )
    facts = page.facts
    assert facts is not None
    words = len(policy_text(page).split())
    if words < MIN_POLICY_WORDS and facts.scripts:
        return None, Outcome.unknown(
            f"The privacy policy page shows only {words} words without JavaScript; its text "
            f"may be loaded by a script, so its {what} cannot be judged.",
            [Evidence(page.url, "page", facts.title, f"{words} words of static text")],
        )
    return page, None


def policy_text(page: Page) -> str:
    """Folded text of the policy's content (site header, navigation and footer left out)."""
    assert page.facts is not None
    return fold(" ".join(b.text for b in page.facts.blocks
                         if b.region not in ("header", "nav", "footer")))


def content_blocks(page: Page) -> list[str]:
    assert page.facts is not None
    return [b.text for b in page.facts.blocks if b.region not in ("header", "nav", "footer")]


# --------------------------------------------------------------------------- sitewide


@check(
    id="privacy-policy-sitewide",
    category="privacy",
    severity="medium",
    weight=4,
    title="The privacy policy is linked from nearly every page",
    failure_title="The privacy policy is not linked from most pages",
    fix="Put the privacy-policy link in the site-wide footer, so it is one click away from every "
    "page, including product, checkout and contact pages.",
)
def privacy_policy_sitewide(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: the share of audited HTML pages (the policy itself left out) that carry a
    visible link to the privacy policy found by `privacy-policy`; 80 % or more passes.
    Why it matters: the policy must be easy to find from wherever a visitor hands over data
    (signals.md §2.1 step 4: laws and Google care about reachability, not mere existence).
    How to fix: link the policy from the shared footer template.
    Traps: the policy page need not link to itself, so it is not counted; a `<link
    rel="privacy-policy">` in the page head is invisible to readers and does not count; the
    site's "not found" page (soft 404) is not a page of the site; with no policy at all the check
    is not applicable (see `privacy-policy`).
    """
    if (early := no_pages(site)) is not None:
        return early
    result = find_page_type(site, "privacy")
    if not result.found:
        return Outcome.not_applicable(
            "No privacy policy was found (see privacy-policy), so its reach is not judged.",
            found=False,
        )
    targets = policy_urls(result)
    pages = [
        p for p in site.html_pages
        if not p.url.endswith(SOFT_404_PATH) and p.url not in targets
        and normalize_url(p.final_url or p.url) not in targets
    ]
    if not pages:
        return Outcome.unknown("Only the privacy policy itself was audited, so its reach from "
                               "other pages cannot be judged.")
    linking: list[tuple[Page, str, str]] = []
    missing: list[Page] = []
    for page in pages:
        assert page.facts is not None
        hit = next(
            (lk for lk in page.facts.links
             if is_page_link(lk) and link_label(lk) and normalize_url(lk.url) in targets),
            None,
        )
        if hit is None:
            missing.append(page)
        else:
            linking.append((page, link_label(hit), hit.region))
    share = len(linking) / len(pages)
    summary = (f"{len(linking)} of {plural(len(pages), 'page')} ({round(share * 100)}%) link to "
               f"the privacy policy")
    best = result.best
    assert best is not None
    evidence = [Evidence(p.url, "link", text, f"{region} link to {best.url}")
                for p, text, region in linking[:3]]
    if share >= SITEWIDE_SHARE:
        return Outcome.passed(f"{summary}.", evidence)
    evidence += [Evidence(p.url, "searched", p.facts.title if p.facts else "",
                          "no visible link to the privacy policy") for p in missing[:6]]
    return Outcome.failed(f"Only {summary}; at least {round(SITEWIDE_SHARE * 100)}% should.",
                          evidence)


# --------------------------------------------------------------------------- completeness


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: str
    optional: bool
    phrases: re.Pattern[str] | None
    patterns: tuple[re.Pattern[str], ...]
    required_if: re.Pattern[str] | None  # the item is optional unless one of these occurs

    def search(self, folded: str) -> re.Match[str] | None:
        if self.phrases is not None and (m := self.phrases.search(folded)):
            return m
        for pattern in self.patterns:
            if m := pattern.search(folded):
                return m
        return None


@dataclass(frozen=True, slots=True)
class TopicData:
    topics: tuple[Topic, ...]
    pass_share: float
    max_age_months: int
    markers: re.Pattern[str] | None
    months: dict[str, int]


@cache
def topic_data() -> TopicData:
    raw = tomllib.loads(
        resources.files("checks").joinpath("privacy_topics.toml").read_text("utf-8"))
    topics = tuple(
        Topic(t["id"], t["label"], bool(t.get("optional", False)),
              phrase_regex(t.get("phrases", [])),
              tuple(re.compile(p) for p in t.get("patterns", [])),
              phrase_regex(t.get("required_if", [])))
        for t in raw["topic"]
    )
    fresh = raw["freshness"]
    return TopicData(topics, float(raw["pass_share"]), int(fresh["max_age_months"]),
                     phrase_regex(fresh["markers"]),
                     {fold(k): int(v) for k, v in fresh["months"].items()})


def find_topics(page: Page) -> dict[str, Evidence]:
    """Topic id → evidence of the first block that covers it."""
    data = topic_data()
    found: dict[str, Evidence] = {}
    for text in content_blocks(page):
        folded = fold(text)
        for topic in data.topics:
            if topic.id in found:
                continue
            if m := topic.search(folded):
                # Folding shortens little; the window around the same offset shows the match.
                found[topic.id] = Evidence(page.url, "text",
                                           snippet_around(text, m.start(), m.end(), 70),
                                           f"covers: {topic.label} ({m.group(0)!r})")
    return found


@check(
    id="privacy-policy-completeness",
    category="privacy",
    severity="medium",
    weight=5,
    title="The privacy policy covers the GDPR's required topics",
    failure_title="The privacy policy leaves out topics the GDPR requires",
    fix="Add the missing items to the privacy policy: who the controller is and how to reach "
    "them, purposes and legal bases, recipients, retention periods, the visitor's rights, the "
    "right to complain to a supervisory authority and to withdraw consent.",
)
def privacy_policy_completeness(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: on the privacy policy page, the GDPR Art. 13 information items, each by
    its multilingual vocabulary (checks/privacy_topics.toml): controller identity and contact,
    purposes, legal bases, recipients, retention, data-subject rights, the right to complain to
    a supervisory authority, and withdrawal of consent; a DPO contact and third-country
    transfers are reported but optional ("where applicable"). Three quarters of the required
    items pass; the message lists the missing ones.
    Why it matters: a notice that omits the controller, the legal basis or the visitor's rights
    tells customers little, and is the first thing a data-protection authority checks. This is a
    heuristic for quality, not a legal opinion.
    How to fix: add a short section for each missing item, in the page's language.
    Traps: only sites that address Europe (EU/EEA/UK: language, domain, address, currency, or a
    policy citing the GDPR) can fail; elsewhere the coverage is reported as not applicable. A
    policy loaded by a script (a hosted embed) or published as a PDF is unknown, not incomplete.
    """
    page, early = unreadable_policy(site, "content")
    if early is not None:
        return early
    assert page is not None
    data = topic_data()
    found: dict[str, Evidence] = {}
    pages = [page] + [c.page for c in find_page_type(site, "privacy").accepted[:3]
                      if c.page is not None and c.page.facts is not None and c.page is not page]
    for part in pages:  # a policy split over several pages counts as one
        for key, item in find_topics(part).items():
            found.setdefault(key, item)
    text = " ".join(policy_text(p) for p in pages)
    required = [t for t in data.topics if not t.optional and (
        t.required_if is None or t.required_if.search(text))]
    covered = [t for t in required if t.id in found]
    missing = [t.label for t in required if t.id not in found]
    optional_missing = [t.label for t in data.topics if t not in required and t.id not in found]
    share = len(covered) / len(required)
    summary = f"The privacy policy covers {len(covered)} of {len(required)} required GDPR topics"
    evidence = [found[t.id] for t in data.topics if t.id in found]
    note = (f" Not found (required only where applicable): {', '.join(optional_missing)}."
            if optional_missing else "")
    if share >= data.pass_share:
        extra = f"; missing: {', '.join(missing)}" if missing else ""
        return Outcome.passed(f"{summary}{extra}.{note}", evidence)
    audience = site_audience(site)
    searched = Evidence(page.url, "searched", f"{len(text.split())} words",
                        "missing: " + ", ".join(missing))
    if not audience.europe:
        return Outcome.not_applicable(
            f"The site does not appear to address European visitors ({audience.why_not('europe')})"
            f", so the GDPR list is not applied. {summary}; missing: {', '.join(missing)}.",
            found=False,
        )
    return Outcome.failed(
        f"{summary} (site addresses Europe: {audience.why('europe')}); missing: "
        f"{', '.join(missing)}.{note}",
        [searched, *evidence],
    )


# --------------------------------------------------------------------------- freshness


@dataclass(frozen=True, slots=True)
class PolicyDate:
    year: int
    month: int
    text: str  # the original block text around it


def _date_regexes(months: dict[str, int]) -> tuple[re.Pattern[str], ...]:
    names = "|".join(sorted(months, key=len, reverse=True))
    day = r"(\d{1,2})(?:st|nd|rd|th|er|o|a|º)?"
    return (
        re.compile(rf"^(?:{day} (?:of |de |del )?)?({names}) (?:{day} )?(?:de |del |of )?"
                   r"(\d{4})\b"),
        re.compile(r"^(\d{4}) (\d{1,2}) (\d{1,2})\b"),
        re.compile(r"^(\d{1,2}) (\d{1,2}) (\d{4}|\d{2})\b"),
        re.compile(r"^(\d{1,2}) (\d{4})\b"),
        re.compile(r"^((?:19|20)\d{2})\b"),
    )


def _year(raw: str, audit_year: int) -> int:
    year = int(raw)
    if year < 100:
        year += 2000 if year <= audit_year % 100 + 1 else 1900
    return year


def parse_date(tail: str, months: dict[str, int], audit_year: int) -> tuple[int, int] | None:
    """(year, month) of a date at the start of folded text, or None. An ambiguous numeric date
    (03/04/2024: 3 April or 4 March) takes the more recent reading, so doubt never fails a
    policy; a year alone counts as its December."""
    textual, iso, numeric, month_year, year_only = _date_regexes(months)
    result: tuple[int, int] | None = None
    if m := textual.match(tail):
        result = (int(m.group(4)), months[m.group(2)])
    elif m := iso.match(tail):
        result = (int(m.group(1)), int(m.group(2)))
    elif m := numeric.match(tail):
        a, b, year = int(m.group(1)), int(m.group(2)), _year(m.group(3), audit_year)
        readings = [mo for mo, d in ((b, a), (a, b)) if 1 <= mo <= 12 and 1 <= d <= 31]
        result = (year, max(readings)) if readings else None
    elif m := month_year.match(tail):
        result = (int(m.group(2)), int(m.group(1)))
    elif m := year_only.match(tail):
        result = (int(m.group(1)), 12)
    if result is None or not 1 <= result[1] <= 12 or not 1995 <= result[0] <= audit_year + 1:
        return None
    return result


def policy_dates(page: Page, audit_year: int) -> list[PolicyDate]:
    """Dates that follow a "last updated" marker on the policy page."""
    data = topic_data()
    if data.markers is None:
        return []
    dates = []
    for text in content_blocks(page):
        folded = fold(text)
        for m in data.markers.finditer(folded):
            words = folded[m.end():].split()
            for skip in range(MARKER_GAP_WORDS + 1):
                if skip and words[skip - 1] not in FILLERS:
                    break
                tail = " ".join(words[skip:skip + 8])
                if parsed := parse_date(tail, data.months, audit_year):
                    dates.append(PolicyDate(parsed[0], parsed[1],
                                            snippet_around(text, m.start(), m.end(), 60)))
                    break
                if skip >= len(words):
                    break
    return dates


@check(
    id="privacy-policy-freshness",
    category="privacy",
    severity="low",
    weight=3,
    title="The privacy policy shows a recent 'last updated' date",
    failure_title="The privacy policy is undated or was last updated more than two years ago",
    fix="Review the privacy policy at least every two years (and whenever tools or purposes "
    "change) and show the date: 'Last updated: 12 March 2025' / 'Stand: März 2025'.",
)
def privacy_policy_freshness(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a date introduced by a "last updated" marker on the privacy policy page
    (last updated, effective date, Stand:, zuletzt aktualisiert, dernière mise à jour, última
    actualización, ultimo aggiornamento, laatst bijgewerkt, última atualização ...), in numeric,
    ISO or written form in seven languages, judged against the audit date: more than 24 months
    old fails; no date fails too, because readers cannot tell whether the policy is current.
    Why it matters: a policy untouched since before the GDPR or the end of Privacy Shield
    signals neglect, and tools and purposes change faster than that.
    How to fix: review the policy and show the date of the last review.
    Traps: dates that are not the policy's ("as of 25 May 2018 the GDPR applies", "Stand der
    Technik") are not counted: a date must follow its marker within a few filler words; an
    ambiguous 03/04/2024 takes the more recent reading, and a year alone counts as December, so
    doubt never fails a policy; the newest of several dates (revision history) counts.
    """
    page, early = unreadable_policy(site, "date")
    if early is not None:
        return early
    assert page is not None
    if not site.date:
        return Outcome.unknown("The audit date is not known, so the policy's age cannot be told.")
    audit_year, audit_month = int(site.date[:4]), int(site.date[5:7])
    dates = policy_dates(page, audit_year)
    if not dates:
        return Outcome.failed(
            f"The privacy policy ({page.url}) shows no 'last updated' date, so readers cannot "
            "tell whether it is current.",
            [Evidence(page.url, "searched", page.facts.title if page.facts else "",
                      "'last updated' / 'Stand' / 'dernière mise à jour' ... followed by a date")],
        )
    newest = max(dates, key=lambda d: (d.year, d.month))
    age = (audit_year * 12 + audit_month) - (newest.year * 12 + newest.month)
    when = f"{newest.year}-{newest.month:02d}"
    data = topic_data()
    evidence = [Evidence(page.url, "text", newest.text,
                         f"dated {when}, {plural(max(age, 0), 'month')} before the audit "
                         f"({site.date})")]
    if age > data.max_age_months:
        return Outcome.failed(
            f"The privacy policy was last updated in {when}, {age} months before the audit "
            f"(more than {data.max_age_months}).", evidence)
    return Outcome.passed(f"The privacy policy was last updated in {when}.", evidence)


# --------------------------------------------------------------------------- cookies

COOKIE_WORD = re.compile(r"\bcookies?\b")
MIN_COOKIE_MENTIONS = 2  # paragraphs of the privacy policy that speak of cookies
COOKIE_HEADING = re.compile(r"\b(cookies?|cookie richtlinie|tracking technolog\w*|"
                            r"similar technologies|temoins|traceurs|galletas|tecnologias de "
                            r"seguimiento)\b")


@check(
    id="cookie-policy",
    category="privacy",
    severity="low",
    weight=3,
    title="The site explains the cookies it uses",
    failure_title="No cookie policy or cookie section explains the site's cookies",
    fix="Publish a cookie policy (or a cookie section in the privacy policy) that lists the "
    "cookies and trackers, their purpose, duration and the third parties that read them.",
)
def cookie_policy(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a cookie policy page (cookie policy, Cookie-Richtlinie, politique de
    cookies, política de cookies, cookiebeleid ...), a cookie section in the privacy policy (a
    heading naming cookies or tracking technologies, or at least two paragraphs about cookies),
    or a consent manager's embedded cookie declaration.
    Why it matters: visitors must be told which cookies are read and why, with their duration
    and third-party access (Planet49, ePrivacy Art. 5(3)).
    How to fix: add a cookie section to the privacy policy or a separate cookie policy linked
    from the footer and the consent banner.
    Traps: "Cookie settings" buttons that open a consent dialog are not a policy (T1); only
    sites that address Europe can fail, and only when they show signs of using cookies
    (trackers, a consent manager, a chat or payment widget, a cookie banner) — a static site
    with none needs no cookie policy.
    """
    if (early := no_pages(site)) is not None:
        return early
    result = find_page_type(site, "cookies")
    if result.found:
        best = result.best
        assert best is not None
        return Outcome.passed(f"Found a cookie policy: {best.url}.", page_type_evidence(result))
    evidence: list[Evidence] = []
    privacy, _ = policy_page(site)
    for cand in privacy.accepted[:3]:
        page = cand.page
        if page is None or page.facts is None:
            continue
        for heading in page.facts.headings:
            if heading.region not in ("nav", "header", "footer") and COOKIE_HEADING.search(
                fold(heading.text)
            ):
                evidence.append(Evidence(page.url, "text", heading.text,
                                         f"h{heading.level} heading in the privacy policy"))
                break
        if not evidence:
            mentions = [b for b in content_blocks(page) if COOKIE_WORD.search(fold(b))]
            if len(mentions) >= MIN_COOKIE_MENTIONS:
                evidence.append(Evidence(page.url, "text", mentions[0],
                                         f"the privacy policy explains cookies in "
                                         f"{plural(len(mentions), 'paragraph')}"))
    for page in site.html_pages:
        assert page.facts is not None
        for script in page.facts.scripts:
            if dict(script.attrs).get("id", "").lower() == "cookiedeclaration":
                evidence.append(Evidence(page.url, "script", script.src,
                                         "consent manager's cookie declaration"))
                break
    if evidence:
        return Outcome.passed("The cookies are explained in the privacy policy.", evidence[:4])
    audience = site_audience(site)
    uses = cookie_evidence(site)
    searched = [Evidence(site.start_url, "searched",
                         plural(result.links_examined, "link"),
                         "cookie-policy links and pages, cookie headings in the privacy policy")]
    if not audience.europe:
        return Outcome.not_applicable(
            "No cookie policy was found; the site does not appear to address European visitors "
            f"({audience.why_not('europe')}).", found=False)
    if not uses:
        return Outcome.not_applicable(
            "No cookie policy was found, and none is needed: the pages show no tracker, consent "
            "manager, widget or banner that would set cookies.", found=False)
    return Outcome.failed(
        "The site uses cookies or trackers (" + ", ".join(sorted({e.locator for e in uses})[:3])
        + "), but no cookie policy or cookie section in the privacy policy was found.",
        uses[:3] + searched,
    )
