"""Outbound HTTP for webhooks, with the SSRF guard: no private, loopback or link-local peer.

When the connection is made, the host is resolved, EVERY address it resolves to is checked,
and the socket connects to one of those checked addresses: the check and the connect use the
same DNS answer, so a name that changes its answer in between (DNS rebinding) gains nothing.
TLS still verifies the certificate against the host name. Redirects are
not followed. WEBHOOKS_ALLOW_PRIVATE=true lifts the guard (development, tests).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

TIMEOUT = (5, 10)  # connect, read (seconds)
USER_AGENT = "Relais-Webhooks/1"


class BlockedAddress(Exception):
    """The URL's host is, or resolves to, an address webhooks may not call."""


def is_public(address):
    """True for an address on the public internet (not private, loopback, link-local...)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def allowed_addresses(host, port):
    """The (family, sockaddr) pairs host resolves to, all public; raises BlockedAddress."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BlockedAddress(f"{host} does not resolve ({exc})") from None
    if not infos:
        raise BlockedAddress(f"{host} does not resolve")
    if not settings.WEBHOOKS_ALLOW_PRIVATE:
        for _family, _type, _proto, _name, sockaddr in infos:
            if not is_public(sockaddr[0]):
                raise BlockedAddress(f"{host} resolves to {sockaddr[0]}, a private address")
    return [(family, sockaddr) for family, _type, _proto, _name, sockaddr in infos]


def check_url(url):
    """Raise BlockedAddress unless url is http(s) to a host that resolves to public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BlockedAddress("only http and https URLs with a host")
    allowed_addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))


class _Guarded:
    """Connects to a checked address of the host instead of resolving it again."""

    def _new_conn(self):
        error = None
        for family, sockaddr in allowed_addresses(self._dns_host, self.port):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            try:
                sock.connect(sockaddr)
            except OSError as exc:
                sock.close()
                error = exc
                continue
            return sock
        raise error or OSError("no address to connect to")


class GuardedHTTPConnection(_Guarded, HTTPConnection):
    pass


class GuardedHTTPSConnection(_Guarded, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


def session():
    http = requests.Session()
    http.trust_env = False  # a proxy from the environment would bypass the guard
    adapter = GuardedAdapter(max_retries=0)
    http.mount("http://", adapter)
    http.mount("https://", adapter)
    http.headers["User-Agent"] = USER_AGENT
    return http


_session = None


def post(url, body, headers):
    """POST body (bytes) to url; returns the response. Raises BlockedAddress or a requests
    error (timeout, refused connection...)."""
    global _session
    check_url(url)
    if _session is None:
        _session = session()
    return _session.post(url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False)
