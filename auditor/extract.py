"""Extract :class:`~auditor.site.PageFacts` from one HTML page, once, while crawling.

The page is parsed by lxml's HTML parser in event mode (a parser *target*): no DOM is built and
nothing of the page is kept but its facts, so memory stays flat however large the site, and
HTML nested a hundred thousand levels deep costs no recursion. Every collection is bounded
(links, blocks, markers ...), so a hostile page cannot make the facts themselves huge.

Regions follow the landmarks a customer sees: ``<header>``/``<footer>`` (when not inside an
article, aside or main), ``<nav>``, ``<main>``, ``<aside>``, their ARIA roles, and the ``id`` or
``class`` names themes use for the site header and footer. Text inside ``hidden`` or
``display:none`` elements, scripts, templates and form controls is not visible text (trap T9),
but links there are still links.
"""

from __future__ import annotations

import codecs
import json
import re
import time
from typing import Any

from bs4.dammit import EncodingDetector
from lxml import etree

from auditor.crawl.urls import absolute_url
from auditor.site import (
    Form,
    FormField,
    Heading,
    Image,
    Link,
    PageFacts,
    Script,
    TextBlock,
)

MAX_LINKS = 2000  # per page: memory and crawl time grow with links x pages
MAX_IMAGES = 1000
MAX_SCRIPTS = 300
MAX_IFRAMES = 100
MAX_FORMS = 50
MAX_FIELDS = 300
MAX_BLOCKS = 4000
MAX_TEXT_CHARS = 400_000  # visible text kept per page
MAX_BLOCK_CHARS = 4000
MAX_MARKERS = 3000
MAX_JSONLD_CHARS = 512 * 1024
MAX_JSONLD_ITEMS = 200
MAX_MICRODATA_ITEMS = 200
MAX_META = 200
MAX_HEADINGS = 500
INLINE_SCRIPT_CHARS = 4096
#: Elements nested deeper than this are handled as siblings at this depth (as Chromium's parser
#: does at 512): a page nested 100,000 levels deep costs no more than one nested 512 levels.
MAX_DEPTH = 512
MAX_PROP_CAPTURES = 30  # microdata properties collecting text at once
MAX_MICRODATA_VALUES = 2000  # property values per page
MAX_JSONLD_TOTAL = 512 * 1024  # characters of all JSON-LD blocks of a page
JSONLD_MAX_ITEMS = 100  # entries kept per JSON-LD list or object
JSONLD_MAX_NODES = 10_000  # values kept per page
JSONLD_MAX_DEPTH = 20
JSONLD_MAX_STRING = 2000
#: Characters of links, images, scripts, form fields, meta and hreflang kept per page (visible
#: text has its own cap, MAX_TEXT_CHARS): a page cannot make its facts large, however it tries.
FACTS_CHAR_BUDGET = 512 * 1024
#: CPU seconds the parse of one page may take. libxml2 scans its element stack for each stray
#: end tag, so 2 MB of "<div>" then "</span>" would take hours; it is fed in small pieces and
#: given up past this limit.
PARSE_CPU_LIMIT = 10.0
FEED_CHUNK = 4096
CAPTURE_CHARS = 4096  # text collected for a link, heading, title, label or button
PROP_PARTS = 200  # text pieces collected for a microdata property
RAW_BLOCK_CHARS = 64 * MAX_BLOCK_CHARS  # raw text collected for one block before it is cut
TEXT_CLIP = 200
ATTR_CLIP = 500

BLOCK_TAGS = frozenset([
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "legend", "label",
    "button"
])
# Subtrees whose text is never visible page text.
SKIP_TEXT_TAGS = frozenset([
    "script", "style", "template", "noscript", "head", "svg", "math", "select", "option",
    "textarea", "iframe", "object", "canvas", "audio", "video", "datalist"
])
LANDMARK_TAGS = {"header": "header", "nav": "nav", "main": "main", "aside": "aside",
                 "footer": "footer"}
LANDMARK_ROLES = {"banner": "header", "navigation": "nav", "main": "main",
                  "complementary": "aside", "contentinfo": "footer"}
