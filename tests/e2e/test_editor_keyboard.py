"""The editor without a mouse: a carousel of three cards built with Tab and Enter only."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from editor.models import MessageTemplate
from tests.factories import make_brand, make_template
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"


@pytest.fixture
def template():
    return make_template(
        name="Summer collection", rcs_content={}, sms_fallback="", variables=[], brand=make_brand()
    )


@pytest.fixture
def marketer():
    user = User.objects.create_user("marie", "", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Marketing")[0])
    return user


def tab_to(page, target, *, backwards=False, limit=80):
    """Press Tab (or Shift+Tab) until target has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{target} never got the focus")


def card_titles(page, region):
    return page.get_by_role("region", name=region).locator(".rcs-card .rcs-title")


def test_a_carousel_of_three_cards_with_the_keyboard_only(page, template, marketer):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    login(page, "marie", PASSWORD)
    page.goto(f"{page.base_url}/templates/{template.pk}/")

    tab_to(page, page.get_by_role("button", name="Carousel", exact=True))
    page.keyboard.press("Enter")
    cards = page.locator("#canvas .card-block")
    expect(cards).to_have_count(2)
    expect(cards.nth(0).get_by_label("Title")).to_be_focused()
    status = page.locator("#canvas-status")
    expect(status).to_have_text("Carousel added.")
    page.keyboard.type("Linen shirts")

    tab_to(page, cards.nth(1).get_by_label("Title"))
    page.keyboard.type("Summer dresses")

    tab_to(page, page.get_by_role("button", name="Add a card"))
    page.keyboard.press("Enter")
    expect(cards).to_have_count(3)
    expect(cards.nth(2).get_by_label("Title")).to_be_focused()
    expect(status).to_have_text("Card 3 added to the carousel.")
    page.keyboard.type("Sandals")

    tab_to(page, page.get_by_role("button", name="Move card 3 left"))
    page.keyboard.press("Enter")
    expect(cards.nth(1).get_by_label("Title")).to_have_value("Sandals")
    expect(page.get_by_role("button", name="Move card 2 left")).to_be_focused()

    # The moved card is the selected one: a button from the palette goes into it.
    tab_to(page, page.get_by_role("button", name="Open link", exact=True), backwards=True)
    page.keyboard.press("Enter")
    label = cards.nth(1).locator(".button-block").get_by_label("Label")
    expect(label).to_be_focused()
    expect(status).to_have_text("Button added to card 2.")
    expect(page.locator("#button-target")).to_have_text("Buttons go to card 2.")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Shop sandals")

    expect(page.locator("#canvas .carousel-block .counter").first).to_contain_text("3 cards")
    for region in ("iPhone preview", "Android preview"):
        expect(card_titles(page, region)).to_have_text(
            ["Linen shirts", "Sandals", "Summer dresses"]
        )
        buttons = page.get_by_role("region", name=region).locator(".rcs-card").nth(1)
        expect(buttons.locator(".rcs-button")).to_have_text(["Shop sandals"])

    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=15_000)
    template = MessageTemplate.objects.get(pk=template.pk)
    cards_json = template.rcs_content["richCard"]["carouselCard"]["cardContents"]
    assert [card.get("title") for card in cards_json] == [
        "Linen shirts",
        "Sandals",
        "Summer dresses",
    ]
    assert cards_json[1]["suggestions"][0]["action"]["text"] == "Shop sandals"
    assert errors == []
