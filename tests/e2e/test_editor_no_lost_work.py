"""No lost work in the editor: two tabs, Back then type, leaving right after typing."""

import time

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from editor.models import MessageTemplate
from tests.factories import make_template
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
DESKTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}
CHANGED_ELSEWHERE = "This template was changed elsewhere (another tab or person)."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(page):
    """Sign in a marketer in English; open_editor(template, tab) opens it; script errors fail."""
    user = User.objects.create_user("marie", "", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Marketing")[0])
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    login(page, "marie", PASSWORD)
    errors = []

    def open_editor(template, tab=page):
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(f"{page.base_url}/templates/{template.pk}/")
        # At phone width the preview waits behind the Preview switch: present, maybe hidden.
        expect(tab.locator("#phones .phone-iphone")).to_be_attached()
        return tab

    yield open_editor
    assert errors == []


def saved_sms(template):
    return MessageTemplate.objects.get(pk=template.pk).sms_fallback


def eventually(read, expected):
    """Wait (10 s at most) for read() to give expected; return what it gave last."""
    deadline = time.monotonic() + 10
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value


def type_at_end(tab, text):
    field = tab.get_by_label("SMS text")
    field.click()
    tab.keyboard.press("End")
    tab.keyboard.type(text)


def test_a_second_tab_is_warned_and_its_stale_save_is_refused_not_written(editor, page):
    template = make_template(sms_fallback="Soldes")
    first = editor(template)
    second = editor(template, page.context.new_page())
    for tab in (first, second):
        expect(tab.locator("#editor-other-tab")).to_contain_text(
            "This template is also open in another tab."
        )

    type_at_end(first, " d'hiver")
    expect(first.locator("#save-status")).to_contain_text("Saved at")
    assert saved_sms(template) == "Soldes d'hiver"

    type_at_end(second, " d'été")
    banner = second.locator("#editor-conflict")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(CHANGED_ELSEWHERE)
    expect(second.locator("#save-status")).to_have_text("Not saved: changed elsewhere.")
    assert saved_sms(template) == "Soldes d'hiver"
    # More typing in the stale tab still saves nothing until the marketer chooses.
    type_at_end(second, "!")
    expect(second.locator("#save-status")).to_have_text("Not saved: changed elsewhere.")
    assert saved_sms(template) == "Soldes d'hiver"

    second.get_by_role("button", name="Reload").click()
    expect(second.get_by_label("SMS text")).to_have_value("Soldes d'hiver")
    expect(second.locator("#editor-conflict")).to_be_hidden()


def test_keep_mine_overwrites_the_newer_version_once_asked(editor):
    template = make_template(sms_fallback="Soldes")
    page = editor(template)
    elsewhere = MessageTemplate.objects.get(pk=template.pk)
    elsewhere.sms_fallback = "Changé ailleurs"
    elsewhere.save()

    type_at_end(page, " de printemps")
    expect(page.locator("#editor-conflict")).to_be_visible()
    assert saved_sms(template) == "Changé ailleurs"
    page.get_by_role("button", name="Keep mine").click()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    expect(page.locator("#editor-conflict")).to_be_hidden()
    assert saved_sms(template) == "Soldes de printemps"


def go_back_to(page, url_glob):
    """Press Back as the browser's button does and wait until the page at url_glob is there.

    Through history.back() in the page: Playwright's go_back first asks Chromium for the
    navigation history over the debugging protocol, and that call failed in CI ("Not attached
    to an active page") while a page was still being restored from the back-forward cache.
    "commit": a restored page fires no load event.
    """
    page.evaluate("() => history.back()")
    page.wait_for_url(url_glob, wait_until="commit")


def test_back_twice_then_typing_keeps_the_newer_draft(editor):
    template = make_template(sms_fallback="Soldes")
    page = editor(template)
    type_at_end(page, " d'hiver")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.get_by_role("link", name="Back to the templates").click()
    page.wait_for_url("**/templates/")
    editor(template)
    type_at_end(page, " : -40 %")
    expect(page.locator("#save-status")).to_contain_text("Saved at")

    go_back_to(page, "**/templates/")
    go_back_to(page, f"**/templates/{template.pk}/")
    # The page that comes back shows the newer draft, not the one it was left with.
    expect(page.get_by_label("SMS text")).to_have_value("Soldes d'hiver : -40 %")
    type_at_end(page, "!")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    assert saved_sms(template) == "Soldes d'hiver : -40 %!"


def test_back_to_the_editor_shows_what_was_saved_elsewhere_since(editor):
    template = make_template(sms_fallback="Soldes")
    page = editor(template)
    type_at_end(page, " d'hiver")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.get_by_role("link", name="Back to the templates").click()
    page.wait_for_url("**/templates/")
    elsewhere = MessageTemplate.objects.get(pk=template.pk)
    elsewhere.sms_fallback = "Changé ailleurs"
    elsewhere.save()

    go_back_to(page, f"**/templates/{template.pk}/")
    # Chromium fills the fields back in with what they held when the page was left.
    expect(page.get_by_label("SMS text")).to_have_value("Changé ailleurs")
    type_at_end(page, "!")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    assert saved_sms(template) == "Changé ailleurs!"


def test_a_page_the_back_forward_cache_restores_loads_again_before_saving(editor):
    template = make_template(sms_fallback="Soldes")
    page = editor(template)
    elsewhere = MessageTemplate.objects.get(pk=template.pk)
    elsewhere.sms_fallback = "Changé ailleurs"
    elsewhere.save()
    # The editor page is sent with no-store, which keeps today's Chromium from putting it in
    # the back-forward cache; other browsers may, and then send this event.
    with page.expect_navigation():
        page.evaluate("dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    expect(page.get_by_label("SMS text")).to_have_value("Changé ailleurs")


def test_leaving_right_after_typing_saves_the_last_characters(editor):
    template = make_template(sms_fallback="Soldes")
    page = editor(template)
    page.on("dialog", lambda dialog: dialog.accept())
    type_at_end(page, " ce week-end")
    # Well within the autosave's 1.5 s pause: only the save on leaving can keep this.
    page.get_by_role("link", name="Back to the templates").click()
    page.wait_for_url("**/templates/")
    assert eventually(lambda: saved_sms(template), "Soldes ce week-end") == "Soldes ce week-end"


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_conflict_banner_stays_in_sight(editor, page, screenshot, viewport, name):
    page.set_viewport_size(viewport)
    template = make_template(sms_fallback="Soldes")
    editor(template)
    elsewhere = MessageTemplate.objects.get(pk=template.pk)
    elsewhere.sms_fallback = "Changé ailleurs"
    elsewhere.save()
    type_at_end(page, " de printemps")
    banner = page.locator("#editor-conflict")
    expect(banner).to_be_visible()
    expect(banner).to_be_in_viewport()
    expect(page.get_by_role("button", name="Keep mine")).to_be_in_viewport()
    screenshot(page, f"editor-conflict-{name}")