# Header/footer elements inside these are sections of content, not the page's banner/footer.
SECTIONING = frozenset({"article", "aside", "main"})
_FOOTER_NAME = re.compile(
    r"^(?:site|page|main|global|colophon|wp|theme|shopify-section|section)?[-_]*footer"
    r"(?:[-_]*(?:wrapper|container|area|main|inner|bottom|top|widgets?|menu|nav|links|"
    r"section|group|content|\d+))*$|^colophon$",
    re.I,
)
_HEADER_NAME = re.compile(
    r"^(?:site|page|main|global|shopify-section)?[-_]*header(?:[-_]*(?:wrapper|container|main|"
    r"inner|\d+))*$|^masthead$",
    re.I,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"\s+")
_BR = "\x00"
_VOID = frozenset([
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr"
])


class ParseTimeout(Exception):
    """Parsing a page took more than PARSE_CPU_LIMIT seconds of CPU; ``str()`` says so."""


def clip(text: str, limit: int = TEXT_CLIP) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit]


# ------------------------------------------------------------------------------ decoding


def decode_html(body: bytes | str, encoding: str = "") -> str:
    """Bytes to text: BOM, then the HTTP charset, then ``<meta charset>``, then UTF-8, each only
    if it really decodes; else Windows-1252 with replacement (never an exception)."""
    if isinstance(body, str):
        return body
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(name, errors="replace")
    candidates: list[str] = []
    if encoding:
        candidates.append(encoding)
    declared = EncodingDetector.find_declared_encoding(body[:4096], is_html=True)
    if declared:
        candidates.append(declared)
    candidates.append("utf-8")
    for name in candidates:
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            continue
        if codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            continue  # a declared UTF-16 without a BOM is almost always a lie
        try:
            return body.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("windows-1252", errors="replace")


# ------------------------------------------------------------------------------ the target


class _Frame:
    __slots__ = ("tag", "region", "hidden", "skip", "block", "sectioning")

    def __init__(self, tag: str, region: str, hidden: bool, skip: bool, block: bool,
                 sectioning: bool) -> None:
        self.tag = tag
        self.region = region
        self.hidden = hidden
        self.skip = skip
        self.block = block
        self.sectioning = sectioning


class _Capture:
    """Text collected between a start and its end tag (link, heading, title, label ...)."""

    __slots__ = ("depth", "parts", "data", "room")

    def __init__(self, depth: int, data: dict[str, Any]) -> None:
        self.depth = depth
        self.parts: list[str] = []
        self.data = data
        kind = data["kind"]
        # Characters worth collecting: what is kept after clipping, not a whole 5 MB page.
        self.room = (MAX_JSONLD_CHARS + 1 if kind == "jsonld" else
                     INLINE_SCRIPT_CHARS if kind == "script" else CAPTURE_CHARS)

    def add(self, text: str) -> None:
        if self.room > 0:
            self.parts.append(text[: self.room])
            self.room -= len(text)

    def text(self) -> str:
        return " ".join("".join(self.parts).replace(_BR, " ").split())


