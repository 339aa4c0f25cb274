"""Reasons written as sentences before codes (English or French, as the installation spoke) are
read back into their codes and values; one that matches nothing is kept whole."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from integrations.shops import reasons
from tests.support.migrations import back_to

migration = import_module("integrations.migrations.0003_shop_event_reason_codes")
BEFORE = [("integrations", "0002_shops")]
AFTER = [("integrations", "0003_shop_event_reason_codes")]


@pytest.mark.parametrize(
    ("text", "code", "values"),
    [
        (
            "No mapping for orders/create: nothing to send.",
            "no_mapping",
            {"topic": "orders/create"},
        ),
        (
            "Aucune correspondance pour order.created : rien à envoyer.",
            "no_mapping",
            {"topic": "order.created"},
        ),
        ("La commande n’a pas de numéro de téléphone.", "no_phone", {}),
        ("« 12 » n’est pas un numéro de téléphone valide.", "invalid_phone", {"number": "12"}),
        (
            "+33 1 44 55 66 77 is a landline: SMS cannot reach it, send to a mobile number.",
            "not_a_mobile_number",
            {"number": "+33 1 44 55 66 77", "kind": "FIXED_LINE"},
        ),
        (
            "+49 151 23456789 est hors des pays desservis (Allemagne (DE)) : cette installation "
            "n’y envoie pas de messages.",
            "country_not_allowed",
            {"number": "+49 151 23456789", "country": "DE"},
        ),
        (
            "Le modèle « Soldes » n’est pas publié.",
            "template_not_published",
            {"template": "Soldes"},
        ),
        (
            "No value for “prenom”: the field (none chosen) is not in the payload and the mapping "
            "gives no default.",
            "missing_value",
            {"variable": "prenom", "path": ""},
        ),
        (
            "Already sent for this order and topic: a redelivery sends nothing more.",
            "already_sent",
            {},
        ),
        (
            "malformed JSON: Expecting value: line 1 column 1 (char 0)",
            "malformed_json",
            {"error": "Expecting value: line 1 column 1 (char 0)"},
        ),
        ("malformed JSON: the body is JSON but not an object", "not_an_object", {}),
        (
            "With these variables the RCS message is not valid: x",
            "other",
            {"text": "With these variables the RCS message is not valid: x"},
        ),
    ],
)
def test_an_old_sentence_is_read_back_into_its_code(text, code, values):
    assert migration.read_reason(text) == (code, values, None)


def test_a_conversion_note_is_split_from_the_reason_it_followed():
    text = (
        "Aucune correspondance pour orders/paid : rien à envoyer. Conversion non enregistrée : "
        "La commande #2318 a été enregistrée en USD."
    )
    code, values, conversion = migration.read_reason(text)
    assert (code, values) == ("no_mapping", {"topic": "orders/paid"})
    assert conversion == {"code": "order_conflict", "order": "#2318", "currency": "USD"}
    with translation.override("en"):
        assert reasons.describe(code, values, conversion) == (
            "No mapping for orders/paid: nothing to send. Conversion not recorded: Order #2318 "
            "was recorded in USD."
        )


def test_a_sent_event_with_only_a_conversion_note_keeps_no_reason_code():
    text = "Conversion not recorded: Amounts in JPY are whole numbers."
    assert migration.read_reason(text) == (
        "",
        {},
        {"code": "too_many_decimals", "currency": "JPY", "places": 0},
    )


@pytest.fixture
def back_to_before(transactional_db):
    yield from back_to(BEFORE)


def test_migrating_turns_stored_sentences_into_codes_and_back(back_to_before, settings):
    settings.LANGUAGE_CODE = "fr"
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    shop = old.get_model("integrations", "Shop").objects.create(
        platform="shopify", name="Atelier", domain="a.example", webhook_secret="s"
    )
    Event = old.get_model("integrations", "ShopEvent")
    french = Event.objects.create(
        shop=shop,
        delivery_id="1",
        status="skipped",
        reason="Aucune correspondance pour orders/create : rien à envoyer.",
    )
    odd = Event.objects.create(shop=shop, delivery_id="2", status="failed", reason="Panne réseau.")
    sent = Event.objects.create(shop=shop, delivery_id="3", status="sent")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("integrations", "ShopEvent")
    rows = {e.pk: (e.reason_code, e.reason_values) for e in new.objects.all()}
    assert rows == {
        french.pk: ("no_mapping", {"topic": "orders/create"}),
        odd.pk: ("other", {"text": "Panne réseau."}),
        sent.pk: ("", {}),
    }

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    back = {e.pk: e.reason for e in Event.objects.all()}
    assert back[odd.pk] == "Panne réseau."
    assert back[sent.pk] == ""
    # Going back words every reason in the installation's language.
    assert back[french.pk] == "Aucune correspondance pour orders/create : rien à envoyer."
