"""From a tap to revenue: the redirect hands out a click id, the shop sends it back with the
order, and the conversion names that message and button, before and after the drainer."""

from urllib.parse import parse_qs, urlsplit

import pytest

from analytics.conversions import Conversion
from analytics.services import drain_clicks
from tests.factories import make_contact
from tests.support.conversions import post_conversion
from tests.support.links import code_of, make_tracked_message, tracked

pytestmark = pytest.mark.django_db

BROWSER = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile Safari/537.36"}


def tap(client, message, index):
    """Follow the message's tracked link at index as a phone's browser; the rl_click it gives."""
    answer = client.get(f"/l/{code_of(tracked(message, index))}", headers=BROWSER)
    assert answer.status_code == 302
    return parse_qs(urlsplit(answer["Location"]).query)["rl_click"][0]


def test_the_click_id_of_a_real_tap_credits_its_message_before_and_after_the_drain(
    client, api, click_stream
):
    buyer = make_contact(test_mode=True)
    message = make_tracked_message(buyer, test_mode=True)
    clicked = tap(client, message, 2)

    before = post_conversion(api, click_id=clicked, order_id="R-1", value="30", currency="EUR")
    drain_clicks()
    after = post_conversion(api, click_id=clicked, order_id="R-2", value="30", currency="EUR")

    for answer in (before, after):
        assert answer.status_code == 201, answer.json()
        body = answer.json()
        assert (body["matched_by"], body["attributed_by"]) == ("click_id", "click")
        assert body["message_id"] == str(message.public_id)
    first, second = Conversion.objects.order_by("order_id")
    # Before the drain the click is known from its id alone; after it, the row is linked.
    assert (first.click, first.cta_index) == (None, 2)
    assert (second.click.message, second.click.cta_index, second.cta_index) == (message, 2, 2)


def test_a_click_id_from_a_live_message_means_nothing_to_a_test_key(client, api, click_stream):
    message = make_tracked_message(make_contact())
    clicked = tap(client, message, 0)

    answer = post_conversion(api, click_id=clicked, order_id="R-3", value="30", currency="EUR")

    assert answer.status_code == 201
    assert (answer.json()["matched_by"], answer.json()["message_id"]) == (None, None)
