"""The template list at 1440 px (filter labels and choices whole, in French) and at phone
width (cards, no sideways scrolling, names whole); the library's preview before using one."""

import pytest
from playwright.sync_api import expect

from editor.library import ENTRIES, use_library_template
from tests.factories import make_brand
from tests.support.browser import marketer_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

# Filter labels and the chosen option of each select that do not fit their box.
CUT_FILTERS = """(form) => {
  const canvas = document.createElement("canvas").getContext("2d");
  const cut = [];
  form.querySelectorAll("label").forEach((label) => {
    if (label.scrollWidth > label.clientWidth + 1) cut.push("label " + label.textContent.trim());
  });
  form.querySelectorAll("select").forEach((select) => {
    const style = getComputedStyle(select);
    canvas.font = style.font;
    const text = select.options[select.selectedIndex].text;
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const room = select.clientWidth - padding;
    if (canvas.measureText(text).width > room) cut.push("select " + text);
  });
  return cut;
}"""


@pytest.fixture(autouse=True)
def templates(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    brand = make_brand(name="Maison Relais")
    for entry in ENTRIES[:4]:
        for language in ("fr", "en"):
            use_library_template(entry.key, brand, language=language)


def open_list(browser, live_server, viewport, phone=False, language="en"):
    page = marketer_page(browser, live_server, viewport=viewport, phone=phone, password=PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])
    page.goto(page.base_url + "/templates/")
    return page


def test_list_at_1440_shows_language_thumbnails_and_whole_filters(browser, live_server, screenshot):
    page = open_list(browser, live_server, DESKTOP, language="fr")
    form = page.get_by_role("search")
    assert form.evaluate(CUT_FILTERS) == []
    for label in ("Langue", "Marque", "Cas d’usage", "Statut"):
        form.get_by_label(label, exact=True).select_option(index=1)
        assert form.evaluate(CUT_FILTERS) == []
    page.goto(page.base_url + "/templates/")

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    page.goto(page.base_url + "/templates/")
    assert page.get_by_role("search").evaluate(CUT_FILTERS) == []
    expect(page.locator(".message-thumb")).to_have_count(8)
    expect(page.locator("img.message-thumb")).to_have_count(8)
    screenshot(page, "editor-templates-filters")
    page.get_by_role("search").get_by_label("Language", exact=True).select_option("en")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".template-row")).to_have_count(4)
    expect(page.locator(".cell-language [aria-hidden]")).to_have_text(["EN"] * 4)


def test_list_at_phone_width_is_cards_without_sideways_scrolling(browser, live_server, screenshot):
    page = open_list(browser, live_server, PHONE, phone=True)
    rows = page.locator(".template-row")
    expect(rows).to_have_count(8)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    widths = page.locator(".template-name").evaluate_all(
        "els => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent)"
    )
    assert widths == []
    first = rows.first.bounding_box()
    assert first["width"] > 300, "a card takes the screen's width"
    expect(rows.first.get_by_role("link", name="Edit")).to_be_visible()
    page.locator(".template-table").scroll_into_view_if_needed()
    screenshot(page, "editor-templates-phone")


def test_library_preview_before_using_a_template(browser, live_server, screenshot):
    page = open_list(browser, live_server, DESKTOP)
    page.goto(page.base_url + "/templates/library/?language=en")
    page.get_by_role("article", name="Win back an inactive customer").scroll_into_view_if_needed()
    screenshot(page, "editor-library")
    card = page.get_by_role("article", name="Appointment reminder")
    card.get_by_role("button", name="Preview").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("region", name="iPhone preview")).to_be_visible()
    expect(dialog.get_by_role("region", name="Android preview")).to_be_visible()
    image = dialog.locator(".phone-iphone .rcs-media img")
    expect(image).to_have_attribute("src", "/static/editor/library/appointment.jpg")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    screenshot(page, "editor-library-preview")
    with page.expect_navigation():
        dialog.get_by_role("button", name="Use this template").click()
    expect(page.get_by_role("region", name="iPhone preview")).to_be_visible()
    assert "/templates/" in page.url
