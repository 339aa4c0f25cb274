"""The sending workflows of Relais; import them from here (`from sending import services`)."""

from sending.services.batch import finish_if_done, send_batch
from sending.services.dispatching import (
    cancel_dispatch,
    create_dispatch,
    pause_dispatch,
    release_stage,
    resume_dispatch,
)
from sending.services.fallback import apply_event, check_rcs_deadline, request_fallback
from sending.services.pipeline import reconcile_stuck_messages, send_message
from sending.services.replies import acknowledge_opt_in, answer_help
from sending.services.routing import (
    DEFAULT_RCS_TTL_SECONDS,
    default_rcs_ttl,
    webhook_url,
)
from sending.services.simulation import post_events as post_simulated_events
from sending.services.snapshot import FirstShare, SnapshotError, snapshot_audience
from sending.services.submit import (
    CapabilityAnswer,
    SendRefused,
    check_capabilities,
    submit_acknowledgement,
    submit_message,
)
from sending.services.webhooks import acknowledge_opt_out, ingest

__all__ = [
    "FirstShare",
    "SnapshotError",
    "cancel_dispatch",
    "create_dispatch",
    "finish_if_done",
    "pause_dispatch",
    "release_stage",
    "resume_dispatch",
    "send_batch",
    "snapshot_audience",
    "DEFAULT_RCS_TTL_SECONDS",
    "CapabilityAnswer",
    "SendRefused",
    "acknowledge_opt_in",
    "acknowledge_opt_out",
    "answer_help",
    "apply_event",
    "check_capabilities",
    "check_rcs_deadline",
    "default_rcs_ttl",
    "ingest",
    "post_simulated_events",
    "reconcile_stuck_messages",
    "request_fallback",
    "send_message",
    "submit_acknowledgement",
    "submit_message",
    "webhook_url",
]
