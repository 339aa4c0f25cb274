"""A test of an unpublished draft in real Chromium: sent, marked as a draft test, and the
delivery and the tap coming back into the panel; the list's status of an edited template."""

import pytest
from playwright.sync_api import expect

from editor.models import TemplateVersion
from sending import services
from sending.models import Attempt, Message
from tests.factories import make_published_template, make_template
from tests.support.browser import marketer_page
from tests.support.sending import post_planned
from tests.support.views import card_content

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
TAPS_FIRST = "+33699000007"  # the simulator's number that reads, then taps the first button
VIEWPORTS = [
    ("desktop", {"width": 1366, "height": 860}),
    ("phone", {"width": 390, "height": 844}),
]


def open_page(browser, live_server, name, viewport):
    return marketer_page(
        browser, live_server, viewport=viewport, phone=name == "phone", password=PASSWORD
    )


@pytest.mark.parametrize(("name", "viewport"), VIEWPORTS)
def test_a_draft_test_shows_its_delivery_and_the_tap(
    browser, live_server, screenshot, name, viewport
):
    template = make_template(name="Soldes privées", rcs_content=card_content("Voir les soldes"))
    page = open_page(browser, live_server, name, viewport)
    page.goto(f"{page.base_url}/templates/{template.pk}/")

    page.get_by_role("button", name="Send a test").click()
    dialog = page.get_by_role("dialog", name="Send a test")
    expect(dialog).to_contain_text("as a draft test: nothing is published")
    dialog.get_by_label("Phone number").fill(TAPS_FIRST)
    dialog.get_by_label("This phone agreed to receive test messages").check()
    dialog.get_by_role("button", name="Send the test").click()

    status = dialog.get_by_role("status", name="Test message")
    expect(status.locator("[data-draft-test]")).to_have_text("Draft test")
    message = Message.objects.get()
    services.send_message(message.pk)
    planned = Attempt.objects.get(message=message).raw_response["planned_events"]
    by_type = {event["type"]: event for event in planned}

    # The phone's receipts and its tap reach the webhook one by one; the panel, polling,
    # shows each as it comes.
    post_planned([by_type["delivered"]])
    moments = status.locator("[data-moments]")
    expect(moments).to_contain_text("Delivered (RCS)", timeout=8_000)
    expect(moments).not_to_contain_text("Tapped")
    post_planned([by_type["read"], by_type["clicked"]])
    expect(moments).to_contain_text("Tapped “Voir les soldes”", timeout=8_000)
    expect(status.locator("[data-message-status]")).to_have_text("Read")

    assert not TemplateVersion.objects.exists()
    status.scroll_into_view_if_needed()
    screenshot(page, f"editor-test-send-events-{name}")
    page.context.close()


@pytest.mark.parametrize(("name", "viewport"), VIEWPORTS)
def test_an_edited_published_template_says_which_version_is_live(
    browser, live_server, screenshot, name, viewport
):
    template, _version = make_published_template(name="Soldes d'été", slug="soldes_ete")
    make_published_template(name="Suivi de commande", slug="suivi", traffic_type="TRANSACTION")
    make_template(name="Rentrée (brouillon)", slug="rentree")
    page = open_page(browser, live_server, name, viewport)
    page.goto(f"{page.base_url}/templates/{template.pk}/")

    page.get_by_label("SMS text").fill("Soldes d'été : -50 % ce week-end https://shop.example")
    badge = page.locator("#status-badge")
    expect(badge).to_have_text("Published · unpublished changes (v1 live)", timeout=10_000)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"editor-status-changed-{name}")

    page.goto(f"{page.base_url}/templates/")
    changed = page.locator("[data-status=changed]")
    expect(changed).to_have_text("Published · unpublished changes (v1 live)")
    changed.scroll_into_view_if_needed()
    screenshot(page, f"editor-templates-status-{name}")
    page.context.close()


def test_a_draft_test_sends_the_last_keystrokes(browser, live_server):
    template = make_template(name="Soldes privées")
    page = open_page(browser, live_server, *VIEWPORTS[0])
    page.goto(f"{page.base_url}/templates/{template.pk}/")

    # Sent at once after typing, before the autosave's pause: the test waits for the save.
    page.get_by_label("SMS text").fill("Derniere minute : -60 % https://shop.example")
    page.get_by_role("button", name="Send a test").click()
    dialog = page.get_by_role("dialog", name="Send a test")
    dialog.get_by_label("Phone number").fill(TAPS_FIRST)
    dialog.get_by_label("This phone agreed to receive test messages").check()
    dialog.get_by_role("button", name="Send the test").click()

    status = dialog.get_by_role("status", name="Test message")
    expect(status.locator("[data-draft-test]")).to_have_text("Draft test")
    assert Message.objects.get().sms_text.startswith("Derniere minute : -60 %")
    page.context.close()
