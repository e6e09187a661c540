"""Which webhook URLs Argus will POST to.

Only http and https. The host is resolved and every address it resolves to must be public:
private, loopback, link-local, multicast, reserved and unspecified addresses are refused
unless an ``allowed_networks`` CIDR contains them. The check runs when subscribing and again
before every delivery, and the request then goes to the very address that was checked (the
URL's host travels in the Host header and TLS SNI), so a DNS answer that changes between the
check and the connection (DNS rebinding) cannot steer a delivery to an internal service.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Sequence[str]]

SCHEMES = {"http": 80, "https": 443}


class TargetRefused(ValueError):
    """The URL is not an acceptable webhook target (the message says why)."""


@dataclass(frozen=True)
class Target:
    """A vetted URL and the address its request must connect to."""

    url: str
    scheme: str
    host: str
    port: int
    address: IPAddress

    @property
    def pinned_url(self) -> str:
        """The URL with its host replaced by the checked address."""
        parts = urlsplit(self.url)
        ip = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        return urlunsplit((parts.scheme, f"{ip}:{self.port}", parts.path or "/", parts.query, ""))

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == SCHEMES[self.scheme] else f"{host}:{self.port}"


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise TargetRefused(f"cannot resolve {host}: {error.strerror}") from error
    return [str(info[4][0]) for info in infos]


def protocol_of(url: str) -> str:
    """``http`` or ``https``; refuses anything else and malformed URLs."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise TargetRefused(f"only http and https endpoints are supported, not {parts.scheme or url!r}")
    if not parts.hostname:
        raise TargetRefused(f"the endpoint {url!r} has no host")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("endpoints must not carry credentials in the URL")
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as error:
        raise TargetRefused(f"the endpoint {url!r} has an invalid port") from error
    return parts.scheme


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def permitted(address: IPAddress, allowed: Iterable[IPNetwork]) -> bool:
    if is_public(address):
        return True
    candidates = [address]
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        candidates.append(address.ipv4_mapped)
    return any(a in network for a in candidates for network in allowed if a.version == network.version)


def vet(url: str, allowed: Iterable[IPNetwork], resolver: Resolver = system_resolver) -> Target:
    """Check ``url`` and resolve it now; every address it resolves to must be permitted."""
    scheme = protocol_of(url)
    parts = urlsplit(url)
    host = parts.hostname
    assert host is not None
    port = parts.port or SCHEMES[scheme]
    try:
        addresses: list[IPAddress] = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolver(host, port)]
    if not addresses:
        raise TargetRefused(f"{host} resolves to no address")
    networks = list(allowed)
    for address in addresses:
        if not permitted(address, networks):
            raise TargetRefused(
                f"{host} resolves to {address}, a private, loopback, link-local, multicast or reserved "
                "address; add its network to ARGUS_NOTIFICATIONS__ALLOWED_NETWORKS to permit it"
            )
    return Target(url=url, scheme=scheme, host=host, port=port, address=addresses[0])
