import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime

import pytest

from messaging.providers.base import (
    Channel,
    EventType,
    OutboundMessage,
    ProviderError,
    WebhookRejected,
    WebhookRequest,
)
from messaging.providers.rbm import SCOPE, RbmProvider, ServiceAccountTokens

from .helpers import ATTEMPT_ID, fixture_bytes, fixture_json
from .webhook_contract import WebhookSecurityContract, replace_request

AGENT = "relais_demo_agent@rbm.goog"
CLIENT_TOKEN = "relais-test-client-token"
NUMBER = "+33612345678"
CONTENT = {
    "text": "Bonjour Camille",
    "suggestions": [{"reply": {"text": "Oui", "postbackData": "cta_a1"}}],
}
WEBHOOK_URL = "https://relais.example.com/webhooks/rbm/"


class FakeTokens:
    """Hands out a new token after each invalidate(), like a refreshed service account."""

    def __init__(self):
        self.invalidated = 0

    def token(self):
        return f"ya29.token-{self.invalidated}"

    def invalidate(self):
        self.invalidated += 1


class CountingPacer:
    def __init__(self):
        self.waits = 0

    def wait(self):
        self.waits += 1


def make_rbm(stub=None, **overrides):
    options = {
        "agent_id": AGENT,
        "client_token": CLIENT_TOKEN,
        "token_source": FakeTokens(),
        "api_base": stub.base_url if stub else "http://127.0.0.1:9",
        "batch_pacer": CountingPacer(),
    }
    options.update(overrides)
    return RbmProvider(**options)


def rcs_message(**overrides):
    fields = {
        "attempt_id": ATTEMPT_ID,
        "to": NUMBER,
        "channel": Channel.RCS,
        "rcs_content": CONTENT,
        "traffic_type": "PROMOTION",
        "ttl_seconds": 600,
    }
    fields.update(overrides)
    return OutboundMessage(**fields)


def signed_request(name, client_token=CLIENT_TOKEN, url=WEBHOOK_URL):
    body = fixture_bytes("rbm", name)
    data = base64.b64decode(json.loads(body)["message"]["data"])
    signature = base64.b64encode(hmac.new(client_token.encode(), data, hashlib.sha512).digest())
    headers = {"Content-Type": "application/json", "X-Goog-Signature": signature.decode()}
    return WebhookRequest(url=url, headers=headers, body=body)


# Sending


def test_send_posts_the_agent_message_with_attempt_id_as_message_id(stub):
    stub.reply_json(fixture_json("rbm", "send_ok.json"))
    result = make_rbm(stub).send(rcs_message())
    request = stub.last
    assert request.method == "POST"
    assert request.path == f"/v1/phones/{NUMBER}/agentMessages"
    assert request.query == {"messageId": [str(ATTEMPT_ID)], "agentId": [AGENT]}
    assert request.header("Authorization") == "Bearer ya29.token-0"
    assert request.header("Content-Type") == "application/json"
    assert request.json() == {
        "contentMessage": CONTENT,
        "messageTrafficType": "PROMOTION",
        "ttl": "600s",
    }
    assert result.provider_message_id == str(ATTEMPT_ID)
    assert result.status == EventType.SENT
    assert result.handles_fallback is False
    assert result.raw["name"].endswith(str(ATTEMPT_ID))


def test_send_without_ttl_sends_no_ttl_and_uses_the_message_agent(stub):
    stub.reply_json(fixture_json("rbm", "send_ok.json"))
    make_rbm(stub).send(rcs_message(ttl_seconds=None, agent_id="brand_b@rbm.goog"))
    assert "ttl" not in stub.last.json()
    assert stub.last.query["agentId"] == ["brand_b@rbm.goog"]


def test_not_rcs_user_is_not_reachable_so_the_app_falls_back(stub):
    stub.reply_json(fixture_json("rbm", "error_not_found.json"), status=404)
    with pytest.raises(ProviderError) as caught:
        make_rbm(stub).send(rcs_message())
    assert caught.value.not_reachable is True
    assert caught.value.permanent is True
    assert caught.value.code == "NOT_FOUND"


