"""The engagement conditions analytics registers, in the segment builder in Chromium: pick
"Clicked a link or button" and "Placed an order", set the days, watch the count."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from analytics.conversions import Conversion
from tests.factories import make_contact, make_published_template, make_sent_message
from tests.support.browser import marketer_page
from tests.support.conversions import make_click

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"


@pytest.fixture
def engaged():
    """6 live contacts: 3 clicked this week (one of them also bought), 1 clicked 20 days ago,
    1 bought without a click, 1 did nothing."""
    now = timezone.now()
    version = make_published_template()[1]
    contacts = [make_contact(opted_in=True) for _ in range(6)]
    for contact in contacts[:3]:
        make_click(make_sent_message(contact, version), now - timedelta(days=2))
    make_click(make_sent_message(contacts[3], version), now - timedelta(days=20))
    for index, contact in enumerate((contacts[0], contacts[4])):
        Conversion.objects.create(
            order_id=f"CMD-{index}",
            value=Decimal("49.90"),
            currency="EUR",
            occurred_at=now - timedelta(days=1),
            contact=contact,
        )


@pytest.mark.parametrize(
    ("viewport", "phone", "name"),
    [({"width": 1366, "height": 900}, False, ""), ({"width": 390, "height": 844}, True, "-phone")],
)
def test_engagement_conditions_in_the_builder(
    browser, live_server, engaged, screenshot, viewport, phone, name
):
    page = marketer_page(browser, live_server, viewport=viewport, phone=phone, password=PASSWORD)
    page.goto(page.base_url + "/audience/segments/new/")
    count = page.locator("[data-live-count]")
    expect(count).to_have_text("6")
    actions = page.locator("#segment-builder > [data-group] > .rule-group-actions")

    actions.get_by_role("button", name="Add a condition").click()
    clicked = page.locator("[data-condition]").nth(0)
    clicked.get_by_label("Kind of condition").select_option(label="Clicked a link or button")
    # 30 days by default: the four who clicked.
    expect(count).to_have_text("4")
    clicked.get_by_label("in the last N days").fill("7")
    expect(count).to_have_text("3")

    actions.get_by_role("button", name="Add a condition").click()
    converted = page.locator("[data-condition]").nth(1)
    converted.get_by_label("Kind of condition").select_option(label="Placed an order")
    converted.get_by_label("in the last N days").fill("7")
    expect(count).to_have_text("1")
    screenshot(page, f"segment-engagement{name}", full_page=True)
