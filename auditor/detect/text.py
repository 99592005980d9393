"""Text normalisation for multilingual matching: fold case, accents and punctuation once.

``fold("Über uns")`` and ``fold("ueber-uns")`` are not equal, so slugs get their own
transliteration (ä→ae) while page text folds accents away (ä→a); vocabulary files list both forms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote, urlsplit

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe"})
_FILE_EXT = re.compile(r"\.(?:html?|php|aspx?|jsp|cfm|shtml)$", re.I)


def strip_accents(text: str) -> str:
    if text.isascii():
        return text  # NFKD leaves ASCII as it is, and it has no combining marks
    decomposed = unicodedata.normalize("NFKD", text)
    # Look at each distinct character once, not at every character of a long text.
    marks = {ord(ch): None for ch in set(decomposed) if unicodedata.combining(ch)}
    return decomposed.translate(marks) if marks else decomposed


#: Texts up to this length are memoised by :func:`fold`: labels, headings and blocks repeat
#: across pages and checks; a whole page's text does not, and 65536 of them would hold
#: gigabytes on a large site.
FOLD_CACHED_CHARS = 2000


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form: 'Política de Privacidad!' → 'politica de
    privacidad'. Words are separated by single spaces; underscores count as separators."""
    return _fold_cached(text) if len(text) <= FOLD_CACHED_CHARS else _fold(text)


def _fold(text: str) -> str:
    text = _fold_case(text)
    return " ".join(_NON_WORD.sub(" ", text).replace("_", " ").split())


_fold_cached = lru_cache(maxsize=65536)(_fold)


def fold_case(text: str) -> str:
    """Case- and accent-folded text that keeps punctuation, digits and spacing ('’' becomes
    "'"): the first step of :func:`fold`, for patterns that need the punctuation."""
    return _fold_case_cached(text) if len(text) <= FOLD_CACHED_CHARS else _fold_case(text)


def _fold_case(text: str) -> str:
    return strip_accents(text.replace("’", "'").casefold())


_fold_case_cached = lru_cache(maxsize=16384)(_fold_case)


def fold_slug(text: str) -> str:
    """Slug form of a phrase or path segment: 'Datenschutzerklärung' → 'datenschutzerklaerung',
    'refund_policy.html' → 'refund policy'. Tokens separated by single spaces."""
    text = unquote(text).casefold().translate(_TRANSLIT)
    text = _FILE_EXT.sub("", text)
    return fold(text)


def path_segments(url: str) -> tuple[str, ...]:
    """Folded slug segments of a URL path, e.g. '/policies/refund-policy' →
    ('policies', 'refund policy')."""
    path = urlsplit(url).path
    segments = [s for s in (fold_slug(seg) for seg in path.split("/")) if s]
    if segments and segments[-1] in ("index", "default"):
        segments.pop()  # /kontakt/index.html is the page /kontakt/
    return tuple(segments)


def contains_phrase(folded_text: str, folded_phrase: str) -> bool:
    """Whole-word containment on folded text."""
    if not folded_phrase:
        return False
    start = folded_text.find(folded_phrase)
    while start != -1:
        end = start + len(folded_phrase)
        before_ok = start == 0 or folded_text[start - 1] == " "
        after_ok = end == len(folded_text) or folded_text[end] == " "
        if before_ok and after_ok:
            return True
        start = folded_text.find(folded_phrase, start + 1)
    return False


def phrase_regex(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One compiled alternation of folded phrases (longest first), matching whole words."""
    folded = sorted({fold(p) for p in phrases if fold(p)}, key=lambda p: (-len(p), p))
    if not folded:
        return None
    body = "|".join(re.escape(p) for p in folded)
    return re.compile(rf"(?<![^\s])(?:{body})(?![^\s])")


def snippet_around(text: str, start: int, end: int, width: int = 80) -> str:
    """A window of the original text around a match, for evidence."""
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    return prefix + " ".join(text[lo:hi].split()) + suffix
