"""Customer feedback: surveys or feedback tabs, review collection, and a public changelog.

Positive signals: the business asks what customers think and shows what it changes. Vendors come
from ``checks/vendors.toml``; wording, invitation addresses and the changelog vocabulary from
``checks/feedback.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from auditor.check_api import Evidence, Outcome, check
from auditor.crawl.urls import normalize_url, same_site
from auditor.detect.pagetypes import find_page, head_match, is_page_link, link_label, score_link
from auditor.detect.text import fold, fold_slug, phrase_regex
from auditor.detect.vendors import hits_of_kind
from auditor.detect.vocab import PageTypeVocab, load_vocabulary
from auditor.site import Page, SiteSnapshot
from checks._common import no_pages, plural
from checks.honesty.detectors import Detector, load_file, parse_detectors

FEEDBACK_FILE = "feedback.toml"
EMBED_KINDS = ("script", "iframe", "inline", "markup")
MAX_EVIDENCE = 8


@cache
def _detectors() -> dict[str, Detector]:
    return parse_detectors(load_file(FEEDBACK_FILE))


def _vendor_kind(kind: str) -> str:
    return {"script": "script", "iframe": "iframe", "inline": "script", "link": "link"}.get(
        kind, "text")


def _labels(page: Page) -> list[tuple[str, str, str, str]]:
    """(text, evidence kind, where, href) of the page's links and buttons."""
    assert page.facts is not None
    out = []
    for link in page.facts.links:
        label = link_label(link)
        if label:
            out.append((label, "link", f"{link.region} link", link.url or link.href))
    for form in page.facts.forms:
        for field in form.fields:
            if (field.tag == "button" or field.type in ("submit", "button")) and field.label:
                out.append((field.label, "form", f"{form.region} button", form.action))
    return out


# --------------------------------------------------------------------------- feedback widget


