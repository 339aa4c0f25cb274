"""The rollout: a first share, then continue automatically, wait for Continue, or stop and say
why (failure rate, opt-out rate)."""

import pytest

from audience.models import ConsentEntry, Contact
from campaigns import services
from campaigns.models import Campaign
from sending.models import Message
from tests.factories import make_campaign, make_consent
from tests.support.campaigns import bulk_list

pytestmark = pytest.mark.django_db
WAIT = 10 * 60


def _messages(campaign, **filters):
    return Message.objects.filter(dispatch__campaign_arm__campaign=campaign, **filters)


def _rollout(version, test_list, mode, count=100, **overrides):
    bulk_list(test_list, count)
    campaign = make_campaign(
        version,
        test_list,
        rollout_share=0.2,
        rollout_mode=mode,
        rollout_wait_minutes=WAIT // 60,
        **overrides,
    )
    services.launch(campaign)
    return campaign


def test_an_automatic_rollout_continues_when_the_first_share_went_well(
    version, test_list, jobs, calm_network
):
    campaign = _rollout(version, test_list, "auto")
    jobs.run(until=WAIT - 1)

    assert _messages(campaign, stage=0).count() == 20
    assert _messages(campaign, stage=0, status=Message.Status.QUEUED).count() == 0
    assert _messages(campaign, stage=1).exclude(status=Message.Status.QUEUED).count() == 0
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING

    jobs.run(until=WAIT + 60)

    campaign = services.sync_status(Campaign.objects.get(pk=campaign.pk))
    assert campaign.rollout_released_at is not None
    assert campaign.status == Campaign.Status.DONE
    statuses = set(_messages(campaign).values_list("status", flat=True))
    # Everyone was sent to, and it went well.
    assert not statuses & {"queued", "sending", "cancelled", "suppressed", "failed", "expired"}
    assert _messages(campaign).count() == 100


def test_a_manual_rollout_waits_for_continue(version, test_list, jobs, calm_network):
    campaign = _rollout(version, test_list, "manual")
    jobs.run(until=WAIT + 60)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.WAITING_TO_CONTINUE
    assert _messages(campaign, stage=1, status=Message.Status.QUEUED).exists()

    services.continue_rollout(campaign)
    jobs.run(until=WAIT + 120)

    campaign = services.sync_status(Campaign.objects.get(pk=campaign.pk))
    assert campaign.status == Campaign.Status.DONE
    assert not _messages(campaign, status=Message.Status.QUEUED).exists()


def test_too_many_failures_stop_the_rollout_with_the_reason(
    english, version, test_list, jobs, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ADMINS = [("Ops", "ops@shop.example")]
    campaign = _rollout(version, test_list, "auto", max_failure_rate=0.1)
    first = list(_messages(campaign, stage=0).order_by("pk"))
    failing = len(first) // 4 + 1  # above 10 %
    Message.objects.filter(pk__in=[m.pk for m in first[:failing]]).update(status="failed")
    Message.objects.filter(pk__in=[m.pk for m in first[failing:]]).update(status="delivered")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.check_rollout(campaign.pk) == Campaign.Status.STOPPED

    campaign.refresh_from_db()
    assert campaign.stop_reason == Campaign.StopReason.FAILURE_RATE
    assert len(mailoutbox) == 1
    assert campaign.name in mailoutbox[0].subject
    assert campaign.stop_detail in mailoutbox[0].body
    assert f"{failing} of {len(first)} messages of the first share failed" in campaign.stop_detail
    assert _messages(campaign, stage=1, status=Message.Status.QUEUED).count() == 100 - len(first)
    # A person may still go on.
    services.continue_rollout(campaign)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.stop_reason) == (Campaign.Status.SENDING, "")
    assert jobs.names().count("send_batch") >= 2


def test_failures_under_the_threshold_let_it_continue(version, test_list, jobs):
    campaign = _rollout(version, test_list, "auto", max_failure_rate=0.5)
    first = list(_messages(campaign, stage=0).order_by("pk"))
    Message.objects.filter(pk__in=[m.pk for m in first[:1]]).update(status="failed")
    Message.objects.filter(pk__in=[m.pk for m in first[1:]]).update(status="delivered")

    assert services.check_rollout(campaign.pk) == Campaign.Status.SENDING
    assert Campaign.objects.get(pk=campaign.pk).rollout_released_at is not None


def test_too_many_opt_outs_stop_the_rollout(english, version, test_list, jobs):
    campaign = _rollout(version, test_list, "auto", max_opt_out_rate=0.02)
    first = list(_messages(campaign, stage=0).order_by("pk"))
    _messages(campaign, stage=0).update(status="delivered")
    for message in first[:2]:
        make_consent(Contact.objects.get(pk=message.contact_id), kind=ConsentEntry.Kind.OPT_OUT)

    assert services.check_rollout(campaign.pk) == Campaign.Status.STOPPED

    campaign.refresh_from_db()
    assert campaign.stop_reason == Campaign.StopReason.OPT_OUT_RATE
    assert "2 of" in campaign.stop_detail and "opted out" in campaign.stop_detail


def test_an_unfinished_first_share_is_checked_again_later(version, test_list, jobs):
    campaign = _rollout(version, test_list, "auto")  # nothing ran: the first share is queued
    jobs.pending.clear()

    assert services.check_rollout(campaign.pk) == Campaign.Status.SENDING

    assert jobs.names() == ["check_rollout"]
    assert Campaign.objects.get(pk=campaign.pk).rollout_released_at is None


def test_a_paused_rollout_is_not_continued_and_resume_checks_again(version, test_list, jobs):
    campaign = _rollout(version, test_list, "auto")
    _messages(campaign, stage=0).update(status="delivered")
    services.pause(campaign)

    assert services.check_rollout(campaign.pk) == Campaign.Status.PAUSED
    services.resume(campaign)

    assert "check_rollout" in jobs.names()
    assert Campaign.objects.get(pk=campaign.pk).rollout_released_at is None


def _first_share(campaign):
    return set(_messages(campaign, stage=0).values_list("contact_id", flat=True))


def test_the_first_share_is_exact_and_the_same_for_the_same_seed(version, test_list, jobs):
    # Drawn contact by contact, 60 contacts at 10 % had about 1 chance in 550 of drawing
    # nobody: the first share is the 6 whose draw for the seed is lowest.
    bulk_list(test_list, 60)
    first, again = (
        make_campaign(version, test_list, rollout_share=0.1, rollout_mode="manual")
        for _ in range(2)
    )
    Campaign.objects.filter(pk__in=[first.pk, again.pk]).update(seed="same-seed")
    for campaign in (first, again):
        services.launch(Campaign.objects.get(pk=campaign.pk))

    assert len(_first_share(first)) == 6
    assert _first_share(again) == _first_share(first)
    assert _messages(first, stage=1).count() == 54
