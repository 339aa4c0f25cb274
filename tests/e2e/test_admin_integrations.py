"""The integrations admin in Chromium: a failed shop event processed again once its mapping is
fixed, and a webhook endpoint's secret rotated and shown once; desktop and phone."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import expect

from integrations.models import WebhookEndpoint
from integrations.shops.models import ShopEvent
from tests.integrations.support import make_endpoint
from tests.support.browser import login
from tests.support.shops import fixture, make_mapping, make_shop, order_template, post_webhook

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
VIEWPORTS = [
    ({"width": 1280, "height": 860}, False, ""),
    ({"width": 390, "height": 844}, True, "-phone"),
]


def admin_page(browser, live_server, viewport, phone):
    User.objects.create_superuser("claire", "", PASSWORD)
    context = browser.new_context(
        viewport=viewport, device_scale_factor=2 if phone else 1, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    login(page, "claire", PASSWORD)
    return page


def choose_action(page, label):
    page.locator("select[name=action]").select_option(label=label)
    page.locator("button[name=index]").click()


@pytest.mark.parametrize(("viewport", "phone", "name"), VIEWPORTS)
def test_an_admin_processes_a_failed_shop_event_again(
    browser, live_server, screenshot, jobs, settings, viewport, phone, name
):
    settings.LANGUAGE_CODE = "en"
    shop = make_shop()
    template, _version = order_template()
    mapping = make_mapping(shop, template, "orders/create", prenom={"path": "customer.nickname"})
    post_webhook(Client(), shop, fixture("shopify_orders_create.json"), "orders/create")
    post_webhook(Client(), shop, fixture("shopify_orders_create.json"), "orders/paid")
    jobs.run(until=0)
    failed = ShopEvent.objects.get(status="failed")
    mapping.fields = {
        "prenom": {"path": "customer.first_name"},
        "numero_commande": {"path": "name"},
    }
    mapping.save()
    page = admin_page(browser, live_server, viewport, phone)

    page.goto(page.base_url + "/admin/integrations/shopevent/")
    page.locator("input[name=_selected_action]").first.wait_for()
    for box in page.locator("input[name=_selected_action]").all():
        box.check()
    choose_action(page, "Process again (failed events)")

    expect(page.get_by_text("1 failed event queued to be processed again")).to_be_visible()
    expect(page.get_by_text("1 event left as it was (Skipped: 1)")).to_be_visible()
    screenshot(page, f"admin-shop-events-process-again{name}", full_page=True)
    jobs.run(until=0)
    failed.refresh_from_db()
    assert failed.status == "sent", failed.reason


@pytest.mark.parametrize(("viewport", "phone", "name"), VIEWPORTS)
def test_an_admin_rotates_an_endpoints_secret_and_sees_it_once(
    browser, live_server, screenshot, viewport, phone, name
):
    endpoint = make_endpoint("https://erp.atelier-camelia.example/relais/hooks", mode="live")
    old = endpoint.secret
    page = admin_page(browser, live_server, viewport, phone)

    page.goto(page.base_url + "/admin/integrations/webhookendpoint/")
    page.locator("input[name=_selected_action]").first.check()
    choose_action(page, "Rotate the signing secret")
    expect(page.get_by_text("Give this endpoint a new signing secret?")).to_be_visible()
    screenshot(page, f"admin-endpoint-rotate-confirm{name}", full_page=True)
    assert WebhookEndpoint.objects.get().secret == old

    page.get_by_role("button", name="Rotate").click()
    shown = page.locator("[data-secret]")
    expect(shown).to_have_text(WebhookEndpoint.objects.get().secret)
    assert shown.inner_text() != old
    screenshot(page, f"admin-endpoint-rotate-secret{name}", full_page=True)

    page.get_by_role("link", name="Back to the endpoints").click()
    expect(page.locator("[data-secret]")).to_have_count(0)
    assert WebhookEndpoint.objects.get().secret not in page.content()
