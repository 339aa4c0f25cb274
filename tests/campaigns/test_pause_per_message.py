"""A retry or an SMS fallback leaves its batch for the per-message job: a paused campaign still
sends neither until it is resumed, and a cancelled one never does."""

import pytest

from campaigns import services
from campaigns.models import Campaign
from messaging.providers.normalized import Channel, ProviderError
from sending.models import Attempt, Message
from sending.services.snapshot import FirstShare
from tests.factories import make_campaign
from tests.support.campaigns import fill_list
from tests.support.sending import RCS_NEVER_DELIVERED

pytestmark = pytest.mark.django_db
Status = Message.Status


def _seed_with(first, rest):
    """A campaign seed whose rollout draw puts `first` in the first half and `rest` after it."""
    for n in range(1000):
        seed = f"seed{n}"
        if FirstShare(0.5, f"{seed}:rollout").first([first, rest]) == {first}:
            return seed
    raise AssertionError("no seed found")


def _rcs_sent_never_delivered(version, test_list, jobs):
    """A test campaign with a rollout whose first share, one message, went out over RCS and
    will never be delivered; the rest waits for Continue, so the dispatch is still running
    (a dispatch with nothing left to send is done, and so is its campaign)."""
    [never] = fill_list(test_list, 1, phone=RCS_NEVER_DELIVERED)
    [other] = fill_list(test_list, 1)
    campaign = make_campaign(version, test_list, rollout_share=0.5, rollout_mode="manual")
    Campaign.objects.filter(pk=campaign.pk).update(seed=_seed_with(never, other))
    services.launch(campaign)
    jobs.run(until=0)
    message = Message.objects.get(dispatch__campaign_arm__campaign=campaign, contact_id=never)
    assert (message.status, message.final_channel) == (Status.SENT, Channel.RCS)
    return campaign, message


def _sms_attempts(message):
    return Attempt.objects.filter(message=message, channel=Channel.SMS).count()


def test_a_paused_campaign_sends_no_sms_fallback_until_resumed(version, test_list, jobs, network):
    campaign, message = _rcs_sent_never_delivered(version, test_list, jobs)

    services.pause(campaign)
    jobs.run()  # the RCS deadline passes: the fallback is queued, its job finds the pause

    message.refresh_from_db()
    assert message.fallback_reason == Message.FallbackReason.RCS_EXPIRED
    assert message.status == Status.QUEUED
    assert _sms_attempts(message) == 0

    services.resume(campaign)
    jobs.run()

    message.refresh_from_db()
    assert _sms_attempts(message) == 1
    assert message.final_channel == Channel.SMS


def test_a_cancelled_campaign_never_sends_the_sms_fallback(version, test_list, jobs, network):
    campaign, message = _rcs_sent_never_delivered(version, test_list, jobs)

    services.cancel(campaign)
    jobs.run()

    message.refresh_from_db()
    assert message.status == Status.CANCELLED
    assert _sms_attempts(message) == 0
    with pytest.raises(services.CampaignError):
        services.resume(campaign)


@pytest.fixture
def live_list():
    from tests.factories import make_list

    return make_list(test_mode=False)


def _retry_queued(version, live_list, jobs, locmem):
    """A live campaign (the locmem provider) whose one message met a provider outage: its retry
    is a per-message job, 30 seconds later."""
    fill_list(live_list, 1)
    campaign = make_campaign(version, live_list, test_mode=False)
    locmem.errors.append(ProviderError("provider down", permanent=False, code="503"))
    services.launch(campaign)
    jobs.run(until=0)
    message = Message.objects.get(dispatch__campaign_arm__campaign=campaign)
    assert message.status == Status.QUEUED
    assert len(locmem.outbox) == 1
    assert "send_message" in jobs.names()
    return campaign, message


def test_a_paused_campaign_sends_no_retry_until_resumed(version, live_list, jobs, locmem):
    campaign, message = _retry_queued(version, live_list, jobs, locmem)

    services.pause(campaign)
    jobs.run()  # the retry's time comes during the pause

    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert len(locmem.outbox) == 1

    services.resume(campaign)
    jobs.run(until=jobs.clock)  # the resume's batch, not the RCS deadline's check after it

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert [sent.channel for sent in locmem.outbox] == [Channel.RCS, Channel.RCS]


def test_a_cancelled_campaign_never_sends_the_retry(version, live_list, jobs, locmem):
    campaign, message = _retry_queued(version, live_list, jobs, locmem)

    services.cancel(campaign)
    jobs.run()

    message.refresh_from_db()
    assert message.status == Status.CANCELLED
    assert len(locmem.outbox) == 1


def test_a_retry_found_cancelled_at_its_claim_ends_cancelled(version, live_list, jobs, locmem):
    """The dispatch cancelled between the retry being queued and its job, with the message not
    ended by the cancel (it was being handled): the claim reads the dispatch and ends it."""
    from sending.dispatches import Dispatch
    from sending.services import pipeline

    campaign, message = _retry_queued(version, live_list, jobs, locmem)
    Dispatch.objects.filter(campaign_arm__campaign=campaign).update(
        status=Dispatch.Status.CANCELLED
    )

    assert pipeline.claim_message(message.pk) is None

    message.refresh_from_db()
    assert message.status == Status.CANCELLED
    assert len(locmem.outbox) == 1
