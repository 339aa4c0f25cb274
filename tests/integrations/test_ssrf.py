"""The SSRF guard: no private, loopback or link-local peer, however the host is written or
what it resolves to; no redirects followed; WEBHOOKS_ALLOW_PRIVATE lifts it."""

import socket

import pytest

from integrations import outbound
from tests.support.stub_server import StubServer


@pytest.fixture(autouse=True)
def guarded(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False


def resolving(monkeypatch, table):
    """Make getaddrinfo answer host -> addresses from table (others: the real resolver)."""
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host in table:
            return [
                (
                    socket.AF_INET6 if ":" in address else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (address, port, 0, 0) if ":" in address else (address, port),
                )
                for address in table[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",
        "http://10.1.2.3/hook",
        "http://192.168.1.10/hook",
        "http://172.16.0.5/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[fc00::1]/hook",
        "http://[fd12:3456::1]/hook",
        "http://[fe80::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url):
    with pytest.raises(outbound.BlockedAddress):
        outbound.check_url(url)


def test_a_host_resolving_to_a_private_address_is_refused(monkeypatch):
    resolving(monkeypatch, {"hooks.shop.example": ["10.0.0.7"]})
    with pytest.raises(outbound.BlockedAddress, match="10.0.0.7"):
        outbound.check_url("https://hooks.shop.example/relais")


def test_one_private_address_among_public_ones_is_enough_to_refuse(monkeypatch):
    resolving(monkeypatch, {"mixed.shop.example": ["93.184.215.14", "fc00::5"]})
    with pytest.raises(outbound.BlockedAddress, match="fc00::5"):
        outbound.check_url("https://mixed.shop.example/relais")


def test_a_host_resolving_to_public_addresses_passes(monkeypatch):
    resolving(monkeypatch, {"hooks.shop.example": ["93.184.215.14", "2606:2800:21f:cb07::1"]})
    outbound.check_url("https://hooks.shop.example/relais")


def test_a_name_that_changes_its_answer_after_the_check_never_reaches_loopback(monkeypatch):
    # The name resolves to a public address for the first check, to loopback afterwards (DNS
    # rebinding): the connection checks the answer it connects with, so loopback is refused.
    answers = iter([["93.184.215.14"], ["127.0.0.1"], ["127.0.0.1"]])
    real = socket.getaddrinfo
    connected = []

    def fake(host, port, *args, **kwargs):
        if host == "rebind.shop.example":
            address = next(answers)[0]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    def connect(self, sockaddr):
        connected.append(sockaddr[0])
        raise ConnectionRefusedError("not really")

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    monkeypatch.setattr(socket.socket, "connect", connect)
    with pytest.raises(Exception):  # noqa: B017 (refused, or blocked: never loopback)
        outbound.post("http://rebind.shop.example/hook", b"{}", {})
    assert "127.0.0.1" not in connected


def test_with_allow_private_a_local_receiver_is_reached_and_redirects_are_not_followed(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    with StubServer() as stub:
        stub.reply(302, headers={"Location": "http://169.254.169.254/"})
        response = outbound.post(
            stub.base_url + "/hook", b"{}", {"Content-Type": "application/json"}
        )
    assert response.status_code == 302
    assert len(stub.requests) == 1


def test_without_allow_private_the_local_receiver_is_never_called():
    with StubServer() as stub, pytest.raises(outbound.BlockedAddress):
        outbound.post(stub.base_url + "/hook", b"{}", {})
    assert stub.requests == []
