"""The page-type finder: link, then confirm (signals.md §2.1).

1. Every link on every audited page is scored for each page type from the vocabulary: the
   ``rel`` relation, the link text (aria-label, title, image alt), and the URL slug. Trap phrases
   ("Return to top", "Cookie settings") veto the text; in-page anchors and ``javascript:`` are
   never page links (T1).
2. The link target, when it was crawled, is confirmed by its title and first headings and by the
   type's body words; a target answering 4xx/5xx, or a soft-404 template (T5), is rejected.
3. Pages reached without a link (sitemap, probes) count when their title/heading and body agree.

Headings that name a type (an FAQ or testimonials *section* on the home page) are reported
separately as ``sections``: some signals are sections, not pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor.crawl.urls import normalize_url, same_site
from auditor.detect import memo
from auditor.detect.text import fold, path_segments
from auditor.detect.vocab import PageTypeVocab, Vocabulary, load_vocabulary
from auditor.site import Link, Page, SiteSnapshot

SOFT_404_PATH = "/trustaudit-soft-404-probe-7f3a9c"
REL_TYPES = {"privacy-policy": "privacy", "terms-of-service": "terms"}
# Hosts that publish a site's own policies (signals.md §2.5): accepted although off-site.
HOSTED_POLICY_HOSTS = ("iubenda.com", "termly.io", "shopify.com", "myshopify.com")
HOSTED_TYPES = {"privacy", "terms", "cookies", "returns", "shipping", "imprint"}
HELP_HOST_MARKERS = ("zendesk.com", "freshdesk.com", "intercom.help", "helpscoutdocs.com")
REGION_ORDER = {"footer": 0, "nav": 1, "header": 2, "main": 3, "aside": 4, "body": 5}
MAX_SECTION_WORDS = 8


@dataclass(frozen=True, slots=True)
class LinkRef:
    page: str  # the page the link is on
    text: str  # what the customer reads (text, else aria-label/title/alt)
    region: str
    score: int


@dataclass(slots=True)
class Candidate:
    url: str
    link_score: int = 0
    via: list[LinkRef] = field(default_factory=list)
    head_score: int = 0
    head_text: str = ""
    confirm_hits: tuple[str, ...] = ()
    page: Page | None = None
    accepted: bool = False
    reason: str = ""

    @property
    def fetched(self) -> bool:
        return self.page is not None


@dataclass(frozen=True, slots=True)
class Section:
    page: str
    heading: str
    level: int


@dataclass(frozen=True, slots=True)
class PageTypeResult:
    type: str
    accepted: tuple[Candidate, ...]  # best first
    rejected: tuple[Candidate, ...]
    sections: tuple[Section, ...]
    pages_examined: int
    links_examined: int
    sitewide_share: float  # share of audited pages linking to an accepted page

    @property
    def found(self) -> bool:
        return bool(self.accepted)

    @property
    def best(self) -> Candidate | None:
        return self.accepted[0] if self.accepted else None


# --------------------------------------------------------------------------- link scoring


def link_label(link: Link) -> str:
    return link.text or link.aria_label or link.title or link.img_alt


def _text_score(texts: Iterable[str], vt: PageTypeVocab, vocab: Vocabulary) -> int:
    best = 0
    for raw in texts:
        text = fold(raw)
        if not text:
            continue
        if vocab.trap_re is not None and vocab.trap_re.search(text):
            continue  # T1/T3: "Privacy settings", "Return to top" name no page
        words = len(text.split())
        if text in vt.phrases or text in vt.exact:
            best = max(best, 3)
        elif vt.phrase_re is not None and words <= 15 and vt.phrase_re.search(text):
            best = max(best, 2 if words <= 6 else 1)
    return best


def _slug_score(url: str, vt: PageTypeVocab) -> int:
    segments = path_segments(url)
    if not segments:
        return 0
    if segments[-1] in vt.slugs:
        return 2
    if any(seg in vt.slugs for seg in segments[:-1]):
        return 1
    last = f" {segments[-1]} "
    return 1 if any(f" {slug} " in last for slug in vt.slugs if " " in slug) else 0


# "/#kontakt", "./#contact", "index.html#faq": a section of the home page, not a page.
_HOME_FRAGMENT = re.compile(r"^(?:\.?/)?(?:index\.(?:html?|php))?#.+", re.I)


def is_page_link(link: Link) -> bool:
    """False for in-page anchors (also anchors into the home page of a one-page site), script
    pseudo-links and non-http targets (trap T1)."""
    href = link.href.strip().lower()
    if not link.url or href.startswith(("#", "javascript:")):
        return False
    return not _HOME_FRAGMENT.match(href)


def score_link(link: Link, vt: PageTypeVocab, vocab: Vocabulary) -> int:
    rel = 4 if any(REL_TYPES.get(r) == vt.name for r in link.rel) else 0
    text = _text_score((link.text, link.aria_label, link.title, link.img_alt), vt, vocab)
    if max(rel, text) == 0:
        # A slug alone is weak evidence, but "/impressum" behind an icon, or "About Acme" to
        # /about, still counts a little — unless the text is a trap ("Cookie settings").
        if _slug_score(link.url, vt) != 2:
            return 0
        label = fold(link_label(link))
        if vocab.trap_re is not None and label and vocab.trap_re.search(label):
            return 0
        return 1 if len(label.split()) <= 4 else 0
    return max(rel, text) + _slug_score(link.url, vt)


# --------------------------------------------------------------------------- confirmation


def _page_index(site: SiteSnapshot) -> dict[str, Page]:
    def build() -> dict[str, Page]:
        index: dict[str, Page] = {}
        for page in site.pages:
            index.setdefault(page.url, page)
        for page in site.pages:
            if page.final_url:
                index.setdefault(page.final_url, page)
        return index

    return memo(site, "page-index", build)


def find_page(site: SiteSnapshot, url: str) -> Page | None:
    """The crawled page for a link target (normalised like the crawler does)."""
    index = _page_index(site)
    page = index.get(url) or index.get(normalize_url(url))
    if page is not None and page.facts is None and page.final_url and page.final_url != page.url:
        # A second URL of an already-audited page (redirect, or /about vs /about.html): the
        # facts live on the page that was audited.
        return index.get(page.final_url, page)
    return page


def body_text(page: Page) -> str:
    """Folded text of the page's own content (header, nav and footer left out: boilerplate)."""
    assert page.facts is not None
    return fold(" ".join(b.text for b in page.facts.blocks
                         if b.region in ("main", "body", "aside")))


