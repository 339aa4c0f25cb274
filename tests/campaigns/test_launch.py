"""A campaign without experiment: launch, a second launch, pause/resume/cancel, done."""

import pytest

from campaigns import services
from campaigns.models import Campaign
from sending.dispatches import Dispatch
from sending.models import Message
from tests.factories import make_campaign
from tests.support.campaigns import fill_list

pytestmark = pytest.mark.django_db


def test_a_campaign_is_sent_to_its_list_and_ends_done(version, test_list, jobs, network):
    ids = fill_list(test_list, 5, first_name="Léa")
    campaign = make_campaign(version, test_list)
    assert campaign.status == Campaign.Status.DRAFT

    services.launch(campaign)
    jobs.run(until=0)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    messages = Message.objects.filter(dispatch__campaign_arm__campaign=campaign)
    assert sorted(messages.values_list("contact_id", flat=True)) == sorted(ids)
    assert {m.variables["prenom"] for m in messages} == {"Léa"}
    assert {m.status for m in messages} == {Message.Status.SENT}
    campaign = services.sync_status(campaign)
    assert campaign.status == Campaign.Status.DONE
    assert services.progress(campaign)["by_status"] == {"sent": 5}


def test_a_campaign_ends_done_by_itself_when_its_last_dispatch_finishes(
    version, test_list, jobs, network, django_capture_on_commit_callbacks
):
    fill_list(test_list, 4)
    campaign = make_campaign(version, test_list)
    services.launch(campaign)

    # The batch job commits; what sending announces after the commit reaches campaigns.
    with django_capture_on_commit_callbacks(execute=True):
        jobs.run(until=0)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    assert campaign.finished_at is not None


def test_a_failing_listener_never_fails_the_batch(
    version, test_list, jobs, network, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from campaigns import receivers

    def broken(*args, **kwargs):
        raise RuntimeError("listener broke")

    monkeypatch.setattr(receivers, "sync_status", broken)
    fill_list(test_list, 2)
    campaign = make_campaign(version, test_list)
    services.launch(campaign)

    with django_capture_on_commit_callbacks(execute=True):
        jobs.run(until=0)

    assert {m.status for m in Message.objects.all()} == {Message.Status.SENT}
    assert "listener broke" in caplog.text


def test_a_second_launch_adds_nothing(version, test_list, jobs):
    fill_list(test_list, 3)
    campaign = make_campaign(version, test_list)

    services.launch(campaign)
    fill_list(test_list, 2)  # joined after the launch: not part of this campaign
    again = services.launch(campaign)

    assert again.status == Campaign.Status.SENDING
    assert Message.objects.filter(dispatch__campaign_arm__campaign=campaign).count() == 3
    assert Dispatch.objects.filter(campaign_arm__campaign=campaign).count() == 1
    assert jobs.names() == ["send_batch"]


def test_pause_resume_and_cancel(version, test_list, jobs, network):
    fill_list(test_list, 4)
    campaign = make_campaign(version, test_list)
    services.launch(campaign)

    services.pause(campaign)
    jobs.run(until=0)  # the batch job finds the dispatch paused: nothing goes
    messages = Message.objects.filter(dispatch__campaign_arm__campaign=campaign)
    assert {m.status for m in messages} == {Message.Status.QUEUED}
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.PAUSED

    services.resume(campaign)
    services.pause(campaign)
    services.cancel(campaign)
    jobs.run(until=0)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED
    assert {m.status for m in messages.all()} == {Message.Status.CANCELLED}
    with pytest.raises(services.CampaignError) as refused:
        services.resume(campaign)
    assert refused.value.code == "wrong_status"
