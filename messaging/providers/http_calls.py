"""The HTTP side the providers share: a request described without network I/O, an answer read
by an asyncio client, and the one requests session each provider calls through."""

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus, urlencode

import requests

# (connect, read) seconds: a provider that does not answer within this is treated as down.
DEFAULT_TIMEOUT = (5.0, 30.0)
USER_AGENT = "Relais/0.1"
# Connections kept alive per host: as many as the batch engine's calls in flight per process
# (requests keeps 10 by default and drops, with a warning, any connection beyond).
HTTP_POOL_SIZE = 32


def new_session():
    """A requests session with our User-Agent and a connection pool for the batch engine."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    adapter = requests.adapters.HTTPAdapter(pool_maxsize=HTTP_POOL_SIZE)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


# json.dumps(value, allow_nan=False), as requests encodes json=, without a new encoder a call.
_JSON = json.JSONEncoder(allow_nan=False)
# What urlencode's quote_plus leaves as it is: a value made of these only needs no quoting.
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")


def _urlencode(pairs, doseq=False):
    """urlencode(pairs, doseq), quoting only the keys and values that need it (ids and
    numbers seldom do): urlencode quoted each byte in Python, a tenth of the loop thread's
    CPU a call (profiled)."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    parts = []
    for key, value in items:
        if not (key.__class__ is str and value.__class__ is str):
            return urlencode(pairs, doseq=doseq)
        if not _PLAIN.fullmatch(key):
            key = quote_plus(key)
        if not _PLAIN.fullmatch(value):
            value = quote_plus(value)
        parts.append(f"{key}={value}")
    return "&".join(parts)


@dataclass(frozen=True)
class HttpCall:
    """An HTTP request a provider wants made, built without network I/O.

    The same request goes through the provider's requests session (one message at a time) or
    through the batch engine's asyncio client (many at once): `body()` and `query()` give the
    exact bytes both send.
    """

    method: str
    url: str
    params: Mapping[str, str] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    json: Any = None
    form: list[tuple[str, str]] | None = None
    auth: tuple[str, str] | None = None

    def query(self):
        """The query string (without "?"), encoded as requests encodes `params`."""
        return _urlencode(self.params, doseq=True) if self.params else ""

    def full_url(self):
        query = self.query()
        return f"{self.url}?{query}" if query else self.url

    def body(self):
        """(body bytes or None, Content-Type or None), as requests encodes json= and data=."""
        if self.json is not None:
            return _JSON.encode(self.json).encode("utf-8"), "application/json"
        if self.form is not None:
            return _urlencode(self.form).encode("utf-8"), "application/x-www-form-urlencoded"
        return None, None

    def all_headers(self, content_type=None):
        """The headers, with Basic authorization and the body's Content-Type added (pass the
        one body() gave, so the body is not encoded twice)."""
        headers = dict(self.headers)
        if self.auth is not None:
            token = base64.b64encode(":".join(self.auth).encode("latin-1")).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        if content_type is None:
            _body, content_type = self.body()
        if content_type:
            headers.setdefault("Content-Type", content_type)
        return headers


@dataclass(frozen=True)
class HttpAnswer:
    """An HTTP response read by an asyncio client, shaped like the parts of requests.Response
    the providers read (status_code, ok, reason, headers, json())."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes = b""
    reason: str = ""

    @property
    def ok(self):
        return self.status_code < 400

    def json(self):
        # ValueError (JSONDecodeError, UnicodeDecodeError) like requests' Response.json.
        return json.loads(self.content)
