"""The HTTP fetcher against a real server: redirects, retries, deadlines, caps, headers."""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from pathlib import Path

import pytest

from auditor.crawl.fetcher import (
    HttpFetcher,
    backoff_delay,
    parse_content_type,
    parse_retry_after,
)
from auditor.crawl.netpolicy import NetPolicy
from auditor.crawl.throttle import Throttle
from tests.crawl.server import (
    Request,
    Route,
    TestServer,
    free_port,
    html,
    make_fetcher,
    options,
    resolver_for,
    self_signed_cert,
    serve,
)

PAGE = html("Page", links=["/a"])


@pytest.fixture
def server():
    with serve() as running:
        yield running


def test_ok_page_headers_and_charset(server: TestServer) -> None:
    server.routes["/"] = Route(body=PAGE, content_type="text/html; charset=ISO-8859-1",
                               headers=(("X-Frame-Options", "DENY"), ("Set-Cookie", "a=1"),
                                        ("Set-Cookie", "b=2")))
    fetcher = make_fetcher(server)
    response = fetcher.fetch(server.url("/"), want_body=True)
    assert response.status == 200 and not response.error
    assert response.body == PAGE.encode() and response.content_type == "text/html"
    assert response.encoding == "iso-8859-1"
    assert ("x-frame-options", "DENY") in response.headers
    assert [v for k, v in response.headers if k == "set-cookie"] == ["a=1", "b=2"]
    assert response.final_url == "" and response.redirects == ()
    request = server.requests("/")[0]
    assert request.header("user-agent").startswith("trustaudit/")
    assert "gzip" in (request.header("accept-encoding") or "")


def test_user_agent_from_options(server: TestServer) -> None:
    server.routes["/"] = Route(body=PAGE)
    make_fetcher(server, user_agent="TestBot/1.0 (+https://example.org)").fetch(
        server.url("/"), want_body=True)
    assert server.requests("/")[0].header("user-agent") == "TestBot/1.0 (+https://example.org)"


def test_redirect_chain_recorded(server: TestServer) -> None:
    server.routes.update({
        "/r1": Route(status=301, location="/r2"),
        "/r2": Route(status=302, location=server.url("/r3")),
        "/r3": Route(status=307, location="final?x=1"),
        "/final": Route(body=PAGE),
    })
    response = make_fetcher(server).fetch(server.url("/r1"), want_body=True)
    assert response.status == 200 and not response.error
    assert response.final_url == server.url("/final?x=1")
    assert response.redirects == ((server.url("/r1"), 301), (server.url("/r2"), 302),
                                  (server.url("/r3"), 307))
    assert response.body == PAGE.encode()


def test_redirect_loop_and_too_many_hops(server: TestServer) -> None:
    server.routes.update({"/a": Route(location="/b"), "/b": Route(location="/a")})
    for i in range(5):
        server.routes[f"/h{i}"] = Route(status=301, location=f"/h{i + 1}")
    server.routes["/h5"] = Route(body=PAGE)
    fetcher = make_fetcher(server, max_redirects=3)
    loop = fetcher.fetch(server.url("/a"), want_body=True)
    assert loop.error == "redirect loop" and loop.status == 302
    assert loop.redirects == ((server.url("/a"), 302),) and loop.final_url == server.url("/b")
    hops = fetcher.fetch(server.url("/h0"), want_body=True)
    assert hops.error == "too many redirects" and len(hops.redirects) == 3
    assert make_fetcher(server, max_redirects=5).fetch(server.url("/h0"),
                                                        want_body=True).status == 200


@pytest.mark.parametrize(("location", "scheme"), [
    ("javascript:alert(1)", "javascript:"), ("data:text/html,<b>x</b>", "data:"),
    ("file:///etc/passwd", "file:"),
])
def test_redirect_to_unsupported_scheme_refused(server: TestServer, location: str,
                                                scheme: str) -> None:
    server.routes["/go"] = Route(location=location)
    response = make_fetcher(server).fetch(server.url("/go"), want_body=True)
    assert response.error == f"redirect to unsupported scheme {scheme}"
    assert server.paths() == ["/go"]


