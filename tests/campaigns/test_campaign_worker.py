"""A small campaign with a channel test and a holdout, sent to the end by real RQ workers."""

import time

import pytest
from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign, CampaignHoldout
from sending.models import Attempt, Message
from tests.factories import make_campaign, make_list, make_published_template
from tests.sending.test_batch_worker import processes  # noqa: F401 (the fixture)
from tests.support.campaigns import bulk_list

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
WAIT_SECONDS = 120


def test_a_campaign_is_sent_to_the_end_by_real_workers(processes):  # noqa: F811
    _template, version = make_published_template(slug="promo_campaign_worker")
    test_list = make_list(test_mode=True)
    now = timezone.now()
    bulk_list(test_list, 200, rcs_capable=True, rcs_checked_at=now)
    bulk_list(test_list, 100)
    bulk_list(test_list, 10, sms_consent="opt_out", rcs_consent="opt_out")
    campaign = make_campaign(
        version,
        test_list,
        experiment=Campaign.Experiment.CHANNEL,
        experiment_share=0.5,
        holdout_share=0.1,
        throttle_per_second=200,
    )
    processes("rqworker", "messages")
    processes("rqworker", "messages")

    services.launch(campaign)

    deadline = time.monotonic() + WAIT_SECONDS
    while services.sync_status(Campaign.objects.get(pk=campaign.pk)).status != "done":
        assert time.monotonic() < deadline, services.progress(campaign)
        time.sleep(0.5)
    held = set(CampaignHoldout.objects.filter(campaign=campaign).values_list("contact", flat=True))
    messages = Message.objects.filter(dispatch__campaign_arm__campaign=campaign)
    assert messages.count() + len(held) == 310
    assert not messages.filter(contact__in=held).exists()
    opted_out = messages.filter(contact__sms_consent="opt_out")
    assert set(opted_out.values_list("status", flat=True)) <= {Message.Status.SUPPRESSED}
    eligible = messages.exclude(contact__sms_consent="opt_out")
    accepted = Attempt.objects.filter(message__in=eligible, status=Attempt.Status.SENT)
    assert accepted.values("message").distinct().count() == accepted.count() == eligible.count()
    assert not Attempt.objects.filter(message__in=opted_out).exists()
    sms_arm = Attempt.objects.filter(message__arm="sms").values_list("channel", flat=True)
    assert set(sms_arm) == {"sms"}
