"""The rollout's stop rule: after the first share, continue or stop, and say why.

check_rollout runs as a delayed job (campaigns.tasks.check_rollout), first rollout_wait_minutes
after the launch, then every RECHECK_SECONDS while the first share is still going out; the
campaign records when its next check is due (rollout_check_due_at), and the reconciler judges a
rollout whose check is more than LOST_AFTER late (check_overdue), so a rollout always decides. It
judges the first share's messages once none of them is queued or sending:

- failure rate = (failed + expired) / messages that reached the provider;
- opt-out rate = contacts of the first share who opted out (either channel) since the launch /
  messages that reached the provider.

It may stop early (the first share still going out) once MIN_SAMPLE messages were judged.
Above a threshold the campaign stops, with the reason and the figures (stop_reason,
stop_figures, an email to the ADMINS; a person may still Continue or Cancel); stop_sentence()
says why in the reader's language. Under both, an automatic rollout releases the rest; a manual
one waits for Continue.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audience.models import Consent, Contact
from campaigns.models import Campaign
from campaigns.services.lifecycle import RECHECK_SECONDS, release_rest, schedule_check
from campaigns.services.notices import notify_admins_on_commit
from sending.models import Message

logger = logging.getLogger(__name__)
Status = Campaign.Status
MS = Message.Status
REACHED = (MS.SENT, MS.DELIVERED, MS.READ, MS.FAILED, MS.EXPIRED)
FAILED = (MS.FAILED, MS.EXPIRED)
UNFINISHED = (MS.QUEUED, MS.SENDING)
# While the first share is still going out, a stop needs at least this many messages judged.
MIN_SAMPLE = 50
# A check this late is taken as lost (Redis lost its scheduled job, its worker died) and the
# reconciler judges it; a job merely held up in a busy queue is left to arrive.
LOST_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class StageFigures:
    """How the first share went so far."""

    reached: int
    failed: int
    opted_out: int
    unfinished: int

    @property
    def failure_rate(self):
        return self.failed / self.reached if self.reached else 0.0

    @property
    def opt_out_rate(self):
        return self.opted_out / self.reached if self.reached else 0.0


def first_share_figures(campaign) -> StageFigures:
    messages = Message.objects.filter(dispatch__campaign_arm__campaign=campaign, stage=0)
    by_status = dict(messages.order_by().values_list("status").annotate(n=Count("pk")))
    since = campaign.launched_at or campaign.created
    opted_out = (
        Contact.objects.filter(pk__in=messages.filter(status__in=REACHED).values("contact_id"))
        .filter(
            Q(sms_consent=Consent.OPT_OUT, sms_consent_at__gte=since)
            | Q(rcs_consent=Consent.OPT_OUT, rcs_consent_at__gte=since)
        )
        .count()
    )
    return StageFigures(
        reached=sum(by_status.get(s, 0) for s in REACHED),
        failed=sum(by_status.get(s, 0) for s in FAILED),
        opted_out=opted_out,
        unfinished=sum(by_status.get(s, 0) for s in UNFINISHED),
    )


def _percent(rate):
    return f"{rate * 100:.1f} %"


def check_rollout(campaign_id, due=None, now=None):
    """Judge the first share; returns the campaign's status afterwards (None: no campaign).

    `due` is the moment the job was scheduled for (its token): a job for a check that is no
    longer the campaign's next one (the reconciler re-drove it, a later check replaced it)
    changes nothing. Without it (a person, a test, a job queued before tokens) it judges."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None:
            return None
        if due is not None and campaign.rollout_check_due_at != _moment(due):
            return campaign.status
        _judge(campaign, now)
        return campaign.status


def check_overdue(now=None) -> int:
    """Judge every rollout whose check is overdue by LOST_AFTER (its job lost with Redis or a
    dead worker); returns how many this call judged. Each is taken with SKIP LOCKED and
    judged under its lock, which moves or clears its due moment: two reconcilers at once
    judge each rollout once, and a late job arriving after finds its token stale."""
    now = now or timezone.now()
    judged, seen = 0, set()
    while True:
        with transaction.atomic():
            campaign = (
                Campaign.objects.select_for_update(skip_locked=True)
                .filter(
                    status=Status.SENDING,
                    rollout_released_at__isnull=True,
                    rollout_check_due_at__lte=now - LOST_AFTER,
                )
                .exclude(pk__in=seen)
                .order_by("rollout_check_due_at", "pk")
                .first()
            )
            if campaign is None:
                return judged
            seen.add(campaign.pk)
            logger.warning(
                "Rollout check of campaign %s was due at %s: judged by the reconciler",
                campaign.public_id,
                campaign.rollout_check_due_at.isoformat(),
            )
            _judge(campaign, now)
        judged += 1


