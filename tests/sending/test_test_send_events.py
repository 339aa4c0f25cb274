"""The test panel lists what comes back from the phone as it arrives: receipts, taps, replies."""

import pytest

from sending.models import Message
from tests.factories import make_template
from tests.support.sending import NEVER_RCS, REPLIES_STOP, post_inbound
from tests.support.views import card_content, signed_in

pytestmark = pytest.mark.django_db
TAPS_FIRST = "+33699000007"  # the simulator's number that taps the first button


@pytest.fixture
def draft():
    return make_template(rcs_content=card_content(label="Voir les soldes"))


def send(client, template, phone):
    client.post(f"/campaigns/test-send/{template.pk}/", {"phone": phone, "consent": "on"})
    return Message.objects.get()


def panel(client, message):
    response = client.get(f"/campaigns/test-send/status/{message.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_delivery_then_the_tap_appear_as_they_arrive(client, draft, jobs, network):
    signed_in(client)
    message = send(client, draft, TAPS_FIRST)

    jobs.run(until=3)  # the simulated phone has the message, nobody looked yet
    delivered = panel(client, message)
    assert "Delivered (RCS)" in delivered
    assert "Tapped" not in delivered

    jobs.run()
    tapped = panel(client, message)
    assert "Read (RCS)" in tapped
    assert "Tapped “Voir les soldes”" in tapped
    # Read is settled, yet a tap or a reply may still come: the panel keeps asking.
    assert "hx-trigger" in tapped


def test_a_stop_reply_shows_the_opt_out_of_the_test_contact(client, draft, jobs, network):
    signed_in(client)
    message = send(client, draft, REPLIES_STOP)
    jobs.run()

    page = panel(client, message)
    assert "STOP — opted out (test data)" in page
    message.contact.refresh_from_db()
    assert not message.contact.allows_promotions()


def test_a_typed_reply_is_quoted(client, draft, jobs, network):
    signed_in(client)
    message = send(client, draft, NEVER_RCS)
    jobs.run()

    post_inbound(NEVER_RCS, "Super, merci !")

    page = panel(client, message)
    assert "Delivered (SMS)" in page
    assert "Replied: Super, merci !" in page


def test_a_message_that_never_left_stops_asking(client, draft, jobs, network):
    signed_in(client)
    message = send(client, draft, "+33699000004")  # permanent failure on every channel
    jobs.run()

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert "hx-trigger" not in panel(client, message)