@pytest.mark.parametrize(
    ("status", "fixture", "code"),
    [
        (400, "error_invalid_argument.json", "INVALID_ARGUMENT"),
        (403, "error_permission_denied.json", "PERMISSION_DENIED"),
    ],
)
def test_bad_request_and_permission_denied_are_permanent(stub, status, fixture, code):
    stub.reply_json(fixture_json("rbm", fixture), status=status)
    with pytest.raises(ProviderError) as caught:
        make_rbm(stub).send(rcs_message())
    assert caught.value.permanent is True
    assert caught.value.not_reachable is False
    assert caught.value.code == code
    assert caught.value.status == status


def test_quota_exhausted_is_retried_after_the_delay_google_asks(stub):
    stub.reply_json(
        fixture_json("rbm", "error_resource_exhausted.json"),
        status=429,
        headers={"Retry-After": "7"},
    )
    with pytest.raises(ProviderError) as caught:
        make_rbm(stub).send(rcs_message())
    assert caught.value.permanent is False
    assert caught.value.retry_after == 7
    assert caught.value.code == "RESOURCE_EXHAUSTED"


def test_server_errors_are_retryable(stub):
    stub.reply_json(fixture_json("rbm", "error_unavailable.json"), status=503)
    with pytest.raises(ProviderError) as caught:
        make_rbm(stub).send(rcs_message())
    assert caught.value.permanent is False


def test_slow_answer_is_a_retryable_timeout(stub):
    stub.reply_json(fixture_json("rbm", "send_ok.json"), delay=1.0)
    with pytest.raises(ProviderError) as caught:
        make_rbm(stub, timeout=(2.0, 0.2)).send(rcs_message())
    assert caught.value.permanent is False
    assert caught.value.code == "read_timeout"


def test_reused_message_id_counts_as_already_sent(stub):
    stub.reply_json({"error": {"code": 409, "status": "ALREADY_EXISTS"}}, status=409)
    result = make_rbm(stub).send(rcs_message())
    assert result.provider_message_id == str(ATTEMPT_ID)
    assert result.raw["duplicate"] is True


def test_expired_token_is_refreshed_once_and_the_call_repeated(stub):
    stub.reply_json(fixture_json("rbm", "error_unauthenticated.json"), status=401)
    stub.reply_json(fixture_json("rbm", "send_ok.json"))
    tokens = FakeTokens()
    make_rbm(stub, token_source=tokens).send(rcs_message())
    assert [r.header("Authorization") for r in stub.requests] == [
        "Bearer ya29.token-0",
        "Bearer ya29.token-1",
    ]
    assert stub.requests[0].body == stub.requests[1].body


def test_credentials_refused_twice_is_a_retryable_error(stub):
    stub.reply_json(fixture_json("rbm", "error_unauthenticated.json"), status=401)
    stub.reply_json(fixture_json("rbm", "error_unauthenticated.json"), status=401)
    with pytest.raises(ProviderError) as caught:
        make_rbm(stub).send(rcs_message())
    assert caught.value.permanent is False
    assert len(stub.requests) == 2


def test_failing_token_refresh_is_retryable_and_calls_nothing(stub):
    from google.auth.exceptions import RefreshError

    class BrokenTokens:
        def token(self):
            raise RefreshError("invalid_grant: account deleted")

    with pytest.raises(ProviderError) as caught:
        make_rbm(stub, token_source=BrokenTokens()).send(rcs_message())
    assert (caught.value.permanent, caught.value.code) == (False, "auth")
    assert stub.requests == []


def test_rbm_cannot_send_sms_and_says_so_without_calling_google(stub, english):
    msg = OutboundMessage(attempt_id=ATTEMPT_ID, to=NUMBER, channel=Channel.SMS, sms_text="Hi")
    with pytest.raises(ProviderError) as caught:
        make_rbm(stub).send(msg)
    assert caught.value.permanent is True
    assert "SMS provider" in caught.value.message
    assert stub.requests == []


def test_revoke_deletes_the_message_and_reports_when_it_was_too_late(stub):
    stub.reply_json({})
    stub.reply_json(fixture_json("rbm", "error_not_found.json"), status=404)
    provider = make_rbm(stub)
    assert provider.revoke(NUMBER, ATTEMPT_ID) is True
    assert provider.revoke(NUMBER, ATTEMPT_ID) is False
    assert stub.requests[0].method == "DELETE"
    assert stub.requests[0].path == f"/v1/phones/{NUMBER}/agentMessages/{ATTEMPT_ID}"


