"""Mappings: field paths into the payload, fixed values, defaults, and a missing field."""

import json

import pytest

from integrations.shops import mapping, parsing
from integrations.shops.models import ShopMapping
from messaging.variables import declare
from tests.support.shops import fixture, make_mapping, make_shop, order_template, post_webhook

ORDER = json.loads(fixture("shopify_orders_create.json"))
DECLARED = declare(
    [
        {"name": "prenom", "default": None},
        {"name": "article", "default": None},
        {"name": "boutique", "default": None},
        {"name": "code", "default": "BIENVENUE"},
    ]
)


def rules(**fields):
    return ShopMapping(topic="orders/create", fields=fields)


def order():
    return parsing.parse("shopify", "orders/create", ORDER)


def test_paths_walk_keys_and_list_positions():
    assert parsing.resolve(ORDER, "customer.first_name") == "Inès"
    assert parsing.resolve(ORDER, "line_items.0.title") == "Pull col roulé mérinos"
    assert parsing.resolve(ORDER, "line_items.1.title") is parsing.MISSING
    assert parsing.resolve(ORDER, "customer.nope") is parsing.MISSING
    assert parsing.resolve(ORDER, "total_price.x") is parsing.MISSING


def test_a_path_a_fixed_value_and_a_default_give_the_variables():
    mapped = rules(
        prenom={"path": "customer.first_name"},
        article={"path": "line_items.0.title"},
        boutique={"fixed": "Atelier Inès", "path": "name"},
        code={"path": "discount_codes.0.code", "default": "MERCI10"},
    )
    assert mapping.variables_for(mapped, ORDER, order(), DECLARED) == {
        "prenom": "Inès",
        "article": "Pull col roulé mérinos",
        "boutique": "Atelier Inès",
        "code": "MERCI10",
    }


def test_a_missing_field_takes_the_default_then_the_templates_own_default():
    mapped = rules(
        prenom={"path": "customer.nickname", "default": "cher client"},
        article={"path": "line_items.0.title"},
        boutique={"fixed": "Atelier"},
        code={"path": "discount_codes.0.code"},
    )
    values = mapping.variables_for(mapped, ORDER, order(), DECLARED)
    assert values["prenom"] == "cher client"
    # Left out: the template's default (BIENVENUE) applies when the message is rendered.
    assert "code" not in values


def test_a_required_variable_with_no_value_is_a_problem_naming_it():
    mapped = rules(prenom={"path": "customer.nickname"}, article={}, boutique={"fixed": "A"})
    with pytest.raises(mapping.MappingProblem, match="prenom.*customer.nickname"):
        mapping.variables_for(mapped, ORDER, order(), DECLARED)


def test_an_empty_field_counts_as_missing():
    payload = dict(ORDER, customer=dict(ORDER["customer"], first_name=""))
    mapped = rules(
        prenom={"path": "customer.first_name", "default": "Bonjour"},
        article={"fixed": "x"},
        boutique={"fixed": "y"},
    )
    assert mapping.variables_for(mapped, payload, order(), DECLARED)["prenom"] == "Bonjour"


def test_derived_fields_read_each_platform_where_it_keeps_them():
    fulfilled = parsing.parse(
        "shopify",
        "fulfillments/create",
        json.loads(fixture("shopify_fulfillments_create.json")),
    )
    assert fulfilled.derived["@tracking_url"].startswith("https://www.chronopost.fr/")
    assert fulfilled.derived["@carrier"] == "Chronopost"
    assert fulfilled.derived["@order_number"] == "#2318"
    woo = parsing.parse(
        "woocommerce",
        "order.updated",
        json.loads(fixture("woocommerce_order_updated_completed.json")),
    )
    assert woo.derived["@carrier"] == "Colissimo"
    assert woo.derived["@tracking_number"] == "8R00112233445"
    assert woo.derived["@total"] == "31.40 EUR"


def test_the_screen_suggests_paths_for_the_librarys_variable_names():
    assert mapping.suggest("prenom") == "@first_name"
    assert mapping.suggest("numero_commande") == "@order_number"
    assert mapping.suggest("lien_suivi") == "@tracking_url"
    assert mapping.suggest("couleur") == ""


@pytest.mark.django_db
def test_a_mapping_missing_a_field_fails_the_event_with_the_reason(client, jobs, settings):
    settings.LANGUAGE_CODE = "en"
    shop = make_shop()
    template, _version = order_template()
    make_mapping(shop, template, "orders/create", prenom={"path": "customer.nickname"})
    post_webhook(client, shop, fixture("shopify_orders_create.json"), "orders/create")
    jobs.run(until=0)
    event = shop.events.get()
    assert event.status == "failed"
    assert event.reason.startswith("No value for “prenom”")
    assert event.message is None


def test_the_phone_is_taken_in_the_documented_order():
    payload = json.loads(fixture("shopify_orders_create.json"))
    payload["customer"]["phone"] = None
    payload["shipping_address"]["phone"] = None
    payload["billing_address"]["phone"] = "07 00 11 22 33"
    payload["customer"]["default_address"] = {"phone": "06 55 44 33 22"}
    assert parsing.parse("shopify", "orders/create", payload).phones == [
        "07 00 11 22 33",
        "06 55 44 33 22",
    ]
