"""The HTTP fetcher of URL mode: one bounded, polite, policy-checked GET per URL.

Every fetch is bounded whatever the server does: redirects are followed by hand (each hop
recorded, re-checked for scheme, header scope and network policy), the body is read
incrementally and decompressed by us with a cap on the *decompressed* size (gzip bombs), and a
watchdog shuts the socket of any request that outlives its deadline (``requests``' timeout is
per socket read, so a server dripping a byte a second, or headers forever, would never time out).

Retries: 429 and 503 answers and failed connections are retried ``options.retries`` times with
fixed exponential delays (0.5 s, 1 s, 2 s ...) or the server's ``Retry-After`` (capped at 30 s,
never past the crawl's time budget); a Retry-After pauses the whole host, not one worker.

One ``requests.Session`` is shared by all workers: its connection pool (one per host, as many
connections as workers) is thread-safe, and a shared pool keeps connections alive across
workers. Cookies are kept for one redirect chain only, so a page never depends on what another
worker fetched before it.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import os
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urljoin, urlsplit

import requests
from requests.cookies import RequestsCookieJar
from urllib3.exceptions import NameResolutionError

from auditor.crawl.engine import Response, is_html
from auditor.crawl.netpolicy import AddressRefused, NetPolicy, PolicyAdapter
from auditor.crawl.options import CrawlOptions
from auditor.crawl.throttle import Throttle
from auditor.crawl.urls import normalize_url, same_site

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
RETRY_CODES = frozenset({429, 503})
MAX_RETRY_AFTER = 30.0
BACKOFF_BASE = 0.5
READ_CHUNK = 64 * 1024
_DRAIN_LIMIT = 64 * 1024  # unwanted bodies up to this size are read to keep the connection
_WATCHDOG_IDLE = 2.0  # seconds an idle watchdog thread lingers before it ends
ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.I)


def parse_content_type(value: str) -> tuple[str, str]:
    """(media type lower-case, charset or "") of a Content-Type header."""
    media = value.split(";", 1)[0].strip().lower()
    match = _CHARSET_RE.search(value)
    return media, (match.group(1).strip().lower() if match else "")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now if now is not None else datetime.now(UTC).timestamp()
    return max(0.0, when.timestamp() - current)


def backoff_delay(attempt: int, base: float = BACKOFF_BASE) -> float:
    """Deterministic exponential backoff: base, 2*base, 4*base ... (capped at 30 s)."""
    return min(MAX_RETRY_AFTER, base * (2**attempt))


# --------------------------------------------------------------------------------- deadlines


@dataclass(slots=True, eq=False)
class _Armed:
    """One request attempt under the watchdog."""

    deadline: float
    sockets: list[tuple[object, socket.socket]] = field(default_factory=list)
    expired: bool = False
    reason: str = "timeout"


class _Watchdog:
    """Shuts down the sockets of requests that outlive their deadline, and of every request in
    flight when the crawl stops. One daemon thread for the whole fetcher."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._armed: set[_Armed] = set()
        self._local = threading.local()
        self._thread: threading.Thread | None = None
        self._closed = False

    def arm(self, deadline: float) -> _Armed:
        record = _Armed(deadline)
        with self._cond:
            if self._closed:
                record.expired, record.reason = True, "interrupted"
            self._armed.add(record)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="trustaudit-watchdog",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()
        self._local.current = record
        return record

    def disarm(self, record: _Armed) -> None:
        with self._cond:
            self._armed.discard(record)
        if getattr(self._local, "current", None) is record:
            self._local.current = None

    def attach(self, connection: object, sock: socket.socket) -> None:
        """Connection hook: the socket now serves the current thread's request."""
        record: _Armed | None = getattr(self._local, "current", None)
        if record is None:
            return
        with self._cond:
            record.sockets.append((connection, sock))
            if record.expired:
                _shutdown(connection, sock)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            for record in self._armed:
                if not record.expired:
                    record.expired, record.reason = True, "interrupted"
                    for connection, sock in record.sockets:
                        _shutdown(connection, sock)
            self._cond.notify()

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                soonest = None
                for record in self._armed:
                    if record.expired:
                        continue
                    if record.deadline <= now:
                        record.expired = True
                        for connection, sock in record.sockets:
                            _shutdown(connection, sock)
                    elif soonest is None or record.deadline < soonest:
                        soonest = record.deadline
                if soonest is None and not self._armed:
                    # Idle: wait a little for work, else end (arm() starts a new thread).
                    self._cond.wait(_WATCHDOG_IDLE)
                    if not self._armed:
                        break
                    continue
                self._cond.wait(_WATCHDOG_IDLE if soonest is None else max(0.005, soonest - now))
            self._thread = None


