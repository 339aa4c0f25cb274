"""Undo and redo in the editor: the bar's buttons, the toast after a delete, the shortcuts."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from editor.models import MessageTemplate
from tests.factories import make_template
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"


def button(label, url):
    return {"action": {"text": label, "openUrlAction": {"url": url}}, "ctaId": f"cta_{label[:4]}"}


@pytest.fixture
def marketer():
    user = User.objects.create_user("marie", "", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Marketing")[0])
    return user


@pytest.fixture
def editor(page, marketer):
    """Open a template in the editor, in English, failing the test on any script error."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    login(page, "marie", PASSWORD)

    def open_editor(template):
        page.goto(f"{page.base_url}/templates/{template.pk}/")
        expect(page.get_by_role("region", name="iPhone preview")).to_be_visible()
        return page

    yield open_editor
    assert errors == []


def preview_buttons(page, region):
    return page.get_by_role("region", name=region).locator(".rcs-button span")


def preview_cards(page, region):
    return page.get_by_role("region", name=region).locator(".rcs-card")


def saved_content(template):
    return MessageTemplate.objects.get(pk=template.pk).rcs_content


def test_a_deleted_button_comes_back_with_the_toast_undo_and_is_saved(editor):
    shop = button("Shop now", "https://shop.example/")
    call = {"action": {"text": "Call us", "dialAction": {"phoneNumber": "+33123456789"}}}
    card = {"title": "Spring sale", "suggestions": [shop, dict(call, ctaId="cta_call")]}
    content = {"richCard": {"standaloneCard": {"cardOrientation": "VERTICAL", "cardContent": card}}}
    template = make_template(rcs_content=content)
    page = editor(template)
    undo = page.get_by_role("button", name="Undo", exact=True).first
    redo = page.get_by_role("button", name="Redo", exact=True)
    expect(undo).to_be_disabled()
    expect(redo).to_be_disabled()
    toast = page.locator("#undo-toast")
    expect(toast).to_be_hidden()

    page.get_by_role("button", name="Delete the button “Shop now”").click()
    for region in ("iPhone preview", "Android preview"):
        expect(preview_buttons(page, region)).to_have_text(["Call us"])
    expect(toast).to_be_visible()
    expect(toast).to_contain_text("Button deleted.")
    expect(page.locator("#canvas-status")).to_have_text("Button deleted.")
    expect(undo).to_be_enabled()
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)
    assert (
        len(saved_content(template)["richCard"]["standaloneCard"]["cardContent"]["suggestions"])
        == 1
    )

    toast.get_by_role("button", name="Undo").click()
    expect(toast).to_be_hidden()
    for region in ("iPhone preview", "Android preview"):
        expect(preview_buttons(page, region)).to_have_text(["Shop now", "Call us"])
    expect(page.locator("#canvas .button-block").first.get_by_label("Label")).to_have_value(
        "Shop now"
    )
    expect(page.locator("#canvas-status")).to_have_text("Undone.")
    expect(undo).to_be_disabled()
    expect(redo).to_be_enabled()
    # The undone state is a change like any other: marked unsaved, then autosaved.
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)
    buttons = saved_content(template)["richCard"]["standaloneCard"]["cardContent"]["suggestions"]
    assert [b["action"]["text"] for b in buttons] == ["Shop now", "Call us"]
    assert buttons[0]["ctaId"] == shop["ctaId"]


def test_shortcuts_undo_and_redo_a_new_card_outside_text_fields_only(editor):
    cards = [{"title": "Linen shirts"}, {"title": "Summer dresses"}]
    content = {"richCard": {"carouselCard": {"cardWidth": "MEDIUM", "cardContents": cards}}}
    page = editor(make_template(rcs_content=content, variables=[]))
    expect(page.get_by_role("button", name="Undo", exact=True)).to_be_disabled()
    canvas_cards = page.locator("#canvas .card-block")

    page.get_by_role("button", name="Add a card").click()
    expect(canvas_cards).to_have_count(3)
    expect(canvas_cards.nth(2).get_by_label("Title")).to_be_focused()
    expect(preview_cards(page, "Android preview")).to_have_count(3)

    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Control+z")
    expect(canvas_cards).to_have_count(2)
    for region in ("iPhone preview", "Android preview"):
        expect(preview_cards(page, region).locator(".rcs-title")).to_have_text(
            ["Linen shirts", "Summer dresses"]
        )

    page.keyboard.press("Control+Shift+z")
    expect(canvas_cards).to_have_count(3)
    for region in ("iPhone preview", "Android preview"):
        expect(preview_cards(page, region)).to_have_count(3)
    expect(page.get_by_role("button", name="Redo", exact=True)).to_be_disabled()

    # In a text field Ctrl+Z is the browser's own: it takes back the typing, not the card.
    first_title = canvas_cards.nth(0).get_by_label("Title")
    first_title.click()
    page.keyboard.press("End")
    page.keyboard.type(" sale")
    page.keyboard.press("Control+z")
    expect(first_title).not_to_have_value("Linen shirts sale")
    expect(canvas_cards).to_have_count(3)


def test_typing_in_a_field_is_one_step_and_ctrl_y_redoes_it(editor):
    template = make_template()
    page = editor(template)
    sms = page.get_by_label("SMS text")
    sms.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Last day of the sale!")
    page.get_by_role("heading", name="Message", exact=True).click()

    page.get_by_role("button", name="Undo", exact=True).first.click()
    expect(sms).to_have_value(template.sms_fallback)
    expect(page.get_by_role("button", name="Undo", exact=True).first).to_be_disabled()

    page.keyboard.press("Control+y")
    expect(sms).to_have_value("Last day of the sale!")
    expect(page.locator("#sms-meter")).to_contain_text("Last day of the sale!")
