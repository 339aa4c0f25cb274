"""Send a test from the editor in real Chromium and watch its status change without reloading."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from sending import services
from sending.models import Message
from tests.factories import make_published_template
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
ALWAYS_RCS = "+33699000001"  # the simulator's always-capable number


def test_send_a_test_to_a_saved_number_and_see_the_channel_and_status(page, screenshot):
    template, _version = make_published_template(name="Soldes", slug="promo_soldes")
    user = User.objects.create_user("marie", "", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Marketing")[0])
    page.set_viewport_size({"width": 1440, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    login(page, "marie", PASSWORD)
    page.goto(f"{page.base_url}/templates/{template.pk}/")

    page.get_by_role("button", name="Send a test").click()
    dialog = page.get_by_role("dialog", name="Send a test")
    expect(dialog.get_by_text("Sends version 1 with the sample values")).to_be_visible()
    dialog.get_by_label("Phone number").fill("06 99 00 00 01")
    dialog.get_by_label("Save this number").check()
    dialog.get_by_placeholder("e.g. My iPhone").fill("My Pixel")
    dialog.get_by_label("This phone agreed to receive test messages").check()
    dialog.get_by_role("button", name="Send the test").click()

    status = dialog.get_by_role("status", name="Test message")
    expect(status).to_contain_text("Test to +33699000001")
    expect(status.locator("[data-intended]")).to_have_text("RCS")
    expect(status.locator("[data-message-status]")).to_have_text("Queued")
    expect(dialog.get_by_role("button", name="Send to My Pixel (+33699000001)")).to_be_visible()

    # The worker sends it; the panel, asking every two seconds, shows the news.
    services.send_message(Message.objects.get().pk)
    expect(status.locator("[data-message-status]")).to_have_text("Sent", timeout=8_000)
    expect(status.locator("[data-final]")).to_have_text("RCS")
    screenshot(page, "editor-test-send")
