"""The sending workflows of Relais; import them from here (`from campaigns import services`)."""

from campaigns.services.contacts import (
    InvalidNumber,
    get_or_create_contact,
    is_unsubscribe,
    normalize_keyword,
    normalize_phone,
    opt_out,
    record_consent,
)
from campaigns.services.fallback import apply_event, check_rcs_deadline, request_fallback
from campaigns.services.routing import (
    DEFAULT_RCS_TTL_SECONDS,
    default_rcs_ttl,
    webhook_url,
)
from campaigns.services.sending import reconcile_stuck_messages, send_message
from campaigns.services.simulation import post_events as post_simulated_events
from campaigns.services.submit import (
    CapabilityAnswer,
    SendRefused,
    check_capabilities,
    submit_acknowledgement,
    submit_message,
)

__all__ = [
    "DEFAULT_RCS_TTL_SECONDS",
    "CapabilityAnswer",
    "InvalidNumber",
    "SendRefused",
    "apply_event",
    "check_capabilities",
    "check_rcs_deadline",
    "default_rcs_ttl",
    "get_or_create_contact",
    "is_unsubscribe",
    "normalize_keyword",
    "normalize_phone",
    "opt_out",
    "post_simulated_events",
    "reconcile_stuck_messages",
    "record_consent",
    "request_fallback",
    "send_message",
    "submit_acknowledgement",
    "submit_message",
    "webhook_url",
]
