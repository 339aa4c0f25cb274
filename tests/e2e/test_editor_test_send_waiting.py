"""A test whose receipts never come back: the panel stops spinning and says where they should
arrive, on a desktop and on a phone, in real Chromium."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sending import services
from sending.models import Attempt, Message
from tests.factories import make_published_template
from tests.support.browser import marketer_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
NEVER_RCS = "+33699000002"  # the simulator's number without RCS: an SMS goes out


@pytest.mark.parametrize(
    ("name", "viewport"),
    [("desktop", {"width": 1366, "height": 860}), ("phone", {"width": 390, "height": 844})],
)
def test_lost_receipts_stop_the_spinner_and_name_the_address(
    browser, live_server, settings, screenshot, name, viewport
):
    # A public address the worker cannot reach, an internal one nothing answers on.
    settings.PUBLIC_BASE_URL = "https://relais.example.com"
    settings.INTERNAL_BASE_URL = "http://127.0.0.1:9"
    template, _version = make_published_template(name="Soldes", slug="promo_soldes")
    page = marketer_page(
        browser, live_server, viewport=viewport, phone=name == "phone", password=PASSWORD
    )
    page.goto(f"{page.base_url}/templates/{template.pk}/")

    page.get_by_role("button", name="Send a test").click()
    dialog = page.get_by_role("dialog", name="Send a test")
    dialog.get_by_label("Phone number").fill(NEVER_RCS)
    dialog.get_by_label("This phone agreed to receive test messages").check()
    dialog.get_by_role("button", name="Send the test").click()
    status = dialog.get_by_role("status", name="Test message")
    expect(status.locator("[data-message-status]")).to_have_text("Queued")

    # Sent by the worker; no worker posts the simulator's receipts. A minute passes.
    message = Message.objects.get()
    services.send_message(message.pk)
    expect(status.locator("[data-message-status]")).to_have_text("Sent", timeout=8_000)
    expect(status.locator(".spinner-border")).to_be_visible()
    accepted = timezone.now() - timedelta(minutes=1)
    Attempt.objects.filter(message=message).update(created=accepted, updated=accepted)

    notice = status.locator("[data-notice]")
    expect(notice).to_contain_text("No delivery receipt yet", timeout=8_000)
    expect(notice).to_contain_text("http://127.0.0.1:9/webhooks/simulator/")
    expect(status.locator(".spinner-border")).to_have_count(0)
    notice.scroll_into_view_if_needed()
    screenshot(page, f"editor-test-send-no-receipt-{name}")
    page.context.close()
