"""The job of a shop event: the customer as a contact, the shop's SMS consent in the ledger
(once, with its source), the paid order as a conversion (once), the mapped message (once)."""

import io
import json

import pytest

from analytics.conversions import Conversion
from audience.models import ConsentEntry, Contact
from integrations.shops.models import ShopEvent
from sending.api_bodies import message_body
from sending.models import Message
from tests.support.shops import (
    delivery_template,
    fixture,
    make_mapping,
    make_shop,
    order_template,
    post_webhook,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    # The job words its log in the installation's language.
    settings.LANGUAGE_CODE = "en"


INES = "+33612345678"
HUGO = "+33781223344"
ORDER_FIELDS = {
    "prenom": {"path": "customer.first_name"},
    "numero_commande": {"path": "name"},
    "montant": {"path": "@total"},
}


def deliver(client, jobs, shop, name, topic, delivery_id=None, body=None):
    post_webhook(client, shop, body or fixture(name), topic, delivery_id=delivery_id)
    jobs.run(until=0)
    return ShopEvent.objects.order_by("-pk").first()


def test_order_created_sends_the_order_confirmation_to_the_customer(client, jobs):
    shop = make_shop()
    template, version = order_template()
    make_mapping(shop, template, "orders/create", **ORDER_FIELDS)
    event = deliver(client, jobs, shop, "shopify_orders_create.json", "orders/create")

    assert event.status == "sent", event.reason
    message = event.message
    assert message.contact.phone == INES
    assert message.template_version == version
    assert message.variables == {
        "prenom": "Inès",
        "numero_commande": "#2318",
        "montant": "77.90 EUR",
    }
    assert message.sms_text == "Merci Inès ! Commande #2318 : 77.90 EUR."
    assert message.test_mode is False
    assert message.external_id == "shopify:6120045938772"
    assert message.source == Message.Source.SHOP
    assert message.get_source_display() == "Shop connector"
    # The messages API says so too.
    assert message_body(message)["source"] == "shop"


def test_a_redelivery_under_another_id_sends_nothing_more(client, jobs):
    shop = make_shop()
    template, _version = order_template()
    make_mapping(shop, template, "orders/create", **ORDER_FIELDS)
    first = deliver(client, jobs, shop, "shopify_orders_create.json", "orders/create", "a")
    second = deliver(client, jobs, shop, "shopify_orders_create.json", "orders/create", "b")
    assert first.status == "sent"
    assert second.status == "skipped"
    assert "Already sent" in second.reason
    assert Message.objects.count() == 1


def test_a_job_run_twice_processes_the_event_once(client, jobs):
    from integrations.shops import services

    shop = make_shop()
    template, _version = order_template()
    make_mapping(shop, template, "orders/create", **ORDER_FIELDS)
    event = deliver(client, jobs, shop, "shopify_orders_create.json", "orders/create")
    services.process(event.pk)
    assert Message.objects.count() == 1
    assert Conversion.objects.count() == 1


def test_the_shopify_sms_consent_is_written_once_with_its_source(client, jobs):
    shop = make_shop()
    first = deliver(client, jobs, shop, "shopify_orders_create.json", "orders/create", "1")
    second = deliver(client, jobs, shop, "shopify_orders_create.json", "orders/updated", "2")
    contact = Contact.objects.live().get(phone=INES)
    entries = list(contact.consent_entries.all())
    assert [(e.kind, e.source, e.channel) for e in entries] == [("opt_in", "shopify", "all")]
    assert entries[0].occurred_at.isoformat() == "2026-11-20T17:40:55+00:00"
    assert "subscribed (single_opt_in)" in entries[0].wording
    assert entries[0].operator == shop.name
    assert (first.consent, second.consent) == ("opt_in", "")
    assert contact.sms_consent == "opt_in"


def test_an_unsubscribed_customer_is_an_opt_out_and_a_later_stop_is_not_undone(client, jobs):
    from audience.services import opt_out

    shop = make_shop()
    deliver(client, jobs, shop, "shopify_orders_create.json", "orders/create", "1")
    # A STOP after the checkout: the shop's older opt-in, sent again, changes nothing.
    opt_out(INES, source=ConsentEntry.Source.INBOUND_STOP, wording="STOP")
    deliver(client, jobs, shop, "shopify_orders_create.json", "orders/updated", "2")
    contact = Contact.objects.live().get(phone=INES)
    assert contact.sms_consent == "opt_out"
    assert contact.consent_entries.count() == 2

    payload = json.loads(fixture("shopify_orders_create.json"))
    payload["customer"]["sms_marketing_consent"]["state"] = "unsubscribed"
    payload["customer"]["sms_marketing_consent"]["consent_updated_at"] = "2026-11-25T08:00:00Z"
    body = json.dumps(payload).encode()
    event = deliver(client, jobs, shop, None, "orders/updated", "3", body=body)
    assert event.consent == ""  # already opted out: nothing to write


def test_woocommerce_consent_is_read_from_the_meta_field_chosen(client, jobs):
    shop = make_shop("woocommerce", consent_meta_key="sms_optin")
    event = deliver(client, jobs, shop, "woocommerce_order_created.json", "order.created")
    assert event.consent == "opt_in"
    entry = ConsentEntry.objects.get()
    assert (entry.contact.phone, entry.source, entry.kind) == (HUGO, "woocommerce", "opt_in")
    assert entry.wording == "WooCommerce order meta sms_optin: 1"


def test_woocommerce_without_a_chosen_meta_field_writes_no_consent(client, jobs):
    shop = make_shop("woocommerce")
    event = deliver(client, jobs, shop, "woocommerce_order_created.json", "order.created")
    assert event.consent == ""
    assert Contact.objects.live().filter(phone=HUGO).exists()
    assert not ConsentEntry.objects.exists()


def test_a_paid_shopify_order_is_a_conversion_and_counts_once(client, jobs):
    shop = make_shop()
    first = deliver(client, jobs, shop, "shopify_orders_create.json", "orders/create", "1")
    again = deliver(client, jobs, shop, "shopify_orders_create.json", "orders/paid", "2")
    conversion = Conversion.objects.get()
    assert (conversion.order_id, conversion.amount, conversion.currency) == (
        "6120045938772",
        "77.90",
        "EUR",
    )
    assert conversion.source == "shopify"
    assert conversion.contact.phone == INES
    assert conversion.test_mode is False
    assert (first.converted, again.converted) == (True, False)


def test_a_pending_woocommerce_order_is_no_conversion_until_completed(client, jobs):
    shop = make_shop("woocommerce")
    deliver(client, jobs, shop, "woocommerce_order_created.json", "order.created", "1")
    assert not Conversion.objects.exists()
    event = deliver(
        client, jobs, shop, "woocommerce_order_updated_completed.json", "order.updated", "2"
    )
    conversion = Conversion.objects.get()
    assert event.converted
    assert (conversion.order_id, conversion.amount, conversion.source) == (
        "5093",
        "31.40",
        "woocommerce",
    )
    assert conversion.occurred_at.isoformat() == "2026-11-22T09:01:40+00:00"


def test_woocommerce_completed_sends_the_delivery_notice_with_its_tracking(client, jobs):
    shop = make_shop("woocommerce")
    template, _version = delivery_template()
    fields = {
        "prenom": {"path": "billing.first_name"},
        "transporteur": {"path": "@carrier"},
        "lien_suivi": {"path": "@tracking_url"},
    }
    make_mapping(shop, template, "order.updated", "completed", **fields)
    created = deliver(client, jobs, shop, "woocommerce_order_created.json", "order.created", "1")
    assert created.status == "skipped"
    assert "No mapping for order.created" in created.reason
    pending = json.loads(fixture("woocommerce_order_created.json"))
    pending["status"] = "on-hold"
    on_hold = deliver(
        client, jobs, shop, None, "order.updated", "2", body=json.dumps(pending).encode()
    )
    assert on_hold.status == "skipped"
    done = deliver(
        client, jobs, shop, "woocommerce_order_updated_completed.json", "order.updated", "3"
    )
    assert done.status == "sent", done.reason
    assert done.message.variables == {
        "prenom": "Hugo",
        "transporteur": "Colissimo",
        "lien_suivi": "https://www.laposte.fr/outils/suivre-vos-envois?code=8R00112233445",
    }
    # The link goes out tracked, like every link Relais sends.
    assert done.message.sms_text.startswith("Hugo, colis confié à Colissimo : http")


def test_shopify_fulfillment_carries_tracking_url_and_carrier(client, jobs):
    shop = make_shop()
    template, _version = delivery_template()
    fields = {
        "prenom": {"path": "destination.first_name"},
        "transporteur": {"path": "tracking_company"},
        "lien_suivi": {"path": "fulfillments.0.tracking_url", "default": "https://x.example"},
    }
    make_mapping(shop, template, "fulfillments/create", **fields)
    event = deliver(client, jobs, shop, "shopify_fulfillments_create.json", "fulfillments/create")
    assert event.status == "sent", event.reason
    # fulfillments.0.tracking_url is no field of a fulfillment: the default is used.
    assert event.message.variables["lien_suivi"] == "https://x.example"
    assert event.message.variables["transporteur"] == "Chronopost"
    assert event.order_id == "6120045938772"


@pytest.mark.parametrize(
    ("phone", "reason"),
    [
        ("", "The order has no phone number."),
        ("12", "“12” is not a valid phone number."),
        ("+33 1 44 55 66 77", "landline"),
    ],
)
def test_a_number_relais_does_not_send_to_is_skipped_with_the_reason(client, jobs, phone, reason):
    shop = make_shop()
    template, _version = order_template()
    make_mapping(shop, template, "orders/create", **ORDER_FIELDS)
    payload = json.loads(fixture("shopify_orders_create.json"))
    payload["customer"]["phone"] = phone or None
    payload["shipping_address"]["phone"] = None
    event = deliver(client, jobs, shop, None, "orders/create", body=json.dumps(payload).encode())
    assert event.status == "skipped"
    assert reason in event.reason
    assert not Message.objects.exists()
    # The order was paid all the same: revenue is revenue.
    assert event.converted


def test_a_test_shop_writes_test_data_only(client, jobs):
    shop = make_shop(mode="test")
    template, _version = order_template()
    make_mapping(shop, template, "orders/create", **ORDER_FIELDS)
    event = deliver(client, jobs, shop, "shopify_orders_create.json", "orders/create")
    assert event.test_mode and event.message.test_mode
    assert not Contact.objects.live().exists()
    assert Conversion.objects.get().test_mode is True


def test_woocommerce_order_updated_sends_once_per_status_mapped(client, jobs):
    shop = make_shop("woocommerce")
    confirm, _version = order_template()
    shipped, _version = delivery_template()
    make_mapping(
        shop,
        confirm,
        "order.updated",
        "processing",
        prenom={"path": "billing.first_name"},
        numero_commande={"path": "@order_number"},
    )
    make_mapping(
        shop,
        shipped,
        "order.updated",
        "completed",
        transporteur={"path": "@carrier"},
        lien_suivi={"path": "@tracking_url"},
    )
    processing = json.loads(fixture("woocommerce_order_created.json"))
    processing["status"] = "processing"
    body = json.dumps(processing).encode()
    first = deliver(client, jobs, shop, None, "order.updated", "1", body=body)
    again = deliver(client, jobs, shop, None, "order.updated", "2", body=body)
    done = deliver(
        client, jobs, shop, "woocommerce_order_updated_completed.json", "order.updated", "3"
    )
    assert [first.status, again.status, done.status] == ["sent", "skipped", "sent"]
    assert [m.template_version.template for m in Message.objects.order_by("pk")] == [
        confirm,
        shipped,
    ]


def test_a_shopify_customer_update_writes_the_consent_change_without_an_order(client, jobs):
    shop = make_shop()
    deliver(client, jobs, shop, "shopify_orders_create.json", "orders/create", "1")
    customer = json.loads(fixture("shopify_orders_create.json"))["customer"]
    customer["sms_marketing_consent"] = {
        "state": "unsubscribed",
        "opt_in_level": "single_opt_in",
        "consent_updated_at": "2026-11-26T09:30:00+01:00",
        "consent_collected_from": "OTHER",
    }
    body = json.dumps(customer).encode()
    event = deliver(client, jobs, shop, None, "customers/update", "2", body=body)
    assert event.consent == "opt_out"
    assert event.status == "skipped"
    contact = Contact.objects.live().get(phone=INES)
    assert contact.sms_consent == "opt_out"
    assert list(contact.consent_entries.order_by("occurred_at").values_list("kind", "source")) == [
        ("opt_in", "shopify"),
        ("opt_out", "shopify"),
    ]
    assert Conversion.objects.count() == 1


def test_events_whose_job_was_lost_are_queued_again_and_processed_once(client, jobs):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    shop = make_shop()
    post_webhook(client, shop, fixture("shopify_orders_create.json"), "orders/create")
    jobs.pending.clear()  # Redis was down: the job never got there
    event = ShopEvent.objects.get()
    call_command("redrive_shop_events", stdout=io.StringIO())
    assert jobs.pending == []  # too recent: its job may still be on its way
    ShopEvent.objects.filter(pk=event.pk).update(created=timezone.now() - timedelta(minutes=6))
    call_command("redrive_shop_events", stdout=io.StringIO())
    assert [(job.name, job.args) for job in jobs.pending] == [("process_event", (event.pk,))]
    jobs.run(until=0)
    call_command("redrive_shop_events", stdout=io.StringIO())
    assert jobs.pending == []
    event.refresh_from_db()
    assert event.status == "skipped" and event.converted
