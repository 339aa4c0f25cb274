"""Channel and content tests and the holdout: who is drawn where, reproducibly (fixed seeds,
binomial bounds: a wrong split or a draw outside the capable contacts fails)."""

import pytest
from django.utils import timezone

from audience.models import Contact
from campaigns import services
from campaigns.models import Campaign, CampaignHoldout
from sending.models import Attempt, Message
from sending.services.snapshot import bucket
from tests.factories import make_campaign, make_published_template
from tests.support.campaigns import bulk_list, within

pytestmark = pytest.mark.django_db


def _arms(campaign):
    rows = Message.objects.filter(dispatch__campaign_arm__campaign=campaign)
    return dict(rows.values_list("contact_id", "arm"))


def _seeded(campaign, seed):
    Campaign.objects.filter(pk=campaign.pk).update(seed=seed)
    campaign.refresh_from_db()
    return campaign


def test_a_channel_test_draws_only_among_capable_contacts_with_the_configured_split(
    version, test_list, jobs
):
    now = timezone.now()
    capable = bulk_list(test_list, 300, rcs_capable=True, rcs_checked_at=now)
    not_capable = bulk_list(test_list, 60, rcs_capable=False, rcs_checked_at=now)
    unknown = bulk_list(test_list, 40)
    stale = bulk_list(
        test_list, 20, rcs_capable=True, rcs_checked_at=now - timezone.timedelta(days=40)
    )
    campaign = make_campaign(
        version, test_list, experiment=Campaign.Experiment.CHANNEL, experiment_share=0.3
    )
    campaign = _seeded(campaign, "fixed-seed-1")

    services.launch(campaign)

    arms = _arms(campaign)
    in_test = {pk for pk, arm in arms.items() if arm in ("rcs", "sms")}
    assert in_test == set(capable)
    outside = {pk for pk, arm in arms.items() if arm == "outside"}
    assert outside == set(not_capable + unknown + stale)
    rcs_arm = [pk for pk in capable if arms[pk] == "rcs"]
    assert within(len(rcs_arm), len(capable), 0.3)
    # Reproducible: each contact's arm is the seeded draw, recomputable by anyone.
    assert all(
        arms[pk] == ("rcs" if bucket("fixed-seed-1:arm", pk) < 0.3 else "sms") for pk in capable
    )
    sms_arm = Message.objects.filter(arm="sms")
    assert {(m.policy, m.intended_channel) for m in sms_arm} == {("sms_only", "sms")}
    rcs_messages = Message.objects.filter(arm="rcs")
    assert {(m.policy, m.intended_channel) for m in rcs_messages} == {("rcs_with_fallback", "rcs")}


def test_the_same_seed_draws_the_same_arms_in_review_and_launch(version, test_list, jobs):
    now = timezone.now()
    bulk_list(test_list, 120, rcs_capable=True, rcs_checked_at=now)
    campaign = _seeded(
        make_campaign(
            version, test_list, experiment=Campaign.Experiment.CHANNEL, experiment_share=0.5
        ),
        "fixed-seed-2",
    )

    report = services.review(campaign)
    services.launch(campaign)

    arms = list(_arms(campaign).values())
    assert report.arms["rcs"]["contacts"] == arms.count("rcs")
    assert report.arms["sms"]["contacts"] == arms.count("sms")
    assert report.arms["sms"]["rcs"] == 0
    assert within(arms.count("rcs"), 120, 0.5)


def test_a_content_test_sends_b_to_its_share_and_a_to_the_rest(version, test_list, jobs):
    _template, version_b = make_published_template(slug="promo_campaign_b")
    ids = bulk_list(test_list, 200)
    campaign = _seeded(
        make_campaign(
            version,
            test_list,
            experiment=Campaign.Experiment.CONTENT,
            template_version_b=version_b,
            experiment_share=0.25,
        ),
        "fixed-seed-3",
    )

    services.launch(campaign)

    messages = Message.objects.filter(dispatch__campaign_arm__campaign=campaign)
    by_arm = {arm: set() for arm in ("a", "b")}
    for message in messages:
        by_arm[message.arm].add((message.contact_id, message.template_version_id))
    assert {version_id for _pk, version_id in by_arm["b"]} == {version_b.pk}
    assert {version_id for _pk, version_id in by_arm["a"]} == {version.pk}
    assert len(by_arm["a"]) + len(by_arm["b"]) == len(ids)
    assert within(len(by_arm["b"]), len(ids), 0.25)


