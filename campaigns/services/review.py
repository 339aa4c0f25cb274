"""What a campaign would do if launched now: who gets it, who does not and why, by which
channel, for how much, and when quiet hours let it start. Read-only; progress() reads what
a launched campaign did."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from audience.audit_cost import CostEstimate
from audience.models import CAPABILITY_MAX_AGE, Consent
from campaigns.services.audiences import (
    audience_contacts,
    holdout_draw,
    plan_arms,
)
from campaigns.services.destinations import check_destinations
from messaging.providers import get_provider
from messaging.providers.base import Channel, TrafficType
from messaging.providers.modes import provider_name_for
from sending.models import Message
from sending.services import frequency, quiet_hours


@dataclass
class Review:
    audience: int
    holdout: int
    eligible: int
    # reason -> contacts: opted_out, no_consent, country_not_allowed, not_a_mobile_number,
    # frequency_cap
    excluded: dict
    rcs: int
    sms: int
    # arm -> {"contacts": n, "rcs": n, "sms": n}
    arms: dict
    # variable -> contacts that would get its default
    defaults: dict
    estimate: CostEstimate
    starts_at: datetime
    # country -> when its window opens (the closed ones only)
    waiting_for: dict = field(default_factory=dict)

    @property
    def held_by_quiet_hours(self):
        return bool(self.waiting_for)


def _consent_blocked(contacts, traffic_type):
    """(opted out, no consent) for a promotion: as the claim does, no opt-in on any channel
    blocks, opted_out when one channel says opt-out."""
    if traffic_type != TrafficType.PROMOTION:
        return contacts.none(), contacts.none()
    blocked = contacts.exclude(Q(sms_consent=Consent.OPT_IN) | Q(rcs_consent=Consent.OPT_IN))
    opted_out = blocked.filter(Q(sms_consent=Consent.OPT_OUT) | Q(rcs_consent=Consent.OPT_OUT))
    return opted_out, blocked.exclude(pk__in=opted_out.values("pk"))


def review(campaign, now=None) -> Review:
    now = now or timezone.now()
    version = campaign.template_version
    everyone = audience_contacts(campaign)
    holdout = holdout_draw(campaign, everyone)
    contacts = everyone.exclude(pk__in=holdout.values("pk")) if campaign.holdout_share else everyone
    opted_out, no_consent = _consent_blocked(contacts, version.traffic_type)
    excluded = Counter(opted_out=opted_out.count(), no_consent=no_consent.count())
    consenting = contacts.exclude(pk__in=opted_out.values("pk")).exclude(
        pk__in=no_consent.values("pk")
    )
    destinations = check_destinations(consenting)
    excluded.update(destinations.refused)
    countries = destinations.countries
    refused = destinations.refused_ids
    sendable = consenting.exclude(pk__in=refused) if refused else consenting
    if version.traffic_type == TrafficType.PROMOTION and frequency.cap():
        capped = (
            frequency.counted_messages(sendable.values("pk"), now, campaign.test_mode)
            .order_by()
            .values("contact_id")
            .annotate(n=Count("pk"))
            .filter(n__gte=frequency.cap())
        )
        excluded["frequency_cap"] = capped.count()
    eligible = sendable.count() - excluded.get("frequency_cap", 0)
    arms = _arms(campaign, sendable, now)
    rcs = sum(arm["rcs"] for arm in arms.values())
    sms = sum(arm["sms"] for arm in arms.values())
    start = max(now, campaign.send_at or now)
    waiting_for = {}
    if quiet_hours.applies_to(version.traffic_type):
        for country in countries:
            opens = quiet_hours.next_open(country, start)
            if opens > start:
                waiting_for[country] = opens
    # It starts when the first country's window opens (now if one is open).
    all_closed = waiting_for and len(waiting_for) == len(countries)
    starts_at = min(waiting_for.values()) if all_closed else start
    segments = (
        max(
            [v.sms_segments for v in (version, campaign.template_version_b) if v is not None] or [1]
        )
        or 1
    )
    return Review(
        audience=everyone.count(),
        holdout=holdout.count(),
        eligible=eligible,
        excluded={reason: n for reason, n in excluded.items() if n},
        rcs=rcs,
        sms=sms,
        arms=arms,
        defaults=_defaults(campaign, sendable),
        estimate=CostEstimate(
            rcs_messages=rcs,
            sms_messages=sms,
            sms_segments=segments,
            rcs_price=settings.RCS_PRICE_EUR,
            sms_segment_price=settings.SMS_SEGMENT_PRICE_EUR,
        ),
        starts_at=starts_at,
        waiting_for=waiting_for,
    )


def _arms(campaign, contacts, now):
    """Per arm: contacts, and how many RCS would carry (routing: SMS for the ones known not
    capable; everything SMS under sms_only or when the provider has no RCS)."""
    rcs_possible = Channel.RCS in get_provider(provider_name_for(campaign.test_mode)).channels
    known_not = Q(rcs_capable=False, rcs_checked_at__gte=now - CAPABILITY_MAX_AGE)
    arms = {}
    for planned in plan_arms(campaign, contacts, now):
        total = planned.contacts.count()
        if planned.policy == Message.Policy.SMS_ONLY or not rcs_possible:
            rcs = 0
        else:
            rcs = planned.contacts.exclude(known_not).count()
        arms[planned.arm] = {"contacts": total, "rcs": rcs, "sms": total - rcs}
    return arms


def _defaults(campaign, contacts):
    """How many contacts would get each variable's default (its source is empty for them)."""
    answers = {}
    for name, rule in campaign.variables.items():
        if "field" in rule:
            empty = Q(**{rule["field"]: ""})
        elif "attribute" in rule:
            key = f"attributes__{rule['attribute']}"
            empty = Q(**{f"{key}__isnull": True}) | Q(**{key: ""})
        else:
            continue
        answers[name] = contacts.filter(empty).count()
    return answers


def progress(campaign) -> dict:
    """What a launched campaign did so far: counts by status, by channel and by arm, the
    holdout, and when messages held by quiet hours go out."""
    messages = Message.objects.filter(dispatch__campaign_arm__campaign=campaign)
    channel = Coalesce(NullIf("final_channel", Value("")), "intended_channel")
    rows = (
        messages.order_by()
        .annotate(channel=channel)
        .values_list("arm", "channel", "status")
        .annotate(n=Count("pk"))
    )
    by_status, by_channel, by_arm = Counter(), {}, {}
    for arm, chan, status, n in rows:
        by_status[status] += n
        by_channel.setdefault(chan, Counter())[status] += n
        by_arm.setdefault(arm or "all", Counter())[status] += n
    waiting = (
        messages.filter(status=Message.Status.QUEUED, status_reason=Message.Reason.QUIET_HOURS)
        .order_by("not_before")
        .values_list("not_before", flat=True)
        .first()
    )
    return {
        "total": sum(by_status.values()),
        "by_status": dict(by_status),
        "by_channel": {k: dict(v) for k, v in by_channel.items()},
        "by_arm": {k: dict(v) for k, v in by_arm.items()},
        "holdout": campaign.holdout.count(),
        "next_window": waiting,
    }
