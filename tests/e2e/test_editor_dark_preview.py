"""Dark-mode previews: the toolbar switches both phones to dark, the choice is remembered, and
every text of the message keeps a readable contrast."""

import pytest
from playwright.sync_api import expect

from editor.library import use_library_template
from tests.factories import make_brand
from tests.support.browser import marketer_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

# WCAG 2 contrast of every visible text of the phones against the first opaque background
# behind it; returns the ones under 4.5:1.
LOW_CONTRAST = """(phones) => {
  const rgb = (css) => css.match(/[\\d.]+/g).map(Number);
  const channel = (c) => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const colour = rgb(getComputedStyle(el).backgroundColor);
      if (colour.length < 4 || colour[3] > 0.9) return colour;
    }
    return [255, 255, 255];
  };
  const selectors = ".brand-name, .thread-stamp, .bubble, .rcs-title, .rcs-desc, .rcs-button span, "
    + ".rcs-chip span, .sms-divider span, .sms-stamp, .thread-empty";
  const low = [];
  phones.querySelectorAll(selectors).forEach((el) => {
    if (!el.offsetParent || !el.textContent.trim()) return;
    const fg = luminance(rgb(getComputedStyle(el).color));
    const bg = luminance(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const text = el.textContent.trim().slice(0, 30);
    if (ratio < 4.5) low.push(el.className + " " + ratio.toFixed(2) + " " + text);
  });
  return low;
}"""


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def open_flash_sale(browser, live_server, viewport=DESKTOP, phone=False):
    template = use_library_template("flash_sale", make_brand(), language="en")
    page = marketer_page(browser, live_server, viewport=viewport, phone=phone, password=PASSWORD)
    page.goto(f"{page.base_url}/templates/{template.pk}/")
    expect(page.locator("#phones .phone-iphone")).to_be_attached()
    return page


def test_dark_mode_toggle_is_remembered_and_readable(browser, live_server, screenshot):
    page = open_flash_sale(browser, live_server)
    phones = page.locator("#phones")
    toggle = page.get_by_role("button", name="Dark mode")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    low = phones.evaluate(LOW_CONTRAST)
    assert low == [], "\n".join(low)

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(phones).to_have_attribute("data-theme", "dark")
    screen = page.locator(".device-iphone .device-screen")
    assert screen.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(0, 0, 0)"
    low = phones.evaluate(LOW_CONTRAST)
    assert low == [], "\n".join(low)
    screenshot(page, "editor-preview-dark")

    # A preview refreshed after an edit stays dark, and so does the page reloaded.
    page.get_by_label("Title").fill("Our sale is on")
    expect(page.locator(".device-android .rcs-title")).to_have_text("Our sale is on")
    expect(phones).to_have_attribute("data-theme", "dark")
    page.reload()
    expect(page.get_by_role("button", name="Dark mode")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#phones")).to_have_attribute("data-theme", "dark")

    page.get_by_role("button", name="Dark mode").click()
    expect(page.locator("#phones")).to_have_attribute("data-theme", "light")
    page.reload()
    expect(page.locator("#phones")).to_have_attribute("data-theme", "light")


def test_dark_mode_at_phone_width(browser, live_server, screenshot):
    page = open_flash_sale(browser, live_server, viewport=PHONE, phone=True)
    page.get_by_role("group", name="Show").get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Dark mode").click()
    page.get_by_role("button", name="Android", exact=True).click()
    android = page.get_by_role("region", name="Android preview")
    expect(android).to_be_visible()
    expect(page.locator("#phones")).to_have_attribute("data-theme", "dark")
    low = page.locator("#phones").evaluate(LOW_CONTRAST)
    assert low == [], "\n".join(low)
    # The buttons' colour transitions end before the picture is taken.
    expect(page.get_by_role("button", name="Android", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    page.wait_for_timeout(400)
    screenshot(page, "editor-preview-dark-phone")
