"""Folder mode: audit a static build folder (``./public``, ``dist/``) without a server.

Pages get the URLs they will have in production: ``--site-url https://shop.example`` makes
``public/about/index.html`` the page ``https://shop.example/about/``, and absolute links to that
host map back to files. Without ``--site-url`` the reserved origin ``https://site.invalid/``
stands in. URL to file follows what static hosts do: ``dir/`` → ``dir/index.html``,
``/about`` → ``about``, ``about.html`` or ``about/index.html``.

Nothing outside the folder is ever read: paths are resolved (symlinks included) and must stay
under the folder's real path. Files are read up to the body cap, so a 1 GB file costs 5 MB.
robots.txt is read for its Sitemap lines but its rules do not stop the audit: these are the
owner's own files, and preview builds often disallow everything.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

from auditor.crawl.engine import Crawl, Response, Seed
from auditor.crawl.options import CrawlOptions, ProgressFn
from auditor.crawl.parsing import PageParser
from auditor.crawl.urls import normalize_url, strip_www
from auditor.errors import TargetError
from auditor.site import RobotsInfo, SiteSnapshot, audit_date

PLACEHOLDER_ORIGIN = "https://site.invalid/"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
INDEX_NAMES = ("index.html", "index.htm")
# Policy paths looked up as files (a folder has no 404 cost, but a bounded list keeps the
# report free of noise): the same places URL mode probes.
PROBE_PATHS = (
    "/privacy", "/privacy-policy", "/policies/privacy-policy", "/policies/refund-policy",
    "/policies/shipping-policy", "/policies/terms-of-service", "/datenschutz", "/impressum",
    "/imprint", "/agb", "/terms", "/returns", "/contact", "/about",
)


def site_origin(site_url: str) -> tuple[str, str]:
    """(origin URL with trailing slash, path prefix) of the production URL; the placeholder
    origin when none is given."""
    url = normalize_url(site_url) if site_url else ""
    if not url:
        return PLACEHOLDER_ORIGIN, "/"
    parts = urlsplit(url)
    prefix = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{prefix}", prefix


class FolderFetcher:
    """Reads pages from a folder as if a static host served them."""

    def __init__(self, root: Path, site_url: str, max_body_bytes: int) -> None:
        self.root = Path(os.path.realpath(root))
        self.base, self.prefix = site_origin(site_url)
        base_parts = urlsplit(self.base)
        self.host = strip_www(base_parts.hostname or "")
        self.max_body_bytes = max_body_bytes

    # ------------------------------------------------------------------------- mapping

    def in_scope(self, url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme in ("http", "https")
                and strip_www(parts.hostname or "") == self.host
                and (parts.path or "/").startswith(self.prefix))

    def url_for(self, relative: str) -> str:
        """The production URL of a path relative to the folder ("about/index.html")."""
        return normalize_url(self.base + relative.lstrip("/"))

    def _inside(self, path: str) -> bool:
        real = os.path.realpath(path)
        return real == str(self.root) or real.startswith(str(self.root) + os.sep)

    def locate(self, url: str) -> tuple[str | None, str, str]:
        """(file path or None, final URL, error) for a URL of the site."""
        parts = urlsplit(url)
        raw = unquote_to_bytes(parts.path or "/")
        if b"\x00" in raw:
            return None, url, "invalid path"
        # Percent escapes are bytes of the file name, as a static host serves them: %E9 is the
        # Latin-1 name b"caf\xe9.html" (a str with a surrogate escape for os functions).
        path = os.fsdecode(raw)
        prefix = os.fsdecode(unquote_to_bytes(self.prefix))
        relative = path[len(prefix):] if path.startswith(prefix) else path.lstrip("/")
        base = os.path.join(str(self.root), *[p for p in relative.split("/") if p])
        if not self._inside(base):
            return None, url, "outside the folder: not read"
        candidates: list[str] = []
        if path.endswith("/"):
            candidates += [os.path.join(base, name) for name in INDEX_NAMES]
        else:
            candidates.append(base)
            candidates += [base + suffix for suffix in (".html", ".htm")]
            candidates += [os.path.join(base, name) for name in INDEX_NAMES]
        for candidate in candidates:
            if os.path.isfile(candidate):
                if not self._inside(candidate):
                    return None, url, "outside the folder: not read (symbolic link)"
                return candidate, self.canonical_url(candidate, parts.query), ""
        return None, url, ""

    def canonical_url(self, path: str, query: str = "") -> str:
        """One URL per file: ``dir/index.html`` is ``dir/``; other files are their own path.
        "/about" and "/about.html" then name one page, and the engine audits it once."""
        relative = os.path.relpath(path, str(self.root)).replace(os.sep, "/")
        head, _, name = relative.rpartition("/")
        if name in INDEX_NAMES:
            relative = head + "/" if head else ""
        url = self.url_for(relative)
        return url + ("?" + query if query else "")

    # ------------------------------------------------------------------------- Fetcher

    def allowed(self, url: str) -> bool:
        return True

    def fetch(self, url: str, *, want_body: bool = True) -> Response:
        path, final, error = self.locate(url)
        if error:
            return Response(url=url, status=0, error=error)
        if path is None:
            return Response(url=url, status=404, final_url="")
        content_type = content_type_of(path)
        body = b""
        truncated = False
        if want_body and content_type in ("text/html", "application/xhtml+xml", ""):
            try:
                with open(path, "rb") as handle:
                    body = handle.read(self.max_body_bytes + 1)
            except OSError as exc:
                return Response(url=url, status=0, error=f"cannot read file: {exc.strerror}")
            truncated = len(body) > self.max_body_bytes
            body = body[: self.max_body_bytes]
            if content_type == "" and body.lstrip()[:1] != b"<":
                content_type, body = "application/octet-stream", b""
            elif content_type == "":
                content_type = "text/html"
        headers = (("content-type", content_type),) if content_type else ()
        redirects = ((url, 301),) if final != url else ()
        return Response(url=url, status=200, final_url=final if final != url else "",
                        headers=headers, content_type=content_type, body=body,
                        redirects=redirects, truncated=truncated)

    def read_text(self, relative: str, limit: int = 2 * 1024 * 1024) -> bytes | None:
        """A small file at the folder root (robots.txt, sitemap.xml), or None."""
        path = os.path.join(str(self.root), relative)
        if not os.path.isfile(path) or not self._inside(path):
            return None
        try:
            with open(path, "rb") as handle:
                return handle.read(limit)
        except OSError:
            return None


def content_type_of(path: str) -> str:
    lower = path.lower()
    if lower.endswith(HTML_SUFFIXES):
        return "text/html"
    if "." not in os.path.basename(lower):
        return ""  # decided by sniffing the body
    guessed, _ = mimetypes.guess_type(lower, strict=False)
    return guessed or "application/octet-stream"


def find_entry(root: Path) -> str:
    """Path (relative, '/'-separated) of the start page: index.html, else the shallowest HTML
    file (alphabetical among equals). Raises TargetError when the folder has no HTML."""
    for name in INDEX_NAMES:
        if (root / name).is_file():
            return name
    best: tuple[int, str] | None = None
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, root)
        depth = 0 if rel_dir == "." else rel_dir.count(os.sep) + 1
        if best is not None and depth > best[0]:
            continue
        for name in sorted(filenames):
            if name.lower().endswith(HTML_SUFFIXES):
                rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
                if best is None or (depth, rel) < best:
                    best = (depth, rel)
    if best is None:
        raise TargetError(f"no HTML files in folder {root}: nothing to audit")
    return best[1]


def _robots_and_sitemaps(fetcher: FolderFetcher, max_urls: int) -> tuple[RobotsInfo, list[str]]:
    """robots.txt's Sitemap lines and the URLs of the folder's sitemaps (mapped to files)."""
    robots_url = fetcher.url_for("robots.txt")
    data = fetcher.read_text("robots.txt", 512 * 1024)
    sitemaps: list[str] = []
    info = RobotsInfo(url=robots_url)
    if data is not None:
        from protego import Protego

        try:
            parser = Protego.parse(data.decode("utf-8", errors="replace"))
            sitemaps = [s for s in parser.sitemaps]
        except Exception:  # noqa: BLE001 - a broken robots.txt is reported, never fatal
            sitemaps = []
        info = RobotsInfo(url=robots_url, status=200, found=True,
                          sitemaps=tuple(sorted(set(sitemaps))))
    urls: list[str] = []
    candidates = [s for s in sitemaps if fetcher.in_scope(normalize_url(s))]
    candidates.append(fetcher.url_for("sitemap.xml"))
    try:
        from auditor.crawl.sitemap import MAX_SITEMAP_BYTES, parse_sitemap
    except ImportError:  # pragma: no cover - sitemap support ships with the HTTP crawler
        return info, urls
    seen: set[str] = set()
    queue = list(dict.fromkeys(normalize_url(c) for c in candidates))
    while queue and len(seen) < 10 and len(urls) < max_urls:
        sitemap_url = queue.pop(0)
        if not sitemap_url or sitemap_url in seen:
            continue
        seen.add(sitemap_url)
        path, _, error = fetcher.locate(sitemap_url)
        if path is None or error:
            continue
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SITEMAP_BYTES + 65536)  # enough for the capped output
        found, children = parse_sitemap(raw, sitemap_url)
        urls.extend(u for u in found if fetcher.in_scope(u))
        queue.extend(c for c in children if fetcher.in_scope(c) and c not in seen)
    return info, urls[:max_urls]


def crawl_folder(
    root: Path,
    options: CrawlOptions,
    progress: ProgressFn | None = None,
    priority: object | None = None,
    *,
    entry: str | None = None,
) -> SiteSnapshot:
    """Audit the HTML pages of a folder reachable from its start page (``entry``, a path
    relative to the folder; found when not given), its sitemap and the usual policy paths."""
    root = Path(root)
    if not root.is_dir():
        raise TargetError(f"folder not found: {root}")
    fetcher = FolderFetcher(root, options.site_url, options.max_body_bytes)
    if entry is None or not (fetcher.root / entry).is_file():
        entry = find_entry(fetcher.root)
    start_url = fetcher.url_for("" if entry in INDEX_NAMES else entry)
    robots, sitemap_urls = _robots_and_sitemaps(fetcher, 5 * options.max_pages)
    seeds = [Seed(start_url, "start", 0)]
    seeds += [Seed(u, "sitemap", 1) for u in sitemap_urls]
    if options.probes:
        for probe in PROBE_PATHS:
            url = fetcher.url_for(probe.lstrip("/"))
            path, final, error = fetcher.locate(url)
            if path is not None and not error:
                seeds.append(Seed(final, "probe", 1))
    with PageParser(options.parse_processes) as parse:
        crawl = Crawl(
            fetcher,
            options,
            in_scope=fetcher.in_scope,
            priority=priority,  # type: ignore[arg-type]
            progress=progress,
            extract=parse,
            # Reading a file is quick: one thread, unless pages are parsed in other processes,
            # which then need a few pages each in hand to stay busy.
            workers=1 + 2 * parse.processes,
        )
        result = crawl.run(seeds)
    pages = sorted(result.pages, key=lambda p: p.url)
    texts = _security_txt(fetcher) if options.probes else []
    return SiteSnapshot(
        date=audit_date(),
        mode="folder",
        target=str(root),
        start_url=start_url,
        pages=tuple(pages),
        site_url=options.site_url,
        robots=robots,
        robots_blocked=(),
        limits_hit=tuple(sorted(result.limits_hit)),
        out_of_scope=len(result.out_of_scope),
        texts=tuple(texts),
    )


def _security_txt(fetcher: FolderFetcher) -> list[tuple[str, str]]:
    """The folder's RFC 9116 security.txt (``.well-known/``, else the legacy top-level file) as
    (url, text), so its fields and expiry can be judged before deploy."""
    for relative in (".well-known/security.txt", "security.txt"):
        data = fetcher.read_text(relative, 32 * 1024)
        if data is not None:
            return [(fetcher.url_for(relative), data.decode("utf-8", errors="replace"))]
    return []
