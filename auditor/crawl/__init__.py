"""Crawling: turn a URL or a build folder into a :class:`~auditor.site.SiteSnapshot`.

``crawl_url`` fetches over HTTP (robots.txt, sitemap, probes, politeness, scope); ``crawl_folder``
reads files directly. Both call :func:`auditor.extract.extract_facts` once per HTML page and keep
only the facts.
"""

from auditor.crawl.options import CrawlOptions, CrawlProgress, ProgressFn

__all__ = ["CrawlOptions", "CrawlProgress", "ProgressFn"]
