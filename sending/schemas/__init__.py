"""Request and response schemas of the send API, with the examples /api/docs shows: what it
takes (requests), what it answers (responses), and the values both share (values)."""

from sending.schemas.requests import (
    BatchRecipientIn,
    CapabilitiesIn,
    MessageBatchIn,
    MessageIn,
    MessageListQuery,
)
from sending.schemas.responses import (
    AttemptOut,
    BatchErrorOut,
    BatchResultOut,
    CapabilitiesOut,
    CapabilityOut,
    EventOut,
    MessageAccepted,
    MessageBatchOut,
    MessageListOut,
    MessageOut,
    NoticeOut,
    TrackedLinkOut,
)
from sending.schemas.values import (
    EXAMPLE_ID,
    EXAMPLE_STATUS_URL,
    SEED_REQUEST,
    AttemptStatus,
    ChannelName,
    EventName,
    FallbackReason,
    MessageReason,
    MessageStatus,
)

__all__ = [
    "EXAMPLE_ID",
    "EXAMPLE_STATUS_URL",
    "SEED_REQUEST",
    "AttemptOut",
    "AttemptStatus",
    "BatchErrorOut",
    "BatchRecipientIn",
    "BatchResultOut",
    "CapabilitiesIn",
    "CapabilitiesOut",
    "CapabilityOut",
    "ChannelName",
    "EventName",
    "EventOut",
    "FallbackReason",
    "MessageAccepted",
    "MessageBatchIn",
    "MessageBatchOut",
    "MessageIn",
    "MessageListOut",
    "MessageListQuery",
    "MessageOut",
    "MessageReason",
    "MessageStatus",
    "NoticeOut",
    "TrackedLinkOut",
]
