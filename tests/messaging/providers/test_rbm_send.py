"""Sending through Google RBM: the exact request, errors, tokens, revoke."""

import base64
import json

import pytest

from messaging.providers.normalized import Channel, EventType, OutboundMessage, ProviderError
from messaging.providers.rbm import SCOPE, RbmProvider, ServiceAccountTokens
from tests.support.providers import (
    AGENT,
    ATTEMPT_ID,
    CLIENT_TOKEN,
    NUMBER,
    FakeTokens,
    fixture_json,
    make_rbm,
)

CONTENT = {
    "text": "Bonjour Camille",
    "suggestions": [{"reply": {"text": "Oui", "postbackData": "cta_a1"}}],
}


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
    assert caught.value.maybe_sent is True


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


def test_token_failure_keeps_its_detail_out_of_the_error_callers_read(stub, caplog):
    # The message ends up in the attempt's error_text, which the API shows.
    class UnparsableKey:
        def token(self):
            raise ValueError("Unable to load PEM file: InvalidData(Invalid input length: 17)")

    with pytest.raises(ProviderError) as caught:
        make_rbm(stub, token_source=UnparsableKey()).send(rcs_message())
    assert "PEM" not in caught.value.message
    assert "PEM" in caplog.text


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
