"""Request and response schemas of the send API, with the examples /api/docs shows."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict

from api.types import ONE_LINE, Line, MultiLine, StrictInt
from messaging.providers.base import RCS_TTL_MAX_SECONDS, RCS_TTL_MIN_SECONDS
from sending.models import Message
from sending.services.submit import CAPABILITY_NUMBERS_MAX

SEED_REQUEST = {
    "template_id": "promo_soldes_v1",
    "recipient": "+33612345678",
    "variables": {"prenom": "Marie", "duree_offre": "48h"},
}
EXAMPLE_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
EXAMPLE_STATUS_URL = f"https://relais.example.com/api/v1/messages/{EXAMPLE_ID}"


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


class MessageAccepted(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": EXAMPLE_ID,
                    "status": "queued",
                    "status_reason": None,
                    "not_before": None,
                    "status_url": EXAMPLE_STATUS_URL,
                    "predicted_channel": "rcs",
                    "test_mode": True,
                }
            ]
        }
    )

    id: UUID
    status: str
    status_reason: str | None = Field(
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
    status_url: str
    predicted_channel: str = Field(..., description="rcs or sms, as routed now.")
    test_mode: bool


class AttemptOut(Schema):
    id: UUID
    channel: str
    provider: str
    provider_message_id: str | None
    status: str
    error_code: str | None
    error_text: str | None
    created: datetime


class EventOut(Schema):
    type: str
    cta_id: str | None
    channel: str | None
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
    status: str
    status_reason: str | None = Field(
        ...,
        description=(
            "Why it ended failed, expired or suppressed (opted_out, no_consent, frequency_cap…), "
            "or why it is held while queued (quiet_hours, country_paused)."
        ),
    )
    not_before: datetime | None = Field(
        None,
        description=(
            "Set when a promotion waits for the quiet hours of its country to end: it goes out "
            "at this time (UTC), not before; null when it was not held."
        ),
    )
    channel: str = Field(..., description="The channel that carried it, else the intended one.")
    intended_channel: str
    final_channel: str | None
    fallback_reason: str | None = Field(
        ..., description="Why SMS carried an RCS message (not_capable, not_reachable…)."
    )
    policy: str
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
