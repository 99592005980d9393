"""Multilingual vocabulary (``checks/vocab/<lang>.toml``), merged across languages.

Detection applies every language at once (signals.md §2.3): many EU sites mix English slugs with
local link text. Each page type has ``phrases`` (link texts and headings), ``exact`` (words that
count only as the whole link text, like "Help"), ``slugs`` (URL path forms) and ``confirm``
(body words that show a fetched page really is that type). ``[traps]`` lists phrases that contain
a page-type word but are something else ("Return to top", "Cookie settings").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from auditor.detect.text import fold, fold_slug, phrase_regex

RESERVED = {"language", "traps"}


@dataclass(frozen=True, slots=True)
class PageTypeVocab:
    name: str
    phrases: frozenset[str]  # folded
    exact: frozenset[str]  # folded; whole link text only
    slugs: frozenset[str]  # fold_slug form ("refund policy")
    confirm: frozenset[str]  # folded
    phrase_re: re.Pattern[str] | None
    confirm_re: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class Vocabulary:
    languages: tuple[str, ...]
    types: dict[str, PageTypeVocab]
    traps: frozenset[str]
    trap_re: re.Pattern[str] | None

    def __getitem__(self, name: str) -> PageTypeVocab:
        return self.types[name]


def _read_files() -> dict[str, dict[str, object]]:
    root = resources.files("checks").joinpath("vocab")
    data: dict[str, dict[str, object]] = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data[entry.name[:-5]] = tomllib.loads(entry.read_text("utf-8"))
    return data


@cache
def load_vocabulary() -> Vocabulary:
    files = _read_files()
    merged: dict[str, dict[str, set[str]]] = {}
    traps: set[str] = set()
    for doc in files.values():
        for section, body in doc.items():
            if not isinstance(body, dict):
                continue
            if section == "traps":
                traps.update(fold(p) for p in body.get("phrases", []))
                continue
            slot = merged.setdefault(
                section, {"phrases": set(), "exact": set(), "slugs": set(), "confirm": set()}
            )
            slot["phrases"].update(fold(p) for p in body.get("phrases", []))
            slot["exact"].update(fold(p) for p in body.get("exact", []))
            slot["slugs"].update(fold_slug(s) for s in body.get("slugs", []))
            slot["confirm"].update(fold(p) for p in body.get("confirm", []))
    types = {}
    for name, slot in sorted(merged.items()):
        phrases = frozenset(p for p in slot["phrases"] if p)
        confirm = frozenset(p for p in slot["confirm"] if p)
        types[name] = PageTypeVocab(
            name=name,
            phrases=phrases,
            exact=frozenset(p for p in slot["exact"] if p),
            slugs=frozenset(s for s in slot["slugs"] if s),
            confirm=confirm,
            phrase_re=phrase_regex(phrases),
            confirm_re=phrase_regex(confirm),
        )
    trap_set = frozenset(t for t in traps if t)
    return Vocabulary(tuple(sorted(files)), types, trap_set, phrase_regex(trap_set))