@check(
    id="feedback-widget",
    category="feedback",
    severity="info",
    weight=2,
    title="The site asks visitors for feedback",
    failure_title="No feedback widget, survey or feedback link was found",
    fix="Add a way to give feedback: a short survey (Qualtrics, Typeform, Survicate ...), a "
    "feedback tab, or a \"Give feedback\" link to a form.",
)
def feedback_widget(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: survey and feedback services embedded in the pages (Qualtrics,
    Medallia, Delighted, Survicate, Typeform, Sprig, Qualaroo, UserVoice, AskNicely, Google
    Forms ...), and links or buttons labelled as a way to give feedback or answer a survey
    ("Give feedback", "Take our survey", "Was this page helpful?", "Feedback geben", "votre
    avis", "danos tu opinión", "lasciaci un feedback", "geef feedback", "dê a sua opinião").
    Why it matters: a business that asks customers what went wrong is one that intends to fix
    it; the invitation itself reassures.
    How to fix: add a short survey or a visible feedback link.
    Traps: a link to a survey service's own website (in a privacy policy's list of processors)
    is not an embed and does not count unless its label asks for feedback; "reviews" are the
    review-collection check; a form's content rendered by JavaScript is not seen, only its
    script.
    """
    if (early := no_pages(site)) is not None:
        return early
    detector = _detectors()["feedback-links"]
    evidence: list[Evidence] = []
    for hit in hits_of_kind(site, "survey"):
        if hit.kind in EMBED_KINDS:
            evidence.append(Evidence(hit.page, _vendor_kind(hit.kind), hit.detail,
                                     f"{hit.vendor.name} ({hit.kind})"))
    for page in site.html_pages:
        for text, kind, where, href in _labels(page):
            if detector.find(text):
                evidence.append(Evidence(page.url, kind, text, f"{where} {href}".strip()))
    if evidence:
        return Outcome.passed(f"The site asks for feedback: {evidence[0].snippet[:80]} "
                              f"({evidence[0].locator}).", evidence[:MAX_EVIDENCE])
    return Outcome.failed(
        "No survey service, feedback tab or feedback link was found.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "survey vendor scripts, feedback and survey links and buttons")])


# --------------------------------------------------------------------------- review collection


@check(
    id="review-collection",
    category="feedback",
    severity="info",
    weight=2,
    title="The site invites customers to write reviews",
    failure_title="The site does not invite customers to write reviews",
    fix="Invite every buyer to review (a review app's post-purchase e-mail, Trustpilot or "
    "Google Customer Reviews invitations) and add a \"Write a review\" link.",
    scope=("shop",),
)
def review_collection(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: systematic review collection: review-invitation scripts (Trustpilot's
    invitation script, Google Customer Reviews opt-in), review apps that e-mail buyers and
    carry a review form (Judge.me, Yotpo, Okendo, Stamped, Loox, Bazaarvoice ...), links to a
    platform's "write a review" page (trustpilot.com/evaluate, Google's writereview and
    g.page/r/ links, Yelp's writeareview), and links or buttons that ask for a review ("Write a
    review", "Bewertung schreiben", "Laisser un avis", "Escribe una opinión", "Scrivi una
    recensione", "Schrijf een review", "Deixe a sua avaliação").
    Why it matters: reviews collected from every buyer are more credible than hand-picked
    testimonials, and the invitation shows the shop is not afraid of the answer.
    How to fix: use a review app or platform invitations, and link the review form.
    Traps: a "Reviews (0)" tab or a "Read all reviews" link asks nothing; a review platform
    profile link (for reading) is counted by the reviews check, not here; invitations sent
    only by e-mail after purchase cannot be seen on the site.
    """
    if (early := no_pages(site)) is not None:
        return early
    data = load_file(FEEDBACK_FILE)["review-invitations"]
    markers = tuple(data["markers"])
    write_links = tuple(w.lower() for w in data["write_review_links"])
    detector = _detectors()["review-requests"]
    evidence: list[Evidence] = []
    for hit in hits_of_kind(site, "review-platform", "review-app"):
        if hit.kind not in EMBED_KINDS:
            continue
        if hit.vendor.kind == "review-app" or any(m in hit.detail for m in markers):
            what = "review app" if hit.vendor.kind == "review-app" else "review invitation"
            evidence.append(Evidence(hit.page, _vendor_kind(hit.kind), hit.detail,
                                     f"{hit.vendor.name} {what} ({hit.kind})"))
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            parts = urlsplit(link.url)
            target = f"{parts.hostname or ''}{parts.path}{'?' + parts.query if parts.query else ''}"
            if link.url and any(w in target.lower() for w in write_links):
                evidence.append(Evidence(page.url, "link", link_label(link) or link.url,
                                         f"link to a write-a-review page: {link.url}"))
        for text, kind, where, href in _labels(page):
            if detector.find(text):
                evidence.append(Evidence(page.url, kind, text, f"{where} {href}".strip()))
        for heading in page.facts.headings:
            if heading.region not in ("nav", "footer") and detector.find(heading.text):
                evidence.append(Evidence(page.url, "text", heading.text, f"h{heading.level}"))
    if evidence:
        return Outcome.passed(f"The site invites reviews: {evidence[0].snippet[:80]} "
                              f"({evidence[0].locator}).", evidence[:MAX_EVIDENCE])
    return Outcome.failed(
        "No review invitation, review app or \"write a review\" link was found.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "review invitation scripts, review apps, write-a-review links and buttons")])


# --------------------------------------------------------------------------- changelog


@dataclass(frozen=True, slots=True)
class _Candidate:
    url: str
    page: str  # where the link is
    text: str
    score: int


@cache
def changelog_vocab() -> PageTypeVocab:
    """The changelog page type, built from feedback.toml in the page finder's own shape."""
    data = load_file(FEEDBACK_FILE)["changelog"]
    phrases = frozenset(fold(p) for p in data["phrases"] if fold(p))
    return PageTypeVocab(
        name="changelog",
        phrases=phrases,
        exact=frozenset(fold(p) for p in data["exact"] if fold(p)),
        slugs=frozenset(fold_slug(s) for s in data["slugs"] if fold_slug(s)),
        confirm=frozenset(),
        phrase_re=phrase_regex(phrases),
        confirm_re=None,
    )


def _hosted(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    hosts = load_file(FEEDBACK_FILE)["changelog"]["hosts"]
    if any(host == h or host.endswith("." + h) for h in hosts):
        return True
    path = parts.path.lower()
    return host == "github.com" and (path.rstrip("/").endswith("/releases")
                                     or path.endswith("/changelog.md"))


def _confirmed(page: Page) -> tuple[bool, str]:
    """Whether a fetched page reads like a changelog: its heading or title names one, or its
    text has two kinds of changelog content (version numbers, "fixed", "new features" ...)."""
    score, text = head_match(page, changelog_vocab())
    if score:
        return True, f"heading “{text}”"
    assert page.facts is not None
    hits = _detectors()["changelog-content"].find(page.facts.text)
    if len(hits) >= 2:
        return True, "content: " + ", ".join(h.matched for h in hits[:3])
    return False, ""


@check(
    id="changelog",
    category="feedback",
    severity="info",
    weight=1,
    title="The product has a public changelog",
    failure_title="No public changelog or release notes were found",
    fix="Publish what changes in the product: a changelog or release-notes page (or a hosted "
    "one such as Headway, Beamer or Canny) linked from the footer or help centre.",
    scope=("saas",),
)
def changelog(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: a changelog, release notes, "What's new" or public roadmap page,
    linked from the site ("Changelog", "Release notes", "Versionshinweise", "Notes de
    version", "Notas de la versión", "Note di rilascio", "Wat is er nieuw", "Notas de versão")
    and confirmed by its heading or content (version numbers, "fixed", "new features"); or a
    link to a hosted changelog or roadmap (Canny, Productboard, Headway, Featurebase, Beamer,
    GitHub releases), or such a widget's script.
    Why it matters: a SaaS customer entrusts data and workflows to a product; seeing it
    maintained and improved, with changes announced, is evidence the vendor is alive and
    accountable.
    How to fix: publish release notes and link them.
    Traps: "News" and "Neuigkeiten / Nouveautés / Novedades" (new products on shops) are not
    changelogs; a linked page whose heading and content do not confirm is not counted; a
    changelog inside the logged-in app cannot be seen.
    """
    if (early := no_pages(site)) is not None:
        return early
    vt = changelog_vocab()
    vocab = load_vocabulary()
    evidence: list[Evidence] = []
    candidates: dict[str, _Candidate] = {}
    for page in site.html_pages:
        assert page.facts is not None
        for link in page.facts.links:
            if not is_page_link(link):
                continue
            if _hosted(link.url):
                evidence.append(Evidence(page.url, "link", link_label(link) or link.url,
                                         f"hosted changelog or roadmap {link.url}"))
                continue
            score = score_link(link, vt, vocab)
            if score and same_site(link.url, site.start_url):
                url = normalize_url(link.url)
                if url not in candidates or candidates[url].score < score:
                    candidates[url] = _Candidate(url, page.url, link_label(link), score)
        for script in page.facts.scripts:
            if script.src and _hosted(script.src):
                evidence.append(Evidence(page.url, "script", script.src, "changelog widget"))
    rejected: list[Evidence] = []
    for cand in sorted(candidates.values(), key=lambda c: (-c.score, c.url)):
        target = find_page(site, cand.url)
        if target is None or target.facts is None or not target.ok:
            if target is None and cand.score >= 3:
                evidence.append(Evidence(cand.page, "link", cand.text,
                                         f"link to {cand.url} (not fetched)"))
            elif target is not None:
                rejected.append(Evidence(cand.page, "searched", cand.text,
                                         f"{cand.url} not counted: answers "
                                         f"{target.error or target.status}"))
            continue
        ok, why = _confirmed(target)
        if ok and cand.score >= 2:
            evidence.append(Evidence(cand.page, "link", cand.text, f"link to {cand.url}"))
            evidence.append(Evidence(target.url, "page", target.facts.title, f"confirmed by {why}"))
        else:
            rejected.append(Evidence(cand.page, "searched", cand.text,
                                     f"{cand.url} not counted: content does not confirm"))
    if not evidence:
        linked = {c.url for c in candidates.values()}
        for page in site.html_pages:  # pages reached without a link (sitemap, probes)
            if page.url in linked or page.facts is None:
                continue
            score, text = head_match(page, vt)
            if score == 2 and len(_detectors()["changelog-content"].find(page.facts.text)) >= 2:
                evidence.append(Evidence(page.url, "page", text, "changelog page (heading and "
                                         "content)"))
    if evidence:
        return Outcome.passed(f"Found a public changelog ({evidence[0].locator}).",
                              evidence[:MAX_EVIDENCE])
    return Outcome.failed(
        "No changelog, release notes or public roadmap was found.",
        [Evidence(site.start_url, "searched", plural(len(site.html_pages), "page"),
                  "links, headings and hosts of changelogs, release notes and roadmaps")]
        + rejected[:4])
