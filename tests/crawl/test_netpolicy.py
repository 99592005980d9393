"""Private-address refusal: checked at connect time, on every hop, with an injected resolver."""

from __future__ import annotations

import socket

import pytest

from auditor.crawl.fetcher import HttpFetcher
from auditor.crawl.http import crawl_url
from auditor.crawl.netpolicy import (
    AddressRefused,
    NetPolicy,
    is_private_address,
    target_is_local,
)
from auditor.crawl.throttle import Throttle
from tests.crawl.server import Route, html, options, resolver_for, serve


@pytest.mark.parametrize(("address", "private"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("10.0.0.5", True), ("172.16.3.4", True),
    ("192.168.1.1", True), ("169.254.169.254", True), ("100.64.0.1", True), ("0.0.0.0", True),
    ("224.0.0.1", True), ("255.255.255.255", True), ("192.0.2.10", True),
    ("::1", True), ("fe80::1", True), ("fd00::1", True), ("::ffff:127.0.0.1", True),
    ("::ffff:10.1.2.3", True), ("64:ff9b::a00:5", True), ("2002:7f00:1::", True), ("::", True),
    ("ff02::1", True), ("not-an-ip", True),
    ("93.184.216.34", False), ("8.8.8.8", False), ("2606:4700:4700::1111", False),
    ("::ffff:8.8.8.8", False),
])
def test_is_private_address(address: str, private: bool) -> None:
    assert is_private_address(address) is private


def test_target_is_local() -> None:
    names = resolver_for({"shop.example": "127.0.0.1", "public.example": "93.184.216.34",
                          "mixed.example": ["93.184.216.34", "10.0.0.5"]})
    assert target_is_local("localhost", names) and target_is_local("app.localhost", names)
    assert target_is_local("127.0.0.1", names) and target_is_local("[::1]", names)
    assert target_is_local("10.0.0.5", names) and target_is_local("shop.example", names)
    assert not target_is_local("public.example", names)
    assert not target_is_local("mixed.example", names)
    assert not target_is_local("does-not-exist.invalid", names)
    assert not target_is_local("93.184.216.34", names)


def test_policy_addresses() -> None:
    names = resolver_for({"mixed.example": ["10.0.0.5", "93.184.216.34"],
                          "internal.example": ["10.0.0.5", "192.168.0.2"]})
    public = NetPolicy(resolver=names)
    assert public.addresses("mixed.example", 80) == ["93.184.216.34"]
    with pytest.raises(AddressRefused, match=r"private address 10\.0\.0\.5 \(internal"):
        public.addresses("internal.example", 80)
    with pytest.raises(AddressRefused, match="169.254.169.254"):
        public.addresses("169.254.169.254", 80)
    with pytest.raises(socket.gaierror):
        public.addresses("nowhere.example", 80)
    with pytest.raises(AddressRefused, match="127.0.0.1 \\(localhost\\)"):
        public.addresses("localhost", 80)  # never asks DNS, still refused for a public target
    allowed = NetPolicy(allow_private=True, resolver=names)
    assert allowed.addresses("internal.example", 80) == ["10.0.0.5", "192.168.0.2"]
    assert public.precheck("internal.example", 80).startswith("refused: private address")
    assert public.precheck("nowhere.example", 80) == "dns: cannot resolve host nowhere.example"
    assert public.precheck("mixed.example", 80) == ""


def test_public_host_resolving_to_loopback_is_refused_unless_allowed() -> None:
    with serve({"/": Route(body=html("Home"))}) as server:
        names = resolver_for({"shop.example": "127.0.0.1"})
        url = server.url("/", host="shop.example")
        refused = HttpFetcher(options(), site_url=url, policy=NetPolicy(resolver=names),
                              throttle=Throttle(0)).fetch(url, want_body=True)
        assert refused.error == ("refused: private address 127.0.0.1 (shop.example) "
                                 "(target is public; --allow-private to allow)")
        assert server.paths() == []  # refused before a byte was sent
        allowed = HttpFetcher(options(allow_private=True), site_url=url,
                              policy=NetPolicy(allow_private=True, resolver=names),
                              throttle=Throttle(0)).fetch(url, want_body=True)
        assert allowed.status == 200
        assert server.requests("/")[0].host == f"shop.example:{server.port}"


def test_dns_rebinding_caught_at_connect_time() -> None:
    """The name is public when checked, private when connected: the connection is refused."""
    answers = iter([["127.0.0.1"], ["127.0.0.2"]])

    def rebinding(host: str, port: int) -> list[str]:
        return next(answers, ["127.0.0.2"])

    policy = NetPolicy(resolver=rebinding, classify=lambda ip: ip != "127.0.0.1")
    with serve({"/": Route(body=html("Home"))}) as server:
        assert policy.precheck("flip.example", server.port) == ""
        url = server.url("/", host="flip.example")
        response = HttpFetcher(options(), site_url=url, policy=policy,
                               throttle=Throttle(0)).fetch(url, want_body=True)
        assert response.error.startswith("refused: private address 127.0.0.2 (flip.example)")
        assert server.paths() == []


def public_loopback(ip: str) -> bool:
    """Tests only: 127.0.0.1 plays a public address; every other address is judged as usual."""
    return ip != "127.0.0.1" and is_private_address(ip)


def test_redirects_from_public_host_to_private_ranges_refused() -> None:
    with serve() as server:
        port = server.port
        server.routes.update({
            "/": Route(body=html("Home", links=["/meta", "/internal", "/loop", "/ok"])),
            "/meta": Route(location="http://169.254.169.254/latest/meta-data/"),
            "/internal": Route(location=f"http://intranet.example:{port}/admin"),
            "/loop": Route(location=f"http://127.0.0.2:{port}/"),
            "/ok": Route(body=html("Fine")),
        })
        names = resolver_for({"public.example": "127.0.0.1", "intranet.example": "10.0.0.5"})
        snapshot = crawl_url(server.url("/", host="public.example"),
                             options(probes=False), resolver=names, classify=public_loopback)
        errors = {p.url.rsplit("/", 1)[-1]: p.error for p in snapshot.pages}
        assert errors["meta"] == ("refused: private address 169.254.169.254 "
                                  "(target is public; --allow-private to allow)")
        assert errors["internal"].startswith("refused: private address 10.0.0.5 (intranet")
        assert errors["loop"].startswith("refused: private address 127.0.0.2")
        assert errors["ok"] == ""
        page = snapshot.page(server.url("/meta", host="public.example"))
        assert page is not None and page.status == 302
        assert page.header("location") == "http://169.254.169.254/latest/meta-data/"
        assert page.final_url == "" and page.redirects == ()  # the refused hop is not taken


def test_local_target_may_use_private_addresses() -> None:
    with serve({"/": Route(body=html("Home", links=["/go"])),
                "/go": Route(location="/ok"), "/ok": Route(body=html("Ok"))}) as server:
        names = resolver_for({"shop.localhost": "127.0.0.1"})
        snapshot = crawl_url(server.url("/", host="shop.localhost"), options(probes=False),
                             resolver=names)
        assert {p.url.rsplit("/", 1)[-1]: p.status for p in snapshot.pages} == \
            {"": 200, "go": 200}
