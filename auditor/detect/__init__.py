"""Site-level detection shared by many checks: page types, contact channels, vendors, site kind.

Each detector is a pure function of the snapshot whose result is memoised in
``SiteSnapshot.cache`` (see :func:`memo`), so twenty checks asking "where is the privacy policy"
cost one search.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from auditor.site import SiteSnapshot

T = TypeVar("T")


def memo(site: SiteSnapshot, key: str, compute: Callable[[], T]) -> T:
    """Compute once per snapshot. Checks run one after another, so no lock is needed."""
    cache: dict[str, Any] = site.cache
    if key not in cache:
        cache[key] = compute()
    return cache[key]  # type: ignore[no-any-return]
