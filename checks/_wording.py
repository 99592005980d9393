"""The contact and policies families' multilingual wording (``checks/commerce.toml``), compiled.

Regex lists in the data file are joined into one alternation per key and matched on text folded
by :func:`folded` (case and accents folded, punctuation and digits kept), so "Rücksendung: 14
Tage" and "rucksendung: 14 tage" read alike while "9:00–17:00" keeps its colon and dash.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from auditor.detect.text import fold_case


@cache
def commerce_data() -> dict[str, Any]:
    text = resources.files("checks").joinpath("commerce.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def wording(section: str, key: str) -> re.Pattern[str]:
    """One compiled alternation of the regex list ``[section] key`` (or a single regex)."""
    value = commerce_data()[section][key]
    if isinstance(value, str):
        return re.compile(value)
    return re.compile("|".join(f"(?:{item})" for item in value))


#: Case- and accent-folded text that keeps punctuation, digits and spacing (memoised for short
#: texts): the checks' name for :func:`auditor.detect.text.fold_case`.
folded = fold_case


def window(text: str, start: int, end: int, width: int = 50) -> str:
    """The original text around a match, whitespace collapsed, for evidence snippets."""
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    return ("…" if lo else "") + " ".join(text[lo:hi].split()) + ("…" if hi < len(text) else "")
