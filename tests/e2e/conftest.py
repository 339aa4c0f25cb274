"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against Django's live server."""

import os
import threading
import time
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are plain synchronous calls, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class InFlight:
    """Counts the live server's requests still running (its threads send Django's signals)."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    def started(self, **kwargs):
        # The test client's requests run in the main thread and may never be closed (a
        # streamed response a test did not read): only the live server's threads count.
        if threading.current_thread() is not threading.main_thread():
            with self.lock:
                self.count += 1

    def finished(self, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            with self.lock:
                self.count = max(0, self.count - 1)

    def reset(self):
        with self.lock:
            self.count = 0

    def wait_quiet(self, quiet=0.5, limit=10.0):
        """Return once no request has run for `quiet` seconds (or after `limit` seconds)."""
        deadline = time.monotonic() + limit
        calm_since = time.monotonic()
        while time.monotonic() < deadline:
            if self.count:
                calm_since = time.monotonic()
            elif time.monotonic() - calm_since >= quiet:
                return
            time.sleep(0.05)


IN_FLIGHT = InFlight()
request_started.connect(IN_FLIGHT.started, dispatch_uid="e2e-in-flight-started")
request_finished.connect(IN_FLIGHT.finished, dispatch_uid="e2e-in-flight-finished")


@pytest.fixture(autouse=True)
def quiet_live_server(request):
    """Let the requests a closing page still sends (the editor saves on exit, panels poll)
    finish before the database is emptied: on PostgreSQL a request still writing while the
    tables are truncated deadlocks the flush, and the next test starts on leftovers."""
    if "live_server" not in request.fixturenames:
        yield
        return
    # Set up now, so it is torn down (the flush) after this fixture's wait.
    request.getfixturevalue("transactional_db")
    IN_FLIGHT.reset()
    yield
    IN_FLIGHT.wait_quiet()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            "browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 860}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Save a screenshot into docs/screenshots when RELAIS_SCREENSHOTS=1 (make screenshots)."""

    def take(page, name, *, full_page=False):
        if os.environ.get("RELAIS_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    return take
