"""URL mode: crawl a live site into a :class:`~auditor.site.SiteSnapshot`.

The order matters for clear errors and for the page limit. robots.txt is read first, then the
start page is fetched on its own, so an unusable target fails with one line naming the host
(DNS, refused, timeout, TLS, blocked by robots.txt, an error status, not HTML). Then the crawl
engine gets one first wave holding the start page's links, the sitemap's URLs and a few probes
of common policy paths; the engine fetches a wave policy-looking URLs first, so a tight
``--max-pages`` still reaches the privacy policy linked from the footer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit, urlunsplit

from auditor.crawl.engine import Crawl, PriorityFn, Response, Seed, is_html, to_page
from auditor.crawl.fetcher import REDIRECT_CODES, HttpFetcher
from auditor.crawl.netpolicy import NetPolicy, Resolver, is_private_address, system_resolver
from auditor.crawl.netpolicy import target_is_local as _target_is_local
from auditor.crawl.options import CrawlOptions, ProgressFn
from auditor.crawl.parsing import PageParser
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
from auditor.site import Page, SiteSnapshot, audit_date

#: Common policy paths probed when no link or sitemap entry names them (404s are cheap).
PROBE_PATHS = (
    "/privacy", "/privacy-policy", "/policies/privacy-policy", "/policies/refund-policy",
    "/policies/shipping-policy", "/policies/terms-of-service", "/datenschutz", "/impressum",
    "/imprint", "/agb", "/terms", "/returns", "/contact", "/about",
)
MAX_PROBES = 15
SECURITY_TXT_PATH = "/.well-known/security.txt"
LEGACY_SECURITY_TXT_PATH = "/security.txt"  # RFC 9116 §3: allowed for legacy compatibility
SECURITY_TXT_MAX_BYTES = 32 * 1024
HTTP_PROBE_MAX_HOPS = 5  # redirects of the http:// variant followed one probe at a time
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
    http_port: int | None = None,
) -> SiteSnapshot:
    """Crawl the site at ``target`` (a URL; ``shop.example`` means https).

    ``resolver`` and ``classify`` replace DNS and the private-address test (tests map names to
    127.0.0.1); ``backoff`` is the first retry delay; ``verify`` a CA bundle path or False;
    ``http_port`` the port of the http:// variant probe (tests serve it beside the HTTPS port;
    by default port 80, and no probe when the start URL names another port).
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
        return _crawl(fetcher, throttle, start_url, options, progress, priority, http_port)
    finally:
        fetcher.close()


