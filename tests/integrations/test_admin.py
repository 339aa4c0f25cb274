"""Admins see shops, mappings, shop events, webhook endpoints and deliveries in Django admin:
secrets never, evidence read-only, reasons in the admin's language, resend as an action."""

import pytest
from django.urls import reverse
from django.utils import translation

from integrations.models import WebhookDelivery
from integrations.shops.models import ShopEvent
from sending.models import Message
from tests.integrations.support import make_endpoint, sign_in_administrator
from tests.support.shops import (
    SECRET,
    fixture,
    make_mapping,
    make_shop,
    order_template,
    post_webhook,
)

pytestmark = pytest.mark.django_db


def sent_event(client, jobs):
    shop = make_shop()
    template, _version = order_template()
    make_mapping(
        shop, template, "orders/create", prenom={"fixed": "Inès"}, numero_commande={"path": "name"}
    )
    post_webhook(client, shop, fixture("shopify_orders_create.json"), "orders/create")
    jobs.run(until=0)
    return ShopEvent.objects.get()


def test_a_shop_page_in_admin_never_shows_its_secret(admin_client):
    shop = make_shop()
    page = admin_client.get(reverse("admin:integrations_shop_change", args=[shop.pk])).text
    assert shop.name in page
    assert f"/hooks/shops/{shop.public_id}/" in page
    assert SECRET not in page
    assert SECRET[-4:] not in page
    assert "••••" in page
    listing = admin_client.get(reverse("admin:integrations_shop_changelist")).text
    assert shop.domain in listing and SECRET not in listing