def test_error_statuses_recorded_with_body(server: TestServer) -> None:
    server.routes["/boom"] = Route(status=500, body=html("Server error"))
    fetcher = make_fetcher(server, retries=0)
    missing = fetcher.fetch(server.url("/missing"), want_body=True)
    boom = fetcher.fetch(server.url("/boom"), want_body=True)
    assert (missing.status, boom.status) == (404, 500)
    assert b"Not found" in missing.body and b"Server error" in boom.body
    assert not missing.error and not boom.error


def test_retries_on_503_then_success(server: TestServer) -> None:
    calls: list[Request] = []

    def flaky(request: Request) -> Route:
        calls.append(request)
        return Route(status=503, body="busy") if len(calls) < 3 else Route(body=PAGE)

    server.routes["/flaky"] = flaky
    response = make_fetcher(server, retries=2).fetch(server.url("/flaky"), want_body=True)
    assert response.status == 200 and response.body == PAGE.encode()
    assert len(calls) == 3
    # Deterministic backoff: 0.05 s then 0.1 s.
    assert calls[1].time - calls[0].time >= 0.045 and calls[2].time - calls[1].time >= 0.095
    server.routes["/down"] = Route(status=503, body="down")
    down = make_fetcher(server, retries=1).fetch(server.url("/down"), want_body=True)
    assert down.status == 503 and len(server.requests("/down")) == 2


def test_429_retry_after_honoured(server: TestServer) -> None:
    def limited(request: Request) -> Route:
        if len(server.requests("/limited")) == 1:
            return Route(status=429, headers=(("Retry-After", "1"),), body="slow down")
        return Route(body=PAGE)

    server.routes["/limited"] = limited
    response = make_fetcher(server).fetch(server.url("/limited"), want_body=True)
    first, second = server.requests("/limited")
    assert response.status == 200
    assert second.time - first.time >= 0.95


def test_retry_after_beyond_time_budget_is_not_waited(server: TestServer) -> None:
    server.routes["/limited"] = Route(status=429, headers=(("Retry-After", "120"),))
    started = time.monotonic()
    response = make_fetcher(server, time_budget=5.0).fetch(server.url("/limited"),
                                                            want_body=True)
    assert response.status == 429 and time.monotonic() - started < 2
    assert len(server.requests("/limited")) == 1


def test_retry_helpers() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    assert [backoff_delay(i) for i in range(4)] == [0.5, 1.0, 2.0, 4.0]
    assert backoff_delay(20) == 30.0
    assert parse_content_type('text/HTML; Charset="UTF-8"') == ("text/html", "utf-8")
    assert parse_content_type("") == ("", "")


def test_slow_headers_time_out(server: TestServer) -> None:
    server.routes["/slow"] = Route(body=PAGE, delay=3)
    started = time.monotonic()
    response = make_fetcher(server, timeout=0.5).fetch(server.url("/slow"), want_body=True)
    assert response.error == "timeout" and response.status == 0
    assert time.monotonic() - started < 1.5


def test_drip_fed_body_cut_by_deadline(server: TestServer) -> None:
    # One byte every 50 ms: each socket read succeeds, only a whole-request deadline stops it.
    server.routes["/drip"] = Route(body="x" * 400, drip=0.05)
    started = time.monotonic()
    response = make_fetcher(server, timeout=0.6).fetch(server.url("/drip"), want_body=True)
    elapsed = time.monotonic() - started
    assert response.error == "timeout" and response.status == 200 and response.body == b""
    assert elapsed < 1.2


def test_drip_fed_chunked_body_cut_by_deadline(server: TestServer) -> None:
    server.routes["/drip"] = Route(body="y" * 400, drip=0.05, chunked=True)
    started = time.monotonic()
    response = make_fetcher(server, timeout=0.6).fetch(server.url("/drip"), want_body=True)
    assert response.error == "timeout" and time.monotonic() - started < 1.2


