import base64
import hashlib
import hmac
import uuid
from datetime import UTC, datetime

import pytest

from messaging.providers.normalized import Channel, EventType, OutboundMessage, ProviderError
from messaging.providers.simulator import (
    RESERVED_NUMBERS,
    SIGNATURE_HEADER,
    SimulatorProvider,
)
from messaging.providers.webhooks import WebhookRejected, WebhookRequest
from tests.support.providers import ATTEMPT_ID, SIMULATOR_SECRET, fixture_bytes, make_simulator
from tests.support.webhooks import SimulatorWebhook, WebhookSecurityContract

CARD = {
    "richCard": {
        "standaloneCard": {
            "cardOrientation": "VERTICAL",
            "cardContent": {
                "title": "Soldes",
                "suggestions": [
                    {
                        "action": {
                            "text": "Voir",
                            "postbackData": "cta_b2",
                            "openUrlAction": {"url": "https://shop.example/camille"},
                        }
                    },
                    {"reply": {"text": "Plus tard", "postbackData": "cta_c3"}},
                ],
            },
        }
    }
}
REPLY_FIRST = {
    "text": "On vous rappelle ?",
    "suggestions": [{"reply": {"text": "Oui", "postbackData": "cta_a1"}}],
}


def rcs(to, content=None, attempt_id=None, ttl=None):
    return OutboundMessage(
        attempt_id=attempt_id or ATTEMPT_ID,
        to=to,
        channel=Channel.RCS,
        rcs_content=content or {"text": "Bonjour"},
        ttl_seconds=ttl,
    )


def sms(to, text="Bonjour, -20% ce week-end", attempt_id=None):
    return OutboundMessage(
        attempt_id=attempt_id or ATTEMPT_ID, to=to, channel=Channel.SMS, sms_text=text
    )


def planned(result):
    return [(event["type"], event["delay_seconds"]) for event in result.raw["planned_events"]]


def types_of(result):
    return [event["type"] for event in result.raw["planned_events"]]


def french_mobiles(count):
    return [f"+3361{index:07d}" for index in range(count)]


# Capability


@pytest.mark.parametrize(
    ("number", "capable"),
    [
        ("+33699000001", True),
        ("+33699000002", False),
        ("+33699000003", True),
        ("+33699000004", True),
        ("+33699000005", True),
        ("+33699000006", True),
        ("+33699000007", True),
        ("+33699000008", True),
        ("+33699000009", False),
    ],
)
def test_reserved_numbers_have_fixed_capability_whatever_the_ratio(number, capable):
    for ratio in (0.0, 1.0):
        assert make_simulator(rcs_ratio=ratio).check_capability(number).capable is capable


def test_about_85_percent_of_numbers_are_rcs_capable_by_default():
    results = make_simulator().check_capabilities(french_mobiles(4000))
    share = sum(results.values()) / len(results)
    assert 0.82 < share < 0.88


def test_ratio_setting_moves_the_share_of_capable_numbers():
    numbers = french_mobiles(2000)
    low = sum(make_simulator(rcs_ratio=0.3).check_capabilities(numbers).values())
    assert 0.26 < low / len(numbers) < 0.34
    assert not any(make_simulator(rcs_ratio=0.0).check_capabilities(numbers).values())
    assert all(make_simulator(rcs_ratio=1.0).check_capabilities(numbers).values())


def test_capability_is_stable_for_a_number_across_instances():
    numbers = french_mobiles(200)
    assert make_simulator().check_capabilities(numbers) == make_simulator().check_capabilities(
        numbers
    )


def test_capable_number_lists_rbm_features():
    result = make_simulator().check_capability("+33699000001")
    assert "RICHCARD_CAROUSEL" in result.features
    assert make_simulator().check_capability("+33699000002").features == []


def test_invalid_looking_number_is_not_capable():
    assert make_simulator(rcs_ratio=1.0).check_capability("+3300000").capable is False


# Sending: reserved numbers


def test_always_capable_number_is_delivered_then_read():
    result = make_simulator().send(rcs("+33699000001"))
    assert result.status == EventType.SENT
    assert result.provider_message_id == f"sim-{ATTEMPT_ID}"
    assert result.raw["simulated"] is True
    assert types_of(result) == ["delivered", "read"]
    assert planned(result)[0] == ("delivered", 2.0)


def test_never_rcs_number_is_not_reachable_over_rcs_but_gets_sms():
    with pytest.raises(ProviderError) as caught:
        make_simulator().send(rcs("+33699000002"))
    assert caught.value.not_reachable and caught.value.permanent
    assert types_of(make_simulator().send(sms("+33699000002"))) == ["sent", "delivered"]


