"""After the first try: the SMS fallback, the RCS deadline, and provider events.

A message gets at most one SMS fallback, whichever trigger comes first: not reachable at
send, a permanent RCS failure, a failure receipt, the TTL revocation, or the deadline job.
"""

import logging

from django.db import transaction
from django.utils import timezone

import jobs
from messaging.fields import fit
from messaging.providers import get_provider
from messaging.providers.normalized import Channel, EventType, ProviderError
from sending.models import Attempt, Message
from sending.services.modes import remember_capability
from sending.signals import MessageEvent, announce_message

logger = logging.getLogger(__name__)

Status = Message.Status
Fallback = Message.FallbackReason
Reason = Message.Reason


RCS_ONLY_FAILURES = {
    Fallback.NOT_REACHABLE: Reason.NOT_REACHABLE,
    Fallback.RCS_FAILED: Reason.RCS_FAILED,
    Fallback.RCS_EXPIRED: Reason.RCS_EXPIRED,
}


def fall_back(message, reason, detail=""):
    """Queue the SMS fallback of a locked message (saved); True when it was queued now."""
    if message.status in Message.FINAL or message.status in (Status.DELIVERED, Status.READ):
        return False
    # At most one SMS per message: a second trigger (webhook and deadline job) changes nothing.
    if message.fallback_reason or message.attempts.filter(channel=Channel.SMS).exists():
        return False
    if not message.allows_fallback:
        failure = RCS_ONLY_FAILURES.get(reason, Reason.RCS_FAILED)
        if message.policy == Message.Policy.RCS_WITH_FALLBACK:
            failure = Reason.NO_SMS_TEXT
        status = Status.EXPIRED if reason == Fallback.RCS_EXPIRED else Status.FAILED
        if message.finish(status, failure, detail):
            announce_message(
                message, MessageEvent.FAILED, channel=Channel.RCS, occurred_at=message.failed_at
            )
        message.save()
        return False
    message.fallback_reason = reason
    message.status = Status.QUEUED
    message.status_detail = str(detail)
    message.locked_until = None
    message.send_tries = 0
    message.save()
    announce_message(
        message, MessageEvent.FELL_BACK, channel=Channel.RCS, occurred_at=message.updated
    )
    return True


def request_fallback(message_id, reason, detail=""):
    """Queue the SMS fallback of a message unless it was delivered or already fell back."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        queued = fall_back(message, reason, detail)
        if queued:
            jobs.enqueue("sending.tasks.send_message", message.pk)
    return queued


def check_rcs_deadline(message_id, attempt_id):
    """At the RCS deadline: withdraw the RCS message if still undelivered and send the SMS."""
    attempt = (
        Attempt.objects.select_related("message__contact")
        .filter(public_id=attempt_id, message_id=message_id, channel=Channel.RCS)
        .first()
    )
    if attempt is None or attempt.status != Attempt.Status.SENT:
        return False
    message = attempt.message
    if message.status in (Status.DELIVERED, Status.READ) or message.status in Message.FINAL:
        return False
    try:
        revoked = get_provider(attempt.provider).revoke(message.contact.phone, attempt.public_id)
    except ProviderError as exc:
        # Better a possible duplicate than no message at all.
        logger.warning("message %s: could not revoke the RCS message: %s", message.pk, exc)
        revoked = None
    if revoked is False:
        # Too late to withdraw: it was delivered and the DELIVERED event is on its way.
        return False
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.status != Attempt.Status.SENT:
            return False
        attempt.status = Attempt.Status.EXPIRED
        attempt.save(update_fields=["status", "updated"])
    return request_fallback(message.pk, Fallback.RCS_EXPIRED)


RECEIPTS = {
    EventType.DELIVERED: (Attempt.Status.DELIVERED, Status.DELIVERED),
    EventType.READ: (Attempt.Status.READ, Status.READ),
}


def apply_event(attempt, event_type, *, occurred_at=None, channel=None, error_code=None):
    """Update an attempt and its message after a provider event; never moves them backwards."""
    at = occurred_at or timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("contact")
            .get(pk=attempt.message_id)
        )
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        before = (message.status, message.fallback_reason)
        rcs = attempt.channel == Channel.RCS
        # A later try exists: this attempt's "sent" or "failed" no longer says where we are.
        superseded = rcs and (
            bool(message.fallback_reason) or message.attempts.filter(channel=Channel.SMS).exists()
        )
        if rcs and attempt.provider_handles_fallback and channel == Channel.SMS:
            # Twilio delivered our RCS message as an SMS by itself.
            message.fallback_reason = message.fallback_reason or Fallback.PROVIDER_FALLBACK
            message.final_channel = Channel.SMS
        fallback_queued = False
        if event_type in (EventType.QUEUED, EventType.SENT):
            attempt.advance(Attempt.Status.SENT)
            if not superseded:
                message.advance(Status.SENT, at)
        elif event_type in RECEIPTS:
            attempt_status, message_status = RECEIPTS[event_type]
            attempt.advance(attempt_status)
            # Delivered is a fact whatever the channel: a late RCS receipt is shown too.
            message.advance(message_status, at)
            if rcs and not attempt.provider_handles_fallback and channel != Channel.SMS:
                remember_capability(message.contact, True, at, attempt.provider)
        elif event_type in (EventType.FAILED, EventType.UNDELIVERED, EventType.EXPIRED):
            fallback_queued = _settle_failure(message, attempt, event_type, error_code)
        attempt.save()
        message.save()
        _announce_event(message, before, channel or attempt.channel, at, attempt, error_code)
        if fallback_queued:
            jobs.enqueue("sending.tasks.send_message", message.pk)
    return message


# The status a receipt moved a message to -> what it announces (failures and fallbacks are
# announced where they are decided: fall_back and _settle_failure).
ANNOUNCED = {
    Status.SENT: MessageEvent.SENT,
    Status.DELIVERED: MessageEvent.DELIVERED,
    Status.READ: MessageEvent.READ,
}


def _announce_event(message, before, channel, at, attempt, error_code):
    status, fallback_reason = before
    if message.fallback_reason == Fallback.PROVIDER_FALLBACK and not fallback_reason:
        announce_message(message, MessageEvent.FELL_BACK, channel=Channel.RCS, occurred_at=at)
    event = ANNOUNCED.get(message.status)
    if message.status != status and event is not None:
        announce_message(
            message,
            event,
            channel=channel,
            occurred_at=at,
            provider=attempt.provider,
            error_code=error_code,
        )


def _settle_failure(message, attempt, event_type, error_code):
    # RBM says DELIVERED wins over a later TTL or failure notice.
    if attempt.status in (Attempt.Status.DELIVERED, Attempt.Status.READ):
        return False
    expired = event_type == EventType.EXPIRED
    attempt.status = Attempt.Status.EXPIRED if expired else Attempt.Status.FAILED
    if error_code:
        attempt.error_code = fit(Attempt, "error_code", str(error_code))
    if attempt.channel == Channel.RCS and not attempt.provider_handles_fallback:
        reason = Fallback.RCS_EXPIRED if expired else Fallback.RCS_FAILED
        return fall_back(message, reason, error_code or "")
    latest = message.attempts.order_by("-created", "-pk").first()
    if latest is not None and latest.pk == attempt.pk:
        status = Status.EXPIRED if expired else Status.FAILED
        if message.finish(status, Reason.UNDELIVERED, error_code or ""):
            announce_message(
                message,
                MessageEvent.FAILED,
                channel=attempt.channel,
                occurred_at=message.failed_at,
                provider=attempt.provider,
                error_code=error_code,
            )
    return False