def test_body_size_cap_truncates(server: TestServer) -> None:
    body = "<html><body>" + "a" * 100_000 + "</body></html>"
    server.routes["/big"] = Route(body=body)
    response = make_fetcher(server, max_body_bytes=10_000).fetch(server.url("/big"),
                                                                 want_body=True)
    assert response.truncated and response.body == body.encode()[:10_000]
    assert not response.error


@pytest.mark.parametrize("encoding", ["gzip", "deflate-zlib", "deflate-raw"])
def test_compressed_bomb_bounded_by_decompressed_cap(server: TestServer, encoding: str) -> None:
    plain = b"<html>" + b"\0" * (64 * 1024 * 1024)
    if encoding == "gzip":
        raw, header = gzip.compress(plain, 9), "gzip"
    elif encoding == "deflate-zlib":
        raw, header = zlib.compress(plain, 9), "deflate"
    else:
        packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        raw, header = packer.compress(plain) + packer.flush(), "deflate"
    assert len(raw) < 200_000  # 64 MiB on the wire would be the other kind of test
    server.routes["/bomb"] = Route(raw_body=raw, content_encoding=header)
    started = time.monotonic()
    response = make_fetcher(server, max_body_bytes=1_000_000).fetch(server.url("/bomb"),
                                                                     want_body=True)
    assert response.truncated and len(response.body) == 1_000_000
    assert response.body.startswith(b"<html>")
    assert time.monotonic() - started < 2


def test_gzip_page_decoded(server: TestServer) -> None:
    server.routes["/"] = Route(body=PAGE, gzip=True)
    response = make_fetcher(server).fetch(server.url("/"), want_body=True)
    assert response.body == PAGE.encode() and not response.truncated


def test_lying_content_length_and_endless_chunks_bounded(server: TestServer) -> None:
    server.routes["/liar"] = Route(body=PAGE, content_length=len(PAGE) + 10_000)
    server.routes["/endless"] = Route(endless=True)
    fetcher = make_fetcher(server, max_body_bytes=50_000, timeout=1.5)
    started = time.monotonic()
    liar = fetcher.fetch(server.url("/liar"), want_body=True)
    assert liar.body == PAGE.encode() and liar.truncated and not liar.error
    endless = fetcher.fetch(server.url("/endless"), want_body=True)
    assert endless.truncated and len(endless.body) == 50_000
    assert time.monotonic() - started < 1.5


def test_non_html_not_read_but_status_known(server: TestServer) -> None:
    server.routes["/doc.pdf"] = Route(body=b"%PDF-1.4 " + b"x" * 1000,
                                      content_type="application/pdf")
    server.routes["/logo.png"] = Route(body=b"\x89PNG....", content_type="image/png")
    server.routes["/notes.txt"] = Route(body="hello", content_type="text/plain")
    fetcher = make_fetcher(server)
    pdf = fetcher.fetch(server.url("/doc.pdf"), want_body=True)
    png = fetcher.fetch(server.url("/logo.png"), want_body=False)
    assert (pdf.status, pdf.content_type, pdf.body) == (200, "application/pdf", b"")
    assert (png.status, png.content_type, png.body) == (200, "image/png", b"")
    assert fetcher.fetch(server.url("/"), want_body=False).body == b""  # status only
    text = fetcher.get(server.url("/notes.txt"), any_type=True)
    assert text.body == b"hello" and text.content_type == "text/plain"


def test_extra_headers_only_to_the_site(server: TestServer) -> None:
    server.routes["/go"] = Route(location=server.url("/landing", host="other.example"))
    server.routes["/landing"] = Route(body=PAGE)
    names = {"shop.example": "127.0.0.1", "www.shop.example": "127.0.0.1",
             "other.example": "127.0.0.1"}
    fetcher = make_fetcher(server, resolver=names, site=server.url("/", host="shop.example"),
                           headers=(("X-Preview-Token", "s3cret"), ("Cookie", "pass=1")))
    response = fetcher.fetch(server.url("/go", host="shop.example"), want_body=True)
    assert response.status == 200 and response.final_url.startswith("http://other.example:")
    www = fetcher.fetch(server.url("/landing", host="www.shop.example"), want_body=True)
    assert www.status == 200
    go, landing, www_landing = server.requests()
    assert go.host.startswith("shop.example:") and go.header("x-preview-token") == "s3cret"
    assert go.header("cookie") == "pass=1"
    assert landing.host.startswith("other.example:")
    assert landing.header("x-preview-token") is None and landing.header("cookie") is None
    assert www_landing.header("x-preview-token") == "s3cret"  # www is the same site