def _shutdown(connection: object, sock: socket.socket) -> None:
    """Wake whoever blocks on this connection: shut its sockets down (both directions)."""
    for candidate in (sock, getattr(connection, "sock", None)):
        if candidate is None:
            continue
        with contextlib.suppress(OSError, ValueError, AttributeError):
            candidate.shutdown(socket.SHUT_RDWR)


# --------------------------------------------------------------------------------- bodies


class _Decoder:
    """Incremental Content-Encoding decoder with a bound on the output of every call."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._obj: zlib._Decompress | None = None  # type: ignore[name-defined]
        self._pending_deflate = b""
        if encoding in ("gzip", "x-gzip"):
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding not in ("", "identity", "deflate"):
            raise ValueError(f"unsupported content-encoding {encoding}")

    def decode(self, data: bytes, limit: int) -> bytes:
        """Decode ``data``; return at most ``limit`` bytes (more input is dropped: the caller
        stops at the cap anyway)."""
        if self.encoding in ("", "identity"):
            return data[:limit]
        if self._obj is None:  # deflate: zlib-wrapped per the RFC, raw in the wild
            self._pending_deflate += data
            if len(self._pending_deflate) < 2:
                return b""
            head = self._pending_deflate
            wrapped = head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
            self._obj = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
            data, self._pending_deflate = head, b""
        out = bytearray()
        while data and len(out) < limit:
            out += self._obj.decompress(data, limit - len(out))
            if self._obj.unconsumed_tail:
                break  # output limit reached
            if self._obj.eof and self._obj.unused_data and self.encoding != "deflate":
                data = self._obj.unused_data  # another gzip member follows
                self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
            else:
                data = b""
        return bytes(out)


# --------------------------------------------------------------------------------- errors


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and everything it wraps (cause, context, args, urllib3 ``reason``)."""
    out: list[BaseException] = []
    stack: list[BaseException] = [exc]
    while stack and len(out) < 30:
        current = stack.pop()
        if any(current is seen for seen in out):
            continue
        out.append(current)
        for nxt in (current.__cause__, current.__context__, getattr(current, "reason", None),
                    *[a for a in current.args if isinstance(a, BaseException)]):
            if isinstance(nxt, BaseException):
                stack.append(nxt)
    return out


def _tls_reason(causes: list[BaseException]) -> str:
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            detail = cause.verify_message or cause.reason or "certificate verify failed"
            return f"tls: certificate verify failed: {detail}"
    for cause in causes:
        if isinstance(cause, ssl.SSLError):
            return f"tls: {cause.reason or cause.strerror or 'handshake failed'}".lower()
    return "tls: handshake failed"


