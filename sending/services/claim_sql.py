"""Lock a batch of a dispatch's messages and take their lease; keep or give the lease back.

The claim writes nothing: `SELECT ... FOR UPDATE OF sending_message SKIP LOCKED`, so two
workers handed the same ids never both take one, and neither waits for the other. The same
query re-reads the dispatch (running, stage released) and loads each message with its
contact and whether it has an attempt already (one still calling). take_lease sets the lease
on the instances (status sending, locked_until, one more try), or suppresses a promotion to a
contact with no opt-in left on any channel; prepare writes both with the prepared columns in
one UPDATE of the same transaction. A message's row is so written twice in a batch (that
UPDATE, then its result), not three times. SQLite runs the same query without the lock (one
writer at a time).
"""

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.base import ModelState

from audience.models import Consent, Contact
from messaging.providers.normalized import TrafficType
from sending.dispatches import Dispatch
from sending.models import Attempt, Message

Status = Message.Status
Reason = Message.Reason

# What a batch reads of a message and of its contact: not the message's timestamps
# (take_lease sets updated), most of the contact. A column left out is still there when
# asked for, at the cost of a query for each instance that asks.
_MESSAGE_COLUMNS = [
    field.attname
    for field in Message._meta.concrete_fields
    if field.name not in ("created", "updated") and not field.primary_key
]
_CONTACT_COLUMNS = [
    "phone",
    "test_mode",
    "sms_consent",
    "rcs_consent",
    "rcs_capable",
    "rcs_checked_at",
]
_FLAGS = ("has_attempt", "interrupted")
_MESSAGE_NAMES = ("id", *_MESSAGE_COLUMNS, *_FLAGS)


def lock_batch(dispatch_id, message_ids, *, now):
    """Lock the claimable messages among message_ids (inside the caller's transaction) and
    return them, in id order, with their contacts and their attempt flags."""
    if not message_ids:
        return []
    alias = connection.alias
    return [_message(row, alias) for row in _locking(dispatch_id, message_ids, now)]


def _locking(dispatch_id, message_ids, now):
    """lock_batch's query (its plan is checked by tests/sending/test_batch_plans.py)."""
    return (
        Message.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(claimable(now), pk__in=message_ids, dispatch_id=dispatch_id)
        .filter(
            dispatch__status=Dispatch.Status.RUNNING,
            stage__lte=F("dispatch__released_stage"),
        )
        .annotate(**attempt_flags())
        .order_by("pk")
        .values_list(*_MESSAGE_NAMES, *(f"contact__{name}" for name in _CONTACT_COLUMNS))
    )


def _message(row, alias):
    """A Message with its Contact from a row of lock_batch's query, built without
    Model.__init__ (profiled: the larger part of loading a batch): what Model.from_db gives
    with these columns, any other loaded when first read."""
    split = len(_MESSAGE_NAMES)
    message = _loaded(Message, zip(_MESSAGE_NAMES, row[:split], strict=True), alias)
    contact = _loaded(Contact, zip(_CONTACT_COLUMNS, row[split:], strict=True), alias)
    contact.id = message.contact_id
    Message.contact.field.set_cached_value(message, contact)
    return message


def _loaded(model, values, alias):
    instance = model.__new__(model)
    instance.__dict__.update(values)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = alias
    return instance


def attempt_flags():
    """Annotations telling, with the batch's own query, whether a message has an attempt
    already (a re-run, a retry, a fallback) and whether one is still calling (an earlier run
    died mid-call): the batch needs no query of its own for either."""
    attempts = Attempt.objects.filter(message=OuterRef("pk"))
    return {
        "has_attempt": Exists(attempts),
        "interrupted": Exists(attempts.filter(status=Attempt.Status.CALLING)),
    }


def take_lease(messages, *, now, until):
    """Set the lease (until) on locked messages, not saved; a promotion whose contact has no
    opt-in left on any channel is suppressed instead. Returns the messages now sending."""
    sending = []
    for message in messages:
        contact = message.contact
        consents = (contact.sms_consent, contact.rcs_consent)
        if message.traffic_type == TrafficType.PROMOTION and Consent.OPT_IN not in consents:
            reason = Reason.OPTED_OUT if Consent.OPT_OUT in consents else Reason.NO_CONSENT
            message.finish(Status.SUPPRESSED, reason, at=now)
        else:
            message.status = Status.SENDING
            message.locked_until = until
            message.send_tries += 1
            sending.append(message)
        message.updated = now
    return sending


def claimable(now):
    """The condition on messages a batch may claim (queued and due, or a lease run out)."""
    due = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    return Q(status=Status.QUEUED) & due | Q(status=Status.SENDING, locked_until__lte=now)


def extend_lease(message_ids, *, until):
    """Push the lease of those still sending further; returns the dispatch statuses seen."""
    if not message_ids:
        return set()
    with transaction.atomic():
        Message.objects.filter(pk__in=message_ids, status=Status.SENDING).update(locked_until=until)
        return set(
            Dispatch.objects.filter(messages__pk__in=message_ids[:1]).values_list(
                "status", flat=True
            )
        )


def release(message_ids):
    """Give back messages claimed but never handed to the provider (pause, cancel, shutdown)."""
    if not message_ids:
        return 0
    with transaction.atomic():
        count = Message.objects.filter(pk__in=message_ids, status=Status.SENDING).update(
            status=Status.QUEUED, locked_until=None, send_tries=F("send_tries") - 1
        )
        # Given back because the dispatch was cancelled: they end cancelled.
        Message.objects.filter(
            pk__in=message_ids, status=Status.QUEUED, dispatch__status=Dispatch.Status.CANCELLED
        ).update(status=Status.CANCELLED)
    return count
