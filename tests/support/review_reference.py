"""The campaign review as it was computed before its counts became one pass over the audience
(a query per figure): the reference the one-pass review is compared with, in the tests and in
bench/bench_review.py."""

from collections import Counter

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from audience.audit_cost import CostEstimate
from audience.models import CAPABILITY_MAX_AGE, Consent
from campaigns.services.audiences import audience_contacts, holdout_draw, plan_arms
from campaigns.services.destinations import check_destinations
from campaigns.services.review import Review
from messaging.providers import get_provider
from messaging.providers.modes import provider_name_for
from messaging.providers.normalized import Channel, TrafficType
from sending.models import Message
from sending.services import frequency, quiet_hours


def _consent_blocked(contacts, traffic_type):
    """(opted out, no consent) for a promotion: as the claim does, no opt-in on any channel
    blocks, opted_out when one channel says opt-out."""
    if traffic_type != TrafficType.PROMOTION:
        return contacts.none(), contacts.none()
    blocked = contacts.exclude(Q(sms_consent=Consent.OPT_IN) | Q(rcs_consent=Consent.OPT_IN))
    opted_out = blocked.filter(Q(sms_consent=Consent.OPT_OUT) | Q(rcs_consent=Consent.OPT_OUT))
    return opted_out, blocked.exclude(pk__in=opted_out.values("pk"))


def review_by_queries(campaign, now=None) -> Review:
    """The review as it was computed before the one-pass count: a query per figure."""
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
        # The ids are read first: nested as a subquery, the holdout's draw named the contacts
        # table under an alias PostgreSQL refused (the review of a campaign with a holdout
        # failed while the cap was on; the one-pass review has no such nesting).
        sendable_ids = list(sendable.values_list("pk", flat=True))
        capped = (
            frequency.counted_messages(sendable_ids, now, campaign.test_mode)
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