def _moment(token):
    try:
        return datetime.fromisoformat(token)
    except (TypeError, ValueError):
        return None


def _judge(campaign, now):
    """The stop rule on a locked campaign: stop, continue, wait for Continue, or look again."""
    if (
        campaign.status != Status.SENDING
        or not campaign.has_rollout
        or campaign.rollout_released_at is not None
    ):
        # Paused (resume checks again), cancelled, stopped, or already continued.
        return
    figures = first_share_figures(campaign)
    judged = not figures.unfinished or figures.reached >= MIN_SAMPLE
    if not judged:
        _check_again(campaign, now)
    elif figures.failure_rate > campaign.max_failure_rate:
        _stop(campaign, Campaign.StopReason.FAILURE_RATE, figures)
    elif figures.opt_out_rate > campaign.max_opt_out_rate:
        _stop(campaign, Campaign.StopReason.OPT_OUT_RATE, figures)
    elif figures.unfinished:
        _check_again(campaign, now)
    elif campaign.rollout_mode == Campaign.RolloutMode.AUTO:
        release_rest(campaign, now)
    else:
        campaign.status = Status.WAITING_TO_CONTINUE
        campaign.rollout_check_due_at = None
        campaign.save(update_fields=["status", "rollout_check_due_at", "updated"])


def _check_again(campaign, now):
    schedule_check(campaign, now, RECHECK_SECONDS)
    campaign.save(update_fields=["rollout_check_due_at", "updated"])


def _stop(campaign, reason, figures):
    campaign.status = Status.STOPPED
    campaign.stop_reason = reason
    campaign.stop_figures = {
        "reached": figures.reached,
        "failed": figures.failed,
        "opted_out": figures.opted_out,
        "failure_rate": figures.failure_rate,
        "opt_out_rate": figures.opt_out_rate,
        "max_failure_rate": campaign.max_failure_rate,
        "max_opt_out_rate": campaign.max_opt_out_rate,
    }
    # Kept for the admin and logs, in the language of the process that decided.
    campaign.stop_detail = stop_sentence(campaign)[:300]
    campaign.rollout_check_due_at = None
    campaign.save(
        update_fields=[
            "status",
            "stop_reason",
            "stop_figures",
            "stop_detail",
            "rollout_check_due_at",
            "updated",
        ]
    )
    # The campaign's page and API say it in their reader's language; the admins get an email.
    notify_admins_on_commit(campaign, STOPPED_SUBJECT, STOPPED_BODY, stop_sentence)


def stop_sentence(campaign):
    """Why the rollout stopped, in the active language, from the figures kept on the campaign;
    a stop recorded without figures gives its stored sentence, and no stop gives ""."""
    figures = campaign.stop_figures or {}
    try:
        if campaign.stop_reason == Campaign.StopReason.FAILURE_RATE:
            return _(
                "%(failed)s of %(reached)s messages of the first share failed (%(rate)s), "
                "above the %(limit)s allowed."
            ) % {
                "failed": figures["failed"],
                "reached": figures["reached"],
                "rate": _percent(figures["failure_rate"]),
                "limit": _percent(figures["max_failure_rate"]),
            }
        if campaign.stop_reason == Campaign.StopReason.OPT_OUT_RATE:
            return _(
                "%(opted_out)s of %(reached)s contacts of the first share opted out "
                "(%(rate)s), above the %(limit)s allowed."
            ) % {
                "opted_out": figures["opted_out"],
                "reached": figures["reached"],
                "rate": _percent(figures["opt_out_rate"]),
                "limit": _percent(figures["max_opt_out_rate"]),
            }
    except KeyError:
        pass
    return campaign.stop_detail


STOPPED_SUBJECT = gettext_lazy("Campaign “%(name)s” (%(mode)s) stopped after its first share")
STOPPED_BODY = gettext_lazy(
    "%(detail)s\n\nThe rest of the audience has not been sent to. Open the campaign "
    "to continue anyway or to cancel it."
)