def classify_error(exc: BaseException, host: str) -> tuple[str, bool]:
    """(short reason, worth retrying) for an exception raised by requests."""
    causes = _causes(exc)
    if any(isinstance(c, AddressRefused) for c in causes):
        return str(next(c for c in causes if isinstance(c, AddressRefused))), False
    if isinstance(exc, requests.exceptions.SSLError) or any(
            isinstance(c, ssl.SSLError) for c in causes):
        return _tls_reason(causes), False
    if any(isinstance(c, NameResolutionError | socket.gaierror) for c in causes):
        return f"dns: cannot resolve host {host}", False
    if isinstance(exc, requests.exceptions.Timeout) or any(
            isinstance(c, TimeoutError | socket.timeout) for c in causes):
        return "timeout", False
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "connection refused", True
    if any(isinstance(c, ConnectionResetError) for c in causes):
        return "connection reset", True
    if any(isinstance(c, http.client.HTTPException) for c in causes):
        return "invalid HTTP response", False  # bytes that are not HTTP (status line, headers)
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema
                  | requests.exceptions.MissingSchema):
        return "invalid URL", False
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "connection closed", True
    return f"error: {type(exc).__name__}", False


# --------------------------------------------------------------------------------- fetcher


def _ca_bundle() -> str | bool:
    """The CA bundle the environment names (the session ignores the environment otherwise)."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        value = os.environ.get(name)
        if value and os.path.isfile(value):
            return value
    return True


class _Session(requests.Session):
    """A session that never looks at Location itself: redirects are followed by hand, and
    requests' own look-ahead (``response.next``) raises ValueError on a malformed Location such as
    ``http://[::1`` before we could report it."""

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        return None


@dataclass(slots=True)
class _Clock:
    """Network time left for one fetch (throttle waits and retry delays do not count)."""

    left: float
    since: float = 0.0

    def start(self) -> float:
        self.since = time.monotonic()
        return self.since + self.left

    def stop(self) -> None:
        self.left -= time.monotonic() - self.since


@dataclass(slots=True)
class _Sent:
    response: requests.Response | None = None
    armed: _Armed | None = None
    error: str = ""


