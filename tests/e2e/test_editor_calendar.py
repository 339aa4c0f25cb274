"""An "Add to calendar" button starts with an empty event title, never its own label."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from tests.factories import make_template
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def drag(page, source, target):
    """Drag with the mouse in small steps: SortableJS follows mouse moves, not drag events."""
    start = source.bounding_box()
    box = target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 8, start["y"] + start["height"] / 2 + 8)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4
    page.mouse.move(x, y, steps=15)
    page.mouse.move(x, y + 1)
    page.mouse.up()


def test_a_new_calendar_button_asks_for_the_event_title(page):
    user = User.objects.create_user("marie", "", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Marketing")[0])
    template = make_template(name="Essayage")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    login(page, "marie", PASSWORD)
    page.goto(f"{page.base_url}/templates/{template.pk}/")
    card = page.locator("#canvas .card-block")
    buttons = card.locator(".button-block")
    expect(buttons).to_have_count(1)
    drag(page, page.get_by_role("button", name="Add to calendar"), card.locator(".button-list"))
    expect(buttons).to_have_count(2)
    calendar = buttons.nth(1)
    expect(calendar.get_by_label("Label")).to_have_value("Add to my calendar")
    title = calendar.get_by_label("Event title")
    expect(title).to_have_value("")
    placeholder = "What the calendar shows, e.g. Fitting at Maison Relais"
    expect(title).to_have_attribute("placeholder", placeholder)
    expect(page.locator("#issues-summary")).to_contain_text("event title is empty")
