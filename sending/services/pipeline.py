"""The sending pipeline: claim a message, call the provider, fall back to SMS, follow events.

The database row is the truth, the queue only carries ids. A message is claimed (queued →
sending, with a lease) and its Attempt row is written, with its UUID, before the provider is
called. A run that finds an attempt still "calling" knows an earlier run died mid-call: for
an idempotent provider (RBM, the simulator) it calls again with the same UUID, which RBM
ignores as a duplicate; for other providers it marks the attempt unknown_outcome instead of
sending a second time.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

import jobs
from editor.media_urls import absolute_media
from messaging.content import parse_content
from messaging.content_errors import ContentError
from messaging.fields import fit
from messaging.providers.base import BaseProvider
from messaging.providers.normalized import Channel, OutboundMessage, ProviderError
from messaging.variables import VariableError, compile_content
from sending.models import Attempt, Dispatch, Message
from sending.services import ceiling, promotion_rules, scheduling, simulation, tracking
from sending.services.fallback import fall_back
from sending.services.modes import remember_capability
from sending.services.routing import provider_for, route, webhook_url
from sending.services.snapshot import enqueue_batches
from sending.signals import MessageEvent, announce_message, reconciler_pass

logger = logging.getLogger(__name__)

# Longer than a job may run (RQ_QUEUES DEFAULT_TIMEOUT is 300 s): a live job never loses it.
LEASE = timedelta(minutes=10)
# Transient provider errors: tries per message, and the wait before each new try (seconds).
MAX_TRIES = 6
RETRY_DELAYS = (30, 120, 600, 1800, 3600)
# A queued message no job picked, when no job waits in the send queue: its job was lost.
UNPICKED_GRACE = timedelta(seconds=60)

Status = Message.Status
Fallback = Message.FallbackReason
Reason = Message.Reason


@dataclass(frozen=True)
class Claim:
    """A message this run holds the lease of, and the provider call to make for it."""

    message_id: int
    attempt_id: int
    channel: Channel
    provider: BaseProvider
    outbound: OutboundMessage


def send_message(message_id):
    """Send a queued message, or carry on after a crash; running it twice sends nothing twice."""
    # Two steps at most: an RCS try that is not reachable chains into its SMS fallback.
    for _step in range(2):
        claim = claim_message(message_id)
        if claim is None:
            return
        try:
            result = claim.provider.send(claim.outbound)
        except ProviderError as error:
            if not _record_error(claim, error):
                return
            continue
        _record_acceptance(claim, result)
        return


def _claimable(message, now):
    # A queued message's locked_until is when its retry is due; a job that runs it a little
    # early (clock skew between machines) does no harm.
    if message.status in (Status.QUEUED, Status.SCHEDULED):
        return True
    if message.status == Status.SENDING:
        return message.locked_until is None or message.locked_until <= now
    return False


def claim_message(message_id):
    """Take the lease of a message and write the attempt to make; None when nothing is to do."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("contact", "template_version")
            .filter(pk=message_id)
            .first()
        )
        if message is None or not _claimable(message, now):
            return None
        if message.dispatch_id is not None and _held_by_dispatch(message, now):
            return None
        if scheduling.early(message, now):
            return None
        contact = message.contact
        decision = route(message, contact, provider_for(message, Channel.RCS) is not None)
        if decision.channel is None:
            _fail(message, decision.failure)
            return None
        channel = decision.channel
        if decision.fallback_reason and not message.fallback_reason:
            message.fallback_reason = decision.fallback_reason
        # Consent is checked when the message goes out: an opt-out since submit still wins.
        if message.is_promotion and not contact.allows_promotions(channel):
            reason = Reason.OPTED_OUT if contact.is_opted_out(channel) else Reason.NO_CONSENT
            message.finish(Status.SUPPRESSED, reason)
            message.save()
            return None
        # Quiet hours and the cap, again: the window may have closed since submit.
        if promotion_rules.stopped_at_claim(message, now):
            return None
        if channel == Channel.SMS and not message.sms_text:
            _fail(message, Reason.NO_SMS_TEXT)
            return None
        provider = provider_for(message, channel)
        if provider is None:
            _fail(message, Reason.NO_SMS_PROVIDER)
            return None
        if ceiling.hold(message, now):
            return None
        attempt = _attempt_for(message, channel, provider)
        if attempt is None:
            return None
        message.status = Status.SENDING
        message.locked_until = now + LEASE
        message.send_tries += 1
        message.save()
        try:
            outbound = _outbound(message, attempt, channel)
        except (ContentError, VariableError) as exc:
            attempt.status = Attempt.Status.FAILED
            attempt.error_text = str(exc)
            attempt.save()
            _fail(message, Reason.REFUSED, exc, channel=channel)
            return None
    return Claim(message.pk, attempt.pk, channel, provider, outbound)


