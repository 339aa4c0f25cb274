"""A campaign's holdout comparison: every order of its window, of the contacts it addressed
against those of its holdout.

Which side an order's buyer is on is kept per campaign (HoldoutOrder, found by the drain loop
and by migration analytics 0007), so working the comparison out reads the window's orders
with their side in one indexed query, and looks up among the campaign's members only the
orders that arrived or changed since (a few). Looking every buyer up among a million
messages took 0.5-1.4 s.

The functions take the models as `m` (live_models() by default) so that the migration that
fills the rows can run them with its historical models.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    Q,
    Sum,
)

TREATED, HOLDOUT, NEITHER = "treated", "holdout", ""

# Contacts looked up at a time among a campaign's members.
MEMBERS_CHUNK = 2000
# How long an unchanged holdout comparison is kept (its key changes with any new input).
HOLDOUT_CACHE_SECONDS = 24 * 3600


def live_models():
    from analytics.models import Conversion, HoldoutIndex, HoldoutOrder, Rollup
    from campaigns.models import Campaign, CampaignArm, CampaignHoldout
    from sending.models import Message

    return SimpleNamespace(
        Campaign=Campaign,
        CampaignArm=CampaignArm,
        CampaignHoldout=CampaignHoldout,
        Conversion=Conversion,
        HoldoutIndex=HoldoutIndex,
        HoldoutOrder=HoldoutOrder,
        Message=Message,
        Rollup=Rollup,
    )


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

    The answer only changes with its inputs, so it is kept in the cache under a fingerprint
    of them: the window, the contacts on each side (the rollups and the holdout), and the
    count, last id and last change of the conversions in the window. Any new, deleted or
    re-attributed conversion, any message counted, gives a new key.
    """
    from django.core.cache import cache

    m = live_models()
    window = window_of(campaign)
    fingerprint = [campaign.pk, campaign.test_mode, window and [w.isoformat() for w in window]]
    if window is not None:
        fingerprint.append(_addressed(campaign, m))
        fingerprint.append(_held(campaign, m))
        state = m.Conversion.objects.filter(
            test_mode=campaign.test_mode, occurred_at__gte=window[0], occurred_at__lt=window[1]
        ).aggregate(n=Count("pk"), last=Max("pk"), changed=Max("updated"))
        fingerprint.extend([state["n"], state["last"], state["changed"] and str(state["changed"])])
    # "2": the Groups pickled before they moved here (analytics.rollups.sources) would not
    # load; an entry under the old prefix is never read and expires within a day.
    key = "analytics:holdout:2:" + hashlib.sha256(repr(fingerprint).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = (
            treated_conversions([campaign.pk], campaign.test_mode),
            holdout_conversions([campaign.pk], campaign.test_mode),
        )
        cache.set(key, found, timeout=HOLDOUT_CACHE_SECONDS)
    return found


def warm_holdouts():
    """Find the side of the new orders, then compute and remember the holdout comparison, of
    every campaign whose window is open (or closed less than a day ago), so its page finds it
    ready; the number of campaigns. An unchanged campaign costs a few indexed queries."""
    from django.utils import timezone

    m = live_models()
    since = timezone.now() - timedelta(days=settings.CONVERSION_CLICK_WINDOW_DAYS + 1)
    campaigns = list(m.Campaign.objects.filter(holdout_share__gt=0, launched_at__gte=since))
    for campaign in campaigns:
        index_orders(campaign, m)
        holdout_groups(campaign)
    return len(campaigns)


def holdout_conversions(campaign_ids, test_mode):
    """The Group of the campaigns' holdout contacts: every conversion of theirs in the window."""
    return _groups(campaign_ids, test_mode, HOLDOUT)


def treated_conversions(campaign_ids, test_mode):
    """The Group of the contacts the campaigns addressed (a message each, sent or not: the
    holdout was drawn from the same audience): every conversion of theirs in the window,
    attributed to a message or not, like the holdout's."""
    return _groups(campaign_ids, test_mode, TREATED)


def _addressed(campaign, m):
    """How many contacts the campaign addressed: its messages, read from the rollups.

    A campaign sends each contact of its audience one message, in one arm (Message is unique
    per dispatch and contact, and the arms split the audience), so messages are contacts; a
    COUNT(DISTINCT contact) over a million messages took seconds.
    """
    found = m.Rollup.objects.filter(campaign_id=campaign.pk, test_mode=campaign.test_mode)
    return found.aggregate(n=Sum("messages"))["n"] or 0


def _held(campaign, m):
    return m.CampaignHoldout.objects.filter(campaign_id=campaign.pk).count()


def members_key(campaign, m):
    """What the sides of a campaign's orders depend on besides the orders: its window and the
    contacts on each side (a rollout stage or the rest of a content test adds some)."""
    window = window_of(campaign)
    dates = window and "/".join(w.isoformat() for w in window)
    return f"{dates}|{_addressed(campaign, m)}|{_held(campaign, m)}"


def _members(campaign, side, contact_ids, m):
    """Those of contact_ids on this side: sent a message by the campaign, or in its holdout.

    Looked up by contact, a chunk at a time: a join over a million messages took seconds.
    """
    if side == TREATED:
        dispatches = m.CampaignArm.objects.filter(campaign_id=campaign.pk).values("dispatch_id")
        members = m.Message.objects.filter(dispatch_id__in=dispatches, draft_test=False)
    else:
        members = m.CampaignHoldout.objects.filter(campaign_id=campaign.pk)
    found = set()
    for start in range(0, len(contact_ids), MEMBERS_CHUNK):
        chunk = contact_ids[start : start + MEMBERS_CHUNK]
        found.update(
            members.filter(contact_id__in=chunk).order_by().values_list("contact_id", flat=True)
        )
    return found


def _window_orders(campaign, window, m):
    return m.Conversion.objects.filter(
        test_mode=campaign.test_mode,
        occurred_at__gte=window[0],
        occurred_at__lt=window[1],
        contact_id__isnull=False,
    ).order_by()


def _with_side(orders, campaign):
    """The orders with their HoldoutOrder row of this campaign (if any) as `side_row`."""
    return orders.annotate(
        side_row=FilteredRelation(
            "holdout_orders", condition=Q(holdout_orders__campaign_id=campaign.pk)
        )
    )


def _unseen():
    """Orders without a side, or changed since it was found (`updated` only moves forward)."""
    return Q(side_row__isnull=True) | Q(side_row__seen__lt=F("updated"))


def index_orders(campaign, m=None):
    """Find the side of the orders of the campaign's window that have none or changed since
    (every order of the window when the campaign's members changed); how many were found."""
    m = m or live_models()
    window = window_of(campaign)
    if window is None:
        return 0
    # Read before the members are looked up: one added meanwhile makes the next pass redo it.
    key = members_key(campaign, m)
    with transaction.atomic():
        index, created = m.HoldoutIndex.objects.select_for_update().get_or_create(
            campaign_id=campaign.pk, defaults={"members": key}
        )
        if not created and index.members != key:
            m.HoldoutOrder.objects.filter(campaign_id=campaign.pk).delete()
            index.members = key
            index.save()
        unseen = list(
            _with_side(_window_orders(campaign, window, m), campaign)
            .filter(_unseen())
            .values_list("pk", "contact_id", "updated")
        )
        if not unseen:
            return 0
        contacts = sorted({contact_id for _pk, contact_id, _updated in unseen})
        treated = _members(campaign, TREATED, contacts, m)
        held = _members(campaign, HOLDOUT, contacts, m)
        ids = [pk for pk, _contact_id, _updated in unseen]
        for start in range(0, len(ids), MEMBERS_CHUNK):
            m.HoldoutOrder.objects.filter(
                campaign_id=campaign.pk, conversion_id__in=ids[start : start + MEMBERS_CHUNK]
            ).delete()
        sides = dict.fromkeys(held, HOLDOUT) | dict.fromkeys(treated, TREATED)
        m.HoldoutOrder.objects.bulk_create(
            [
                m.HoldoutOrder(
                    campaign_id=campaign.pk,
                    conversion_id=pk,
                    side=sides.get(contact_id, NEITHER),
                    seen=updated,
                )
                for pk, contact_id, updated in unseen
            ],
            batch_size=1000,
        )
    return len(unseen)


def index_all(m=None):
    """index_orders() of every launched campaign with a holdout; how many orders were found."""
    m = m or live_models()
    campaigns = m.Campaign.objects.filter(holdout_share__gt=0, launched_at__isnull=False)
    return sum(index_orders(campaign, m) for campaign in campaigns.order_by("pk"))


def _orders_of(campaign, window, side, m):
    """[(contact, value, currency)] of the window's orders whose buyer is on this side.

    Orders whose side is known are read with it (one query, by the window's index and the
    rows' unique index); the others (new, changed, or all when the campaign's members changed
    since the sides were found) are looked up among the members.
    """
    orders = _window_orders(campaign, window, m)
    indexed = m.HoldoutIndex.objects.filter(campaign_id=campaign.pk).values_list(
        "members", flat=True
    )
    if indexed.first() == members_key(campaign, m):
        # Whether the side is unknown, as a boolean worked out in SQL: loading two timestamps
        # a row into Python cost more than the query itself.
        rows = (
            _with_side(orders, campaign)
            .filter(Q(side_row__side=side) | _unseen())
            .annotate(unseen=ExpressionWrapper(_unseen(), output_field=BooleanField()))
            .values_list("contact_id", "value", "currency", "unseen")
        )
        known = [(c, v, cur) for c, v, cur, unseen in rows if not unseen]
        rest = [(c, v, cur) for c, v, cur, unseen in rows if unseen]
    else:
        known, rest = [], list(orders.values_list("contact_id", "value", "currency"))
    found = _members(campaign, side, sorted({row[0] for row in rest}), m)
    return known + [row for row in rest if row[0] in found]


def _groups(campaign_ids, test_mode, side):
    """The Group of this side of the campaigns: its contacts and their orders in the window."""
    m = live_models()
    count = _addressed if side == TREATED else _held
    contacts = buyers = conversions = 0
    totals = defaultdict(lambda: [Decimal(0), 0.0])
    for campaign in m.Campaign.objects.filter(pk__in=campaign_ids, test_mode=test_mode):
        contacts += count(campaign, m)
        window = window_of(campaign)
        if window is None:
            continue
        # {currency: {contact: revenue}}: a contact's orders in two currencies stay apart.
        per_contact = defaultdict(lambda: defaultdict(lambda: Decimal(0)))
        ordered = set()
        for contact_id, value, currency in _orders_of(campaign, window, side, m):
            conversions += 1
            ordered.add(contact_id)
            per_contact[currency][contact_id] += value
        buyers += len(ordered)
        for currency, amounts in per_contact.items():
            totals[currency][0] += sum(amounts.values(), Decimal(0))
            totals[currency][1] += sum(float(v) ** 2 for v in amounts.values())
    revenues = {currency: Money(total, sq) for currency, (total, sq) in totals.items()}
    return Group(contacts, buyers, conversions, revenues)
