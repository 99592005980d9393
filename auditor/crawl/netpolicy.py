"""Network policy: a public site must not steer the crawler into private networks.

A page on a public host can link or redirect to ``http://169.254.169.254/`` or
``http://10.0.0.5/admin``; a crawler running in CI would happily fetch them. So when the target
is a public host, connections to loopback, private, link-local, reserved and multicast addresses
are refused unless ``--allow-private`` is given. Local targets (``localhost``, ``127.0.0.1``, a
host that resolves only to private addresses) are allowed as such.

The check happens at connect time, on the very address the socket connects to: the connection
classes below resolve the host through the policy's resolver, refuse forbidden addresses, and
connect to the checked IP (TLS still verifies the host name). DNS rebinding cannot slip a
private address in between a check and the connection, and every redirect hop is covered.

The resolver is injectable (``Callable[[host, port], list[ip]]``) so tests can make a
public-looking name resolve to 127.0.0.1; production uses :func:`system_resolver`.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3 import PoolManager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util.connection import create_connection

Resolver = Callable[[str, int], list[str]]
#: Called with (connection, socket) when a socket is connected or reused (deadline watchdog).
ConnectHook = Callable[[Any, socket.socket], None]


def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses from the system resolver, in the order it gave them, no repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in out:
            out.append(address)
    return out


def is_private_address(address: str) -> bool:
    """True for every address a public crawl must not reach: loopback, RFC 1918 and ULA,
    link-local (cloud metadata), CGNAT, reserved, multicast, unspecified, and IPv4-mapped or
    NAT64-embedded forms of those."""
    try:
        ip = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    except ValueError:
        return True  # not an address we understand: refuse rather than guess
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            return is_private_address(str(embedded))
        if ip in ipaddress.ip_network("64:ff9b::/96"):
            return is_private_address(str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    return not ip.is_global or ip.is_multicast


def is_local_name(host: str) -> bool:
    """``localhost`` and ``*.localhost`` (RFC 6761: always loopback)."""
    host = host.strip("[]").rstrip(".").lower()
    return host == "localhost" or host.endswith(".localhost")


class AddressRefused(Exception):
    """A connection was refused by the network policy. ``str()`` is the user-facing reason."""


@dataclass(frozen=True, slots=True)
class NetPolicy:
    """Which addresses may be connected to, and how host names are resolved.

    ``allow_private`` is True for local targets and with ``--allow-private``. ``classify`` says
    whether an address is private (tests inject one that treats a chosen loopback address as
    public).
    """

    allow_private: bool = False
    resolver: Resolver = system_resolver
    classify: Callable[[str], bool] = is_private_address

    def check(self, host: str, address: str) -> None:
        """Raise :class:`AddressRefused` when connecting ``host`` at ``address`` is forbidden."""
        if self.allow_private or not self.classify(address):
            return
        shown = address if host.strip("[]") == address else f"{address} ({host})"
        raise AddressRefused(
            f"refused: private address {shown} (target is public; --allow-private to allow)"
        )

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses that may be connected to, in resolver order.

        Raises ``socket.gaierror`` when the name does not resolve and :class:`AddressRefused`
        when it resolves only to forbidden addresses.
        """
        bare = host.strip("[]")
        try:
            ipaddress.ip_address(bare.split("%", 1)[0])
            found = [bare]
        except ValueError:
            # RFC 6761: localhost is loopback; never ask DNS about it.
            found = ["127.0.0.1"] if is_local_name(bare) else self.resolver(bare, port)
        if not found:
            raise socket.gaierror(socket.EAI_NONAME, f"no address for {bare}")
        allowed = [a for a in found if self.allow_private or not self.classify(a)]
        if not allowed:
            self.check(bare, found[0])
        return allowed

    def precheck(self, url_host: str, port: int) -> str:
        """A cheap check before a request: "" when fine, else the reason (refused, DNS)."""
        try:
            self.addresses(url_host, port)
        except AddressRefused as exc:
            return str(exc)
        except (OSError, UnicodeError):
            return f"dns: cannot resolve host {url_host}"
        return ""


