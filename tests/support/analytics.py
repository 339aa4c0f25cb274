"""Campaigns with arms and messages in any state, for the rollup and dashboard tests."""

from datetime import UTC, datetime

from campaigns.models import CampaignArm
from sending.models import Attempt, Message
from tests.factories import make_campaign, make_contact, make_dispatch

T0 = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)  # a Monday


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
