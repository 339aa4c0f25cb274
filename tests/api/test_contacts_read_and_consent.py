"""GET /api/v1/contacts/{id}, GET /api/v1/contacts?phone=, POST /api/v1/contacts/{id}/consents."""

import json

from audience.models import ConsentEntry
from tests.factories import make_consent, make_contact

WORDING = "J'accepte de recevoir les offres de Maison Relais par SMS et RCS."


def add_consent(client, contact, body, **headers):
    return client.post(
        f"/api/v1/contacts/{contact.public_id}/consents",
        json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


def test_a_contact_reads_with_its_current_consent_and_history(api):
    contact = make_contact(test_mode=True, first_name="Marie", opted_in=True)
    make_consent(contact, kind="opt_out", channel="sms", source="inbound_stop", wording="STOP")

    response = api.get(f"/api/v1/contacts/{contact.public_id}")

    assert response.status_code == 200
    body = response.json()
    assert body["first_name"] == "Marie"
    assert body["consent"]["sms"]["status"] == "opt_out"
    assert body["consent"]["rcs"]["status"] == "opt_in"
    assert [entry["status"] for entry in body["consent_history"]] == ["opt_out", "opt_in"]
    assert body["consent_history"][0]["wording"] == "STOP"


def test_a_key_never_reads_a_contact_of_the_other_mode(api, client_for, live_key):
    live = make_contact()
    test = make_contact(test_mode=True)

    assert api.get(f"/api/v1/contacts/{live.public_id}").status_code == 404
    assert client_for(live_key[1]).get(f"/api/v1/contacts/{test.public_id}").status_code == 404
    assert api.get("/api/v1/contacts/not-a-uuid").status_code == 404


def test_a_contact_is_found_by_phone_in_any_format(api):
    contact = make_contact(phone="+33612345601", test_mode=True)
    make_contact(phone="+33612345602")  # live: not for a test key

    found = api.get("/api/v1/contacts", {"phone": "06 12 34 56 01"}).json()["results"]
    other = api.get("/api/v1/contacts", {"phone": "+33612345602"}).json()["results"]

    assert [item["id"] for item in found] == [str(contact.public_id)]
    assert other == []


def test_searching_with_an_invalid_phone_names_the_field(api):
    invalid = api.get("/api/v1/contacts", {"phone": "12"})

    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "phone"


def test_an_opt_in_through_the_api_makes_the_contact_promotable(api):
    contact = make_contact(test_mode=True)

    response = add_consent(api, contact, {"status": "opt_in", "wording": WORDING})

    assert response.status_code == 201, response.content
    assert response.json()["consent"]["sms"]["status"] == "opt_in"
    contact.refresh_from_db()
    assert contact.allows_promotions("sms") and contact.allows_promotions("rcs")


def test_an_opt_in_collected_before_a_stop_changes_nothing(api):
    contact = make_contact(test_mode=True)
    make_consent(contact, kind="opt_out", source="inbound_stop", wording="STOP")

    response = add_consent(
        api,
        contact,
        {"status": "opt_in", "wording": WORDING, "collected_at": "2020-01-01T10:00:00+01:00"},
    )

    assert response.status_code == 201
    body = response.json()
    assert body["consent"]["sms"]["status"] == "opt_out"
    assert len(body["consent_history"]) == 2


def test_a_consent_without_proof_or_of_the_other_mode_is_refused(api):
    test = make_contact(test_mode=True)
    live = make_contact()

    no_wording = add_consent(api, test, {"status": "opt_in"})
    other_mode = add_consent(api, live, {"status": "opt_out"})
    bad_channel = add_consent(api, test, {"status": "opt_out", "channel": "email"})

    assert no_wording.status_code == 422
    assert no_wording.json()["errors"][0]["field"] == "wording"
    assert other_mode.status_code == 404
    assert bad_channel.json()["errors"][0]["field"] == "channel"
    assert not ConsentEntry.objects.exists()


def test_a_repeated_consent_with_its_idempotency_key_is_recorded_once(api):
    contact = make_contact(test_mode=True)
    body = {"status": "opt_out", "source": "web_form"}

    first = add_consent(api, contact, body, **{"Idempotency-Key": "k1"})
    again = add_consent(api, contact, body, **{"Idempotency-Key": "k1"})

    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert contact.consent_entries.count() == 1
