"""Fuzzing the three webhook parsers through the view: authentic signatures over odd bodies.

Whatever a signed request carries (any JSON, truncated JSON, wrong types, huge strings, bytes
that are not UTF-8, JSON nested thousands deep), the answer is 403 (unreadable) or 200
(recorded or ignored), and 413 for a body over the size limit, never a 500 that would make the
provider retry for days. Small, seeded budget in the normal suite; fuzz
longer with RELAIS_FUZZ_EXAMPLES=1000 RELAIS_FUZZ_RANDOM=1 (see tests/api/test_fuzz.py).
"""

import base64
import json
import os
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messaging.providers.rbm import goog_signature
from messaging.providers.simulator import SIGNATURE_HEADER as SIMULATOR_SIGNATURE
from messaging.providers.twilio import twilio_signature
from sending.models import Event
from sending.webhooks import MAX_BODY_BYTES
from tests.support.providers import AUTH_TOKEN, CLIENT_TOKEN
from tests.support.sending import ALWAYS_RCS
from tests.support.webhooks import (
    PUBLIC_BASE_URL,
    SEEDED_ATTEMPT_ID,
    SEEDED_RBM_ATTEMPT_ID,
    SEEDED_TWILIO_SID,
    post_webhook,
)

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("RELAIS_FUZZ_EXAMPLES", "40")),
    deadline=None,
    derandomize=not os.environ.get("RELAIS_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values a field may hold: any JSON, and the ones that lead somewhere real or odd.
REAL = st.sampled_from(
    [
        str(SEEDED_ATTEMPT_ID),
        str(SEEDED_RBM_ATTEMPT_ID),
        SEEDED_TWILIO_SID,
        ALWAYS_RCS,
        "STOP",
        "stop ",
        "cta_a1",
        "STOP_ALL",
        "2025-06-02T09:30:03.123456789Z",
        "2025-06-02T09:30:03+02:00",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59:59-05:00",
        "",
        "\x00",
        "STOP\x00",
        "\ud800",
        "é" * 70_000,
    ]
)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | REAL
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def nest(value, depth, kinds):
    """value wrapped `depth` times in arrays or objects, as kinds says ("[" or "{" each)."""
    text = json.dumps(value)
    for index in range(depth):
        kind = kinds[index % len(kinds)]
        text = f"[{text}]" if kind == "[" else f'{{"k": {text}}}'
    return text


# JSON nested from a little to far past Python's recursion limit, inside a field or alone.
DEEP = st.builds(
    nest,
    JSON_VALUES,
    st.integers(min_value=1, max_value=3_000),
    st.text(alphabet="[{", min_size=1, max_size=4),
)
# Sizes around the limit: the byte count of a whole body.
NEAR_THE_LIMIT = st.integers(min_value=MAX_BODY_BYTES - 64, max_value=MAX_BODY_BYTES + 64)


def fields(required, optional):
    """A dict with the required keys and some of the optional ones, each of any JSON value."""
    return st.fixed_dictionaries(
        dict.fromkeys(required, JSON_VALUES), optional=dict.fromkeys(optional, JSON_VALUES)
    )


def encoded(payloads):
    """Bodies from payloads: JSON (ASCII-escaped or not), JSON cut short, or raw bytes."""

    def cut(pair):
        text, at = pair
        return text[: at % (len(text) + 1)]

    as_json = st.tuples(payloads, st.booleans()).map(
        lambda pair: json.dumps(pair[0], ensure_ascii=pair[1]).encode("utf-8", "surrogatepass")
    )
    return st.one_of(
        as_json, st.tuples(as_json, st.integers(min_value=0)).map(cut), st.binary(max_size=64)
    )


SIMULATOR_EVENT = fields(
    ["eventId"],
    [
        "type",
        "messageId",
        "attemptId",
        "number",
        "channel",
        "ctaId",
        "text",
        "url",
        "errorCode",
        "occurredAt",
    ],
)
SIMULATOR_BODIES = encoded(
    st.one_of(
        st.builds(lambda events: {"events": events}, st.lists(SIMULATOR_EVENT, max_size=3)),
        fields(["events"], []),
        JSON_VALUES,
    )
)

RBM_SUGGESTION = fields([], ["type", "postbackData", "text"])
RBM_DATA = st.one_of(
    fields(
        [],
        [
            "senderPhoneNumber",
            "phoneNumber",
            "messageId",
            "eventType",
            "eventId",
            "sendTime",
            "text",
            "agentId",
            "location",
        ],
    ).flatmap(
        lambda data: st.builds(
            lambda response, event_type: {
                **data,
                **({"suggestionResponse": response} if response is not None else {}),
                **({"eventType": event_type} if event_type is not None else {}),
            },
            st.none() | RBM_SUGGESTION | JSON_VALUES,
            st.none() | st.sampled_from(["DELIVERED", "READ", "IS_TYPING", "TTL_EXPIRATION"]),
        )
    ),
    JSON_VALUES,
)
RBM_HANDSHAKES = st.builds(
    lambda token, secret: {"clientToken": token, "secret": secret},
    st.just(CLIENT_TOKEN) | JSON_VALUES,
    REAL | JSON_VALUES,
)

TWILIO_FORMS = st.fixed_dictionaries(
    {},
    optional={
        name: st.text(max_size=30) | REAL.filter(lambda value: "\ud800" not in value)
        for name in (
            "MessageSid",
            "SmsSid",
            "MessageStatus",
            "SmsStatus",
            "To",
            "From",
            "Body",
            "ErrorCode",
            "ButtonPayload",
        )
    },
).flatmap(
    lambda form: st.builds(
        lambda status, extra: {**extra, **form, **({"MessageStatus": status} if status else {})},
        st.none() | st.sampled_from(["delivered", "read", "undelivered", "received", "failed"]),
        st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=2),
    )
)


