import socket
import uuid
from datetime import UTC, datetime

import pytest

from messaging.providers.base import BaseProvider
from messaging.providers.helpers import Pacer, cta_id_from_postback, parse_timestamp
from messaging.providers.normalized import (
    CapabilityResult,
    Channel,
    EventType,
    OutboundMessage,
    ProviderError,
    SendResult,
)
from messaging.providers.webhooks import WebhookRejected, WebhookRequest, signatures_match


class RecordingProvider(BaseProvider):
    name = "recording"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sent = []
        self.batches = []

    def send_rcs(self, msg):
        self.sent.append(("rcs", msg.to))
        return SendResult("r1", EventType.SENT)

    def send_sms(self, msg):
        self.sent.append(("sms", msg.to))
        return SendResult("s1", EventType.SENT)

    def check_capability(self, number):
        # Numbers ending in 0 are unknown, even ones capable.
        if number.endswith("0"):
            return CapabilityResult(number, None)
        return CapabilityResult(number, int(number[-1]) % 2 == 1)

    def check_capability_batch(self, numbers):
        self.batches.append(list(numbers))
        return super().check_capability_batch(numbers)


def message(channel=Channel.SMS, to="+33612345678", **fields):
    defaults = {"rcs_content": {"text": "Bonjour"}, "sms_text": "Bonjour"}
    defaults.update(fields)
    return OutboundMessage(attempt_id=uuid.uuid4(), to=to, channel=channel, **defaults)


# Sending pipeline


def test_send_dispatches_on_the_channel():
    provider = RecordingProvider()
    provider.send(message(Channel.RCS))
    provider.send(message(Channel.SMS))
    assert provider.sent == [("rcs", "+33612345678"), ("sms", "+33612345678")]


@pytest.mark.parametrize("bad_number", ["0612345678", "+33 6 12 34 56 78", "", "+0612345678"])
def test_number_not_in_e164_is_refused_without_calling_the_provider(bad_number):
    provider = RecordingProvider()
    with pytest.raises(ProviderError) as caught:
        provider.send(message(to=bad_number))
    assert caught.value.permanent is True
    assert caught.value.code == "invalid_number"
    assert provider.sent == []


@pytest.mark.parametrize(
    ("channel", "fields"),
    [(Channel.RCS, {"rcs_content": None}), (Channel.SMS, {"sms_text": "  "})],
)
def test_message_without_content_for_its_channel_is_refused(channel, fields):
    with pytest.raises(ProviderError) as caught:
        RecordingProvider().send(message(channel, **fields))
    assert caught.value.permanent and caught.value.code == "empty"


def test_provider_without_a_channel_refuses_it_permanently():
    with pytest.raises(ProviderError) as caught:
        BaseProvider().send(message(Channel.RCS))
    assert caught.value.permanent and caught.value.code == "channel_unsupported"


def test_provider_error_carries_whether_retrying_helps():
    error = ProviderError("busy", permanent=False, code=429, retry_after=5)
    assert (error.permanent, error.code, error.retry_after, error.not_reachable) == (
        False,
        "429",
        5,
        False,
    )
    assert str(error) == "busy"


# Capability batching


def test_capabilities_are_checked_in_batches_once_per_number():
    provider = RecordingProvider()
    provider.capability_batch_size = 2
    numbers = ["+33600000001", "+33600000002", "+33600000001", "+33600000003", "+33600000010"]
    result = provider.check_capabilities(numbers)
    assert provider.batches == [
        ["+33600000001", "+33600000002"],
        ["+33600000003", "+33600000010"],
    ]
    # Unknown numbers are left out rather than guessed.
    assert result == {"+33600000001": True, "+33600000002": False, "+33600000003": True}


def test_a_provider_that_cannot_tell_reports_unknown_capability():
    assert BaseProvider().check_capability("+33612345678").capable is None
    assert BaseProvider().check_capabilities(["+33612345678"]) == {}


# Pacing


def test_pacer_spaces_calls_by_the_per_minute_interval():
    now = [100.0]
    sleeps = []

    def sleep(seconds):
        sleeps.append(round(seconds, 6))
        now[0] += seconds

    pacer = Pacer(600, clock=lambda: now[0], sleep=sleep)
    pacer.wait()
    pacer.wait()
    now[0] += 0.05
    pacer.wait()
    now[0] += 1.0
    pacer.wait()
    assert sleeps == [0.1, 0.05]


