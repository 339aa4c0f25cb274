"""The review with the promotion rules on: quiet hours say when it starts, the frequency cap
counts who already had a promotion; a scheduled campaign starts at its time; drafts change."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from audience.models import Contact
from campaigns import services
from campaigns.models import Campaign
from sending.models import Message
from tests.factories import make_campaign, make_sent_message
from tests.support.campaigns import bulk_list

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
SUNDAY = datetime(2026, 12, 6, 15, 0, tzinfo=PARIS)
MONDAY_OPENING = datetime(2026, 12, 7, 8, 0, tzinfo=PARIS)


def test_on_a_sunday_the_review_says_it_starts_monday_at_8(
    version, test_list, promotion_rules, time_machine
):
    time_machine.move_to(SUNDAY, tick=False)
    ids = bulk_list(test_list, 4)
    make_sent_message(
        Contact.objects.get(pk=ids[0]), sent_at=timezone.now() - timezone.timedelta(hours=2)
    )
    campaign = make_campaign(version, test_list)

    report = services.review(campaign)

    assert report.starts_at == MONDAY_OPENING
    assert report.waiting_for == {"FR": MONDAY_OPENING}
    assert report.excluded == {"frequency_cap": 1}
    assert report.eligible == 3


def test_on_a_weekday_it_starts_now(version, test_list, promotion_rules, time_machine):
    wednesday = datetime(2026, 12, 9, 10, 0, tzinfo=PARIS)
    time_machine.move_to(wednesday, tick=False)
    bulk_list(test_list, 2)

    report = services.review(make_campaign(version, test_list))

    assert report.starts_at == wednesday
    assert not report.held_by_quiet_hours


def test_a_scheduled_campaign_starts_at_its_time_and_only_then(version, test_list, jobs):
    bulk_list(test_list, 3)
    later = timezone.now() + timezone.timedelta(minutes=30)
    campaign = make_campaign(version, test_list, send_at=later)

    services.launch(campaign)
    assert services.start_scheduled(campaign.pk) is False  # early: nothing yet
    assert not Message.objects.exists()

    assert services.start_scheduled(campaign.pk, now=later) is True
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENDING
    assert Message.objects.count() == 3
    assert services.start_scheduled(campaign.pk, now=later) is False


def test_a_scheduled_campaign_whose_job_was_lost_starts_when_launched_again(
    version, test_list, jobs
):
    bulk_list(test_list, 2)
    later = timezone.now() + timezone.timedelta(minutes=30)
    campaign = make_campaign(version, test_list, send_at=later)
    services.launch(campaign)
    jobs.pending.clear()  # the start job is lost

    services.launch(campaign)  # too early: still scheduled
    assert Message.objects.count() == 0
    services.launch(campaign, now=later + timezone.timedelta(seconds=1))

    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENDING
    assert Message.objects.count() == 2


def test_only_a_draft_changes_and_a_refusal_names_the_field(english, version, test_list, jobs):
    campaign = make_campaign(version, test_list)

    services.update_campaign(campaign, name="Renamed", holdout_share=0.1)
    with pytest.raises(services.CampaignError) as refused:
        services.update_campaign(campaign, holdout_share=0.9)

    assert refused.value.field == "holdout_share"
    campaign.refresh_from_db()
    assert (campaign.name, campaign.holdout_share) == ("Renamed", 0.1)
    services.launch(campaign)
    with pytest.raises(services.CampaignError) as late:
        services.update_campaign(campaign, name="Too late")
    assert late.value.code == "not_a_draft"
