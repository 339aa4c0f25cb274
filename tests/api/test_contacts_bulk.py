"""POST /api/v1/contacts/bulk: up to 1,000 contacts, one result each."""

import json

from audience.models import Contact

WORDING = "J'accepte de recevoir les offres de Maison Relais par SMS et RCS."


def post(client, body, **headers):
    return client.post(
        "/api/v1/contacts/bulk", json.dumps(body), content_type="application/json", headers=headers
    )


def test_one_bad_contact_does_not_fail_the_others(api):
    response = post(
        api,
        {
            "contacts": [
                {"phone": "+33612345601", "consent": {"status": "opt_in", "wording": WORDING}},
                {"phone": "+33142685300"},
                {"phone": "+33612345602", "email": "nope"},
                {"phone": "+33612345603", "consent": {"status": "opt_in"}},
                {"phone": "+33612345605", "attributes": {"basket": [1, 2]}},
                {"phone": "06 12 34 56 04", "first_name": "Paul"},
            ]
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["failed"]) == (2, 0, 4)
    results = body["results"]
    assert [r["status"] for r in results] == [
        "created",
        "error",
        "error",
        "error",
        "error",
        "created",
    ]
    assert results[1]["errors"][0] == {
        "field": "contacts[1].phone",
        "code": "not_a_mobile_number",
        "message": results[1]["errors"][0]["message"],
    }
    assert results[2]["errors"][0]["field"] == "contacts[2].email"
    assert results[3]["errors"][0]["field"] == "contacts[3].consent.wording"
    assert results[4]["errors"][0]["field"].startswith("contacts[4].attributes.basket")
    assert results[0]["contact"]["consent"]["sms"]["status"] == "opt_in"
    assert set(Contact.objects.test().values_list("phone", flat=True)) == {
        "+33612345601",
        "+33612345604",
    }


def test_more_than_a_thousand_contacts_are_refused(api):
    response = post(api, {"contacts": [{"phone": "+33612345601"}] * 1001})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "contacts"
    assert not Contact.objects.exists()


def test_bulk_writes_in_the_key_mode_and_replays(client_for, live_key):
    client = client_for(live_key[1])
    body = {"contacts": [{"phone": "+33612345601"}]}

    first = post(client, body, **{"Idempotency-Key": "bulk-1"})
    again = post(client, body, **{"Idempotency-Key": "bulk-1"})

    assert first.json()["created"] == 1
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Contact.objects.live().count() == 1 and not Contact.objects.test().exists()