def _fail(message, reason, detail="", channel=None):
    """End a locked message failed (saved) and announce it when it changed."""
    if message.finish(Status.FAILED, reason, detail):
        announce_message(
            message, MessageEvent.FAILED, channel=channel, occurred_at=message.failed_at
        )
    message.save()


def _held_by_dispatch(message, now):
    """True when the message's dispatch does not let it go now (the message is saved).

    A retry or an SMS fallback leaves its batch for this per-message path, so the dispatch is
    read again here as the batch claim does: paused, or its stage not released, the message
    waits queued (resume and release queue its dispatch's queued messages again); cancelled,
    it ends cancelled, never sent.
    """
    status, released_stage = (
        Dispatch.objects.filter(pk=message.dispatch_id)
        .values_list("status", "released_stage")
        .get()
    )
    if status == Dispatch.Status.CANCELLED:
        message.status = Status.CANCELLED
        message.status_detail = "Its campaign was cancelled before this try."
        message.locked_until = None
        message.updated = now
        message.save(update_fields=["status", "status_detail", "locked_until", "updated"])
        return True
    # A done dispatch lets its late fallbacks go: its campaign is over, nobody can pause it.
    if status == Dispatch.Status.PAUSED or message.stage > released_stage:
        # Due now (its time came, or its lease ran out): the resume's batches take it at once.
        message.status = Status.QUEUED
        message.locked_until = None
        message.updated = now
        message.save(update_fields=["status", "locked_until", "updated"])
        return True
    return False


def _attempt_for(message, channel, provider):
    """The attempt row to call the provider with (saved), or None when it must not be called."""
    attempt = message.attempts.filter(channel=channel).first()
    if attempt is None:
        return Attempt.objects.create(message=message, channel=channel, provider=provider.name)
    if attempt.status == Attempt.Status.RETRY:
        attempt.status = Attempt.Status.CALLING
        attempt.save(update_fields=["status", "updated"])
        return attempt
    if attempt.status == Attempt.Status.CALLING:
        if _repeat_is_harmless(attempt, provider):
            # An earlier run died during the call: the same id makes a repeat harmless.
            return attempt
        # The provider may or may not have the message; a second call could send it twice.
        attempt.status = Attempt.Status.UNKNOWN_OUTCOME
        attempt.error_text = "A run stopped while calling the provider; not sent again."
        attempt.save()
        _mark_unknown_outcome(message, attempt)
        message.save()
        return None
    # This channel was tried already and settled: follow what the attempt says.
    if attempt.status in Attempt.PROGRESS:
        message.final_channel = channel
        _advance_to_sent(message, channel)
        message.save()
    else:
        _fail(message, Reason.REFUSED, attempt.error_text, channel=channel)
    return None


def _repeat_is_harmless(attempt, provider):
    """True when calling provider again with attempt's id cannot send the message twice."""
    # Only the provider that took the first call can recognise the id as a repeat.
    return provider.idempotent and provider.name == attempt.provider


def _mark_unknown_outcome(message, attempt):
    message.final_channel = attempt.channel
    message.status_reason = Reason.UNKNOWN_OUTCOME
    message.status_detail = attempt.error_text
    _advance_to_sent(message, attempt.channel, reason=Reason.UNKNOWN_OUTCOME)
    message.locked_until = None