class _Target:
    """lxml parser target: receives start/end/data events and builds the facts."""

    def __init__(self, url: str) -> None:
        self.base = url
        self.stack: list[_Frame] = [_Frame("#root", "body", False, False, False, False)]
        self.text_parts: list[str] = []
        self.pending = 0  # characters in text_parts
        self.text_chars = 0
        self.blocks: list[TextBlock] = []
        self.title: str | None = None
        self.lang = ""
        self.links: list[Link] = []
        self.headings: list[Heading] = []
        self.images: list[Image] = []
        self.forms: list[dict[str, Any]] = []
        self.loose_fields: list[dict[str, Any]] = []
        self.form_stack: list[dict[str, Any]] = []
        self.label_for: dict[str, str] = {}
        self.field_ids: dict[str, dict[str, Any]] = {}
        self.meta: list[tuple[str, str]] = []
        self.jsonld_texts: list[str] = []
        self.scripts: list[dict[str, Any]] = []
        self.iframes: list[str] = []
        self.markers: set[str] = set()
        self.canonical = ""
        self.hreflang: list[tuple[str, str]] = []
        self.robots = ""
        self.captures: list[_Capture] = []
        self.items: list[dict[str, Any]] = []  # microdata top-level items
        self.item_stack: list[tuple[int, dict[str, Any]]] = []  # (depth, item)
        self.prop_captures: list[tuple[int, dict[str, Any], str, list[str]]] = []
        self.base_set = False
        self.overflow = 0  # open elements past MAX_DEPTH (handled as siblings, not pushed)
        self.budget = FACTS_CHAR_BUDGET  # characters left for links, images, scripts ...
        self.micro_values = 0
        self.jsonld_chars = 0

    def spend(self, *texts: str) -> bool:
        """Charge ``texts`` to the page's character budget; False (nothing charged) when they
        do not fit, and the item is then not kept."""
        size = sum(len(t) for t in texts)
        if size > self.budget:
            self.budget = 0
            return False
        self.budget -= size
        return True

    def add_prop(self, item: dict[str, Any], name: str, value: Any) -> None:
        if self.micro_values < MAX_MICRODATA_VALUES:
            self.micro_values += 1
            _add_prop(item, name, value)

    # -- helpers -------------------------------------------------------------------------

    def _abs(self, href: str) -> str:
        return absolute_url(self.base, href)

    def _flush(self) -> None:
        if not self.text_parts:
            return
        raw = "".join(self.text_parts)
        self.text_parts = []
        self.pending = 0
        if len(self.blocks) >= MAX_BLOCKS or self.text_chars >= MAX_TEXT_CHARS:
            return
        lines = (_WS.sub(" ", seg).strip() for seg in raw.split(_BR))
        text = "\n".join(line for line in lines if line)
        if not text:
            return
        text = text[:MAX_BLOCK_CHARS]
        self.text_chars += len(text)
        block_tag = next((f.tag for f in reversed(self.stack) if f.block), "body")
        self.blocks.append(TextBlock(text, self.stack[-1].region, block_tag))

    def _region_for(self, tag: str, attrs: dict[str, str], parent: _Frame,
                    inside_sectioning: bool) -> str:
        if parent.region == "footer":
            return "footer"  # a nav or header inside the footer is still the footer
        role = attrs.get("role", "").strip().lower()
        if role in LANDMARK_ROLES:
            return LANDMARK_ROLES[role]
        landmark = LANDMARK_TAGS.get(tag)
        if landmark is not None:
            if landmark in ("header", "footer") and inside_sectioning:
                return parent.region
            return landmark
        if parent.region in ("body", "main") and tag in ("div", "section", "footer", "header"):
            names = (attrs.get("id", "") + " " + attrs.get("class", "")).split()
            if any(_FOOTER_NAME.match(n) for n in names):
                return "footer"
            if parent.region == "body" and any(_HEADER_NAME.match(n) for n in names):
                return "header"
        return parent.region

    # -- parser target API -----------------------------------------------------------------

    def start(self, tag: Any, attrib: Any, nsmap: Any = None) -> None:  # noqa: C901
        if not isinstance(tag, str):
            return
        tag = tag.lower()
        attrs = {str(k).lower(): str(v) for k, v in attrib.items()} if attrib else {}
        parent = self.stack[-1]
        depth = len(self.stack)
        inside_sectioning = parent.sectioning
        region = self._region_for(tag, attrs, parent, inside_sectioning)
        hidden = parent.hidden or "hidden" in attrs or bool(
            _HIDDEN_STYLE.search(attrs.get("style", ""))) or (
            tag == "input" and attrs.get("type", "").lower() == "hidden")
        skip = parent.skip or tag in SKIP_TEXT_TAGS
        block = tag in BLOCK_TAGS
        if block or tag == "br":
            if tag == "br":
                if not skip and not hidden:
                    self.text_parts.append(_BR)
                for cap in self.captures:
                    cap.add(_BR)
            else:
                self._flush()
        frame = _Frame(tag, region, hidden, skip, block,
                       inside_sectioning or tag in SECTIONING)
        if tag not in _VOID:
            if depth > MAX_DEPTH:
                self.overflow += 1
            else:
                self.stack.append(frame)

        if len(self.markers) < MAX_MARKERS and not parent.skip:
            # The element's own id/class/data-* count even for <script>/<iframe>/<svg>
            # (script id="ze-snippet", data-cbid); only what is *inside* them is not markup.
            if "id" in attrs and attrs["id"]:
                self.markers.add("#" + attrs["id"][:80])
            cls = attrs.get("class")
            if cls:
                for name in cls.split()[:20]:
                    self.markers.add("." + name[:80])
            for key in attrs:
                if key.startswith("data-"):
                    self.markers.add(f"[{key[:80]}]")

        # microdata
        if "itemscope" in attrs:
            item: dict[str, Any] = {}
            itemtype = attrs.get("itemtype", "").split()
            if itemtype:
                item["@type"] = itemtype[0].rsplit("/", 1)[-1]
            prop = attrs.get("itemprop", "").split()
            if prop and self.item_stack:
                parent_item = self.item_stack[-1][1]
                for name in prop[:3]:
                    self.add_prop(parent_item, name, item)
            elif len(self.items) < MAX_MICRODATA_ITEMS:
                self.items.append(item)
            if len(self.item_stack) < 20:
                self.item_stack.append((depth, item))
        elif "itemprop" in attrs and self.item_stack:
            names = attrs["itemprop"].split()[:3]
            value = _prop_value(tag, attrs, self._abs)
            if value is not None:
                for name in names:
                    self.add_prop(self.item_stack[-1][1], name, value)
            elif tag not in _VOID and len(self.prop_captures) < MAX_PROP_CAPTURES:
                self.prop_captures.append((depth, self.item_stack[-1][1], " ".join(names), []))

        handler = _START_HANDLERS.get(tag)
        if handler is not None:
            handler(self, attrs, frame, depth)

    def end(self, tag: Any) -> None:
        if not isinstance(tag, str):
            return
        tag = tag.lower()
        if tag in _VOID:
            return
        if self.overflow:  # events are well nested: this closes an element past MAX_DEPTH
            self.overflow -= 1
            return
        # Pop up to and including the matching element (lxml reports well-nested events).
        index = len(self.stack) - 1
        while index > 0 and self.stack[index].tag != tag:
            index -= 1
        if index == 0:
            return
        while len(self.stack) > index:
            frame = self.stack[-1]
            depth = len(self.stack) - 1  # the depth recorded when this element started
            if frame.block:
                self._flush()
            elif frame.tag == "a" and not frame.skip and not frame.hidden:
                # Sibling links are separate items ("<a>052 551</a><a>info@x.ch</a>"), not
                # one word: keep them apart in the text.
                self.text_parts.append(" ")
            self._close_captures(depth)
            while self.prop_captures and self.prop_captures[-1][0] >= depth:
                _, item, names, parts = self.prop_captures.pop()
                value = " ".join("".join(parts).replace(_BR, " ").split())[:ATTR_CLIP]
                for name in names.split():
                    self.add_prop(item, name, value)
            while self.item_stack and self.item_stack[-1][0] >= depth:
                self.item_stack.pop()
            if frame.tag == "form" and self.form_stack:
                self.form_stack.pop()
            self.stack.pop()

    def data(self, text: str) -> None:
        frame = self.stack[-1]
        if self.captures:
            for cap in self.captures:
                if frame.tag not in ("script", "style") or cap.data["kind"] in ("script", "jsonld"):
                    cap.add(text)
        if self.prop_captures and not frame.skip:
            for _, _, _, parts in self.prop_captures:
                if len(parts) < PROP_PARTS:
                    parts.append(text[:ATTR_CLIP])
        if not frame.skip and not frame.hidden and self.pending < RAW_BLOCK_CHARS:
            self.text_parts.append(text)  # past RAW_BLOCK_CHARS nothing more could be kept
            self.pending += len(text)

    def comment(self, text: str) -> None:  # comments are not content
        return

    def close(self) -> PageFacts:
        self._flush()
        self._close_captures(0)
        return self._facts()

    # -- captures --------------------------------------------------------------------------

    def _open_capture(self, depth: int, data: dict[str, Any]) -> None:
        if len(self.captures) < 30:
            self.captures.append(_Capture(depth, data))

    def _close_captures(self, depth: int) -> None:
        while self.captures and self.captures[-1].depth >= depth:
            cap = self.captures.pop()
            _CAPTURE_DONE[cap.data["kind"]](self, cap)

    # -- results ---------------------------------------------------------------------------

    def _facts(self) -> PageFacts:
        jsonld: list[Any] = []
        errors = 0
        nodes = [JSONLD_MAX_NODES]  # values left for the whole page
        for raw in self.jsonld_texts:
            try:
                value = _prune(json.loads(raw, strict=False), nodes, 0)
            except (ValueError, RecursionError):
                errors += 1
                continue
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                    jsonld.extend(i for i in item["@graph"] if isinstance(i, dict))
                elif isinstance(item, dict):
                    jsonld.append(item)
            if len(jsonld) >= MAX_JSONLD_ITEMS:
                break
        forms = [self._form(f) for f in self.forms]
        if self.loose_fields:
            forms.append(Form("", "", tuple(self._field(f) for f in self.loose_fields[:MAX_FIELDS]),
                              self.loose_fields[0]["region"]))
        words = sum(len(b.text.split()) for b in self.blocks)
        return PageFacts(
            title=self.title or "",
            lang=self.lang,
            headings=tuple(self.headings),
            blocks=tuple(self.blocks),
            links=tuple(self.links),
            images=tuple(self.images),
            forms=tuple(forms),
            meta=tuple(self.meta),
            jsonld=tuple(jsonld[:MAX_JSONLD_ITEMS]),
            jsonld_errors=errors,
            microdata=tuple(self.items),
            scripts=tuple(
                Script(s["src"], s["type"], s["attrs"], s.get("inline", "")) for s in self.scripts
            ),
            iframes=tuple(self.iframes),
            markers=tuple(sorted(self.markers)),
            canonical=self.canonical,
            hreflang=tuple(self.hreflang),
            robots=self.robots,
            word_count=words,
        )

    def _field(self, f: dict[str, Any]) -> FormField:
        label = f.get("label") or self.label_for.get(f.get("id", ""), "") or f.get("aria", "")
        return FormField(
            tag=f["tag"], type=f.get("type", ""), name=clip(f.get("name", ""), 100),
            label=clip(label), placeholder=clip(f.get("placeholder", "")),
            value=clip(f.get("value", "")), checked=f.get("checked", False),
            required=f.get("required", False),
        )

    def _form(self, f: dict[str, Any]) -> Form:
        return Form(f["action"], f["method"],
                    tuple(self._field(x) for x in f["fields"][:MAX_FIELDS]), f["region"])


