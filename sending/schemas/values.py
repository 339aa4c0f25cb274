"""The values the send API's schemas share: the enums (listed inline in the OpenAPI schema),
the seed request and the example ids /api/docs shows."""

from typing import Literal

from api.types import one_of
from messaging import sms
from messaging.providers.normalized import Channel, EventType
from sending.models import Attempt, Message
from sending.services import waiting

MessageStatus = one_of(Message.Status)
MessageReason = one_of(Message.Reason)
MessagePolicy = one_of(Message.Policy)
FallbackReason = one_of(Message.FallbackReason)
AttemptStatus = one_of(Attempt.Status)
ChannelName = one_of(Channel)
EventName = one_of(EventType)
SmsEncoding = Literal[sms.GSM_7, sms.UCS_2]
NoticeCode = Literal[waiting.SIMULATOR_RECEIPTS_MISSING, waiting.PROVIDER_RECEIPTS_MISSING]
# Why a number gets no capability answer: as a send to it would be refused.
CapabilityErrorCode = Literal["invalid_recipient", "not_a_mobile_number", "country_not_allowed"]
# Who reported an event: the provider (receipts, replies, button taps) or a tracked link.
EventSource = Literal["provider", "link"]
# What tapped a tracked link, as analytics classifies it (analytics.models.Click.Kind).
ClickKind = Literal["human", "bot", "suspected_bot"]
BatchItemStatus = Literal["accepted", "refused"]


SEED_REQUEST = {
    "template_id": "promo_soldes_v1",
    "recipient": "+33612345678",
    "variables": {"prenom": "Marie", "duree_offre": "48h"},
}
EXAMPLE_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
EXAMPLE_STATUS_URL = f"https://relais.example.com/api/v1/messages/{EXAMPLE_ID}"
SEND_AT_DESCRIPTION = (
    "Send at this time (ISO 8601 with a time zone), at most 35 days from now: the message is "
    "`scheduled` until then, and can be cancelled. Quiet hours, the frequency cap and consent "
    "are applied when it goes. Omitted, or up to 5 minutes in the past: at once; further in "
    "the past: 422 `invalid_send_at`."
)
STATUS_REASON_DESCRIPTION = (
    "Why it ended failed, expired, suppressed or cancelled (opted_out, no_consent, "
    "frequency_cap…), or why it is held while queued (quiet_hours, country_paused); null "
    "otherwise."
)
