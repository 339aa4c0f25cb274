import base64
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from messaging.providers.normalized import Channel, EventType, OutboundMessage, ProviderError
from messaging.providers.twilio import (
    rcs_as_text,
    twilio_signature,
    url_variants,
    with_attempt,
)
from messaging.providers.webhooks import WebhookRejected, WebhookRequest
from tests.support.providers import (
    ACCOUNT_SID,
    ATTEMPT_ID,
    AUTH_TOKEN,
    NUMBER,
    TWILIO_CALLBACK,
    TWILIO_SIGNED_CALLBACK,
    MultiDict,
    fixture_json,
    make_twilio,
    signed_twilio_callback,
)
from tests.support.webhooks import TwilioWebhook, WebhookSecurityContract, replace_request

SERVICE_SID = "MG0123456789abcdef0123456789abcdef"
FORM = "application/x-www-form-urlencoded"
CARD = {
    "richCard": {
        "standaloneCard": {
            "cardOrientation": "VERTICAL",
            "cardContent": {
                "title": "Nouvelle collection",
                "description": "Découvrez-la",
                "media": {
                    "height": "MEDIUM",
                    "contentInfo": {"fileUrl": "https://cdn.example/printemps.jpg"},
                },
                "suggestions": [
                    {
                        "action": {
                            "text": "Voir",
                            "postbackData": "cta_b2",
                            "openUrlAction": {"url": "https://shop.example/c/123"},
                        }
                    },
                    {"reply": {"text": "Plus tard", "postbackData": "cta_c3"}},
                ],
            },
        }
    }
}


def sms_message(**overrides):
    fields = {
        "attempt_id": ATTEMPT_ID,
        "to": NUMBER,
        "channel": Channel.SMS,
        "sms_text": "Relais: -20% ce week-end https://r.example/l/Ab3 STOP au 36111",
        "status_callback_url": TWILIO_CALLBACK,
    }
    fields.update(overrides)
    return OutboundMessage(**fields)


# Signatures


def test_signature_matches_twilios_published_vector():
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
        "Caller": "+14158675309",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert twilio_signature("12345", url, params) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_signature_matches_twilios_vector_with_repeated_values():
    params = {"Sid": ["CA123"], "SidAccount": ["AC123"], "Digits": ["5678", "1234", "1234"]}
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert twilio_signature("12345", url, params) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


@settings(max_examples=150, deadline=None)
@given(
    token=st.text(min_size=1, max_size=20),
    path=st.text(alphabet="abcdefghij/-_", max_size=20),
    params=st.dictionaries(
        st.text(min_size=1, max_size=8), st.lists(st.text(max_size=8), min_size=1, max_size=3)
    ),
)
def test_signature_agrees_with_the_twilio_sdk(token, path, params):
    url = f"https://relais.example.com/{path}"
    expected = RequestValidator(token).compute_signature(url, MultiDict(params))
    assert twilio_signature(token, url, params) == expected


def test_url_variants_add_or_remove_the_default_port():
    assert url_variants("https://relais.example.com/w/?a=1") == [
        "https://relais.example.com/w/?a=1",
        "https://relais.example.com:443/w/?a=1",
    ]
    assert url_variants("http://relais.example.com:80/w/")[1] == "http://relais.example.com/w/"


def test_callback_signed_with_the_port_is_accepted_without_it():
    request = signed_twilio_callback(
        "status_delivered.txt", url="https://relais.example.com:443/webhooks/twilio/"
    )
    request = replace_request(request, url="https://relais.example.com/webhooks/twilio/")
    make_twilio().verify_webhook(request)


def test_callback_signed_for_another_url_is_rejected():
    # What happens behind a proxy when the app rebuilds the internal URL instead of the public one.
    request = signed_twilio_callback("status_delivered.txt")
    internal = replace_request(
        request, url=f"http://10.0.0.5:8000/webhooks/twilio/?attempt={ATTEMPT_ID}"
    )
    with pytest.raises(WebhookRejected):
        make_twilio().verify_webhook(internal)


def test_callback_signed_with_another_auth_token_is_rejected():
    with pytest.raises(WebhookRejected):
        make_twilio().verify_webhook(signed_twilio_callback("status_sent.txt", token="other-token"))


def test_json_body_is_checked_through_its_body_hash():
    body = b'{"property": "value", "boolean": true}'
    digest = hashlib.sha256(body).hexdigest()
    assert digest == "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    url = f"{TWILIO_CALLBACK}?bodySHA256={digest}"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, {})
    headers = {"Content-Type": "application/json", "X-Twilio-Signature": signature}
    make_twilio().verify_webhook(WebhookRequest(url=url, headers=headers, body=body))
    tampered = WebhookRequest(url=url, headers=headers, body=body.replace(b"value", b"other"))
    with pytest.raises(WebhookRejected):
        make_twilio().verify_webhook(tampered)


