"""Bulk actions of the contacts screen: each is confirmed with its count first, works on the
ticked contacts or on all those matching, stays in its mode; add-to-list can be undone,
opt-out cannot; Viewers get none."""

import pytest

from audience.models import ConsentEntry, Contact, ContactList, ListMembership
from audience.services import add_to_list
from tests.factories import make_consent, make_contact
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def bulk(client, action, *, ids=(), scope=None, query="", confirmed=True, **fields):
    data = {"action": action, "ids": [str(i) for i in ids], "query": query, **fields}
    if scope:
        data["scope"] = scope
    if confirmed:
        data["confirmed"] = "1"
    return client.post("/audience/contacts/bulk/", data, follow=True)


def text(response):
    return response.content.decode()


@pytest.fixture
def marketer(client):
    return signed_in(client)


def test_an_action_is_confirmed_with_its_count_before_anything_changes(client, marketer):
    contacts = [make_contact() for _ in range(3)]
    vip = ContactList.objects.create(name="VIP")

    response = bulk(
        client,
        "add_to_list",
        ids=[c.public_id for c in contacts[:2]],
        target_list=vip.public_id,
        confirmed=False,
    )

    assert "Add 2 contacts to “VIP”?" in text(response)
    assert not vip.memberships.exists()


def test_ticked_contacts_are_added_to_an_existing_list_then_undone(client, marketer):
    contacts = [make_contact() for _ in range(3)]
    vip = ContactList.objects.create(name="VIP")
    add_to_list(vip, [contacts[0]], source="api")  # already there before: undo keeps it

    added = bulk(
        client, "add_to_list", ids=[c.public_id for c in contacts], target_list=vip.public_id
    )

    assert "2 contacts added to “VIP”." in text(added)
    # Said once: coming back to the screen later shows no old Undo.
    assert "data-undo" not in client.get("/audience/").content.decode()
    assert set(vip.contacts.all()) == set(contacts)
    undone = client.post("/audience/contacts/bulk/undo/", {"query": ""}, follow=True)
    assert "Undone: 2 contacts taken off “VIP” again." in text(undone)
    assert list(vip.contacts.all()) == [contacts[0]]
    assert "Nothing to undo." in text(client.post("/audience/contacts/bulk/undo/", follow=True))


def test_all_matching_contacts_go_to_a_new_list_and_undo_removes_the_list(client, marketer):
    matching = [make_contact(language="fr") for _ in range(30)]  # more than one page
    english = make_contact(language="en", first_name="Hugo")

    confirm = bulk(
        client,
        "add_to_list",
        scope="all",
        query="language=fr",
        target_list="new",
        new_list_name="Francophones",
        confirmed=False,
    )
    assert "Add 30 contacts to a new list “Francophones”?" in text(confirm)
    assert "…of 30 contacts" in text(confirm) and matching[-1].phone in text(confirm)
    assert english.phone not in text(confirm)
    response = bulk(
        client,
        "add_to_list",
        scope="all",
        query="language=fr",
        target_list="new",
        new_list_name="Francophones",
    )

    new_list = ContactList.objects.get(name="Francophones", test_mode=False)
    assert set(new_list.contacts.all()) == set(matching)
    assert "30 contacts added to “Francophones”." in text(response)
    client.post("/audience/contacts/bulk/undo/", {"query": "language=fr"})
    assert not ContactList.objects.filter(name="Francophones").exists()


def test_contacts_are_taken_off_a_list_and_stay_and_undo_puts_them_back(client, marketer):
    contacts = [make_contact(opted_in=True) for _ in range(3)]
    vip = ContactList.objects.create(name="VIP")
    add_to_list(vip, contacts, source="import")
    before = {m.contact_id: (m.added, m.source) for m in vip.memberships.all()}
    ids = [contacts[0].public_id, contacts[1].public_id]

    confirm = bulk(client, "remove_from_list", ids=ids, target_list=vip.public_id, confirmed=False)
    response = bulk(client, "remove_from_list", ids=ids, target_list=vip.public_id)

    assert "Take 2 contacts off “VIP”?" in text(confirm)
    assert "2 contacts taken off “VIP”." in text(response) and "data-undo" in text(response)
    assert list(vip.contacts.all()) == [contacts[2]]
    assert Contact.objects.filter(pk=contacts[0].pk, sms_consent="opt_in").exists()
    undone = client.post("/audience/contacts/bulk/undo/", follow=True)
    assert "Undone: 2 contacts put back on “VIP”." in text(undone)
    # Back as they were: same date and origin.
    assert {m.contact_id: (m.added, m.source) for m in vip.memberships.all()} == before


