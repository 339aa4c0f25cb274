"""Twilio Programmable Messaging: SMS, and RCS through a messaging service that falls back."""

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from messaging import walk

from .base import BaseProvider
from .helpers import (
    parse_uuid,
    response_json,
    retry_after_seconds,
)
from .http_calls import HttpCall
from .normalized import Channel, EventType, ProviderError, ProviderEvent, SendResult
from .webhooks import WebhookRejected, signatures_match

API_BASE = "https://api.twilio.com"
SIGNATURE_HEADER = "X-Twilio-Signature"
# Query parameter we add to every StatusCallback so a callback names its attempt even when it
# arrives before the app has stored the MessageSid.
ATTEMPT_PARAM = "attempt"
STATUS_EVENTS = {
    "accepted": EventType.QUEUED,
    "scheduled": EventType.QUEUED,
    "queued": EventType.QUEUED,
    "sending": EventType.QUEUED,
    "sent": EventType.SENT,
    "delivered": EventType.DELIVERED,
    "undelivered": EventType.UNDELIVERED,
    "failed": EventType.FAILED,
    "read": EventType.READ,
    # Only a scheduled message can be canceled, and then nothing was sent.
    "canceled": EventType.FAILED,
}
INBOUND_STATUSES = {"received", "receiving"}