def test_capable_but_never_delivered_number_expires_at_its_ttl():
    result = make_simulator().send(rcs("+33699000003", ttl=600))
    assert planned(result) == [("expired", 600.0)]
    assert types_of(make_simulator().send(rcs("+33699000003"))) == []
    assert "delivered" in types_of(make_simulator().send(sms("+33699000003")))


def test_permanent_failure_number_fails_on_both_channels():
    for msg in (rcs("+33699000004"), sms("+33699000004")):
        with pytest.raises(ProviderError) as caught:
            make_simulator().send(msg)
        assert caught.value.permanent
        assert not caught.value.not_reachable


def test_temporary_failure_number_asks_to_retry_later():
    with pytest.raises(ProviderError) as caught:
        make_simulator().send(sms("+33699000008"))
    assert caught.value.permanent is False
    assert caught.value.retry_after == 60


def test_slow_number_is_delivered_after_30_seconds():
    assert planned(make_simulator().send(rcs("+33699000005")))[0] == ("delivered", 30.0)
    assert ("delivered", 30.0) in planned(make_simulator().send(sms("+33699000005")))


@pytest.mark.parametrize("make_msg", [rcs, sms])
def test_stop_number_replies_stop_after_delivery(make_msg):
    events = make_simulator().send(make_msg("+33699000006")).raw["planned_events"]
    stop = [event for event in events if event["type"] == "text"]
    assert [event["text"] for event in stop] == ["STOP"]
    delivered = next(event for event in events if event["type"] == "delivered")
    assert stop[0]["delay_seconds"] > delivered["delay_seconds"]


def test_tapping_number_clicks_the_first_url_button_with_its_cta():
    events = make_simulator().send(rcs("+33699000007", CARD)).raw["planned_events"]
    click = events[-1]
    assert click["type"] == "clicked"
    assert click["cta_id"] == "cta_b2"
    assert click["url"] == "https://shop.example/camille"
    assert "read" in [event["type"] for event in events]


def test_tapping_number_replies_when_the_first_suggestion_is_a_reply():
    click = make_simulator().send(rcs("+33699000007", REPLY_FIRST)).raw["planned_events"][-1]
    assert (click["type"], click["cta_id"], click["text"]) == ("replied", "cta_a1", "Oui")


def test_tapping_number_clicks_the_first_link_of_an_sms():
    msg = sms("+33699000007", "Soldes: https://r.example/l/Ab3. Et https://r.example/l/Zz9")
    click = make_simulator().send(msg).raw["planned_events"][-1]
    assert (click["type"], click["url"]) == ("clicked", "https://r.example/l/Ab3")


def test_undelivered_number_reports_an_error_code_on_sms():
    events = make_simulator().send(sms("+33699000009")).raw["planned_events"]
    assert [event["type"] for event in events] == ["sent", "undelivered"]
    assert events[-1]["error_code"] == "SIM_UNREACHABLE"


def test_invalid_number_is_refused_for_good():
    with pytest.raises(ProviderError) as caught:
        make_simulator().send(sms("+3300000000"))
    assert caught.value.permanent and caught.value.code == "invalid_number"


def test_every_reserved_number_is_a_valid_french_mobile():
    import phonenumbers

    for number in RESERVED_NUMBERS:
        parsed = phonenumbers.parse(number)
        assert phonenumbers.is_valid_number(parsed)
        assert phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE


# Sending: realistic rates, deterministic per attempt


def capable_numbers(count):
    simulator = make_simulator()
    return [n for n in french_mobiles(count * 2) if simulator.is_rcs_capable(n)][:count]


def test_same_attempt_always_plans_the_same_events():
    msg = rcs(capable_numbers(1)[0], CARD, attempt_id=uuid.uuid4())
    assert make_simulator().send(msg) == make_simulator().send(msg)


def test_different_attempts_plan_different_timings():
    number = capable_numbers(1)[0]
    plans = {
        tuple(planned(make_simulator().send(rcs(number, CARD, attempt_id=uuid.uuid4()))))
        for _ in range(20)
    }
    assert len(plans) > 10


def test_rcs_click_rate_is_about_15_percent_of_messages():
    simulator = make_simulator()
    numbers = capable_numbers(3000)
    clicked = 0
    for index, number in enumerate(numbers):
        msg = rcs(number, CARD, attempt_id=uuid.UUID(int=index + 1))
        clicked += any(t in ("clicked", "replied") for t in types_of(simulator.send(msg)))
    assert 0.12 < clicked / len(numbers) < 0.18


def test_sms_click_rate_is_a_few_percent():
    simulator = make_simulator()
    numbers = french_mobiles(4000)
    clicked = 0
    for index, number in enumerate(numbers):
        msg = sms(number, "Soldes https://r.example/l/Ab3", attempt_id=uuid.UUID(int=index + 1))
        clicked += "clicked" in types_of(simulator.send(msg))
    assert 0.015 < clicked / len(numbers) < 0.035