def _prune(value: Any, nodes: list[int], depth: int) -> Any:
    """A bounded copy of parsed JSON-LD: lists and objects cut to JSONLD_MAX_ITEMS entries,
    strings to JSONLD_MAX_STRING characters, nesting to JSONLD_MAX_DEPTH, JSONLD_MAX_NODES values
    in all (``nodes`` is the count left, shared by the whole page)."""
    nodes[0] -= 1
    if isinstance(value, str):
        return value[:JSONLD_MAX_STRING]
    if isinstance(value, dict):
        if depth >= JSONLD_MAX_DEPTH:
            return {}
        out: dict[str, Any] = {}
        for key, item in value.items():
            if nodes[0] <= 0 or len(out) >= JSONLD_MAX_ITEMS:
                break
            out[str(key)[:JSONLD_MAX_STRING]] = _prune(item, nodes, depth + 1)
        return out
    if isinstance(value, list):
        if depth >= JSONLD_MAX_DEPTH:
            return []
        kept: list[Any] = []
        for item in value[:JSONLD_MAX_ITEMS]:
            if nodes[0] <= 0:
                break
            kept.append(_prune(item, nodes, depth + 1))
        return kept
    return value


def _add_prop(item: dict[str, Any], name: str, value: Any) -> None:
    if len(item) >= 60:
        return
    if name in item:
        existing = item[name]
        if isinstance(existing, list):
            if len(existing) < 50:
                existing.append(value)
        else:
            item[name] = [existing, value]
    else:
        item[name] = value