def _folded_body(site: SiteSnapshot, page: Page) -> str:
    cache = memo(site, "folded-body", dict)
    if page.url not in cache:
        cache[page.url] = body_text(page)
    return cache[page.url]  # type: ignore[no-any-return]


def head_match(page: Page, vt: PageTypeVocab) -> tuple[int, str]:
    """2 when the first heading names the type, 1 when the title does; with the matched text."""
    assert page.facts is not None
    facts = page.facts
    top = [h for h in facts.headings if h.region not in ("footer", "nav", "header")][:2]
    if not any(h.level == 1 for h in top):
        # Themes often put the page's own <h1> in a hero inside <header>.
        top = [h for h in facts.headings if h.level == 1 and h.region == "header"][:1] + top
    top = top or [h for h in facts.headings if h.level == 1][:1]
    h1 = next((h for h in top if h.level == 1), None)
    if h1 is not None and not _names(h1.text, vt) and _names_other_core_type(h1.text, vt):
        # The page says what it is in its <h1> ("Impressum"); a later "Kontakt" heading is a
        # section of it, not what the page is.
        return 0, ""
    for heading in top:
        if _names(heading.text, vt):
            return 2, heading.text
    title = fold(facts.title)
    if title and vt.phrase_re is not None and vt.phrase_re.search(title):
        return 1, facts.title
    return 0, ""


CORE_TYPES = ("privacy", "terms", "returns", "shipping", "contact", "imprint", "about",
              "cookies", "faq")


def _names(raw: str, vt: PageTypeVocab) -> bool:
    """A heading of at most 12 words that names the type."""
    text = fold(raw)
    if not text or vt.phrase_re is None or len(text.split()) > 12:
        return False
    return text in vt.phrases or bool(vt.phrase_re.search(text))


def _names_other_core_type(raw: str, vt: PageTypeVocab) -> bool:
    vocab = load_vocabulary()
    return any(name != vt.name and name in vocab.types and _names(raw, vocab.types[name])
               for name in CORE_TYPES)


def confirm_hits(site: SiteSnapshot, page: Page, vt: PageTypeVocab) -> tuple[str, ...]:
    if vt.confirm_re is None or page.facts is None:
        return ()
    return tuple(sorted(set(vt.confirm_re.findall(_folded_body(site, page)))))


def soft_404_fingerprint(site: SiteSnapshot) -> tuple[str, str] | None:
    """Title and first heading of the page a made-up URL returns, when it answers 200 (T5)."""
    for page in site.pages:
        if page.url.endswith(SOFT_404_PATH) and page.ok and page.facts is not None:
            h1 = next((h.text for h in page.facts.headings), "")
            return page.facts.title, h1
    return None


