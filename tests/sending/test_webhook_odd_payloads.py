"""Signed webhooks with odd payloads the fuzzing found: each is answered 200 or 403, never 500."""

import base64
import json
from urllib.parse import urlencode

import pytest

from audience.models import Contact
from messaging.providers.normalized import EventType
from messaging.providers.rbm import goog_signature
from messaging.providers.simulator import SIGNATURE_HEADER as SIMULATOR_SIGNATURE
from messaging.providers.twilio import twilio_signature
from sending.models import Event
from tests.support.providers import AUTH_TOKEN, CLIENT_TOKEN, make_simulator
from tests.support.sending import ALWAYS_RCS
from tests.support.webhooks import (
    PUBLIC_BASE_URL,
    SEEDED_ATTEMPT_ID,
    SEEDED_RBM_ATTEMPT_ID,
    SEEDED_TWILIO_SID,
    post_webhook,
)

# The fixture gives the view the three test providers and seeds an attempt for each.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("webhook_providers")]
SIMULATOR = make_simulator()  # signs like the fixture's simulator: same secret


def post_simulator(payload):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {SIMULATOR_SIGNATURE: SIMULATOR.sign(body)}
    return post_webhook("/webhooks/simulator/", body, "application/json", headers)


def post_rbm(data):
    encoded = json.dumps(data).encode()
    envelope = {"message": {"data": base64.b64encode(encoded).decode("ascii")}}
    headers = {"X-Goog-Signature": goog_signature(CLIENT_TOKEN, encoded)}
    return post_webhook(
        "/webhooks/rbm/", json.dumps(envelope).encode(), "application/json", headers
    )


def opted_out(phone):
    return Contact.objects.get(phone=phone).is_opted_out()


@pytest.mark.parametrize("events", [None, 5, "events", {"eventId": "e1"}])
def test_simulator_body_whose_events_are_not_a_list_is_403(events):
    before = Event.objects.count()
    response = post_simulator({"events": events})
    assert response.status_code == 403
    assert Event.objects.count() == before


def test_simulator_fields_of_the_wrong_type_are_read_as_text_or_absent():
    event = {
        "eventId": 42,
        "type": ["delivered"],
        "attemptId": str(SEEDED_ATTEMPT_ID),
        "number": 33699000001,
        "ctaId": {"id": "cta_a1"},
        "errorCode": 30008,
        "text": ["STOP"],
    }
    assert post_simulator({"events": [event]}).status_code == 200
    recorded = Event.objects.get(provider="simulator", provider_event_id="42")
    assert recorded.type == EventType.UNKNOWN
    assert (recorded.number, recorded.error_code, recorded.cta_id) == ("33699000001", "30008", "")
    assert recorded.raw == event  # the payload is kept as sent


def test_simulator_stop_with_a_nul_character_is_stored_without_it_and_still_unsubscribes():
    event = {"eventId": "in-1", "type": "text", "number": ALWAYS_RCS, "text": "STOP\x00"}
    assert post_simulator({"events": [event]}).status_code == 200
    recorded = Event.objects.get(provider_event_id="in-1")
    assert recorded.text == "STOP"
    assert recorded.raw["text"] == "STOP"
    assert opted_out(ALWAYS_RCS)


def test_lone_surrogate_and_nan_in_a_payload_are_stored_in_a_form_the_database_takes():
    body = b'{"events": [{"eventId": "odd-1", "text": "caf\\ud800", "score": NaN}]}'
    assert post_simulator(body).status_code == 200
    recorded = Event.objects.get(provider_event_id="odd-1")
    assert recorded.text == "caf?"
    assert recorded.raw["score"] == "nan"


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_event_time_with_no_utc_date_in_range_is_taken_as_unknown(when):
    event = {
        "eventId": "t-1",
        "type": "delivered",
        "attemptId": str(SEEDED_ATTEMPT_ID),
        "occurredAt": when,
    }
    assert post_simulator({"events": [event]}).status_code == 200
    recorded = Event.objects.get(provider_event_id="t-1")
    assert 1 < recorded.occurred_at.year < 9999  # the time it arrived instead
    assert recorded.message is not None


