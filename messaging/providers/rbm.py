"""Google RCS Business Messaging (RBM) over its REST API."""

import base64
import hashlib
import hmac
import json
import logging
import os
import threading
import uuid
from datetime import UTC, datetime

import requests
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from .base import BaseProvider
from .helpers import (
    Pacer,
    as_text,
    cta_id_from_postback,
    load_json,
    parse_timestamp,
    parse_uuid,
    response_json,
    retry_after_seconds,
)
from .http_calls import HttpCall
from .normalized import (
    CapabilityResult,
    Channel,
    EventType,
    ProviderError,
    ProviderEvent,
    SendResult,
)
from .webhooks import WebhookRejected, signatures_match

logger = logging.getLogger(__name__)

SCOPE = "https://www.googleapis.com/auth/rcsbusinessmessaging"
REGION_BASES = {
    "europe": "https://europe-rcsbusinessmessaging.googleapis.com",
    "us": "https://us-rcsbusinessmessaging.googleapis.com",
    "asia": "https://asia-rcsbusinessmessaging.googleapis.com",
    "global": "https://rcsbusinessmessaging.googleapis.com",
}
SIGNATURE_HEADER = "X-Goog-Signature"
# Google's verification request is `{"clientToken": "…", "secret": "…"}` and carries no
# signature: an unsigned body is only read when it is this small and flat.
HANDSHAKE_MAX_BYTES = 1024
BATCH_MAX_NUMBERS = 10_000
BATCH_CALLS_PER_MINUTE = 600
USER_EVENT_TYPES = {
    "DELIVERED": EventType.DELIVERED,
    "READ": EventType.READ,
    "TTL_EXPIRATION_REVOKED": EventType.EXPIRED,
}
# Google caps users:batchGet at 600 calls a minute per agent; one pacer per process keeps a
# single worker under it (several workers would need a shared limiter).
_batch_pacer = Pacer(BATCH_CALLS_PER_MINUTE)
_token_sources = {}
_token_sources_lock = threading.Lock()


class ServiceAccountTokens:
    """OAuth access tokens for a service-account key file, refreshed when they expire."""

    def __init__(self, path, *, session=None):
        self.path = path
        self.session = session
        self._credentials = None
        self._lock = threading.Lock()

    def token(self) -> str:
        # Imported here so the simulator and Twilio never load google-auth.
        import google.auth.transport.requests
        from google.oauth2 import service_account

        with self._lock:
            if self._credentials is None:
                self._credentials = service_account.Credentials.from_service_account_file(
                    self.path, scopes=[SCOPE]
                )
            if not self._credentials.valid:
                request = google.auth.transport.requests.Request(session=self.session)
                self._credentials.refresh(request)
            return self._credentials.token

    def invalidate(self):
        """Forget the current token so the next call fetches a new one."""
        with self._lock:
            if self._credentials is not None:
                self._credentials.token = None


def tokens_for_file(path):
    """One token source per key file per process, so workers do not fetch a token per job."""
    with _token_sources_lock:
        if path not in _token_sources:
            _token_sources[path] = ServiceAccountTokens(path)
        return _token_sources[path]


def goog_signature(client_token: str, data: bytes) -> str:
    """X-Goog-Signature: base64 HMAC-SHA512 of the decoded message data, keyed by clientToken."""
    digest = hmac.new(client_token.encode("utf-8"), data, hashlib.sha512).digest()
    return base64.b64encode(digest).decode("ascii")


