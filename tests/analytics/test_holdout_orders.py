"""The side of each order in a campaign's holdout comparison is kept (HoldoutOrder): the
comparison reads it instead of looking every buyer up among the campaign's members, and gives
the same answer as the lookup whatever arrived or changed since the sides were found."""

from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from analytics.models import Conversion, HoldoutOrder
from analytics.rollups import holdout
from analytics.rollups.rebuild import rebuild
from campaigns.models import CampaignHoldout
from tests.factories import make_contact
from tests.support.analytics import T0, campaign_with_arms, message
from tests.support.conversions import order
from tests.support.migrations import back_to

DAY = timedelta(days=1)


def make_campaign_with_orders(settings):
    """Launched at T0, 5-day window; three contacts addressed, two in the holdout, one of
    neither. Orders in the window: addressed 10 € and 5 USD, holdout 30 €, neither 99 €;
    after the window: addressed 100 €."""
    settings.CONVERSION_CLICK_WINDOW_DAYS = 5
    campaign, dispatches = campaign_with_arms(holdout_share=0.1)
    campaign.launched_at = T0
    campaign.save()
    addressed = [message(dispatches[""], status="delivered", sent_at=T0).contact for _ in range(3)]
    held = [make_contact() for _ in range(2)]
    for contact in held:
        CampaignHoldout.objects.create(campaign=campaign, contact=contact)
    order(addressed[0], T0 + DAY, "10")
    order(addressed[1], T0 + 2 * DAY, "5", currency="USD")
    order(addressed[2], T0 + 6 * DAY, "100")
    order(held[0], T0 + 3 * DAY, "30")
    order(make_contact(), T0 + DAY, "99")
    rebuild()
    return campaign, dispatches, addressed, held


def groups(campaign):
    return (
        holdout.treated_conversions([campaign.pk], False),
        holdout.holdout_conversions([campaign.pk], False),
    )


def lookups(queries):
    """The queries that looked contacts up among a campaign's messages or holdout."""
    return [q for q in queries if 'contact_id" IN' in q["sql"]]


EXPECTED = (
    holdout.Group(
        3, 2, 2, {"EUR": holdout.Money(Decimal(10), 100.0), "USD": holdout.Money(Decimal(5), 25.0)}
    ),
    holdout.Group(2, 1, 1, {"EUR": holdout.Money(Decimal(30), 900.0)}),
)


@pytest.mark.django_db
def test_found_sides_are_read_without_looking_buyers_up(settings):
    campaign, *_rest = make_campaign_with_orders(settings)
    assert groups(campaign) == EXPECTED  # nothing found yet: every buyer looked up

    assert holdout.index_orders(campaign) == 4  # the four orders of the window
    assert dict(
        HoldoutOrder.objects.filter(campaign=campaign).values_list("conversion__value", "side")
    ) == {Decimal(10): "treated", Decimal(5): "treated", Decimal(30): "holdout", Decimal(99): ""}
    with CaptureQueriesContext(connection) as queries:
        assert groups(campaign) == EXPECTED
    assert lookups(queries) == []
    # Nothing new: a second pass finds nothing to do.
    assert holdout.index_orders(campaign) == 0


@pytest.mark.django_db
def test_an_order_arrived_since_is_looked_up_alone(settings):
    campaign, _dispatches, addressed, held = make_campaign_with_orders(settings)
    holdout.index_orders(campaign)
    order(held[1], T0 + 4 * DAY, "7")

    with CaptureQueriesContext(connection) as queries:
        treated, held_group = groups(campaign)

    assert (treated, held_group.conversions, held_group.buyers) == (EXPECTED[0], 2, 2)
    assert held_group.revenue_in("EUR").total == Decimal(37)
    # Only the new order's buyer was looked up, once on each side.
    assert len(lookups(queries)) == 2
    assert all(f"({held[1].pk})" in q["sql"] for q in lookups(queries))


@pytest.mark.django_db
def test_an_order_changed_since_counts_on_its_new_side(settings):
    campaign, _dispatches, addressed, held = make_campaign_with_orders(settings)
    holdout.index_orders(campaign)
    stray = Conversion.objects.get(value=Decimal(99))
    stray.contact = held[1]
    stray.save()

    treated, held_group = groups(campaign)

    assert treated == EXPECTED[0]
    assert held_group.revenue_in("EUR").total == Decimal(129)
    holdout.index_orders(campaign)
    assert HoldoutOrder.objects.get(conversion=stray).side == "holdout"


@pytest.mark.django_db
def test_a_contact_addressed_later_counts_with_the_orders_placed_before(settings):
    """A rollout stage sends to more contacts after the launch: a buyer the sides were found
    without is addressed now, and the comparison counts the order on the addressed side."""
    campaign, dispatches, *_rest = make_campaign_with_orders(settings)
    buyer = make_contact()
    order(buyer, T0 + 3 * DAY, "20")
    holdout.index_orders(campaign)
    assert HoldoutOrder.objects.get(conversion__value=Decimal(20)).side == ""
    late = message(dispatches[""], status="delivered", sent_at=T0 + 4 * DAY)
    late.contact = buyer
    late.save()

    rebuild()  # the rollups count the new message: the members changed
    treated, _held = groups(campaign)

    assert (treated.contacts, treated.buyers) == (4, 3)
    assert treated.revenue_in("EUR").total == Decimal(30)
    holdout.index_orders(campaign)
    assert HoldoutOrder.objects.get(conversion__value=Decimal(20)).side == "treated"
    assert groups(campaign)[0] == treated


migration = import_module("analytics.migrations.0007_holdout_orders")
BEFORE = [("analytics", "0006_rollups_revenue_per_currency")]
AFTER = [("analytics", "0007_holdout_orders")]


@pytest.fixture
def back_to_before(transactional_db):
    yield from back_to(BEFORE)


def test_the_migration_finds_the_sides_of_the_orders_already_recorded(back_to_before, settings):
    campaign, *_rest = make_campaign_with_orders(settings)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    found = dict(
        HoldoutOrder.objects.filter(campaign=campaign).values_list("conversion__value", "side")
    )
    assert found == {
        Decimal(10): "treated",
        Decimal(5): "treated",
        Decimal(30): "holdout",
        Decimal(99): "",
    }
    with CaptureQueriesContext(connection) as queries:
        assert groups(campaign) == EXPECTED
    assert lookups(queries) == []
    MigrationExecutor(connection).migrate(BEFORE)
    assert "analytics_holdoutorder" not in connection.introspection.table_names()