def test_the_admin_edits_a_shops_name_but_not_its_platform_mode_or_secret(admin_client):
    shop = make_shop()
    url = reverse("admin:integrations_shop_change", args=[shop.pk])
    response = admin_client.post(
        url,
        {
            "name": "Atelier Inès Paris",
            "domain": shop.domain,
            "consent_meta_key": "",
            "platform": "woocommerce",
            "mode": "test",
            "webhook_secret": "stolen",
            "mappings-TOTAL_FORMS": "0",
            "mappings-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    shop.refresh_from_db()
    assert (shop.name, shop.platform, shop.mode) == ("Atelier Inès Paris", "shopify", "live")
    assert shop.webhook_secret == SECRET
    # Shops are added on the Shops screen, which takes the secret and gives the address.
    assert admin_client.get(reverse("admin:integrations_shop_add")).status_code == 403


def test_shop_events_are_read_only_with_the_message_and_the_reason_in_the_admins_language(
    admin_client, client, jobs, settings
):
    settings.LANGUAGE_CODE = "en"
    event = sent_event(client, jobs)
    shop = event.shop
    post_webhook(client, shop, fixture("shopify_orders_create.json"), "orders/paid")
    jobs.run(until=0)
    skipped = ShopEvent.objects.get(topic="orders/paid")
    assert skipped.reason_code == "no_mapping"

    admin_client.cookies["django_language"] = "fr"
    listing = admin_client.get(reverse("admin:integrations_shopevent_changelist")).text
    assert "Aucune correspondance pour orders/paid : rien à envoyer." in listing
    assert reverse("admin:sending_message_change", args=[event.message_id]) in listing
    filtered = admin_client.get(
        reverse("admin:integrations_shopevent_changelist") + "?reason=no_mapping"
    ).text
    assert skipped.delivery_id in filtered and event.delivery_id not in filtered

    page = admin_client.get(reverse("admin:integrations_shopevent_change", args=[event.pk])).text
    assert event.delivery_id in page and "#2318" in page
    assert 'name="_save"' not in page
    response = admin_client.post(
        reverse("admin:integrations_shopevent_change", args=[event.pk]), {"status": "failed"}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.status == "sent"


def test_the_message_admin_filters_the_messages_a_shop_sent(admin_client, client, jobs):
    event = sent_event(client, jobs)
    url = reverse("admin:sending_message_changelist")
    shop_sent = admin_client.get(url + "?source__exact=shop").text
    api_sent = admin_client.get(url + "?source__exact=api").text
    assert str(event.message.public_id) in shop_sent
    assert str(event.message.public_id) not in api_sent
    # The label follows the reader's language; the requests above left the default French on.
    with translation.override("en"):
        assert Message.objects.get().get_source_display() == "Shop connector"
    with translation.override("fr"):
        assert Message.objects.get().get_source_display() == "Connecteur de boutique"


def test_a_mapping_in_admin_can_be_turned_off_but_not_retargeted(admin_client):
    shop = make_shop()
    template, _version = order_template()
    mapping = make_mapping(shop, template, "orders/create", prenom={"path": "customer.first_name"})
    url = reverse("admin:integrations_shopmapping_change", args=[mapping.pk])
    assert "customer.first_name" in admin_client.get(url).text
    response = admin_client.post(url, {"topic": "orders/paid"})
    assert response.status_code == 302
    mapping.refresh_from_db()
    assert (mapping.enabled, mapping.topic) == (False, "orders/create")


def test_an_endpoint_in_admin_hides_its_secret_and_refuses_a_private_url(admin_client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    endpoint = make_endpoint("https://shop.example/hooks", events=["message.sent"])
    admin_client.cookies["django_language"] = "en"
    url = reverse("admin:integrations_webhookendpoint_change", args=[endpoint.pk])
    page = admin_client.get(url).text
    assert endpoint.secret not in page
    assert endpoint.secret[6:14] not in page
    response = admin_client.post(
        url, {"url": "http://127.0.0.1:8000/x", "description": "", "events": ["message.sent"]}
    )
    assert response.status_code == 200
    assert "Webhooks cannot be sent to this URL" in response.text
    endpoint.refresh_from_db()
    assert endpoint.url == "https://shop.example/hooks"
    secret = endpoint.secret
    response = admin_client.post(
        url,
        {"url": "https://93.184.215.14/relais", "description": "ERP", "events": ["message.read"]},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events) == ("https://93.184.215.14/relais", ["message.read"])
    assert endpoint.secret == secret


def test_resend_is_an_admin_action_that_skips_disabled_endpoints(admin_client, jobs):
    live = make_endpoint("https://shop.example/hooks")
    off = make_endpoint("https://other.example/hooks", enabled=False)
    done = WebhookDelivery.objects.create(
        endpoint=live, type="message.sent", payload={"a": 1}, status="failed", attempts=9
    )
    waiting = WebhookDelivery.objects.create(
        endpoint=off, type="message.sent", payload={"a": 2}, status="failed"
    )
    admin_client.cookies["django_language"] = "en"
    response = admin_client.post(
        reverse("admin:integrations_webhookdelivery_changelist"),
        {"action": "resend", "_selected_action": [done.pk, waiting.pk]},
        follow=True,
    )
    assert "1 delivery sent again." in response.text
    assert "1 delivery not sent: its endpoint is disabled" in response.text
    done.refresh_from_db()
    waiting.refresh_from_db()
    assert (done.status, waiting.status) == ("pending", "failed")
    assert [job.args for job in jobs.pending] == [(done.pk,)]


def test_an_administrator_who_is_no_superuser_reads_shop_events_and_resends(client, jobs):
    sign_in_administrator(client)
    client.cookies["django_language"] = "en"
    shop = make_shop()
    endpoint = make_endpoint("https://shop.example/hooks")
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, type="message.sent", payload={}, status="failed"
    )
    assert "Shop events" in client.get("/admin/").text
    assert client.get(reverse("admin:integrations_shopevent_changelist")).status_code == 200
    assert client.get(reverse("admin:integrations_shop_change", args=[shop.pk])).status_code == 200
    response = client.post(
        reverse("admin:integrations_webhookdelivery_changelist"),
        {"action": "resend", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert "1 delivery sent again." in response.text
    # Deleting a shop, and its event log with it, stays on the Shops screen.
    assert client.get(reverse("admin:integrations_shop_delete", args=[shop.pk])).status_code == 403
