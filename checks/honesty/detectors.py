"""Text detectors for dark-pattern wording: text in, matches out (``checks/darkpatterns.toml``).

The honesty checks run these functions on the visible text of every audited page, and
``python -m benchmarks.darkpatterns`` runs the very same functions on a labelled sample, so the
measured precision is the precision of the checks. The loader is generic: other families with
multilingual regex lists (placeholder text) keep their own data file in the same format.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

DARK_PATTERNS_FILE = "darkpatterns.toml"
#: The text detectors of darkpatterns.toml, in report order.
TEXT_CATEGORIES = ("low-stock", "urgency", "activity", "confirmshaming", "fees")
_DEF_RE = re.compile(r"\{([a-z_]+)\}")
_ASCII_PUNCT = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u00b4": "'", "\u0060": "'", "\u02bc": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2212": "-", "\u00a0": " ",
})


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """The form patterns are written for: quotes and dashes made ASCII, NFKC, case-folded,
    accents stripped, whitespace collapsed ("Plus que 3 en stock – vite !" →
    "plus que 3 en stock - vite !")."""
    if text.isascii():
        return " ".join(text.lower().split())
    text = unicodedata.normalize("NFKC", text.translate(_ASCII_PUNCT)).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():
        decomposed = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(decomposed.split())


@dataclass(frozen=True, slots=True)
class Rule:
    """One regex of a detector, named for evidence (``low-stock/de#2``)."""

    category: str
    lang: str
    index: int
    regex: re.Pattern[str]
    short: bool = False
    # Words of which every match starts with one (see _triggers); None: no such set is known.
    triggers: frozenset[str] | None = None

    @property
    def id(self) -> str:
        return f"{self.category}/{self.lang}{'-short' if self.short else ''}#{self.index}"


@dataclass(frozen=True, slots=True)
class Match:
    """A detector hit: which rule, and the words it matched (normalised)."""

    category: str
    lang: str
    rule: str
    matched: str


@dataclass(frozen=True, slots=True)
class Detector:
    """The rules of one category with its length limits, vetoes and (optional) openers."""

    category: str
    max_chars: int
    short_chars: int
    rules: tuple[Rule, ...]
    excludes: tuple[Rule, ...] = ()
    openers: tuple[Rule, ...] = ()
    # Rules by trigger word, and the rules without triggers (always tried): most page texts
    # contain no trigger word, and a set intersection rules them out without any regex.
    by_trigger: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False)
    untriggered: tuple[int, ...] = field(default=(), compare=False)

    def candidates(self, norm: str) -> list[Rule]:
        """The rules that can match a normalised text, in file order."""
        words = _words(norm)
        indexes = set(self.untriggered)
        for word in words & self.by_trigger.keys():
            indexes.update(self.by_trigger[word])
        return [self.rules[i] for i in sorted(indexes)]

    def find(self, text: str) -> tuple[Match, ...]:
        """Every rule that matches ``text`` (empty when the text is too long, lacks a required
        opener, or matches a veto)."""
        if not text or len(text) > 2 * self.max_chars:
            return ()  # normalising never more than halves a text's length
        norm = normalize(text)
        if not norm or len(norm) > self.max_chars:
            return ()
        if self.openers and not any(o.regex.search(norm) for o in self.openers):
            return ()
        found = []
        for rule in self.candidates(norm):
            if rule.short and len(norm) > self.short_chars:
                continue
            if (m := rule.regex.search(norm)) is not None:
                found.append(Match(self.category, rule.lang, rule.id, m.group(0).strip()))
        if found and any(x.regex.search(norm) for x in self.excludes):
            return ()
        return tuple(found)


