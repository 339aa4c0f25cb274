"""Normalized types and the pipeline every messaging provider shares."""

import base64
import hmac
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode
from uuid import UUID

import requests
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from requests.structures import CaseInsensitiveDict

from .helpers import chunked

E164_RE = re.compile(r"^\+[1-9][0-9]{6,14}$")
# (connect, read) seconds: a provider that does not answer within this is treated as down.
DEFAULT_TIMEOUT = (5.0, 30.0)
USER_AGENT = "Relais/0.1"
# Connections kept alive per host: as many as the batch engine's calls in flight per process
# (requests keeps 10 by default and drops, with a warning, any connection beyond).
HTTP_POOL_SIZE = 32
# RBM accepts a TTL of at most 15 days and recommends at least 10 seconds.
RCS_TTL_MIN_SECONDS = 10
RCS_TTL_MAX_SECONDS = 15 * 24 * 3600


class Channel(TextChoices):
    RCS = "rcs", gettext_lazy("RCS")
    SMS = "sms", gettext_lazy("SMS")


class EventType(TextChoices):
    QUEUED = "queued", gettext_lazy("Queued")
    SENT = "sent", gettext_lazy("Sent")
    DELIVERED = "delivered", gettext_lazy("Delivered")
    READ = "read", gettext_lazy("Read")
    FAILED = "failed", gettext_lazy("Failed")
    UNDELIVERED = "undelivered", gettext_lazy("Undelivered")
    EXPIRED = "expired", gettext_lazy("Expired (revoked after its TTL)")
    CLICKED = "clicked", gettext_lazy("Clicked")
    REPLIED = "replied", gettext_lazy("Replied with a suggestion")
    TEXT = "text", gettext_lazy("Inbound text")
    UNKNOWN = "unknown", gettext_lazy("Unknown")


class TrafficType(TextChoices):
    PROMOTION = "PROMOTION", gettext_lazy("Promotion")
    TRANSACTION = "TRANSACTION", gettext_lazy("Transaction")
    AUTHENTICATION = "AUTHENTICATION", gettext_lazy("Authentication (one-time code)")
    SERVICEREQUEST = "SERVICEREQUEST", gettext_lazy("Service requested by the user")
    ACKNOWLEDGEMENT = "ACKNOWLEDGEMENT", gettext_lazy("Acknowledgement of an unsubscribe")


@dataclass(frozen=True)
class OutboundMessage:
    """One provider call: a rendered message for one recipient on one channel."""

    attempt_id: UUID
    to: str
    channel: Channel
    rcs_content: dict | None = None
    sms_text: str | None = None
    traffic_type: str = TrafficType.PROMOTION
    ttl_seconds: int | None = None
    sms_sender: str | None = None
    status_callback_url: str | None = None
    agent_id: str | None = None


@dataclass(frozen=True)
class SendResult:
    """What a provider answered when it accepted a message."""

    provider_message_id: str
    status: EventType
    raw: dict = field(default_factory=dict)
    handles_fallback: bool = False


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
        return urlencode(self.params, doseq=True) if self.params else ""

    def full_url(self):
        query = self.query()
        return f"{self.url}?{query}" if query else self.url

    def body(self):
        """(body bytes or None, Content-Type or None), as requests encodes json= and data=."""
        if self.json is not None:
            return json.dumps(self.json, allow_nan=False).encode("utf-8"), "application/json"
        if self.form is not None:
            return urlencode(self.form).encode("utf-8"), "application/x-www-form-urlencoded"
        return None, None

    def all_headers(self):
        """The headers, with Basic authorization and the body's Content-Type added."""
        headers = dict(self.headers)
        if self.auth is not None:
            token = base64.b64encode(":".join(self.auth).encode("latin-1")).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
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


@dataclass(frozen=True)
class CapabilityResult:
    """Whether a number can receive RCS; capable is None when the provider cannot tell."""

    number: str
    capable: bool | None
    features: list[str] = field(default_factory=list)
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderEvent:
    """One normalized thing a provider told us about a message or a recipient."""

    type: EventType
    provider_event_id: str
    provider_message_id: str | None
    attempt_id: UUID | None
    number: str | None
    cta_id: str | None = None
    text: str | None = None
    occurred_at: datetime | None = None
    raw: dict = field(default_factory=dict)
    channel: Channel | None = None
    error_code: str | None = None
    url: str | None = None


