"""The share link in real Chromium: copied from the editor, opened in a fresh signed-out
browser, it shows both phones and the SMS and nothing to edit."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_template
from tests.support.browser import marketer_page
from tests.support.views import card_content

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
VIEWPORTS = [
    ("desktop", {"width": 1366, "height": 860}),
    ("phone", {"width": 390, "height": 844}),
]


@pytest.mark.parametrize(("name", "viewport"), VIEWPORTS)
def test_a_shared_preview_opens_signed_out(browser, live_server, screenshot, name, viewport):
    template = make_template(name="Soldes d'été", rcs_content=card_content("Voir les soldes"))
    phone = name == "phone"
    page = marketer_page(browser, live_server, viewport=viewport, phone=phone, password=PASSWORD)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.base_url)
    page.goto(f"{page.base_url}/templates/{template.pk}/")

    page.get_by_role("button", name="Share preview").click()
    dialog = page.get_by_role("dialog", name="Share the preview")
    field = dialog.get_by_label("Link")
    link = field.input_value()
    assert link.startswith(page.base_url + "/share/")
    dialog.get_by_role("button", name="Copy").click()
    expect(dialog.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    screenshot(page, f"editor-share-dialog-{name}")

    # Someone without an account, in a browser that never signed in.
    visitor = browser.new_context(
        viewport=viewport, device_scale_factor=2 if phone else 1, locale="en-GB"
    ).new_page()
    visitor.context.add_cookies([{"name": "django_language", "value": "en", "url": link}])
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="Soldes d'été")).to_be_visible()
    expect(visitor.get_by_role("region", name="iPhone preview")).to_be_visible()
    expect(visitor.get_by_role("region", name="Android preview")).to_be_visible()
    expect(visitor.locator(".sms-pre")).to_contain_text("Marie, -40 % sur tout ce week-end")
    expect(visitor.get_by_text("Shared preview · read-only")).to_be_visible()
    for editing in ("textbox", "button"):
        expect(visitor.get_by_role(editing)).to_have_count(0)
    assert "/accounts/login/" not in visitor.url
    screenshot(visitor, f"editor-share-preview-{name}", full_page=True)

    # Turned off from the editor: the visitor's link now says so.
    page.get_by_role("button", name="Turn off every link shared so far").click()
    expect(page.get_by_role("alert")).to_contain_text("Every earlier share link is turned off.")
    response = visitor.goto(link)
    assert response.status == 410
    expect(visitor.get_by_role("heading", name="This preview is not available")).to_be_visible()
    expect(visitor.get_by_text("turned off by its team")).to_be_visible()
    screenshot(visitor, f"editor-share-revoked-{name}")
    visitor.context.close()
    page.context.close()