def test_rbm_event_type_that_is_not_text_is_recorded_as_unknown():
    assert (
        post_rbm({"eventType": ["READ"], "messageId": str(SEEDED_RBM_ATTEMPT_ID)}).status_code
        == 200
    )
    assert Event.objects.get(provider="rbm").type == EventType.UNKNOWN


def test_rbm_text_that_is_not_text_does_not_unsubscribe():
    data = {"senderPhoneNumber": ALWAYS_RCS, "messageId": "user-1", "text": ["STOP"]}
    assert post_rbm(data).status_code == 200
    assert Event.objects.get(provider="rbm").type == EventType.UNKNOWN
    assert not opted_out(ALWAYS_RCS)


@pytest.mark.parametrize("response", ["STOP", ["STOP"], 7])
def test_rbm_suggestion_response_that_is_not_an_object_is_ignored(response):
    data = {
        "senderPhoneNumber": ALWAYS_RCS,
        "messageId": "user-2",
        "text": "Bonjour",
        "suggestionResponse": response,
    }
    assert post_rbm(data).status_code == 200
    assert Event.objects.get(provider="rbm").type == EventType.TEXT
    assert not opted_out(ALWAYS_RCS)


def test_rbm_postback_that_is_not_text_gives_no_cta():
    data = {
        "senderPhoneNumber": ALWAYS_RCS,
        "messageId": "user-3",
        "suggestionResponse": {"type": "ACTION", "postbackData": ["cta_a1"], "text": 12},
    }
    assert post_rbm(data).status_code == 200
    recorded = Event.objects.get(provider="rbm")
    assert (recorded.type, recorded.cta_id, recorded.text) == (EventType.CLICKED, "", "12")


@pytest.mark.parametrize(
    "body",
    [
        {"clientToken": CLIENT_TOKEN, "secret": "\ud800"},
        {"clientToken": CLIENT_TOKEN, "secret": {"value": "s3cret"}},
        {"clientToken": "\ud800", "secret": "s3cret"},
    ],
)
def test_rbm_verification_that_cannot_be_answered_is_403(body):
    response = post_webhook("/webhooks/rbm/", json.dumps(body).encode(), "application/json", {})
    assert response.status_code == 403


def test_rbm_verification_with_the_right_token_still_gets_its_secret_back():
    body = json.dumps({"clientToken": CLIENT_TOKEN, "secret": "s3cret"}).encode()
    response = post_webhook("/webhooks/rbm/", body, "application/json", {})
    assert response.content == b"s3cret"


def test_twilio_inbound_with_a_repeated_postback_field_is_recorded():
    form = [
        ("MessageSid", "SM" + "1" * 32),
        ("SmsStatus", "received"),
        ("From", ALWAYS_RCS),
        ("To", "+33757000000"),
        ("Body", "Bonjour"),
        ("postbackData", "STOP"),
        ("postbackData", "cta_a1"),
    ]
    params = {}
    for name, value in form:
        params.setdefault(name, []).append(value)
    url = f"{PUBLIC_BASE_URL}/webhooks/twilio/"
    headers = {"X-Twilio-Signature": twilio_signature(AUTH_TOKEN, url, params)}
    body = urlencode(form).encode()
    response = post_webhook("/webhooks/twilio/", body, "application/x-www-form-urlencoded", headers)
    assert response.status_code == 200
    assert Event.objects.get(provider="twilio").text == "Bonjour"
    assert not opted_out(ALWAYS_RCS)


def test_twilio_sid_with_a_nul_character_is_recorded_unmatched():
    form = {"MessageSid": SEEDED_TWILIO_SID + "\x00", "MessageStatus": "delivered"}
    url = f"{PUBLIC_BASE_URL}/webhooks/twilio/"
    headers = {"X-Twilio-Signature": twilio_signature(AUTH_TOKEN, url, form)}
    body = urlencode(form).encode()
    response = post_webhook("/webhooks/twilio/", body, "application/x-www-form-urlencoded", headers)
    assert response.status_code == 200
    assert (
        Event.objects.get(provider="twilio").provider_event_id == f"{SEEDED_TWILIO_SID}:delivered"
    )
