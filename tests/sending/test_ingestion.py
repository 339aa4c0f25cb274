"""Webhook ingestion: events recorded once, messages never moved backwards, late facts shown."""

import json
import uuid

import pytest
from django.test import Client

from messaging.providers import get_provider
from messaging.providers.simulator import SIGNATURE_HEADER
from sending import services
from sending.models import Attempt, Event, Message
from sending.services import webhooks
from tests.support.providers import CLIENT_TOKEN
from tests.support.sending import ALWAYS_RCS, RCS_NEVER_DELIVERED

pytestmark = pytest.mark.usefixtures("network")


def send(version, phone):
    return services.submit_message(
        template_id=version.template.slug, recipient=phone, variables={"prenom": "Camille"}
    )


def event_for(attempt, event_type, **extra):
    """A simulator event about attempt, as the simulated network plans them."""
    return {
        "event_id": str(uuid.uuid4()),
        "type": event_type,
        "attempt_id": str(attempt.public_id),
        "provider_message_id": f"sim-{attempt.public_id}",
        "number": attempt.message.contact.phone,
        "channel": attempt.channel,
        **extra,
    }


def post_simulator(*events):
    body, headers = get_provider("simulator").build_webhook(list(events))
    return Client().post(
        "/webhooks/simulator/",
        data=body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: headers[SIGNATURE_HEADER]},
    )


@pytest.fixture
def sent_rcs(transactional, jobs):
    """A transactional message accepted over RCS, its simulated events not yet arrived."""
    message = send(transactional, ALWAYS_RCS)
    jobs.run(until=0)
    return message.attempts.get()


def test_read_then_delivered_stays_read(sent_rcs):
    read = event_for(sent_rcs, "read")
    delivered = event_for(sent_rcs, "delivered")
    assert post_simulator(read).status_code == 200
    assert post_simulator(delivered).status_code == 200

    message = Message.objects.get(pk=sent_rcs.message_id)
    assert message.status == Message.Status.READ
    # A read message was delivered, even before its receipt came.
    assert message.delivered_at is not None
    sent_rcs.refresh_from_db()
    assert sent_rcs.status == Attempt.Status.READ
    assert list(message.events.order_by("pk").values_list("type", flat=True)) == [
        "read",
        "delivered",
    ]


def test_a_replayed_event_is_recorded_and_applied_once(sent_rcs):
    delivered = event_for(sent_rcs, "delivered")
    post_simulator(delivered)
    post_simulator(event_for(sent_rcs, "read"))
    post_simulator(delivered)

    assert Event.objects.filter(provider_event_id=delivered["event_id"]).count() == 1
    assert Message.objects.get(pk=sent_rcs.message_id).status == Message.Status.READ


def test_several_events_in_one_post_are_all_recorded(sent_rcs):
    response = post_simulator(
        event_for(sent_rcs, "delivered"),
        event_for(sent_rcs, "clicked", cta_id="cta_offres01", url="https://shop.example/soldes"),
    )
    assert response.status_code == 200
    click = Event.objects.get(type="clicked")
    assert (click.cta_id, click.message_id, click.attempt_id) == (
        "cta_offres01",
        sent_rcs.message_id,
        sent_rcs.pk,
    )
    assert click.raw["url"] == "https://shop.example/soldes"


def test_late_rcs_delivery_after_the_fallback_is_recorded_not_hidden(promo, opted_in, jobs):
    opted_in(RCS_NEVER_DELIVERED)
    message = send(promo, RCS_NEVER_DELIVERED)
    jobs.run()
    message.refresh_from_db()
    assert message.final_channel == "sms"
    rcs = message.attempts.get(channel="rcs")
    assert rcs.status == Attempt.Status.EXPIRED

    assert post_simulator(event_for(rcs, "delivered")).status_code == 200

    rcs.refresh_from_db()
    assert rcs.status == Attempt.Status.DELIVERED
    late = Event.objects.get(attempt=rcs, type="delivered")
    assert late.message_id == message.pk
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.final_channel == "sms"
    assert message.attempts.filter(channel="sms").count() == 1


