"""Pause, resume and cancel a dispatch, and release its next rollout stage.

Pause and cancel act through the dispatch's status, which every claim re-reads: no new batch
is claimed, and a batch in progress notices it at its next lease heartbeat and gives back
the messages it has not handed to the provider yet. Resume and release queue the batches of
what is left.
"""

from django.db import transaction
from django.utils import timezone

from messaging.providers.modes import provider_name_for
from sending.dispatches import Dispatch
from sending.models import Message
from sending.services.routing import default_rcs_ttl
from sending.services.snapshot import enqueue_batches

Status = Dispatch.Status


def create_dispatch(
    version, *, test_mode=False, policy=None, throttle_per_second=None, rcs_ttl_seconds=None
):
    """A running dispatch of a published version (the simulator in test mode)."""
    if policy is None:
        policy = Message.Policy.RCS_ONLY if version.rcs_only else Message.Policy.RCS_WITH_FALLBACK
    if policy not in Message.Policy.values:
        raise ValueError(f"policy must be one of {', '.join(Message.Policy.values)}.")
    if throttle_per_second is not None and throttle_per_second < 1:
        raise ValueError("throttle_per_second must be at least 1 (or None: no limit).")
    return Dispatch.objects.create(
        test_mode=test_mode,
        template_version=version,
        policy=policy,
        traffic_type=version.traffic_type,
        throttle_per_second=throttle_per_second,
        rcs_ttl_seconds=rcs_ttl_seconds
        or version.rcs_ttl_seconds
        or default_rcs_ttl(version.traffic_type),
        provider=provider_name_for(test_mode),
    )


def _move(dispatch, from_statuses, to_status, **extra):
    return Dispatch.objects.filter(pk=dispatch.pk, status__in=from_statuses).update(
        status=to_status, updated=timezone.now(), **extra
    )


def pause_dispatch(dispatch):
    """Stop claiming a running dispatch's messages; True when it was running."""
    return bool(_move(dispatch, [Status.RUNNING], Status.PAUSED))


def resume_dispatch(dispatch):
    """Run a paused dispatch again and queue the batches of its queued messages."""
    with transaction.atomic():
        if not _move(dispatch, [Status.PAUSED], Status.RUNNING):
            return False
        dispatch.refresh_from_db()
        _enqueue_queued(dispatch, max_stage=dispatch.released_stage)
    return True


def cancel_dispatch(dispatch):
    """Cancel a running or paused dispatch: its queued messages end cancelled."""
    now = timezone.now()
    with transaction.atomic():
        if not _move(dispatch, [Status.RUNNING, Status.PAUSED], Status.CANCELLED, finished_at=now):
            return 0
        return cancel_queued(dispatch.pk, now)


def cancel_queued(dispatch_id, now=None):
    """End the queued messages of a cancelled dispatch as cancelled; returns how many."""
    return Message.objects.filter(
        dispatch_id=dispatch_id,
        dispatch__status=Status.CANCELLED,
        status=Message.Status.QUEUED,
    ).update(status=Message.Status.CANCELLED, locked_until=None, updated=now or timezone.now())


def release_stage(dispatch, stage):
    """Let the messages of rollout stages up to `stage` go, and queue their batches."""
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        if stage <= dispatch.released_stage:
            return 0
        dispatch.released_stage = stage
        dispatch.save(update_fields=["released_stage", "updated"])
        if dispatch.status != Status.RUNNING:
            return 0
        return _enqueue_queued(dispatch, max_stage=stage)


def _enqueue_queued(dispatch, *, max_stage):
    ids = (
        dispatch.messages.filter(status=Message.Status.QUEUED, stage__lte=max_stage)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return enqueue_batches(dispatch.pk, list(ids))
