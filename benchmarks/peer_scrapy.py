"""The peer crawler of the benchmark: a minimal Scrapy CrawlSpider over the same served site.

    python -m benchmarks.peer_scrapy http://127.0.0.1:8080/ --stats stats.json

The spider follows every same-host link with Scrapy's own ``LinkExtractor`` (its default
settings: common binary extensions are skipped, as trustaudit skips them), obeys robots.txt, and
runs with ``CONCURRENT_REQUESTS`` 16 (per domain too: the site is one domain, so Scrapy's per-domain
default of 8 would otherwise cap it) and no delay or auto-throttle. It counts the HTML pages it
parsed and writes Scrapy's own stats as JSON. Scrapy is a benchmark-only dependency (the
``bench`` extra), never a runtime one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule


class SiteSpider(CrawlSpider):
    """Follows every link of the site; counts each HTML page parsed."""

    name = "trustaudit-bench-peer"
    rules = (Rule(LinkExtractor(), callback="parse_page", follow=True),)

    def __init__(self, start: str, **kwargs: Any) -> None:
        self.start_urls = [start]
        self.allowed_domains = [urlsplit(start).hostname or ""]
        super().__init__(**kwargs)
        self.pages = 0

    def parse_start_url(self, response: Response, **kwargs: Any) -> list[Any]:
        return self.parse_page(response)

    def parse_page(self, response: Response) -> list[Any]:
        if response.status == 200 and b"html" in (response.headers.get("Content-Type") or b""):
            self.pages += 1
        return []


def settings(concurrency: int) -> dict[str, Any]:
    return {
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "ROBOTSTXT_OBEY": True,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "DEPTH_LIMIT": 0,
        "USER_AGENT": "trustaudit-benchmark-peer (Scrapy)",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("start")
    parser.add_argument("--stats", type=Path, required=True)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    process = CrawlerProcess(settings=settings(args.concurrency))
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, start=args.start)
    process.start()
    spider = crawler.spider
    stats = {k: v for k, v in (crawler.stats.get_stats() or {}).items()
             if isinstance(v, int | float | str)}
    stats["pages"] = getattr(spider, "pages", 0)
    args.stats.write_text(json.dumps(stats, sort_keys=True, default=str) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
