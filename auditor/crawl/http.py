"""URL mode: crawl a live site into a :class:`~auditor.site.SiteSnapshot`.

The order matters for clear errors and for the page limit. robots.txt is read first, then the
start page is fetched on its own, so an unusable target fails with one line naming the host
(DNS, refused, timeout, TLS, blocked by robots.txt, an error status, not HTML). Then the crawl
engine gets one first wave holding the start page's links, the sitemap's URLs and a few probes
of common policy paths; the engine fetches a wave policy-looking URLs first, so a tight
``--max-pages`` still reaches the privacy policy linked from the footer.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from auditor.crawl.engine import Crawl, PriorityFn, Response, Seed, is_html, to_page
from auditor.crawl.fetcher import HttpFetcher
from auditor.crawl.netpolicy import NetPolicy, Resolver, is_private_address, system_resolver
from auditor.crawl.netpolicy import target_is_local as _target_is_local
from auditor.crawl.options import CrawlOptions, ProgressFn
from auditor.crawl.robots import (
    ROBOTS_MAX_BYTES,
    ROBOTS_MAX_REDIRECTS,
    Robots,
    RobotsCache,
    robots_from_response,
    robots_url,
)
from auditor.crawl.sitemap import MAX_SITEMAP_BYTES, collect_sitemaps
from auditor.crawl.throttle import Throttle
from auditor.crawl.urls import normalize_url, same_site, url_path, with_path
from auditor.detect.pagetypes import SOFT_404_PATH
from auditor.errors import TargetError
from auditor.site import Page, SiteSnapshot

#: Common policy paths probed when no link or sitemap entry names them (404s are cheap).
PROBE_PATHS = (
    "/privacy", "/privacy-policy", "/policies/privacy-policy", "/policies/refund-policy",
    "/policies/shipping-policy", "/policies/terms-of-service", "/datenschutz", "/impressum",
    "/imprint", "/agb", "/terms", "/returns", "/contact", "/about",
)
MAX_PROBES = 15
SECURITY_TXT_PATH = "/.well-known/security.txt"
SITEMAP_URLS_PER_PAGE = 5  # sitemap seeds read: at most 5 x max_pages


def parse_target(target: str) -> str:
    """The normalised start URL; ``shop.example`` means ``https://shop.example/``."""
    text = target.strip()
    candidate = text if "://" in text else f"https://{text}"
    url = normalize_url(candidate) if text else ""
    if not url or not urlsplit(url).hostname:
        raise TargetError(f"not a valid http(s) URL: {target}")
    return url


def describe_failure(error: str, url: str, timeout: float) -> str:
    """One line for a fetch failure of the start page or robots.txt, naming the host."""
    parts = urlsplit(url)
    host = parts.hostname or url
    if error.startswith("dns:"):
        return f"cannot resolve host {host} (DNS lookup failed)"
    if error == "connection refused":
        return f"cannot connect to {parts.netloc}: connection refused"
    if error == "timeout":
        return f"{parts.netloc} did not answer within {timeout:g} s (timeout)"
    if error.startswith("tls:"):
        return f"TLS error with {host}: {error[4:].strip()}"
    if error.startswith("refused:"):
        return f"{host}: {error}"
    return f"cannot fetch {url}: {error}"


class _Primed:
    """The HTTP fetcher with some responses already in hand (the start page, fetched first)."""

    def __init__(self, fetcher: HttpFetcher, primed: dict[str, Response]) -> None:
        self.fetcher = fetcher
        self._primed = dict(primed)

    def fetch(self, url: str, *, want_body: bool) -> Response:
        response = self._primed.pop(url, None)
        return response if response is not None else self.fetcher.fetch(url, want_body=want_body)

    def allowed(self, url: str) -> bool:
        return self.fetcher.allowed(url)


def _check_start(response: Response, url: str, options: CrawlOptions) -> None:
    """Raise TargetError when the start page cannot be audited."""
    if response.error:
        if 300 <= response.status < 400 or response.error.startswith(("redirect", "too many")):
            raise TargetError(f"the start page {url} cannot be followed: {response.error}")
        raise TargetError(describe_failure(response.error, response.final_url or url,
                                           options.timeout))
    if response.status >= 400 or response.status < 200:
        raise TargetError(f"the start page {url} answered HTTP {response.status}")
    if 300 <= response.status < 400:
        raise TargetError(f"the start page {url} answered HTTP {response.status} without a "
                          "usable Location")
    if not is_html(response.content_type):
        raise TargetError(f"the start page {url} is not HTML ({response.content_type})")


def _start_seeds(page: Page, final: str) -> list[Seed]:
    """The start page's links as depth-1 seeds (with the first anchor text seen for each)."""
    seeds: dict[str, Seed] = {}
    if page.facts is None:
        return []
    for link in page.facts.links:
        if not link.url or link.href.lstrip().startswith("#") or link.url == final:
            continue
        if link.url not in seeds:
            anchor = link.text or link.aria_label or link.title
            seeds[link.url] = Seed(link.url, "link", 1, anchor)
    return list(seeds.values())