@FUZZ
@given(body=SIMULATOR_BODIES)
def test_signed_simulator_webhook_with_any_body_is_200_or_403(webhook_providers, body):
    headers = {SIMULATOR_SIGNATURE: webhook_providers["simulator"].sign(body)}
    post_webhook("/webhooks/simulator/", body, "application/json", headers)


@FUZZ
@given(data=encoded(RBM_DATA), extra=JSON_VALUES)
def test_signed_rbm_webhook_with_any_message_data_is_200_or_403(webhook_providers, data, extra):
    envelope = {
        "message": {"data": base64.b64encode(data).decode("ascii"), "messageId": "1"},
        "subscription": "projects/relais/subscriptions/rbm",
        "extra": extra,
    }
    headers = {"X-Goog-Signature": goog_signature(CLIENT_TOKEN, data)}
    post_webhook("/webhooks/rbm/", json.dumps(envelope).encode(), "application/json", headers)


@FUZZ
@given(body=encoded(RBM_HANDSHAKES) | encoded(JSON_VALUES))
def test_rbm_webhook_whose_body_is_no_pubsub_envelope_is_200_or_403(webhook_providers, body):
    # Signed over the whole body: the best a sender can do when there is no message data.
    headers = {"X-Goog-Signature": goog_signature(CLIENT_TOKEN, body)}
    post_webhook("/webhooks/rbm/", body, "application/json", headers)


@FUZZ
@given(secret=REAL | JSON_VALUES)
def test_rbm_verification_with_the_right_token_and_any_secret_is_200_or_403(
    webhook_providers, secret
):
    body = json.dumps({"clientToken": CLIENT_TOKEN, "secret": secret}).encode()
    post_webhook("/webhooks/rbm/", body, "application/json", {})


@FUZZ
@given(
    form=TWILIO_FORMS, attempt=st.none() | st.just(str(SEEDED_ATTEMPT_ID)) | st.text(max_size=12)
)
def test_signed_twilio_callback_with_any_form_is_200_or_403(webhook_providers, form, attempt):
    query = "?" + urlencode({"attempt": attempt}) if attempt is not None else ""
    body = urlencode(form).encode()
    url = f"{PUBLIC_BASE_URL}/webhooks/twilio/{query}"
    params = parse_qs(body.decode(), keep_blank_values=True)
    headers = {"X-Twilio-Signature": twilio_signature(AUTH_TOKEN, url, params)}
    post_webhook(f"/webhooks/twilio/{query}", body, "application/x-www-form-urlencoded", headers)