class ProviderError(Exception):
    """A provider refused or failed a call; `permanent` says whether retrying can help."""

    def __init__(
        self,
        message,
        permanent,
        code=None,
        not_reachable=False,
        retry_after=None,
        *,
        maybe_sent=False,
        status=None,
        raw=None,
    ):
        super().__init__(message)
        self.message = str(message)
        self.permanent = bool(permanent)
        self.code = None if code is None else str(code)
        # The number cannot get RCS at all (RBM 404): the router falls back to SMS at once.
        self.not_reachable = bool(not_reachable)
        self.retry_after = retry_after
        # The call may have reached the provider before its answer was lost (a read timeout):
        # only an idempotent provider may be called again.
        self.maybe_sent = bool(maybe_sent)
        self.status = status
        self.raw = raw or {}

    def __repr__(self):
        return (
            f"ProviderError({self.message!r}, permanent={self.permanent}, code={self.code!r}, "
            f"not_reachable={self.not_reachable}, retry_after={self.retry_after!r}, "
            f"maybe_sent={self.maybe_sent})"
        )


class WebhookRejected(Exception):
    """A webhook request is not authentic or not readable; the view answers 403."""


@dataclass(frozen=True)
class WebhookRequest:
    """The parts of an HTTP request a provider needs to verify and parse a webhook."""

    url: str
    method: str = "POST"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    form: Mapping[str, list[str]] | None = None

    def __post_init__(self):
        object.__setattr__(self, "headers", CaseInsensitiveDict(self.headers))
        if self.form is None:
            form = {}
            if self.content_type == "application/x-www-form-urlencoded":
                form = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
            object.__setattr__(self, "form", form)
        else:
            # Django's QueryDict.items() keeps only the last value of a key; lists() keeps all.
            pairs = self.form.lists() if hasattr(self.form, "lists") else self.form.items()
            object.__setattr__(self, "form", {key: _as_list(value) for key, value in pairs})

    @property
    def content_type(self):
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def form_value(self, name, default=None):
        """Return the first value of a form field, or the default."""
        values = self.form.get(name)
        return values[0] if values else default

    def flat_form(self):
        """Return the form as a JSON-friendly dict: one value as a string, several as a list."""
        return {
            key: values[0] if len(values) == 1 else list(values)
            for key, values in self.form.items()
        }


def _as_list(value):
    if isinstance(value, str | bytes):
        return [value]
    return list(value)


def signatures_match(expected, given):
    """Compare two signatures in constant time; a missing signature never matches."""
    if not expected or not given:
        return False
    # surrogatepass: a lone surrogate from a JSON body must not match, nor crash the encoding.
    if isinstance(expected, str):
        expected = expected.encode("utf-8", "surrogatepass")
    if isinstance(given, str):
        given = given.encode("utf-8", "surrogatepass")
    return hmac.compare_digest(expected, given)


