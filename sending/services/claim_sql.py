"""Claim a batch of a dispatch's messages in one statement, and keep or give back its lease.

PostgreSQL: `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING`, so two
workers handed the same ids never both take one, and neither waits for the other. The same
statement re-reads the dispatch (running, stage released) and the contacts' consent: a
promotion to a contact with no opt-in left on any channel is suppressed right there. SQLite
(one writer at a time) gets the same result from the ORM inside a transaction.
"""

from django.db import connection, transaction
from django.db.models import F, Q

from audience.models import Consent, Contact
from messaging.providers.normalized import TrafficType
from sending.dispatches import Dispatch
from sending.models import Message

Status = Message.Status
Reason = Message.Reason

_CLAIM_SQL = """
UPDATE sending_message m SET
    status = CASE WHEN {blocked} THEN 'suppressed' ELSE 'sending' END,
    status_reason = CASE
        WHEN {blocked} AND (c.sms_consent = 'opt_out' OR c.rcs_consent = 'opt_out')
            THEN 'opted_out'
        WHEN {blocked} THEN 'no_consent'
        ELSE m.status_reason END,
    failed_at = CASE WHEN {blocked} THEN %(now)s ELSE m.failed_at END,
    locked_until = CASE WHEN {blocked} THEN NULL ELSE %(until)s END,
    send_tries = CASE WHEN {blocked} THEN m.send_tries ELSE m.send_tries + 1 END,
    updated = %(now)s
FROM audience_contact c
WHERE c.id = m.contact_id AND m.id IN (
    SELECT m2.id FROM sending_message m2
    JOIN sending_dispatch d ON d.id = m2.dispatch_id
    WHERE m2.id = ANY(%(ids)s) AND m2.dispatch_id = %(dispatch)s
      AND d.status = 'running' AND m2.stage <= d.released_stage
      AND (
        (m2.status = 'queued' AND (m2.locked_until IS NULL OR m2.locked_until <= %(now)s))
        OR (m2.status = 'sending' AND m2.locked_until <= %(now)s)
      )
    ORDER BY m2.id
    FOR UPDATE OF m2 SKIP LOCKED
)
RETURNING m.id, m.status
"""
# A promotion whose contact has opted in on no channel at all.
_BLOCKED = (
    "(m.traffic_type = 'PROMOTION' AND c.sms_consent <> 'opt_in' AND c.rcs_consent <> 'opt_in')"
)


def claim_batch(dispatch_id, message_ids, *, now, until):
    """Take the lease (until) of the claimable messages among message_ids; suppress those
    whose contact has no opt-in left. Returns ids now sending (and ids suppressed)."""
    if not message_ids:
        return [], []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _CLAIM_SQL.format(blocked=_BLOCKED),
                {
                    "now": now,
                    "until": until,
                    "ids": list(message_ids),
                    "dispatch": dispatch_id,
                },
            )
            rows = cursor.fetchall()
    else:
        rows = _claim_orm(dispatch_id, message_ids, now=now, until=until)
    sending = sorted(pk for pk, status in rows if status == Status.SENDING)
    suppressed = sorted(pk for pk, status in rows if status == Status.SUPPRESSED)
    return sending, suppressed


def claimable(now):
    """The condition on messages a batch may claim (queued and due, or a lease run out)."""
    due = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    return Q(status=Status.QUEUED) & due | Q(status=Status.SENDING, locked_until__lte=now)


def _claim_orm(dispatch_id, message_ids, *, now, until):
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().filter(pk=dispatch_id).first()
        if dispatch is None or dispatch.status != Dispatch.Status.RUNNING:
            return []
        rows = list(
            Message.objects.filter(claimable(now), pk__in=message_ids, dispatch_id=dispatch_id)
            .filter(stage__lte=dispatch.released_stage)
            .values_list("pk", "traffic_type", "contact_id", "send_tries")
        )
        contacts = {
            contact.pk: contact
            for contact in Contact.objects.filter(pk__in={row[2] for row in rows}).only(
                "sms_consent", "rcs_consent"
            )
        }
        result, blocked_by_reason = [], {Reason.OPTED_OUT: [], Reason.NO_CONSENT: []}
        for pk, traffic_type, contact_id, _tries in rows:
            contact = contacts[contact_id]
            consents = (contact.sms_consent, contact.rcs_consent)
            if traffic_type == TrafficType.PROMOTION and Consent.OPT_IN not in consents:
                reason = Reason.OPTED_OUT if Consent.OPT_OUT in consents else Reason.NO_CONSENT
                blocked_by_reason[reason].append(pk)
                result.append((pk, Status.SUPPRESSED))
            else:
                result.append((pk, Status.SENDING))
        for reason, ids in blocked_by_reason.items():
            Message.objects.filter(pk__in=ids).update(
                status=Status.SUPPRESSED,
                status_reason=reason,
                failed_at=now,
                locked_until=None,
                updated=now,
            )
        sending = [pk for pk, status in result if status == Status.SENDING]
        Message.objects.filter(pk__in=sending).update(
            status=Status.SENDING, locked_until=until, send_tries=F("send_tries") + 1, updated=now
        )
    return result


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