def test_cookies_live_for_one_redirect_chain(server: TestServer) -> None:
    server.routes["/login"] = Route(location="/home", headers=(("Set-Cookie", "sid=42; Path=/"),))
    server.routes["/home"] = lambda r: Route(body=html(f"cookie {r.header('cookie')}"))
    fetcher = make_fetcher(server)
    first = fetcher.fetch(server.url("/login"), want_body=True)
    assert b"cookie sid=42" in first.body
    again = fetcher.fetch(server.url("/home"), want_body=True)
    assert b"cookie None" in again.body  # nothing leaks into later fetches


def test_connection_reused_between_requests_and_redirect_hops(server: TestServer) -> None:
    server.routes["/"] = Route(body=PAGE)
    server.routes["/moved"] = Route(status=301, location="/", body="Moved to /")
    server.routes["/empty-move"] = Route(status=308, location="/")
    fetcher = make_fetcher(server)
    for path in ("/", "/moved", "/", "/empty-move", "/"):
        assert fetcher.fetch(server.url(path), want_body=True).status == 200
    assert len(server.requests()) == 7
    assert len({r.client_port for r in server.requests()}) == 1


def test_connection_refused_and_dns_failure() -> None:
    port = free_port()
    policy = NetPolicy(allow_private=True, resolver=resolver_for({}))
    fetcher = HttpFetcher(options(retries=1), site_url=f"http://127.0.0.1:{port}/",
                          policy=policy, throttle=Throttle(0.0), backoff=0.01)
    assert fetcher.fetch(f"http://127.0.0.1:{port}/", want_body=True).error == \
        "connection refused"
    dns = fetcher.fetch("http://does-not-exist.invalid/", want_body=True)
    assert dns.error == "dns: cannot resolve host does-not-exist.invalid" and dns.status == 0


def test_close_interrupts_requests_in_flight(server: TestServer) -> None:
    server.routes["/slow"] = Route(body=PAGE, delay=5)
    fetcher = make_fetcher(server, timeout=10)
    results = []
    worker = threading.Thread(target=lambda: results.append(
        fetcher.fetch(server.url("/slow"), want_body=True)))
    worker.start()
    time.sleep(0.3)
    started = time.monotonic()
    fetcher.close()
    worker.join(3)
    assert not worker.is_alive() and time.monotonic() - started < 1
    assert results[0].error == "interrupted"


def test_tls_verified_against_host_name(tmp_path: Path) -> None:
    cert = self_signed_cert(tmp_path, "shop.example", "www.shop.example")
    if cert is None:
        pytest.skip("the openssl command is not installed")
    with serve({"/": Route(body=PAGE)}, tls=cert) as tls_server:
        names = {"shop.example": "127.0.0.1", "other.example": "127.0.0.1"}
        url = tls_server.url("/", host="shop.example")
        policy = NetPolicy(allow_private=True, resolver=resolver_for(names))
        untrusted = HttpFetcher(options(), site_url=url, policy=policy, throttle=Throttle(0))
        failed = untrusted.fetch(url, want_body=True)
        assert failed.error.startswith("tls: certificate verify failed")
        trusted = HttpFetcher(options(), site_url=url, policy=policy, throttle=Throttle(0),
                              verify=cert[0])
        assert trusted.fetch(url, want_body=True).body == PAGE.encode()
        # Connected to 127.0.0.1, but the certificate is checked against the name.
        wrong = trusted.fetch(tls_server.url("/", host="other.example"), want_body=True)
        assert wrong.error.startswith("tls: certificate verify failed")