# HTTP seam


def test_unreachable_provider_is_a_retryable_connection_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ProviderError) as caught:
        RecordingProvider().request("GET", f"http://127.0.0.1:{port}/")
    assert caught.value.permanent is False
    assert caught.value.code == "connection_error"
    # Nothing reached the provider: the call is safe to repeat, whoever the provider is.
    assert caught.value.maybe_sent is False


def test_every_call_goes_through_the_providers_session_with_its_timeout(stub):
    stub.reply_json({"ok": True})
    provider = RecordingProvider(timeout=(1.0, 2.0))
    seen = {}
    original = provider.http.request

    def spy(method, url, **kwargs):
        seen.update(kwargs)
        return original(method, url, **kwargs)

    provider.http.request = spy
    response = provider.request("GET", f"{stub.base_url}/ping")
    assert response.json() == {"ok": True}
    assert seen["timeout"] == (1.0, 2.0)
    assert stub.last.header("User-Agent").startswith("Relais/")


# Webhook requests


def test_webhook_headers_are_case_insensitive():
    request = WebhookRequest(url="https://x/", headers={"x-goog-signature": "abc"})
    assert request.header("X-Goog-Signature") == "abc"


def test_form_encoded_body_is_parsed_into_lists():
    request = WebhookRequest(
        url="https://x/",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        body=b"To=%2B33612345678&Digits=1&Digits=2&Empty=",
    )
    assert request.form == {"To": ["+33612345678"], "Digits": ["1", "2"], "Empty": [""]}
    assert request.form_value("To") == "+33612345678"
    assert request.flat_form() == {"To": "+33612345678", "Digits": ["1", "2"], "Empty": ""}


def test_json_body_has_no_form_and_given_forms_become_lists():
    assert WebhookRequest(url="https://x/", body=b'{"a": 1}').form == {}
    assert WebhookRequest(url="https://x/", form={"A": "1"}).form == {"A": ["1"]}


def test_handle_webhook_verifies_before_parsing():
    class Strict(BaseProvider):
        parsed = False

        def verify_webhook(self, request):
            raise WebhookRejected("no")

        def parse_webhook(self, request):
            self.parsed = True
            return []

    provider = Strict()
    with pytest.raises(WebhookRejected):
        provider.handle_webhook(WebhookRequest(url="https://x/"))
    assert provider.parsed is False


# Helpers


@pytest.mark.parametrize(
    ("expected", "given", "match"),
    [
        ("abc", "abc", True),
        (b"abc", "abc", True),
        ("abc", "abd", False),
        ("abc", "", False),
        ("abc", None, False),
        ("", "", False),
    ],
)
def test_signatures_match(expected, given, match):
    assert signatures_match(expected, given) is match


def test_timestamps_with_nanoseconds_are_parsed_as_utc():
    assert parse_timestamp("2026-03-02T09:15:03.845123456Z") == datetime(
        2026, 3, 2, 9, 15, 3, 845123, tzinfo=UTC
    )
    assert parse_timestamp("2026-03-02T09:15:03").tzinfo == UTC
    assert parse_timestamp("yesterday") is None
    assert parse_timestamp(None) is None


def test_only_our_cta_ids_are_read_from_postbacks():
    assert cta_id_from_postback("cta_1a2b3c") == "cta_1a2b3c"
    assert cta_id_from_postback("yes") is None
    assert cta_id_from_postback("cta_") is None
    assert cta_id_from_postback(None) is None


def test_event_types_are_choices_with_an_unknown_member():
    assert EventType.UNKNOWN in EventType.values
    assert ("rcs", "RCS") in [(value, str(label)) for value, label in Channel.choices]


def test_a_django_request_converts_without_losing_repeated_values(rf):
    request = rf.post(
        "/webhooks/twilio/",
        data="Digits=1&Digits=2&To=%2B33612345678",
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE="sig",
    )
    converted = WebhookRequest(
        url="https://relais.example.com" + request.get_full_path(),
        headers=request.headers,
        body=request.body,
        form=request.POST,
    )
    assert converted.form["Digits"] == ["1", "2"]
    assert converted.header("x-twilio-signature") == "sig"
    assert WebhookRequest(url=converted.url, headers=request.headers, body=request.body).form == (
        converted.form
    )
