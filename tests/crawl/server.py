"""A real HTTP server on 127.0.0.1 for crawler tests: routes, slow and broken answers, a log.

Routes map a path (with or without its query) to a :class:`Route` or to a callable taking the
:class:`Request` and returning a Route, so a test can serve a different answer per host, per
attempt, or per header. Every request is logged (method, path, host, headers, time, client port)
so tests assert what was fetched, in which order, with which headers.

    with serve({"/": Route(body=html("Home", links=["/privacy"]))}) as server:
        snapshot = crawl_url(server.url("/"), options)
        assert server.paths() == [...]
"""

from __future__ import annotations

import gzip as gzip_module
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from auditor.crawl.fetcher import HttpFetcher
from auditor.crawl.netpolicy import NetPolicy
from auditor.crawl.options import CrawlOptions
from auditor.crawl.throttle import Throttle


@dataclass(frozen=True, slots=True)
class Route:
    """One canned answer. ``body`` str is encoded as UTF-8."""

    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    location: str | None = None  # sets Location (status defaults to 302 when left at 200)
    delay: float = 0.0  # seconds before the status line
    drip: float = 0.0  # seconds between body bytes (a slow-loris body)
    gzip: bool = False  # Content-Encoding: gzip (the body is compressed here)
    raw_body: bytes | None = None  # sent as is (pre-compressed bombs); overrides body
    content_encoding: str = ""  # Content-Encoding header for raw_body ("gzip", "deflate")
    chunked: bool = False  # Transfer-Encoding: chunked
    endless: bool = False  # a chunked body that never ends (until the client leaves)
    content_length: int | None = None  # a lying Content-Length (closes after the body)


RouteSpec = Route | Callable[["Request"], Route]


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str  # with the query
    host: str  # the Host header
    headers: tuple[tuple[str, str], ...]  # names lower-case
    time: float  # time.monotonic() when the request line arrived
    client_port: int

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k == name), None)


def html(title: str, links: list[str] | tuple[str, ...] = (), body: str = "",
         footer: list[str] | tuple[str, ...] = ()) -> str:
    """A small HTML page; links are hrefs (text = href) or "href|text" pairs."""

    def anchor(spec: str) -> str:
        href, _, text = spec.partition("|")
        return f'<a href="{escape(href)}">{escape(text or href)}</a>'

    nav = " ".join(anchor(link) for link in links)
    foot = " ".join(anchor(link) for link in footer)
    return (f"<!doctype html><html><head><title>{escape(title)}</title></head><body>"
            f"<nav>{nav}</nav><main><h1>{escape(title)}</h1>{body}</main>"
            f"<footer>{foot}</footer></body></html>")


