"""Helpers for the browser tests (tests/e2e): signing in through the real form."""


def login(page, username, password):
    """Sign in through the login form; fails the test if the form does not let the user in."""
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")
    assert "/accounts/login/" not in page.url, "sign-in failed"


def marketer_page(browser, live_server, *, viewport, phone=False, password, username="marie"):
    """A new Marketing user signed in, in English, on a fresh page at viewport (phones at a
    device scale of 2)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, "", password)
    user.groups.add(Group.objects.get_or_create(name="Marketing")[0])
    return signed_in_page(
        browser, live_server, user, viewport=viewport, phone=phone, password=password
    )


def signed_in_page(browser, live_server, user, *, viewport, phone=False, password):
    """user signed in, in English, on a fresh page at viewport (phones at a device scale of 2)."""
    context = browser.new_context(
        viewport=viewport, device_scale_factor=2 if phone else 1, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    login(page, user.get_username(), password)
    return page
