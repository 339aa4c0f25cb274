"""An installation upgraded past migration analytics 0006 (revenue kept per currency) without
running `rebuild_rollups`: the drain loop's first pass finds the facts written before, which
count conversions but hold no revenue, and refreshes just those."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from analytics.attribution import record_conversion
from analytics.management.commands.drain_analytics import Command
from analytics.models import CurrencyRollup, MessageFact, Rollup
from analytics.rollups import queue
from analytics.rollups.apply import refresh
from tests.support.links import make_tracked_message

pytestmark = pytest.mark.django_db


def revenue():
    return CurrencyRollup.objects.filter(currency="EUR").aggregate(n=Sum("revenue"))["n"]


@pytest.fixture
def written_before_0006(rollup_queue, click_stream):
    """A message credited with two orders whose fact and rollups were written before 0006:
    its conversions counted, no revenues, and no currency rollup (0006 created them empty)."""
    from analytics import clickstream

    clickstream.client().delete(queue.key("revenues-repaired"))
    bought = make_tracked_message()
    refresh([bought.pk])
    for number, value in (("CMD-1", "89.90"), ("CMD-2", "10.00")):
        record_conversion(
            order_id=number, value=Decimal(value), currency="EUR", message_id=bought.public_id
        )
    refresh([bought.pk])
    assert revenue() == Decimal("99.90")
    MessageFact.objects.update(revenues={})
    CurrencyRollup.objects.all().delete()
    rollup_queue.drain()  # nothing waits: the orders' own refresh is done
    yield bought
    clickstream.client().delete(queue.key("revenues-repaired"))


def test_the_first_drain_pass_brings_back_the_revenue_of_older_facts(written_before_0006):
    Command().one_pass(verbosity=1)

    assert revenue() == Decimal("99.90")
    # Nothing else moved: the conversions were counted already, and are counted once.
    assert Rollup.objects.aggregate(n=Sum("conversions"))["n"] == 2
    assert MessageFact.objects.get().revenues == {"EUR": [2, "99.9000"]}


def test_the_check_runs_once_per_installation(written_before_0006):
    Command().one_pass(verbosity=1)
    MessageFact.objects.update(revenues={})
    CurrencyRollup.objects.all().delete()

    # A drainer started later (another process, a restart) does not scan the facts again.
    Command().one_pass(verbosity=1)

    assert revenue() is None
