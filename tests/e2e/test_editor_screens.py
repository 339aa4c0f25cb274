"""The template screens on the demo data: list, library, an empty editor, a carousel, a tablet,
and a Viewer who can look but not change. Screenshots go to docs/screenshots."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from editor.models import MessageTemplate
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture(autouse=True)
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", verbosity=0)


def user_with_role(username, role):
    user = User.objects.create_user(username, "", PASSWORD, first_name=username.title())
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def open_as(page, username, role, viewport=DESKTOP):
    user_with_role(username, role)
    page.set_viewport_size(viewport)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    login(page, username, PASSWORD)


def edit(page, slug):
    template = MessageTemplate.objects.get(slug=slug)
    page.goto(f"{page.base_url}/templates/{template.pk}/")
    expect(page.get_by_role("region", name="iPhone preview")).to_be_visible()
    return template


def test_list_library_empty_editor_and_carousel(page, screenshot):
    open_as(page, "marie", "Marketing")
    page.goto(page.base_url + "/templates/")
    expect(page.get_by_role("link", name="Lancement de collection", exact=True)).to_be_visible()
    screenshot(page, "editor-templates")
    page.get_by_label("Search", exact=True).fill("launch")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Collection launch", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Lancement de collection", exact=True)).to_have_count(0)

    page.get_by_role("link", name="From the library").click()
    expect(page.get_by_role("heading", name="Order confirmation")).to_be_visible()
    screenshot(page, "editor-library")

    page.goto(page.base_url + "/templates/new/")
    page.get_by_label("Name").fill("Spring newsletter")
    page.get_by_role("button", name="Create and open the editor").click()
    expect(page.get_by_text("Drag a block here")).to_be_visible()
    for name in ("Text", "Image", "Rich card", "Carousel", "Reply", "Open link", "Call"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    for region in ("iPhone preview", "Android preview"):
        expect(page.get_by_role("region", name=region)).to_contain_text("Maison Relais")
    screenshot(page, "editor-empty")

    edit(page, "lancement_produit_en_v1")
    for region in ("iPhone preview", "Android preview"):
        phone = page.get_by_role("region", name=region)
        expect(phone.get_by_role("group", name="Carousel of 3 cards")).to_be_visible()
        expect(phone.locator(".rcs-card img")).to_have_count(3)
    page.mouse.move(1, 1)
    screenshot(page, "editor-carousel")


def test_tablet_shows_one_phone_at_a_time(page, screenshot):
    open_as(page, "marie", "Marketing", viewport={"width": 1024, "height": 768})
    edit(page, "promo_soldes_en_v1")
    iphone = page.get_by_role("region", name="iPhone preview")
    android = page.get_by_role("region", name="Android preview")
    expect(iphone).to_be_visible()
    expect(android).to_be_hidden()
    screenshot(page, "editor-tablet")
    page.get_by_role("button", name="Android", exact=True).click()
    expect(android).to_be_visible()
    expect(iphone).to_be_hidden()


def test_a_viewer_reads_the_editor_but_cannot_change_it(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_as(page, "victor", "Viewer")
    edit(page, "promo_soldes_en_v1")
    expect(page.get_by_text("Read-only: your role can look")).to_be_visible()
    expect(page.get_by_role("button", name="Rich card", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    expect(page.locator("#canvas").get_by_label("Title")).to_be_disabled()
    expect(page.get_by_label("SMS text")).to_be_disabled()
    expect(page.get_by_role("region", name="Android preview")).to_contain_text("Women's sale")
    assert errors == []