def test_regions_pick_googles_regional_endpoint():
    provider = RbmProvider(agent_id=AGENT, client_token=CLIENT_TOKEN, token_source=FakeTokens())
    assert provider.api_base == "https://europe-rcsbusinessmessaging.googleapis.com"
    us = RbmProvider(
        agent_id=AGENT, client_token=CLIENT_TOKEN, token_source=FakeTokens(), region="us"
    )
    assert us.api_base == "https://us-rcsbusinessmessaging.googleapis.com"


# Capability


def test_capability_check_asks_for_one_number_with_a_fresh_request_id(stub):
    stub.reply_json(fixture_json("rbm", "capabilities_ok.json"))
    result = make_rbm(stub).check_capability(NUMBER)
    assert stub.last.method == "GET"
    assert stub.last.path == f"/v1/phones/{NUMBER}/capabilities"
    assert stub.last.query["agentId"] == [AGENT]
    uuid.UUID(stub.last.query["requestId"][0])
    assert result.capable is True
    assert "RICHCARD_CAROUSEL" in result.features


def test_capability_404_means_not_capable(stub):
    stub.reply_json(fixture_json("rbm", "error_not_found.json"), status=404)
    result = make_rbm(stub).check_capability(NUMBER)
    assert result.capable is False
    assert result.features == []


def test_batch_capability_uses_users_batch_get(stub):
    stub.reply_json(fixture_json("rbm", "batch_get_ok.json"))
    numbers = ["+33612345678", "+33600000001", "+33687654321"]
    result = make_rbm(stub).check_capabilities(numbers)
    assert stub.last.method == "POST"
    assert stub.last.path == "/v1/users:batchGet"
    assert stub.last.json() == {"users": numbers, "agentId": AGENT}
    assert result == {"+33612345678": True, "+33600000001": False, "+33687654321": True}


def test_batches_hold_at_most_10000_numbers_and_are_paced(stub):
    stub.reply_json({"reachableUsers": []})
    stub.reply_json({"reachableUsers": ["+33610010000"]})
    numbers = [f"+3361{index:07d}" for index in range(10_001)]
    pacer = CountingPacer()
    result = make_rbm(stub, batch_pacer=pacer).check_capabilities(numbers + numbers[:5])
    assert [len(r.json()["users"]) for r in stub.requests] == [10_000, 1]
    assert pacer.waits == 2
    assert len(result) == 10_001
    assert result["+33610010000"] is True


# Service account tokens


