"""Launch, pause, resume, cancel a campaign, and continue its rollout.

Every move locks the campaign row and checks the status it starts from, so two clicks, a
retried API call or a job running at the same moment change nothing twice: a second launch
adds nothing. The dispatches do the sending (sending.services); the campaign's status
follows them (sync_status).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import jobs
from campaigns.models import Campaign, CampaignArm
from campaigns.services.audiences import audience_contacts, plan_arms, record_holdout
from campaigns.services.creation import CampaignError, validate
from campaigns.services.draws import draw_seed
from campaigns.services.due import each_locked
from sending import services as sending
from sending.dispatches import Dispatch

Status = Campaign.Status
START = "campaigns.tasks.start_campaign"
CHECK_ROLLOUT = "campaigns.tasks.check_rollout"
DECIDE_WINNER = "campaigns.tasks.decide_winner"
# While its first share is still going out, a rollout is checked again this often.
RECHECK_SECONDS = 120


def _locked(campaign):
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _refuse(campaign, action):
    raise CampaignError(
        None,
        "wrong_status",
        _("A campaign that is %(status)s cannot be %(action)s.")
        % {"status": campaign.get_status_display().lower(), "action": action},
    )


def launch(campaign, now=None) -> Campaign:
    """Start a draft now, or schedule it for its send_at; a campaign already launched is
    returned unchanged (a second launch adds nothing), except a scheduled one whose time has
    come, which starts. Raises CampaignError when the draft's
    settings no longer hold or the campaign was cancelled."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status == Status.CANCELLED:
            _refuse(campaign, _("launched"))
        if campaign.status == Status.SCHEDULED and campaign.send_at <= now:
            # Its start job is late or was lost (Redis down when it was scheduled).
            _start(campaign, now)
            return campaign
        if campaign.status != Status.DRAFT:
            return campaign
        validate(campaign, now)
        campaign.launched_at = now
        if campaign.send_at and campaign.send_at > now:
            campaign.status = Status.SCHEDULED
            campaign.save(update_fields=["status", "launched_at", "updated"])
            delay = max(1, int((campaign.send_at - now).total_seconds()))
            jobs.enqueue(START, campaign.pk, queue=jobs.DEFAULT, delay=delay)
            return campaign
        _start(campaign, now)
    return campaign


def start_scheduled(campaign_id, now=None):
    """The scheduled job: start the campaign if it is still scheduled."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None or campaign.status != Status.SCHEDULED:
            return False
        if campaign.send_at and campaign.send_at > now:
            # Moved later meanwhile: this job is early.
            return False
        _start(campaign, now)
    return True


def start_due(now=None) -> int:
    """Start every scheduled campaign whose send_at has passed (its start job was lost or is
    late); returns how many this call started. Each is taken with SKIP LOCKED and checked
    again under its lock, so two reconcilers at once start each campaign exactly once; one
    campaign that cannot start (its audience was deleted...) holds up no other."""
    now = now or timezone.now()
    due = Campaign.objects.filter(status=Status.SCHEDULED, send_at__lte=now)

    def start(campaign):
        _start(campaign, now)
        return True

    return each_locked(
        due.order_by("send_at", "pk"), start, "Scheduled campaign %s could not start"
    )


def _start(campaign, now):
    """Snapshot the audience into one dispatch per arm (inside the caller's transaction: the
    batches are queued when it commits)."""
    contacts = record_holdout(campaign, audience_contacts(campaign))
    stage_of = None
    if campaign.has_rollout:
        stage_of = sending.FirstShare(campaign.rollout_share, draw_seed(campaign, "rollout"))
    for planned in plan_arms(campaign, contacts, now):
        if planned.version is None:
            # A content test's rest: its dispatch is made once the winner is known.
            continue
        dispatch = sending.create_dispatch(
            planned.version,
            test_mode=campaign.test_mode,
            policy=planned.policy,
            throttle_per_second=campaign.throttle_per_second,
            rcs_ttl_seconds=campaign.rcs_ttl_seconds,
        )
        CampaignArm.objects.create(campaign=campaign, dispatch=dispatch, arm=planned.arm)
        new = sending.snapshot_audience(
            dispatch, planned.contacts, campaign.variables, stage_of=stage_of
        )
        if planned.arm:
            dispatch.messages.update(arm=planned.arm)
        if not new:
            sending.finish_if_done(dispatch.pk, now)
    campaign.status = Status.SENDING
    if campaign.has_winner_rule:
        campaign.winner_due_at = now + timedelta(hours=campaign.winner_after_hours)
        delay = campaign.winner_after_hours * 3600
        jobs.enqueue(DECIDE_WINNER, campaign.pk, queue=jobs.DEFAULT, delay=delay)
    if campaign.has_rollout:
        schedule_check(campaign, now, campaign.rollout_wait_minutes * 60)
    campaign.save(
        update_fields=[
            "status",
            "launched_at",
            "winner_due_at",
            "rollout_check_due_at",
            "updated",
        ]
    )


def schedule_check(campaign, now, delay):
    """Set when the rollout's next check is due and queue its job (the caller holds the lock
    and saves rollout_check_due_at). The job carries that moment: a job whose moment is no
    longer the campaign's (the reconciler re-drove a late check) does nothing."""
    campaign.rollout_check_due_at = now + timedelta(seconds=delay)
    token = campaign.rollout_check_due_at.isoformat()
    jobs.enqueue(CHECK_ROLLOUT, campaign.pk, token, queue=jobs.DEFAULT, delay=delay)


