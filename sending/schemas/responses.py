"""What the send API answers: an accepted message, a message with its attempts and events,
a page of messages, a batch's results, capabilities."""

from datetime import datetime
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict

from sending.models import Message
from sending.schemas.values import (
    EXAMPLE_ID,
    EXAMPLE_STATUS_URL,
    STATUS_REASON_DESCRIPTION,
    AttemptStatus,
    BatchItemStatus,
    CapabilityErrorCode,
    ChannelName,
    ClickKind,
    EventName,
    EventSource,
    FallbackReason,
    MessageReason,
    MessageStatus,
    NoticeCode,
    SmsEncoding,
)

# A message accepted and queued, as a single send answers it and as a batch lists it.
ACCEPTED_EXAMPLE = {
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


class MessageAccepted(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [ACCEPTED_EXAMPLE]})

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
    source: EventSource = Field(
        "provider",
        description=(
            "provider (a receipt, reply or button tap the provider reported) or link (a tap on "
            "a tracked link, written within seconds)."
        ),
    )
    kind: ClickKind | None = Field(
        None, description="For link taps: human, bot (a link preview, a crawler) or suspected_bot."
    )


class TrackedLinkOut(Schema):
    cta_id: str = Field(..., description="The button's id; SMS-only links are sms-1, sms-2…")
    channel: ChannelName = Field(..., description="rcs (a button) or sms (a link in the SMS text).")
    url: str = Field(..., description="Where the link leads.")
    tracked_url: str = Field(..., description="The link as it went out.")


class NoticeOut(Schema):
    code: NoticeCode = Field(
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
                    "source": "api",
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
    source: Message.Source = Field(
        ...,
        description=(
            "What created the message: the send API, a campaign, a shop connector, a test from "
            "the editor, or Relais itself (the acknowledgement of a STOP)."
        ),
    )
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
    sms_encoding: SmsEncoding | None
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


class CapabilityOut(Schema):
    number: str = Field(..., description="E.164, or the number as given when it is not valid.")
    capable: bool | None = Field(..., description="null when it could not be told.")
    checked_at: datetime | None
    cache_age_seconds: int | None = Field(
        ..., description="How old the answer is; 0 when checked now."
    )
    error: str | None
    error_code: CapabilityErrorCode | None = Field(
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


class MessageListOut(Schema):
    results: list[MessageOut] = Field(..., description="Newest first (by creation, then id).")
    has_more: bool = Field(
        ..., description="True when more messages follow: ask again with starting_after."
    )
    next: str | None = Field(
        ..., description="The URL of the next page (starting_after the last result), or null."
    )


class BatchErrorOut(Schema):
    field: str = Field(..., description="As a single send names it: recipient, variables.prenom…")
    code: str
    message: str


class BatchResultOut(Schema):
    index: int = Field(..., description="The recipient's position in the request, from 0.")
    status: BatchItemStatus
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
                            "message": ACCEPTED_EXAMPLE,
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
