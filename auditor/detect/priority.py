"""Crawl priority: policy-looking links first, so a page limit never hides the privacy policy."""

from __future__ import annotations

from functools import lru_cache

from auditor.detect.text import fold, path_segments
from auditor.detect.vocab import load_vocabulary

FIRST = ("privacy", "terms", "returns", "shipping", "imprint", "contact", "about", "cookies", "faq")
SECOND = ("reviews", "testimonials", "certifications", "payment", "complaints", "accessibility")


CACHED_KEY_CHARS = 512  # longer URLs and texts are not memoised (a hostile page's are huge)


def policy_priority(url: str, anchor_text: str) -> int:
    """0 for legal/contact pages, 5 for other trust pages, 10 for everything else."""
    if len(url) + len(anchor_text) > CACHED_KEY_CHARS:
        return _priority(url, anchor_text)
    return _cached_priority(url, anchor_text)


def _priority(url: str, anchor_text: str) -> int:
    vocab = load_vocabulary()
    text = fold(anchor_text)
    segments = path_segments(url)
    for rank, names in ((0, FIRST), (5, SECOND)):
        for name in names:
            vt = vocab.types.get(name)
            if vt is None:
                continue
            if text and (text in vt.phrases or text in vt.exact):
                return rank
            if segments and segments[-1] in vt.slugs:
                return rank
    return 10


_cached_priority = lru_cache(maxsize=65536)(_priority)
