"""The "Generate from the RCS content" button in real Chromium: the flash sale and a carousel."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from editor.library import use_library_template
from tests.factories import make_brand
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
DESKTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}
FLASH_SALE_SMS = (
    "{{ prenom }}, les soldes -40 % ont commencé !\n"
    "Pendant {{ duree_offre }} seulement : -40 % sur une sélection mode femme et homme.\n"
    "https://shop.example/soldes"
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def open_library_template(page, key, viewport=DESKTOP, emoji=""):
    user = User.objects.create_user("marie", "", PASSWORD, first_name="Marie")
    user.groups.add(Group.objects.get_or_create(name="Marketing")[0])
    brand = make_brand(name="Maison Relais", sms_sender_id="MAISONREL")
    template = use_library_template(key, brand, language="fr")
    template.sms_fallback = ""
    if emoji:
        card = template.rcs_content["richCard"]["standaloneCard"]["cardContent"]
        card["title"] += " " + emoji
    template.save()
    page.set_viewport_size(viewport)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    login(page, "marie", PASSWORD)
    page.goto(f"{page.base_url}/templates/{template.pk}/")
    return page.locator("#sms-meter")


def generate(page):
    page.get_by_role("button", name="Generate from the RCS content").click()


def show_sms_panel(page):
    """Scroll the SMS panel to the top, with no button left hovered or focused."""
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement.blur()")
    page.locator("#sms-section").evaluate(
        "el => el.scrollIntoView({block: 'start', behavior: 'instant'})"
    )


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_generate_on_the_flash_sale_gives_one_segment_with_the_see_all_link(
    page, screenshot, viewport, name
):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    meter = open_library_template(page, "flash_sale", viewport)

    generate(page)

    expect(page.get_by_label("SMS text")).to_have_value(FLASH_SALE_SMS)
    expect(meter.locator("[data-segments]")).to_have_text("1 / 6 segments")
    expect(meter.locator("[data-encoding]")).to_have_text("GSM-7")
    as_sent = meter.locator(".as-sent-text").first
    expect(as_sent).to_contain_text("Marie, les soldes -40 % ont commencé !")
    expect(as_sent.locator(".stop-mention")).to_have_text("STOP au 36111")
    notes = meter.locator("[data-proposal-notes]")
    expect(notes).to_contain_text("Link of the button “Voir toutes les offres”.")
    expect(notes).to_contain_text("1 sentence of the RCS message left out")
    show_sms_panel(page)
    screenshot(page, f"editor-sms-generated-{name}")
    assert errors == []


def test_generate_on_a_carousel_names_every_card(page):
    meter = open_library_template(page, "product_launch")

    generate(page)

    sms = page.get_by_label("SMS text")
    expect(sms).to_have_value(
        "Collection Lumière, Lampe Aube, Lampe Zénith\nhttps://shop.example/collection-lumiere"
    )
    expect(meter.locator("[data-segments]")).to_have_text("1 / 6 segments")
    expect(meter.locator(".as-sent-text").first).to_contain_text("Collection Lumière, Lampe Aube")
    expect(meter.locator("[data-proposal-notes]")).to_contain_text(
        "3 sentences of the RCS message left out"
    )


def test_emoji_in_the_message_are_kept_and_offered_out(page):
    meter = open_library_template(page, "flash_sale", emoji="🎉")

    generate(page)

    expect(page.get_by_label("SMS text")).to_have_value(
        FLASH_SALE_SMS.replace("commencé !", "commencé ! 🎉")
    )
    expect(meter.locator("[data-encoding]")).to_have_text("UCS-2")
    offer = meter.locator("[data-emoji-free]")
    expect(offer).to_contain_text(
        "Only 🎉 keeps this SMS in UCS-2: 3 segments as written, 1 segment"
    )
    expect(offer.locator(".as-sent-text")).to_have_text(FLASH_SALE_SMS)


def test_one_click_takes_the_emoji_out_and_undo_puts_them_back(page):
    meter = open_library_template(page, "flash_sale", emoji="🎉")
    generate(page)
    with_emoji = FLASH_SALE_SMS.replace("commencé !", "commencé ! 🎉")
    expect(page.get_by_label("SMS text")).to_have_value(with_emoji)

    meter.get_by_role("button", name="Remove the emoji").click()

    expect(page.get_by_label("SMS text")).to_have_value(FLASH_SALE_SMS)
    expect(meter.locator("[data-encoding]")).to_have_text("GSM-7")
    expect(meter.locator("[data-emoji-free]")).to_have_count(0)
    page.get_by_role("button", name="Undo", exact=True).first.click()
    expect(page.get_by_label("SMS text")).to_have_value(with_emoji)
    expect(meter.locator("[data-encoding]")).to_have_text("UCS-2")
