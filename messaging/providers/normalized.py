"""The normalized vocabulary every provider speaks: channels, event and traffic types, the
message a provider is asked to send, what it answers, and its errors."""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy

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