def _advance_to_sent(message, channel, at=None, **detail):
    """Message.advance(SENT), announced when its status moved."""
    before = message.status
    message.advance(Status.SENT, at)
    if message.status != before:
        announce_message(message, MessageEvent.SENT, channel=channel, occurred_at=at, **detail)


def _outbound(message, attempt, channel):
    version = message.template_version
    brand = (version.brand_snapshot if version else message.brand_snapshot) or {}
    rcs_content = None
    if channel == Channel.RCS:
        if message.template_version is not None:
            content = compile_content(message.template_version.rcs_content)
            rcs_content = content.render(message.variables)
        else:
            rcs_content = message.rcs_content
        # Media references become URLs on today's PUBLIC_BASE_URL, whenever it was published.
        rcs_content = parse_content(absolute_media(rcs_content)).to_rbm()
    first_pass = message.links is None
    rcs_content = tracking.track(message, rcs_content)
    if first_pass:
        message.save(update_fields=tracking.FIELDS)
    return OutboundMessage(
        attempt_id=attempt.public_id,
        to=message.contact.phone,
        channel=channel,
        rcs_content=rcs_content,
        sms_text=message.sms_text if channel == Channel.SMS else None,
        traffic_type=message.traffic_type,
        ttl_seconds=message.rcs_ttl_seconds if channel == Channel.RCS else None,
        sms_sender=brand.get("sms_sender_id") or None,
        status_callback_url=webhook_url(attempt.provider),
        agent_id=brand.get("rbm_agent_id") or None,
    )


def _locked(claim):
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("contact")
        .get(pk=claim.message_id)
    )
    attempt = Attempt.objects.select_for_update().get(pk=claim.attempt_id)
    return message, attempt


def _record_acceptance(claim, result):
    now = timezone.now()
    with transaction.atomic():
        message, attempt = _locked(claim)
        attempt.provider_message_id = result.provider_message_id or ""
        attempt.raw_response = result.raw or {}
        attempt.provider_handles_fallback = result.handles_fallback
        attempt.error_code = attempt.error_text = ""
        attempt.advance(Attempt.Status.SENT)
        attempt.save()
        message.final_channel = claim.channel
        message.status_detail = ""
        _advance_to_sent(message, claim.channel, now, provider=attempt.provider)
        message.locked_until = None
        if claim.channel == Channel.RCS and not result.handles_fallback:
            # Accepted over RCS means reachable over RCS (RBM answers 404 otherwise).
            remember_capability(message.contact, True, now, attempt.provider)
            message.rcs_deadline = now + timedelta(seconds=message.rcs_ttl_seconds)
            jobs.enqueue(
                "sending.tasks.check_rcs_deadline",
                message.pk,
                str(attempt.public_id),
                delay=message.rcs_ttl_seconds,
            )
        message.save()
        if attempt.provider == simulation.SIMULATOR:
            simulation.schedule_events((result.raw or {}).get("planned_events") or [])


def _record_error(claim, error):
    """Write down a failed call; True when the message is queued again for its SMS fallback."""
    now = timezone.now()
    with transaction.atomic():
        message, attempt = _locked(claim)
        attempt.error_code = fit(Attempt, "error_code", error.code or "")
        attempt.error_text = error.message
        attempt.raw_response = error.raw or {}
        rcs = claim.channel == Channel.RCS
        if rcs and error.not_reachable:
            attempt.status = Attempt.Status.FAILED
            attempt.save()
            remember_capability(message.contact, False, now, attempt.provider)
            return fall_back(message, Fallback.NOT_REACHABLE, error.message)
        if error.permanent:
            attempt.status = Attempt.Status.FAILED
            attempt.save()
            if rcs:
                return fall_back(message, Fallback.RCS_FAILED, error.message)
            _fail(message, Reason.REFUSED, error.message, channel=claim.channel)
            return False
        if error.maybe_sent and not _repeat_is_harmless(attempt, claim.provider):
            attempt.status = Attempt.Status.UNKNOWN_OUTCOME
            attempt.save()
            _mark_unknown_outcome(message, attempt)
            message.save()
            return False
        if message.send_tries >= MAX_TRIES:
            attempt.status = Attempt.Status.FAILED
            attempt.save()
            if rcs:
                return fall_back(message, Fallback.RCS_FAILED, error.message)
            _fail(message, Reason.RETRIES_EXHAUSTED, error.message, channel=claim.channel)
            return False
        delay = RETRY_DELAYS[min(message.send_tries, len(RETRY_DELAYS)) - 1]
        delay = max(delay, int(error.retry_after or 0))
        attempt.status = Attempt.Status.RETRY
        attempt.save()
        message.status = Status.QUEUED
        message.status_detail = error.message
        message.locked_until = now + timedelta(seconds=delay)
        message.save()
        jobs.enqueue("sending.tasks.send_message", message.pk, delay=delay)
        logger.info("message %s: %s, trying again in %ss", message.pk, error.message, delay)
        return False


