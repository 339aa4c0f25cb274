"""Helpers for the browser tests (tests/e2e): signing in through the real form."""


def login(page, username, password):
    """Sign in through the login form; fails the test if the form does not let the user in."""
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")
    assert "/accounts/login/" not in page.url, "sign-in failed"