NOT_FOUND = Route(status=404, body=html("Not found"))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
        pass

    def do_HEAD(self) -> None:  # noqa: N802 - http.server naming
        self._answer(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        owner = self.server.owner
        request = Request(
            method=self.command,
            path=self.path,
            host=self.headers.get("Host", ""),
            headers=tuple((k.lower(), v) for k, v in self.headers.items()),
            time=time.monotonic(),
            client_port=self.client_address[1],
        )
        owner._record(request)
        route = owner.route_for(request)
        try:
            self._send(route, head)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
            self.close_connection = True

    def _send(self, route: Route, head: bool) -> None:
        if route.delay:
            time.sleep(route.delay)
        status = route.status
        if route.location is not None and status == 200:
            status = 302
        body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
        if route.gzip:
            body = gzip_module.compress(body)
        if route.raw_body is not None:
            body = route.raw_body
        self.send_response(status)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        if route.location is not None:
            self.send_header("Location", route.location)
        encoding = "gzip" if route.gzip else route.content_encoding
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for name, value in route.headers:
            self.send_header(name, value)
        chunked = route.chunked or route.endless
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif route.content_length is not None:
            self.send_header("Content-Length", str(route.content_length))
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if head:
            return
        if route.endless:
            piece = b"<p>" + b"x" * 1024 + b"</p>"
            while not self.server.owner.stopping.is_set():
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
                if route.drip:
                    time.sleep(route.drip)
            return
        if route.drip:
            for i in range(len(body)):
                if self.server.owner.stopping.is_set():
                    break
                data = body[i:i + 1]
                self.wfile.write(b"1\r\n%s\r\n" % data if chunked else data)
                self.wfile.flush()
                time.sleep(route.drip)
        elif chunked:
            for i in range(0, len(body), 1000):
                piece = body[i:i + 1000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        else:
            self.wfile.write(body)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: TestServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that leave early (TLS refused, timeouts) are what the tests do


@dataclass
class TestServer:
    """The running server: ``routes`` may be changed while it runs."""

    routes: dict[str, RouteSpec] = field(default_factory=dict)
    default: RouteSpec = NOT_FOUND
    log: list[Request] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    tls: tuple[str, str] | None = None  # (certfile, keyfile): serve HTTPS
    _httpd: _Server | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    __test__ = False  # not a pytest test class

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def route_for(self, request: Request) -> Route:
        spec = self.routes.get(request.path)
        if spec is None:
            spec = self.routes.get(urlsplit(request.path).path, self.default)
        return spec(request) if callable(spec) else spec

    def _record(self, request: Request) -> None:
        with self._lock:
            self.log.append(request)

    def requests(self, path: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self.log if path is None or r.path == path]

    def paths(self) -> list[str]:
        """Requested paths in arrival order."""
        return [r.path for r in self.requests()]

    def start(self) -> TestServer:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.tls)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()


@contextmanager
def serve(routes: Mapping[str, RouteSpec] | None = None, default: RouteSpec = NOT_FOUND,
          tls: tuple[str, str] | None = None) -> Iterator[TestServer]:
    """Run a server for the block (HTTPS with ``tls=(certfile, keyfile)``)."""
    server = TestServer(dict(routes or {}), default, tls=tls).start()
    try:
        yield server
    finally:
        server.stop()


def site_pages(count: int, *, links_per_page: int = 3) -> dict[str, RouteSpec]:
    """A deterministic site of ``count`` pages /p0 ... linked in a tree, plus robots.txt."""
    routes: dict[str, RouteSpec] = {}
    for i in range(count):
        children = [f"/p{j}" for j in range(i * links_per_page + 1,
                                            min(count, i * links_per_page + 1 + links_per_page))]
        body = f"<p>Page {i} of the test site.</p>"
        path = "/" if i == 0 else f"/p{i}"
        routes[path] = Route(body=html(f"Page {i}", links=children, body=body,
                                       footer=["/privacy|Privacy policy"]))
    routes["/privacy"] = Route(body=html("Privacy policy", body="<p>We keep data safe.</p>"))
    routes["/robots.txt"] = Route(body="User-agent: *\nAllow: /\n", content_type="text/plain")
    return routes


def with_route(route: Route, **changes: object) -> Route:
    return replace(route, **changes)  # type: ignore[arg-type]


def options(**changes: object) -> CrawlOptions:
    """Crawl options for tests: short timeouts, no politeness delay, one quick retry."""
    base = {"timeout": 2.0, "delay": 0.0, "retries": 1, "concurrency": 4}
    return CrawlOptions(**(base | changes))  # type: ignore[arg-type]


def resolver_for(mapping: Mapping[str, str | list[str]]) -> Callable[[str, int], list[str]]:
    """A resolver for tests: names in ``mapping`` resolve to the given addresses, all others
    fail like a DNS miss (no test ever asks the real DNS)."""

    def resolve(host: str, port: int) -> list[str]:
        found = mapping.get(host.lower())
        if found is None:
            raise socket.gaierror(socket.EAI_NONAME, f"Name or service not known: {host}")
        return [found] if isinstance(found, str) else list(found)

    return resolve


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def self_signed_cert(folder: Path, *hosts: str) -> tuple[str, str] | None:
    """(certfile, keyfile) of a fresh self-signed certificate for ``hosts``; None without
    the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    names = ",".join(f"DNS:{h}" for h in hosts)
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
         "-subj", f"/CN={hosts[0]}", "-addext", f"subjectAltName={names}"],
        check=True, capture_output=True, timeout=30,
    )
    return str(cert), str(key)


def make_fetcher(server: TestServer, resolver: Mapping[str, str] | None = None,
                 site: str | None = None, **changes: object) -> HttpFetcher:
    """An HTTP fetcher for ``server`` (private addresses allowed, no politeness delay, 50 ms
    first retry delay); ``resolver`` maps extra host names to addresses."""
    policy = NetPolicy(allow_private=True,
                       resolver=resolver_for(resolver or {"127.0.0.1": "127.0.0.1"}))
    return HttpFetcher(options(**changes), site_url=site or server.url("/"), policy=policy,
                       throttle=Throttle(0.0), backoff=0.05)