class BaseProvider:
    """The pipeline every provider shares; subclasses fill in the wire format.

    Set `idempotent = True` only when sending the same attempt id twice cannot reach the
    phone twice (the provider ignores a repeated id, or always answers the same for it): the
    app then repeats a call whose answer was lost; otherwise it marks the outcome unknown.
    """

    name = ""
    # A repeated send with the same attempt id is harmless (see the class docstring).
    idempotent = False
    # Channels this provider can send on; the router only asks for these.
    channels = frozenset({Channel.RCS, Channel.SMS})
    # True when the provider falls back from RCS to SMS by itself (Twilio messaging services).
    handles_fallback = False
    # Numbers per capability call; 1 means the provider has no batch endpoint.
    capability_batch_size = 1
    # Capability calls a minute the provider allows for one sender (0: no published limit);
    # callers that check many numbers (the audience's capability audit) pace to it.
    capability_calls_per_minute = 0

    def __init__(self, *, session=None, timeout=DEFAULT_TIMEOUT):
        self.timeout = timeout
        self.http = session if session is not None else self.make_session()

    @classmethod
    def from_settings(cls, settings):
        """Build the provider from Django settings; raise ImproperlyConfigured when incomplete."""
        return cls()

    def make_session(self):
        """Create the one HTTP session every call of this provider goes through."""
        session = requests.Session()
        session.headers["User-Agent"] = USER_AGENT
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=HTTP_POOL_SIZE)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    # Sending

    def send(self, msg: OutboundMessage) -> SendResult:
        """Send one message on its channel, or raise ProviderError."""
        call = self.build_send(msg)
        if call is None:
            if msg.channel == Channel.RCS:
                return self.send_rcs(msg)
            return self.send_sms(msg)
        response = self.perform(call)
        if self.renew_auth(response):
            response = self.perform(self.build_send(msg))
        return self.read_send(msg, response)

    def build_send(self, msg: OutboundMessage) -> HttpCall | None:
        """Check msg and build the HTTP request that sends it (no network I/O, except for an
        access token the provider may have to fetch); raise ProviderError when it cannot go.

        None means this provider does not send over HTTP (the simulator, locmem): send() calls
        send_rcs or send_sms instead. The batch engine makes the request with its own client
        and hands the answer to read_send, so both paths send the same bytes.
        """
        self.validate(msg)
        return self.send_request(msg)

    def send_request(self, msg: OutboundMessage) -> HttpCall | None:
        """The HTTP request for a validated message; HTTP providers override this."""
        return None

    def read_send(self, msg: OutboundMessage, response) -> SendResult:
        """Read the answer to send_request's request: the result, or raise ProviderError.
        `response` is a requests.Response or an HttpAnswer."""
        raise NotImplementedError

    def renew_auth(self, response) -> bool:
        """True when the call should be made once more with fresh credentials (RBM's 401)."""
        return False

    def validate(self, msg: OutboundMessage):
        """Refuse a message no provider could send; these are bugs upstream, never retried."""
        if msg.channel not in (Channel.RCS, Channel.SMS):
            raise ProviderError(
                _("Unknown channel %(channel)s.") % {"channel": msg.channel},
                permanent=True,
                code="channel_unsupported",
            )
        if not E164_RE.match(msg.to or ""):
            raise ProviderError(
                _("%(number)s is not a phone number in international format (+33...).")
                % {"number": msg.to},
                permanent=True,
                code="invalid_number",
            )
        if msg.channel == Channel.RCS and not msg.rcs_content:
            raise ProviderError(_("An RCS message needs content."), permanent=True, code="empty")
        if msg.channel == Channel.SMS and not (msg.sms_text or "").strip():
            raise ProviderError(_("An SMS needs text."), permanent=True, code="empty")

    def send_rcs(self, msg: OutboundMessage) -> SendResult:
        raise ProviderError(
            _("The %(provider)s provider cannot send RCS.") % {"provider": self.name},
            permanent=True,
            code="channel_unsupported",
        )

    def send_sms(self, msg: OutboundMessage) -> SendResult:
        raise ProviderError(
            _("The %(provider)s provider cannot send SMS.") % {"provider": self.name},
            permanent=True,
            code="channel_unsupported",
        )

    def revoke(self, number: str, attempt_id: UUID) -> bool | None:
        """Withdraw an undelivered RCS message: True revoked, False too late, None unsupported."""
        return None

    # Capability

    def check_capability(self, number: str) -> CapabilityResult:
        """Ask whether one number can receive RCS; capable is None when nobody can tell."""
        return CapabilityResult(number=number, capable=None)

    def check_capabilities(self, numbers: Iterable[str]) -> dict[str, bool]:
        """Check many numbers in as few calls as the provider allows; unknown ones are left out."""
        unique = list(dict.fromkeys(numbers))
        results = {}
        for chunk in chunked(unique, self.capability_batch_size):
            results.update(self.check_capability_batch(chunk))
        return results

    def check_capability_batch(self, numbers: list[str]) -> dict[str, bool]:
        """Check one batch (at most capability_batch_size numbers)."""
        results = {}
        for number in numbers:
            result = self.check_capability(number)
            if result.capable is not None:
                results[number] = result.capable
        return results

    # Webhooks

    def handshake(self, request: WebhookRequest) -> str | None:
        """Answer a webhook set-up challenge: the text to send back, or None if it is not one."""
        return None

    def verify_webhook(self, request: WebhookRequest) -> None:
        """Raise WebhookRejected unless the request is signed by the provider."""
        raise WebhookRejected(_("This provider does not accept webhooks."))

    def parse_webhook(self, request: WebhookRequest) -> list[ProviderEvent]:
        """Turn a verified webhook into normalized events (possibly none)."""
        return []

    def handle_webhook(self, request: WebhookRequest) -> list[ProviderEvent]:
        """Verify then parse: the only way a view should read a webhook."""
        self.verify_webhook(request)
        return self.parse_webhook(request)

    # HTTP

    def perform(self, call: HttpCall) -> requests.Response:
        """Make a built request through this provider's requests session."""
        body, _content_type = call.body()
        return self.request(call.method, call.full_url(), data=body, headers=call.all_headers())

    def request(self, method, url, **kwargs) -> requests.Response:
        """Make one HTTP call with this provider's timeout; network failures become retryable."""
        kwargs.setdefault("timeout", self.timeout)
        try:
            return self.http.request(method, url, **kwargs)
        except requests.ConnectTimeout as exc:
            raise self.network_error("connect_timeout") from exc
        except requests.Timeout as exc:
            raise self.network_error("read_timeout") from exc
        except requests.ConnectionError as exc:
            raise self.network_error("connection_error") from exc

    def network_error(self, code, *, maybe_sent=None) -> ProviderError:
        """The retryable ProviderError for a network failure: connect_timeout (nothing sent),
        read_timeout (maybe sent) or connection_error."""
        names = {"provider": self.name}
        if code == "connect_timeout":
            text = _("%(provider)s did not accept the connection in time.") % names
        elif code == "read_timeout":
            text = _("%(provider)s did not answer in time.") % names
        else:
            text = _("Could not reach %(provider)s.") % names
        if maybe_sent is None:
            maybe_sent = code == "read_timeout"
        return ProviderError(text, permanent=False, code=code, maybe_sent=maybe_sent)

    def __repr__(self):
        return f"<{type(self).__name__} {self.name}>"