def test_service_account_tokens_are_fetched_once_and_refreshed_on_demand(stub, tmp_path):
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
    from cryptography.hazmat.primitives import serialization

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    key_file = tmp_path / "service-account.json"
    key_file.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "rbm-relais-demo",
                "private_key_id": "0123456789abcdef",
                "private_key": pem,
                "client_email": "relais@rbm-relais-demo.iam.gserviceaccount.com",
                "client_id": "1234567890",
                "token_uri": f"{stub.base_url}/token",
            }
        )
    )
    stub.reply_json({"access_token": "ya29.first", "expires_in": 3600, "token_type": "Bearer"})
    stub.reply_json({"access_token": "ya29.second", "expires_in": 3600, "token_type": "Bearer"})
    tokens = ServiceAccountTokens(str(key_file))
    assert tokens.token() == "ya29.first"
    assert tokens.token() == "ya29.first"
    assert len(stub.requests) == 1
    tokens.invalidate()
    assert tokens.token() == "ya29.second"

    grant = stub.requests[0].form()
    assert grant["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    claims_part = grant["assertion"][0].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(claims_part + "=" * (-len(claims_part) % 4)))
    assert claims["scope"] == SCOPE
    assert claims["iss"] == "relais@rbm-relais-demo.iam.gserviceaccount.com"


# Webhooks


def test_handshake_returns_the_secret_when_the_client_token_matches():
    body = fixture_bytes("rbm", "handshake.json")
    request = WebhookRequest(url=WEBHOOK_URL, body=body)
    assert make_rbm().handshake(request) == "7312509426458936152"


def test_handshake_with_another_client_token_is_rejected():
    body = json.dumps({"clientToken": "not-ours", "secret": "123"}).encode()
    with pytest.raises(WebhookRejected):
        make_rbm().handshake(WebhookRequest(url=WEBHOOK_URL, body=body))


def test_an_ordinary_webhook_is_not_a_handshake():
    assert make_rbm().handshake(signed_request("user_event_delivered.json")) is None


def test_signature_over_the_raw_body_instead_of_the_decoded_data_is_rejected():
    body = fixture_bytes("rbm", "user_event_delivered.json")
    wrong = hmac.new(CLIENT_TOKEN.encode(), body, hashlib.sha512).digest()
    headers = {"X-Goog-Signature": base64.b64encode(wrong).decode()}
    with pytest.raises(WebhookRejected):
        make_rbm().verify_webhook(WebhookRequest(url=WEBHOOK_URL, headers=headers, body=body))


def test_signature_from_another_client_token_is_rejected():
    with pytest.raises(WebhookRejected):
        make_rbm().verify_webhook(signed_request("user_event_read.json", client_token="other"))


def test_body_that_is_not_pubsub_is_rejected():
    request = WebhookRequest(url=WEBHOOK_URL, headers={"X-Goog-Signature": "abc"}, body=b"[]")
    with pytest.raises(WebhookRejected):
        make_rbm().verify_webhook(request)


def test_delivered_event_names_our_attempt():
    [event] = make_rbm().handle_webhook(signed_request("user_event_delivered.json"))
    assert event.type == EventType.DELIVERED
    assert event.attempt_id == ATTEMPT_ID
    assert event.provider_message_id == str(ATTEMPT_ID)
    assert event.provider_event_id == f"MxYb2VVuL3TpqSMzF0Sxo0sA:{NUMBER}"
    assert event.number == NUMBER
    assert event.channel == Channel.RCS
    assert event.occurred_at == datetime(2026, 3, 2, 9, 15, 3, 845123, tzinfo=UTC)
    assert event.raw["eventType"] == "DELIVERED"


def test_read_event_is_read():
    [event] = make_rbm().handle_webhook(signed_request("user_event_read.json"))
    assert (event.type, event.attempt_id) == (EventType.READ, ATTEMPT_ID)


def test_typing_indicator_is_ignored():
    assert make_rbm().handle_webhook(signed_request("user_event_is_typing.json")) == []


def test_ttl_revocation_is_expired_so_the_app_falls_back():
    [event] = make_rbm().handle_webhook(signed_request("server_event_ttl_revoked.json"))
    assert event.type == EventType.EXPIRED
    assert event.attempt_id == ATTEMPT_ID
    assert event.number == NUMBER


def test_url_button_tap_is_a_click_on_its_cta():
    [event] = make_rbm().handle_webhook(signed_request("user_message_suggestion_action.json"))
    assert (event.type, event.cta_id, event.text) == (EventType.CLICKED, "cta_b2", "Voir")
    assert event.provider_event_id == f"MsA7Ld3oDzU1rA9x2HlQ4bMx:{NUMBER}"
    assert event.attempt_id is None


def test_reply_tap_is_a_reply_on_its_cta():
    [event] = make_rbm().handle_webhook(signed_request("user_message_suggestion_reply.json"))
    assert (event.type, event.cta_id, event.text) == (EventType.REPLIED, "cta_a1", "Oui")


def test_free_text_is_inbound_text():
    [event] = make_rbm().handle_webhook(signed_request("user_message_text_stop.json"))
    assert (event.type, event.text, event.number) == (EventType.TEXT, "STOP", NUMBER)


def test_shared_location_is_kept_as_unknown():
    [event] = make_rbm().handle_webhook(signed_request("user_message_location.json"))
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
        url=WEBHOOK_URL, headers={"X-Goog-Signature": signature.decode()}, body=body
    )
    [event] = provider.handle_webhook(request)
    assert event.type == EventType.REPLIED
    assert event.cta_id is None


class TestRbmWebhookSecurity(WebhookSecurityContract):
    webhook_url = WEBHOOK_URL

    def make_provider(self):
        return make_rbm()

    def make_valid_request(self, url=None):
        return signed_request("user_message_suggestion_action.json", url=url or self.webhook_url)

    def tamper(self, request):
        envelope = json.loads(request.body)
        data = json.loads(base64.b64decode(envelope["message"]["data"]))
        data["suggestionResponse"]["postbackData"] = "cta_zz"
        envelope["message"]["data"] = base64.b64encode(json.dumps(data).encode()).decode()
        return replace_request(request, body=json.dumps(envelope).encode())

    def strip_signature(self, request):
        headers = {k: v for k, v in request.headers.items() if k != "X-Goog-Signature"}
        return replace_request(request, headers=headers)
