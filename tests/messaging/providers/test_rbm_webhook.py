"""RBM webhooks: the console handshake, signatures and normalized events."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest

from messaging.providers.normalized import Channel, EventType
from messaging.providers.webhooks import WebhookRejected, WebhookRequest
from tests.support.providers import (
    ATTEMPT_ID,
    CLIENT_TOKEN,
    NUMBER,
    RBM_WEBHOOK_URL,
    fixture_bytes,
    make_rbm,
    signed_rbm_request,
)
from tests.support.webhooks import RbmWebhook, WebhookSecurityContract


def test_handshake_returns_the_secret_when_the_client_token_matches():
    body = fixture_bytes("rbm", "handshake.json")
    request = WebhookRequest(url=RBM_WEBHOOK_URL, body=body)
    assert make_rbm().handshake(request) == "7312509426458936152"


def test_handshake_with_another_client_token_is_rejected():
    body = json.dumps({"clientToken": "not-ours", "secret": "123"}).encode()
    with pytest.raises(WebhookRejected):
        make_rbm().handshake(WebhookRequest(url=RBM_WEBHOOK_URL, body=body))


def test_an_ordinary_webhook_is_not_a_handshake():
    assert make_rbm().handshake(signed_rbm_request("user_event_delivered.json")) is None


def test_signature_over_the_raw_body_instead_of_the_decoded_data_is_rejected():
    body = fixture_bytes("rbm", "user_event_delivered.json")
    wrong = hmac.new(CLIENT_TOKEN.encode(), body, hashlib.sha512).digest()
    headers = {"X-Goog-Signature": base64.b64encode(wrong).decode()}
    with pytest.raises(WebhookRejected):
        make_rbm().verify_webhook(WebhookRequest(url=RBM_WEBHOOK_URL, headers=headers, body=body))


def test_signature_from_another_client_token_is_rejected():
    with pytest.raises(WebhookRejected):
        make_rbm().verify_webhook(signed_rbm_request("user_event_read.json", client_token="other"))


def test_body_that_is_not_pubsub_is_rejected():
    request = WebhookRequest(url=RBM_WEBHOOK_URL, headers={"X-Goog-Signature": "abc"}, body=b"[]")
    with pytest.raises(WebhookRejected):
        make_rbm().verify_webhook(request)


def test_delivered_event_names_our_attempt():
    [event] = make_rbm().handle_webhook(signed_rbm_request("user_event_delivered.json"))
    assert event.type == EventType.DELIVERED
    assert event.attempt_id == ATTEMPT_ID
    assert event.provider_message_id == str(ATTEMPT_ID)
    assert event.provider_event_id == f"MxYb2VVuL3TpqSMzF0Sxo0sA:{NUMBER}"
    assert event.number == NUMBER
    assert event.channel == Channel.RCS
    assert event.occurred_at == datetime(2026, 3, 2, 9, 15, 3, 845123, tzinfo=UTC)
    assert event.raw["eventType"] == "DELIVERED"


def test_read_event_is_read():
    [event] = make_rbm().handle_webhook(signed_rbm_request("user_event_read.json"))
    assert (event.type, event.attempt_id) == (EventType.READ, ATTEMPT_ID)


def test_typing_indicator_is_ignored():
    assert make_rbm().handle_webhook(signed_rbm_request("user_event_is_typing.json")) == []


def test_ttl_revocation_is_expired_so_the_app_falls_back():
    [event] = make_rbm().handle_webhook(signed_rbm_request("server_event_ttl_revoked.json"))
    assert event.type == EventType.EXPIRED
    assert event.attempt_id == ATTEMPT_ID
    assert event.number == NUMBER


def test_url_button_tap_is_a_click_on_its_cta():
    [event] = make_rbm().handle_webhook(signed_rbm_request("user_message_suggestion_action.json"))
    assert (event.type, event.cta_id, event.text) == (EventType.CLICKED, "cta_b2", "Voir")
    assert event.provider_event_id == f"MsA7Ld3oDzU1rA9x2HlQ4bMx:{NUMBER}"
    assert event.attempt_id is None


def test_reply_tap_is_a_reply_on_its_cta():
    [event] = make_rbm().handle_webhook(signed_rbm_request("user_message_suggestion_reply.json"))
    assert (event.type, event.cta_id, event.text) == (EventType.REPLIED, "cta_a1", "Oui")


def test_free_text_is_inbound_text():
    [event] = make_rbm().handle_webhook(signed_rbm_request("user_message_text_stop.json"))
    assert (event.type, event.text, event.number) == (EventType.TEXT, "STOP", NUMBER)


def test_shared_location_is_kept_as_unknown():
    [event] = make_rbm().handle_webhook(signed_rbm_request("user_message_location.json"))
    assert event.type == EventType.UNKNOWN
    assert event.raw["location"]["latitude"] == 48.8566


def test_postback_that_is_not_a_cta_id_gives_no_cta():
    provider = make_rbm()
    data = {
        "senderPhoneNumber": NUMBER,
        "messageId": "Ms1",
        "suggestionResponse": {"postbackData": "yes", "text": "Oui", "type": "REPLY"},
    }
    encoded = json.dumps(data).encode()
    body = json.dumps({"message": {"data": base64.b64encode(encoded).decode()}}).encode()
    signature = base64.b64encode(hmac.new(CLIENT_TOKEN.encode(), encoded, hashlib.sha512).digest())
    request = WebhookRequest(
        url=RBM_WEBHOOK_URL, headers={"X-Goog-Signature": signature.decode()}, body=body
    )
    [event] = provider.handle_webhook(request)
    assert event.type == EventType.REPLIED
    assert event.cta_id is None


class TestRbmWebhookSecurity(WebhookSecurityContract):
    webhook = RbmWebhook()
