"""The demo audience's numbers: the simulator plays the network for them, not the people."""

import uuid

import pytest

from messaging.providers.normalized import Channel, OutboundMessage
from messaging.providers.simulation import demo_number, is_demo_number
from tests.support.providers import make_simulator

CARD = {
    "text": "Soldes",
    "suggestions": [
        {
            "action": {
                "text": "Voir",
                "postbackData": "cta_b2",
                "openUrlAction": {"url": "https://shop.example/a"},
            }
        }
    ],
}


def sends(simulator, number, channel):
    """The planned event types of 200 sends to number on channel."""
    types = []
    for index in range(200):
        message = OutboundMessage(
            attempt_id=uuid.UUID(int=index + 1),
            to=number,
            channel=channel,
            rcs_content=CARD,
            sms_text="-40 % : https://shop.example/soldes",
            ttl_seconds=60,
        )
        send = simulator.send_rcs if channel == Channel.RCS else simulator.send_sms
        types += [event["type"] for event in send(message).raw["planned_events"]]
    return types


def test_demo_numbers_are_a_block_of_valid_french_mobiles():
    assert demo_number(0) == "+33757000000" and demo_number(9999) == "+33757009999"
    assert is_demo_number(demo_number(42))
    assert not is_demo_number("+33757000000 ") and not is_demo_number("+33612345678")
    with pytest.raises(ValueError):
        demo_number(10_000)


@pytest.mark.parametrize("channel", [Channel.RCS, Channel.SMS])
def test_the_simulator_draws_no_click_or_reply_for_the_demo_audience(channel):
    simulator = make_simulator(rcs_ratio=1.0, rcs_click_rate=1.0, sms_click_rate=1.0, stop_rate=1.0)

    demo = sends(simulator, demo_number(7), channel)
    anyone = sends(simulator, "+33612345678", channel)

    # Receipts as for anyone; the people's taps and STOPs are the demo audience's to act out.
    assert "delivered" in demo
    assert not {"clicked", "replied", "text"} & set(demo)
    assert {"clicked", "text"} <= set(anyone)
