"""The Webhooks page in Chromium: add an endpoint, copy its secret, see a delivery with its
response code and resend it; on desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from integrations.models import WebhookDelivery, WebhookEndpoint
from tests.support.browser import marketer_page
from tests.support.stub_server import StubServer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"


@pytest.mark.parametrize(
    ("viewport", "phone", "name"),
    [({"width": 1366, "height": 860}, False, ""), ({"width": 390, "height": 844}, True, "-phone")],
)
def test_add_an_endpoint_see_its_log_and_resend(
    browser, live_server, screenshot, settings, jobs, viewport, phone, name
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    page = marketer_page(browser, live_server, viewport=viewport, phone=phone, password=PASSWORD)
    with StubServer() as stub:
        page.goto(page.base_url + "/settings/webhooks/")
        expect(page.get_by_role("heading", name="Webhooks")).to_be_visible()
        page.get_by_role("link", name="Add an endpoint").first.click()
        page.fill("input[name=url]", stub.base_url + "/relais")
        page.fill("input[name=description]", "Boutique – suivi des commandes")
        for label in ("Message delivered", "Message failed", "Contact opted out"):
            page.get_by_label(label).check()
        screenshot(page, f"webhooks-form{name}", full_page=True)
        page.get_by_role("button", name="Add the endpoint").click()

        endpoint = WebhookEndpoint.objects.get()
        expect(page.locator("[data-secret]")).to_have_text(endpoint.secret)
        assert endpoint.mode == "live"
        for status, code, attempts, kind in (
            ("succeeded", 200, 1, "message.delivered"),
            ("retrying", 503, 2, "message.failed"),
            ("failed", 500, 14, "contact.opted_out"),
        ):
            WebhookDelivery.objects.create(
                endpoint=endpoint,
                type=kind,
                payload={"id": "e", "type": kind},
                status=status,
                response_code=code,
                attempts=attempts,
                error="" if code == 200 else f"The endpoint answered {code}.",
            )
        page.reload()
        expect(page.locator(".delivery-log tbody tr")).to_have_count(3)
        screenshot(page, f"webhooks-endpoint{name}", full_page=True)

        page.get_by_role("button", name="Resend").last.click()
        expect(page.get_by_text("Sent again")).to_be_visible()
        assert [job.name for job in jobs.pending] == ["deliver"]

        page.goto(page.base_url + "/settings/webhooks/")
        expect(page.get_by_role("link", name=stub.base_url + "/relais", exact=True)).to_be_visible()
        screenshot(page, f"webhooks-list{name}", full_page=True)