def _dispatches(campaign):
    return Dispatch.objects.filter(campaign_arm__campaign=campaign).order_by("pk")


def pause(campaign) -> Campaign:
    """Stop claiming the campaign's messages; what a worker holds is given back."""
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status == Status.PAUSED:
            return campaign
        if campaign.status not in (Status.SENDING, Status.WAITING_TO_CONTINUE, Status.STOPPED):
            _refuse(campaign, _("paused"))
        for dispatch in _dispatches(campaign):
            sending.pause_dispatch(dispatch)
        campaign.status = Status.PAUSED
        campaign.save(update_fields=["status", "updated"])
    return campaign


def resume(campaign, now=None) -> Campaign:
    """Send a paused campaign's queued messages again; a rollout not yet continued is checked
    again first (it may stop or wait for Continue)."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status != Status.PAUSED:
            if campaign.status == Status.SENDING:
                return campaign
            _refuse(campaign, _("resumed"))
        for dispatch in _dispatches(campaign):
            sending.resume_dispatch(dispatch)
        campaign.status = Status.SENDING
        if campaign.has_rollout and campaign.rollout_released_at is None:
            schedule_check(campaign, now, RECHECK_SECONDS)
        campaign.save(update_fields=["status", "rollout_check_due_at", "updated"])
        if campaign.has_winner_rule and campaign.winner_decided_at is None:
            # Not decided while paused: decided at its time, or now if that has passed.
            wait = (campaign.winner_due_at - now).total_seconds() if campaign.winner_due_at else 0
            jobs.enqueue(DECIDE_WINNER, campaign.pk, queue=jobs.DEFAULT, delay=max(1, int(wait)))
        elif campaign.waits_for_winner_choice:
            campaign.status = Status.WAITING_TO_CONTINUE
            campaign.save(update_fields=["status", "updated"])
    return campaign


def cancel(campaign, now=None) -> Campaign:
    """Cancel for good: the queued messages end cancelled, nothing more is sent."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status == Status.CANCELLED:
            return campaign
        if campaign.status == Status.DONE:
            _refuse(campaign, _("cancelled"))
        for dispatch in _dispatches(campaign):
            sending.cancel_dispatch(dispatch)
        campaign.status = Status.CANCELLED
        campaign.finished_at = now
        campaign.save(update_fields=["status", "finished_at", "updated"])
    return campaign


def continue_rollout(campaign, now=None) -> Campaign:
    """Send to the rest of the audience: after the first share, when waiting for Continue,
    after a stop (a person decides to go on), or before the automatic check."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = _locked(campaign)
        if not campaign.has_rollout:
            raise CampaignError(
                None,
                "no_rollout",
                _("This campaign sends to everyone at once: there is no rest to continue with."),
            )
        if campaign.rollout_released_at is not None:
            return campaign
        if campaign.status not in (Status.SENDING, Status.WAITING_TO_CONTINUE, Status.STOPPED):
            _refuse(campaign, _("continued"))
        release_rest(campaign, now)
    return campaign


def release_rest(campaign, now):
    """Release stage 1 of every dispatch (the caller holds the campaign's lock)."""
    for dispatch in _dispatches(campaign):
        sending.release_stage(dispatch, 1)
    campaign.rollout_released_at = now
    campaign.rollout_check_due_at = None
    campaign.status = Status.SENDING
    campaign.stop_reason = ""
    campaign.stop_detail = ""
    campaign.stop_figures = {}
    campaign.save(
        update_fields=[
            "rollout_released_at",
            "rollout_check_due_at",
            "status",
            "stop_reason",
            "stop_detail",
            "stop_figures",
            "updated",
        ]
    )


def sync_status(campaign, now=None) -> Campaign:
    """Mark a sending campaign done once every dispatch is done (or cancelled) and nothing
    waits for a rollout decision; returns the campaign as it now is."""
    if campaign.status != Status.SENDING:
        return campaign
    if campaign.has_rollout and campaign.rollout_released_at is None:
        return campaign
    if campaign.has_winner_rule and campaign.rest_sent_at is None:
        return campaign
    open_dispatches = _dispatches(campaign).filter(
        status__in=(Dispatch.Status.RUNNING, Dispatch.Status.PAUSED)
    )
    if open_dispatches.exists():
        return campaign
    Campaign.objects.filter(pk=campaign.pk, status=Status.SENDING).update(
        status=Status.DONE, finished_at=now or timezone.now(), updated=timezone.now()
    )
    campaign.refresh_from_db()
    return campaign
