"""What sending tells the apps above it, which it may not import (campaigns, analytics,
integrations).

message_events carries a LIST of MessageChange, sent after the commit that made the changes:
the per-message pipeline sends one change at a time, the batch engine one list per chunk of
results, so a listener pays one call per batch, not one per message. A listener's error is
logged, never raised into the job or request that changed the messages. When nothing
listens, announcing costs one check and no object is built (see `listening`).
The payload is documented in docs/sending.md ("What sending announces").
"""

import functools
import logging
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent once a dispatch is marked done (nothing of it is queued or sending), after the commit;
# keyword argument: dispatch_id.
dispatch_finished = Signal()

# Sent after the commit of one or more changes of messages; keyword argument: changes, a list
# of MessageChange (never empty). sender is sending.models.Message.
message_events = Signal()


class MessageEvent:
    """What happened to a message (the names outbound webhooks put after "message.")."""

    SENT = "sent"  # the provider accepted it (status sent)
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"  # ended failed or expired; reason says why
    FELL_BACK = "fell_back"  # RCS gave up, the SMS fallback is queued; reason says why
    CLICKED = "clicked"  # a button or link of it was tapped (cta_id, url)
    INBOUND = "inbound"  # the contact wrote back (text, cta_id for a tapped suggestion)

    ALL = (SENT, DELIVERED, READ, FAILED, FELL_BACK, CLICKED, INBOUND)


@dataclass(frozen=True)
class MessageChange:
    """One thing that happened to one message, with what a listener needs without a query."""

    event: str  # one of MessageEvent
    message_id: int
    public_id: UUID
    test_mode: bool
    contact_id: int
    # The message's status after the change (queued for fell_back, sent, delivered...).
    status: str
    # The channel the event is about: the attempt's, or the message's final channel.
    channel: str
    occurred_at: datetime
    external_id: str = ""
    # The campaign's group of messages (campaigns maps it to its campaign); None for API sends.
    dispatch_id: int | None = None
    intended_channel: str = ""
    # failed: Message.Reason; fell_back: Message.FallbackReason; otherwise "".
    reason: str = ""
    # Extra facts of the event: error_code, cta_id, url, text (inbound), provider.
    detail: dict = field(default_factory=dict)


def listening():
    """True when something listens to message_events (build changes only then)."""
    return message_events.has_listeners()


def change_of(
    message, event, *, channel=None, occurred_at=None, reason=None, status=None, **detail
):
    """The MessageChange of a Message instance (its loaded fields only: no query); status
    replaces the instance's when the change was written in SQL without it."""
    if reason is None:
        if event == MessageEvent.FAILED:
            reason = message.status_reason
        elif event == MessageEvent.FELL_BACK:
            reason = message.fallback_reason
    return MessageChange(
        event=event,
        message_id=message.pk,
        public_id=message.public_id,
        test_mode=message.test_mode,
        contact_id=message.contact_id,
        status=str(status or message.status),
        channel=str(channel or message.final_channel or message.intended_channel or ""),
        occurred_at=occurred_at or message.updated,
        external_id=message.external_id or "",
        dispatch_id=message.dispatch_id,
        intended_channel=str(message.intended_channel or ""),
        reason=str(reason or ""),
        detail={key: value for key, value in detail.items() if value not in (None, "")},
    )


def announce(changes):
    """Send message_events with changes once the current transaction commits (now if none)."""
    changes = list(changes)
    if not changes or not listening():
        return
    transaction.on_commit(functools.partial(_send, changes))


def announce_message(message, event, **kwargs):
    """announce() one change of a Message instance; nothing is built when nobody listens."""
    if listening():
        announce([change_of(message, event, **kwargs)])


def _send(changes):
    from sending.models import Message

    for receiver, error in message_events.send_robust(sender=Message, changes=changes):
        if isinstance(error, Exception):
            logger.error("%s failed on %d message events", receiver, len(changes), exc_info=error)


# Sent when a provider reports a tap on a button (CLICKED or REPLIED with a CTA id), inside the
# transaction that records the event, so the tap and its event commit together; keyword
# argument: event (a sending.Event). A receiver that fails makes the webhook fail, and the
# provider retries it.
button_tapped = Signal()

# Sent when GET /api/v1/messages/{id} lists a message's events, so apps above sending add
# theirs (analytics: taps on tracked links); keyword argument: message. Each receiver returns
# a list of event dicts shaped like sending.schemas.EventOut. (message_events, above, is another
# signal: it announces changes.)
message_events_listed = Signal()
