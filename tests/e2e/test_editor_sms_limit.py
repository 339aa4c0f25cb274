"""The SMS panel in real Chromium: segments out of the brand's limit, red past it."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from tests.factories import make_brand, make_template
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
DESKTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}
LONG = (
    "Flash sale at Maison Relais: 40% off every dress, shirt and pair of shoes this weekend "
    "only, in all our shops and online. Free delivery from 50 euros, free returns for 30 days. "
) * 2 + "https://shop.example/sale"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def open_editor(page, viewport):
    user = User.objects.create_user("marie", "", PASSWORD, first_name="Marie")
    user.groups.add(Group.objects.get_or_create(name="Marketing")[0])
    brand = make_brand(name="Maison Relais", sms_max_segments=2)
    template = make_template(brand=brand, name="Flash sale")
    page.set_viewport_size(viewport)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    login(page, "marie", PASSWORD)
    page.goto(f"{page.base_url}/templates/{template.pk}/")
    return page.locator("#sms-meter")


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_sms_panel_shows_the_limit_and_turns_red_past_it(page, screenshot, viewport, name):
    meter = open_editor(page, viewport)
    sms = page.get_by_label("SMS text")
    sms.fill("Flash sale: 40% off this weekend! https://shop.example/sale")
    expect(meter.locator("[data-segments]")).to_have_text("1 / 2 segments")
    expect(meter.locator("[data-over-limit]")).to_have_count(0)

    sms.fill(LONG)
    expect(meter.locator("[data-segments]")).to_have_text("3 / 2 segments")
    expect(meter.locator("[data-segments]")).to_have_class("text-danger fw-semibold")
    expect(meter.locator("[data-over-limit]")).to_contain_text(
        "the brand “Maison Relais” allows 2 segments per SMS"
    )
    page.locator("#sms-section").evaluate(
        "el => el.scrollIntoView({block: 'start', behavior: 'instant'})"
    )
    screenshot(page, f"editor-sms-limit-{name}")
