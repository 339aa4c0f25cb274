"""The Shops screens in Chromium: add a Shopify shop, map "order created" to the order
confirmation template, send the test event and see the message go out; desktop and phone."""

import pytest
from playwright.sync_api import expect

from integrations.shops.models import Shop, ShopEvent, ShopMapping
from sending.models import Message
from tests.support.browser import marketer_page
from tests.support.shops import order_template

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"


@pytest.mark.parametrize(
    ("viewport", "phone", "name"),
    [({"width": 1366, "height": 860}, False, ""), ({"width": 390, "height": 844}, True, "-phone")],
)
def test_add_a_shopify_shop_map_order_created_and_send_the_test_event(
    browser, live_server, screenshot, jobs, settings, viewport, phone, name
):
    settings.LANGUAGE_CODE = "en"
    # As installed for real: the shop's page warns about an address the shop cannot reach.
    settings.PUBLIC_BASE_URL = "https://relais.example.com"
    template, _version = order_template()
    page = marketer_page(browser, live_server, viewport=viewport, phone=phone, password=PASSWORD)

    page.goto(page.base_url + "/settings/shops/")
    expect(page.get_by_role("heading", name="Shops")).to_be_visible()
    page.get_by_role("link", name="Add a shop").first.click()
    page.get_by_label("Shopify").check()
    page.get_by_label("Name").fill("Atelier Camélia")
    page.get_by_label("Shop domain").fill("atelier-camelia.myshopify.com")
    page.get_by_label("Webhook secret").fill("shpss_9d0c1b7e2f")
    screenshot(page, f"shops-form{name}", full_page=True)
    page.get_by_role("button", name="Add the shop").click()

    shop = Shop.objects.get()
    address = page.locator("#webhook-url")
    expect(address).to_have_value(f"https://relais.example.com/hooks/shops/{shop.public_id}/")
    expect(page.get_by_text("Settings → Notifications → Webhooks")).to_be_visible()
    expect(page.locator("[data-address-problem]")).to_have_count(0)

    page.get_by_role("link", name="Map an event").click()
    expect(page.get_by_label("Shop event")).to_have_value("orders/create")
    # The order confirmation is proposed for an order created.
    expect(page.get_by_label("Template", exact=True)).to_have_value(str(template.pk))
    # The library's names are recognised; the first name is picked from the sample instead.
    prenom = page.locator("input[name=path__prenom]")
    prenom.fill("")
    prenom.focus()
    page.locator(".payload-tree [data-path='customer.first_name']").click()
    expect(prenom).to_have_value("customer.first_name")
    expect(page.locator("input[name=path__numero_commande]")).to_have_value("@order_number")
    screenshot(page, f"shops-mapping{name}", full_page=True)
    page.get_by_role("button", name="Save the mapping").click()
    expect(page.get_by_text("Mapping saved.")).to_be_visible()
    mapping = ShopMapping.objects.get()
    assert mapping.fields["prenom"] == {"path": "customer.first_name"}

    page.get_by_role("button", name="Send a test event").click()
    result = page.locator(".shop-event")
    expect(result).to_be_visible()
    assert ShopEvent.objects.get().is_test_event
    # The worker: the event's job, then the message's.
    jobs.run(until=0)
    expect(result).to_have_attribute("data-status", "sent", timeout=8_000)
    expect(result.locator("[data-sms-text]")).to_have_text(
        "Merci Camille ! Commande #1042 : 59.80 EUR."
    )
    expect(result.locator("[data-message-status]")).to_have_text("Sent")
    message = Message.objects.get()
    assert (message.test_mode, message.status) == (True, "sent")
    screenshot(page, f"shops-test-event{name}", full_page=True)

    page.get_by_role("link", name="Atelier Camélia").click()
    page.get_by_role("link", name="Test data").click()
    expect(page.locator(".shop-log tbody tr")).to_have_count(1)
    screenshot(page, f"shops-detail{name}", full_page=True)

    page.get_by_role("link", name="Message → Sent").click()
    expect(page.locator("pre")).to_contain_text("sms_marketing_consent")
    screenshot(page, f"shops-event{name}", full_page=True)
    page.goto(page.base_url + "/settings/shops/")
    expect(page.get_by_role("link", name="Atelier Camélia").first).to_be_visible()
    screenshot(page, f"shops-list{name}")
