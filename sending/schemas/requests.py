"""What the send API takes: the bodies of a send, a batch and a capability check, the list's
query."""

from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict

from api.types import ONE_LINE, IsoMoment, Line, MultiLine, StrictInt
from messaging.providers.normalized import RCS_TTL_MAX_SECONDS, RCS_TTL_MIN_SECONDS
from sending.models import Message
from sending.paging import PAGE_DEFAULT, PAGE_MAX
from sending.schemas.values import (
    EXAMPLE_ID,
    SEND_AT_DESCRIPTION,
    ChannelName,
    MessageStatus,
)
from sending.services.submit import CAPABILITY_NUMBERS_MAX
from sending.services.submit_many import BATCH_MAX


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


class CapabilitiesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    numbers: list[Line] = Field(..., min_length=1, max_length=CAPABILITY_NUMBERS_MAX)


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