def test_late_rcs_delivery_before_the_sms_left_cancels_the_sms(promo, opted_in, jobs):
    opted_in(RCS_NEVER_DELIVERED)
    message = send(promo, RCS_NEVER_DELIVERED)
    jobs.run(until=0)
    rcs = message.attempts.get()
    services.request_fallback(message.pk, Message.FallbackReason.RCS_EXPIRED)

    post_simulator(event_for(rcs, "delivered"))
    jobs.run(until=jobs.clock)

    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert not message.attempts.filter(channel="sms").exists()


def test_ttl_revocation_after_delivery_changes_nothing(sent_rcs, jobs):
    post_simulator(event_for(sent_rcs, "delivered"))
    post_simulator(event_for(sent_rcs, "expired"))
    jobs.run(until=jobs.clock)

    message = Message.objects.get(pk=sent_rcs.message_id)
    assert message.status == Message.Status.DELIVERED
    assert message.fallback_reason == ""
    assert not message.attempts.filter(channel="sms").exists()


def test_rcs_failure_receipt_triggers_the_fallback(sent_rcs, jobs):
    jobs.pending.clear()  # the network lost the RCS message: none of its planned events
    post_simulator(event_for(sent_rcs, "failed", error_code="SIM_FAILED"))
    jobs.run(until=jobs.clock + 60)

    message = Message.objects.get(pk=sent_rcs.message_id)
    assert message.fallback_reason == Message.FallbackReason.RCS_FAILED
    assert message.final_channel == "sms"
    assert message.status == Message.Status.DELIVERED
    assert message.attempts.get(channel="rcs").error_code == "SIM_FAILED"


def test_event_for_an_unknown_message_is_kept_with_200(db):
    stranger = {
        "event_id": str(uuid.uuid4()),
        "type": "delivered",
        "attempt_id": str(uuid.uuid4()),
        "provider_message_id": "sim-unknown",
        "number": "+33612345678",
        "channel": "rcs",
    }
    assert post_simulator(stranger).status_code == 200
    event = Event.objects.get()
    assert event.message is None and event.attempt is None
    assert event.number == "+33612345678"


def test_unknown_provider_is_404_and_get_is_refused(db):
    assert (
        Client()
        .post("/webhooks/carrier-pigeon/", data=b"{}", content_type="application/json")
        .status_code
        == 404
    )
    assert Client().get("/webhooks/simulator/").status_code == 405


def test_unreadable_body_is_403(db):
    body = b"not json"
    signature = get_provider("simulator").sign(body)
    response = Client().post(
        "/webhooks/simulator/",
        data=body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: signature},
    )
    assert response.status_code == 403


def test_rbm_handshake_answers_the_secret(rbm_settings):
    body = json.dumps({"clientToken": CLIENT_TOKEN, "secret": "s3cr3t"})
    response = Client().post("/webhooks/rbm/", data=body, content_type="application/json")
    assert (response.status_code, response.content) == (200, b"s3cr3t")

    wrong = json.dumps({"clientToken": "guess", "secret": "s3cr3t"})
    response = Client().post("/webhooks/rbm/", data=wrong, content_type="application/json")
    assert response.status_code == 403


def test_a_failure_while_acting_on_an_event_lets_the_provider_retry_it(sent_rcs, monkeypatch):
    delivered = event_for(sent_rcs, "delivered")
    real_apply = services.apply_event

    def broken(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(webhooks, "apply_event", broken)
    client = Client(raise_request_exception=False)
    body, headers = get_provider("simulator").build_webhook([delivered])
    response = client.post(
        "/webhooks/simulator/",
        data=body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: headers[SIGNATURE_HEADER]},
    )
    assert response.status_code == 500
    assert not Event.objects.filter(provider_event_id=delivered["event_id"]).exists()

    monkeypatch.setattr(webhooks, "apply_event", real_apply)
    assert post_simulator(delivered).status_code == 200
    sent_rcs.message.refresh_from_db()
    assert sent_rcs.message.status == Message.Status.DELIVERED
    assert Event.objects.filter(provider_event_id=delivered["event_id"]).count() == 1
