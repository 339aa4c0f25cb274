"""POST /api/v1/messages and GET /api/v1/messages/{id}: accepted sends, refusals, status."""

import uuid

import pytest

from audience import services as audience_services
from audience.models import ConsentEntry
from sending.models import Message
from tests.factories import make_contact, make_template
from tests.support.sending import ALWAYS_RCS, NEVER_RCS

pytestmark = pytest.mark.django_db

SEED_REQUEST = {
    "template_id": "promo_soldes_v1",
    "recipient": "+33612345678",
    "variables": {"prenom": "Marie", "duree_offre": "48h"},
}


def send(client, body=None, **headers):
    return client.post(
        "/api/v1/messages", body or SEED_REQUEST, content_type="application/json", headers=headers
    )


def assert_problem(response, status, field, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["detail"]
    assert {"field": field, "code": code} in [
        {"field": error["field"], "code": error["code"]} for error in body["errors"]
    ]
    return body


def test_seed_request_is_accepted_with_status_url_and_predicted_channel(api, seed_template):
    response = send(api)
    assert response.status_code == 202, response.content
    body = response.json()
    message = Message.objects.get(public_id=body["id"])
    assert body["status"] == "queued"
    assert body["predicted_channel"] in ("rcs", "sms")
    assert body["predicted_channel"] == message.intended_channel
    assert body["test_mode"] is True
    # Without PUBLIC_BASE_URL, on the address called (tests/api/test_status_url.py).
    assert body["status_url"] == f"http://testserver/api/v1/messages/{body['id']}"
    assert response["Location"] == body["status_url"]
    assert message.contact.phone == "+33612345678"
    assert api.get(body["status_url"]).json()["source"] == "api"


def test_national_french_number_is_accepted_as_e164(api, seed_template):
    response = send(api, {**SEED_REQUEST, "recipient": "06 12 34 56 78"})
    assert response.status_code == 202
    assert Message.objects.get(public_id=response.json()["id"]).contact.phone == "+33612345678"


def test_test_key_sends_test_messages_and_live_key_live_ones(
    client_for, test_key, live_key, seed_template
):
    test_response = send(client_for(test_key[1]))
    live_response = send(client_for(live_key[1]))
    assert test_response.json()["test_mode"] is True
    assert live_response.json()["test_mode"] is False
    assert Message.objects.get(public_id=test_response.json()["id"]).test_mode is True
    assert Message.objects.get(public_id=live_response.json()["id"]).test_mode is False


def test_each_key_mode_only_sees_its_own_messages(client_for, test_key, live_key, seed_template):
    live_id = send(client_for(live_key[1])).json()["id"]
    assert client_for(live_key[1]).get(f"/api/v1/messages/{live_id}").status_code == 200
    response = client_for(test_key[1]).get(f"/api/v1/messages/{live_id}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_optional_fields_reach_the_message(api, seed_template):
    body = {
        **SEED_REQUEST,
        "policy": "sms_only",
        "rcs_ttl_seconds": 3600,
        "external_id": "order-1042",
    }
    response = send(api, body)
    assert response.status_code == 202
    message = Message.objects.get(public_id=response.json()["id"])
    assert message.policy == "sms_only"
    assert message.external_id == "order-1042"


def test_unknown_template_is_404_naming_template_id(api, seed_template):
    response = send(api, {**SEED_REQUEST, "template_id": "promo_soldes_v2"})
    assert_problem(response, 404, "template_id", "unknown_template")
    assert not Message.objects.exists()


def test_unpublished_template_is_refused_naming_template_id(api):
    make_template(slug="brouillon")
    response = send(api, {**SEED_REQUEST, "template_id": "brouillon"})
    assert_problem(response, 422, "template_id", "template_not_published")


def test_missing_variable_is_refused_naming_the_variable(api, seed_template):
    response = send(api, {**SEED_REQUEST, "variables": {"prenom": "Marie"}})
    assert_problem(response, 422, "variables.duree_offre", "missing_variable")
    assert not Message.objects.exists()


def test_invalid_number_is_refused_naming_recipient(api, seed_template):
    response = send(api, {**SEED_REQUEST, "recipient": "06 12"})
    assert_problem(response, 422, "recipient", "invalid_recipient")


def test_missing_recipient_is_refused_naming_recipient(api, seed_template):
    body = {key: value for key, value in SEED_REQUEST.items() if key != "recipient"}
    assert_problem(send(api, body), 422, "recipient", "missing")


def test_out_of_range_ttl_unknown_policy_and_long_external_id_are_named(api, seed_template):
    body = {
        **SEED_REQUEST,
        "rcs_ttl_seconds": 1_296_001,
        "policy": "pigeon",
        "external_id": "x" * 201,
    }
    response = send(api, body)
    assert_problem(response, 422, "rcs_ttl_seconds", "less_than_equal")
    assert_problem(response, 422, "policy", "enum")
    assert_problem(response, 422, "external_id", "string_too_long")


def test_misspelt_field_is_refused_not_ignored(api, seed_template):
    body = {**SEED_REQUEST, "variable": {"prenom": "Marie"}}
    assert_problem(send(api, body), 422, "variable", "extra_forbidden")


def test_non_text_variable_value_is_named(api, seed_template):
    body = {**SEED_REQUEST, "variables": {"prenom": "Marie", "duree_offre": 48}}
    assert_problem(send(api, body), 422, "variables.duree_offre", "string_type")


def test_status_of_unknown_or_malformed_id_is_404(api):
    assert api.get(f"/api/v1/messages/{uuid.uuid4()}").status_code == 404
    assert api.get("/api/v1/messages/not-a-uuid").status_code == 404


def test_status_shows_the_message_as_sent(api, seed_template):
    body = {**SEED_REQUEST, "external_id": "order-7"}
    message_id = send(api, body).json()["id"]
    response = api.get(f"/api/v1/messages/{message_id}")
    assert response.status_code == 200
    status = response.json()
    assert status["id"] == message_id
    assert status["status"] == "queued"
    assert status["template_id"] == "promo_soldes_v1"
    assert status["template_version"] == 1
    assert status["recipient"] == "+33612345678"
    assert status["external_id"] == "order-7"
    assert status["channel"] == status["intended_channel"]
    assert status["attempts"] == []
    assert status["events"] == []


def test_opted_out_recipient_is_refused_naming_recipient(api, seed_template):
    audience_services.opt_out(
        "+33612345678", source=ConsentEntry.Source.INBOUND_STOP, wording="STOP", test_mode=True
    )
    response = send(api)
    assert_problem(response, 422, "recipient", "recipient_opted_out")
    assert not Message.objects.exists()


def test_promotion_to_a_recipient_without_opt_in_is_refused(api, seed_template):
    response = send(api, {**SEED_REQUEST, "recipient": "+33612345679"})
    assert_problem(response, 422, "recipient", "no_consent")


def test_status_shows_attempts_and_events_once_the_network_answers(
    api, seed_template, jobs, network
):
    make_contact(phone=ALWAYS_RCS, opted_in=True, test_mode=True)
    message_id = send(api, {**SEED_REQUEST, "recipient": ALWAYS_RCS}).json()["id"]
    jobs.run()  # the send job, then the simulated delivery and read receipts

    status = api.get(f"/api/v1/messages/{message_id}").json()
    assert status["status"] == "read"
    assert status["channel"] == status["final_channel"] == "rcs"
    assert status["fallback_reason"] is None
    assert status["delivered_at"] and status["read_at"]
    [attempt] = status["attempts"]
    assert (attempt["channel"], attempt["provider"]) == ("rcs", "simulator")
    assert attempt["error_code"] is None
    assert [event["type"] for event in status["events"]] == ["delivered", "read"]
    assert {event["channel"] for event in status["events"]} == {"rcs"}


def test_status_shows_the_sms_fallback_and_its_reason(api, seed_template, jobs, network):
    make_contact(phone=NEVER_RCS, opted_in=True, test_mode=True)
    message_id = send(api, {**SEED_REQUEST, "recipient": NEVER_RCS}).json()["id"]
    jobs.run()

    status = api.get(f"/api/v1/messages/{message_id}").json()
    assert status["channel"] == "sms"
    assert status["fallback_reason"] in ("not_capable", "not_reachable")
    assert status["attempts"][-1]["channel"] == "sms"
    assert "delivered" in [event["type"] for event in status["events"]]