def _is_soft_404(page: Page, fingerprint: tuple[str, str] | None) -> bool:
    if fingerprint is None or page.facts is None:
        return False
    h1 = next((h.text for h in page.facts.headings), "")
    return (page.facts.title, h1) == fingerprint


def _offsite_ok(url: str, vt: PageTypeVocab, site: SiteSnapshot) -> bool:
    host = url.split("/")[2].lower() if "://" in url else ""
    if vt.name in HOSTED_TYPES and any(
        host == h or host.endswith("." + h) for h in HOSTED_POLICY_HOSTS
    ):
        return True
    return vt.name == "faq" and any(m in host for m in HELP_HOST_MARKERS)


def _decide(cand: Candidate, vt: PageTypeVocab, site: SiteSnapshot, fp: tuple[str, str] | None
            ) -> None:
    L, H = cand.link_score, cand.head_score
    C = len(cand.confirm_hits)
    needs_confirm = bool(vt.confirm)
    page = cand.page
    if page is None:
        if L >= 3:
            cand.accepted, cand.reason = True, "linked (target not fetched)"
        else:
            cand.reason = "weak link, target not fetched"
        return
    if page.error or page.status >= 400:
        cand.reason = f"link target answers {page.error or page.status}"
        return
    if page.facts is None:
        # A PDF or other document: a strong link is enough (policies as PDF are common).
        if L >= 3 and 200 <= page.status < 300:
            kind = page.content_type or "non-HTML"
            cand.accepted, cand.reason = True, f"linked document ({kind})"
        return
    if _is_soft_404(page, fp):
        cand.reason = "target is the site's 'not found' template (soft 404)"
        return
    confirmed_body = C >= 2 or not needs_confirm
    if (
        (L >= 3 and (H >= 1 or confirmed_body))
        or (L >= 2 and (H >= 1 or C >= 3))
        or (L >= 1 and H >= 2 and confirmed_body)
        or (L == 0 and H >= 2 and C >= 3)
    ):
        cand.accepted = True
        cand.reason = "confirmed by " + (
            "heading" if H >= 2 else "title" if H == 1 else "content"
        )
    else:
        cand.reason = "target content does not confirm"


# --------------------------------------------------------------------------- finder


def _link_scores(site: SiteSnapshot, vocab: Vocabulary) -> dict[str, dict[str, list[LinkRef]]]:
    """type → target url → links pointing there with a score > 0. Footer links repeat on every
    page, so each distinct link is scored once."""

    def build() -> dict[str, dict[str, list[LinkRef]]]:
        scored: dict[tuple[str, str, str, str, str, tuple[str, ...], str], dict[str, int]] = {}
        out: dict[str, dict[str, list[LinkRef]]] = {name: {} for name in vocab.types}
        for page in site.html_pages:
            assert page.facts is not None
            for link in page.facts.links:
                if not is_page_link(link):
                    continue
                key = (link.url, link.text, link.aria_label, link.title, link.img_alt, link.rel,
                       link.href)
                if key not in scored:
                    scored[key] = {
                        name: s
                        for name, vt in vocab.types.items()
                        if (s := score_link(link, vt, vocab)) > 0
                    }
                target = normalize_url(link.url)
                for name, s in scored[key].items():
                    ref = LinkRef(page.url, link_label(link), link.region, s)
                    out[name].setdefault(target, []).append(ref)
        return out

    return memo(site, "pagetype-links", build)


def find_page_type(site: SiteSnapshot, name: str) -> PageTypeResult:
    """Where the site's page of type ``name`` (privacy, returns, contact ...) is, with evidence."""
    return memo(site, f"pagetype:{name}", lambda: _find(site, name))


