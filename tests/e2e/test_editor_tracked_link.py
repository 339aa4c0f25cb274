"""The SMS panel in real Chromium counts a link as the tracked link it becomes."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from messaging import links
from tests.factories import make_brand, make_template
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
DESKTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}
LONG_LINK = "https://shop.example/collections/" + "robes-ete-" * 20


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_a_long_link_counts_as_its_short_tracked_link(page, screenshot, viewport, name):
    user = User.objects.create_user("marie", "", PASSWORD, first_name="Marie")
    user.groups.add(Group.objects.get_or_create(name="Marketing")[0])
    template = make_template(brand=make_brand(name="Maison Relais"), name="Soldes d'été")
    page.set_viewport_size(viewport)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    login(page, "marie", PASSWORD)
    page.goto(f"{page.base_url}/templates/{template.pk}/")

    page.get_by_label("SMS text").fill(f"Summer sale, 40% off all dresses: {LONG_LINK}")

    # As written the text is over 230 characters (2 segments); as sent, one.
    tracked = f"{settings.LINK_BASE_URL}/l/{links.SAMPLE_CODE}"
    sent = f"Summer sale, 40% off all dresses: {tracked}"
    expect(page.locator("#sms-section")).to_contain_text(sent)
    characters = len(f"{sent}\nSTOP au 36111")
    expect(page.locator("#sms-meter")).to_contain_text(f"{characters} characters")
    expect(page.locator("#sms-meter [data-segments]")).to_contain_text("1 /")
    page.locator("#sms-section").evaluate(
        "el => el.scrollIntoView({block: 'start', behavior: 'instant'})"
    )
    screenshot(page, f"editor-sms-tracked-link-{name}")
