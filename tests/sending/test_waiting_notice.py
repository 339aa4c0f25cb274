"""A message that waits for its receipts far longer than expected says so, with the likely cause,
in the API's message resource and in the editor's test panel.

Receipts are "lost" by running the send job and not the simulator's event jobs; time moves by
dating the attempt back, as the reconciler's tests date messages back.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sending import services
from sending.models import Attempt, Event, Message
from sending.services.waiting import (
    PROVIDER_RCS_RECEIPT_GRACE,
    PROVIDER_SMS_RECEIPT_WAIT,
    SIMULATOR_RECEIPT_GRACE,
)
from tests.factories import make_api_key
from tests.support.api import bearer
from tests.support.sending import ALWAYS_RCS, NEVER_RCS, RCS_NEVER_DELIVERED
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db

SLOW_DELIVERY = "+33699000005"  # the simulator delivers it after 30 seconds
INTERNAL = "http://127.0.0.1:8102"


@pytest.fixture(autouse=True)
def addresses(settings):
    settings.PUBLIC_BASE_URL = "https://relais.example.com"
    settings.INTERNAL_BASE_URL = INTERNAL


def wait(message, elapsed):
    """Move time on: the attempt (and the message) were accepted `elapsed` ago."""
    accepted = timezone.now() - elapsed
    Attempt.objects.filter(message=message).update(created=accepted, updated=accepted)
    Message.objects.filter(pk=message.pk).update(created=accepted)


def send(promo, recipient, **options):
    return services.submit_message(
        template_id=promo.template.slug,
        recipient=recipient,
        variables={"prenom": "Marie"},
        **options,
    )


def read_via_api(message):
    _key, secret = make_api_key(mode="live")
    response = Client(headers=bearer(secret)).get(f"/api/v1/messages/{message.public_id}")
    assert response.status_code == 200, response.content
    return response.json()


def panel(client, message):
    url = f"/campaigns/test-send/status/{message.public_id}/"
    return client.get(url).content.decode()


def test_lost_simulated_receipts_are_named_in_the_api_with_the_address(
    jobs, network, promo, opted_in, english
):
    opted_in(ALWAYS_RCS)
    message = send(promo, ALWAYS_RCS)
    jobs.run(until=0)  # sent; the simulator's receipts never arrive
    assert read_via_api(message)["notice"] is None

    wait(message, timedelta(minutes=2))
    body = read_via_api(message)
    assert body["status"] == "sent"
    assert body["notice"]["code"] == "simulator_receipts_missing"
    assert body["notice"]["detail"].startswith("No delivery receipt yet")
    assert f"{INTERNAL}/webhooks/simulator/" in body["notice"]["detail"]
    assert "INTERNAL_BASE_URL" in body["notice"]["detail"]

    jobs.run()  # the receipts get through after all
    body = read_via_api(message)
    assert body["status"] in ("delivered", "read")
    assert body["notice"] is None


def test_the_simulators_slow_number_is_not_taken_for_lost_receipts(jobs, promo, opted_in):
    opted_in(SLOW_DELIVERY)
    message = send(promo, SLOW_DELIVERY)
    jobs.run(until=0)
    # Due at 30 s: still within the grace at 30 s + SIMULATOR_RECEIPT_GRACE.
    wait(message, timedelta(seconds=30) + SIMULATOR_RECEIPT_GRACE - timedelta(seconds=5))
    assert read_via_api(message)["notice"] is None
    wait(message, timedelta(seconds=30) + SIMULATOR_RECEIPT_GRACE + timedelta(seconds=5))
    assert read_via_api(message)["notice"]["code"] == "simulator_receipts_missing"


def test_a_phone_that_never_takes_the_rcs_message_is_not_a_lost_receipt(jobs, promo, opted_in):
    opted_in(RCS_NEVER_DELIVERED)
    message = send(promo, RCS_NEVER_DELIVERED)
    jobs.run(until=0)
    # The simulator plans nothing before the RCS deadline (an hour for a promotion).
    wait(message, timedelta(minutes=30))
    assert read_via_api(message)["notice"] is None


def test_the_test_panel_stops_spinning_and_says_why(client, jobs, promo, english):
    signed_in(client)
    client.post(f"/campaigns/test-send/{promo.template.pk}/", {"phone": NEVER_RCS, "consent": "on"})
    message = Message.objects.get()
    jobs.run(until=0)  # the SMS went out; its receipts never arrive

    waiting = panel(client, message)
    assert "spinner-border" in waiting
    assert "No delivery receipt yet" not in waiting
    assert 'hx-trigger="every 2s"' in waiting

    wait(message, timedelta(minutes=1))
    stuck = panel(client, message)
    assert "spinner-border" not in stuck
    assert "No delivery receipt yet: the simulator posts its receipts to " in stuck
    assert f"{INTERNAL}/webhooks/simulator/" in stuck
    # It still asks, now and then, in case the receipts come through.
    assert 'hx-trigger="every 30s"' in stuck


def test_a_real_provider_silent_long_past_the_rcs_deadline_may_not_reach_its_webhook(
    locmem, jobs, promo, opted_in, english
):
    opted_in(ALWAYS_RCS)
    message = send(promo, ALWAYS_RCS, rcs_ttl_seconds=300)
    jobs.run(until=0)
    deadline = timedelta(seconds=300)

    wait(message, deadline + PROVIDER_RCS_RECEIPT_GRACE - timedelta(minutes=1))
    assert read_via_api(message)["notice"] is None

    wait(message, deadline + PROVIDER_RCS_RECEIPT_GRACE + timedelta(minutes=1))
    notice = read_via_api(message)["notice"]
    assert notice["code"] == "provider_receipts_missing"
    assert "no word at all from locmem" in notice["detail"]
    assert "https://relais.example.com/webhooks/locmem/" in notice["detail"]


def test_a_real_provider_that_reported_anything_reaches_us(locmem, jobs, promo, opted_in):
    opted_in(NEVER_RCS)
    message = send(promo, NEVER_RCS, policy="sms_only")
    jobs.run(until=0)
    attempt = message.attempts.get()
    wait(message, PROVIDER_SMS_RECEIPT_WAIT + timedelta(minutes=1))
    assert read_via_api(message)["notice"]["code"] == "provider_receipts_missing"

    # A "sent" callback arrived: the phone is off, the webhook address is fine.
    Event.objects.create(
        message=message, attempt=attempt, provider="locmem", provider_event_id="e1", type="sent"
    )
    assert read_via_api(message)["notice"] is None
