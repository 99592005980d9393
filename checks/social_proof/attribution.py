"""Who testimonials come from: a full name, a role or company, a photo — or "Anna K.".

Testimonials are found where the `testimonials` check finds them (a testimonials page, a
section under a testimonials heading, testimonial markup, schema.org Review), then each
attribution line next to a quote is read: "— Maria López, Head of Marketing, Acme GmbH" names
someone; "— Anna K." and "A happy customer" do not. Registered under the entry point
``social-proof-attribution``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.check_api import Evidence, Outcome, check
from auditor.detect.contacts import types_of, walk_json
from auditor.detect.pagetypes import find_page_type
from auditor.detect.text import fold
from auditor.site import Page, SiteSnapshot, TextBlock
from checks._common import no_pages, plural
from checks.social_proof import TESTIMONIAL_MARKER, social_data

QUOTE_MIN_WORDS = 8
NAME_MAX_WORDS = 12
ADJACENT_BLOCKS = 2  # a name may sit one line after its quote (a star row between)
SECTION_MAX_BLOCKS = 60
DASH_RE = re.compile(r"^\s*[—–~\-]{1,2}\s*(.+)$")
SPLIT_RE = re.compile(r"\s*(?:,|\||·|•|\(|/|\s[–—-]\s)\s*")
COMPANY_RE = re.compile(r"\b(?:GmbH|AG|KG|UG|Ltd|Limited|LLC|Inc|Corp|PLC|plc|SARL|SAS|SA|S\.A\.|"
                        r"S\.L\.|SL|SpA|S\.p\.A\.|Srl|S\.r\.l\.|B\.V\.|BV|NV|Lda|e\.V\.)\b")
_UP, _LOW = "A-ZÀ-ÖØ-Þ", "a-zà-öø-ÿß"
# "Müller", "O'Brien", "McDonald", "D'Angelo", "LÓPEZ"
WORD = (rf"[{_UP}](?:[{_LOW}]+(?:['’]?[{_UP}][{_LOW}]+)*|['’][{_UP}][{_LOW}]+|[{_UP}'’]+)")
NAME_TOKEN = re.compile(rf"^{WORD}(?:-{WORD})*$")
INITIAL = re.compile(r"^[A-ZÀ-ÖØ-Þ]\.?$")
INITIALS_ONLY = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ]\.\s?){1,3}$|^[A-ZÀ-ÖØ-Þ]{2,3}$")


@dataclass(frozen=True, slots=True)
class Attribution:
    page: str
    text: str  # the attribution as written
    name_score: int  # 2 full name, 1 first name or first name + initial, 0 anonymous
    qualifier: str  # role / company part
    role: bool  # the qualifier names a role or a company
    photo: bool

    @property
    def attributed(self) -> bool:
        return self.name_score == 2 or (self.name_score == 1 and (self.role or self.photo))


def classify_name(text: str) -> int | None:
    """2 full name, 1 partial, 0 anonymous; None when the text is not an attribution."""
    data = social_data()
    folded = fold(text)
    if not folded:
        return None
    words = folded.split()
    if folded in data.anonymous or (len(words) <= 4 and words[0] in data.anonymous) or any(
            folded.startswith(a + " ") for a in data.anonymous if len(a.split()) > 1):
        return 0
    if INITIALS_ONLY.match(text.strip()):
        return 0
    tokens = text.replace(",", " ").split()
    while tokens and fold(tokens[0]) in data.honorifics:
        tokens = tokens[1:]
    if len(tokens) > 1 and len(tokens[0]) == 1 and tokens[1][:1] == tokens[0]:
        tokens = tokens[1:]  # an avatar letter before the name: "J Juan Pereira"
    if not tokens or len(tokens) > 5:
        return None
    if any(fold(t) in data.not_names for t in tokens):
        return None
    names = [t for t in tokens if fold(t) not in data.particles]
    if not names or not all(NAME_TOKEN.match(t) or INITIAL.match(t) for t in names):
        return None
    if not NAME_TOKEN.match(names[0]) and len(names) == 1:
        return 0
    if len(names) == 1:
        return 1
    if INITIAL.match(names[-1]):
        return 1 if NAME_TOKEN.match(names[0]) else 0
    return 2


def parse_attribution(line: str, page: Page) -> Attribution | None:
    """Read one attribution line ("— Anna Müller, CEO bei Acme GmbH")."""
    data = social_data()
    text = line.strip().strip("\"“”«»").strip()
    if m := DASH_RE.match(text):
        text = m.group(1).strip()
    if not text or len(text.split()) > NAME_MAX_WORDS or len(text) > 90:
        return None
    if text.endswith((".", "!", "?", ":")) and not re.search(r"\b[A-ZÀ-Þ]\.$", text):
        return None
    parts = SPLIT_RE.split(text, maxsplit=1)
    name = parts[0].strip()
    qualifier = parts[1].strip(" )") if len(parts) > 1 else ""
    score = classify_name(name)
    if score is None:
        return None
    folded_q = fold(qualifier)
    role = bool(qualifier) and (
        bool(data.role_words and data.role_words.search(folded_q))
        or bool(COMPANY_RE.search(qualifier)))
    return Attribution(page.url, text, score, qualifier, role, _has_photo(page, name))


def _has_photo(page: Page, name: str) -> bool:
    """An image whose alt text names the person (portrait photos are labelled with the name)."""
    assert page.facts is not None
    first = fold(name).split()
    if not first or len(first[0]) < 3:
        return False
    for image in page.facts.images:
        alt = fold(image.alt)
        if alt and first[0] in alt.split() and (len(first) == 1 or first[-1] in alt.split()):
            return True
    return False


def _is_quote(text: str) -> bool:
    return len(text.split()) >= QUOTE_MIN_WORDS or text.strip().startswith(("\"", "“", "«", "„"))


def _lines(blocks: list[TextBlock]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        out += [line for line in block.text.split("\n") if line.strip()]
    return out


def attributions_in(page: Page, blocks: list[TextBlock]) -> list[Attribution]:
    """Attribution lines next to quotes within a testimonial region."""
    lines = _lines(blocks)
    found: list[Attribution] = []
    after_name = -1  # the line after an attribution is its role or source ("Local Guide")
    for i, line in enumerate(lines):
        if i == after_name or (_is_quote(line) and not DASH_RE.match(line)):
            continue
        dashed = bool(DASH_RE.match(line))
        # An attribution follows its quote; a line before the quotes is a heading or a title.
        before = lines[max(0, i - ADJACENT_BLOCKS): i]
        if not dashed and not any(_is_quote(x) for x in before):
            continue
        if (attr := parse_attribution(line, page)) is not None:
            if not attr.qualifier and i + 1 < len(lines) and not _is_quote(lines[i + 1]):
                # "Maria López" then "CEO, Acme GmbH" on the next line
                nxt = lines[i + 1].strip()
                folded = fold(nxt)
                data = social_data()
                if len(nxt.split()) <= 6 and (COMPANY_RE.search(nxt) or (
                        data.role_words and data.role_words.search(folded))):
                    attr = Attribution(attr.page, f"{attr.text}, {nxt}", attr.name_score, nxt,
                                       True, attr.photo)
            found.append(attr)
            after_name = i + 1
    return found


def testimonial_regions(site: SiteSnapshot) -> list[tuple[Page, list[TextBlock], str]]:
    """(page, blocks, where) for every place testimonials were found."""
    regions: list[tuple[Page, list[TextBlock], str]] = []
    result = find_page_type(site, "testimonials")
    done: set[str] = set()
    start = site.start_page
    for cand in result.accepted:
        page = cand.page
        # A page whose own title or heading names testimonials; the home page is accepted when
        # it merely has a testimonials section, which the sections below cover.
        if cand.head_score < 1 or page is start:
            continue
        if page is not None and page.facts is not None and page.ok and page.url not in done:
            done.add(page.url)
            blocks = [b for b in page.facts.blocks if b.region in ("main", "body", "aside")]
            regions.append((page, blocks, "testimonials page"))
    by_page: dict[str, list[tuple[str, int]]] = {}
    for section in result.sections:
        by_page.setdefault(section.page, []).append((section.heading, section.level))
    for page in site.html_pages:
        assert page.facts is not None
        if page.url in done:
            continue
        blocks = list(page.facts.blocks)
        for heading, level in by_page.get(page.url, []):
            first = next((i for i, b in enumerate(blocks) if " ".join(b.text.split()) == heading),
                         None)
            if first is None:
                continue
            # The section runs to the next heading of its level or higher, once it has content
            # (a label's own heading right below it belongs to it).
            limit = level or 3
            end, content = first + 1, False
            while end < len(blocks) and end - first < SECTION_MAX_BLOCKS:
                tag = blocks[end].tag
                is_heading = tag[:1] == "h" and tag[1:].isdigit()
                if is_heading and content and int(tag[1:]) <= limit:
                    break
                content = content or not is_heading
                end += 1
            regions.append((page, blocks[first + 1:end], f"section '{heading}'"))
        if any(TESTIMONIAL_MARKER.match(m) for m in page.facts.markers):
            quotes = [i for i, b in enumerate(blocks) if b.tag == "blockquote"]
            for i in quotes:
                regions.append((page, blocks[max(0, i - 1): i + 3], "testimonial markup"))
    return regions


def review_markup(site: SiteSnapshot) -> list[Attribution]:
    """Authors of schema.org Review items (Person with a name, job title, image)."""
    found: list[Attribution] = []
    for page in site.html_pages:
        assert page.facts is not None
        for item in (*page.facts.jsonld, *page.facts.microdata):
            for node in walk_json(item):
                if "Review" not in types_of(node):
                    continue
                author = node.get("author")
                if isinstance(author, list):
                    author = author[0] if author else None
                name = author.get("name") if isinstance(author, dict) else author
                if not isinstance(name, str) or not name.strip():
                    continue
                score = classify_name(name.strip())
                if score is None:
                    continue
                role = isinstance(author, dict) and bool(author.get("jobTitle")
                                                         or author.get("worksFor"))
                photo = isinstance(author, dict) and bool(author.get("image"))
                found.append(Attribution(page.url, f"Review by {name.strip()}", score,
                                         "", role, photo))
    return found


@check(
    id="testimonials-attributed",
    category="social-proof",
    severity="low",
    weight=2,
    title="Testimonials name the customers who gave them",
    failure_title="Testimonials are anonymous (initials or 'a customer')",
    fix="Attribute each testimonial to a real customer with their permission: full name, and "
    "their company or role, or a photo.",
)
def testimonials_attributed(site: SiteSnapshot) -> Outcome:
    """
    What it looks for: in the testimonials the `testimonials` check finds (testimonials page,
    section, markup, schema.org Review), the attribution next to each quote: a full name
    ("Maria López"), or a first name with a role or company ("Sarah, CEO at Acme", "Anna
    Müller, Geschäftsführerin, Muster GmbH") or a portrait whose alt text names the person.
    Passes when at least one testimonial is attributed so; fails when every attribution seen
    is anonymous: initials ("J.D."), a first name with an initial and nothing else ("Anna
    K."), or "a happy customer" / "Kunde" / "un client" (checks/social_proof.toml).
    Why it matters: a named, checkable person is far more credible than "— Anna K."; the FTC
    requires endorsements to reflect real experience (16 CFR 255, 465).
    How to fix: ask customers for permission to show their full name and company or photo.
    Traps: customer-logo walls are a different signal (client-logos); review titles ("Great
    Service") and buttons ("Read More") are not names; when the attributions cannot be read
    from the static HTML the result is unknown, and without testimonials it is not applicable.
    """
    if (early := no_pages(site)) is not None:
        return early
    regions = testimonial_regions(site)
    attributions = review_markup(site)
    for page, blocks, _where in regions:
        attributions += attributions_in(page, blocks)
    unique = list({(a.page, a.text): a for a in attributions}.values())
    attributed = [a for a in unique if a.attributed]
    anonymous = [a for a in unique if not a.attributed]
    if not regions and not unique:
        return Outcome.not_applicable("No testimonials were found (see testimonials), so their "
                                      "attribution is not judged.")
    if attributed:
        details = []
        if roles := sum(1 for a in attributed if a.role):
            details.append(f"{roles} with a role or company")
        if photos := sum(1 for a in attributed if a.photo):
            details.append(f"{photos} with a photo")
        extra = f" ({', '.join(details)})" if details else " (names only)"
        return Outcome.passed(
            f"{len(attributed)} of {plural(len(unique), 'testimonial')} "
            f"{'names' if len(attributed) == 1 else 'name'} the customer{extra}.",
            [Evidence(a.page, "text", a.text, "attributed: " + ", ".join(
                x for x in ("full name" if a.name_score == 2 else "first name",
                            "role/company" if a.role else "", "photo" if a.photo else "") if x))
             for a in attributed[:5]])
    if anonymous:
        return Outcome.failed(
            f"All {plural(len(anonymous), 'testimonial')} whose author could be read "
            f"{'is' if len(anonymous) == 1 else 'are'} anonymous: "
            + ", ".join(f'"{a.text}"' for a in anonymous[:4]) + ".",
            [Evidence(a.page, "text", a.text, "anonymous attribution") for a in anonymous[:5]]
            + [Evidence(p.url, "searched", "", f"testimonials in {where}")
               for p, _, where in regions[:3]])
    return Outcome.unknown(
        "Testimonials were found, but who gave them could not be read from the static HTML.",
        [Evidence(p.url, "searched", "", f"testimonials in {where}")
         for p, _, where in regions[:3]])
