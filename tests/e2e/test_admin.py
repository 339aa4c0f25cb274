"""The admin as an admin who is not a developer sees it: Relais' sections, nothing technical."""

import pytest
from django.contrib.auth.models import Permission, User
from playwright.sync_api import expect

from tests.factories import make_brand, make_template
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def office_admin():
    user = User.objects.create_user("claire", "", PASSWORD, first_name="Claire", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=("editor", "audience", "sending", "api")
        )
        | Permission.objects.filter(content_type__app_label="auth", content_type__model="user")
    )
    return user


@pytest.mark.parametrize("width", [1366, 390])
def test_a_staff_admin_sees_relais_sections_and_a_link_to_the_editor(
    page, office_admin, screenshot, width
):
    page.set_viewport_size({"width": width, "height": 860})
    template = make_template(name="Soldes d'hiver", brand=make_brand(name="Maison Relais"))
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    login(page, "claire", PASSWORD)
    page.goto(page.base_url + "/admin/")
    expect(page.locator("#site-name")).to_have_text("Relais administration")
    captions = page.locator("#content-main caption")
    expect(captions).to_have_text(
        ["Templates and brands", "Audience", "Sending", "API keys", "Users and roles"]
    )
    expect(page.get_by_text("Django-RQ")).to_have_count(0)
    expect(page.get_by_text("Access attempts")).to_have_count(0)
    suffix = "" if width > 1000 else "-phone"
    screenshot(page, f"admin-index{suffix}", full_page=True)

    page.goto(f"{page.base_url}/admin/editor/messagetemplate/{template.pk}/change/")
    expect(page.get_by_label("RCS deadline (minutes)")).to_be_visible()
    screenshot(page, f"admin-template{suffix}", full_page=True)
    page.get_by_role("link", name="Edit in the editor").first.click()
    expect(page).to_have_url(f"{page.base_url}/templates/{template.pk}/")
