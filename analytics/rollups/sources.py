"""The raw rows behind a message's counts: its clicks, its conversions and its opt-outs.

Each function takes many messages at once and answers in a few queries, so refreshing a
batch of a thousand messages costs the same handful of queries as refreshing one.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Sum

from analytics.models import Click, Conversion
from audience.models import ConsentEntry
from sending.models import Message

# A reply STOP or an unsubscribe button within this long after a message counts against it.
OPT_OUT_WINDOW = timedelta(days=7)
OPT_OUT_SOURCES = (ConsentEntry.Source.INBOUND_STOP, ConsentEntry.Source.RCS_BUTTON)

HUMAN, BOT, SUSPECTED = "human", "bot", "suspected"
KINDS = {Click.Kind.HUMAN: HUMAN, Click.Kind.BOT: BOT, Click.Kind.SUSPECTED_BOT: SUSPECTED}


def clicks_of(message_ids):
    """{message_id: [(cta_id, kind), ...]}: every tap and click, kind human, bot or suspected.

    Tracked-link clicks and the button taps providers report (RCS postbacks) are both Click
    rows, under the same CTA id, so a button has one funnel whatever channel carried it.
    """
    found = defaultdict(list)
    rows = Click.objects.filter(message_id__in=message_ids).values_list(
        "message_id", "cta_id", "kind"
    )
    for message_id, cta_id, kind in rows:
        found[message_id].append((cta_id, KINDS[kind]))
    return found


def conversions_of(message_ids):
    """{message_id: [(value, currency), ...]}: the conversions attributed to each message."""
    found = defaultdict(list)
    rows = (
        Conversion.objects.filter(message_id__in=message_ids)
        .exclude(attributed_by="")
        .order_by("pk")
        .values_list("message_id", "value", "currency")
    )
    for message_id, value, currency in rows:
        found[message_id].append((value, currency))
    return found


@dataclass(frozen=True)
class Money:
    """Revenue of a group in one currency: the sum over contacts of each contact's revenue in
    that currency, and the sum of its squares (the variance of revenue per contact)."""

    total: Decimal = Decimal(0)
    total_sq: float = 0.0


@dataclass(frozen=True)
class Group:
    """The conversions of a group of contacts over a campaign's window.

    contacts: contacts in the group; buyers: those with at least one conversion; conversions:
    their orders, in any currency; revenues: {currency: Money}, never added across currencies.
    """

    contacts: int = 0
    buyers: int = 0
    conversions: int = 0
    revenues: dict = field(default_factory=dict)

    def revenue_in(self, currency):
        return self.revenues.get(currency, Money())


def window_of(campaign):
    """[launched_at, launched_at + the click window): when a campaign's effect is counted."""
    if campaign.launched_at is None:
        return None
    return campaign.launched_at, campaign.launched_at + timedelta(
        days=settings.CONVERSION_CLICK_WINDOW_DAYS
    )


