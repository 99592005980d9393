"""The crawl loop shared by URL mode and folder mode: frontier, scope, limits, extraction.

A :class:`Fetcher` turns a URL into a :class:`Response` (over HTTP, or by reading a file); this
module decides what to fetch next and turns responses into :class:`~auditor.site.Page` records.

Determinism: the crawl proceeds in waves, one per link depth. The URLs of a wave are fetched in
a fixed order (policy-looking first, then by URL) and admitted against ``max_pages`` in that
order, and links found in a wave form the next one. So the same site gives the same set of pages
whatever the thread timing, which is what lets CI diff two report.json files.

Parsing is CPU-bound; it runs in the worker that fetched the page (lxml releases the GIL for
most of the parse), and the DOM and body are dropped as soon as :class:`PageFacts` exist.

After the page waves, a bounded number of the same-site images those pages show are fetched for
their status only (source "resource", never parsed, never counted as pages), most-used first and
then by URL, so broken images can be reported with the same determinism as pages.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Protocol

from auditor.crawl.options import CrawlOptions, CrawlProgress, ProgressFn
from auditor.crawl.traps import TrapGuard, seen_digest, strip_session
from auditor.crawl.urls import normalize_url
from auditor.extract import ParseTimeout, extract_facts
from auditor.site import Page, PageFacts

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Link targets that are almost never HTML: fetched for their status only (no body).
_BINARY_EXT = re.compile(
    r"\.(?:pdf|jpe?g|png|gif|webp|avif|svg|ico|bmp|tiff?|mp[34]|m4a|mov|avi|webm|ogg|wav|zip|gz|"
    r"tgz|rar|7z|dmg|exe|msi|apk|docx?|xlsx?|pptx?|odt|csv|json|xml|txt|css|js|woff2?|ttf|eot)$",
    re.I,
)

#: Same-site images fetched (status only) after the page waves; never more than max_pages.
MAX_RESOURCES = 200
#: URLs fetched in the page waves at most: 10 per page of max_pages, plus 100 (probes and the
#: like). Error pages and non-HTML link targets do not count as pages, so without this a site of
#: broken links would be fetched without end.
FETCHES_PER_PAGE = 10
FETCH_ALLOWANCE = 100

PriorityFn = Callable[[str, str], int]
ScopeFn = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Response:
    """What a fetcher got for one URL. ``body`` is set only for HTML that should be parsed."""

    url: str  # as requested (normalised)
    status: int  # HTTP status of the final response; 0 when none arrived
    final_url: str = ""  # after redirects; "" when the same as url
    headers: tuple[tuple[str, str], ...] = ()  # names lower-case, in received order
    content_type: str = ""  # media type, lower-case, no parameters
    body: bytes = b""
    encoding: str = ""  # charset from Content-Type, if any
    redirects: tuple[tuple[str, int], ...] = ()  # (url, status) of each hop before the final URL
    error: str = ""  # why no usable response arrived ("timeout", "refused: private address" ...)
    truncated: bool = False  # body hit the size cap


class Fetcher(Protocol):
    """Gets one URL. Must be thread-safe: the engine calls it from several workers at once."""

    def fetch(self, url: str, *, want_body: bool) -> Response:
        """``want_body`` is False for link targets that look like binaries (status only)."""
        ...

    def allowed(self, url: str) -> bool:
        """False when robots.txt forbids the URL (folder mode: always True)."""
        ...


@dataclass(frozen=True, slots=True)
class Seed:
    url: str
    source: str  # start, sitemap, probe
    depth: int = 0
    anchor: str = ""


@dataclass(slots=True)
class CrawlResult:
    pages: list[Page] = field(default_factory=list)
    robots_blocked: set[str] = field(default_factory=set)
    limits_hit: set[str] = field(default_factory=set)
    out_of_scope: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Task:
    url: str
    depth: int
    source: str
    priority: int
    want_body: bool


def is_html(content_type: str) -> bool:
    return content_type in HTML_TYPES or content_type == ""


def to_page(response: Response, depth: int, source: str,
            extract: Callable[..., PageFacts] = extract_facts) -> Page:
    """Turn a response into a page record, extracting facts from HTML bodies."""
    facts: PageFacts | None = None
    error = response.error
    if response.body and not response.error and is_html(response.content_type):
        base = response.final_url or response.url
        try:
            facts = extract(response.body, base, encoding=response.encoding)
        except RecursionError:
            error = "page could not be parsed: structure too deep"
        except ParseTimeout as exc:
            error = f"page could not be parsed: {exc}"
        except Exception as exc:  # noqa: BLE001 - one broken page never loses the audit
            error = f"page could not be parsed: {type(exc).__name__}"
    final = response.final_url if response.final_url != response.url else ""
    return Page(
        url=response.url,
        status=response.status,
        final_url=final,
        headers=response.headers,
        content_type=response.content_type,
        depth=depth,
        redirects=response.redirects,
        facts=facts,
        error=error,
        source=source,
        truncated=response.truncated,
    )


class Crawl:
    """One crawl over a fetcher. Call :meth:`run`; it returns whatever was gathered, also when
    interrupted (``limits_hit`` then holds "interrupted")."""

    def __init__(
        self,
        fetcher: Fetcher,
        options: CrawlOptions,
        *,
        in_scope: ScopeFn,
        priority: PriorityFn | None = None,
        progress: ProgressFn | None = None,
        extract: Callable[..., PageFacts] = extract_facts,
        workers: int | None = None,
        max_resources: int = MAX_RESOURCES,
    ) -> None:
        self.fetcher = fetcher
        self.max_resources = max(0, min(max_resources, options.max_pages))
        self.options = options
        self.in_scope = in_scope
        self.priority = priority or (lambda url, text: 10)
        self.progress = progress
        self.extract = extract
        self.workers = max(1, workers if workers is not None else options.concurrency)
        self.result = CrawlResult()
        self._seen: set[bytes] = set()  # digests of dedup keys (traps.seen_digest)
        self._final_seen: set[str] = set()
        self._guard = TrapGuard()
        self._max_fetches = FETCHES_PER_PAGE * options.max_pages + FETCH_ALLOWANCE
        self._html_pages = 0
        self._fetched = 0
        self._started = time.monotonic()
        self._include = [re.compile(p) for p in options.include]
        self._exclude = [re.compile(p) for p in options.exclude]
        self._stop = threading.Event()

    # ----------------------------------------------------------------------------- scope

    def _wanted(self, url: str) -> bool:
        if not self.in_scope(url):
            return False
        if self._exclude and any(p.search(url) for p in self._exclude):
            return False
        return not (self._include and not any(p.search(url) for p in self._include))

    def _out_of_budget(self) -> bool:
        budget = self.options.time_budget
        if budget is not None and time.monotonic() - self._started > budget:
            self.result.limits_hit.add("time-budget")
            return True
        return False

    # ----------------------------------------------------------------------------- fetching

    def _is_seen(self, url: str) -> bool:
        return seen_digest(url) in self._seen

    def _mark_seen(self, url: str) -> None:
        self._seen.add(seen_digest(url))

    def _work(self, task: _Task) -> Page:
        if self._stop.is_set():
            raise _Cancelled
        response = self.fetcher.fetch(task.url, want_body=task.want_body)
        if response.truncated and len(response.body) >= self.options.max_body_bytes:
            self.result.limits_hit.add("max-body-size")
        return to_page(response, task.depth, task.source, self.extract)

    def _record(self, page: Page, queued: int) -> None:
        self._fetched += 1
        self.result.pages.append(page)
        if page.facts is not None and 200 <= page.status < 300:
            self._html_pages += 1
        if self.progress is not None:
            self.progress(CrawlProgress(page.url, page.status, self._fetched, self._html_pages,
                                        queued, self.options.max_pages))

    def _run_wave(self, pool: ThreadPoolExecutor, tasks: list[_Task]) -> list[Page]:
        """Fetch a wave in order; admit HTML pages against max_pages in that order."""
        done_pages: dict[int, Page] = {}
        in_flight: dict[Future[Page], int] = {}
        next_index = 0
        done_html = 0  # HTML pages among the finished fetches of this wave
        limit = self.options.max_pages
        while next_index < len(tasks) or in_flight:
            # Never have more fetches running than could still become pages: the fetched set is
            # then always a prefix of the wave, so the pages kept do not depend on timing.
            room = limit - self._html_pages - done_html
            room -= sum(1 for i in in_flight.values() if tasks[i].want_body)
            while (next_index < len(tasks) and len(in_flight) < self.workers * 2 and room > 0
                   and not self._stop.is_set()):
                if self._out_of_budget():
                    self._stop.set()
                    break
                task = tasks[next_index]
                in_flight[pool.submit(self._work, task)] = next_index
                next_index += 1
                if task.want_body:
                    room -= 1
            if not in_flight:
                if next_index < len(tasks) and not self._stop.is_set():
                    self.result.limits_hit.add("max-pages")
                break
            finished, _ = wait(list(in_flight), timeout=0.5, return_when=FIRST_COMPLETED)
            for future in finished:
                index = in_flight.pop(future)
                try:
                    page = future.result()
                except _Cancelled:
                    continue
                done_pages[index] = page
                done_html += int(page.facts is not None and 200 <= page.status < 300)
        pages = [done_pages[i] for i in sorted(done_pages)]
        # Admit in task order: everything up to the page that reached the limit.
        kept: list[Page] = []
        html = self._html_pages
        for page in pages:
            is_page = page.facts is not None and 200 <= page.status < 300
            if is_page and html >= limit:
                self.result.limits_hit.add("max-pages")
                continue
            kept.append(page)
            html += int(is_page)
        return kept

    # ----------------------------------------------------------------------------- resources

    def _resource_tasks(self) -> list[_Task]:
        """Same-site images of the audited pages not fetched yet: most-used first, then by URL,
        at most ``max_resources`` (a deterministic choice, like the waves)."""
        uses: dict[str, int] = {}
        depth: dict[str, int] = {}
        for page in self.result.pages:
            if page.facts is None or not 200 <= page.status < 300:
                continue
            for src in dict.fromkeys(image.src for image in page.facts.images if image.src):
                url = normalize_url(src)
                if not url or self._is_seen(url) or not self._wanted(url):
                    continue
                uses[url] = uses.get(url, 0) + 1
                depth[url] = min(depth.get(url, page.depth + 1), page.depth + 1)
        chosen = sorted(uses, key=lambda u: (-uses[u], u))[: self.max_resources]
        tasks = []
        for url in chosen:
            self._mark_seen(url)
            if self.options.respect_robots and not self.fetcher.allowed(url):
                continue  # not fetched, and not reported as a page blocked by robots.txt
            tasks.append(_Task(url, depth[url], "resource", 0, False))
        return tasks

    def _run_resources(self, pool: ThreadPoolExecutor, tasks: list[_Task]) -> None:
        """Fetch resources for their status; record them in task order."""
        done: dict[int, Page] = {}
        in_flight: dict[Future[Page], int] = {}
        next_index = 0
        while next_index < len(tasks) or in_flight:
            while (next_index < len(tasks) and len(in_flight) < self.workers * 2
                   and not self._stop.is_set()):
                if self._out_of_budget():
                    self._stop.set()
                    break
                in_flight[pool.submit(self._work, tasks[next_index])] = next_index
                next_index += 1
            if not in_flight:
                break
            finished, _ = wait(list(in_flight), timeout=0.5, return_when=FIRST_COMPLETED)
            for future in finished:
                index = in_flight.pop(future)
                try:
                    done[index] = future.result()
                except _Cancelled:
                    continue
        for index in sorted(done):
            # A resource is never a page, whatever the server sent.
            self._record(replace(done[index], facts=None), len(tasks) - index - 1)

    # ----------------------------------------------------------------------------- the loop

    def _task(self, url: str, depth: int, source: str, anchor: str = "") -> _Task | None:
        url = normalize_url(url)
        if not url:
            return None
        url = strip_session(url)  # PHPSESSID, utm_* ...: the same page without them
        digest = seen_digest(url)
        if digest in self._seen:
            return None
        self._seen.add(digest)
        if not self._wanted(url):
            if source == "link" and not self.in_scope(url):
                self.result.out_of_scope.add(url)
            return None
        if source != "start" and not self._guard.check_shape(url):
            return None
        if self.options.respect_robots and not self.fetcher.allowed(url):
            self.result.robots_blocked.add(url)
            return None
        want_body = not _BINARY_EXT.search(url.split("?", 1)[0])
        return _Task(url, depth, source, self.priority(url, anchor), want_body)

    def run(self, seeds: Iterable[Seed]) -> CrawlResult:
        wave: list[_Task] = []
        depth = 0
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="trustaudit-fetch")
        try:
            # Inside the try: admitting a seed may fetch a robots.txt, and Ctrl-C then must
            # still give a partial result.
            for seed in seeds:
                task = self._task(seed.url, seed.depth, seed.source, seed.anchor)
                if task is not None:
                    wave.append(task)
            while wave and not self._stop.is_set():
                wave = self._admit(wave)
                if not wave:
                    break
                pages = self._run_wave(pool, wave)
                next_wave: list[_Task] = []
                anchors: dict[str, str] = {}
                # Several URLs of one page (redirects, /about and /about.html): audit it once,
                # preferring the URL that is the page's own address, else the first in order.
                owner: dict[str, int] = {}
                for index, page in enumerate(pages):
                    final = page.final_url or page.url
                    if (page.facts is not None and (final not in owner or page.url == final)
                            and (final not in owner or pages[owner[final]].url != final)):
                        owner[final] = index
                recorded: list[Page] = []
                for index, page in enumerate(pages):
                    final = page.final_url or page.url
                    if page.facts is not None and (final in self._final_seen
                                                   or owner.get(final) != index):
                        page = _without_facts(page)
                    elif page.facts is not None:
                        self._final_seen.add(final)
                    self._mark_seen(final)
                    self._record(page, len(wave))
                    recorded.append(page)
                for page in recorded:
                    if page.facts is not None and not 200 <= page.status < 300:
                        continue  # links are followed from audited pages only: error pages
                        # linking to more error pages are a trap, and never a page of the site
                    if page.facts is None or page.depth >= self.options.max_depth:
                        if page.facts is not None and page.facts.links:
                            self.result.limits_hit.add("max-depth")
                        continue
                    for link in page.facts.links:
                        if link.url and link.url not in anchors:
                            anchors[link.url] = link.text or link.aria_label or link.title
                    for link in page.facts.links:
                        if not link.url or link.href.lstrip().startswith("#"):
                            continue
                        task = self._task(link.url, page.depth + 1, "link",
                                          anchors.get(link.url, ""))
                        if task is not None:
                            next_wave.append(task)
                            if len(next_wave) >= 2 * self._fetch_room() + 1000:
                                next_wave = self._best(next_wave, self._fetch_room())
                if ("max-pages" in self.result.limits_hit
                        or self._html_pages >= self.options.max_pages):
                    if next_wave:
                        self.result.limits_hit.add("max-pages")
                    break
                wave = next_wave
                depth += 1
            if self.max_resources and not self._stop.is_set():
                self._run_resources(pool, self._resource_tasks())
        except KeyboardInterrupt:
            self._stop.set()
            self.result.limits_hit.add("interrupted")
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
            self.result.limits_hit |= self._guard.limits()
        return self.result

    # ----------------------------------------------------------------------------- bounds

    def _fetch_room(self) -> int:
        return max(0, self._max_fetches - self._fetched)

    @staticmethod
    def _best(tasks: list[_Task], count: int) -> list[_Task]:
        """The first ``count`` tasks in wave order (the frontier never grows past what can
        still be fetched)."""
        return sorted(tasks, key=_wave_order)[:count]

    def _admit(self, wave: list[_Task]) -> list[_Task]:
        """A wave in fetch order, without query variants past the per-path cap (counted in
        priority order, so a policy page is never the variant left out), and no longer than the
        fetches left."""
        wave = [t for t in sorted(wave, key=_wave_order)
                if t.source == "start" or self._guard.admit_variant(t.url)]
        room = self._fetch_room()
        if len(wave) > room:
            self.result.limits_hit.add("max-fetches")
            wave = wave[:room]
        return wave


def _wave_order(task: _Task) -> tuple[bool, int, int, str]:
    """Fetch order within a wave: the start page, then policy-looking URLs, then by depth, URL."""
    return (task.source != "start", task.priority, task.depth, task.url)


class _Cancelled(Exception):
    """A queued fetch that was skipped because the crawl is stopping."""


def _without_facts(page: Page) -> Page:
    """A duplicate of an already-audited page (reached through another redirect): keep the
    record, drop the facts so the page is not counted twice."""
    return Page(url=page.url, status=page.status, final_url=page.final_url or page.url,
                headers=page.headers, content_type=page.content_type, depth=page.depth,
                redirects=page.redirects, facts=None, error=page.error, source=page.source,
                truncated=page.truncated)