def target_is_local(host: str, resolver: Resolver = system_resolver,
                    classify: Callable[[str], bool] = is_private_address) -> bool:
    """True when the start host is local: localhost, a private IP literal, or a name that
    resolves only to private addresses. A name that does not resolve counts as public."""
    bare = host.strip("[]").rstrip(".").lower()
    if is_local_name(bare):
        return True
    try:
        ipaddress.ip_address(bare.split("%", 1)[0])
        return classify(bare)
    except ValueError:
        pass
    try:
        found = resolver(bare, 443)
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(classify(a) for a in found)


class _PolicyConnectionMixin:
    """Connect through the policy: resolve, refuse forbidden addresses, connect to the IP."""

    policy: NetPolicy = NetPolicy()
    on_connect: ConnectHook | None = None
    host: str
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any

    def _new_conn(self) -> socket.socket:
        host = self._dns_host  # type: ignore[attr-defined]
        try:
            addresses = self.policy.addresses(host, self.port)
        except (socket.gaierror, UnicodeError) as exc:
            gai = exc if isinstance(exc, socket.gaierror) else socket.gaierror(str(exc))
            raise NameResolutionError(self.host, self, gai) from exc  # type: ignore[arg-type]
        last: OSError | None = None
        for address in addresses:
            try:
                sock = create_connection((address, self.port), self.timeout,
                                         source_address=self.source_address,
                                         socket_options=self.socket_options)
            except TimeoutError as exc:
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
                ) from exc
            except OSError as exc:
                last = exc
                continue
            try:
                peer = sock.getpeername()[0]
                self.policy.check(host, str(peer))
            except AddressRefused:
                sock.close()
                raise
            except OSError as exc:  # not connected after all
                sock.close()
                last = exc
                continue
            if self.on_connect is not None:
                self.on_connect(self, sock)
            return sock
        raise NewConnectionError(
            self, f"Failed to establish a new connection: {last}"  # type: ignore[arg-type]
        ) from last

    def request(self, *args: Any, **kwargs: Any) -> None:
        # A kept-alive connection serves a new request: tell the hook about its socket too.
        sock = getattr(self, "sock", None)
        if sock is not None and self.on_connect is not None:
            self.on_connect(self, sock)
        super().request(*args, **kwargs)  # type: ignore[misc]


class PolicyHTTPConnection(_PolicyConnectionMixin, HTTPConnection):
    """HTTP connection whose socket is opened through a :class:`NetPolicy`."""


class PolicyHTTPSConnection(_PolicyConnectionMixin, HTTPSConnection):
    """HTTPS connection whose socket is opened through a :class:`NetPolicy` (TLS still checks
    the certificate against the host name)."""


class PolicyAdapter(HTTPAdapter):
    """A requests adapter whose pools open every connection through ``policy``."""

    def __init__(self, policy: NetPolicy, *, on_connect: ConnectHook | None = None,
                 pool_maxsize: int = 10) -> None:
        attrs = {"policy": policy, "on_connect": on_connect}
        http_conn = type("BoundHTTPConnection", (PolicyHTTPConnection,), attrs)
        https_conn = type("BoundHTTPSConnection", (PolicyHTTPSConnection,), attrs)
        self._pool_classes = {
            "http": type("PolicyHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type("PolicyHTTPSPool", (HTTPSConnectionPool,),
                          {"ConnectionCls": https_conn}),
        }
        super().__init__(pool_connections=16, pool_maxsize=pool_maxsize, max_retries=0)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False,
                         **pool_kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        manager: PoolManager = self.poolmanager
        manager.pool_classes_by_scheme = dict(self._pool_classes)  # type: ignore[assignment]

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        raise AddressRefused("proxies are not supported: the network policy must see the "
                             "real destination")