def test_the_holdout_gets_nothing_and_is_recorded(version, test_list, jobs, network):
    ids = bulk_list(test_list, 200)
    campaign = _seeded(make_campaign(version, test_list, holdout_share=0.2), "fixed-seed-4")

    report = services.review(campaign)
    services.launch(campaign)
    jobs.run(until=0)

    holdout = CampaignHoldout.objects.filter(campaign=campaign)
    held = set(holdout.values_list("contact_id", flat=True))
    assert held == {pk for pk in ids if bucket("fixed-seed-4:holdout", pk) < 0.2}
    assert within(len(held), len(ids), 0.2)
    assert report.holdout == len(held)
    assert report.eligible == len(ids) - len(held)
    assert not Message.objects.filter(contact_id__in=held).exists()
    sent_to = set(
        Attempt.objects.filter(status="sent").values_list("message__contact_id", flat=True)
    )
    assert sent_to == set(ids) - held
    assert services.progress(campaign)["holdout"] == len(held)


def test_review_counts_the_excluded_by_reason_and_the_cost(version, test_list, jobs, settings):
    from decimal import Decimal

    settings.RCS_PRICE_EUR = Decimal("0.06")
    settings.SMS_SEGMENT_PRICE_EUR = Decimal("0.05")
    now = timezone.now()
    bulk_list(test_list, 3, rcs_capable=True, rcs_checked_at=now, first_name="Léa")
    bulk_list(test_list, 2, rcs_capable=False, rcs_checked_at=now)
    bulk_list(test_list, 1, sms_consent="opt_out", rcs_consent="none")
    bulk_list(test_list, 1, sms_consent="none", rcs_consent="none")
    landline = bulk_list(test_list, 1)
    Contact.objects.filter(pk__in=landline).update(phone="+33142000000")
    foreign = bulk_list(test_list, 1)
    Contact.objects.filter(pk__in=foreign).update(phone="+447700900123")
    campaign = make_campaign(version, test_list)

    report = services.review(campaign)

    assert report.audience == 9
    assert report.excluded == {
        "opted_out": 1,
        "no_consent": 1,
        "not_a_mobile_number": 1,
        "country_not_allowed": 1,
    }
    assert report.eligible == 5
    assert (report.rcs, report.sms) == (3, 2)
    assert report.defaults == {"prenom": 2}
    segments = version.sms_segments
    assert report.estimate.rcs_cost == Decimal("0.18")
    assert report.estimate.sms_cost == Decimal("0.05") * 2 * segments


def test_a_segment_audience_is_drawn_the_same_way(version, jobs):
    from tests.factories import make_list, make_segment

    now = timezone.now()
    elsewhere = make_list(test_mode=True)
    ids = bulk_list(elsewhere, 150, rcs_capable=True, rcs_checked_at=now)
    bulk_list(make_list(test_mode=False), 5)  # live contacts: never in a test segment
    segment = make_segment(test_mode=True)  # every test contact
    campaign = _seeded(
        make_campaign(
            version,
            segment,
            experiment=Campaign.Experiment.CHANNEL,
            experiment_share=0.5,
            holdout_share=0.2,
        ),
        "fixed-seed-5",
    )

    report = services.review(campaign)
    services.launch(campaign)

    arms = _arms(campaign)
    held = {pk for pk in ids if bucket("fixed-seed-5:holdout", pk) < 0.2}
    assert set(arms) == set(ids) - held
    assert report.holdout == len(held) and report.eligible == len(arms)
    assert all(
        arm == ("rcs" if bucket("fixed-seed-5:arm", pk) < 0.5 else "sms")
        for pk, arm in arms.items()
    )