# Sending


def test_sms_is_a_form_post_with_basic_auth_and_alphanumeric_sender(stub):
    stub.reply_json(fixture_json("twilio", "message_created.json"), status=201)
    result = make_twilio(stub).send(sms_message())
    request = stub.last
    assert request.method == "POST"
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request.query == {}
    credentials = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert request.header("Authorization") == f"Basic {credentials}"
    assert request.header("Content-Type") == FORM
    assert request.form() == {
        "To": [NUMBER],
        "Body": ["Relais: -20% ce week-end https://r.example/l/Ab3 STOP au 36111"],
        "From": ["RELAIS"],
        "StatusCallback": [TWILIO_SIGNED_CALLBACK],
    }
    assert result.provider_message_id == "SM5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"
    assert result.status == EventType.QUEUED
    assert result.handles_fallback is False


def test_brand_sender_wins_over_the_default_sender(stub):
    stub.reply_json(fixture_json("twilio", "message_created.json"), status=201)
    make_twilio(stub).send(sms_message(sms_sender="MABOUTIQUE", status_callback_url=None))
    assert stub.last.form()["From"] == ["MABOUTIQUE"]
    assert "StatusCallback" not in stub.last.form()


def test_sms_without_a_sender_goes_through_the_messaging_service(stub):
    stub.reply_json(fixture_json("twilio", "message_accepted_service.json"), status=201)
    make_twilio(stub, sms_from="", messaging_service_sid=SERVICE_SID).send(sms_message())
    form = stub.last.form()
    assert form["MessagingServiceSid"] == [SERVICE_SID]
    assert "From" not in form


def test_rcs_goes_through_the_messaging_service_which_falls_back_itself(stub):
    stub.reply_json(fixture_json("twilio", "message_accepted_service.json"), status=201)
    provider = make_twilio(stub, messaging_service_sid=SERVICE_SID)
    msg = OutboundMessage(
        attempt_id=ATTEMPT_ID,
        to=NUMBER,
        channel=Channel.RCS,
        rcs_content=CARD,
        status_callback_url=TWILIO_CALLBACK,
    )
    result = provider.send(msg)
    assert stub.last.form() == {
        "To": [NUMBER],
        "MessagingServiceSid": [SERVICE_SID],
        "Body": ["Nouvelle collection\nDécouvrez-la\nVoir: https://shop.example/c/123"],
        "MediaUrl": ["https://cdn.example/printemps.jpg"],
        "StatusCallback": [TWILIO_SIGNED_CALLBACK],
    }
    assert result.handles_fallback is True
    assert result.status == EventType.QUEUED
    assert provider.handles_fallback is True
    assert Channel.RCS in provider.channels


def test_rcs_without_a_messaging_service_is_refused_before_calling_twilio(stub):
    provider = make_twilio(stub)
    msg = OutboundMessage(attempt_id=ATTEMPT_ID, to=NUMBER, channel=Channel.RCS, rcs_content=CARD)
    with pytest.raises(ProviderError) as caught:
        provider.send(msg)
    assert caught.value.permanent is True
    assert stub.requests == []
    assert provider.handles_fallback is False
    assert provider.channels == {Channel.SMS}


def test_invalid_number_is_a_permanent_error_with_twilios_code(stub):
    stub.reply_json(fixture_json("twilio", "error_invalid_number.json"), status=400)
    with pytest.raises(ProviderError) as caught:
        make_twilio(stub).send(sms_message())
    assert caught.value.permanent is True
    assert caught.value.code == "21211"


def test_unsubscribed_recipient_is_permanent(stub):
    stub.reply_json(fixture_json("twilio", "error_unsubscribed.json"), status=400)
    with pytest.raises(ProviderError) as caught:
        make_twilio(stub).send(sms_message())
    assert (caught.value.permanent, caught.value.code) == (True, "21610")


def test_too_many_requests_is_retried_after_the_delay_twilio_asks(stub):
    stub.reply_json(
        fixture_json("twilio", "error_too_many_requests.json"),
        status=429,
        headers={"Retry-After": "3"},
    )
    with pytest.raises(ProviderError) as caught:
        make_twilio(stub).send(sms_message())
    assert caught.value.permanent is False
    assert caught.value.retry_after == 3
    assert caught.value.code == "20429"