def holdout_groups(campaign):
    """(treated, holdout) Groups of a campaign, remembered until an input changes.

    Computing them reads every conversion of the window and looks its contact up among the
    campaign's members: a few hundred milliseconds for a million-message campaign, on every
    view of its page. The answer only changes with its inputs, so it is kept in the cache
    under a fingerprint of them: the window, the contacts on each side (the rollups and the
    holdout), and the count, last id and last change of the conversions in the window. Any
    new, deleted or re-attributed conversion, any message counted, gives a new key.
    """
    from django.core.cache import cache

    window = window_of(campaign)
    fingerprint = [campaign.pk, campaign.test_mode, window and [w.isoformat() for w in window]]
    if window is not None:
        fingerprint.append(_addressed(campaign))
        fingerprint.append(campaign.holdout.count())
        state = Conversion.objects.filter(
            test_mode=campaign.test_mode, occurred_at__gte=window[0], occurred_at__lt=window[1]
        ).aggregate(n=Count("pk"), last=Max("pk"), changed=Max("updated"))
        fingerprint.extend([state["n"], state["last"], state["changed"] and str(state["changed"])])
    key = "analytics:holdout:" + hashlib.sha256(repr(fingerprint).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = (
            treated_conversions([campaign.pk], campaign.test_mode),
            holdout_conversions([campaign.pk], campaign.test_mode),
        )
        cache.set(key, found, timeout=HOLDOUT_CACHE_SECONDS)
    return found


# How long an unchanged holdout comparison is kept (its key changes with any new input).
HOLDOUT_CACHE_SECONDS = 24 * 3600


def warm_holdouts():
    """Compute and remember the holdout comparison of every campaign whose window is open
    (or closed less than a day ago), so its page finds it ready; the number of campaigns.
    An unchanged comparison costs only its fingerprint (a few indexed queries)."""
    from django.utils import timezone

    from campaigns.models import Campaign

    since = timezone.now() - timedelta(days=settings.CONVERSION_CLICK_WINDOW_DAYS + 1)
    campaigns = list(Campaign.objects.filter(holdout_share__gt=0, launched_at__gte=since))
    for campaign in campaigns:
        holdout_groups(campaign)
    return len(campaigns)


def holdout_conversions(campaign_ids, test_mode):
    """The Group of the campaigns' holdout contacts: every conversion of theirs in the window."""
    from campaigns.models import CampaignHoldout

    return _groups(
        campaign_ids,
        test_mode,
        count=lambda campaign: CampaignHoldout.objects.filter(campaign=campaign).count(),
        members=lambda campaign, contact_ids: (
            CampaignHoldout.objects.filter(campaign=campaign, contact_id__in=contact_ids)
            .order_by()
            .values_list("contact_id", flat=True)
        ),
    )


def treated_conversions(campaign_ids, test_mode):
    """The Group of the contacts the campaigns addressed (a message each, sent or not: the
    holdout was drawn from the same audience): every conversion of theirs in the window,
    attributed to a message or not, like the holdout's."""
    return _groups(campaign_ids, test_mode, count=_addressed, members=_messaged)


def _addressed(campaign):
    """How many contacts the campaign addressed: its messages, read from the rollups.

    A campaign sends each contact of its audience one message, in one arm (Message is unique
    per dispatch and contact, and the arms split the audience), so messages are contacts; a
    COUNT(DISTINCT contact) over a million messages took seconds.
    """
    from analytics.rollup_models import Rollup

    found = Rollup.objects.filter(campaign_id=campaign.pk, test_mode=campaign.test_mode)
    return found.aggregate(n=Sum("messages"))["n"] or 0


def _messaged(campaign, contact_ids):
    """Those of contact_ids the campaign sent a message to."""
    from campaigns.models import CampaignArm

    dispatches = CampaignArm.objects.filter(campaign=campaign).values("dispatch_id")
    return (
        Message.objects.filter(
            contact_id__in=contact_ids, dispatch_id__in=dispatches, draft_test=False
        )
        .order_by()
        .values_list("contact_id", flat=True)
    )


# Contacts looked up at a time among a campaign's members.
MEMBERS_CHUNK = 2000


def _groups(campaign_ids, test_mode, *, count, members):
    """Start from the conversions in each campaign's window (few, by the index on the moment)
    and keep those of members (looked up by contact, a chunk at a time), rather than start
    from the members: a large campaign has a million, and a join over them took seconds."""
    from campaigns.models import Campaign

    contacts = buyers = conversions = 0
    totals = defaultdict(lambda: [Decimal(0), 0.0])
    for campaign in Campaign.objects.filter(pk__in=campaign_ids, test_mode=test_mode):
        contacts += count(campaign)
        window = window_of(campaign)
        if window is None:
            continue
        # {currency: {contact: revenue}}: a contact's orders in two currencies stay apart.
        per_contact = defaultdict(lambda: defaultdict(lambda: Decimal(0)))
        ordered = set()
        rows = list(
            Conversion.objects.filter(
                test_mode=test_mode,
                occurred_at__gte=window[0],
                occurred_at__lt=window[1],
                contact_id__isnull=False,
            )
            .order_by()
            .values_list("contact_id", "value", "currency")
        )
        candidates = sorted({row[0] for row in rows})
        found = set()
        for start in range(0, len(candidates), MEMBERS_CHUNK):
            found.update(members(campaign, candidates[start : start + MEMBERS_CHUNK]))
        for contact_id, value, currency in rows:
            if contact_id not in found:
                continue
            conversions += 1
            ordered.add(contact_id)
            per_contact[currency][contact_id] += value
        buyers += len(ordered)
        for currency, amounts in per_contact.items():
            totals[currency][0] += sum(amounts.values(), Decimal(0))
            totals[currency][1] += sum(float(v) ** 2 for v in amounts.values())
    revenues = {currency: Money(total, sq) for currency, (total, sq) in totals.items()}
    return Group(contacts, buyers, conversions, revenues)


def opt_outs_of(messages):
    """The ids of the messages (dicts with id, contact_id, sent_at) followed by an opt-out reply."""
    sent = [m for m in messages if m["sent_at"] is not None]
    if not sent:
        return set()
    entries = defaultdict(list)
    rows = ConsentEntry.objects.filter(
        contact_id__in={m["contact_id"] for m in sent},
        kind=ConsentEntry.Kind.OPT_OUT,
        source__in=OPT_OUT_SOURCES,
        occurred_at__gte=min(m["sent_at"] for m in sent),
    ).values_list("contact_id", "occurred_at")
    for contact_id, occurred_at in rows:
        entries[contact_id].append(occurred_at)
    return {
        m["id"]
        for m in sent
        if any(
            m["sent_at"] <= at <= m["sent_at"] + OPT_OUT_WINDOW for at in entries[m["contact_id"]]
        )
    }