def test_a_removal_too_big_to_keep_says_so_without_undo(client, marketer, monkeypatch):
    monkeypatch.setattr("audience.bulk.REMOVE_UNDO_MAX", 1)
    contacts = [make_contact() for _ in range(2)]
    vip = ContactList.objects.create(name="VIP")
    add_to_list(vip, contacts, source="import")

    response = bulk(client, "remove_from_list", scope="all", target_list=vip.public_id)

    assert "2 contacts taken off “VIP”." in text(response) and "data-undo" not in text(response)
    assert not vip.memberships.exists()


def test_opt_out_writes_the_ledger_with_the_operator_and_says_it_cannot_be_undone(client, marketer):
    fresh = make_contact(opted_in=True)
    gone = make_contact()
    make_consent(gone, kind="opt_out", source="inbound_stop")

    confirm = bulk(client, "opt_out", ids=[fresh.public_id, gone.public_id], confirmed=False)
    response = bulk(client, "opt_out", ids=[fresh.public_id, gone.public_id])

    assert "Opt out 2 contacts?" in text(confirm)
    assert "only a new opt-in, given by each person, brings them back" in text(confirm)
    assert "1 contact opted out of every channel. 1 had already opted out." in text(response)
    assert "data-undo" not in text(response)
    entry = fresh.consent_entries.latest_covering("sms")
    assert (entry.kind, entry.source, entry.operator) == ("opt_out", "operator", marketer.username)
    fresh.refresh_from_db()
    assert (fresh.sms_consent, fresh.rcs_consent) == ("opt_out", "opt_out")
    assert gone.consent_entries.count() == 1  # no second opt-out for who had already left


def test_opting_out_too_many_at_once_is_refused(client, marketer, monkeypatch):
    monkeypatch.setattr("audience.bulk.OPT_OUT_MAX", 2)
    for _ in range(3):
        make_contact(opted_in=True)

    response = bulk(client, "opt_out", scope="all")

    assert "Opt out at most 2 contacts at once: narrow the filters." in text(response)
    assert not ConsentEntry.objects.filter(kind="opt_out").exists()


def test_bad_requests_say_what_is_missing(client, marketer):
    make_contact()
    nothing = bulk(client, "opt_out")
    no_list = bulk(client, "remove_from_list", ids=[Contact.objects.get().public_id])
    no_name = bulk(client, "add_to_list", ids=[Contact.objects.get().public_id], target_list="new")

    not_ids = bulk(client, "opt_out", ids=["not-a-contact-id", "1"])
    assert not_ids.status_code == 200 and "Select at least one contact." in text(not_ids)
    assert "Select at least one contact." in text(nothing)
    assert "Choose a list." in text(no_list)
    assert "Give the new list a name." in text(no_name)


def test_test_mode_actions_touch_only_test_data(client, marketer):
    live = make_contact()
    tests = [make_contact(test_mode=True) for _ in range(2)]
    live_list = ContactList.objects.create(name="VIP")
    test_list = ContactList.objects.create(name="VIP", test_mode=True)

    # A live contact's id in a test-mode action, and a live list, are ignored or refused.
    mixed = bulk(
        client,
        "add_to_list",
        ids=[live.public_id, tests[0].public_id],
        query="mode=test",
        target_list=test_list.public_id,
    )
    wrong_list = bulk(
        client,
        "add_to_list",
        ids=[tests[1].public_id],
        query="mode=test",
        target_list=live_list.public_id,
    )
    everything = bulk(client, "opt_out", scope="all", query="mode=test")

    assert list(test_list.contacts.all()) == [tests[0]]
    assert "Choose a list." in text(wrong_list)
    assert not live_list.memberships.exists()
    assert "2 contacts opted out" in text(everything)
    live.refresh_from_db()
    assert live.sms_consent == "none"
    assert "You are looking at test data" in text(mixed)


def test_a_viewer_sees_no_bulk_action_and_cannot_post_one(client):
    signed_in(client, role="Viewer")
    contact = make_contact()

    page = client.get("/audience/").content.decode()
    response = client.post(
        "/audience/contacts/bulk/",
        {"action": "opt_out", "ids": [str(contact.public_id)], "confirmed": "1"},
    )

    assert 'id="bulk-form"' not in page and "data-select-row" not in page
    assert response.status_code == 403
    assert not ListMembership.objects.exists() and not ConsentEntry.objects.exists()