@pytest.mark.parametrize(
    ("status", "data"),
    [(401, {"code": 20003, "message": "Authenticate"}), (500, {}), (503, {"message": "down"})],
)
def test_auth_and_server_errors_are_retryable(stub, status, data):
    stub.reply_json(data, status=status)
    with pytest.raises(ProviderError) as caught:
        make_twilio(stub).send(sms_message())
    assert caught.value.permanent is False


def test_rich_card_carousel_becomes_text_with_links_and_first_media():
    content = {
        "richCard": {
            "carouselCard": {
                "cardWidth": "MEDIUM",
                "cardContents": [
                    {
                        "title": "Robe",
                        "media": {"contentInfo": {"fileUrl": "https://cdn.example/1.jpg"}},
                        "suggestions": [
                            {
                                "action": {
                                    "text": "Acheter",
                                    "openUrlAction": {"url": "https://shop.example/1"},
                                }
                            }
                        ],
                    },
                    {
                        "title": "Veste",
                        "media": {"contentInfo": {"fileUrl": "https://cdn.example/2.jpg"}},
                    },
                ],
            }
        },
        "suggestions": [
            {"action": {"text": "Appeler", "dialAction": {"phoneNumber": "+33100000000"}}}
        ],
    }
    body, media = rcs_as_text(content)
    assert body == "Robe\nAcheter: https://shop.example/1\n\nVeste\n\nAppeler: +33100000000"
    assert media == ["https://cdn.example/1.jpg", "https://cdn.example/2.jpg"]


def test_attempt_is_added_to_the_callback_url_keeping_its_query():
    url = with_attempt("https://relais.example.com/webhooks/twilio/?k=1&attempt=old", ATTEMPT_ID)
    assert url == f"https://relais.example.com/webhooks/twilio/?k=1&attempt={ATTEMPT_ID}"


# Status callbacks


def test_delivered_callback_names_the_attempt_from_the_callback_url():
    [event] = make_twilio().handle_webhook(signed_twilio_callback("status_delivered.txt"))
    assert event.type == EventType.DELIVERED
    assert event.provider_message_id == "SM5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"
    assert event.provider_event_id == "SM5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b:delivered"
    assert event.attempt_id == ATTEMPT_ID
    assert event.number == NUMBER
    assert event.channel == Channel.SMS
    assert event.raw["RawDlrDoneDate"] == "2603021015"


def test_undelivered_callback_keeps_the_error_code():
    [event] = make_twilio().handle_webhook(signed_twilio_callback("status_undelivered.txt"))
    assert (event.type, event.error_code) == (EventType.UNDELIVERED, "30003")


def test_rcs_read_receipt_is_read_on_the_rcs_channel():
    [event] = make_twilio().handle_webhook(signed_twilio_callback("status_read_rcs.txt"))
    assert (event.type, event.channel, event.number) == (EventType.READ, Channel.RCS, NUMBER)


def test_inbound_stop_is_inbound_text_from_the_sender():
    request = signed_twilio_callback(
        "inbound_stop.txt", url="https://relais.example.com/webhooks/twilio/"
    )
    [event] = make_twilio().handle_webhook(request)
    assert (event.type, event.text, event.number) == (EventType.TEXT, "STOP", NUMBER)
    assert event.provider_event_id == "SM9a8b7c6d5e4f30211f2e3d4c5b6a7980:received"
    assert event.attempt_id is None


@pytest.mark.parametrize(
    ("status", "event_type"),
    [
        ("queued", EventType.QUEUED),
        ("sending", EventType.QUEUED),
        ("sent", EventType.SENT),
        ("delivered", EventType.DELIVERED),
        ("undelivered", EventType.UNDELIVERED),
        ("failed", EventType.FAILED),
        ("read", EventType.READ),
        ("canceled", EventType.FAILED),
        ("partially_delivered", EventType.UNKNOWN),
    ],
)
def test_message_status_maps_to_our_event_type(status, event_type):
    form = {"MessageSid": ["SM1"], "MessageStatus": [status], "To": [NUMBER]}
    request = WebhookRequest(url=TWILIO_CALLBACK, form=form)
    [event] = make_twilio().parse_webhook(request)
    assert event.type == event_type
    assert event.provider_event_id == f"SM1:{status}"


def test_callback_without_message_sid_is_rejected():
    with pytest.raises(WebhookRejected):
        make_twilio().parse_webhook(
            WebhookRequest(url=TWILIO_CALLBACK, form={"MessageStatus": ["sent"]})
        )


class TestTwilioWebhookSecurity(WebhookSecurityContract):
    webhook = TwilioWebhook()
