"""Clicks and conversions reach the rollups through the refresh queue; the holdout against
the contacts addressed, over the same window, with numbers computed by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from analytics import experiments
from analytics.attribution import record_conversion
from analytics.models import Conversion, CurrencyRollup, Rollup
from analytics.rollups import holdout, sources
from analytics.rollups.apply import refresh
from analytics.rollups.rebuild import rebuild
from analytics.services import drain_clicks
from campaigns.models import CampaignHoldout
from sending.models import Message
from sending.services import ingest
from tests.analytics.test_clicks import postback
from tests.factories import make_contact
from tests.support.analytics import T0, campaign_with_arms, message
from tests.support.conversions import order
from tests.support.links import code_of, make_tracked_message, tracked
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db

HEADERS = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) Mobile", "Accept-Language": "fr"}


def total(name):
    return Rollup.objects.aggregate(n=Sum(name))["n"]


def revenues():
    """{currency: (conversions, revenue)} over every currency rollup."""
    rows = CurrencyRollup.objects.values("currency").annotate(
        n=Sum("conversions"), amount=Sum("revenue")
    )
    return {row["currency"]: (row["n"], row["amount"]) for row in rows if row["n"]}


def counted_message(rollup_queue):
    """A delivered message with tracked links, already in the rollups."""
    made = make_tracked_message()
    rollup_queue.mark([made.pk])
    rollup_queue.drain()
    assert total("messages") == 1
    return made


def test_drained_clicks_reach_the_rollups(client, click_stream, rollup_queue):
    tracked_message = counted_message(rollup_queue)
    client.get(f"/l/{code_of(tracked(tracked_message, 0))}", headers=HEADERS)
    client.get(f"/l/{code_of(tracked(tracked_message, 0))}", headers=HEADERS)

    assert drain_clicks() == 2
    assert total("clicks_total") == 0  # written, queued, not refreshed yet
    rollup_queue.drain()

    assert (total("clicks_total"), total("clicks_unique")) == (2, 1)


def test_a_recorded_conversion_reaches_the_rollups_in_its_own_currency(
    rollup_queue, django_capture_on_commit_callbacks
):
    delivered = counted_message(rollup_queue)
    assert total("conversions") == 0

    with django_capture_on_commit_callbacks(execute=True):
        record_conversion(
            order_id="CMD-1", value=Decimal("89.90"), currency="EUR", message_id=delivered.public_id
        )
        record_conversion(
            order_id="CMD-2", value=Decimal("10.00"), currency="EUR", message_id=delivered.public_id
        )
        record_conversion(
            order_id="CMD-3", value=Decimal("50.00"), currency="USD", message_id=delivered.public_id
        )
    assert total("conversions") == 0
    rollup_queue.drain()

    # Three orders credited; euros add up (89.90 + 10.00), dollars stay dollars.
    assert total("conversions") == 3
    assert revenues() == {"EUR": (2, Decimal("99.90")), "USD": (1, Decimal("50.00"))}
    assert sources.conversions_of([delivered.pk]) == {
        delivered.pk: [(Decimal("89.90"), "EUR"), (Decimal("10.00"), "EUR"), (Decimal(50), "USD")]
    }

    # An order deleted (by hand, in the shell) leaves the rollups too.
    with django_capture_on_commit_callbacks(execute=True):
        Conversion.objects.get(order_id="CMD-1").delete()
        Conversion.objects.get(order_id="CMD-3").delete()
    rollup_queue.drain()
    assert total("conversions") == 1
    assert revenues() == {"EUR": (1, Decimal("10.00"))}


def test_an_unattributed_order_adds_nothing_to_a_message(rollup_queue):
    sent = make_tracked_message()
    Conversion.objects.create(
        order_id="CMD-9", value=Decimal(5), currency="EUR", occurred_at=T0, contact=sent.contact
    )

    assert sources.conversions_of([sent.pk]) == {}


@pytest.fixture
def campaign_with_holdout(settings):
    """Launched at T0 with a 5-day window. Addressed: four contacts (one message each, one of
    them failed). Holdout: three contacts.

    - addressed 1: 10 € on day 1 and 20 € on day 4 (an order attributed to nothing);
    - addressed 2: 5 USD on day 2 (an order, no euros);
    - addressed 3: 100 € on day 6 (after the window: not counted);
    - addressed 4: nothing;
    - holdout 1: 30 € on day 3; holdout 2: 40 € the day before the launch (not counted);
    - holdout 3: nothing.
    """
    settings.CONVERSION_CLICK_WINDOW_DAYS = 5
    campaign, dispatches = campaign_with_arms(holdout_share=0.1)
    campaign.launched_at = T0
    campaign.save()
    day = timedelta(days=1)
    addressed = [
        message(dispatches[""], final="rcs", status="delivered", sent_at=T0).contact
        for _ in range(3)
    ]
    addressed.append(message(dispatches[""], final="rcs", status="failed").contact)
    held = [make_contact() for _ in range(3)]
    for contact in held:
        CampaignHoldout.objects.create(campaign=campaign, contact=contact)
    order(addressed[0], T0 + day, "10")
    order(addressed[0], T0 + 4 * day, "20")
    order(addressed[1], T0 + 2 * day, "5", currency="USD")
    order(addressed[2], T0 + 6 * day, "100")
    order(held[0], T0 + 3 * day, "30")
    order(held[1], T0 - day, "40")
    rebuild()
    return campaign


def test_both_sides_count_every_order_of_their_contacts_in_the_window(campaign_with_holdout):
    treated = holdout.treated_conversions([campaign_with_holdout.pk], False)
    held = holdout.holdout_conversions([campaign_with_holdout.pk], False)

    # contacts, buyers, orders, {currency: (revenue, sum over contacts of revenue²)}
    assert treated == holdout.Group(
        4,
        2,
        3,
        {"EUR": holdout.Money(Decimal(30), 900.0), "USD": holdout.Money(Decimal(5), 25.0)},
    )
    assert held == holdout.Group(3, 1, 1, {"EUR": holdout.Money(Decimal(30), 900.0)})
    # The other mode has nothing.
    assert holdout.holdout_conversions([campaign_with_holdout.pk], True) == holdout.Group()


def test_the_holdout_comparison_by_hand(campaign_with_holdout):
    h = experiments.holdout(campaign_with_holdout, {})

    assert h.contacts == 3
    # Buyers: 2/4 against 1/3; (0.5 − 1/3) × 4 contacts addressed = 2/3 of a buyer.
    assert h.buyers.a.value == 0.5 and h.buyers.b.value == pytest.approx(1 / 3)
    assert h.incremental_buyers[0] == pytest.approx(2 / 3)
    # Revenue per contact: 30/4 = 7.5 € against 30/3 = 10 €; (7.5 − 10) × 4 = −10 €.
    # Dollars apart: 5/4 = 1.25 $ against 0 $; 1.25 × 4 = 5 $. Main currency first.
    assert [currency for currency, _values in h.incremental_revenues] == ["EUR", "USD"]
    euros, dollars = (values for _currency, values in h.incremental_revenues)
    assert euros[0] == pytest.approx(-10.0) and dollars[0] == pytest.approx(5.0)
    assert euros[1] < -10.0 < euros[2]
    assert h.window_days == 5


def test_a_campaign_not_launched_counts_its_contacts_and_no_order(campaign_with_holdout):
    campaign_with_holdout.launched_at = None
    campaign_with_holdout.save()

    assert holdout.holdout_conversions([campaign_with_holdout.pk], False) == holdout.Group(3)


def test_a_tap_the_provider_reported_reaches_the_rollups(
    click_stream, rollup_queue, django_capture_on_commit_callbacks
):
    tapped = counted_message(rollup_queue)

    with django_capture_on_commit_callbacks(execute=True):
        ingest("simulator", [postback(tapped, "tap-9")])
    rollup_queue.drain()

    assert (total("clicks_total"), total("clicks_unique")) == (1, 1)


def test_the_dashboard_says_what_the_holdout_is_compared_with(
    client, english, campaign_with_holdout
):
    refresh(Message.objects.values_list("pk", flat=True))
    signed_in(client, role="Viewer")
    url = f"/dashboard/?campaign={campaign_with_holdout.pk}&period=all"
    page = client.get(url).content.decode()

    assert "counting every order of both groups, attributed or not" in page
    assert "2 of the 4 contacts addressed ordered, 1 of the 3 in the holdout." in page
    assert "Incremental buyers: 0.7" in page