def _expand(pattern: str, defs: dict[str, str], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in defs:
            raise ValueError(f"{where}: unknown fragment {{{m.group(1)}}}")
        return defs[m.group(1)]

    return _DEF_RE.sub(sub, pattern)


def _group_end(pattern: str, start: int) -> int:
    """Index just after the group that opens at ``start`` (escapes and classes skipped)."""
    depth, i = 0, start
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i += 2 if pattern.startswith("[^]", i) or pattern.startswith("[]", i) else 1
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(pattern)


_WORD = re.compile(r"[a-z0-9]+")
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
DIGIT = "#digit"  # the trigger of rules that start with a digit
PREFIX = "^"  # "^vend": a word starting with "vend" ("vendidos", "vendu")
PREFIX_LEN = 4


_ANY_DIGIT = re.compile(r"\d")


# A word set weighs about 2 KB: 8192 of them keep every page's repeated texts (header, footer)
# and a small site's whole text without holding 100+ MB on a site of thousands of pages.
@lru_cache(maxsize=8192)
def _words(norm: str) -> frozenset[str]:
    """The words of a normalised text (split on anything but a-z and 0-9), plus DIGIT when
    the text has a digit."""
    words = set(_WORD.findall(norm))
    words |= {PREFIX + w[:PREFIX_LEN] for w in words if len(w) >= PREFIX_LEN}
    if _ANY_DIGIT.search(norm):
        words.add(DIGIT)
    return frozenset(words)


def _strip_prefix(pattern: str) -> str:
    """The pattern without what may or must match nothing at its start: ``\\b``, ``^``,
    look-arounds, optional groups, ``\\W*`` / ``\\s{0,n}``."""
    i = 0
    while i < len(pattern):
        if pattern.startswith("\\b", i):
            i += 2
        elif pattern[i] == "^":
            i += 1
        elif pattern.startswith(("(?<=", "(?<!", "(?=", "(?!"), i):
            i = _group_end(pattern, i)
        elif pattern[i] == "(" and not pattern.startswith("(?P", i):
            end = _group_end(pattern, i)
            if end < len(pattern) and pattern[end] in "?*":
                i = end + 1 + (end + 1 < len(pattern) and pattern[end + 1] == "?")
            else:
                break
        elif pattern.startswith(("\\W", "\\s"), i) and i + 2 < len(pattern) and (
                pattern[i + 2] in "*?" or pattern.startswith("{0,", i + 2)):
            i = pattern.index("}", i + 2) + 1 if pattern[i + 2] == "{" else i + 3
        else:
            break
    return pattern[i:]


def _alternatives(group: str) -> list[str]:
    """Top-level alternatives of a group's body ("(?:a|b(c|d))" → ["a", "b(c|d)"])."""
    body = group[3:-1] if group.startswith("(?:") else group[1:-1]
    parts, depth, start, i = [], 0, 0, 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _group_end_class(body, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    parts.append(body[start:])
    return parts


def _group_end_class(pattern: str, start: int) -> int:
    i = start + (2 if pattern.startswith(("[^]", "[]"), start) else 1)
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


_NUMBER = re.compile(r"^\\d(?:\[\\d[^\]]*\][*+]|\{\d+(?:,\d*)?\}|[*+])?(?:\\\+\?)?")


def _triggers(pattern: str, bounded: bool = False) -> frozenset[str] | None:
    """Words of which every match of ``pattern`` contains one, as the text splits into words
    on anything but a-z and 0-9; None when that cannot be read off the pattern (then the rule
    is always tried). ``bounded``: the pattern can only start at a word boundary.

    "\\bnur noch \\d+" → {"nur"}; "\\b(?:sale|offer) ends" → {"sale", "offer"};
    "\\b\\d+ people" → {"people"}; "\\d+ ?left" → {DIGIT}; "\\bpromo(?:tion)? ends" →
    {"promo", "promotion"}; "selling" without a boundary → None (it may end "upselling")."""
    rest = _strip_prefix(pattern)
    dropped = pattern[:len(pattern) - len(rest)]
    bounded = bounded or "\\b" in dropped or "^" in dropped or "\\w" in dropped
    if not rest:
        return None
    if rest.startswith("\\d"):
        number = _NUMBER.match(rest)
        after = rest[number.end():] if number else ""
        if after.startswith(" "):  # "3 people": the word after the number is required too
            following = _triggers(after[1:], bounded=True)
            if following is not None:
                return following
        return frozenset({DIGIT})
    if rest.startswith("(") and not rest.startswith(("(?<", "(?=", "(?!", "(?P")):
        end = _group_end(rest, 0)
        if end < len(rest) and rest[end] in "?*+{":
            return None
        words: set[str] = set()
        for alt in _alternatives(rest[:end]):
            sub = _triggers(alt + rest[end:], bounded) if alt else None
            if sub is None:
                return None
            words |= sub
        return frozenset(words)
    i = 0
    while i < len(rest) and rest[i] in _PLAIN:
        i += 1
    if i == 0 or not bounded:
        return None
    # Whatever follows, the word starts with these letters: a prefix trigger is always safe.
    stem = frozenset({PREFIX + rest[:PREFIX_LEN]}) if i > PREFIX_LEN or (
        i == PREFIX_LEN and rest[i:i + 1] not in ("?", "*", "{")) else None
    forms = {rest[:i]}
    after = rest[i:]
    if after.startswith("?") and not after.startswith("?" + "?"):
        forms.add(rest[:i - 1])  # "ends?": "end" or "ends"
        after = after[1:]
    elif after.startswith("(?:"):
        end = _group_end(after, 0)
        alts = _alternatives(after[:end])
        if not all(a and set(a) <= _PLAIN for a in alts):
            return stem
        optional = after[end:end + 1] == "?"
        forms = {f + a for f in forms for a in alts} | (forms if optional else set())
        after = after[end + optional:]
    if after[:1] in ("?", "*", "+", "{") or not _separated(after):
        return stem  # the word goes on: only its first letters are known
    return frozenset(f for f in forms if f) or None


def _separated(after: str) -> bool:
    """Whether what follows a literal run in a pattern can only match a word separator."""
    if not after or after[0] in " '-$" or after.startswith(("\\b", "\\s", "\\W", "\\.")):
        return True
    if after.startswith("["):
        klass = after[:_group_end_class(after, 0)]
        return not (set(klass) & _PLAIN or "\\w" in klass or "\\d" in klass)
    return False


def _rules(category: str, table: Any, defs: dict[str, str], *, short: bool = False
           ) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for lang in sorted(table or {}):
        for index, raw in enumerate(table[lang]):
            where = f"{category}/{lang}#{index}"
            pattern = _expand(raw, defs, where)
            try:
                regex = re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{where}: {exc}") from exc
            rules.append(Rule(category, lang, index, regex, short, _triggers(pattern)))
    return tuple(rules)


def parse_detectors(data: dict[str, Any]) -> dict[str, Detector]:
    """Detectors from a parsed pattern file (see the header of darkpatterns.toml)."""
    defs = {k: str(v) for k, v in data.get("defs", {}).items()}
    for name, value in list(defs.items()):
        defs[name] = _expand(value, defs, f"defs.{name}")
    detectors: dict[str, Detector] = {}
    for category, body in data.items():
        if not isinstance(body, dict) or "patterns" not in body:
            continue  # [defs] and plain data tables ([vendors], [cart-pages] ...)
        rules = _rules(category, body.get("patterns"), defs)
        rules += _rules(category, body.get("short"), defs, short=True)
        by_trigger: dict[str, list[int]] = {}
        for index, rule in enumerate(rules):
            for word in rule.triggers or ():
                by_trigger.setdefault(word, []).append(index)
        detectors[category] = Detector(
            category=category,
            max_chars=int(body.get("max_chars", 300)),
            short_chars=int(body.get("short_chars", 60)),
            rules=rules,
            excludes=_rules(category, body.get("exclude"), defs),
            openers=_rules(category, body.get("openers"), defs),
            by_trigger={w: tuple(ix) for w, ix in by_trigger.items()},
            untriggered=tuple(i for i, r in enumerate(rules) if r.triggers is None),
        )
    return detectors


@cache
def load_file(filename: str) -> dict[str, Any]:
    """A TOML data file of the ``checks`` package, parsed once."""
    return tomllib.loads(resources.files("checks").joinpath(filename).read_text("utf-8"))


@cache
def load_detectors(filename: str = DARK_PATTERNS_FILE) -> dict[str, Detector]:
    return parse_detectors(load_file(filename))


@lru_cache(maxsize=32768)
def find(category: str, text: str) -> tuple[Match, ...]:
    """Dark-pattern matches of one category in one text (a visible block, a link text ...).
    Cached: headers, footers and product tiles repeat the same texts on many pages."""
    return load_detectors()[category].find(text)


def find_all(text: str) -> dict[str, tuple[Match, ...]]:
    """Matches of every text category that fires on ``text``."""
    out = {}
    for category in TEXT_CATEGORIES:
        if found := find(category, text):
            out[category] = found
    return out


def activity_vendor_ids() -> frozenset[str]:
    """Vendors (checks/vendors.toml ids) whose script alone is an activity notification."""
    return frozenset(load_file(DARK_PATTERNS_FILE).get("vendors", {}).get("activity", ()))
