"""A hostile web server on 127.0.0.1 for the hostile suite: every answer a broken or malicious
site can give, each on its own host name and path.

The server routes by (host, path): every case of :mod:`tests.hostile.site` gets its own host
(``bomb.hostile.test``), so its robots.txt, sitemaps and start page are its own. Names are made to
resolve to 127.0.0.1 by the test's resolver, never by DNS. A handler is a function of one
:class:`Exchange` and writes the whole answer itself, so it can stream 200 MB, drip a byte a
second, lie about Content-Length, never end a chunked body, or reset the connection mid-body.
Nothing large is held in memory: big bodies are generated while they are sent, and stop as soon as
the client goes away.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

HTML = "text/html; charset=utf-8"
Handler = Callable[["Exchange"], None]


class ClientGone(Exception):
    """The client closed the connection (or the server is stopping): stop sending."""


@dataclass(frozen=True, slots=True)
class Logged:
    host: str  # Host header without the port, lower-case
    path: str  # with the query
    time: float  # time.monotonic() at arrival
    headers: tuple[tuple[str, str], ...]


class Exchange:
    """One request and the means to answer it, politely or not."""

    def __init__(self, handler: _Handler, host: str) -> None:
        self._handler = handler
        self.host = host
        self.path = handler.path
        parts = urlsplit(handler.path)
        self.route = parts.path
        self.query = parts.query
        self.params = dict(parse_qsl(parts.query, keep_blank_values=True))
        self.headers = {k.lower(): v for k, v in handler.headers.items()}
        self.server: HostileServer = handler.server.owner

    # -- answers ---------------------------------------------------------------------------

    def send(self, status: int = 200, body: bytes | str = b"", *, content_type: str = HTML,
             headers: Iterable[tuple[str, str]] = ()) -> None:
        """A complete, honest answer."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self._head(status, content_type, [*headers, ("Content-Length", str(len(data)))])
        self._write(data)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send(status, b"", headers=[("Location", location)])

    def stream(self, chunks: Iterable[bytes], *, status: int = 200, content_type: str = HTML,
               headers: Iterable[tuple[str, str]] = (), length: int | None = None,
               chunked: bool = False, drip: float = 0.0) -> None:
        """Send ``chunks`` as they are produced: with a Content-Length (which may lie), chunked
        (which may never end), or delimited by closing the connection. ``drip`` waits between
        chunks."""
        extra = list(headers)
        if chunked:
            extra.append(("Transfer-Encoding", "chunked"))
        elif length is not None:
            extra.append(("Content-Length", str(length)))
        if not chunked:
            extra.append(("Connection", "close"))
            self._handler.close_connection = True
        self._head(status, content_type, extra)
        for chunk in chunks:
            if not chunk:
                continue
            self._write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            if drip:
                self._sleep(drip)
        if chunked:
            self._write(b"0\r\n\r\n")

    def reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0)."""
        sock = self._handler.connection
        with suppress(OSError):
            self._handler.wfile.flush()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._handler.close_connection = True
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def hang(self, seconds: float) -> None:
        """Say nothing for ``seconds`` (or until the server stops)."""
        self._sleep(seconds)
        self._handler.close_connection = True

    def raw(self, data: bytes) -> None:
        """Bytes straight onto the socket (status lines and headers included)."""
        self._write(data)

    # -- plumbing --------------------------------------------------------------------------

    def _head(self, status: int, content_type: str, headers: Iterable[tuple[str, str]]) -> None:
        handler = self._handler
        handler.send_response_only(status)
        if content_type:
            handler.send_header("Content-Type", content_type)
        for name, value in headers:
            handler.send_header(name, value)
        handler.end_headers()

    def _write(self, data: bytes) -> None:
        if self.server.stopping.is_set():
            raise ClientGone
        try:
            self._handler.wfile.write(data)
        except OSError as exc:
            raise ClientGone from exc

    def _sleep(self, seconds: float) -> None:
        if self.server.stopping.wait(seconds):
            raise ClientGone


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        owner = self.server.owner
        host = self.headers.get("Host", "").rsplit(":", 1)[0].strip("[]").lower()
        owner.record(Logged(host, self.path, time.monotonic(),
                            tuple((k.lower(), v) for k, v in self.headers.items())))
        exchange = Exchange(self, host)
        try:
            owner.handler_for(host, exchange.route)(exchange)
        except ClientGone:
            self.close_connection = True
        except OSError:
            self.close_connection = True

    do_HEAD = do_GET  # noqa: N815 - the crawler never sends HEAD; answer it like GET anyway


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    owner: HostileServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients leaving mid-answer is the point of most routes


def not_found(ex: Exchange) -> None:
    ex.send(404, "<!doctype html><title>Not found</title><h1>Not found</h1>")


@dataclass
class HostileServer:
    """The running server. ``hosts`` maps a host name to its routes (path -> handler);
    ``fallback`` answers every other host."""

    address: str = "127.0.0.1"
    hosts: dict[str, dict[str, Handler]] = field(default_factory=dict)
    fallback: dict[str, Handler] = field(default_factory=dict)
    log: list[Logged] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    port_wanted: int = 0  # 0: any free port
    _httpd: _Server | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def handler_for(self, host: str, path: str) -> Handler:
        routes = self.hosts.get(host, self.fallback)
        return routes.get(path) or routes.get("*") or not_found

    def record(self, entry: Logged) -> None:
        with self._lock:
            self.log.append(entry)

    def requests(self, host: str | None = None) -> list[Logged]:
        with self._lock:
            return [e for e in self.log if host is None or e.host == host]

    def paths(self, host: str) -> list[str]:
        return [e.path for e in self.requests(host)]

    def start(self) -> HostileServer:
        self._httpd = _Server((self.address, self.port_wanted), _Handler)
        self._httpd.owner = self
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         name=f"hostile-server-{self.address}", daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()


@contextmanager
def running(server: HostileServer) -> Iterator[HostileServer]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


# ------------------------------------------------------------------------------ payloads

MiB = 1024 * 1024


@cache
def deflate_bomb(prefix: bytes, unit: bytes, count: int, suffix: bytes = b"") -> bytes:
    """A single-member gzip stream that inflates to ``prefix + unit * count + suffix`` while
    being about ``count * len(compressed unit)`` bytes on the wire. Built in milliseconds: after a
    full flush the compressor forgets its history, so the compressed unit repeats verbatim."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(unit) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(unit) + packer.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "compressed unit must repeat verbatim"
    tail = packer.compress(suffix) + packer.flush()
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(suffix, crc)
    size = (len(prefix) + len(unit) * count + len(suffix)) & 0xFFFFFFFF
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip, deflate, no name, mtime 0
    return header + head + block * count + tail + struct.pack("<II", crc, size)


def repeat(unit: bytes, total: int) -> Iterator[bytes]:
    """``total`` bytes made of ``unit``, produced lazily in pieces of about 64 KiB."""
    piece = unit * max(1, (64 * 1024) // len(unit))
    sent = 0
    while sent < total:
        chunk = piece[: total - sent]
        sent += len(chunk)
        yield chunk