class HttpFetcher:
    """Fetches URLs for the crawl engine (the ``Fetcher`` protocol), bounded and polite."""

    def __init__(
        self,
        options: CrawlOptions,
        *,
        site_url: str,
        policy: NetPolicy | None = None,
        throttle: Throttle | None = None,
        backoff: float = BACKOFF_BASE,
        verify: str | bool | None = None,
    ) -> None:
        self.options = options
        self.site_url = site_url
        self.policy = policy or NetPolicy(allow_private=options.allow_private)
        self.throttle = throttle or Throttle(options.delay)
        self.backoff = backoff
        self.robots_allowed: Callable[[str], bool] | None = None  # set by crawl_url
        self._budget_end = (time.monotonic() + options.time_budget
                            if options.time_budget is not None else None)
        self._watchdog = _Watchdog()
        session = _Session()
        session.trust_env = False  # no env proxies (the policy must see the destination), no netrc
        session.verify = _ca_bundle() if verify is None else verify
        session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # nothing kept
        session.headers.clear()
        session.headers.update({"User-Agent": options.user_agent, "Accept": ACCEPT,
                                "Accept-Encoding": "gzip, deflate"})
        adapter = PolicyAdapter(self.policy, on_connect=self._watchdog.attach,
                                pool_maxsize=max(10, options.concurrency * 2))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        self.session = session
        self._extra = {name: value for name, value in options.headers}

    # ----------------------------------------------------------------------------- protocol

    def allowed(self, url: str) -> bool:
        check = self.robots_allowed
        return True if check is None else check(url)

    def fetch(self, url: str, *, want_body: bool) -> Response:
        """GET ``url`` for the crawl: HTML bodies kept (capped), other types status only."""
        return self.get(url, want_body=want_body)

    def close(self) -> None:
        """Stop: wake throttled workers, cut requests in flight, drop pooled connections."""
        self.throttle.close()
        self._watchdog.close()
        self.session.close()

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------------------- fetching

    def get(
        self,
        url: str,
        *,
        want_body: bool = True,
        any_type: bool = False,
        max_bytes: int | None = None,
        max_redirects: int | None = None,
        check_robots: bool = True,
    ) -> Response:
        """GET with redirects, retries and bounds. ``any_type`` keeps non-HTML bodies too
        (robots.txt, sitemaps); ``max_bytes`` defaults to ``options.max_body_bytes``;
        ``check_robots`` refuses redirect hops that robots.txt disallows."""
        requested = normalize_url(url) or url
        limit = self.options.max_body_bytes if max_bytes is None else max_bytes
        hops_left = self.options.max_redirects if max_redirects is None else max_redirects
        clock = _Clock(self.options.timeout)
        jar = RequestsCookieJar()
        hops: list[tuple[str, int]] = []
        current = requested
        visited: set[tuple[str, tuple[str, ...]]] = set()

        def fail(status: int, error: str, headers: tuple[tuple[str, str], ...] = ()) -> Response:
            return Response(url=requested, status=status,
                            final_url=current if current != requested else "",
                            headers=headers, redirects=tuple(hops), error=error)

        while True:
            visited.add((current, _jar_key(jar)))
            sent = self._send(current, jar, clock)
            if sent.response is None:
                return fail(0, sent.error)
            response, armed = sent.response, sent.armed
            assert armed is not None
            status = response.status_code
            headers = tuple((k.lower(), v) for k, v in response.raw.headers.items())
            location = response.headers.get("location")
            if status in REDIRECT_CODES and location:
                _discard(response, armed)
                self._watchdog.disarm(armed)
                clock.stop()
                jar.update(response.cookies)
                target, error = _redirect_target(current, location)
                if not error and hops_left <= 0:
                    error = "too many redirects"
                if not error and (target, _jar_key(jar)) in visited:
                    error = "redirect loop"
                if not error and urlsplit(target).hostname != urlsplit(current).hostname:
                    error = self._precheck(target)  # before asking the new host's robots.txt
                if not error and check_robots and not self.allowed(target):
                    error = "redirect target blocked by robots.txt"
                if error:
                    return fail(status, error, headers)
                hops.append((current, status))
                hops_left -= 1
                current = target
                continue
            return self._finish(requested, current, hops, response, armed, clock, headers,
                                want_body=want_body, any_type=any_type, limit=limit)

    def _precheck(self, url: str) -> str:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return self.policy.precheck(parts.hostname or "", port)

    def _finish(self, requested: str, current: str, hops: list[tuple[str, int]],
                response: requests.Response, armed: _Armed, clock: _Clock,
                headers: tuple[tuple[str, str], ...], *, want_body: bool, any_type: bool,
                limit: int) -> Response:
        media, charset = parse_content_type(response.headers.get("content-type", ""))
        body, truncated, error = b"", False, ""
        try:
            if want_body and (any_type or is_html(media)):
                body, truncated, error = self._read_body(response, armed, limit)
        finally:
            self._watchdog.disarm(armed)
            response.close()
            clock.stop()
        if armed.expired:
            body, truncated, error = b"", False, armed.reason
        return Response(url=requested, status=response.status_code,
                        final_url=current if current != requested else "", headers=headers,
                        content_type=media, body=body, encoding=charset,
                        redirects=tuple(hops), error=error, truncated=truncated)

    def _read_body(self, response: requests.Response, armed: _Armed,
                   limit: int) -> tuple[bytes, bool, str]:
        """(body up to ``limit`` decompressed bytes, truncated, error)."""
        encoding = response.headers.get("content-encoding", "").strip().lower()
        try:
            decoder = _Decoder(encoding)
        except ValueError as exc:
            return b"", False, str(exc)
        raw = response.raw
        read = getattr(raw, "read1", None) or raw.read
        out = bytearray()
        while True:
            if armed.expired or time.monotonic() > armed.deadline:
                return b"", False, "timeout"
            try:
                chunk = read(READ_CHUNK, decode_content=False)
            except Exception:  # noqa: BLE001 - a broken connection mid-body
                # Cut short (reset, lying Content-Length, broken chunking): keep what arrived.
                return (b"", False, armed.reason) if armed.expired else (bytes(out), True, "")
            if not chunk:
                return bytes(out), False, ""
            try:
                out += decoder.decode(chunk, limit + 1 - len(out))
            except zlib.error:
                return bytes(out), True, ""
            if len(out) > limit:
                return bytes(out[:limit]), True, ""

    def _send(self, url: str, jar: RequestsCookieJar, clock: _Clock) -> _Sent:
        """One request with retries; the response is returned with headers read, body not."""
        parts = urlsplit(url)
        host = parts.netloc
        headers = dict(self._extra) if self._extra and same_site(url, self.site_url) else {}
        attempts = max(0, self.options.retries) + 1
        for attempt in range(attempts):
            if not self.throttle.wait(host):
                return _Sent(error="interrupted")
            if clock.left <= 0:
                return _Sent(error="timeout")
            deadline = clock.start()
            armed = self._watchdog.arm(deadline)
            wait = max(0.001, clock.left)
            try:
                response = self.session.get(url, headers=headers, cookies=jar,
                                            allow_redirects=False, stream=True,
                                            timeout=(wait, wait))
            except Exception as exc:  # noqa: BLE001 - every failure becomes a short reason
                self._watchdog.disarm(armed)
                clock.stop()
                if armed.expired:
                    return _Sent(error=armed.reason)
                error, retry = classify_error(exc, parts.hostname or host)
                if retry and attempt + 1 < attempts and self._pause(host, backoff_delay(
                        attempt, self.backoff), host_wide=False):
                    continue
                return _Sent(error=error)
            if response.status_code in RETRY_CODES and attempt + 1 < attempts:
                after = parse_retry_after(response.headers.get("retry-after"))
                delay = backoff_delay(attempt, self.backoff) if after is None else after
                delay = min(delay, MAX_RETRY_AFTER)
                if self._fits_budget(delay):
                    _discard(response, armed)
                    self._watchdog.disarm(armed)
                    clock.stop()
                    if self._pause(host, delay, host_wide=after is not None):
                        continue
                    return _Sent(error="interrupted")
            return _Sent(response=response, armed=armed)
        return _Sent(error="interrupted")  # pragma: no cover - the loop always returns

    def _fits_budget(self, delay: float) -> bool:
        return self._budget_end is None or time.monotonic() + delay < self._budget_end

    def _pause(self, host: str, delay: float, *, host_wide: bool) -> bool:
        """Wait before a retry; a server's Retry-After holds back every worker for the host."""
        if not self._fits_budget(delay):
            return False
        if host_wide:
            self.throttle.pause(host, delay)
            return True  # the next throttle.wait(host) sleeps until then
        return self.throttle.sleep(delay)


