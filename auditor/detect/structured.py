"""Every schema.org node (JSON-LD and microdata) of the audited pages, walked once.

A dozen checks look for something in structured data (opening hours, ratings, offers, return
policies ...). They all need the same walk over pages, both sources and nested objects; doing it
here once keeps them short and the walk's bounds in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from auditor.detect import memo
from auditor.detect.contacts import types_of, walk_json
from auditor.site import Page, SiteSnapshot


@dataclass(frozen=True, slots=True, eq=False)
class Node:
    """One object inside a page's structured data."""

    page: Page
    source: str  # "jsonld" or "microdata"
    item: int  # index of the top-level item it belongs to (per page and source)
    node: dict[str, Any]
    top: bool  # the node is the top-level item itself

    @property
    def types(self) -> set[str]:
        return types_of(self.node)


def structured_nodes(site: SiteSnapshot) -> tuple[Node, ...]:
    """All nodes, in page order, JSON-LD before microdata, depth-first (memoised)."""

    def build() -> tuple[Node, ...]:
        return tuple(_walk(site))

    return memo(site, "structured-nodes", build)


def _walk(site: SiteSnapshot) -> Iterator[Node]:
    for page in site.html_pages:
        assert page.facts is not None
        for source, items in (("jsonld", page.facts.jsonld), ("microdata", page.facts.microdata)):
            for index, item in enumerate(items):
                for node in walk_json(item):
                    yield Node(page, source, index, node, node is item)
