"""Revenue in several currencies: each summed on its own, the main currency first, nothing
converted; numbers computed by hand.

A channel test launched at T0, every message delivered at T0, one order per line, each an
hour after, attributed to its message:
- RCS arm: m1 (40.00 EUR and 12.50 GBP), m2 (20.00 EUR);
- SMS arm: m3 (1500 JPY), m4 (10.00 EUR);
- holdout: two contacts, one of them ordered 5.00 GBP.
"""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest

from analytics.models import Conversion
from analytics.rollups.rebuild import rebuild
from campaigns.models import CampaignHoldout
from tests.factories import make_contact
from tests.support.analytics import T0, campaign_with_arms, message
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def order(contact, value, currency, of=None):
    return Conversion.objects.create(
        order_id=f"CMD-{Conversion.objects.count() + 1}",
        value=Decimal(value),
        currency=currency,
        occurred_at=T0 + timedelta(hours=1),
        contact=contact,
        message=of,
        dispatch=of.dispatch if of else None,
        matched_by="message_id" if of else "phone",
        attributed_by="delivery" if of else "",
    )


@pytest.fixture
def campaign(settings):
    settings.RCS_PRICE_EUR = Decimal("0.06")
    settings.SMS_SEGMENT_PRICE_EUR = Decimal("0.045")
    campaign, dispatches = campaign_with_arms("rcs", "sms", experiment="channel", holdout_share=0.1)
    campaign.launched_at = T0
    campaign.save()
    rcs = [
        message(dispatches["rcs"], arm="rcs", final="rcs", status="delivered", sent_at=T0)
        for _ in range(2)
    ]
    sms = [
        message(
            dispatches["sms"],
            arm="sms",
            intended="sms",
            final="sms",
            status="delivered",
            sent_at=T0,
        )
        for _ in range(2)
    ]
    order(rcs[0].contact, "40.00", "EUR", rcs[0])
    order(rcs[0].contact, "12.50", "GBP", rcs[0])
    order(rcs[1].contact, "20.00", "EUR", rcs[1])
    order(sms[0].contact, "1500", "JPY", sms[0])
    order(sms[1].contact, "10.00", "EUR", sms[1])
    held = [make_contact(), make_contact()]
    for contact in held:
        CampaignHoldout.objects.create(campaign=campaign, contact=contact)
    order(held[0], "5.00", "GBP")
    rebuild()
    return campaign


def page_of(client, campaign):
    signed_in(client, role="Viewer")
    return client.get(f"/dashboard/?campaign={campaign.pk}").content.decode()


def channels(client, campaign):
    response = client.get(f"/dashboard/?campaign={campaign.pk}&export=channels")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_each_currency_is_summed_apart_in_the_table_and_its_csv(client, campaign):
    signed_in(client, role="Viewer")
    rows = channels(client, campaign)

    assert rows[0] == ["Measure", "Currency", "RCS", "SMS fallback", "SMS only", "All"]
    money = [row for row in rows if row[0].startswith(("Revenue", "Cost"))]
    assert money == [
        # 40.00 + 20.00 over RCS, 10.00 by SMS.
        ["Revenue (EUR)", "EUR", "60.00", "0.00", "10.00", "70.00"],
        ["Revenue (GBP)", "GBP", "12.50", "0.00", "0.00", "12.50"],
        # Yen have no minor unit.
        ["Revenue (JPY)", "JPY", "0", "0", "1500", "1500"],
        # 2 RCS × 0.06 = 0.12; 2 SMS segments × 0.045 = 0.09; all 0.21.
        ["Cost", "EUR", "0.12", "0.00", "0.09", "0.21"],
        # Cost over every conversion, whatever its currency: 0.12 / 3, 0.09 / 2, 0.21 / 5.
        ["Cost per conversion", "EUR", "0.04", "", "0.04", "0.04"],
    ]


def test_the_headline_shows_the_main_currency_and_lists_the_others_apart(client, campaign):
    page = page_of(client, campaign)

    assert re.search(r'data-stat="revenue">([^<]*)<', page).group(1) == "70.00 €"
    others = re.search(r"data-other-revenues>(.*?)</p>", page, re.S).group(1)
    assert re.sub(r"<[^>]+>|\s+", " ", others).split(":")[1].split() == [
        "12.50", "GBP", "(1", "conversion),", "1,500", "JPY", "(1", "conversion).",
    ]  # fmt: skip


def test_another_main_currency_comes_first(client, campaign, settings):
    settings.REPORTING_CURRENCY = "GBP"
    page = page_of(client, campaign)

    assert re.search(r'data-stat="revenue">([^<]*)<', page).group(1) == "12.50 GBP"
    assert [row[0] for row in channels(client, campaign) if row[0].startswith("Revenue")] == [
        "Revenue (GBP)",
        "Revenue (EUR)",
        "Revenue (JPY)",
    ]


def test_the_holdout_lift_is_computed_in_each_currency(client, campaign):
    page = page_of(client, campaign)

    lines = re.findall(r'data-incremental-revenue="(\w+)">([^<]*)<', page)
    assert [currency for currency, _text in lines] == ["EUR", "GBP", "JPY"]
    values = {currency: text.split(": ")[1].split(" ")[0] for currency, text in lines}
    # Per contact addressed (4) against per holdout contact (2), times 4:
    # EUR 70/4 − 0 → 70.00; GBP 12.50/4 − 5/2 = 0.625 → 2.50; JPY 1500/4 − 0 → 1500 (yen
    # have no decimals).
    assert values == {"EUR": "70.00", "GBP": "2.50", "JPY": "1500"}


def test_a_new_order_reaches_the_remembered_holdout_comparison(client, campaign):
    signed_in(client, role="Viewer")

    def gbp():
        page = client.get(f"/dashboard/?campaign={campaign.pk}").content.decode()
        return re.search(r'data-incremental-revenue="GBP">[^:]*: ([^ ]*) ', page).group(1)

    assert gbp() == "2.50"
    assert gbp() == "2.50"  # remembered
    order(CampaignHoldout.objects.filter(campaign=campaign).last().contact, "3.00", "GBP")

    # Holdout: (5 + 3) / 2 = 4 per contact; 12.50/4 − 4 = −0.875, × 4 = −3.50.
    assert gbp() == "-3.50"
    Conversion.objects.filter(currency="GBP", value=Decimal("3.00")).delete()
    assert gbp() == "2.50"


def test_the_drain_loop_computes_open_holdouts_ahead_of_the_page(campaign, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from analytics.management.commands.drain_analytics import Command
    from analytics.rollups import holdout

    campaign.launched_at = timezone.now() - timedelta(hours=2)
    campaign.save()
    Conversion.objects.update(occurred_at=timezone.now() - timedelta(hours=1))
    Command().one_pass(verbosity=1)

    with CaptureQueriesContext(connection) as queries:
        treated, held = holdout.holdout_groups(campaign)

    # Only the fingerprint was read: no lookup of contacts among the messages or holdout.
    assert not [q for q in queries if 'contact_id" IN' in q["sql"]]
    assert (treated.buyers, held.buyers) == (4, 1)
    assert treated.revenue_in("GBP").total == Decimal("12.50")
