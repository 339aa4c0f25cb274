"""Relais moves to another address: every image of the library templates, of their published
versions, of the media library and the brand logo still loads in Chromium."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from editor.models import MessageTemplate
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"

# Lazy images load only when scrolled to: load them all, wait, then list the broken ones.
BROKEN_IMAGES = """async () => {
  const images = Array.from(document.images);
  images.forEach((image) => { image.loading = "eager"; });
  await Promise.all(images.map((image) => image.decode().catch(() => null)));
  return {
    count: images.length,
    broken: images.filter((image) => image.naturalWidth === 0).map((image) => image.src),
  };
}"""


@pytest.fixture(autouse=True)
def demo_made_on_localhost(settings, tmp_path):
    """The demo (every library template, published, and the brand logo) made under the default
    address; then PUBLIC_BASE_URL becomes the production one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_BASE_URL = "http://localhost:8000"
    call_command("seed_demo", verbosity=0)
    settings.PUBLIC_BASE_URL = "https://relais.example"


@pytest.fixture
def marketer(page):
    """Signed in as a marketer; requests leaving the test server fail instead of going out."""
    own = urlsplit(page.base_url).netloc
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if urlsplit(route.request.url).netloc == own else route.abort()
        ),
    )
    user = User.objects.create_user("marie", "", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Marketing")[0])
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    login(page, "marie", PASSWORD)
    return page


def assert_images_load(page, at_least):
    found = page.evaluate(BROKEN_IMAGES)
    assert found["broken"] == [], page.url
    assert found["count"] >= at_least, page.url


def test_every_library_image_and_every_published_image_loads_after_a_move(marketer):
    page = marketer
    templates = list(MessageTemplate.objects.order_by("slug"))
    assert len(templates) >= 10
    with_images = []
    for template in templates:
        version = template.current_version
        for path in (f"/templates/{template.pk}/", f"/templates/{template.pk}/versions/1/"):
            page.goto(page.base_url + path)
            expect(page.get_by_role("region", name="iPhone preview").first).to_be_visible()
            # The brand logo in both phones, at least.
            assert_images_load(page, at_least=3)
        if "fileUrl" in str(version.rcs_content):
            with_images.append(template)
    assert len(with_images) >= 5

    page.goto(page.base_url + "/templates/library/")
    assert_images_load(page, at_least=8)

    page.goto(page.base_url + f"/templates/{with_images[0].pk}/")
    page.get_by_role("button", name="Media library").first.click()
    expect(page.locator(".media-choice img").first).to_be_visible()
    assert_images_load(page, at_least=8)
