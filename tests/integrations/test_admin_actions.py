"""The admin's actions on the shop connectors and webhook endpoints: failed shop events
processed again once their mapping is fixed, and an endpoint's secret rotated and shown once."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation

from integrations.models import WebhookEndpoint
from integrations.shops.models import ShopEvent
from sending.models import Message
from tests.integrations.support import (
    independent_verify,
    make_endpoint,
    send,
    sign_in_administrator,
)
from tests.support.sending import ALWAYS_RCS
from tests.support.shops import fixture, make_mapping, make_shop, order_template, post_webhook

pytestmark = pytest.mark.django_db

EVENTS = reverse("admin:integrations_shopevent_changelist")
ENDPOINTS = reverse("admin:integrations_webhookendpoint_changelist")


@pytest.fixture(autouse=True)
def _english(settings):
    # The job words its reasons in the installation's language.
    settings.LANGUAGE_CODE = "en"


def deliver(client, jobs, shop, topic, delivery_id):
    """A signed Shopify order webhook, processed; its event."""
    body = fixture("shopify_orders_create.json")
    assert post_webhook(client, shop, body, topic, delivery_id=delivery_id).status_code == 200
    jobs.run(until=0)
    return ShopEvent.objects.get(delivery_id=delivery_id)


def process_again(admin_client, *events):
    with translation.override("en"):
        return admin_client.post(
            EVENTS,
            {"action": "process_again", "_selected_action": [event.pk for event in events]},
            follow=True,
        )


def test_a_failed_shop_event_sends_its_message_once_processed_again_after_the_fix(
    admin_client, client, jobs
):
    shop = make_shop()
    template, _version = order_template()
    mapping = make_mapping(shop, template, "orders/create", prenom={"path": "customer.nickname"})
    failed = deliver(client, jobs, shop, "orders/create", "d-1")
    assert (failed.status, failed.reason_code, failed.converted) == (
        "failed",
        "missing_value",
        True,
    )
    unmapped = deliver(client, jobs, shop, "orders/paid", "d-2")
    assert unmapped.status == "skipped"

    mapping.fields = {
        "prenom": {"path": "customer.first_name"},
        "numero_commande": {"path": "name"},
    }
    mapping.save()
    page = process_again(admin_client, failed, unmapped).text

    assert "1 failed event queued to be processed again" in page
    assert "1 event left as it was (Skipped: 1): only failed events are processed again." in page
    failed.refresh_from_db()
    assert (failed.status, failed.reason_code) == ("received", "")
    assert [job.args for job in jobs.pending] == [(failed.pk,)]
    jobs.run(until=0)

    failed.refresh_from_db()
    assert failed.status == "sent", failed.reason
    assert failed.message.sms_text.startswith("Merci Inès ! Commande #2318")
    # The paid order's conversion, recorded the first time, is still this event's.
    assert failed.converted is True
    unmapped.refresh_from_db()
    assert unmapped.status == "skipped"
    assert LogEntry.objects.get().object_id == str(failed.pk)

    # Chosen again, a sent event is left alone: the order's message goes once.
    page = process_again(admin_client, failed).text
    assert "1 event left as it was (Sent: 1)" in page
    assert not [job for job in jobs.pending if job.path.endswith("process_event")]
    assert Message.objects.count() == 1


def test_only_who_may_fix_a_mapping_may_process_events_again(client, jobs):
    admin = sign_in_administrator(client)
    ShopEvent.objects.create(shop=make_shop(), delivery_id="d-1", status="failed")
    assert 'value="process_again"' in client.get(EVENTS).text
    admin.user_permissions.clear()
    admin.groups.clear()
    admin.user_permissions.add(*_perms("view_shopevent"))
    client.force_login(admin)
    assert 'value="process_again"' not in client.get(EVENTS).text


def _perms(*codenames):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="integrations", codename__in=codenames)


def rotate(admin_client, *endpoints, confirm=False):
    data = {"action": "rotate_secret", "_selected_action": [e.pk for e in endpoints]}
    if confirm:
        data["confirm"] = "yes"
    with translation.override("en"):
        return admin_client.post(ENDPOINTS, data)


def test_rotating_an_endpoints_secret_asks_first_then_shows_the_new_one_once(admin_client):
    first = make_endpoint("https://shop.example/hooks")
    second = make_endpoint("https://erp.example/relais", mode="live")
    old = {first.pk: first.secret, second.pk: second.secret}

    asked = rotate(admin_client, first, second)
    assert asked.status_code == 200
    assert "Give these 2 endpoints a new signing secret each?" in asked.text
    assert {e.pk: e.secret for e in WebhookEndpoint.objects.all()} == old

    done = rotate(admin_client, first, second, confirm=True)
    assert done.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.secret != old[first.pk] and second.secret != old[second.pk]
    assert first.secret.startswith("whsec_")
    assert first.secret in done.text and second.secret in done.text
    assert "it is not shown again" in done.text
    assert "no-store" in done["Cache-Control"]
    # Nowhere else: not in a message or the session for the next page, nor in the log.
    session = admin_client.session
    assert first.secret not in str(dict(session.items()))
    for url in (ENDPOINTS, reverse("admin:integrations_webhookendpoint_change", args=[first.pk])):
        assert first.secret not in admin_client.get(url).text
    assert (
        all(first.secret not in entry.change_message for entry in LogEntry.objects.all())
        and LogEntry.objects.count() == 2
    )


def test_a_delivery_after_rotation_is_signed_with_the_new_secret(
    admin_client, jobs, network, transactional, receiver, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(receiver.base_url + "/hooks", events=["message.sent"])
    old = endpoint.secret
    rotate(admin_client, endpoint, confirm=True)
    endpoint.refresh_from_db()
    receiver.reply(200)

    send(ALWAYS_RCS, test_mode=True, captured=django_capture_on_commit_callbacks, jobs=jobs)

    assert independent_verify(endpoint.secret, receiver.last)
    assert not independent_verify(old, receiver.last)
