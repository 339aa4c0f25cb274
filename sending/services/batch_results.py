"""Step 3 of a batch, around the provider calls: attempts before, results after, in bulk.

write_attempts commits a chunk's Attempt rows (status calling) before any call is made;
record_results writes what the provider answered with the rows locked again, so a receipt
that arrived meanwhile is never overwritten. Errors (rare) go through the per-message
pipeline's own handling: retry later, fall back to SMS, or fail.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

import jobs
from audience.models import Contact
from messaging.providers.base import BaseProvider
from messaging.providers.modes import keeps_word_of
from messaging.providers.normalized import Channel, OutboundMessage, ProviderError
from sending.models import Attempt, Message
from sending.services import batch_copy, batch_failures, batch_sent_sql, pipeline, simulation
from sending.services.bulk_sql import bulk_set
from sending.services.routing import webhook_url
from sending.services.snapshot import enqueue_batches
from sending.signals import MessageEvent, announce, change_of, listening

Status = Message.Status


@dataclass(frozen=True)
class Call:
    """One provider call of a batch: the message, its attempt (saved), what to send."""

    message: Message
    attempt: Attempt
    channel: Channel
    provider: BaseProvider
    outbound: OutboundMessage
    # The attempt was written by this run (never called yet): given back unsent, it goes.
    fresh: bool = False


def write_attempts(items, *, atomic=True):
    """Write the attempts of Prepared items; returns the Calls to make.

    Committed before any of their calls is made: by its own transaction, or (atomic=False)
    by the caller's, which must then commit durably before the calls."""
    if not atomic:
        planned = _plan_attempts(items)
    else:
        with transaction.atomic():
            planned = _plan_attempts(items)
    urls = {}
    calls = []
    for item, attempt, fresh in planned:
        if attempt.provider not in urls:
            urls[attempt.provider] = webhook_url(attempt.provider)
        calls.append(
            Call(
                item.message,
                attempt,
                item.channel,
                item.provider,
                _outbound(item, attempt, urls[attempt.provider]),
                fresh,
            )
        )
    return calls


def _plan_attempts(items):
    """(item, attempt, written now) for each call to make, the new attempts inserted; inside
    a transaction."""
    ids = [item.message.pk for item in items]
    if all(hasattr(item.message, "has_attempt") for item in items):
        # Flagged by the claim's query (claim_sql.attempt_flags): no query here.
        earlier = {item.message.pk for item in items if item.message.has_attempt}
        existing = set(
            Attempt.objects.filter(message_id__in=earlier).values_list("message_id", "channel")
            if earlier
            else ()
        )
    else:
        existing = set(
            Attempt.objects.filter(message_id__in=ids).values_list("message_id", "channel")
        )
    planned = []
    for item in items:
        message = item.message
        if (message.pk, item.channel) in existing:
            # A re-run after a crash, or a retry: the pipeline's rules decide per message.
            attempt = pipeline._attempt_for(message, item.channel, item.provider)
        else:
            attempt = Attempt(
                public_id=uuid.uuid4(),
                message=message,
                channel=item.channel,
                provider=item.provider.name,
            )
        if attempt is not None:
            planned.append((item, attempt))
    fresh = [attempt.pk is None for _item, attempt in planned]
    new = [attempt for _item, attempt in planned if attempt.pk is None]
    if connection.vendor == "postgresql":
        batch_copy.insert_attempts(new, timezone.now())
    else:
        Attempt.objects.bulk_create(new)
    return [(item, attempt, new) for (item, attempt), new in zip(planned, fresh, strict=True)]


def _outbound(item, attempt, callback_url):
    message = item.message
    version = message.template_version if message.template_version_id else None
    brand = (version.brand_snapshot if version else None) or {}
    rcs = item.channel == Channel.RCS
    return OutboundMessage(
        attempt_id=attempt.public_id,
        to=message.contact.phone,
        channel=item.channel,
        rcs_content=item.rcs_content if rcs else None,
        sms_text=None if rcs else message.sms_text,
        traffic_type=message.traffic_type,
        ttl_seconds=message.rcs_ttl_seconds if rcs else None,
        sms_sender=brand.get("sms_sender_id") or None,
        status_callback_url=callback_url,
        agent_id=brand.get("rbm_agent_id") or None,
    )


