"""The contacts screen in real Chromium, at desktop and phone widths: search, filter, tick,
add to a new list, undo, then open a contact's page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audience.models import ContactList
from audience.services import add_to_list
from tests.factories import make_consent, make_contact, make_sent_message
from tests.support.browser import marketer_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
VIEWPORTS = [
    ("desktop", {"width": 1366, "height": 860}),
    ("phone", {"width": 390, "height": 844}),
]
PEOPLE = [
    ("Marie", "Curie", "+33612345601", "fr", True),
    ("Paul", "Martin", "+33612345602", "fr", False),
    ("Léa", "Bernard", "+33612345603", "fr", True),
    ("Hugo", "Petit", "+33612345604", "en", None),
    ("Chloé", "Durand", "+33612345605", "fr", True),
    ("Louis", "Moreau", "+33612345606", "fr", None),
]


def seed():
    now = timezone.now()
    vip = ContactList.objects.create(name="VIP")
    contacts = []
    for index, (first, last, phone, language, capable) in enumerate(PEOPLE):
        contact = make_contact(
            first_name=first,
            last_name=last,
            phone=phone,
            language=language,
            email=f"{first.lower()}.{last.lower()}@example.fr".replace("é", "e"),
            attributes={
                "city": ["Lyon", "Paris", "Nantes"][index % 3],
                "basket_value": 40 + index * 12,
            },
            rcs_capable=capable,
            rcs_checked_at=None if capable is None else now - timedelta(days=index + 1),
        )
        if index != 3:
            make_consent(contact, ip="203.0.113.9", operator="Site web")
        contacts.append(contact)
    make_consent(contacts[1], kind="opt_out", source="inbound_stop", wording="STOP")
    add_to_list(vip, contacts[:2], source="import")
    make_sent_message(
        contacts[0],
        events=[
            ("delivered", {"channel": "rcs"}),
            ("read", {"channel": "rcs"}),
            ("clicked", {"channel": "rcs", "cta_id": "cta_offres01"}),
        ],
    )
    make_contact(test_mode=True, first_name="Test")
    return contacts


@pytest.mark.parametrize(("name", "viewport"), VIEWPORTS)
def test_search_filter_select_add_undo_and_open_a_contact(
    browser, live_server, screenshot, name, viewport
):
    contacts = seed()
    page = marketer_page(
        browser, live_server, viewport=viewport, phone=name == "phone", password=PASSWORD
    )
    page.goto(page.base_url + "/audience/")
    rows = page.locator("tr[data-contact]")
    expect(rows).to_have_count(6)
    expect(page.locator('[data-stat="contacts"]')).to_have_text("6")
    expect(page.locator('[data-stat="promotable"]')).to_have_text("4")
    screenshot(page, f"audience-contacts-{name}", full_page=True)

    # A national number, spaced, finds its contact.
    page.get_by_label("Search", exact=True).fill("06 12 34 56 03")
    page.get_by_label("Search", exact=True).press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Léa")

    # Filters (folded away on a phone): RCS capable, then clear.
    page.get_by_label("Search", exact=True).fill("")
    if name == "phone":
        expect(page.get_by_label("RCS capable", exact=True)).to_be_hidden()
        page.get_by_role("button", name="Filters").click()
    page.get_by_label("RCS capable", exact=True).select_option("yes")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(rows).to_have_count(3)
    expect(page.locator('[data-stat="contacts"]')).to_have_text("3")
    page.get_by_label("Clear the filters").click()
    expect(rows).to_have_count(6)

    # Tick two contacts and put them on a new list.
    bar = page.locator("#bulk-form")
    if name == "phone":  # the action fields wait for a selection
        expect(bar.get_by_role("button", name="Apply…")).to_be_hidden()
    else:
        expect(bar.get_by_role("button", name="Apply…")).to_be_disabled()
    page.get_by_label("Select +33612345605").check()
    page.get_by_label("Select +33612345606").check()
    expect(bar).to_contain_text("2 contacts selected")
    screenshot(page, f"audience-contacts-selected-{name}")
    bar.get_by_label("Action").select_option("add_to_list")
    bar.get_by_label("List", exact=True).select_option("new")
    bar.get_by_label("New list name").fill("Soldes d'été")
    bar.get_by_role("button", name="Apply…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Add 2 contacts to a new list “Soldes d'été”?"
    )
    screenshot(page, f"audience-contacts-confirm-{name}")
    page.get_by_role("button", name="Add to the list").click()
    undo = page.locator("[data-undo]")
    expect(undo).to_contain_text("2 contacts added to “Soldes d'été”.")
    new_list = ContactList.objects.get(name="Soldes d'été")
    assert {c.phone for c in new_list.contacts.all()} == {"+33612345605", "+33612345606"}

    undo.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("alert")).to_contain_text("Undone: 2 contacts taken off")
    assert not ContactList.objects.filter(name="Soldes d'été").exists()

    # Every contact on the page at once says how many.
    if name == "desktop":
        page.get_by_label("Select every contact on this page").check()
        expect(bar).to_contain_text("6 contacts selected")
        page.get_by_label("Select every contact on this page").uncheck()

    # The contact's page.
    page.get_by_role("link", name="Marie Curie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marie Curie")
    expect(page.locator("[data-ledger]")).to_contain_text("J'accepte de recevoir")
    expect(page.locator("[data-messages]")).to_contain_text("Delivered")
    expect(page.locator("[data-events]")).to_contain_text("cta_offres01")
    expect(page.get_by_role("link", name="Export (JSON)")).to_have_attribute(
        "href", f"/audience/contacts/{contacts[0].public_id}/export/"
    )
    screenshot(page, f"audience-contact-page-{name}", full_page=True)
    page.context.close()
