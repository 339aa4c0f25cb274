"""A scheduled campaign whose start job was lost starts on the reconciler's next pass, once,
even when two reconcilers pass at the same moment."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign, CampaignArm
from campaigns.services import lifecycle
from sending import services as sending
from sending.models import Message
from tests.factories import make_campaign
from tests.support.campaigns import bulk_list
from tests.support.reconcilers import PATIENCE, in_threads, race_while_held

Status = Campaign.Status


def _scheduled(version, test_list, jobs, contacts=3):
    bulk_list(test_list, contacts)
    later = timezone.now() + timezone.timedelta(minutes=30)
    campaign = make_campaign(version, test_list, send_at=later)
    services.launch(campaign)
    jobs.pending.clear()  # the start job is lost (Redis flushed, scheduler down)
    return Campaign.objects.get(pk=campaign.pk)


@pytest.mark.django_db
def test_the_reconciler_starts_a_scheduled_campaign_whose_job_was_lost(version, test_list, jobs):
    campaign = _scheduled(version, test_list, jobs)

    sending.reconcile_stuck_messages(now=campaign.send_at - timezone.timedelta(seconds=1))
    assert Campaign.objects.get(pk=campaign.pk).status == Status.SCHEDULED
    assert not Message.objects.exists()

    sending.reconcile_stuck_messages(now=campaign.send_at + timezone.timedelta(seconds=1))
    assert Campaign.objects.get(pk=campaign.pk).status == Status.SENDING
    assert Message.objects.filter(dispatch__campaign_arm__campaign=campaign).count() == 3

    # The start job, late rather than lost, then the next pass: nothing twice.
    assert services.start_scheduled(campaign.pk, now=campaign.send_at) is False
    sending.reconcile_stuck_messages(now=campaign.send_at + timezone.timedelta(minutes=1))
    assert Message.objects.count() == 3
    assert CampaignArm.objects.filter(campaign=campaign).count() == 1


@pytest.mark.django_db
def test_the_reconcile_command_starts_it_and_leaves_drafts_and_cancelled_ones(
    version, test_list, jobs
):
    campaign = _scheduled(version, test_list, jobs)
    Campaign.objects.filter(pk=campaign.pk).update(
        send_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    draft = make_campaign(version, test_list, send_at=timezone.now())
    cancelled = _scheduled(version, test_list, jobs, contacts=1)
    services.cancel(cancelled)
    Campaign.objects.filter(pk=cancelled.pk).update(send_at=timezone.now())

    call_command("reconcile_messages")

    assert Campaign.objects.get(pk=campaign.pk).status == Status.SENDING
    assert Campaign.objects.get(pk=draft.pk).status == Status.DRAFT
    assert Campaign.objects.get(pk=cancelled.pk).status == Status.CANCELLED
    # The list as it is at the start: 3 contacts, and the cancelled campaign's one.
    assert Message.objects.filter(dispatch__campaign_arm__campaign=campaign).count() == 4
    assert not Message.objects.exclude(dispatch__campaign_arm__campaign=campaign).exists()


@pytest.mark.django_db
def test_a_campaign_that_cannot_start_holds_up_no_other(version, test_list, jobs, monkeypatch):
    first = _scheduled(version, test_list, jobs)
    second = _scheduled(version, test_list, jobs, contacts=2)
    due = max(first.send_at, second.send_at) + timezone.timedelta(seconds=1)
    real_start = lifecycle._start

    def start(campaign, now):
        if campaign.pk == first.pk:
            raise RuntimeError("audience gone")
        real_start(campaign, now)

    monkeypatch.setattr(lifecycle, "_start", start)

    assert services.start_due(due) == 1

    assert Campaign.objects.get(pk=first.pk).status == Status.SCHEDULED
    assert Campaign.objects.get(pk=second.pk).status == Status.SENDING


@pytest.mark.django_db(transaction=True)
def test_two_reconcilers_at_once_start_it_exactly_once(version, test_list, jobs, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections need PostgreSQL")
    campaign = _scheduled(version, test_list, jobs, contacts=20)
    due = campaign.send_at + timezone.timedelta(seconds=1)

    def reconciler():
        return services.start_due(due)

    started, starts = race_while_held(
        monkeypatch, lifecycle, "_start", first=reconciler, second=reconciler
    )

    assert started == {"first": 1, "second": 0}
    assert starts == [campaign.pk]
    assert Campaign.objects.get(pk=campaign.pk).status == Status.SENDING
    assert CampaignArm.objects.filter(campaign=campaign).count() == 1
    messages = Message.objects.filter(dispatch__campaign_arm__campaign=campaign)
    assert messages.count() == 20
    assert messages.values("contact_id").distinct().count() == 20


@pytest.mark.django_db(transaction=True)
def test_many_reconcilers_racing_start_each_campaign_once(version, test_list, jobs):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL")
    campaigns = [_scheduled(version, test_list, jobs, contacts=2) for _ in range(3)]
    due = max(c.send_at for c in campaigns) + timezone.timedelta(seconds=1)
    barrier = threading.Barrier(4)

    def reconciler():
        barrier.wait(timeout=PATIENCE)
        return services.start_due(due)

    started = in_threads(*[reconciler] * 4)

    assert sum(started) == 3
    for campaign in campaigns:
        assert CampaignArm.objects.filter(campaign=campaign).count() == 1
    # Each campaign snapshots the list as it is (2, 4, 6 contacts): no contact twice per campaign.
    for campaign in campaigns:
        messages = Message.objects.filter(dispatch__campaign_arm__campaign=campaign)
        assert messages.count() == messages.values("contact_id").distinct().count()