def record_results(dispatch, calls, results):
    """Write the answers of a chunk's calls; returns (accepted, ids queued again for fallback)."""
    now = timezone.now()
    pairs = list(zip(calls, results, strict=True))
    failed = [(call, result) for call, result in pairs if isinstance(result, ProviderError)]
    accepted = [(call, result) for call, result in pairs if not isinstance(result, ProviderError)]
    if accepted:
        with transaction.atomic():
            # Lost in a server crash, the attempts stay "calling": repeated with the same id
            # (idempotent provider) or marked unknown_outcome, as after a worker crash.
            _record_accepted(dispatch, accepted, now)
    fallbacks = []
    if failed:
        with transaction.atomic():
            unreachable, others = [], []
            for pair in failed:
                (unreachable if batch_failures.in_bulk(*pair) else others).append(pair)
            if unreachable:
                fallbacks += batch_failures.record_unreachable(unreachable, now)
            for call, error in others:
                claim = pipeline.Claim(
                    call.message.pk, call.attempt.pk, call.channel, call.provider, call.outbound
                )
                if pipeline._record_error(claim, error):
                    fallbacks.append(call.message.pk)
            # Queued again for their SMS without a lease: the job that sends them is put on the
            # queue as they are committed. Left to the end of the batch, it was lost with a
            # worker killed in between (tests/sending/test_batch_worker.py, 1 run in 3), and
            # they waited for the reconciler's 10 minutes of grace. The batch's second pass
            # usually sends them first; the job then finds nothing left to claim.
            if fallbacks:
                enqueue_batches(dispatch.pk, fallbacks)
    return len(accepted), fallbacks


def _record_accepted(dispatch, accepted, now):
    if connection.vendor == "postgresql":
        # The contacts now known capable are written by the same round trip.
        deadlines, planned = _accepted_sql(accepted, now)
    else:
        capable, deadlines, planned = _accepted_orm(accepted, now)
        if capable:
            Contact.objects.filter(pk__in=capable).update(rcs_capable=True, rcs_checked_at=now)
    _after_accepted(dispatch, deadlines, planned)
    if listening():
        # One signal for the chunk, built from what it holds: no query.
        announce(
            change_of(
                call.message,
                MessageEvent.SENT,
                channel=call.channel,
                occurred_at=now,
                status=Status.SENT,
                provider=call.attempt.provider,
            )
            for call, _result in accepted
        )


def _consequences(call, result, now):
    """(RCS deadline or None, contact now known capable or None, simulator events)."""
    message = call.message
    deadline = contact = None
    if call.channel == Channel.RCS and not result.handles_fallback:
        deadline = now + timedelta(seconds=message.rcs_ttl_seconds)
        if keeps_word_of(call.attempt.provider, test_mode=message.test_mode):
            contact = message.contact_id
    planned = []
    if call.attempt.provider == simulation.SIMULATOR:
        planned = (result.raw or {}).get("planned_events") or []
    return deadline, contact, planned


def _accepted_sql(accepted, now):
    rows, capable, deadlines, planned = [], [], [], []
    for call, result in accepted:
        deadline, contact, events = _consequences(call, result, now)
        rows.append(
            (
                call.attempt.pk,
                call.message.pk,
                call.channel,
                result.provider_message_id or "",
                result.raw or {},
                result.handles_fallback,
                deadline,
            )
        )
        if deadline is not None:
            deadlines.append((call.message.pk, str(call.attempt.public_id)))
        if contact is not None:
            capable.append(contact)
        planned += events
    batch_sent_sql.write_sent(rows, now, capable)
    return deadlines, planned


def _accepted_orm(accepted, now):
    by_attempt = {call.attempt.pk: result for call, result in accepted}
    attempts = list(Attempt.objects.select_for_update().filter(pk__in=by_attempt).order_by("pk"))
    for attempt in attempts:
        result = by_attempt[attempt.pk]
        attempt.provider_message_id = result.provider_message_id or ""
        attempt.raw_response = result.raw or {}
        attempt.provider_handles_fallback = result.handles_fallback
        attempt.error_code = attempt.error_text = ""
        attempt.advance(Attempt.Status.SENT)
        attempt.updated = now
    bulk_set(
        Attempt,
        attempts,
        [
            "provider_message_id",
            "raw_response",
            "provider_handles_fallback",
            "error_code",
            "error_text",
            "status",
            "updated",
        ],
    )
    by_message = {call.message.pk: (call, result) for call, result in accepted}
    messages = list(Message.objects.select_for_update().filter(pk__in=by_message).order_by("pk"))
    deadlines, capable, planned = [], [], []
    for message in messages:
        call, result = by_message[message.pk]
        message.final_channel = call.channel
        message.status_detail = ""
        message.advance(Status.SENT, now)
        message.locked_until = None
        message.updated = now
        deadline, contact, events = _consequences(call, result, now)
        if deadline is not None:
            message.rcs_deadline = deadline
            deadlines.append((message.pk, str(call.attempt.public_id)))
        if contact is not None:
            capable.append(contact)
        planned += events
    bulk_set(
        Message,
        messages,
        ["final_channel", "status_detail", "status", "sent_at", "locked_until", "rcs_deadline"]
        + ["updated", "delivered_at", "read_at"],
    )
    return capable, deadlines, planned


def _after_accepted(dispatch, deadlines, planned):
    if deadlines:
        # One delayed job for the chunk's deadlines, not one per message.
        jobs.enqueue("sending.tasks.check_rcs_deadlines", deadlines, delay=dispatch.rcs_ttl_seconds)
    simulation.schedule_batch_events(planned)
