"""GET /api/v1/contacts without phone (pages with a next link), DELETE /api/v1/lists/{id}/contacts
and DELETE /api/v1/lists/{id}."""

import json

from audience.models import Contact, ContactList
from audience.services import add_to_list
from tests.factories import make_contact


def delete(client, path, body=None):
    if body is None:
        return client.delete(path)
    return client.delete(path, json.dumps(body), content_type="application/json")


def test_contacts_come_a_page_at_a_time_in_a_stable_order(api):
    made = [make_contact(test_mode=True) for _ in range(5)]
    make_contact()  # live: a test key never sees it

    first = api.get("/api/v1/contacts", {"limit": 2}).json()
    ids = [item["id"] for item in first["results"]]
    url = first["next"]
    while url:
        page = api.get(url).json()
        ids += [item["id"] for item in page["results"]]
        url = page["next"]

    assert ids == [str(contact.public_id) for contact in made]
    assert first["next"].startswith("http://testserver/api/v1/contacts?limit=2&cursor=")


def test_contacts_erased_or_added_between_pages_skip_nobody(api):
    seen, second = make_contact(test_mode=True), make_contact(test_mode=True)
    first = api.get("/api/v1/contacts", {"limit": 1}).json()
    seen.delete()  # the contact the cursor names is gone
    late = make_contact(test_mode=True)

    rest, url = [], first["next"]
    while url:
        page = api.get(url).json()
        rest += [item["id"] for item in page["results"]]
        url = page["next"]

    assert first["results"][0]["id"] == str(seen.public_id)
    assert rest == [str(second.public_id), str(late.public_id)]


def test_the_last_page_has_no_next_and_phone_search_still_works(api):
    contact = make_contact(test_mode=True, phone="+33612345601")

    everything = api.get("/api/v1/contacts").json()
    by_phone = api.get("/api/v1/contacts", {"phone": "06 12 34 56 01"}).json()

    assert everything["next"] is None and len(everything["results"]) == 1
    assert by_phone == {"results": [everything["results"][0]], "next": None}
    assert by_phone["results"][0]["id"] == str(contact.public_id)


def test_a_bad_cursor_or_limit_is_named(api):
    cursor = api.get("/api/v1/contacts", {"cursor": "not-a-cursor"})
    limit = api.get("/api/v1/contacts", {"limit": 0})

    assert cursor.status_code == limit.status_code == 422
    assert cursor.json()["code"] == "invalid_cursor"
    assert cursor.json()["errors"][0]["field"] == "cursor"
    assert limit.json()["errors"][0]["field"] == "limit"


def test_contacts_are_taken_off_a_list_by_id_and_by_phone(api):
    vip = ContactList.objects.create(name="VIP", test_mode=True)
    on_list = [make_contact(test_mode=True, phone=f"+3361234560{i}") for i in range(3)]
    elsewhere = make_contact(test_mode=True)
    add_to_list(vip, on_list, source="api")
    path = f"/api/v1/lists/{vip.public_id}/contacts"

    by_id = delete(
        api, path, {"contact_ids": [str(on_list[0].public_id), str(elsewhere.public_id)]}
    )
    by_phone = delete(api, path, {"phones": ["06 12 34 56 01", "+33612345699", "12"]})

    assert by_id.json() == {"removed": 1, "not_on_list": 1, "errors": []}
    body = by_phone.json()
    assert (body["removed"], body["not_on_list"]) == (1, 0)
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("phones[1]", "unknown_contact"),
        ("phones[2]", "invalid_phone"),
    ]
    assert list(vip.contacts.all()) == [on_list[2]]
    # Nobody was created nor erased: only places on the list went.
    assert Contact.objects.count() == 4
    assert not Contact.objects.filter(phone="+33612345699").exists()


def test_removal_needs_ids_or_phones_and_stays_in_its_mode(api):
    live_list = ContactList.objects.create(name="VIP")
    test_list = ContactList.objects.create(name="VIP", test_mode=True)

    neither = delete(api, f"/api/v1/lists/{test_list.public_id}/contacts", {})
    other_mode = delete(
        api, f"/api/v1/lists/{live_list.public_id}/contacts", {"phones": ["+33612345601"]}
    )

    assert neither.status_code == 422 and neither.json()["code"] == "contact_ids_or_phones"
    assert other_mode.status_code == 404


def test_deleting_a_list_keeps_its_contacts(api):
    vip = ContactList.objects.create(name="VIP", test_mode=True)
    contact = make_contact(test_mode=True, opted_in=True)
    add_to_list(vip, [contact], source="api")
    live_list = ContactList.objects.create(name="Live")

    gone = delete(api, f"/api/v1/lists/{vip.public_id}")
    again = delete(api, f"/api/v1/lists/{vip.public_id}")
    other_mode = delete(api, f"/api/v1/lists/{live_list.public_id}")

    assert (gone.status_code, again.status_code, other_mode.status_code) == (204, 404, 404)
    contact.refresh_from_db()
    assert contact.allows_promotions()
    assert ContactList.objects.filter(pk=live_list.pk).exists()
