"""POST /api/v1/contacts: upsert one contact by phone, with its consent."""

import json

from audience.models import ConsentEntry, Contact
from tests.factories import make_contact

OPT_IN = {
    "status": "opt_in",
    "channel": "all",
    "source": "web_form",
    "wording": "J'accepte de recevoir les offres de Maison Relais par SMS et RCS.",
    "collected_at": "2025-06-01T18:02:11Z",
    "ip": "203.0.113.9",
}


def post(client, body, **headers):
    return client.post(
        "/api/v1/contacts", json.dumps(body), content_type="application/json", headers=headers
    )


def test_a_new_number_with_an_opt_in_becomes_a_promotable_contact(api, test_key):
    response = post(
        api,
        {
            "phone": "06 12 34 56 01",
            "first_name": "Marie",
            "email": "marie@example.com",
            "language": "fr",
            "attributes": {"city": "Lyon", "basket_value": 84.5, "vip": True},
            "consent": OPT_IN,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    contact = Contact.objects.get(public_id=body["id"])
    assert body["phone"] == contact.phone == "+33612345601"
    assert body["consent"]["sms"]["status"] == body["consent"]["rcs"]["status"] == "opt_in"
    assert body["attributes"] == {"city": "Lyon", "basket_value": 84.5, "vip": True}
    assert response["Location"].endswith(f"/api/v1/contacts/{body['id']}")
    assert contact.test_mode and contact.allows_promotions("sms")
    entry = contact.consent_entries.get()
    assert (entry.source, entry.ip, entry.wording) == ("web_form", "203.0.113.9", OPT_IN["wording"])
    assert entry.operator == str(test_key[0])
    assert entry.occurred_at.isoformat() == "2025-06-01T18:02:11+00:00"


def test_posting_a_known_number_updates_it_and_merges_attributes(api):
    contact = make_contact(
        phone="+33612345601", test_mode=True, first_name="Marie", attributes={"city": "Lyon"}
    )

    response = post(
        api,
        {
            "phone": "+33612345601",
            "last_name": "Curie",
            "attributes": {"zip": "69001", "city": None},
        },
    )

    assert response.status_code == 200, response.content
    contact.refresh_from_db()
    assert (contact.first_name, contact.last_name) == ("Marie", "Curie")
    assert contact.attributes == {"zip": "69001"}
    assert response.json()["id"] == str(contact.public_id)


def test_a_live_key_writes_a_live_contact_apart_from_the_test_one(client_for, live_key, api):
    post(api, {"phone": "+33612345601", "consent": OPT_IN})
    response = post(client_for(live_key[1]), {"phone": "+33612345601"})

    assert response.status_code == 201
    live = Contact.objects.live().get(phone="+33612345601")
    assert not live.allows_promotions()
    assert Contact.objects.test().get(phone="+33612345601").allows_promotions()


def test_an_opt_in_without_its_wording_is_refused_and_nothing_is_written(api):
    response = post(api, {"phone": "+33612345601", "consent": {"status": "opt_in"}})

    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "wording_required"
    assert problem["errors"][0]["field"] == "consent.wording"
    assert not Contact.objects.exists()


def test_an_opt_out_needs_no_wording(api):
    response = post(
        api, {"phone": "+33612345601", "consent": {"status": "opt_out", "channel": "sms"}}
    )

    assert response.status_code == 201
    assert response.json()["consent"]["sms"]["status"] == "opt_out"
    assert response.json()["consent"]["rcs"]["status"] == "none"


def test_a_landline_is_refused_naming_the_reason(api, english):
    response = post(api, {"phone": "+33142685300"})

    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "not_a_mobile_number"
    assert problem["errors"][0]["field"] == "phone"
    assert "landline" in problem["detail"]
    assert not Contact.objects.exists()


def test_a_number_that_is_no_number_is_refused(api):
    response = post(api, {"phone": "06 12"})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_phone"


def test_bad_fields_are_named(api, english):
    response = post(
        api,
        {
            "phone": "+33612345601",
            "email": "not an email",
            "language": "français",
            "attributes": {"nested": {"a": 1}},
            "consent": {"status": "maybe", "ip": "999.1.1.1", "collected_at": 1717264931},
            "favourite": "blue",
        },
    )

    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {
        "email",
        "language",
        "consent.status",
        "consent.ip",
        "consent.collected_at",
        "favourite",
    } <= fields
    assert any(field.startswith("attributes.nested") for field in fields)
    messages = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert messages["email"] == "Give a valid email address."
    assert messages["consent.ip"] == "Give an IPv4 or IPv6 address."
    assert not Contact.objects.exists()


def test_a_consent_given_in_the_future_is_refused(api):
    response = post(
        api,
        {"phone": "+33612345601", "consent": {**OPT_IN, "collected_at": "2999-01-01T00:00:00Z"}},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "consent.collected_at"


def test_a_retry_with_the_same_idempotency_key_writes_nothing_more(api):
    body = {"phone": "+33612345601", "consent": OPT_IN}
    first = post(api, body, **{"Idempotency-Key": "contact-1"})
    again = post(api, body, **{"Idempotency-Key": "contact-1"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert ConsentEntry.objects.count() == 1
