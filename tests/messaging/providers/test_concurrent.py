"""The batch engine's asyncio client sends what each provider's own send() sends."""

import uuid

import pytest

from messaging.providers import concurrent
from messaging.providers.normalized import Channel, EventType, OutboundMessage, ProviderError
from tests.support.providers import (
    ATTEMPT_ID,
    NUMBER,
    TWILIO_CALLBACK,
    fixture_json,
    make_rbm,
    make_simulator,
    make_twilio,
)

CONTENT = {
    "text": "Bonjour Camille, -20 % jusqu'à dimanche",
    "suggestions": [{"reply": {"text": "Oui", "postbackData": "cta_a1"}}],
}
# Headers every client sets its own way (requests and aiohttp differ, neither matters).
CLIENT_HEADERS = {"accept", "accept-encoding", "connection", "host", "user-agent"}


def rcs(**overrides):
    fields = {
        "attempt_id": ATTEMPT_ID,
        "to": NUMBER,
        "channel": Channel.RCS,
        "rcs_content": CONTENT,
        "traffic_type": "PROMOTION",
        "ttl_seconds": 600,
        "agent_id": "brand_b@rbm.goog",
    }
    fields.update(overrides)
    return OutboundMessage(**fields)


def sms(**overrides):
    fields = {
        "attempt_id": ATTEMPT_ID,
        "to": NUMBER,
        "channel": Channel.SMS,
        "sms_text": "Bonjour Camille, -20 % : https://relais.example/o?a=1&b=é",
        "status_callback_url": TWILIO_CALLBACK,
    }
    fields.update(overrides)
    return OutboundMessage(**fields)


def wire(request):
    """What reached the server, less the headers each HTTP client writes its own way."""
    headers = {
        name.lower(): value
        for name, value in request.headers.items()
        if name.lower() not in CLIENT_HEADERS
    }
    return request.method, request.path, request.query, headers, request.body


def send_both_ways(stub, provider, msg, answer):
    """Send msg with provider.send(), then with the concurrent sender; both recorded."""
    stub.reply_json(answer, status=201)
    sync_result = provider.send(msg)
    stub.reply_json(answer, status=201)
    [async_result] = concurrent.sender().send_all([(provider, msg)], timeout=10)
    return sync_result, async_result


def test_rbm_request_is_byte_for_byte_the_one_send_makes(stub):
    provider = make_rbm(stub)
    first, second = send_both_ways(stub, provider, rcs(), fixture_json("rbm", "send_ok.json"))
    sync_request, async_request = stub.requests
    assert wire(async_request) == wire(sync_request)
    assert async_request.query == {"messageId": [str(ATTEMPT_ID)], "agentId": ["brand_b@rbm.goog"]}
    assert async_request.header("Content-Type") == "application/json"
    assert async_request.header("User-Agent") == "Relais/0.1"
    assert second == first
    assert second.provider_message_id == str(ATTEMPT_ID)


def test_twilio_request_is_byte_for_byte_the_one_send_makes(stub):
    provider = make_twilio(stub)
    answer = {"sid": "SM123", "status": "queued"}
    first, second = send_both_ways(stub, provider, sms(), answer)
    sync_request, async_request = stub.requests
    assert wire(async_request) == wire(sync_request)
    assert async_request.header("Authorization").startswith("Basic ")
    assert async_request.form()["Body"] == [sms().sms_text]
    assert second == first
    assert (second.provider_message_id, second.status) == ("SM123", EventType.QUEUED)


def test_results_come_back_in_order_with_errors_in_their_place(stub):
    provider = make_rbm(stub)
    stub.reply_json({}, status=200)
    stub.reply_json({"error": {"status": "NOT_FOUND"}}, status=404)
    stub.reply_json({"error": {"status": "UNAVAILABLE"}}, status=503, headers={"Retry-After": "7"})
    # One connection, so the stub answers in the order the calls were made.
    one = concurrent.Sender(limit=1)
    try:
        messages = [rcs(attempt_id=uuid.uuid4()) for _ in range(3)]
        results = one.send_all([(provider, msg) for msg in messages], timeout=10)
    finally:
        one.close()
    assert results[0].provider_message_id == str(messages[0].attempt_id)
    assert isinstance(results[1], ProviderError)
    assert (results[1].permanent, results[1].not_reachable) == (True, True)
    assert isinstance(results[2], ProviderError)
    assert (results[2].permanent, results[2].retry_after) == (False, 7)
    assert [r.query["messageId"][0] for r in stub.requests] == [str(m.attempt_id) for m in messages]


def test_a_401_renews_the_token_and_calls_once_more(stub):
    provider = make_rbm(stub)
    stub.reply_json({"error": {"status": "UNAUTHENTICATED"}}, status=401)
    stub.reply_json({}, status=200)
    [result] = concurrent.sender().send_all([(provider, rcs())], timeout=10)
    assert result.provider_message_id == str(ATTEMPT_ID)
    assert [r.header("Authorization") for r in stub.requests] == [
        "Bearer ya29.token-0",
        "Bearer ya29.token-1",
    ]


def test_a_slow_answer_is_a_retryable_timeout_that_may_have_been_sent(stub):
    provider = make_rbm(stub, timeout=(2.0, 0.2))
    stub.reply_json({}, delay=1.0)
    [error] = concurrent.sender().send_all([(provider, rcs())], timeout=10)
    assert isinstance(error, ProviderError)
    assert (error.code, error.permanent, error.maybe_sent) == ("read_timeout", False, True)


def test_a_refused_connection_is_retryable_and_not_sent():
    provider = make_rbm(None)  # port 9: nothing listens
    [error] = concurrent.sender().send_all([(provider, rcs())], timeout=10)
    assert isinstance(error, ProviderError)
    assert (error.code, error.permanent, error.maybe_sent) == ("connection_error", False, False)


def test_a_message_the_provider_refuses_makes_no_call(stub):
    [error] = concurrent.sender().send_all([(make_rbm(stub), sms())], timeout=10)
    assert (error.code, error.permanent) == ("channel_unsupported", True)
    assert stub.requests == []


@pytest.mark.parametrize("channel", [Channel.RCS, Channel.SMS])
def test_a_provider_without_http_is_called_with_its_own_send(channel):
    simulator = make_simulator()
    msg = rcs(to="+33699000001") if channel == Channel.RCS else sms(to="+33699000001")
    [result] = concurrent.sender().send_all([(simulator, msg)], timeout=10)
    assert result == simulator.send(msg)


def test_each_process_gets_its_own_sender():
    here = concurrent.sender()
    assert concurrent.sender() is here
    here.pid = -1  # as if this sender had been made before a fork
    assert concurrent.sender() is not here
    here.close()