def _crawl(fetcher: HttpFetcher, throttle: Throttle, start_url: str, options: CrawlOptions,
           progress: ProgressFn | None, priority: PriorityFn | None,
           http_port: int | None = None) -> SiteSnapshot:
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
    primed: dict[str, Response] = {start_url: response}
    texts: list[tuple[str, str]] = []
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
            seeds += [Seed(with_path(final, p), "probe", 1) for p in probes]
            soft_404 = with_path(final, SOFT_404_PATH)
            seeds.append(Seed(soft_404, "probe", 1))
            first = {soft_404}
            found_txt: list[tuple[str, Response]] = []
            try:
                if "interrupted" not in limits:
                    found_txt = _security_txt(fetcher, final, options)
            except KeyboardInterrupt:
                limits.add("interrupted")
            for url, found in found_txt:
                seeds.append(Seed(url, "probe", 1))
                first.add(url)
                primed[url] = dataclasses.replace(found, body=b"")  # never parsed as a page
                text = _text_of(found)
                if text is not None:
                    texts.append((url, text))

    base_priority: PriorityFn = priority or (lambda url, text: 10)

    def ranked(url: str, text: str) -> int:
        # The soft-404 and security.txt probes are cheap and needed by checks: fetch them first.
        return -1 if url in first else base_priority(url, text)

    if "interrupted" in limits:
        pages = [start_page]
        blocked: set[str] = set()
        out_of_scope: set[str] = set()
    else:
        with PageParser(options.parse_processes) as parse:
            crawl = Crawl(_Primed(fetcher, primed), options, in_scope=in_scope,
                          priority=ranked, progress=progress, extract=parse)
            result = crawl.run(seeds)
        pages, blocked, out_of_scope = result.pages, result.robots_blocked, result.out_of_scope
        limits |= result.limits_hit
        if options.probes and options.max_depth >= 1 and "interrupted" not in limits:
            try:
                pages = pages + _probe_http(fetcher, start_url, {p.url for p in pages},
                                            http_port)
            except KeyboardInterrupt:
                limits.add("interrupted")
    return SiteSnapshot(
        date=audit_date(),
        mode="url",
        target=start_url,
        start_url=start_url,
        pages=tuple(sorted(pages, key=lambda p: p.url)),
        robots=robots.info,
        robots_blocked=tuple(sorted(blocked)),
        limits_hit=tuple(sorted(limits)),
        out_of_scope=len(out_of_scope),
        texts=tuple(sorted(texts)),
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


def _security_txt(fetcher: HttpFetcher, final: str,
                  options: CrawlOptions) -> list[tuple[str, Response]]:
    """RFC 9116's security.txt: the /.well-known/ file, and the legacy top-level file when the
    first is not a text/plain answer. Bodies are kept (32 KiB at most) for the check to parse;
    the crawl engine gets each response back primed, with the body dropped so a file served
    without a Content-Type is never parsed as a page."""
    found: list[tuple[str, Response]] = []
    for path in (SECURITY_TXT_PATH, LEGACY_SECURITY_TXT_PATH):
        url = with_path(final, path)
        if options.respect_robots and not fetcher.allowed(url):
            continue  # the engine records it as blocked by robots.txt
        response = fetcher.get(url, any_type=True, max_bytes=SECURITY_TXT_MAX_BYTES)
        found.append((url, response))
        if _text_of(response) is not None and response.content_type == "text/plain":
            break
    return found


def _text_of(response: Response) -> str | None:
    """The decoded body of a 2xx answer (security.txt is UTF-8 by RFC 9116), else None."""
    if response.error or not 200 <= response.status < 300:
        return None
    return response.body.decode("utf-8", errors="replace")


def http_variant(start_url: str, http_port: int | None = None) -> str:
    """The http:// URL a visitor typing the bare domain reaches first, or "" when there is none
    to probe (the start URL is already http://, or names a port other than 443)."""
    parts = urlsplit(start_url)
    host = parts.hostname or ""
    if parts.scheme != "https" or not host or (parts.port is not None and http_port is None):
        return ""
    host = f"[{host}]" if ":" in host else host
    netloc = host if http_port is None else f"{host}:{http_port}"
    return normalize_url(urlunsplit(("http", netloc, parts.path or "/", parts.query, "")))


def _probe_http(fetcher: HttpFetcher, start_url: str, known: set[str],
                http_port: int | None) -> list[Page]:
    """Fetch the http:// variant of the start URL without following redirects, then each
    further http:// hop, until an https:// Location, a non-redirect answer or a URL the crawl
    already holds. Each answer is one probe page (status and headers, Location included), so
    the chain can be read hop by hop and no page ever claims the start page as its final URL."""
    url = http_variant(start_url, http_port)
    pages: list[Page] = []
    for _ in range(HTTP_PROBE_MAX_HOPS):
        if not url or url in known:
            break
        response = fetcher.get(url, want_body=False, max_redirects=0, check_robots=False)
        redirect = response.status in REDIRECT_CODES
        pages.append(dataclasses.replace(
            to_page(dataclasses.replace(response, body=b""), 1, "probe"),
            error="" if redirect else response.error))
        known.add(url)
        location = next((v for k, v in response.headers if k == "location"), "")
        if not redirect or not location:
            break
        try:
            target = normalize_url(urljoin(url, location.strip()))
        except ValueError:
            break
        if not target.startswith("http://"):
            break  # https:// (or unusable): the chain is judged from this hop
        url = target
    return pages
