"""The capability audit in real Chromium: start it on a test list, watch the progress bar move,
read the result and its cost, make the two segments; on a desktop and on a phone."""

import threading

import pytest
from django.db import connection
from playwright.sync_api import expect

from audience import audit as audits
from audience.models import CapabilityAudit, Contact, ContactList
from tests.factories import make_list
from tests.support.browser import marketer_page
from tests.support.providers import SIMULATOR_SETTINGS
from tests.support.sending import ALWAYS_RCS, NEVER_RCS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
CONTACTS = 200
CHUNK = 80


class Gate:
    """A pace that lets the first chunk through and holds the next until the test opens it."""

    def __init__(self):
        self.calls = 0
        self.opened = threading.Event()

    def wait(self):
        self.calls += 1
        if self.calls > 1:
            assert self.opened.wait(20), "the test never opened the gate"


def customers():
    contact_list = make_list(name="Clients fidèles", test_mode=True)
    phones = [ALWAYS_RCS, NEVER_RCS, *(f"+3361{n:07d}" for n in range(CONTACTS - 2))]
    contacts = Contact.objects.bulk_create(Contact(phone=phone, test_mode=True) for phone in phones)
    contact_list.contacts.add(*contacts, through_defaults={"source": "import"})
    return contact_list


@pytest.mark.parametrize(
    ("name", "viewport"),
    [("desktop", {"width": 1366, "height": 900}), ("phone", {"width": 390, "height": 844})],
)
def test_an_audit_runs_shows_its_result_and_makes_the_two_segments(
    browser, live_server, settings, jobs, monkeypatch, screenshot, name, viewport
):
    for setting, value in SIMULATOR_SETTINGS.items():
        setattr(settings, setting, value)
    monkeypatch.setattr(audits, "chunk_size", lambda provider: CHUNK)
    customers()
    page = marketer_page(
        browser, live_server, viewport=viewport, phone=name == "phone", password=PASSWORD
    )

    page.goto(f"{page.base_url}/audience/?mode=test")
    page.get_by_role("link", name="RCS reach").click()
    page.get_by_label("List or segment to check").select_option(label="Clients fidèles")
    page.get_by_role("button", name="Check RCS reach").click()
    progress = page.get_by_role("status", name="Audit progress")
    expect(progress.locator("[data-audit-count]")).to_have_text(f"0 of {CONTACTS} numbers checked")
    assert jobs.names() == ["run_capability_audit"]

    # The worker: one chunk, then it waits until the page has shown that chunk.
    audit = CapabilityAudit.objects.get()
    gate = Gate()

    def work():
        try:
            audits.run_audit(audit.pk, pace=gate)
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        expect(progress.locator("[data-audit-count]")).to_have_text(
            f"{CHUNK} of {CONTACTS} numbers checked", timeout=8_000
        )
        expect(progress.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "40")
        if name == "desktop":
            screenshot(page, "audience-audit-progress")
    finally:
        gate.opened.set()
        worker.join(20)

    # Done: the page reloads itself with the result.
    audit.refresh_from_db()
    result = page.locator("[data-result=rcs_yes]")
    expect(result).to_contain_text(str(audit.rcs_yes), timeout=8_000)
    assert audit.rcs_yes + audit.rcs_no == CONTACTS and audit.unknown == 0
    expect(page.locator("[data-result=rcs_no]")).to_contain_text(str(audit.rcs_no))
    share = round(100 * audit.rcs_yes / CONTACTS, 1)
    expect(result).to_contain_text(f"{share:g} %")

    # The estimate follows the number of SMS segments typed.
    segments_input = page.get_by_label("SMS segments per message")
    segments_input.fill("2")
    segments_input.dispatch_event("change")
    sms_cost = audit.rcs_no * 2 * settings.SMS_SEGMENT_PRICE_EUR
    expect(page.locator("[data-cost=sms]")).to_contain_text(f"{sms_cost:.2f} €")
    screenshot(page, f"audience-audit-result-{name}", full_page=True)

    page.get_by_role("button", name="Make the two segments").click()
    made = page.locator("[data-audit-segments]")
    expect(made.get_by_role("link", name="Clients fidèles — RCS", exact=True)).to_be_visible()
    expect(made.get_by_role("link", name="Clients fidèles — not RCS", exact=True)).to_be_visible()
    counts = made.locator("[data-segment-count]")
    expect(counts.nth(0)).to_have_text(f"{audit.rcs_yes} contacts")
    expect(counts.nth(1)).to_have_text(f"{audit.rcs_no} contacts")
    made.scroll_into_view_if_needed()
    screenshot(page, f"audience-audit-segments-{name}")
    assert ContactList.objects.count() == 1

    # The segment opens in the builder with its count.
    made.get_by_role("link", name="Clients fidèles — RCS", exact=True).click()
    expect(page.get_by_text(f"{audit.rcs_yes} contacts").first).to_be_visible()

    page.goto(f"{page.base_url}/audience/audits/?mode=test")
    past = page.locator(f"[data-audit='{audit.pk}']")
    expect(past).to_contain_text("Clients fidèles")
    expect(past).to_contain_text(f"{round(100 * audit.rcs_yes / CONTACTS)} % RCS")
    screenshot(page, f"audience-audit-list-{name}", full_page=True)
    page.context.close()
