"""The editor at phone width: a sticky bar switches between editing and the preview."""

import pytest
from playwright.sync_api import expect

from editor.library import use_library_template
from tests.factories import make_brand
from tests.support.browser import marketer_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_switch_to_the_preview_and_back_from_anywhere_on_the_page(browser, live_server, screenshot):
    template = use_library_template("flash_sale", make_brand(), language="en")
    page = marketer_page(browser, live_server, viewport=PHONE, phone=True, password=PASSWORD)
    page.goto(f"{page.base_url}/templates/{template.pk}/")
    switch = page.get_by_role("group", name="Show")
    preview_tab = switch.get_by_role("button", name="Preview")
    edit_tab = switch.get_by_role("button", name="Edit")
    iphone = page.get_by_role("region", name="iPhone preview")
    title = page.get_by_label("Title")

    expect(edit_tab).to_have_attribute("aria-pressed", "true")
    expect(title).to_be_visible()
    expect(iphone).to_be_hidden()
    screenshot(page, "editor-phone-edit")

    # Far down the page (the SMS fallback), the switch is still on screen.
    page.locator("#sms-text").scroll_into_view_if_needed()
    assert 0 <= switch.bounding_box()["y"] < 5, "the switch sticks to the top"
    page.locator("#sms-text").fill("Sale: 40% off for 48 hours. See all: https://example.com")
    preview_tab.click()
    expect(preview_tab).to_have_attribute("aria-pressed", "true")
    expect(iphone).to_be_visible()
    expect(title).to_be_hidden()
    expect(iphone.locator(".bubble-sms")).to_contain_text("Sale: 40% off for 48 hours")
    assert iphone.bounding_box()["y"] < PHONE["height"], "the preview starts on screen"
    screenshot(page, "editor-phone-preview")

    edit_tab.click()
    expect(title).to_be_visible()
    expect(iphone).to_be_hidden()
    expect(page.locator("#sms-text")).to_have_value(
        "Sale: 40% off for 48 hours. See all: https://example.com"
    )
