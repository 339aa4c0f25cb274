"""A rollout whose check job was lost (Redis flushed, its worker killed) is judged by the
reconciler once the check is overdue, exactly once, even with two reconcilers, a late job or
a resume in between."""

import pytest
from django.db import connection
from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign
from campaigns.services import rollout
from sending import services as sending
from sending.models import Message
from tests.factories import make_campaign
from tests.support.campaigns import bulk_list
from tests.support.reconcilers import race_while_held

Status = Campaign.Status
WAIT_MINUTES = 10


def _messages(campaign, **filters):
    return Message.objects.filter(dispatch__campaign_arm__campaign=campaign, **filters)


def _rollout_whose_check_was_lost(version, test_list, jobs, mode="auto", count=40):
    """A launched rollout whose first share went out well; its check job is gone."""
    bulk_list(test_list, count)
    campaign = make_campaign(
        version,
        test_list,
        rollout_share=0.5,
        rollout_mode=mode,
        rollout_wait_minutes=WAIT_MINUTES,
        max_failure_rate=0.5,
    )
    services.launch(campaign)
    lost = [job for job in jobs.pending if job.name == "check_rollout"]
    assert len(lost) == 1
    jobs.pending.remove(lost[0])
    _messages(campaign, stage=0).update(status=Message.Status.DELIVERED)
    return Campaign.objects.get(pk=campaign.pk), lost[0]


def _due(campaign):
    return Campaign.objects.get(pk=campaign.pk).rollout_check_due_at


@pytest.mark.django_db
def test_the_launch_records_when_the_check_is_due(version, test_list, jobs):
    before = timezone.now()
    campaign, lost = _rollout_whose_check_was_lost(version, test_list, jobs)

    due = campaign.rollout_check_due_at
    wait = timezone.timedelta(minutes=WAIT_MINUTES)
    assert before + wait <= due <= timezone.now() + wait
    # The job carries the moment it was scheduled for.
    assert lost.args == (campaign.pk, due.isoformat())


@pytest.mark.django_db
def test_the_reconciler_judges_a_rollout_whose_check_was_lost(version, test_list, jobs):
    campaign, _lost = _rollout_whose_check_was_lost(version, test_list, jobs)
    due = campaign.rollout_check_due_at

    # Late, but not yet taken for lost: the job may still come.
    sending.reconcile_stuck_messages(now=due + rollout.LOST_AFTER - timezone.timedelta(seconds=1))
    campaign.refresh_from_db()
    assert (campaign.status, campaign.rollout_released_at) == (Status.SENDING, None)

    sending.reconcile_stuck_messages(now=due + rollout.LOST_AFTER)
    campaign.refresh_from_db()
    assert campaign.rollout_released_at is not None
    assert campaign.rollout_check_due_at is None
    assert not _messages(campaign, stage=1).exclude(status=Message.Status.QUEUED).exists()
    assert "send_batch" in jobs.names()


@pytest.mark.django_db
def test_a_manual_rollout_whose_check_was_lost_waits_for_continue(version, test_list, jobs):
    campaign, _lost = _rollout_whose_check_was_lost(version, test_list, jobs, mode="manual")

    assert services.check_overdue(campaign.rollout_check_due_at + rollout.LOST_AFTER) == 1

    campaign.refresh_from_db()
    assert campaign.status == Status.WAITING_TO_CONTINUE
    assert campaign.rollout_released_at is None
    # Decided: the next passes leave it to the person.
    assert services.check_overdue(timezone.now() + timezone.timedelta(days=1)) == 0


