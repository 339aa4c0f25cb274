"""The raw rows behind a message's counts: its clicks, its conversions and its opt-outs.

Each function takes many messages at once and answers in a few queries, so refreshing a
batch of a thousand messages costs the same handful of queries as refreshing one.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings

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


def holdout_conversions(campaign_ids, test_mode):
    """The Group of the campaigns' holdout contacts: every conversion of theirs in the window."""
    from campaigns.models import CampaignHoldout

    return _groups(
        campaign_ids,
        test_mode,
        lambda campaign: CampaignHoldout.objects.filter(campaign=campaign).values("contact_id"),
    )


def treated_conversions(campaign_ids, test_mode):
    """The Group of the contacts the campaigns addressed (a message each, sent or not: the
    holdout was drawn from the same audience): every conversion of theirs in the window,
    attributed to a message or not, like the holdout's."""
    return _groups(
        campaign_ids,
        test_mode,
        lambda campaign: Message.objects.filter(
            dispatch__campaign_arm__campaign=campaign, draft_test=False
        ).values("contact_id"),
    )


def _groups(campaign_ids, test_mode, members_of):
    from campaigns.models import Campaign

    contacts = buyers = conversions = 0
    totals = defaultdict(lambda: [Decimal(0), 0.0])
    for campaign in Campaign.objects.filter(pk__in=campaign_ids, test_mode=test_mode):
        members = members_of(campaign)
        contacts += members.order_by().values("contact_id").distinct().count()
        window = window_of(campaign)
        if window is None:
            continue
        # {currency: {contact: revenue}}: a contact's orders in two currencies stay apart.
        per_contact = defaultdict(lambda: defaultdict(lambda: Decimal(0)))
        ordered = set()
        rows = Conversion.objects.filter(
            test_mode=test_mode,
            contact_id__in=members,
            occurred_at__gte=window[0],
            occurred_at__lt=window[1],
        ).values_list("contact_id", "value", "currency")
        for contact_id, value, currency in rows:
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
