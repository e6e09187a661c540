"""The webhook target policy: http(s) only, public addresses unless allow-listed, and the
request pinned to the address that was checked."""

from __future__ import annotations

import ipaddress

import pytest

from argus.notifications.targets import TargetRefused, vet

LOOPBACK = [ipaddress.ip_network("127.0.0.0/8")]


def fixed(*addresses: str):  # type: ignore[no-untyped-def]
    return lambda host, port: list(addresses)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",  # loopback
        "http://[::1]/hook",  # IPv6 loopback
        "http://10.1.2.3/hook",  # private
        "http://192.168.0.10/hook",  # private
        "http://172.16.5.4/hook",  # private
        "http://169.254.169.254/latest/meta-data",  # link-local (cloud metadata)
        "http://224.0.0.1/hook",  # multicast
        "http://240.0.0.1/hook",  # reserved
        "http://0.0.0.0/hook",  # unspecified
        "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
        "http://[fe80::1]/hook",  # IPv6 link-local
    ],
)
def test_internal_addresses_are_refused_by_default(url: str) -> None:
    with pytest.raises(TargetRefused, match="ALLOWED_NETWORKS"):
        vet(url, [])


def test_a_public_address_is_accepted() -> None:
    target = vet("https://93.184.215.14/hook", [])
    assert (target.scheme, target.port, str(target.address)) == ("https", 443, "93.184.215.14")


@pytest.mark.parametrize(
    "url", ["ftp://93.184.215.14/x", "file:///etc/passwd", "gopher://a/", "hooks.example"]
)
def test_only_http_and_https_are_accepted(url: str) -> None:
    with pytest.raises(TargetRefused, match="only http and https"):
        vet(url, [])


def test_credentials_in_the_url_are_refused() -> None:
    with pytest.raises(TargetRefused, match="credentials"):
        vet("http://user:pw@93.184.215.14/", [])


def test_an_allow_listed_network_permits_its_internal_addresses() -> None:
    assert str(vet("http://127.0.0.1:9000/", LOOPBACK).address) == "127.0.0.1"
    with pytest.raises(TargetRefused):
        vet("http://10.0.0.1/", LOOPBACK)


def test_an_allow_listed_ipv4_network_covers_ipv4_mapped_ipv6() -> None:
    assert vet("http://[::ffff:127.0.0.1]:9000/", LOOPBACK).port == 9000


def test_a_host_name_is_refused_when_any_of_its_addresses_is_internal() -> None:
    with pytest.raises(TargetRefused, match=r"10\.0\.0\.7"):
        vet("https://hooks.example/x", [], fixed("93.184.215.14", "10.0.0.7"))


def test_a_name_that_rebinds_to_loopback_is_refused_at_the_second_check() -> None:
    answers = iter([["93.184.215.14"], ["127.0.0.1"]])

    def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    assert str(vet("http://rebind.example/h", [], rebinding).address) == "93.184.215.14"
    with pytest.raises(TargetRefused, match=r"127\.0\.0\.1"):
        vet("http://rebind.example/h", [], rebinding)


def test_the_request_goes_to_the_checked_address_with_the_name_in_the_host_header() -> None:
    target = vet("https://hooks.example:8443/in?x=1", [], fixed("93.184.215.14"))
    assert target.pinned_url == "https://93.184.215.14:8443/in?x=1"
    assert target.host_header == "hooks.example:8443"
    default_port = vet("https://hooks.example/in", [], fixed("2606:2800:21f:cb07:6820:80da:af6b:8b2c"))
    assert default_port.pinned_url == "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:443/in"
    assert default_port.host_header == "hooks.example"
