"""GET and POST /api/v1/lists, POST /api/v1/lists/{id}/contacts."""

import json

from audience.models import Contact, ContactList
from tests.factories import make_contact


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def test_a_list_is_created_then_found_by_name(api):
    first = post(api, "/api/v1/lists", {"name": "Soldes été"})
    again = post(api, "/api/v1/lists", {"name": "Soldes été"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert api.get("/api/v1/lists").json()["results"][0]["name"] == "Soldes été"


def test_contacts_are_added_by_id_and_by_phone(api):
    contact_list = ContactList.objects.create(name="VIP", test_mode=True)
    known = make_contact(test_mode=True)
    path = f"/api/v1/lists/{contact_list.public_id}/contacts"

    by_id = post(api, path, {"contact_ids": [str(known.public_id), str(known.public_id)]})
    by_phone = post(api, path, {"phones": ["06 12 34 56 09", "+33142685300", "12"]})
    again = post(api, path, {"contact_ids": [str(known.public_id)]})

    assert by_id.json() == {"added": 1, "already_on_list": 0, "errors": []}
    phone_body = by_phone.json()
    assert phone_body["added"] == 1
    assert [e["field"] for e in phone_body["errors"]] == ["phones[1]", "phones[2]"]
    assert [e["code"] for e in phone_body["errors"]] == ["not_a_mobile_number", "invalid_phone"]
    assert again.json()["already_on_list"] == 1 and again.json()["added"] == 0
    new = Contact.objects.test().get(phone="+33612345609")
    assert not new.allows_promotions()
    assert set(contact_list.contacts.all()) == {known, new}
    listed = api.get("/api/v1/lists").json()["results"]
    assert listed[0]["size"] == 2


def test_lists_and_contacts_stay_in_their_mode(api, client_for, live_key):
    live_list = ContactList.objects.create(name="VIP")
    test_list = ContactList.objects.create(name="VIP", test_mode=True)
    live_contact = make_contact()

    assert (
        post(
            api, f"/api/v1/lists/{live_list.public_id}/contacts", {"phones": ["+33612345601"]}
        ).status_code
        == 404
    )
    response = post(
        api,
        f"/api/v1/lists/{test_list.public_id}/contacts",
        {"contact_ids": [str(live_contact.public_id)]},
    )
    assert response.json()["errors"][0]["code"] == "unknown_contact"
    assert [
        item["id"] for item in client_for(live_key[1]).get("/api/v1/lists").json()["results"]
    ] == [str(live_list.public_id)]
    assert not test_list.contacts.exists()


def test_bad_bodies_name_the_field(api):
    contact_list = ContactList.objects.create(name="VIP", test_mode=True)
    path = f"/api/v1/lists/{contact_list.public_id}/contacts"

    neither = post(api, path, {})
    too_many = post(api, path, {"phones": ["+33612345601"] * 1001})
    no_name = post(api, "/api/v1/lists", {"name": ""})

    assert neither.status_code == too_many.status_code == no_name.status_code == 422
    assert neither.json()["errors"][0]["field"] == "contact_ids"
    assert too_many.json()["errors"][0]["field"] == "phones"
    assert no_name.json()["errors"][0]["field"] == "name"


def test_adding_with_an_idempotency_key_replays(api):
    contact_list = ContactList.objects.create(name="VIP", test_mode=True)
    path = f"/api/v1/lists/{contact_list.public_id}/contacts"
    body = {"phones": ["+33612345601"]}

    first = post(api, path, body, **{"Idempotency-Key": "add-1"})
    again = post(api, path, body, **{"Idempotency-Key": "add-1"})

    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() == {"added": 1, "already_on_list": 0, "errors": []}
