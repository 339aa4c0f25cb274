"""The demo data: opted-in demo recipients where the demo (test) key's sends look for them, and
the demo campaigns launched through the campaign services for the workers to send."""

from datetime import datetime

import pytest
from django.core.management import call_command

from audience.models import CapabilityAudit, ConsentEntry, Contact
from campaigns import demo
from campaigns.models import Campaign
from messaging.providers.simulation import DEMO_AUDIENCE_PREFIX
from sending import services
from sending.models import Message

pytestmark = pytest.mark.django_db


def test_demo_recipients_are_test_contacts_opted_in(jobs):
    call_command("seed_demo", verbosity=0)

    assert not Contact.objects.live().exists()
    assert Contact.objects.test().filter(phone="+33612345678").exists()
    assert not ConsentEntry.objects.live().exists()
    # The docs' example request, as the demo key (a test key) makes it.
    message = services.submit_message(
        template_id="promo_soldes_v1",
        recipient="+33612345678",
        variables={"prenom": "Marie", "duree_offre": "48h"},
        test_mode=True,
    )
    assert message.contact.allows_promotions()


def test_seed_demo_launches_a_channel_test_and_a_content_test_once(jobs):
    call_command("seed_demo", verbosity=0)

    audience = Contact.objects.filter(phone__startswith=DEMO_AUDIENCE_PREFIX)
    assert audience.count() == 3000
    assert audience.filter(test_mode=True).promotable().count() == 3000
    channel = Campaign.objects.get(name=demo.CHANNEL_TEST)
    content = Campaign.objects.get(name=demo.CONTENT_TEST)
    for campaign in (channel, content):
        assert campaign.test_mode
        assert campaign.status == Campaign.Status.SENDING
        # About 5 % held out, drawn by the campaign's fixed seed.
        held = campaign.holdout.count()
        assert 0.02 < held / campaign.contact_list.memberships.count() < 0.08
    # The channel test splits the contacts the audit found capable; the others are outside.
    assert CapabilityAudit.objects.get(contact_list=channel.contact_list).status == "done"
    messages = Message.objects.filter(dispatch__campaign_arm__campaign=channel)
    arms = {arm: messages.filter(arm=arm).count() for arm in ("rcs", "sms", "outside")}
    assert all(arms.values()) and sum(arms.values()) == 2000 - channel.holdout.count()
    # Outside the test: the numbers the simulator says are not RCS capable (~15 %).
    assert 0.10 < arms["outside"] / sum(arms.values()) < 0.20
    # A first share of exactly 10 % of each arm (rounded) goes out; the rest waits for the
    # automatic check.
    share = services.FirstShare(channel.rollout_share, seed="")
    for arm, count in arms.items():
        assert messages.filter(arm=arm, stage=0).count() == share.size(count)
    assert "check_rollout" in jobs.names()
    content_arms = Message.objects.filter(dispatch__campaign_arm__campaign=content)
    assert set(content_arms.values_list("arm", flat=True)) == {"a", "b"}
    assert not Message.objects.filter(test_mode=False).exists()
    # Launched, not sent: the workers send the batches.
    assert set(Message.objects.filter(arm__in=("rcs", "a")).values_list("status", flat=True)) == {
        Message.Status.QUEUED
    }

    counts = (Contact.objects.count(), Campaign.objects.count(), Message.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Contact.objects.count(), Campaign.objects.count(), Message.objects.count()) == counts


def test_seed_demo_says_when_quiet_hours_hold_the_demo_back(jobs, settings):
    settings.QUIET_HOURS_POLICY = "fr"
    # A Sunday: promotions wait for Monday 08:00 in Paris.
    sunday = datetime.fromisoformat("2026-03-01T12:00:00+00:00")
    call_command("seed_templates", verbosity=0)

    seeded = demo.seed(now=sunday)

    assert len(seeded.campaigns) == 2
    assert seeded.waits_until.isoformat() == "2026-03-02T07:00:00+00:00"