@FUZZ
@given(body=st.binary(max_size=200))
def test_signed_twilio_callback_with_bytes_that_are_not_utf8_is_200_or_403(webhook_providers, body):
    url = f"{PUBLIC_BASE_URL}/webhooks/twilio/"
    # Signed over the form as the app reads it: undecodable bytes become U+FFFD.
    params = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    headers = {"X-Twilio-Signature": twilio_signature(AUTH_TOKEN, url, params)}
    post_webhook("/webhooks/twilio/", body, "application/x-www-form-urlencoded", headers)


@FUZZ
@given(deep=DEEP, wrapped=st.booleans())
def test_signed_simulator_webhook_nested_deeply_is_200_or_403(webhook_providers, deep, wrapped):
    text = '{"events": [{"eventId": "e1", "text": ' + deep + "}]}" if wrapped else deep
    body = text.encode()
    headers = {SIMULATOR_SIGNATURE: webhook_providers["simulator"].sign(body)}
    post_webhook("/webhooks/simulator/", body, "application/json", headers)


@FUZZ
@given(deep=DEEP, signed=st.booleans())
def test_rbm_webhook_nested_deeply_is_200_or_403(webhook_providers, deep, signed):
    data = deep.encode()
    if signed:
        envelope = json.dumps({"message": {"data": base64.b64encode(data).decode()}}).encode()
        headers = {"X-Goog-Signature": goog_signature(CLIENT_TOKEN, data)}
    else:
        # Unsigned, as Google's verification request is: the view must not parse it deeply.
        envelope = f'{{"clientToken": "{CLIENT_TOKEN}", "secret": {deep}}}'.encode()
        headers = {}
    post_webhook("/webhooks/rbm/", envelope, "application/json", headers)


@FUZZ
@given(size=NEAR_THE_LIMIT, provider=st.sampled_from(["simulator", "rbm", "twilio"]))
def test_webhook_body_over_the_limit_is_413_and_within_it_200_or_403(
    webhook_providers, size, provider
):
    body = b'{"events": [], "pad": "' + b"x" * size
    body = body[: size - 2] + b'"}'
    headers = {}
    if provider == "simulator":
        headers = {SIMULATOR_SIGNATURE: webhook_providers["simulator"].sign(body)}
    post_webhook(f"/webhooks/{provider}/", body, "application/json", headers)


def test_the_fuzzed_requests_are_signed_well_enough_to_reach_a_message(webhook_providers):
    # Guards the fuzzing above: badly signed requests would only ever test the 403 path.
    simulator_body = json.dumps(
        {"events": [{"eventId": "ev-1", "type": "delivered", "attemptId": str(SEEDED_ATTEMPT_ID)}]}
    ).encode()
    headers = {SIMULATOR_SIGNATURE: webhook_providers["simulator"].sign(simulator_body)}
    post_webhook("/webhooks/simulator/", simulator_body, "application/json", headers)

    data = json.dumps(
        {"eventType": "READ", "eventId": "ev-2", "messageId": str(SEEDED_RBM_ATTEMPT_ID)}
    )
    envelope = {"message": {"data": base64.b64encode(data.encode()).decode()}}
    headers = {"X-Goog-Signature": goog_signature(CLIENT_TOKEN, data.encode())}
    post_webhook("/webhooks/rbm/", json.dumps(envelope).encode(), "application/json", headers)

    form = {"MessageSid": SEEDED_TWILIO_SID, "MessageStatus": "delivered"}
    url = f"{PUBLIC_BASE_URL}/webhooks/twilio/"
    headers = {"X-Twilio-Signature": twilio_signature(AUTH_TOKEN, url, form)}
    post_webhook(
        "/webhooks/twilio/", urlencode(form).encode(), "application/x-www-form-urlencoded", headers
    )

    matched = Event.objects.filter(message__isnull=False, attempt__isnull=False)
    assert set(matched.values_list("provider", flat=True)) == {"simulator", "rbm", "twilio"}