def crawl_url(
    target: str,
    options: CrawlOptions,
    progress: ProgressFn | None = None,
    priority: PriorityFn | None = None,
    *,
    resolver: Resolver | None = None,
    classify: Callable[[str], bool] | None = None,
    backoff: float | None = None,
    verify: str | bool | None = None,
) -> SiteSnapshot:
    """Crawl the site at ``target`` (a URL; ``shop.example`` means https).

    ``resolver`` and ``classify`` replace DNS and the private-address test (tests map names to
    127.0.0.1); ``backoff`` is the first retry delay; ``verify`` a CA bundle path or False.
    """
    start_url = parse_target(target)
    resolve = resolver or system_resolver
    is_private = classify or is_private_address
    host = urlsplit(start_url).hostname or ""
    local = _target_is_local(host, resolve, is_private)
    policy = NetPolicy(allow_private=options.allow_private or local, resolver=resolve,
                       classify=is_private)
    throttle = Throttle(options.delay, local=local)
    kwargs = {} if backoff is None else {"backoff": backoff}
    fetcher = HttpFetcher(options, site_url=start_url, policy=policy, throttle=throttle,
                          verify=verify, **kwargs)  # type: ignore[arg-type]
    try:
        return _crawl(fetcher, throttle, start_url, options, progress, priority)
    finally:
        fetcher.close()


def _crawl(fetcher: HttpFetcher, throttle: Throttle, start_url: str, options: CrawlOptions,
           progress: ProgressFn | None, priority: PriorityFn | None) -> SiteSnapshot:
    def load_robots(url: str) -> Robots:
        response = fetcher.get(robots_url(url), any_type=True, max_bytes=ROBOTS_MAX_BYTES,
                               max_redirects=ROBOTS_MAX_REDIRECTS, check_robots=False)
        robots = robots_from_response(response, options.user_agent)
        throttle.set_crawl_delay(urlsplit(url).netloc, robots.crawl_delay)
        return robots

    cache = RobotsCache(load_robots)
    robots = cache.for_url(start_url)
    if options.respect_robots and robots.info.disallow_all and robots.info.status == 0:
        # robots.txt got no answer at all: the start page will not either; say why.
        raise TargetError(describe_failure(robots.info.error, robots.info.url, options.timeout))
    if options.respect_robots:
        if robots.info.disallow_all:
            raise TargetError(
                f"robots.txt of {urlsplit(start_url).netloc} answered HTTP {robots.info.status}: "
                "per RFC 9309 the whole site counts as disallowed until it answers")
        fetcher.robots_allowed = cache.allowed
        if not cache.allowed(start_url):
            raise TargetError(f"the start page {start_url} is blocked by robots.txt "
                              f"({robots.info.url})")

    response = fetcher.get(start_url, want_body=True)
    _check_start(response, start_url, options)
    final = response.final_url or start_url
    start_page = to_page(response, 0, "start")

    def in_scope(url: str) -> bool:
        return same_site(url, start_url) or same_site(url, final)

    seeds = [Seed(start_url, "start", 0)]
    limits: set[str] = set()
    first: set[str] = set()
    if options.max_depth >= 1:
        link_seeds = _start_seeds(start_page, final)
        sitemap_urls: tuple[str, ...] = ()
        try:
            sitemap_urls = _sitemap_urls(fetcher, robots, final, in_scope, options)
        except KeyboardInterrupt:
            limits.add("interrupted")
        seeds += link_seeds
        seeds += [Seed(u, "sitemap", 1) for u in sitemap_urls if u != final]
        if options.probes:
            known = {url_path(s.url) for s in seeds if in_scope(s.url)}
            probes = [p for p in PROBE_PATHS if p not in known][: MAX_PROBES - 1]
            probes.append(SECURITY_TXT_PATH)
            seeds += [Seed(with_path(final, p), "probe", 1) for p in probes]
            soft_404 = with_path(final, SOFT_404_PATH)
            seeds.append(Seed(soft_404, "probe", 1))
            first = {soft_404, with_path(final, SECURITY_TXT_PATH)}

    base_priority: PriorityFn = priority or (lambda url, text: 10)

    def ranked(url: str, text: str) -> int:
        # The soft-404 and security.txt probes are cheap and needed by checks: fetch them first.
        return -1 if url in first else base_priority(url, text)

    if "interrupted" in limits:
        pages = [start_page]
        blocked: set[str] = set()
        out_of_scope: set[str] = set()
    else:
        crawl = Crawl(_Primed(fetcher, {start_url: response}), options, in_scope=in_scope,
                      priority=ranked, progress=progress)
        result = crawl.run(seeds)
        pages, blocked, out_of_scope = result.pages, result.robots_blocked, result.out_of_scope
        limits |= result.limits_hit
    return SiteSnapshot(
        mode="url",
        target=start_url,
        start_url=start_url,
        pages=tuple(sorted(pages, key=lambda p: p.url)),
        robots=robots.info,
        robots_blocked=tuple(sorted(blocked)),
        limits_hit=tuple(sorted(limits)),
        out_of_scope=len(out_of_scope),
    )


def _sitemap_urls(fetcher: HttpFetcher, robots: Robots, final: str,
                  in_scope: Callable[[str], bool], options: CrawlOptions) -> tuple[str, ...]:
    starts = [s for s in robots.info.sitemaps if in_scope(s)]
    starts.append(with_path(final, "/sitemap.xml"))

    def get(url: str) -> Response:
        return fetcher.get(url, any_type=True, max_bytes=MAX_SITEMAP_BYTES, check_robots=False)

    found = collect_sitemaps(get, starts, in_scope,
                             max_urls=SITEMAP_URLS_PER_PAGE * options.max_pages)
    return found.urls