@pytest.mark.django_db
def test_the_lost_job_arriving_late_after_the_reconciler_changes_nothing(version, test_list, jobs):
    campaign, lost = _rollout_whose_check_was_lost(version, test_list, jobs)
    # The first share is still going out: the reconciler's check schedules the next one.
    _messages(campaign, stage=0).update(status=Message.Status.QUEUED)
    overdue = campaign.rollout_check_due_at + rollout.LOST_AFTER

    assert services.check_overdue(overdue) == 1
    assert services.check_overdue(overdue) == 0
    next_due = _due(campaign)
    assert next_due > overdue
    assert jobs.names().count("check_rollout") == 1

    # The lost job turns up after all: it is not the campaign's check any more.
    assert lost.run() == Status.SENDING
    assert jobs.names().count("check_rollout") == 1
    assert _due(campaign) == next_due

    # The check the reconciler scheduled decides, once the first share went out.
    _messages(campaign, stage=0).update(status=Message.Status.DELIVERED)
    [check] = [job for job in jobs.pending if job.name == "check_rollout"]
    check.run()
    campaign.refresh_from_db()
    assert campaign.rollout_released_at is not None


@pytest.mark.django_db
def test_a_paused_rollout_is_not_judged_and_resume_sets_a_new_due_moment(version, test_list, jobs):
    campaign, lost = _rollout_whose_check_was_lost(version, test_list, jobs)
    services.pause(campaign)
    far = timezone.now() + timezone.timedelta(days=1)

    assert services.check_overdue(far) == 0
    assert Campaign.objects.get(pk=campaign.pk).status == Status.PAUSED

    services.resume(campaign)
    resumed_due = _due(campaign)
    assert resumed_due != campaign.rollout_check_due_at
    # The job scheduled before the pause is stale; the resume's job judges.
    assert lost.run() == Status.SENDING
    assert Campaign.objects.get(pk=campaign.pk).rollout_released_at is None
    [check] = [job for job in jobs.pending if job.name == "check_rollout"]
    assert check.args == (campaign.pk, resumed_due.isoformat())
    check.run()
    assert Campaign.objects.get(pk=campaign.pk).rollout_released_at is not None


@pytest.mark.django_db
def test_a_stopped_rollout_is_left_to_a_person(version, test_list, jobs):
    campaign, _lost = _rollout_whose_check_was_lost(version, test_list, jobs)
    _messages(campaign, stage=0).update(status=Message.Status.FAILED)

    assert services.check_overdue(campaign.rollout_check_due_at + rollout.LOST_AFTER) == 1
    campaign.refresh_from_db()
    assert (campaign.status, campaign.rollout_check_due_at) == (Status.STOPPED, None)

    assert services.check_overdue(timezone.now() + timezone.timedelta(days=1)) == 0
    assert Campaign.objects.get(pk=campaign.pk).status == Status.STOPPED


@pytest.mark.django_db(transaction=True)
def test_two_reconcilers_at_once_judge_a_rollout_once(version, test_list, jobs, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections need PostgreSQL")
    campaign, _lost = _rollout_whose_check_was_lost(version, test_list, jobs)
    overdue = campaign.rollout_check_due_at + rollout.LOST_AFTER

    def reconciler():
        return services.check_overdue(overdue)

    judged, releases = race_while_held(
        monkeypatch, rollout, "release_rest", first=reconciler, second=reconciler
    )

    assert judged == {"first": 1, "second": 0}
    assert releases == [campaign.pk]
    campaign.refresh_from_db()
    assert campaign.rollout_released_at is not None
    # A third pass, after both: decided already.
    assert services.check_overdue(overdue) == 0
    assert releases == [campaign.pk]


@pytest.mark.django_db(transaction=True)
def test_the_late_job_and_the_reconciler_at_once_judge_a_rollout_once(
    version, test_list, jobs, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections need PostgreSQL")
    campaign, lost = _rollout_whose_check_was_lost(version, test_list, jobs)
    overdue = campaign.rollout_check_due_at + rollout.LOST_AFTER

    results, releases = race_while_held(
        monkeypatch,
        rollout,
        "release_rest",
        first=lost.run,
        second=lambda: services.check_overdue(overdue),
    )

    assert results == {"first": Status.SENDING, "second": 0}
    assert releases == [campaign.pk]
    assert Campaign.objects.get(pk=campaign.pk).rollout_released_at is not None
