"""A content test whose decision job was lost is decided by the reconciler, exactly once, even
with two reconcilers at once: they share the due tests (SKIP LOCKED) rather than wait for each
other, and one test that cannot be decided holds up no other."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign, CampaignArm
from campaigns.services import winner
from sending.models import Message
from tests.factories import make_campaign, make_list, make_published_template
from tests.support.campaigns import bulk_list
from tests.support.reconcilers import PATIENCE, in_threads

Arm = CampaignArm.Arm
Status = Campaign.Status


@pytest.fixture
def version_b(db):
    _template, version = make_published_template(slug="promo_campaign_b")
    return version


def _lost_content_test(version, version_b, jobs, contacts=20):
    """A launched content test that sends A to the rest when unclear; its decision job is gone."""
    audience = make_list(test_mode=True)
    bulk_list(audience, contacts)
    campaign = make_campaign(
        version,
        audience,
        experiment="content",
        template_version_b=version_b,
        experiment_share=0.5,
        winner_after_hours=24,
        winner_test_share=0.5,
        winner_if_unclear="send_a",
    )
    services.launch(campaign)
    jobs.pending[:] = [job for job in jobs.pending if job.name != "decide_winner"]
    return Campaign.objects.get(pk=campaign.pk)


def _decided_once(campaign):
    campaign.refresh_from_db()
    assert campaign.winner_decided_at is not None
    assert campaign.rest_sent_at is not None
    assert CampaignArm.objects.filter(campaign=campaign, arm=Arm.REST).count() == 1
    messages = Message.objects.filter(dispatch__campaign_arm__campaign=campaign)
    assert messages.count() == messages.values("contact_id").distinct().count()


@pytest.mark.django_db
def test_a_test_that_cannot_be_decided_holds_up_no_other(
    version, version_b, jobs, monkeypatch, caplog
):
    broken = _lost_content_test(version, version_b, jobs)
    fine = _lost_content_test(version, version_b, jobs)
    due = fine.winner_due_at + timezone.timedelta(seconds=1)
    real_send_rest = winner.send_rest

    def send_rest(campaign, arm, now):
        if campaign.pk == broken.pk:
            raise RuntimeError("template version gone")
        real_send_rest(campaign, arm, now)

    monkeypatch.setattr(winner, "send_rest", send_rest)

    assert services.decide_due(due) == 1

    _decided_once(fine)
    # Rolled back whole: not recorded as decided, so the next pass tries it again.
    assert Campaign.objects.get(pk=broken.pk).winner_decided_at is None
    assert str(broken.public_id) in caplog.text
    monkeypatch.setattr(winner, "send_rest", real_send_rest)
    assert services.decide_due(due) == 1
    _decided_once(broken)
    assert services.decide_due(due) == 0


@pytest.mark.django_db(transaction=True)
def test_two_reconcilers_at_once_share_the_due_tests(version, version_b, jobs, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections need PostgreSQL")
    first = _lost_content_test(version, version_b, jobs)
    second = _lost_content_test(version, version_b, jobs)
    due = second.winner_due_at + timezone.timedelta(seconds=1)
    first_holds_the_lock = threading.Event()
    second_looked = threading.Event()
    judged = []
    real_figures = winner.arm_figures

    def slow_figures(campaign):
        # The first reconciler holds the earliest test's row while the second looks for work:
        # waiting for that lock instead of taking the next test would hang here.
        judged.append(campaign.pk)
        if campaign.pk == first.pk:
            first_holds_the_lock.set()
            assert second_looked.wait(timeout=PATIENCE), "the second reconciler never finished"
        return real_figures(campaign)

    monkeypatch.setattr(winner, "arm_figures", slow_figures)

    def one_reconciler():
        return services.decide_due(due)

    def another_once_the_first_holds_a_lock():
        if not first_holds_the_lock.wait(timeout=PATIENCE):
            return "never started"
        try:
            return services.decide_due(due)
        finally:
            second_looked.set()

    results = in_threads(one_reconciler, another_once_the_first_holds_a_lock)

    # Each decided one test, and each test was judged once.
    assert results == [1, 1]
    assert sorted(judged) == sorted([first.pk, second.pk])
    _decided_once(first)
    _decided_once(second)
    assert services.decide_due(due) == 0


@pytest.mark.django_db(transaction=True)
def test_many_reconcilers_racing_decide_each_test_once(version, version_b, jobs):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL")
    campaigns = [_lost_content_test(version, version_b, jobs, contacts=10) for _ in range(3)]
    due = max(c.winner_due_at for c in campaigns) + timezone.timedelta(seconds=1)
    barrier = threading.Barrier(4)

    def reconciler():
        barrier.wait(timeout=PATIENCE)
        return services.decide_due(due)

    results = in_threads(*[reconciler] * 4)

    assert sum(results) == 3
    for campaign in campaigns:
        _decided_once(campaign)
