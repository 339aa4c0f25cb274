"""The segment builder in Chromium: add conditions and watch the count change, group them,
see an error next to its rule, save; on desktop and phone widths."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audience.models import Segment
from tests.factories import make_contact, make_list
from tests.support.browser import marketer_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"


@pytest.fixture
def shoppers():
    """12 live contacts: 8 in Paris (5 with a basket over 50), 4 in Lyon; 3 on the VIP list."""
    now = timezone.now()
    vip = make_list(name="VIP")
    cities = ["Paris"] * 8 + ["Lyon"] * 4
    for index, city in enumerate(cities):
        contact = make_contact(
            opted_in=index % 3 != 0,
            first_name=["Camille", "Louis", "Jade", "Hugo", "Léa", "Nathan"][index % 6],
            last_name=["Martin", "Bernard", "Dubois", "Moreau"][index % 4],
            attributes={
                "city": city,
                "basket": str(20 + index * 10),
                "last_purchase": (timezone.localdate() - timedelta(days=index * 5)).isoformat(),
            },
            rcs_capable=index % 4 != 1,
            rcs_checked_at=now,
        )
        if index < 3:
            vip.contacts.add(contact, through_defaults={"source": "import"})
    make_contact(test_mode=True, attributes={"city": "Paris"})


def root(page):
    """The actions of the outer group (nested groups have their own)."""
    return page.locator("#segment-builder > [data-group] > .rule-group-actions")


def count(page):
    return page.locator("[data-live-count]")


@pytest.mark.parametrize(
    ("viewport", "phone", "name"),
    [({"width": 1366, "height": 900}, False, ""), ({"width": 390, "height": 844}, True, "-phone")],
)
def test_build_a_segment_and_watch_its_count(
    browser, live_server, shoppers, screenshot, viewport, phone, name
):
    page = marketer_page(browser, live_server, viewport=viewport, phone=phone, password=PASSWORD)
    page.goto(page.base_url + "/audience/")
    page.get_by_role("link", name="Segments").click()
    page.get_by_role("link", name="New segment").first.click()
    expect(count(page)).to_have_text("12")

    page.get_by_label("Name").fill("Paris, big baskets")
    root(page).get_by_role("button", name="Add a condition").click()
    row = page.locator("[data-condition]").nth(0)
    row.get_by_label("Field").select_option("attributes.city")
    row.get_by_label("Value").fill("paris")
    expect(count(page)).to_have_text("8")

    root(page).get_by_role("button", name="Add a condition").click()
    row = page.locator("[data-condition]").nth(1)
    row.get_by_label("Field").select_option("attributes.basket")
    row.get_by_label("Comparison").select_option("gt")
    row.get_by_label("Value").fill("50")
    # Baskets 20..90 in Paris: 60, 70, 80, 90 are over 50 (compared as numbers, not text).
    expect(count(page)).to_have_text("4")
    expect(page.locator("#segment-count-badge")).to_have_text("4 contacts")

    # An OR group: on the VIP list, or not RCS capable.
    root(page).get_by_role("button", name="Add a group (AND/OR)").click()
    group = page.locator("[data-group][data-path='conditions[2]']")
    group_row = group.locator("[data-condition]").nth(0)
    group_row.get_by_label("Kind of condition").select_option("list")
    group.locator("[data-condition]").nth(0).get_by_label("List").select_option(label="VIP")
    group.locator(":scope > .rule-group-actions").get_by_role(
        "button", name="Add a condition"
    ).click()
    second = group.locator("[data-condition]").nth(1)
    second.get_by_label("Kind of condition").select_option("rcs_capable")
    group.locator("[data-condition]").nth(1).get_by_label("RCS").select_option("no")
    # Paris with basket > 50 are indexes 4..7; VIP is 0..2; not capable is index 5.
    expect(count(page)).to_have_text("1")
    expect(page.locator("[data-sample] li")).to_have_count(1)

    # A value that cannot be compared: the error shows next to its rule, the count waits.
    row = page.locator("[data-condition]").nth(1)
    row.get_by_label("Value").fill("soon")
    expect(row.locator(".invalid-feedback")).to_contain_text("a number, or a date")
    expect(page.get_by_text("Fix the highlighted conditions")).to_be_visible()
    row.get_by_label("Value").fill("50")
    expect(count(page)).to_have_text("1")
    # From the top: on phones the rules' header (with the count) sticks where the page scrolled.
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"audience-segment-builder{name}", full_page=True)

    page.get_by_role("button", name="Save the segment").click()
    expect(page.get_by_text("“Paris, big baskets” saved.")).to_be_visible()
    expect(page.locator("[data-segment-count]")).to_contain_text("1 contact")
    screenshot(page, f"audience-segments{name}", full_page=True)
    segment = Segment.objects.get()
    assert not segment.test_mode
    assert segment.rules["conditions"][1] == {
        "kind": "attribute",
        "field": "attributes.basket",
        "op": "gt",
        "value": 50,
    }
    assert segment.contacts().count() == 1
    page.context.close()