class RbmProvider(BaseProvider):
    """Sends RCS through Google RBM; SMS fallback needs a second provider."""

    name = "rbm"
    # The attempt id is the messageId, and RBM ignores a messageId it has seen.
    idempotent = True
    channels = frozenset({Channel.RCS})
    capability_batch_size = BATCH_MAX_NUMBERS
    capability_calls_per_minute = BATCH_CALLS_PER_MINUTE

    def __init__(
        self,
        *,
        agent_id,
        client_token,
        service_account_file=None,
        token_source=None,
        region="europe",
        api_base=None,
        batch_pacer=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if token_source is None:
            if not service_account_file:
                raise ImproperlyConfigured("RBM needs a service account file or a token source.")
            token_source = tokens_for_file(service_account_file)
        if region not in REGION_BASES and not api_base:
            raise ImproperlyConfigured(
                f"RBM_REGION must be one of {', '.join(sorted(REGION_BASES))}, got {region!r}."
            )
        self.agent_id = agent_id
        self.client_token = client_token
        self.token_source = token_source
        self.api_base = (api_base or REGION_BASES[region]).rstrip("/")
        self.batch_pacer = batch_pacer or _batch_pacer

    @classmethod
    def from_settings(cls, settings):
        for setting in ("RBM_AGENT_ID", "RBM_SERVICE_ACCOUNT_FILE", "RBM_CLIENT_TOKEN"):
            if not getattr(settings, setting, ""):
                raise ImproperlyConfigured(
                    f"The rbm provider needs {setting}. See docs/providers.md."
                )
        key_file = settings.RBM_SERVICE_ACCOUNT_FILE
        if not os.path.isfile(key_file):
            raise ImproperlyConfigured(
                f"RBM_SERVICE_ACCOUNT_FILE points at {key_file}, which is not a readable file."
            )
        return cls(
            agent_id=settings.RBM_AGENT_ID,
            client_token=settings.RBM_CLIENT_TOKEN,
            service_account_file=key_file,
            region=getattr(settings, "RBM_REGION", "") or "europe",
            api_base=getattr(settings, "RBM_API_BASE", "") or None,
        )

    # HTTP

    def _authorization(self):
        from google.auth.exceptions import GoogleAuthError

        try:
            token = self.token_source.token()
        except (GoogleAuthError, requests.RequestException, OSError, ValueError) as exc:
            # The reason (a key file that does not parse...) is for the operator, not for the
            # API callers who read an attempt's error.
            logger.warning("could not get a Google access token: %s: %s", type(exc).__name__, exc)
            raise ProviderError(
                _("Could not get a Google access token; the server log says why."),
                permanent=False,
                code="auth",
                retry_after=60,
            ) from exc
        return {"Authorization": f"Bearer {token}"}

    def _call(self, method, path, *, params=None, body=None):
        """Call the RBM API once, and once more with a fresh token if Google says 401."""
        url = self.api_base + path
        response = self.request(
            method, url, params=params, json=body, headers=self._authorization()
        )
        if response.status_code == 401 and hasattr(self.token_source, "invalidate"):
            self.token_source.invalidate()
            response = self.request(
                method, url, params=params, json=body, headers=self._authorization()
            )
        return response

    def error_from(self, response):
        """Translate an RBM error response into a ProviderError."""
        error = response_json(response).get("error") or {}
        status = response.status_code
        code = error.get("status") or str(status)
        detail = error.get("message") or response.reason or ""
        raw = response_json(response)
        if status == 404:
            return ProviderError(
                _("Not reachable over RCS (no RCS, or the agent is not launched on this carrier)."),
                permanent=True,
                code=code,
                not_reachable=True,
                status=status,
                raw=raw,
            )
        if status == 429 or status >= 500 or status == 408:
            return ProviderError(
                _("Google RBM is busy or failing (%(status)s): %(detail)s")
                % {"status": status, "detail": detail},
                permanent=False,
                code=code,
                retry_after=retry_after_seconds(response),
                status=status,
                raw=raw,
            )
        if status == 401:
            # Credentials that fail twice need a human; retrying later is still right.
            return ProviderError(
                _("Google RBM refused our credentials: %(detail)s") % {"detail": detail},
                permanent=False,
                code=code,
                retry_after=60,
                status=status,
                raw=raw,
            )
        return ProviderError(
            _("Google RBM refused the request (%(status)s): %(detail)s")
            % {"status": status, "detail": detail},
            permanent=True,
            code=code,
            status=status,
            raw=raw,
        )

    # Sending

    def send_request(self, msg):
        if msg.channel != Channel.RCS:
            raise ProviderError(
                _(
                    "Google RBM only carries RCS. Pair it with an SMS provider for the SMS "
                    "fallback."
                ),
                permanent=True,
                code="channel_unsupported",
            )
        body = {"contentMessage": msg.rcs_content, "messageTrafficType": str(msg.traffic_type)}
        if msg.ttl_seconds:
            body["ttl"] = f"{int(msg.ttl_seconds)}s"
        return HttpCall(
            "POST",
            f"{self.api_base}/v1/phones/{msg.to}/agentMessages",
            params={"messageId": str(msg.attempt_id), "agentId": msg.agent_id or self.agent_id},
            headers=self._authorization(),
            json=body,
        )

    def read_send(self, msg, response):
        if response.status_code == 409:
            # The messageId was used before: this attempt already went out, do not count it twice.
            return SendResult(
                provider_message_id=str(msg.attempt_id),
                status=EventType.SENT,
                raw={"duplicate": True, **response_json(response)},
            )
        if not response.ok:
            raise self.error_from(response)
        return SendResult(
            provider_message_id=str(msg.attempt_id),
            status=EventType.SENT,
            raw=response_json(response),
        )

    def renew_auth(self, response):
        if response.status_code == 401 and hasattr(self.token_source, "invalidate"):
            self.token_source.invalidate()
            return True
        return False

    def revoke(self, number, attempt_id):
        path = f"/v1/phones/{number}/agentMessages/{attempt_id}"
        response = self._call("DELETE", path, params={"agentId": self.agent_id})
        if response.status_code == 404:
            return False
        if not response.ok:
            raise self.error_from(response)
        return True

    # Capability

    def check_capability(self, number):
        params = {"requestId": str(uuid.uuid4()), "agentId": self.agent_id}
        response = self._call("GET", f"/v1/phones/{number}/capabilities", params=params)
        if response.status_code == 404:
            return CapabilityResult(number, False, [], raw=response_json(response))
        if not response.ok:
            raise self.error_from(response)
        data = response_json(response)
        return CapabilityResult(number, True, list(data.get("features") or []), raw=data)

    def check_capability_batch(self, numbers):
        self.batch_pacer.wait()
        body = {"users": list(numbers), "agentId": self.agent_id}
        response = self._call("POST", "/v1/users:batchGet", body=body)
        if not response.ok:
            raise self.error_from(response)
        reachable = set(response_json(response).get("reachableUsers") or [])
        return {number: number in reachable for number in numbers}

    # Webhooks

    def handshake(self, request):
        """Answer Google's webhook verification: return the secret when the clientToken matches."""
        if len(request.body) > HANDSHAKE_MAX_BYTES:
            return None
        try:
            data = load_json(request.body, max_depth=1)
        except ValueError:
            return None
        if not isinstance(data, dict) or "clientToken" not in data or "secret" not in data:
            return None
        if not signatures_match(self.client_token, str(data["clientToken"])):
            raise WebhookRejected(_("The clientToken does not match RBM_CLIENT_TOKEN."))
        secret = as_text(data["secret"])
        if secret is None:
            raise WebhookRejected(_("The RBM verification secret is not text."))
        try:
            # Echoed as the response body, so it must encode (a lone surrogate does not).
            secret.encode("utf-8")
        except UnicodeEncodeError:
            raise WebhookRejected(_("The RBM verification secret is not text.")) from None
        return secret

    def _message_data(self, request) -> bytes:
        try:
            # Read before the signature is checked (Google signs the data inside): bounded depth.
            envelope = load_json(request.body)
            return base64.b64decode(envelope["message"]["data"], validate=True)
        except (ValueError, KeyError, TypeError) as exc:
            raise WebhookRejected(_("The RBM webhook is not a Pub/Sub message.")) from exc

    def verify_webhook(self, request):
        given = request.header(SIGNATURE_HEADER)
        if not given:
            raise WebhookRejected(_("The X-Goog-Signature header is missing."))
        expected = goog_signature(self.client_token, self._message_data(request))
        if not signatures_match(expected, given.strip()):
            raise WebhookRejected(_("The X-Goog-Signature does not match the message."))

    def parse_webhook(self, request):
        try:
            data = load_json(self._message_data(request))
        except ValueError as exc:
            raise WebhookRejected(_("The RBM message data is not JSON.")) from exc
        if not isinstance(data, dict):
            raise WebhookRejected(_("The RBM message data is not a JSON object."))
        event = self._event(data)
        return [event] if event is not None else []

    def _event(self, data):
        # Fields of another type than documented read as absent (as_text), never as a crash.
        number = as_text(data.get("senderPhoneNumber")) or as_text(data.get("phoneNumber"))
        occurred_at = parse_timestamp(data.get("sendTime")) or datetime.now(UTC)
        event_type = as_text(data.get("eventType"))
        if event_type == "IS_TYPING":
            return None
        if event_type:
            # A UserEvent (DELIVERED, READ) or a server event (TTL_EXPIRATION_REVOKED).
            message_id = as_text(data.get("messageId"))
            event_id = as_text(data.get("eventId")) or _fingerprint(data)
            return ProviderEvent(
                type=USER_EVENT_TYPES.get(event_type, EventType.UNKNOWN),
                provider_event_id=f"{event_id}:{number}",
                provider_message_id=message_id,
                attempt_id=parse_uuid(message_id),
                number=number,
                occurred_at=occurred_at,
                raw=data,
                channel=Channel.RCS,
            )
        # A UserMessage: its messageId is the user's own, not one of ours.
        message_id = as_text(data.get("messageId")) or _fingerprint(data)
        common = {
            "provider_event_id": f"{message_id}:{number}",
            "provider_message_id": None,
            "attempt_id": None,
            "number": number,
            "occurred_at": occurred_at,
            "raw": data,
            "channel": Channel.RCS,
        }
        response = data.get("suggestionResponse")
        if isinstance(response, dict):
            tapped = EventType.CLICKED if response.get("type") == "ACTION" else EventType.REPLIED
            return ProviderEvent(
                type=tapped,
                cta_id=cta_id_from_postback(response.get("postbackData")),
                text=as_text(response.get("text")),
                **common,
            )
        if as_text(data.get("text")) is not None:
            return ProviderEvent(type=EventType.TEXT, text=as_text(data["text"]), **common)
        # Locations and files are kept raw: nothing in Relais acts on them yet.
        return ProviderEvent(type=EventType.UNKNOWN, **common)


def _fingerprint(data):
    """A stable id for a payload that carries none, so replays still dedupe."""
    encoded = json.dumps(data, sort_keys=True).encode("utf-8")
    return "sha256-" + hashlib.sha256(encoded).hexdigest()[:32]
