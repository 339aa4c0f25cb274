"""Test-session set-up shared by the whole suite: the embedded Redis when no REDIS_URL is given,
a fast password hasher."""

import pytest

# The helpers in tests/support/ assert like tests do: show the compared values on failure.
pytest.register_assert_rewrite("tests.support")

# Fixtures shared across test folders live in tests/support/, never in a conftest another imports.
pytest_plugins = [
    "tests.support.analytics",
    "tests.support.links",
    "tests.support.providers",
    "tests.support.secret_logs",
    "tests.support.sending",
    "tests.support.webhooks",
]


@pytest.fixture(scope="session", autouse=True)
def _redis_for_tests():
    from django.conf import settings

    process = None
    if settings.EMBEDDED_REDIS:
        from config import embedded_redis

        process = embedded_redis.start(settings.REDIS_SOCKET, persist=False)
    yield
    if process is not None:
        from config import embedded_redis

        embedded_redis.stop(process, remove_files_of=settings.REDIS_SOCKET)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Hash passwords with MD5 for the whole run: PBKDF2 spends ~0.4 s on each user signed in.

    Settings are process-wide, so the live server's thread (browser tests) sees it too; the RQ
    worker test's subprocess keeps the real hashers, and hashes no password.
    """
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _promotion_rules_off():
    """Tests run at any hour and send several promotions to one number: quiet hours and the
    frequency cap are off unless a test turns them on (the `promotion_rules` fixture)."""
    from django.test import override_settings

    with override_settings(QUIET_HOURS_POLICY="none", PROMOTION_CAP_PER_24H=0):
        yield


@pytest.fixture(scope="session", autouse=True)
def _anonymous_api_budget_wide():
    """Every test client calls from 127.0.0.1: the budget of answers no API key paid for (401,
    405, unknown paths) would carry over from test to test, so it is wide unless a test narrows
    it (settings.API_ANONYMOUS_RATE_LIMIT_PER_MINUTE)."""
    from django.test import override_settings

    with override_settings(API_ANONYMOUS_RATE_LIMIT_PER_MINUTE=100_000):
        yield


@pytest.fixture
def english(settings):
    """Run a test in English: the default language is French, tests check English wording."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