def twilio_signature(auth_token: str, url: str, params=None) -> str:
    """Sign like Twilio: URL, then each sorted name with its sorted distinct values; HMAC-SHA1."""
    payload = url
    for name in sorted(set(params or {})):
        values = params[name]
        if isinstance(values, str):
            values = [values]
        for value in sorted(set(values)):
            payload += name + value
    digest = hmac.new(auth_token.encode("utf-8"), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def url_variants(url: str) -> list[str]:
    """The URL as given plus the same URL with its default port added or removed."""
    parts = urlsplit(url)
    if parts.port:
        host = parts.netloc.rsplit(":", 1)[0]
        other = parts._replace(netloc=host)
    else:
        port = 443 if parts.scheme == "https" else 80
        other = parts._replace(netloc=f"{parts.netloc}:{port}")
    return [url, urlunsplit(other)]


def with_attempt(url: str, attempt_id) -> str:
    """Add ?attempt=<uuid> to a status callback URL, keeping its other parameters."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    pairs = [(key, value) for key, value in query if key != ATTEMPT_PARAM]
    pairs.append((ATTEMPT_PARAM, str(attempt_id)))
    return urlunsplit(parts._replace(query=urlencode(pairs)))


def rcs_as_text(content: dict) -> tuple[str, list[str]]:
    """Flatten RBM content into a Body and media URLs: what Twilio RCS takes without Content API."""
    parts = []
    media = []
    if content.get("text"):
        parts.append(content["text"])
    file_url = (content.get("contentInfo") or {}).get("fileUrl")
    if file_url:
        media.append(file_url)
    for card in walk.cards(content):
        lines = [card[key] for key in ("title", "description") if card.get(key)]
        lines.extend(_suggestion_lines(card.get("suggestions") or []))
        if lines:
            parts.append("\n".join(lines))
        card_media = ((card.get("media") or {}).get("contentInfo") or {}).get("fileUrl")
        if card_media:
            media.append(card_media)
    chips = _suggestion_lines(content.get("suggestions") or [])
    if chips:
        parts.append("\n".join(chips))
    return "\n\n".join(parts), media


def _suggestion_lines(suggestions):
    # Buttons become "Label: target" lines; replies and calendar or map actions cannot be
    # acted on from plain text, so they are left out.
    lines = []
    for suggestion in suggestions:
        action = suggestion.get("action") or {}
        url = (action.get("openUrlAction") or {}).get("url")
        phone = (action.get("dialAction") or {}).get("phoneNumber")
        target = url or phone
        if target:
            lines.append(f"{action.get('text', '')}: {target}".lstrip(": "))
    return lines


def _strip_channel(address):
    if address and ":" in address and not address.startswith("+"):
        return address.split(":", 1)[1]
    return address


class TwilioProvider(BaseProvider):
    """Sends SMS (and RCS through a messaging service) with Twilio's Messages API."""

    name = "twilio"
    # The Messages API has no idempotency key: a repeated call sends a second message.
    idempotent = False
    handles_fallback = True

    def __init__(
        self,
        *,
        account_sid,
        auth_token,
        messaging_service_sid="",
        sms_from="",
        api_base=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.messaging_service_sid = messaging_service_sid or ""
        self.sms_from = sms_from or ""
        self.api_base = (api_base or API_BASE).rstrip("/")
        # Twilio can only send RCS, and fall back, through a messaging service.
        self.handles_fallback = bool(self.messaging_service_sid)
        self.channels = frozenset(
            {Channel.SMS, Channel.RCS} if self.messaging_service_sid else {Channel.SMS}
        )

    @classmethod
    def from_settings(cls, settings):
        for setting in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
            if not getattr(settings, setting, ""):
                raise ImproperlyConfigured(
                    f"The twilio provider needs {setting}. See docs/providers.md."
                )
        service = getattr(settings, "TWILIO_MESSAGING_SERVICE_SID", "")
        sms_from = getattr(settings, "TWILIO_SMS_FROM", "")
        if not (service or sms_from):
            raise ImproperlyConfigured(
                "The twilio provider needs TWILIO_MESSAGING_SERVICE_SID or TWILIO_SMS_FROM "
                "to know who sends."
            )
        return cls(
            account_sid=settings.TWILIO_ACCOUNT_SID,
            auth_token=settings.TWILIO_AUTH_TOKEN,
            messaging_service_sid=service,
            sms_from=sms_from,
            api_base=getattr(settings, "TWILIO_API_BASE", "") or None,
        )

    # Sending

    @property
    def messages_url(self):
        return f"{self.api_base}/2010-04-01/Accounts/{self.account_sid}/Messages.json"

    def send_request(self, msg):
        form = self._rcs_form(msg) if msg.channel == Channel.RCS else self._sms_form(msg)
        if msg.status_callback_url:
            form.append(("StatusCallback", with_attempt(msg.status_callback_url, msg.attempt_id)))
        return HttpCall(
            "POST", self.messages_url, form=form, auth=(self.account_sid, self.auth_token)
        )

    def _sms_form(self, msg):
        form = [("To", msg.to), ("Body", msg.sms_text)]
        sender = msg.sms_sender or self.sms_from
        if sender:
            form.append(("From", sender))
        elif self.messaging_service_sid:
            form.append(("MessagingServiceSid", self.messaging_service_sid))
        else:
            raise ProviderError(
                _("No SMS sender: set TWILIO_SMS_FROM or TWILIO_MESSAGING_SERVICE_SID."),
                permanent=True,
                code="no_sender",
            )
        return form

    def _rcs_form(self, msg):
        if not self.messaging_service_sid:
            raise ProviderError(
                _(
                    "Twilio sends RCS only through a messaging service with an RCS sender: "
                    "set TWILIO_MESSAGING_SERVICE_SID."
                ),
                permanent=True,
                code="channel_unsupported",
            )
        body, media = rcs_as_text(msg.rcs_content)
        if not body and not media:
            raise ProviderError(
                _("This RCS content has no text or media Twilio can send."),
                permanent=True,
                code="empty",
            )
        form = [("To", msg.to), ("MessagingServiceSid", self.messaging_service_sid)]
        if body:
            form.append(("Body", body))
        if media:
            form.append(("MediaUrl", media[0]))
        return form

    def read_send(self, msg, response):
        if not response.ok:
            raise self.error_from(response)
        data = response_json(response)
        if not data.get("sid"):
            raise ProviderError(
                _("Twilio accepted the message but returned no sid."),
                permanent=False,
                code="no_sid",
                raw=data,
            )
        return SendResult(
            provider_message_id=data["sid"],
            status=STATUS_EVENTS.get(data.get("status"), EventType.QUEUED),
            raw=data,
            # Through a messaging service, Twilio falls back to SMS by itself.
            handles_fallback=msg.channel == Channel.RCS,
        )

    def error_from(self, response):
        """Translate a Twilio error response (JSON with a numeric code) into a ProviderError."""
        data = response_json(response)
        status = response.status_code
        code = data.get("code") or status
        detail = data.get("message") or response.reason or ""
        values = {"code": code, "detail": detail}
        if status == 429 or code == 20429 or status >= 500:
            return ProviderError(
                _("Twilio is busy or failing (%(code)s): %(detail)s") % values,
                permanent=False,
                code=code,
                retry_after=retry_after_seconds(response),
                status=status,
                raw=data,
            )
        if status == 401 or code == 20003:
            return ProviderError(
                _("Twilio refused our credentials (%(code)s): %(detail)s") % values,
                permanent=False,
                code=code,
                retry_after=60,
                status=status,
                raw=data,
            )
        # 21211 invalid number, 21610 recipient replied STOP, 21408 region not enabled, ...
        return ProviderError(
            _("Twilio refused the message (%(code)s): %(detail)s") % values,
            permanent=True,
            code=code,
            status=status,
            raw=data,
        )

    # Webhooks

    def verify_webhook(self, request):
        given = (request.header(SIGNATURE_HEADER) or "").strip()
        if not given:
            raise WebhookRejected(_("The X-Twilio-Signature header is missing."))
        params = request.form
        body_hash = parse_qs(urlsplit(request.url).query).get("bodySHA256")
        if body_hash:
            # JSON bodies are signed through a hash of the body carried in the URL.
            if not signatures_match(hashlib.sha256(request.body).hexdigest(), body_hash[0]):
                raise WebhookRejected(_("The body does not match its bodySHA256."))
            params = {}
        for candidate in url_variants(request.url):
            if signatures_match(twilio_signature(self.auth_token, candidate, params), given):
                return
        raise WebhookRejected(
            _("The X-Twilio-Signature does not match (is PUBLIC_BASE_URL the public URL?).")
        )

    def parse_webhook(self, request):
        sid = request.form_value("MessageSid") or request.form_value("SmsSid")
        if not sid:
            raise WebhookRejected(_("The Twilio webhook has no MessageSid."))
        status = (
            request.form_value("MessageStatus") or request.form_value("SmsStatus") or ""
        ).lower()
        to = request.form_value("To")
        sender = request.form_value("From")
        addresses = (to or "") + " " + (sender or "")
        channel = Channel.RCS if "rcs:" in addresses else Channel.SMS
        common = {
            "provider_message_id": sid,
            "occurred_at": datetime.now(UTC),
            "raw": request.flat_form(),
            "channel": channel,
        }
        if status in INBOUND_STATUSES:
            return [
                ProviderEvent(
                    type=EventType.TEXT,
                    provider_event_id=f"{sid}:received",
                    attempt_id=None,
                    number=_strip_channel(sender),
                    text=request.form_value("Body", ""),
                    **common,
                )
            ]
        query = parse_qs(urlsplit(request.url).query)
        return [
            ProviderEvent(
                type=STATUS_EVENTS.get(status, EventType.UNKNOWN),
                provider_event_id=f"{sid}:{status}",
                attempt_id=parse_uuid((query.get(ATTEMPT_PARAM) or [None])[0]),
                number=_strip_channel(to),
                error_code=request.form_value("ErrorCode") or None,
                **common,
            )
        ]
