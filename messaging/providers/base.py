"""The pipeline every messaging provider shares (BaseProvider).

The normalized types live in `normalized`, the HTTP call description in `http_calls`, the
webhook request in `webhooks`: import them from there.
"""

import re
from collections.abc import Iterable
from uuid import UUID

import requests
from django.utils.translation import gettext as _

from .helpers import chunked
from .http_calls import DEFAULT_TIMEOUT, HttpCall, new_session
from .normalized import (
    CapabilityResult,
    Channel,
    OutboundMessage,
    ProviderError,
    ProviderEvent,
    SendResult,
)
from .webhooks import WebhookRejected, WebhookRequest

E164_RE = re.compile(r"^\+[1-9][0-9]{6,14}$")


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
        return new_session()

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
        body, content_type = call.body()
        return self.request(
            call.method, call.full_url(), data=body, headers=call.all_headers(content_type)
        )

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
