"""Request and response schemas of the send API, with the examples /api/docs shows."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict

from api.types import ONE_LINE, IsoMoment, Line, MultiLine, StrictInt
from messaging.providers.base import (
    RCS_TTL_MAX_SECONDS,
    RCS_TTL_MIN_SECONDS,
    Channel,
    EventType,
)
from sending.models import Attempt, Message
from sending.paging import PAGE_DEFAULT, PAGE_MAX
from sending.services.submit import CAPABILITY_NUMBERS_MAX
from sending.services.submit_many import BATCH_MAX


# The enums as inline lists of values: the schema's components are named by class, and
# several apps have a "Status" or a "Policy" of their own.
def _choices(choices):
    return Literal[tuple(choices.values)]


MessageStatus = _choices(Message.Status)
MessageReason = _choices(Message.Reason)
FallbackReason = _choices(Message.FallbackReason)
AttemptStatus = _choices(Attempt.Status)
ChannelName = _choices(Channel)
EventName = _choices(EventType)


SEED_REQUEST = {
    "template_id": "promo_soldes_v1",
    "recipient": "+33612345678",
    "variables": {"prenom": "Marie", "duree_offre": "48h"},
}
EXAMPLE_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
EXAMPLE_STATUS_URL = f"https://relais.example.com/api/v1/messages/{EXAMPLE_ID}"
SEND_AT_DESCRIPTION = (
    "Send at this time (ISO 8601 with a time zone), 5 minutes to 35 days from now: the "
    "message is `scheduled` until then, and can be cancelled. Quiet hours, the frequency cap "
    "and consent are applied when it goes. Omitted: at once."
)
STATUS_REASON_DESCRIPTION = (
    "Why it ended failed, expired, suppressed or cancelled (opted_out, no_consent, "
    "frequency_cap…), or why it is held while queued (quiet_hours, country_paused); null "
    "otherwise."
)


class MessageIn(Schema):
    model_config = ConfigDict(extra="forbid")

    template_id: Line = Field(
        ..., max_length=64, description="The template's id, shown in the editor."
    )
    recipient: Line = Field(
        ...,
        max_length=40,
        description="Phone number, E.164 (+33612345678) or French national (06 12 34 56 78).",
    )
    variables: dict[Line, MultiLine] = Field(
        default_factory=dict,
        description=(
            "A value for each variable the template declares; any other name is refused. "
            "No control characters; line breaks only in a variable the template shows on "
            "several lines (not in a button, a link or a title)."
        ),
    )
    policy: Message.Policy | None = Field(
        None, description="Channel policy; rcs_with_fallback when omitted."
    )
    rcs_ttl_seconds: StrictInt | None = Field(
        None,
        ge=RCS_TTL_MIN_SECONDS,
        le=RCS_TTL_MAX_SECONDS,
        description="Send the SMS fallback if RCS is not delivered within this many seconds.",
    )
    # The length limit sits inside the Annotated: on the union it would lose its "string_" error.
    external_id: Annotated[str, Field(max_length=200), ONE_LINE] | None = Field(
        None, description="Your own reference (order number...), returned as is."
    )
    send_at: IsoMoment | None = Field(None, description=SEND_AT_DESCRIPTION)


class MessageAccepted(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": EXAMPLE_ID,
                    "status": "queued",
                    "status_reason": None,
                    "not_before": None,
                    "send_at": None,
                    "status_url": EXAMPLE_STATUS_URL,
                    "predicted_channel": "rcs",
                    "external_id": "order-1042",
                    "test_mode": True,
                }
            ]
        }
    )

    id: UUID
    status: MessageStatus = Field(
        ..., description="queued, scheduled (send_at given) or suppressed (frequency_cap)."
    )
    status_reason: MessageReason | None = Field(
        None,
        description=(
            "quiet_hours when the promotion waits for its window, frequency_cap when it was "
            "suppressed because the contact reached the cap; null otherwise."
        ),
    )
    not_before: datetime | None = Field(
        None,
        description=(
            "Set when a promotion waits for the quiet hours of its country to end: it goes out "
            "at this time (UTC), not before; null when it was not held."
        ),
    )
    send_at: datetime | None = Field(None, description="When a scheduled message goes out.")
    status_url: str
    predicted_channel: ChannelName = Field(..., description="rcs or sms, as routed now.")
    external_id: str | None = Field(None, description="Your reference, as you gave it.")
    test_mode: bool


class AttemptOut(Schema):
    id: UUID
    channel: ChannelName
    provider: str
    provider_message_id: str | None
    status: AttemptStatus
    error_code: str | None
    error_text: str | None
    created: datetime


class EventOut(Schema):
    type: EventName
    cta_id: str | None
    channel: ChannelName | None
    occurred_at: datetime
    source: str = Field(
        "provider",
        description=(
            "provider (a receipt, reply or button tap the provider reported) or link (a tap on "
            "a tracked link, written within seconds)."
        ),
    )
    kind: str | None = Field(
        None, description="For link taps: human, bot (a link preview, a crawler) or suspected_bot."
    )


class TrackedLinkOut(Schema):
    cta_id: str = Field(..., description="The button's id; SMS-only links are sms-1, sms-2…")
    channel: str = Field(..., description="rcs (a button) or sms (a link in the SMS text).")
    url: str = Field(..., description="Where the link leads.")
    tracked_url: str = Field(..., description="The link as it went out.")


class NoticeOut(Schema):
    code: str = Field(
        ..., description="simulator_receipts_missing or provider_receipts_missing (more may come)."
    )
    detail: str = Field(
        ..., description="What is wrong and what to check, in the caller's language."
    )


class MessageOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": EXAMPLE_ID,
                    "status": "delivered",
                    "status_reason": None,
                    "not_before": None,
                    "send_at": None,
                    "channel": "sms",
                    "intended_channel": "rcs",
                    "final_channel": "sms",
                    "fallback_reason": "not_reachable",
                    "policy": "rcs_with_fallback",
                    "template_id": "promo_soldes_v1",
                    "template_version": 3,
                    "draft_test": False,
                    "recipient": "+33612345678",
                    "external_id": "order-1042",
                    "test_mode": True,
                    "sms_text": "Marie, -40 % ce week-end : https://rl.example/l/2Bi4Yq8nRw0c",
                    "sms_encoding": "GSM-7",
                    "sms_segments": 1,
                    "links": [
                        {
                            "cta_id": "cta_b2",
                            "channel": "rcs",
                            "url": "https://shop.example/soldes",
                            "tracked_url": "https://rl.example/l/2Bi4Yo3KqLm1x",
                        },
                        {
                            "cta_id": "cta_b2",
                            "channel": "sms",
                            "url": "https://shop.example/soldes",
                            "tracked_url": "https://rl.example/l/2Bi4Yq8nRw0c",
                        },
                    ],
                    "created": "2025-06-02T09:30:00Z",
                    "updated": "2025-06-02T09:30:04Z",
                    "sent_at": "2025-06-02T09:30:01Z",
                    "delivered_at": "2025-06-02T09:30:03Z",
                    "read_at": None,
                    "attempts": [
                        {
                            "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
                            "channel": "rcs",
                            "provider": "simulator",
                            "provider_message_id": None,
                            "status": "failed",
                            "error_code": "404",
                            "error_text": "Not reachable over RCS",
                            "created": "2025-06-02T09:30:00Z",
                        },
                        {
                            "id": "6ecd8c99-4036-403d-bf84-cf8400f67836",
                            "channel": "sms",
                            "provider": "simulator",
                            "provider_message_id": "sim-sms-81b2",
                            "status": "delivered",
                            "error_code": None,
                            "error_text": None,
                            "created": "2025-06-02T09:30:01Z",
                        },
                    ],
                    "events": [
                        {
                            "type": "delivered",
                            "cta_id": None,
                            "channel": "sms",
                            "occurred_at": "2025-06-02T09:30:03Z",
                        },
                        {
                            "type": "clicked",
                            "cta_id": "cta_b2",
                            "channel": "sms",
                            "occurred_at": "2025-06-02T09:41:12Z",
                            "source": "link",
                            "kind": "human",
                        },
                    ],
                    "notice": None,
                }
            ]
        }
    )

    id: UUID
    status: MessageStatus
    status_reason: MessageReason | None = Field(..., description=STATUS_REASON_DESCRIPTION)
    not_before: datetime | None = Field(
        None,
        description=(
            "Set when a promotion waits for the quiet hours of its country to end: it goes out "
            "at this time (UTC), not before; null when it was not held."
        ),
    )
    send_at: datetime | None = Field(
        None, description="When a message scheduled by the caller goes (or went) out."
    )
    channel: ChannelName = Field(
        ..., description="The channel that carried it, else the intended one."
    )
    intended_channel: ChannelName
    final_channel: ChannelName | None
    fallback_reason: FallbackReason | None = Field(
        ..., description="Why SMS carried an RCS message (not_capable, not_reachable…)."
    )
    policy: Message.Policy
    template_id: str | None
    template_version: int | None
    draft_test: bool = Field(
        False,
        description=(
            "A test of a template's unpublished draft sent from the editor (test data only): "
            "template_version is null."
        ),
    )
    recipient: str
    external_id: str | None
    test_mode: bool
    sms_text: str | None = Field(
        None, description="The SMS text as sent (or to be sent), with its tracked links."
    )
    sms_encoding: str | None
    sms_segments: int | None
    links: list[TrackedLinkOut] = Field(
        [], description="Every URL the message carried, as a tracked link; empty before sending."
    )
    created: datetime
    updated: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    read_at: datetime | None
    attempts: list[AttemptOut]
    events: list[EventOut]
    notice: NoticeOut | None = Field(
        None,
        description=(
            "Set when the message has waited for its receipts far longer than expected, with "
            "the likely cause (the provider cannot reach the webhook address); null otherwise."
        ),
    )


class CapabilitiesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    numbers: list[Line] = Field(..., min_length=1, max_length=CAPABILITY_NUMBERS_MAX)


class CapabilityOut(Schema):
    number: str = Field(..., description="E.164, or the number as given when it is not valid.")
    capable: bool | None = Field(..., description="null when it could not be told.")
    checked_at: datetime | None
    cache_age_seconds: int | None = Field(
        ..., description="How old the answer is; 0 when checked now."
    )
    error: str | None
    error_code: str | None = Field(
        None,
        description=(
            "Why there is no answer: invalid_recipient, not_a_mobile_number or "
            "country_not_allowed (the number is refused, as a send to it would be)."
        ),
    )


class CapabilitiesOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "results": [
                        {
                            "number": "+33612345678",
                            "capable": True,
                            "checked_at": "2025-06-01T18:02:11Z",
                            "cache_age_seconds": 55429,
                            "error": None,
                            "error_code": None,
                        },
                        {
                            "number": "12",
                            "capable": None,
                            "checked_at": None,
                            "cache_age_seconds": None,
                            "error": "This is not a valid phone number.",
                            "error_code": "invalid_recipient",
                        },
                    ]
                }
            ]
        }
    )

    results: list[CapabilityOut]


class MessageListQuery(Schema):
    limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX, description="Messages a page (1–100).")
    starting_after: Line | None = Field(
        None,
        max_length=64,
        description="The id of the last message of the previous page.",
        examples=[EXAMPLE_ID],
    )
    external_id: Line | None = Field(
        None, max_length=200, description="Only messages with this reference of yours."
    )
    status: MessageStatus | None = Field(None, description="Only messages in this status.")
    channel: ChannelName | None = Field(
        None, description="Only messages carried by (else intended for) this channel."
    )
    created_gte: IsoMoment | None = Field(
        None, description="Created at or after this time (ISO 8601 with a time zone)."
    )
    created_lt: IsoMoment | None = Field(
        None, description="Created before this time (ISO 8601 with a time zone)."
    )
    campaign_id: UUID | None = Field(None, description="Only the messages of this campaign.")


class MessageListOut(Schema):
    results: list[MessageOut] = Field(..., description="Newest first (by creation, then id).")
    has_more: bool = Field(
        ..., description="True when more messages follow: ask again with starting_after."
    )
    next: str | None = Field(
        ..., description="The URL of the next page (starting_after the last result), or null."
    )


class BatchRecipientIn(Schema):
    model_config = ConfigDict(extra="forbid")

    recipient: Line = Field(
        ..., max_length=40, description="Phone number, E.164 or French national format."
    )
    variables: dict[Line, MultiLine] = Field(
        default_factory=dict, description="This recipient's values of the template's variables."
    )
    external_id: Annotated[str, Field(max_length=200), ONE_LINE] | None = Field(
        None, description="Your own reference for this message, returned as is."
    )


class MessageBatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    template_id: Line = Field(..., max_length=64, description="The template every message uses.")
    recipients: list[dict] = Field(
        ...,
        min_length=1,
        max_length=BATCH_MAX,
        description=(
            "Up to 1,000 recipients, each `{recipient, variables, external_id}`; each is checked "
            "on its own, as a single send would check it."
        ),
    )
    policy: Message.Policy | None = Field(
        None, description="Channel policy of every message; rcs_with_fallback when omitted."
    )
    rcs_ttl_seconds: StrictInt | None = Field(
        None,
        ge=RCS_TTL_MIN_SECONDS,
        le=RCS_TTL_MAX_SECONDS,
        description="Send the SMS fallback if RCS is not delivered within this many seconds.",
    )
    send_at: IsoMoment | None = Field(None, description=SEND_AT_DESCRIPTION)


class BatchErrorOut(Schema):
    field: str = Field(..., description="As a single send names it: recipient, variables.prenom…")
    code: str
    message: str


class BatchResultOut(Schema):
    index: int = Field(..., description="The recipient's position in the request, from 0.")
    status: Literal["accepted", "refused"]
    message: MessageAccepted | None = Field(
        ..., description="The accepted message (as a single send answers it); null if refused."
    )
    errors: list[BatchErrorOut] = Field(
        ..., description="Why it was refused: the code and field a single send would give."
    )


class MessageBatchOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "accepted": 1,
                    "refused": 1,
                    "results": [
                        {
                            "index": 0,
                            "status": "accepted",
                            "message": {
                                "id": EXAMPLE_ID,
                                "status": "queued",
                                "status_reason": None,
                                "not_before": None,
                                "send_at": None,
                                "status_url": EXAMPLE_STATUS_URL,
                                "predicted_channel": "rcs",
                                "external_id": "order-1042",
                                "test_mode": True,
                            },
                            "errors": [],
                        },
                        {
                            "index": 1,
                            "status": "refused",
                            "message": None,
                            "errors": [
                                {
                                    "field": "recipient",
                                    "code": "not_a_mobile_number",
                                    "message": "+33 1 42 68 53 00 is a landline: SMS cannot "
                                    "reach it, send to a mobile number.",
                                }
                            ],
                        },
                    ],
                }
            ]
        }
    )

    accepted: int
    refused: int
    results: list[BatchResultOut]
