"""The visual editor in real Chromium, driven like a marketer would: drag, type, fix, publish."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from editor.library import IMAGES_DIR as LIBRARY_IMAGES
from editor.models import MessageTemplate
from tests.factories import make_brand, make_template
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def brand():
    return make_brand(name="Maison Relais", sms_sender_id="MAISONREL")


@pytest.fixture
def marketer():
    user = User.objects.create_user("marie", "", PASSWORD, first_name="Marie")
    user.groups.add(Group.objects.get_or_create(name="Marketing")[0])
    return user


def in_english(page):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])


def drag(page, source, target, *, where="center"):
    """Drag with the mouse in small steps: SortableJS follows mouse moves, not HTML5 drag events."""
    start = source.bounding_box()
    box = target.bounding_box()
    x = box["x"] + box["width"] / 2
    y = {
        "center": box["y"] + box["height"] / 2,
        "top": box["y"] + 6,
        "bottom": box["y"] + box["height"] - 4,
    }[where]
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(
        start["x"] + start["width"] / 2 + 8, start["y"] + start["height"] / 2 + 8, steps=3
    )
    page.mouse.move(x, y, steps=15)
    page.mouse.move(x, y + 1)
    page.mouse.up()


def preview_labels(page, region):
    return page.get_by_role("region", name=region).locator(".rcs-button span")


def test_build_the_flash_sale_from_scratch_fix_it_and_publish(page, brand, marketer, screenshot):
    page.set_viewport_size({"width": 1440, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    in_english(page)
    login(page, "marie", PASSWORD)
    page.get_by_role("link", name="New template").click()
    page.get_by_label("Name").fill("Flash sale")
    page.get_by_role("button", name="Create and open the editor").click()
    expect(page.get_by_role("region", name="iPhone preview")).to_be_visible()

    canvas = page.locator("#canvas")
    drag(
        page,
        page.get_by_role("button", name="Rich card", exact=True),
        canvas.locator("[data-list=message]"),
    )
    card = canvas.locator(".card-block")
    expect(card).to_have_count(1)
    with page.expect_file_chooser() as chooser:
        card.get_by_role("button", name="Upload an image").click()
    chooser.value.set_files(str(LIBRARY_IMAGES / "flash_sale_en.jpg"))
    expect(card.locator("img.frame-image")).to_be_visible()
    expect(
        page.get_by_role("region", name="Android preview").locator(".rcs-media img")
    ).to_be_visible()

    page.get_by_role("button", name="Add a variable").click()
    page.get_by_label("Variable name").fill("first_name")
    page.get_by_label("Sample value").fill("Emma")
    title = card.get_by_label("Title")
    title.click()
    page.get_by_role("button", name="Insert {{ first_name }}").click()
    title.press("End")
    title.press_sequentially(", 40% off everything")
    expect(title).to_have_value("{{ first_name }}, 40% off everything")
    card.get_by_label("Description").fill("48 hours only, on the whole shop.")

    buttons = card.locator(".button-block")
    for count in (1, 2, 3):
        drag(
            page,
            page.get_by_role("button", name="Open link", exact=True),
            card.locator(".button-list"),
            where="bottom",
        )
        expect(buttons).to_have_count(count)
    for index, (label, url) in enumerate(
        [
            ("Women", "https://shop.example/women"),
            ("Men", "https://shop.example/men"),
            ("Kids", "https://shop.example/kids"),
        ]
    ):
        buttons.nth(index).get_by_label("Label").fill(label)
        buttons.nth(index).get_by_label("Link").fill(url)

    for region in ("iPhone preview", "Android preview"):
        phone = page.get_by_role("region", name=region)
        expect(phone.locator(".rcs-title")).to_have_text("Emma, 40% off everything")
        expect(preview_labels(page, region)).to_have_text(["Women", "Men", "Kids"])

    # Kids first: drag its handle above the first button.
    drag(page, buttons.nth(2).locator(".drag-handle"), buttons.nth(0), where="top")
    expect(buttons.nth(0).get_by_label("Label")).to_have_value("Kids")
    for region in ("iPhone preview", "Android preview"):
        expect(preview_labels(page, region)).to_have_text(["Kids", "Women", "Men"])

    label = buttons.nth(1).get_by_label("Label")
    label.fill("Women: every dress at -40%")  # 26 characters
    counter = buttons.nth(1).locator(".counter")
    expect(counter).to_have_text("26/25")
    expect(counter).to_have_class(re.compile("is-over"))
    expect(label).to_have_attribute("aria-invalid", "true")
    error = buttons.nth(1).locator(".issue-msg")
    expect(error).to_have_text("label is 26 characters, the limit is 25")
    expect(page.locator("#issues-summary")).to_contain_text("Button 2: label is 26 characters")
    page.mouse.move(1, 1)
    card.evaluate("el => el.scrollIntoView({block: 'start', behavior: 'instant'})")
    screenshot(page, "editor-error")
    label.fill("Women: dresses at -40%")
    expect(counter).to_have_text("22/25")
    expect(error).to_have_count(0)
    expect(label).not_to_have_attribute("aria-invalid", "true")

    sms = page.get_by_label("SMS text")
    sms.fill("Flash sale: 40% off, it’s on for 48 hours! https://shop.example/sale")
    meter = page.locator("#sms-meter")
    expect(meter.locator("[data-encoding]")).to_have_text("UCS-2")
    expect(meter.locator("mark.ucs2")).to_have_text("’")
    expect(meter).to_contain_text("STOP au 36111")
    page.locator("#sms-section").evaluate(
        "el => el.scrollIntoView({block: 'start', behavior: 'instant'})"
    )
    screenshot(page, "editor-sms-fallback")
    page.get_by_role("button", name="Replace look-alike characters").click()
    expect(sms).to_have_value(
        "Flash sale: 40% off, it's on for 48 hours! https://shop.example/sale"
    )
    expect(meter.locator("[data-encoding]")).to_have_text("GSM-7")

    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#editor-alert")).to_contain_text("Version 1 published.")
    history = page.get_by_role("region", name="Version history")
    expect(history).to_contain_text("Version 1")
    expect(page.locator("#status-badge")).to_have_text("Published")

    template = MessageTemplate.objects.get(name="Flash sale")
    version = template.versions.get()
    card_json = version.rcs_content["richCard"]["standaloneCard"]["cardContent"]
    assert [b["action"]["text"] for b in card_json["suggestions"]] == [
        "Kids",
        "Women: dresses at -40%",
        "Men",
    ]
    assert card_json["title"] == "{{ first_name }}, 40% off everything"
    assert card_json["media"]["contentInfo"]["fileUrl"].endswith("standalone-medium.jpg")
    assert version.variables == [{"name": "first_name", "default": None, "sample": "Emma"}]
    assert "it's on" in version.sms_fallback
    assert version.sms_fallback.endswith("STOP au 36111")

    history.get_by_role("link", name="View version 1").click()
    expect(page.get_by_role("heading", name="Version 1")).to_be_visible()
    expect(preview_labels(page, "Android preview")).to_have_text(
        ["Kids", "Women: dresses at -40%", "Men"]
    )
    assert errors == []


def test_leaving_with_unsaved_changes_warns_until_the_draft_is_saved(page, brand, marketer):
    template = make_template(brand=brand)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    in_english(page)
    login(page, "marie", PASSWORD)
    page.goto(f"{page.base_url}/templates/{template.pk}/")
    page.get_by_label("SMS text").fill("Soldes : -40 % ce week-end")
    expect(page.locator("#save-status")).to_have_text("Unsaved changes")

    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="Back to the templates").click()
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/templates/{template.pk}/")

    page.get_by_role("link", name="Back to the templates").click()
    expect(page.get_by_role("heading", name="Templates")).to_be_visible()
    assert dialogs == ["beforeunload"]
    template.refresh_from_db()
    assert template.sms_fallback == "Soldes : -40 % ce week-end"
    assert errors == []