def _find(site: SiteSnapshot, name: str) -> PageTypeResult:
    vocab = load_vocabulary()
    vt = vocab[name]
    fp = soft_404_fingerprint(site)
    html = site.html_pages
    cands: dict[str, Candidate] = {}
    for target, refs in sorted(_link_scores(site, vocab)[name].items()):
        if not same_site(target, site.start_url) and not _offsite_ok(target, vt, site):
            continue  # T2: Google's, PayPal's or a plugin's policy is not the site's own
        cand = Candidate(url=target, via=sorted(
            refs, key=lambda r: (-r.score, REGION_ORDER.get(r.region, 9), r.page, r.text)))
        cand.link_score = cand.via[0].score
        cands[target] = cand
    for page in html:  # pages reached without a scored link (sitemap, probes, redirects)
        key = page.final_url or page.url
        if key not in cands and page.url not in cands:
            cands[key] = Candidate(url=key)
    for cand in cands.values():
        cand.page = find_page(site, cand.url)
        if cand.page is not None and cand.page.facts is not None and cand.page.ok:
            cand.head_score, cand.head_text = head_match(cand.page, vt)
            if cand.link_score > 0 or cand.head_score >= 2:
                # Every audited page is a candidate, but one no link names is accepted only
                # on a heading naming the type: the body of any other is never read.
                cand.confirm_hits = confirm_hits(site, cand.page, vt)
        _decide(cand, vt, site, fp)
    accepted = sorted(
        (c for c in cands.values() if c.accepted),
        key=lambda c: (-(c.link_score + 2 * c.head_score + min(len(c.confirm_hits), 4)), c.url),
    )
    rejected = sorted(
        (c for c in cands.values() if not c.accepted and c.link_score > 0),
        key=lambda c: (-c.link_score, c.url),
    )
    accepted_urls = {c.url for c in accepted} | {
        c.page.url for c in accepted if c.page is not None
    }
    linking = sum(
        1
        for page in html
        if page.facts is not None
        and any(is_page_link(lk) and normalize_url(lk.url) in accepted_urls
                for lk in page.facts.links)
    )
    return PageTypeResult(
        type=name,
        accepted=tuple(accepted),
        rejected=tuple(rejected),
        sections=tuple(_sections(site, vt, vocab)),
        pages_examined=len(html),
        links_examined=sum(len(p.facts.links) for p in html if p.facts is not None),
        sitewide_share=round(linking / len(html), 4) if html else 0.0,
    )


def _sections(site: SiteSnapshot, vt: PageTypeVocab, vocab: Vocabulary) -> list[Section]:
    """Headings that name the type, and short standalone labels that do (the "eyebrow" or
    kicker line themes put above a section heading: <span class="eyebrow">What our clients
    say</span>). Labels are level 0. Navigation, header and footer text is boilerplate, and a
    label that is only a link's text is a link, not a section."""
    found: list[Section] = []
    if vt.phrase_re is None:
        return found
    for url, heads, blocks in _section_candidates(site, vocab):
        headings = set()
        for raw, level, text in heads:
            if vt.phrase_re.search(text):
                found.append(Section(url, raw, level))
                headings.add(raw)
        for raw, text in blocks:
            if raw not in headings and vt.phrase_re.search(text):
                found.append(Section(url, raw, 0))
    # A menu anchor whose whole text names the type and whose target id exists on the page
    # ("FAQ" → #faq on a one-page site) is a section even when its heading says it differently.
    for page in site.html_pages:
        assert page.facts is not None
        markers = set(page.facts.markers)
        for link in page.facts.links:
            href = link.href.strip()
            if len(href) > 1 and href.startswith("#") and href in markers:
                text = fold(link.text)
                if text and (text in vt.phrases or text in vt.exact):
                    found.append(Section(page.url, link.text, 0))
                    break
    return found


_Candidates = list[tuple[str, list[tuple[str, int, str]], list[tuple[str, str]]]]


def _section_candidates(site: SiteSnapshot, vocab: Vocabulary) -> _Candidates:
    """Per page (url, headings, labels) that could name a section of any type, folded once
    for all types: short (at most MAX_SECTION_WORDS words), no trap phrase, outside the
    navigation, header and footer; labels are main/body/aside blocks that are not controls and
    not only a link's text."""

    def short(raw: str) -> str:
        text = fold(raw)
        if not text or len(text.split()) > MAX_SECTION_WORDS:
            return ""
        if vocab.trap_re is not None and vocab.trap_re.search(text):
            return ""
        return text

    def build() -> _Candidates:
        out: _Candidates = []
        for page in site.html_pages:
            assert page.facts is not None
            heads = [(h.text, h.level, text) for h in page.facts.headings
                     if h.region not in ("footer", "nav", "header") and (text := short(h.text))]
            # Only a link in the same content can make a label "just a link": a menu entry
            # "FAQ" must not hide the FAQ section's own label.
            link_texts = {fold(link.text) for link in page.facts.links
                          if link.text and link.region in ("main", "body", "aside")}
            blocks = [(b.text, text) for b in page.facts.blocks
                      if b.region in ("main", "body", "aside") and b.tag not in _NOT_LABELS
                      and (text := short(b.text)) and text not in link_texts]
            if heads or blocks:
                out.append((page.url, heads, blocks))
        return out

    return memo(site, "section-candidates", build)


# Blocks that are not section labels: headings are handled as such, the rest are controls.
_NOT_LABELS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "button", "label", "li", "td", "th"})
