"""A phone network in a box: realistic, deterministic outcomes without sending anything."""

import base64
import hashlib
import hmac
import json
import random
import uuid
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from .base import BaseProvider
from .helpers import as_text, load_json, parse_timestamp, parse_uuid
from .normalized import (
    CapabilityResult,
    Channel,
    EventType,
    ProviderError,
    ProviderEvent,
    SendResult,
)
from .simulation import (
    ALL_FEATURES,
    RESERVED_NUMBERS,
    URL_RE,
    is_demo_number,
    is_plausible_number,
    suggestions_of,
    tap_event,
    weighted_index,
)
from .webhooks import WebhookRejected, signatures_match

SIGNATURE_HEADER = "X-Relais-Simulator-Signature"
# Fixed namespace so a planned event keeps its id however often it is re-planned.
EVENT_NAMESPACE = uuid.UUID("9b0f3c1e-52a4-4c55-9a53-5f0c7f3e2a11")


class SimulatorProvider(BaseProvider):
    """Simulated RCS + SMS network; its send plans the events the app later posts to itself."""

    name = "simulator"
    # Outcomes are drawn from the attempt id: a repeat plans the very same events.
    idempotent = True
    capability_batch_size = 10_000

    def __init__(
        self,
        *,
        secret,
        rcs_ratio=0.85,
        seed="",
        rcs_click_rate=0.15,
        sms_click_rate=0.025,
        rcs_read_rate=0.8,
        rcs_offline_rate=0.03,
        sms_undelivered_rate=0.02,
        stop_rate=0.002,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not secret:
            raise ImproperlyConfigured("The simulator needs SIMULATOR_WEBHOOK_SECRET to sign.")
        self.secret = secret.encode("utf-8") if isinstance(secret, str) else secret
        self.rcs_ratio = rcs_ratio
        self.seed = seed
        self.rcs_click_rate = rcs_click_rate
        self.sms_click_rate = sms_click_rate
        self.rcs_read_rate = rcs_read_rate
        self.rcs_offline_rate = rcs_offline_rate
        self.sms_undelivered_rate = sms_undelivered_rate
        self.stop_rate = stop_rate

    @classmethod
    def from_settings(cls, settings):
        secret = getattr(settings, "SIMULATOR_WEBHOOK_SECRET", "")
        if not secret:
            raise ImproperlyConfigured(
                "SIMULATOR_WEBHOOK_SECRET is not set: the simulator signs its webhooks with it."
            )
        ratio = getattr(settings, "SIMULATOR_RCS_RATIO", 0.85)
        if not 0.0 <= float(ratio) <= 1.0:
            raise ImproperlyConfigured(f"SIMULATOR_RCS_RATIO must be between 0 and 1, got {ratio}.")
        return cls(secret=secret, rcs_ratio=float(ratio))

    # Capability

    def is_rcs_capable(self, number):
        """Stable answer per number: reserved numbers as documented, others by hash."""
        profile = RESERVED_NUMBERS.get(number)
        if profile is not None:
            return profile.rcs_capable
        if not is_plausible_number(number):
            return False
        digest = hashlib.sha256(b"relais-simulator-rcs:" + number.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < self.rcs_ratio

    def check_capability(self, number):
        capable = self.is_rcs_capable(number)
        features = list(ALL_FEATURES) if capable else []
        return CapabilityResult(number, capable, features, raw={"simulated": True})

    # Sending

    def send_rcs(self, msg):
        self._refuse_like_a_network(msg)
        if not self.is_rcs_capable(msg.to):
            raise ProviderError(
                _("%(number)s cannot receive RCS (simulated).") % {"number": msg.to},
                permanent=True,
                code="NOT_FOUND",
                not_reachable=True,
                status=404,
            )
        return self._accepted(msg, self._plan_rcs(msg))

    def send_sms(self, msg):
        self._refuse_like_a_network(msg)
        return self._accepted(msg, self._plan_sms(msg))

    def _refuse_like_a_network(self, msg):
        profile = RESERVED_NUMBERS.get(msg.to)
        if profile is None and not is_plausible_number(msg.to):
            raise ProviderError(
                _("%(number)s is not a valid phone number (simulated).") % {"number": msg.to},
                permanent=True,
                code="invalid_number",
            )
        if profile is not None and profile.failure == "permanent":
            raise ProviderError(
                _("The network refused the message for good (simulated)."),
                permanent=True,
                code="SIM_PERMANENT_FAILURE",
            )
        if profile is not None and profile.failure == "temporary":
            raise ProviderError(
                _("The network is busy, try again later (simulated)."),
                permanent=False,
                code="SIM_TEMPORARY_FAILURE",
                retry_after=60,
            )

    def _accepted(self, msg, planned):
        events = [self._planned_event(msg, index, *item) for index, item in enumerate(planned)]
        return SendResult(
            provider_message_id=self.provider_message_id(msg.attempt_id),
            status=EventType.SENT,
            raw={"simulated": True, "channel": str(msg.channel), "planned_events": events},
        )

    @staticmethod
    def provider_message_id(attempt_id):
        return f"sim-{attempt_id}"

    def _rng(self, msg):
        seed = hashlib.sha256(f"{self.seed}:{msg.attempt_id}:{msg.channel}".encode()).digest()
        return random.Random(seed)

    def _plan_rcs(self, msg):
        """Plan (type, delay, extra) tuples for an accepted RCS message."""
        profile = RESERVED_NUMBERS.get(msg.to)
        rng = self._rng(msg)
        # Draw every number up front, always in the same order, so outcomes stay stable.
        offline, delay, read, read_delay, tap, pick, tap_delay, stop, stop_delay = (
            rng.random() for _ in range(9)
        )
        if profile is not None:
            delivered = profile.rcs_delivered
            delivered_at = profile.delivery_delay
            reads = delivered
            taps = profile.taps_first
            reply = profile.reply
        else:
            delivered = offline >= self.rcs_offline_rate
            delivered_at = 1.0 + 5.0 * delay
            reads = read < self.rcs_read_rate
            # The demo audience's people act for themselves (simulation.DEMO_AUDIENCE_PREFIX).
            person = not is_demo_number(msg.to)
            taps = person and tap < self.rcs_click_rate
            reply = "STOP" if person and stop < self.stop_rate else None
        if not delivered:
            # RBM revokes at the TTL and says so; without a TTL the message just waits.
            if msg.ttl_seconds:
                return [(EventType.EXPIRED, float(msg.ttl_seconds), {})]
            return []
        plan = [(EventType.DELIVERED, delivered_at, {})]
        suggestions = suggestions_of(msg.rcs_content)
        taps = taps and bool(suggestions)
        if profile is not None:
            # Reserved numbers keep fixed timings, like a payment processor's test cards.
            read_delay = tap_delay = stop_delay = 0.0
            pick = 0.0
        read_at = delivered_at + 5.0 + 600.0 * read_delay
        if reads or taps:
            plan.append((EventType.READ, read_at, {}))
        if taps:
            tap_at = read_at + 3.0 + 120.0 * tap_delay
            plan.append(tap_event(suggestions[weighted_index(len(suggestions), pick)], tap_at))
        if reply:
            plan.append((EventType.TEXT, delivered_at + 10.0 + 50.0 * stop_delay, {"text": reply}))
        return plan

    def _plan_sms(self, msg):
        """Plan (type, delay, extra) tuples for an accepted SMS."""
        profile = RESERVED_NUMBERS.get(msg.to)
        rng = self._rng(msg)
        lost, delay, click, pick, click_delay, stop, stop_delay = (rng.random() for _ in range(7))
        if profile is not None:
            undelivered = profile.undelivered
            delivered_at = max(profile.delivery_delay, 2.0)
            clicks = profile.taps_first
            reply = profile.reply
        else:
            undelivered = lost < self.sms_undelivered_rate
            delivered_at = 2.0 + 10.0 * delay
            person = not is_demo_number(msg.to)
            clicks = person and click < self.sms_click_rate
            reply = "STOP" if person and stop < self.stop_rate else None
        plan = [(EventType.SENT, 1.0, {})]
        if undelivered:
            plan.append((EventType.UNDELIVERED, delivered_at, {"error_code": "SIM_UNREACHABLE"}))
            return plan
        plan.append((EventType.DELIVERED, delivered_at, {}))
        if profile is not None:
            pick = click_delay = stop_delay = 0.0
        # A sentence's final dot or bracket is not part of the link.
        urls = [url.rstrip(".,;:!?)") for url in URL_RE.findall(msg.sms_text or "")]
        if clicks and urls:
            url = urls[weighted_index(len(urls), pick)]
            plan.append(
                (EventType.CLICKED, delivered_at + 30.0 + 1800.0 * click_delay, {"url": url})
            )
        if reply:
            plan.append((EventType.TEXT, delivered_at + 10.0 + 50.0 * stop_delay, {"text": reply}))
        return plan

    def _planned_event(self, msg, index, event_type, delay, extra):
        event_id = uuid.uuid5(EVENT_NAMESPACE, f"{msg.attempt_id}:{msg.channel}:{index}")
        return {
            "event_id": str(event_id),
            "type": str(event_type),
            "delay_seconds": round(delay, 1),
            "attempt_id": str(msg.attempt_id),
            "provider_message_id": self.provider_message_id(msg.attempt_id),
            "number": msg.to,
            "channel": str(msg.channel),
            "cta_id": extra.get("cta_id"),
            "text": extra.get("text"),
            "url": extra.get("url"),
            "error_code": extra.get("error_code"),
        }

    # Webhooks

    def sign(self, body: bytes) -> str:
        """Return the signature header value for a webhook body."""
        digest = hmac.new(self.secret, body, hashlib.sha256).digest()
        return base64.b64encode(digest).decode("ascii")

    def build_webhook(self, events, occurred_at=None):
        """Turn planned events into the (body, headers) the app posts to /webhooks/simulator/."""
        when = (occurred_at or datetime.now(UTC)).isoformat()
        payload = {
            "events": [
                {
                    "eventId": event["event_id"],
                    "type": event["type"],
                    "messageId": event.get("provider_message_id"),
                    "attemptId": event.get("attempt_id"),
                    "number": event.get("number"),
                    "channel": event.get("channel"),
                    "ctaId": event.get("cta_id"),
                    "text": event.get("text"),
                    "url": event.get("url"),
                    "errorCode": event.get("error_code"),
                    "occurredAt": event.get("occurred_at") or when,
                }
                for event in events
            ]
        }
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8")
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: self.sign(body)}
        return body, headers

    def verify_webhook(self, request):
        given = request.header(SIGNATURE_HEADER)
        if not given:
            raise WebhookRejected(_("The simulator signature header is missing."))
        if not signatures_match(self.sign(request.body), given.strip()):
            raise WebhookRejected(_("The simulator signature does not match the body."))

    def parse_webhook(self, request):
        try:
            payload = load_json(request.body)
            items = payload["events"]
        except (ValueError, KeyError, TypeError) as exc:
            raise WebhookRejected(_("The simulator webhook body is not readable.")) from exc
        if not isinstance(items, list):
            raise WebhookRejected(_("The simulator webhook body is not readable."))
        events = []
        for item in items:
            if not isinstance(item, dict) or not as_text(item.get("eventId")):
                raise WebhookRejected(_("A simulator event has no eventId."))
            events.append(self._event(item))
        return events

    def _event(self, item):
        # Fields of another type than documented read as absent (as_text), never as a crash.
        event_type = as_text(item.get("type"))
        channel = as_text(item.get("channel"))
        return ProviderEvent(
            type=EventType(event_type) if event_type in EventType.values else EventType.UNKNOWN,
            provider_event_id=as_text(item["eventId"]),
            provider_message_id=as_text(item.get("messageId")),
            attempt_id=parse_uuid(item.get("attemptId")),
            number=as_text(item.get("number")),
            cta_id=as_text(item.get("ctaId")),
            text=as_text(item.get("text")),
            occurred_at=parse_timestamp(item.get("occurredAt")) or datetime.now(UTC),
            raw=item,
            channel=Channel(channel) if channel in Channel.values else None,
            error_code=as_text(item.get("errorCode")),
            url=as_text(item.get("url")),
        )