def reconcile_stuck_messages(now=None, limit=1000):
    """Re-drive what a lost job left behind; returns how many messages were touched.

    Messages whose lease or retry time passed are queued and sent again; RCS messages whose
    deadline passed without its check (the delayed job was lost) get the check now.
    """
    now = now or timezone.now()
    # A job taken from the queue by a worker that died before its claim committed is lost
    # with its messages still queued, no lease on them. While jobs wait in the send queue,
    # such messages cannot be told from those waiting their turn; once none waits, they can.
    grace = {"unpicked_grace": UNPICKED_GRACE} if jobs.waiting(jobs.MESSAGES) == 0 else {}
    # A paused or cancelled dispatch's messages, or a stage not released yet, wait on purpose.
    stuck = Message.objects.stuck(now, **grace).filter(
        Q(dispatch__isnull=True)
        | Q(dispatch__status=Dispatch.Status.RUNNING, stage__lte=F("dispatch__released_stage"))
    )
    rows = list(stuck.order_by("pk").values_list("pk", "dispatch_id")[:limit])
    ids = [pk for pk, _dispatch in rows]
    if ids:
        # Queued again with a fresh time: the next pass leaves them to this pass's jobs, and
        # an attempt still "calling" tells the job that an earlier run died mid-call.
        Message.objects.stuck(now, **grace).filter(pk__in=ids).update(
            status=Status.QUEUED, locked_until=now, updated=now
        )
        single = [(pk,) for pk, dispatch_id in rows if dispatch_id is None]
        jobs.enqueue_many("sending.tasks.send_message", single)
        # A dispatch's messages go back to batch jobs, a batch per dispatch and BATCH_SIZE.
        by_dispatch = {}
        for pk, dispatch_id in rows:
            if dispatch_id is not None:
                by_dispatch.setdefault(dispatch_id, []).append(pk)
        for dispatch_id, message_ids in by_dispatch.items():
            enqueue_batches(dispatch_id, message_ids)
    overdue = list(
        Attempt.objects.filter(
            channel=Channel.RCS,
            status=Attempt.Status.SENT,
            message__in=Message.objects.deadline_overdue(now),
        ).values_list("message_id", "public_id")[:limit]
    )
    jobs.enqueue_many(
        "sending.tasks.check_rcs_deadline",
        [(message_id, str(attempt_id)) for message_id, attempt_id in overdue],
    )
    count = len(ids) + len(overdue)
    _finish_dispatches(now)
    if count:
        logger.info("re-driving %d messages", count)
    _announce_pass(now)
    return count


def _announce_pass(now):
    # A listener's error is logged, never raised: the messages above are re-driven all the same.
    for receiver, error in reconciler_pass.send_robust(sender=Message, now=now):
        if isinstance(error, Exception):
            logger.error("%s failed on the reconciler's pass", receiver, exc_info=error)


def _finish_dispatches(now):
    """Mark done the running dispatches with nothing queued or sending (fallbacks ended)."""
    left = Message.objects.filter(
        dispatch=OuterRef("pk"), status__in=(Status.QUEUED, Status.SENDING)
    )
    return (
        Dispatch.objects.filter(status=Dispatch.Status.RUNNING)
        .exclude(Exists(left))
        .update(status=Dispatch.Status.DONE, finished_at=now)
    )
