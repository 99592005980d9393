"""Detectors that many checks read, computed before the checks are split across processes.

Each is memoised per snapshot (:func:`auditor.detect.memo`), so computing it here changes no
answer; it only means that when :mod:`auditor.runner` forks a second process for the checks,
both find it done instead of each computing it again (about a quarter of the checks' time on
the benchmark's 2,000-page site: docs/benchmarks.md).
"""

from __future__ import annotations

from auditor.site import SiteSnapshot


def warm_shared_detectors(site: SiteSnapshot) -> None:
    """Page types, contact channels, vendors, structured data and languages, once each."""
    from auditor.detect.contacts import site_channels
    from auditor.detect.language import main_language
    from auditor.detect.pagetypes import find_page_type
    from auditor.detect.structured import structured_nodes
    from auditor.detect.vendors import vendor_hits
    from auditor.detect.vocab import load_vocabulary

    for name in sorted(load_vocabulary().types):
        find_page_type(site, name)
    site_channels(site)
    vendor_hits(site)
    structured_nodes(site)
    main_language(site)