def _jar_key(jar: RequestsCookieJar) -> tuple[str, ...]:
    """The cookies of a redirect chain: a hop back to a URL with new cookies is no loop."""
    return tuple(sorted(f"{c.domain}{c.path}{c.name}={c.value}" for c in jar))


def _discard(response: requests.Response, armed: _Armed) -> None:
    """Done with a response whose body is not wanted (a redirect, a 503 before a retry): read a
    small body to its end so the kept-alive connection goes back to the pool, else close. Only
    raw bytes are read (nothing is decompressed), at most _DRAIN_LIMIT of them."""
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) <= _DRAIN_LIMIT and "chunked" not in \
            response.headers.get("transfer-encoding", "").lower():
        with contextlib.suppress(Exception):
            response.raw.drain_conn()  # stops at Content-Length; the watchdog bounds the time
            if not armed.expired:
                response.raw.release_conn()
                return
    response.close()  # anything else (large, chunked, cut short) closes the connection


def _redirect_target(current: str, location: str) -> tuple[str, str]:
    """(next URL, "") or ("", reason) for a Location header."""
    location = location.strip()
    try:
        joined = urljoin(current, location)
        scheme = urlsplit(joined).scheme.lower()
    except ValueError:
        return "", "invalid redirect location"
    if scheme not in ("http", "https"):
        return "", f"redirect to unsupported scheme {scheme or '?'}:"
    target = normalize_url(joined)
    if not target:
        return "", "invalid redirect location"
    return target, ""
