"""The live/test data switch in a real browser, on desktop and phone widths."""

import pytest
from django.contrib.auth.models import Group, User

from tests.factories import make_contact
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"


@pytest.fixture
def marketer():
    user = User.objects.create_user("marie", "", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Marketing")[0])
    for _ in range(2):
        make_contact(opted_in=True, rcs_capable=None)
    for _ in range(5):
        make_contact(opted_in=True, test_mode=True)
    return user


@pytest.mark.parametrize(("width", "height", "name"), [(1366, 860, ""), (390, 844, "-phone")])
def test_audience_shows_live_data_then_test_data_with_a_banner(
    browser, live_server, marketer, screenshot, width, height, name
):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="en-GB", is_mobile=width < 500
    )
    page = context.new_page()
    page.base_url = live_server.url
    login(page, "marie", PASSWORD)
    page.goto(page.base_url + "/audience/")

    assert page.locator('[data-stat="contacts"]').inner_text() == "2"
    assert not page.get_by_text("You are looking at test data").is_visible()
    screenshot(page, f"audience-live{name}", full_page=True)

    page.get_by_role("link", name="Test data").click()
    page.wait_for_url("**/audience/?mode=test")
    assert page.get_by_text("You are looking at test data").is_visible()
    assert page.locator('[data-stat="contacts"]').inner_text() == "5"
    screenshot(page, f"audience-test{name}", full_page=True)

    page.get_by_role("link", name="Live data").click()
    page.wait_for_url("**/audience/")
    assert page.locator('[data-stat="contacts"]').inner_text() == "2"
    context.close()
