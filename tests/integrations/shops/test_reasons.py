"""Why an event was skipped or failed is stored as a code with its values and worded when it is
shown, in the language of whoever reads it, whatever the installation's language was then."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from analytics.attribution import record_conversion
from integrations.shops.models import ShopEvent
from tests.support.shops import fixture, make_mapping, make_shop, order_template, post_webhook
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def deliver(client, jobs, shop, topic="orders/create", body=None):
    post_webhook(client, shop, body or fixture("shopify_orders_create.json"), topic)
    jobs.run(until=0)
    return ShopEvent.objects.order_by("-pk").first()


def with_phone(phone):
    payload = json.loads(fixture("shopify_orders_create.json"))
    payload["customer"]["phone"] = phone
    payload["shipping_address"]["phone"] = None
    return json.dumps(payload).encode()


def test_the_log_words_the_reason_in_the_readers_language(client, jobs, settings):
    # Processed by a worker of a French installation, read by an English and a French user.
    settings.LANGUAGE_CODE = "fr"
    signed_in(client)
    shop = make_shop()
    event = deliver(client, jobs, shop)
    assert (event.reason_code, event.reason_values) == ("no_mapping", {"topic": "orders/create"})

    url = reverse("integrations:shop_detail", args=[shop.pk])
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    client.cookies["django_language"] = "fr"
    french = client.get(url).content.decode()
    assert "No mapping for orders/create: nothing to send." in english
    assert "Aucune correspondance pour orders/create : rien à envoyer." in french
    assert "Aucune correspondance" not in english


def test_a_landline_is_named_with_its_kind_in_each_language(client, jobs, settings):
    settings.LANGUAGE_CODE = "en"
    shop = make_shop()
    event = deliver(client, jobs, shop, body=with_phone("+33 1 44 55 66 77"))
    assert event.status == "skipped"
    assert event.reason_code == "not_a_mobile_number"
    assert event.reason_values == {"number": "+33144556677", "kind": "FIXED_LINE"}
    with translation.override("en"):
        assert event.reason.startswith("+33 1 44 55 66 77 is a landline: SMS cannot reach it")
    with translation.override("fr"):
        assert event.reason.startswith("+33 1 44 55 66 77 est un numéro fixe")


def test_a_country_not_allowed_names_the_country_in_the_readers_language(client, jobs, settings):
    settings.SENDING_ALLOWED_COUNTRIES = ["FR"]
    shop = make_shop()
    event = deliver(client, jobs, shop, body=with_phone("+49 151 23456789"))
    assert event.reason_code == "country_not_allowed"
    assert event.reason_values == {"number": "+4915123456789", "country": "DE"}
    with translation.override("en"):
        assert "is in Germany (DE), where this installation does not send" in event.reason
    with translation.override("fr"):
        assert "Allemagne (DE)" in event.reason


def test_a_missing_variable_keeps_its_name_and_path(client, jobs):
    shop = make_shop()
    template, _version = order_template()
    make_mapping(shop, template, "orders/create", prenom={"path": "customer.nickname"})
    event = deliver(client, jobs, shop)
    assert event.status == "failed"
    assert event.reason_code == "missing_value"
    assert event.reason_values == {"variable": "prenom", "path": "customer.nickname"}
    with translation.override("fr"):
        assert event.reason.startswith("Aucune valeur pour « prenom » : le champ customer.nickname")


def test_an_order_recorded_before_with_another_value_is_noted_and_the_message_still_goes(
    client, jobs
):
    shop = make_shop()
    template, _version = order_template()
    make_mapping(
        shop, template, "orders/create", prenom={"fixed": "Inès"}, numero_commande={"path": "name"}
    )
    # The shop's backend reported the order through the API first, with another total.
    record_conversion(order_id="6120045938772", value=Decimal("70.00"), currency="EUR")
    event = deliver(client, jobs, shop)
    assert event.status == "sent"
    assert event.converted is False
    assert event.reason_code == ""
    assert event.conversion_refusal == {
        "code": "order_conflict",
        "order": "6120045938772",
        "value": "70.00",
    }
    with translation.override("en"):
        assert event.reason == (
            "Conversion not recorded: Order 6120045938772 was recorded with the value 70.00."
        )
    with translation.override("fr"):
        assert event.reason.startswith("Conversion non enregistrée : La commande 6120045938772")


def test_a_refusal_of_the_send_api_it_cannot_word_again_keeps_its_sentence(client, jobs):
    from integrations.shops.services import send_refusal
    from sending.services.submit import SendRefused

    refused = SendRefused("variables.prenom", "invalid_content", "Too long for a button.")
    assert send_refusal(refused) == (
        "send_refused",
        {
            "code": "invalid_content",
            "field": "variables.prenom",
            "detail": "Too long for a button.",
        },
    )
    no_consent = SendRefused("recipient", "no_consent", "Ce destinataire n’a pas…")
    code, values = send_refusal(no_consent)
    event = ShopEvent(reason_code=code, reason_values=values)
    with translation.override("en"):
        assert event.reason == "This recipient has not opted in to promotional messages."