def _prop_value(tag: str, attrs: dict[str, str], absolute: Any) -> str | None:
    """The value of an itemprop element that carries it in an attribute (None: use its text)."""
    if "content" in attrs:
        return clip(attrs["content"], ATTR_CLIP)
    if tag in ("a", "area", "link") and "href" in attrs:
        return absolute(attrs["href"]) or clip(attrs["href"], ATTR_CLIP)
    if tag in ("img", "audio", "video", "source", "iframe", "embed") and "src" in attrs:
        return absolute(attrs["src"]) or ""
    if tag == "time" and "datetime" in attrs:
        return clip(attrs["datetime"], 100)
    if tag in ("data", "meter") and "value" in attrs:
        return clip(attrs["value"], 100)
    if tag in _VOID:
        return ""
    return None


# ------------------------------------------------------------------------------ per-tag starts


def _start_a(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    if "href" not in attrs or frame.tag == "template":
        return
    href = attrs["href"].strip()
    t._open_capture(depth, {
        "kind": "link", "href": href, "region": frame.region,
        "aria": clip(attrs.get("aria-label", "")), "title": clip(attrs.get("title", "")),
        "rel": tuple(sorted({r.lower() for r in attrs.get("rel", "").split()}))[:6],
        "role": attrs.get("role", "").strip().lower()[:30], "alts": [],
    })


def _start_area(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    if "href" in attrs and len(t.links) < MAX_LINKS:
        href = attrs["href"].strip()
        link = Link(t._abs(href), href[:ATTR_CLIP], clip(attrs.get("alt", "")), frame.region,
                    clip(attrs.get("aria-label", "")), clip(attrs.get("title", "")),
                    tuple(sorted({r.lower() for r in attrs.get("rel", "").split()}))[:6])
        if t.spend(link.url, link.href, link.text, link.aria_label, link.title):
            t.links.append(link)


def _start_heading(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    if not frame.skip:
        t._open_capture(depth, {"kind": "heading", "level": int(frame.tag[1]),
                                "region": frame.region, "hidden": frame.hidden})


def _start_title(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    if t.title is None and not any(f.tag == "svg" for f in t.stack):
        t._open_capture(depth, {"kind": "title"})


def _start_html(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    if not t.lang:
        t.lang = attrs.get("lang", attrs.get("xml:lang", "")).strip().lower()[:20]


def _start_base(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    if not t.base_set and attrs.get("href"):
        resolved = t._abs(attrs["href"])
        if resolved:
            t.base = resolved
            t.base_set = True


def _start_meta(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    key = (attrs.get("name") or attrs.get("property") or attrs.get("http-equiv") or
           attrs.get("itemprop") or "").strip().lower()
    if key and "content" in attrs and len(t.meta) < MAX_META:
        content = clip(attrs["content"], ATTR_CLIP)
        if t.spend(content):
            t.meta.append((key[:100], content))
        if key == "robots":
            t.robots = content.lower()


def _start_link(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    rel = {r.lower() for r in attrs.get("rel", "").split()}
    href = attrs.get("href", "")
    if not href:
        return
    if "canonical" in rel and not t.canonical:
        t.canonical = t._abs(href)
    if "alternate" in rel and attrs.get("hreflang") and len(t.hreflang) < 200:
        alternate = t._abs(href)
        if t.spend(alternate):
            t.hreflang.append((attrs["hreflang"].strip().lower()[:20], alternate))
    wanted = {"privacy-policy", "terms-of-service", "about", "license"}
    if rel & wanted and len(t.links) < MAX_LINKS:
        link = Link(t._abs(href), href.strip()[:ATTR_CLIP], "", "header",
                    rel=tuple(sorted(rel))[:6])
        if t.spend(link.url, link.href):
            t.links.append(link)


def _start_img(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    src = attrs.get("src", "").strip()
    if not src or src.startswith("data:"):
        src = (attrs.get("data-src") or attrs.get("data-lazy-src") or attrs.get("data-original")
               or src).strip()
    alt = clip(attrs.get("alt", ""))
    for cap in t.captures:
        if cap.data["kind"] == "link" and alt:
            cap.data["alts"].append(alt)
    if len(t.images) < MAX_IMAGES and frame.tag != "template":
        url = "" if src.startswith("data:") else t._abs(src)
        title = clip(attrs.get("title", ""))
        if t.spend(url, alt, title):
            t.images.append(Image(url, alt, title, frame.region))


def _start_script(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    kind = attrs.get("type", "").strip().lower()
    if kind == "application/ld+json":
        t._open_capture(depth, {"kind": "jsonld"})
        return
    if len(t.scripts) >= MAX_SCRIPTS:
        return
    keep = ("id", "async", "defer", "integrity", "crossorigin", "nonce", "referrerpolicy")
    kept = tuple(sorted((k, clip(v, 200)) for k, v in attrs.items()
                        if k in keep or k.startswith("data-")))[:30]
    src = attrs.get("src", "").strip()
    record: dict[str, Any] = {"src": t._abs(src) if src else "", "type": kind[:60], "attrs": kept}
    if not t.spend(record["src"], *(v for _, v in kept)):
        return
    t.scripts.append(record)
    if not src:
        t._open_capture(depth, {"kind": "script", "record": record})


def _start_iframe(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    src = (attrs.get("src") or attrs.get("data-src") or "").strip()
    if src and len(t.iframes) < MAX_IFRAMES:
        url = t._abs(src)
        if url and t.spend(url):
            t.iframes.append(url)


def _start_form(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    if len(t.forms) >= MAX_FORMS:
        return
    action = attrs.get("action", "").strip()
    form = {"action": t._abs(action) if action else t.base, "method":
            (attrs.get("method", "get").strip().lower() or "get")[:10], "fields": [],
            "region": frame.region}
    t.forms.append(form)
    t.form_stack.append(form)


def _field_record(t: _Target, tag: str, attrs: dict[str, str], frame: _Frame) -> dict[str, Any]:
    record: dict[str, Any] = {
        "tag": tag,
        "type": attrs.get("type", "submit" if tag == "button" else "").strip().lower()[:30],
        "name": attrs.get("name", ""), "placeholder": attrs.get("placeholder", ""),
        "value": attrs.get("value", ""), "checked": "checked" in attrs or "selected" in attrs,
        "required": "required" in attrs or attrs.get("aria-required", "") == "true",
        "id": attrs.get("id", ""), "aria": attrs.get("aria-label", ""), "region": frame.region,
    }
    if not t.spend(*(clip(record[k], 200) for k in ("name", "placeholder", "value", "aria"))):
        return record  # not kept: the page has used up its budget
    if t.form_stack:
        if len(t.form_stack[-1]["fields"]) < MAX_FIELDS:
            t.form_stack[-1]["fields"].append(record)
    elif len(t.loose_fields) < MAX_FIELDS:
        t.loose_fields.append(record)
    if record["id"]:
        t.field_ids.setdefault(record["id"], record)
    for cap in t.captures:
        if cap.data["kind"] == "label" and "field" not in cap.data:
            cap.data["field"] = record
    return record


def _start_input(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    if frame.tag == "template" or any(f.tag == "template" for f in t.stack[-3:]):
        return
    _field_record(t, frame.tag, attrs, frame)


def _start_button(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    record = _field_record(t, "button", attrs, frame)
    t._open_capture(depth, {"kind": "button", "record": record})


def _start_label(t: _Target, attrs: dict[str, str], frame: _Frame, depth: int) -> None:
    data: dict[str, Any] = {"kind": "label", "for": attrs.get("for", "")}
    t._open_capture(depth, data)


_START_HANDLERS = {
    "a": _start_a, "area": _start_area, "h1": _start_heading, "h2": _start_heading,
    "h3": _start_heading, "h4": _start_heading, "h5": _start_heading, "h6": _start_heading,
    "title": _start_title, "html": _start_html, "base": _start_base, "meta": _start_meta,
    "link": _start_link, "img": _start_img, "script": _start_script, "iframe": _start_iframe,
    "form": _start_form, "input": _start_input, "select": _start_input,
    "textarea": _start_input, "button": _start_button, "label": _start_label,
}


# ------------------------------------------------------------------------------ capture ends


def _done_link(t: _Target, cap: _Capture) -> None:
    if len(t.links) >= MAX_LINKS:
        return
    d = cap.data
    href = d["href"]
    link = Link(
        url=t._abs(href), href=href[:ATTR_CLIP], text=clip(cap.text()), region=d["region"],
        aria_label=d["aria"], title=d["title"], rel=d["rel"],
        img_alt=clip(" ".join(d["alts"][:20])), role=d["role"],
    )
    if t.spend(link.url, link.href, link.text, link.aria_label, link.title, link.img_alt):
        t.links.append(link)


def _done_heading(t: _Target, cap: _Capture) -> None:
    text = clip(cap.text())
    if text and not cap.data["hidden"] and len(t.headings) < MAX_HEADINGS:
        t.headings.append(Heading(cap.data["level"], text, cap.data["region"]))


def _done_title(t: _Target, cap: _Capture) -> None:
    if t.title is None:
        t.title = clip(cap.text(), 300)


def _done_jsonld(t: _Target, cap: _Capture) -> None:
    raw = "".join(cap.parts)
    if (len(raw) <= MAX_JSONLD_CHARS and len(t.jsonld_texts) < 50
            and t.jsonld_chars + len(raw) <= MAX_JSONLD_TOTAL):
        t.jsonld_chars += len(raw)
        t.jsonld_texts.append(raw)


def _done_script(t: _Target, cap: _Capture) -> None:
    inline = "".join(cap.parts)[:INLINE_SCRIPT_CHARS]
    if t.spend(inline):
        cap.data["record"]["inline"] = inline


def _done_button(t: _Target, cap: _Capture) -> None:
    record = cap.data["record"]
    text = cap.text()
    if text and not record.get("label"):
        record["label"] = text


def _done_label(t: _Target, cap: _Capture) -> None:
    text = cap.text()
    if not text:
        return
    if cap.data.get("for"):
        t.label_for.setdefault(cap.data["for"], text)
        target = t.field_ids.get(cap.data["for"])
        if target is not None and not target.get("label"):
            target["label"] = text
    if "field" in cap.data and not cap.data["field"].get("label"):
        cap.data["field"]["label"] = text


_CAPTURE_DONE = {
    "link": _done_link, "heading": _done_heading, "title": _done_title, "jsonld": _done_jsonld,
    "script": _done_script, "button": _done_button, "label": _done_label,
}


# ------------------------------------------------------------------------------ entry point


def extract_facts(body: bytes | str, url: str, content_type: str = "text/html", *,
                  encoding: str = "") -> PageFacts:
    """Facts of one HTML page at ``url`` (links are resolved against it, or ``<base href>``).

    Never raises for bad markup: broken HTML is repaired by the parser as browsers do; a body
    the parser rejects outright gives empty facts. Raises :class:`ParseTimeout` only for a page
    whose parse takes more than PARSE_CPU_LIMIT seconds of CPU (a crafted parser bomb).
    """
    # NUL is never page text (browsers drop it) and is our line-break marker (_BR).
    text = decode_html(body, encoding).replace("\x00", "")
    target = _Target(url)
    parser = etree.HTMLParser(target=target, recover=True, no_network=True,
                              remove_comments=True, remove_pis=True, huge_tree=False)
    started = time.thread_time()
    try:
        for start in range(0, len(text), FEED_CHUNK):
            parser.feed(text[start:start + FEED_CHUNK])
            if time.thread_time() - started > PARSE_CPU_LIMIT:
                raise ParseTimeout(f"parsing took more than {PARSE_CPU_LIMIT:g} s of CPU")
        facts: PageFacts = parser.close()
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        facts = target.close()
    return facts
