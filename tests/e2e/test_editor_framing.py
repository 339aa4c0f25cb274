"""Framing a card image in Chromium: drag the focal point, the cut moves, it is saved and kept."""

import os
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from editor.library import use_library_template
from messaging import walk
from tests.factories import make_brand
from tests.support.browser import marketer_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def flash_sale():
    """The library's flash sale (a standalone card with a 2:1 banner), as a fresh draft."""
    return use_library_template("flash_sale", make_brand(), language="en")


def open_editor(browser, live_server, template, viewport=DESKTOP, phone=False):
    page = marketer_page(browser, live_server, viewport=viewport, phone=phone, password=PASSWORD)
    page.goto(f"{page.base_url}/templates/{template.pk}/")
    expect(page.locator(".frame-cut.is-current").first).to_be_visible()
    return page


def card_media(template):
    template.refresh_from_db()
    return walk.standalone_card(template.rcs_content)["cardContent"]["media"]


def test_drag_the_focal_point_moves_the_cut_and_it_is_kept(
    browser, live_server, flash_sale, screenshot
):
    page = open_editor(browser, live_server, flash_sale)
    frame = page.locator("[data-framing]")
    current = frame.locator(".frame-cut.is-current")
    page.get_by_label("Image height").select_option("TALL")
    expect(frame.locator(".frame-cut.is-current .frame-cut-label")).to_have_text("Tall")
    before = current.bounding_box()

    box = frame.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] * 0.4, steps=6)
    page.mouse.up()

    after = current.bounding_box()
    assert after["x"] > before["x"] + 20, "the tall cut follows the point to the right"
    expect(page.locator("#canvas-status")).to_contain_text("Framing saved")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "saved", timeout=10_000)
    media = card_media(flash_sale)
    assert media["height"] == "TALL"
    assert "/standalone-tall-at-9" in media["contentInfo"]["fileUrl"]
    assert "-thumb.jpg" in media["contentInfo"]["thumbnailUrl"]
    # The iPhone preview shows the framed cut, the one that is sent.
    iphone = page.get_by_role("region", name="iPhone preview")
    expect(iphone.locator("img[src*='standalone-tall-at-9']")).to_have_count(1)
    screenshot(page, "editor-framing")

    # Another height keeps the focal point.
    page.get_by_label("Image height").select_option("SHORT")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "saved", timeout=10_000)
    assert "/standalone-short-at-9" in card_media(flash_sale)["contentInfo"]["fileUrl"]

    page.reload()
    expect(current).to_be_visible()
    reloaded = current.bounding_box()
    focus = page.locator(".frame-point").bounding_box()
    assert focus["x"] + focus["width"] / 2 > box["x"] + box["width"] * 0.85
    assert reloaded["width"] > reloaded["height"] * 2.5, "the short cut is 3:1"


def test_the_focal_point_moves_with_the_arrow_keys(browser, live_server, flash_sale):
    page = open_editor(browser, live_server, flash_sale)
    point = page.locator(".frame-point")
    point.focus()
    for _ in range(4):
        page.keyboard.press("ArrowLeft")
    expect(page.locator("#canvas-status")).to_contain_text("Framing saved")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "saved", timeout=10_000)
    assert "/standalone-medium-at-400-500.jpg" in card_media(flash_sale)["contentInfo"]["fileUrl"]


def test_framing_at_phone_width(browser, live_server, flash_sale, screenshot):
    page = open_editor(browser, live_server, flash_sale, viewport=PHONE, phone=True)
    frame = page.locator("[data-framing]")
    # At once (the page scrolls smoothly otherwise), the image under the sticky switch.
    frame.evaluate(
        "el => window.scrollTo({ top: el.getBoundingClientRect().top + scrollY - 120,"
        " behavior: 'instant' })"
    )
    assert frame.bounding_box()["width"] > 250, "the image takes the phone's width"
    screenshot(page, "editor-framing-phone")


def test_upload_progress_shows_on_the_image_slot(browser, live_server, flash_sale, tmp_path):
    page = open_editor(browser, live_server, flash_sale)
    # A noisy 1.5 MB photo over a slow uplink: the progress has time to show.
    photo = tmp_path / "photo.png"
    Image.frombytes("RGB", (800, 640), os.urandom(800 * 640 * 3)).save(photo)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 300_000},
    )
    slot = page.locator(".media-slot")
    with page.expect_file_chooser() as chooser:
        slot.get_by_role("button", name="Replace").click()
    chooser.value.set_files(str(photo))
    progress = slot.get_by_role("progressbar", name="Upload")
    expect(progress).to_be_visible()
    expect(progress).to_contain_text("Uploading…")
    expect(slot).to_have_class(re.compile(r"\bis-uploading\b"))
    expect(page.locator("#canvas-status")).to_contain_text("photo.png", timeout=20_000)
    expect(page.locator(".media-slot .media-progress")).to_be_hidden()
    expect(page.locator(".media-slot .frame-image")).to_be_visible()


def test_undo_puts_the_focal_point_back_and_a_carousel_card_is_framed_too(
    browser, live_server, screenshot
):
    template = use_library_template("product_launch", make_brand(), language="en")
    page = open_editor(browser, live_server, template)
    first = page.locator("[data-framing]").first
    expect(page.locator("[data-framing]")).to_have_count(3)
    # A carousel card of MEDIUM width: three heights, each with its frame.
    expect(first.locator(".frame-cut")).to_have_count(3)
    point = first.locator(".frame-point")
    start = point.bounding_box()
    point.focus()
    for _ in range(6):
        page.keyboard.press("ArrowUp")
    expect(page.locator("#canvas-status")).to_contain_text("Framing saved")
    template.refresh_from_db()
    cards = template.rcs_content["richCard"]["carouselCard"]["cardContents"]
    expect(page.locator("#save-status")).to_have_attribute("data-state", "saved", timeout=10_000)
    template.refresh_from_db()
    cards = template.rcs_content["richCard"]["carouselCard"]["cardContents"]
    assert "/medium-medium-at-500-350.jpg" in cards[0]["media"]["contentInfo"]["fileUrl"]
    assert "-at-" not in cards[1]["media"]["contentInfo"]["fileUrl"], "only that card moved"
    first.scroll_into_view_if_needed()
    screenshot(page, "editor-framing-carousel")

    page.get_by_role("button", name="Undo", exact=True).click()
    expect(page.locator("#save-status")).to_have_attribute("data-state", "saved", timeout=10_000)
    template.refresh_from_db()
    cards = template.rcs_content["richCard"]["carouselCard"]["cardContents"]
    assert cards[0]["media"]["contentInfo"]["fileUrl"].endswith("/medium-medium.jpg")
    back = page.locator("[data-framing]").first.locator(".frame-point").bounding_box()
    assert abs(back["y"] - start["y"]) < 2
