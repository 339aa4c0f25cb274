"""The product shell in a real browser: sign in, navigate, switch language, on desktop and phone."""

import pytest
from django.contrib.auth.models import Group, User

from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"


@pytest.fixture
def marketer():
    user = User.objects.create_user("marie", "", PASSWORD, first_name="Marie", last_name="Curie")
    # Transactional tests flush the tables, the roles of the data migration included.
    user.groups.add(Group.objects.get_or_create(name="Marketing")[0])
    return user


def test_sign_in_and_navigate_in_french_then_english(page, marketer, screenshot):
    page.goto(page.base_url + "/accounts/login/")
    assert page.get_by_role("heading", name="Connexion").is_visible()
    screenshot(page, "login-fr")
    login(page, "marie", PASSWORD)
    assert page.get_by_role("link", name="Modèles").is_visible()
    screenshot(page, "shell-templates-fr")
    page.get_by_role("link", name="Tableau de bord").click()
    assert page.get_by_role("heading", name="Tableau de bord").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="EN").click()
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "shell-dashboard-en")


@pytest.mark.parametrize(
    ("language", "menu_label", "audience_label"),
    [("en", "Open the menu", "Audience"), ("fr", "Ouvrir le menu", "Audience")],
)
def test_shell_on_a_phone(
    browser, live_server, marketer, screenshot, language, menu_label, audience_label
):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        locale="en-GB" if language == "en" else "fr-FR",
    )
    page = context.new_page()
    page.base_url = live_server.url
    page.goto(page.base_url + "/accounts/login/")
    screenshot(page, f"login-phone-{language}")
    login(page, "marie", PASSWORD)
    menu = page.get_by_role("button", name=menu_label)
    assert menu.is_visible()
    menu.click()
    # Wait for Bootstrap's collapse animation to end before looking.
    page.wait_for_selector("#nav-main.show:not(.collapsing)")
    screenshot(page, f"shell-menu-phone-{language}")
    page.get_by_role("link", name=audience_label).click()
    # The audience opens on its contacts ("Contacts" in both languages).
    assert page.get_by_role("heading", name="Contacts", level=1).is_visible()
    assert page.locator("html").get_attribute("lang") == language
    screenshot(page, f"shell-audience-phone-{language}")
    context.close()