def test_click_rates_are_configurable():
    simulator = make_simulator(rcs_click_rate=1.0, rcs_offline_rate=0.0)
    for index, number in enumerate(capable_numbers(50)):
        msg = rcs(number, CARD, attempt_id=uuid.UUID(int=index + 1))
        assert types_of(simulator.send(msg))[-1] in ("clicked", "replied")


def test_sms_never_plans_a_read_receipt():
    simulator = make_simulator()
    for index, number in enumerate(french_mobiles(300)):
        assert "read" not in types_of(simulator.send(sms(number, attempt_id=uuid.UUID(int=index))))


def test_no_click_is_planned_for_content_without_buttons():
    simulator = make_simulator(rcs_click_rate=1.0, rcs_offline_rate=0.0)
    for index, number in enumerate(capable_numbers(50)):
        result = simulator.send(rcs(number, {"text": "Merci"}, attempt_id=uuid.UUID(int=index)))
        assert "clicked" not in types_of(result) and "replied" not in types_of(result)


def test_events_come_in_time_order_with_stable_unique_ids():
    simulator = make_simulator(rcs_click_rate=1.0)
    first = simulator.send(rcs("+33699000007", CARD)).raw["planned_events"]
    again = simulator.send(rcs("+33699000007", CARD)).raw["planned_events"]
    delays = [event["delay_seconds"] for event in first]
    assert delays == sorted(delays)
    assert len({event["event_id"] for event in first}) == len(first)
    assert [event["event_id"] for event in first] == [event["event_id"] for event in again]


# Webhooks


def test_signature_is_base64_hmac_sha256_of_the_body():
    body = b'{"events":[]}'
    expected = base64.b64encode(
        hmac.new(SIMULATOR_SECRET.encode(), body, hashlib.sha256).digest()
    ).decode()
    assert make_simulator().sign(body) == expected


def test_planned_events_round_trip_through_the_webhook():
    simulator = make_simulator()
    planned_events = simulator.send(rcs("+33699000007", CARD)).raw["planned_events"]
    when = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    body, headers = simulator.build_webhook(planned_events, occurred_at=when)
    request = WebhookRequest(
        url="https://relais.example.com/webhooks/simulator/", headers=headers, body=body
    )
    events = simulator.handle_webhook(request)
    assert [event.type for event in events] == [
        EventType.DELIVERED,
        EventType.READ,
        EventType.CLICKED,
    ]
    click = events[-1]
    assert click.attempt_id == ATTEMPT_ID
    assert (click.cta_id, click.url, click.channel) == (
        "cta_b2",
        "https://shop.example/camille",
        Channel.RCS,
    )
    assert click.number == "+33699000007"
    assert click.occurred_at == when
    assert click.provider_event_id == planned_events[-1]["event_id"]


def test_recorded_payload_parses_into_normalized_events():
    body = fixture_bytes("simulator", "webhook_events.json")
    request = WebhookRequest(
        url="https://relais.example.com/webhooks/simulator/",
        headers={SIGNATURE_HEADER: make_simulator().sign(body)},
        body=body,
    )
    events = make_simulator().handle_webhook(request)
    assert [event.type for event in events] == ["delivered", "read", "clicked"]
    assert events[0].provider_message_id == f"sim-{ATTEMPT_ID}"
    assert events[2].text == "Voir"


def test_unknown_event_type_is_kept_as_unknown():
    simulator = make_simulator()
    body = b'{"events":[{"eventId":"e1","type":"bounced","number":"+33699000001"}]}'
    request = WebhookRequest(
        url="https://x/", headers={SIGNATURE_HEADER: simulator.sign(body)}, body=body
    )
    [event] = simulator.handle_webhook(request)
    assert event.type == EventType.UNKNOWN
    assert event.raw["type"] == "bounced"


def test_event_without_id_is_rejected():
    simulator = make_simulator()
    body = b'{"events":[{"type":"delivered"}]}'
    request = WebhookRequest(
        url="https://x/", headers={SIGNATURE_HEADER: simulator.sign(body)}, body=body
    )
    with pytest.raises(WebhookRejected):
        simulator.handle_webhook(request)


def test_signature_made_with_another_secret_is_rejected():
    body = fixture_bytes("simulator", "webhook_events.json")
    other = SimulatorProvider(secret="another-secret")
    request = WebhookRequest(
        url="https://x/", headers={SIGNATURE_HEADER: other.sign(body)}, body=body
    )
    with pytest.raises(WebhookRejected):
        make_simulator().verify_webhook(request)


class TestSimulatorWebhookSecurity(WebhookSecurityContract):
    webhook = SimulatorWebhook()
