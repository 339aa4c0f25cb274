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
from campaigns.services.audiences import arm_conditions, audience_contacts, holdout_condition
from campaigns.services.destinations import check_other_destinations, french_mobiles_regex
from campaigns.services.draws import NOBODY
from messaging.providers import get_provider
from messaging.providers.modes import provider_name_for
from messaging.providers.normalized import Channel, TrafficType
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


def review(campaign, now=None) -> Review:
    """What launching the campaign now would do. Every count is one pass over the audience
    (COUNT(*) FILTER (WHERE ...) per figure on PostgreSQL, CASE WHEN on an older SQLite); the
    numbers that are not French mobiles are read once more, to check them in Python."""
    now = now or timezone.now()
    version = campaign.template_version
    everyone = audience_contacts(campaign)
    held = holdout_condition(campaign, everyone)
    blocked, opted_out = _consent_blocked(version.traffic_type)
    consenting = ~held & ~blocked
    regex = french_mobiles_regex()
    french_mobile = Q(phone__regex=regex) if regex is not None else NOBODY
    destinations = check_other_destinations(everyone.filter(consenting & ~french_mobile))
    refused = destinations.refused_ids
    sendable = consenting & ~Q(pk__in=refused) if refused else consenting
    counts = {
        "audience": Q(),
        "holdout": held,
        "opted_out": ~held & opted_out,
        "no_consent": ~held & blocked & ~opted_out,
        "french_mobiles": consenting & french_mobile,
        "sendable": sendable,
        "frequency_cap": sendable & _capped(campaign, everyone, now),
    }
    arm_counts = _arm_conditions(campaign, everyone, sendable, now)
    for arm, (contacts, rcs) in arm_counts.items():
        counts[f"arm:{arm}:contacts"] = contacts
        counts[f"arm:{arm}:rcs"] = rcs
    for name, empty in _default_conditions(campaign).items():
        counts[f"default:{name}"] = sendable & empty
    found = everyone.aggregate(
        **{
            name: Count("pk", filter=condition) if condition else Count("pk")
            for name, condition in counts.items()
        }
    )
    excluded = Counter(
        opted_out=found["opted_out"],
        no_consent=found["no_consent"],
        frequency_cap=found["frequency_cap"],
    )
    excluded.update(destinations.refused)
    countries = set(destinations.countries)
    if found["french_mobiles"]:
        countries.add("FR")
    arms = {}
    for arm in arm_counts:
        total, rcs = found[f"arm:{arm}:contacts"], found[f"arm:{arm}:rcs"]
        arms[arm] = {"contacts": total, "rcs": rcs, "sms": total - rcs}
    rcs = sum(arm["rcs"] for arm in arms.values())
    sms = sum(arm["sms"] for arm in arms.values())
    starts_at, waiting_for = _start(campaign, version, countries, now)
    segments = (
        max(
            [v.sms_segments for v in (version, campaign.template_version_b) if v is not None] or [1]
        )
        or 1
    )
    return Review(
        audience=found["audience"],
        holdout=found["holdout"],
        eligible=found["sendable"] - found["frequency_cap"],
        excluded={reason: n for reason, n in excluded.items() if n},
        rcs=rcs,
        sms=sms,
        arms=arms,
        defaults={name: found[f"default:{name}"] for name in _default_conditions(campaign)},
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


def _consent_blocked(traffic_type):
    """(blocked, opted out) conditions for a promotion: as the claim does, no opt-in on any
    channel blocks, and the blocked are opted_out when one channel says opt-out (no_consent
    otherwise). Other traffic needs no consent."""
    if traffic_type != TrafficType.PROMOTION:
        return NOBODY, NOBODY
    blocked = ~(Q(sms_consent=Consent.OPT_IN) | Q(rcs_consent=Consent.OPT_IN))
    return blocked, blocked & (Q(sms_consent=Consent.OPT_OUT) | Q(rcs_consent=Consent.OPT_OUT))


def _capped(campaign, everyone, now):
    """The contacts who already had their promotions of the last 24 hours now."""
    if campaign.template_version.traffic_type != TrafficType.PROMOTION or not frequency.cap():
        return NOBODY
    capped = (
        frequency.counted_messages(everyone.values("pk"), now, campaign.test_mode)
        .order_by()
        .values("contact_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=frequency.cap())
        .values("contact_id")
    )
    return Q(pk__in=capped)


def _arm_conditions(campaign, everyone, sendable, now):
    """Per arm: (its contacts, the ones RCS would carry) as conditions. Routing sends SMS to
    the contacts known not capable, and everything under sms_only or when the provider has
    no RCS."""
    rcs_possible = Channel.RCS in get_provider(provider_name_for(campaign.test_mode)).channels
    known_not = Q(rcs_capable=False, rcs_checked_at__gte=now - CAPABILITY_MAX_AGE)
    arms = {}
    for arm, _version, policy, condition in arm_conditions(campaign, everyone, now):
        contacts = sendable & condition
        if policy == Message.Policy.SMS_ONLY or not rcs_possible:
            arms[arm] = (contacts, NOBODY)
        else:
            arms[arm] = (contacts, contacts & ~known_not)
    return arms


def _default_conditions(campaign):
    """Per variable filled from a contact, the condition of an empty source (its default)."""
    conditions = {}
    for name, rule in campaign.variables.items():
        if "field" in rule:
            conditions[name] = Q(**{rule["field"]: ""})
        elif "attribute" in rule:
            key = f"attributes__{rule['attribute']}"
            conditions[name] = Q(**{f"{key}__isnull": True}) | Q(**{key: ""})
    return conditions


def _start(campaign, version, countries, now):
    """(when it starts, {country: opening} of the countries closed by quiet hours then)."""
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
    return starts_at, waiting_for


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
