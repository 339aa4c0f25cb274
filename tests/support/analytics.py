"""Campaigns with arms and messages in any state, for the rollup and dashboard tests."""

from datetime import UTC, datetime

import pytest

from campaigns.models import CampaignArm
from sending.models import Attempt, Message
from tests.factories import make_campaign, make_contact, make_dispatch

T0 = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)  # a Monday


def empty_rollup_queue():
    """Forget the messages waiting for a rollup refresh (left by earlier tests) and its lock."""
    from analytics import clickstream
    from analytics.rollups import queue

    clickstream.client().delete(*queue.keys())


@pytest.fixture
def rollup_queue():
    """The rollup refresh queue, empty before and after the test; returns its module."""
    from analytics.rollups import queue

    empty_rollup_queue()
    yield queue
    empty_rollup_queue()


def campaign_with_arms(*arms, test_mode=False, **overrides):
    """A campaign of test_mode with one dispatch per arm; returns (campaign, {arm: dispatch})."""
    campaign = make_campaign(test_mode=test_mode, **overrides)
    dispatches = {}
    for arm in arms or ("",):
        dispatch = make_dispatch(campaign.template_version, test_mode=test_mode)
        CampaignArm.objects.create(campaign=campaign, dispatch=dispatch, arm=arm)
        dispatches[arm] = dispatch
    return campaign, dispatches


def message(dispatch, *, arm="", intended="rcs", final="", status="queued", **fields):
    """A message of dispatch to a new contact of its mode."""
    fields.setdefault("sms_segments", 1)
    return Message.objects.create(
        contact=make_contact(test_mode=dispatch.test_mode),
        template_version=dispatch.template_version,
        dispatch=dispatch,
        arm=arm,
        traffic_type="PROMOTION",
        intended_channel=intended,
        final_channel=final,
        status=status,
        rcs_ttl_seconds=3600,
        provider="simulator",
        test_mode=dispatch.test_mode,
        **fields,
    )


def tap(message, cta_id, at=T0, kind="human"):
    """A click of message's CTA on its tracked link (unique when it is the first human one)."""
    from analytics.models import Click

    first = (
        kind == "human"
        and not Click.objects.filter(message=message, cta_id=cta_id, is_unique=True).exists()
    )
    return Click.objects.create(
        message=message,
        dispatch=message.dispatch,
        cta_index=0,
        cta_id=cta_id,
        channel=message.final_channel or message.intended_channel,
        kind=kind,
        agent="browser",
        is_unique=first,
        occurred_at=at,
        test_mode=message.test_mode,
    )


def fail(message, error_code, channel="rcs", at=T0):
    """End message failed, with an attempt carrying error_code."""
    Attempt.objects.update_or_create(
        message=message,
        channel=channel,
        defaults={"provider": "simulator", "status": "failed", "error_code": error_code},
    )
    message.status = Message.Status.FAILED
    message.status_reason = Message.Reason.REFUSED
    message.failed_at = at
    message.save()


def channel_test(name, start, contacts=400, holdout=20):
    """A live channel test sent from start over six hours, with rates like the field's:
    RCS clicks ~15 %, SMS ~3 %, some fallbacks and failures, a few STOPs; rollups rebuilt."""
    from datetime import timedelta

    from audience.models import ConsentEntry
    from campaigns.models import CampaignHoldout

    campaign, dispatches = campaign_with_arms(
        "rcs", "sms", experiment="channel", holdout_share=0.05, name=name
    )
    campaign.launched_at = start
    campaign.status = "done"
    campaign.save()
    for index in range(contacts):
        at = start + timedelta(hours=index % 6, minutes=index % 50)
        arm = "rcs" if index % 2 else "sms"
        dispatch = dispatches[arm]
        if arm == "sms":
            m = message(
                dispatch,
                arm=arm,
                intended="sms",
                final="sms",
                status="delivered",
                sms_segments=2,
                sent_at=at,
            )
            clicked = index % 34 == 0
        elif index % 13 == 1:
            m = message(
                dispatch,
                arm=arm,
                final="sms",
                status="delivered",
                fallback_reason="not_reachable",
                sent_at=at,
            )
            clicked = index % 3 == 0
        else:
            m = message(
                dispatch,
                arm=arm,
                final="rcs",
                status="read" if index % 3 else "delivered",
                sent_at=at,
            )
            clicked = index % 7 in (1, 3)
        if index % 41 == 5:
            fail(m, "30003" if arm == "sms" else "E404", channel=m.final_channel)
            continue
        if clicked:
            tap(m, "cta_offres", at + timedelta(minutes=3))
            if index % 5 == 0:
                tap(m, "cta_magasin", at + timedelta(minutes=4))
        if index % 97 == 3:
            ConsentEntry.objects.create(
                contact=m.contact,
                kind="opt_out",
                source="inbound_stop",
                wording="STOP",
                occurred_at=at + timedelta(minutes=30),
            )
    for _ in range(holdout):
        CampaignHoldout.objects.create(campaign=campaign, contact=make_contact(test_mode=False))
    return campaign
