"""The RCS calls of a batch that RBM answered "not reachable", written for a chunk at once.

On a list whose RCS capability nobody checked yet (a first campaign), about one call in
seven is answered so. One at a time (pipeline._record_error) each cost a savepoint, two
locking reads, three saves and a query for an SMS attempt. Here a chunk's are written by
a few statements whatever their number, with the rule of fallback.fall_back: the attempt
failed, the contact remembered as not capable (unless the simulator made it up about a
live contact), the message queued again for its SMS unless it fell back already.
"""

from django.db.models import Exists, OuterRef

from audience.models import Contact
from messaging.fields import fit
from messaging.providers.modes import keeps_word_of
from messaging.providers.normalized import Channel
from sending.models import Attempt, Message
from sending.services.bulk_sql import bulk_set
from sending.signals import MessageEvent, announce, change_of, listening

Status = Message.Status
Fallback = Message.FallbackReason


def in_bulk(call, error):
    """Whether a failed call goes through record_unreachable (the others, rarer, one by one)."""
    return call.channel == Channel.RCS and error.not_reachable and call.message.allows_fallback


def record_unreachable(failed, now):
    """Write (call, error) pairs taken by in_bulk, inside the caller's transaction; returns
    the ids of the messages queued again for their SMS fallback."""
    attempts = []
    for call, error in failed:
        attempt = call.attempt
        attempt.status = Attempt.Status.FAILED
        attempt.error_code = fit(Attempt, "error_code", error.code or "")
        attempt.error_text = error.message
        attempt.raw_response = error.raw or {}
        attempt.updated = now
        attempts.append(attempt)
    bulk_set(Attempt, attempts, ["status", "error_code", "error_text", "raw_response", "updated"])

    learnt = [
        call.message.contact_id
        for call, _error in failed
        if keeps_word_of(call.attempt.provider, test_mode=call.message.test_mode)
    ]
    if learnt:
        Contact.objects.filter(pk__in=learnt).update(
            rcs_capable=False, rcs_checked_at=now, updated=now
        )

    # Still this batch's (sending), not fallen back already, no SMS sent for it: at most one
    # SMS per message, as fall_back has it.
    by_id = {call.message.pk: (call, error) for call, error in failed}
    sms = Attempt.objects.filter(message=OuterRef("pk"), channel=Channel.SMS)
    queued = list(
        Message.objects.select_for_update(of=("self",))
        .filter(pk__in=list(by_id), status=Status.SENDING, fallback_reason="")
        .exclude(Exists(sms))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    messages = []
    for pk in queued:
        call, error = by_id[pk]
        message = call.message
        message.status = Status.QUEUED
        message.fallback_reason = Fallback.NOT_REACHABLE
        message.status_detail = str(error.message)
        message.locked_until = None
        message.send_tries = 0
        message.updated = now
        messages.append(message)
    fields = ["status", "fallback_reason", "status_detail", "locked_until", "send_tries", "updated"]
    bulk_set(Message, messages, fields)
    if messages and listening():
        announce(
            change_of(message, MessageEvent.FELL_BACK, channel=Channel.RCS, occurred_at=now)
            for message in messages
        )
    return queued
