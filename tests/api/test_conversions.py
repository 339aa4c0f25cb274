"""POST /api/v1/conversions: one conversion per order id, refusals naming the field, test and
live apart."""

import json
from decimal import Decimal

import pytest

from analytics.conversions import Conversion
from tests.factories import make_contact, make_sent_message
from tests.support.conversions import click_id_for, post_conversion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ORDER = {"phone": "+33612345678", "order_id": "CMD-1", "value": "89.90", "currency": "EUR"}


def fields_of(answer):
    return [error["field"] for error in answer.json()["errors"]]


def test_a_new_order_is_created_and_read_back(api):
    created = post_conversion(api, **ORDER)

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["order_id"], body["value"], body["currency"], body["test_mode"]) == (
        "CMD-1",
        "89.90",
        "EUR",
        True,
    )
    read = api.get(f"/api/v1/conversions/{body['id']}")
    assert read.status_code == 200
    assert read.json() == body


def test_the_same_order_posted_again_answers_the_same_conversion_and_adds_no_row(api):
    first = post_conversion(api, **ORDER)
    # The same amount written another way is the same amount.
    again = post_conversion(api, **{**ORDER, "value": 89.9, "phone": "06 00 00 00 01"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Conversion.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"), [({"value": "99.90"}, "value"), ({"currency": "USD"}, "currency")]
)
def test_the_same_order_with_another_value_or_currency_is_a_conflict(api, change, field):
    post_conversion(api, **ORDER)

    conflict = post_conversion(api, **{**ORDER, **change})

    assert conflict.status_code == 409
    assert conflict["Content-Type"] == "application/problem+json"
    assert (conflict.json()["code"], fields_of(conflict)) == ("order_conflict", [field])
    assert Conversion.objects.get().value == Decimal("89.90")


def test_amounts_keep_the_decimal_places_of_their_currency(api):
    yen = post_conversion(api, **{**ORDER, "order_id": "JP-1", "value": 1200, "currency": "jpy"})
    dinar = post_conversion(
        api, **{**ORDER, "order_id": "KW-1", "value": "12.345", "currency": "KWD"}
    )

    assert (yen.json()["value"], yen.json()["currency"]) == ("1200", "JPY")
    assert dinar.json()["value"] == "12.345"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"phone": None}, "click_id", "identifier_required"),
        ({"currency": "EUX"}, "currency", "currency"),
        ({"currency": "XAU"}, "currency", "currency"),
        ({"currency": 978}, "currency", "string_type"),
        ({"value": "-1"}, "value", "greater_than_equal"),
        ({"value": -0.01}, "value", "greater_than_equal"),
        ({"value": "douze"}, "value", "decimal_parsing"),
        ({"value": True}, "value", "decimal_type"),
        ({"value": None}, "value", "decimal_type"),
        ({"value": "1e30"}, "value", "less_than_equal"),
        ({"value": 10**20}, "value", "less_than_equal"),
        ({"value": "NaN"}, "value", "finite_number"),
        ({"value": "Infinity"}, "value", "finite_number"),
        ({"value": "12.3456789"}, "value", "decimal_max_places"),
        ({"value": "12.999"}, "value", "too_many_decimals"),
        ({"order_id": "  "}, "order_id", "string_too_short"),
        ({"order_id": "x" * 201}, "order_id", "string_too_long"),
        ({"order_id": "CMD\n1"}, "order_id", "control_character"),
        ({"phone": "12"}, "phone", "invalid_phone"),
        ({"phone": "1" * 41}, "phone", "string_too_long"),
        ({"phone": None, "message_id": "42"}, "message_id", "uuid_parsing"),
        ({"phone": None, "click_id": "abc/../x"}, "click_id", "string_pattern_mismatch"),
        ({"occurred_at": "2025-06-01T18:02:11"}, "occurred_at", "timezone_aware"),
        ({"occurred_at": 1748800000}, "occurred_at", "datetime_type"),
        ({"occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at", "future_order"),
        ({"coupon": "X"}, "coupon", "extra_forbidden"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api, body, field, code):
    request = {key: value for key, value in {**ORDER, **body}.items() if value is not None}
    if body.get("value", "") is None:
        request["value"] = None

    refused = post_conversion(api, **request)

    assert refused.status_code == 422, refused.json()
    problem = refused.json()
    assert field in fields_of(refused)
    assert code in [error["code"] for error in problem["errors"]]
    assert not Conversion.objects.exists()


def test_a_missing_identifier_names_all_three(api):
    refused = post_conversion(api, order_id="CMD-1", value=10, currency="EUR")

    assert refused.status_code == 422
    assert fields_of(refused) == ["click_id", "message_id", "phone"]
    assert "Give one of click_id, message_id or phone" in refused.json()["errors"][0]["message"]


def test_a_missing_value_or_currency_is_named(api):
    refused = post_conversion(api, phone="+33612345678", order_id="CMD-1")

    assert refused.status_code == 422
    assert fields_of(refused) == ["value", "currency"]


def test_test_and_live_keys_keep_their_conversions_apart(test_key, live_key, client_for):
    test_api, live_api = client_for(test_key[1]), client_for(live_key[1])
    live_buyer = make_contact(phone="+33612345678")
    live_message = make_sent_message(live_buyer, delivered_at=live_buyer.created)
    test_buyer = make_contact(phone="+33612345678", test_mode=True)

    in_test = post_conversion(test_api, **{**ORDER, "message_id": str(live_message.public_id)})
    # The same order id in live is another order: test data never blocks a live one.
    in_live = post_conversion(live_api, **{**ORDER, "value": "12.00"})

    assert (in_test.status_code, in_live.status_code) == (201, 201)
    test_row = Conversion.objects.get(test_mode=True)
    live_row = Conversion.objects.get(test_mode=False)
    # The live message id means nothing to a test key: its buyer is found by phone in test data.
    assert (test_row.contact, test_row.message, test_row.matched_by) == (test_buyer, None, "phone")
    assert live_row.contact == live_buyer
    assert test_api.get(f"/api/v1/conversions/{in_live.json()['id']}").status_code == 404
    assert live_api.get(f"/api/v1/conversions/{in_test.json()['id']}").status_code == 404


def test_an_idempotency_key_replays_the_first_answer(api):
    headers = {"Idempotency-Key": "conv-1"}
    first = api.post("/api/v1/conversions", ORDER, content_type="application/json", headers=headers)
    again = api.post("/api/v1/conversions", ORDER, content_type="application/json", headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert json.loads(again.content) == first.json()


def test_the_schema_documents_the_call(api):
    schema = api.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/conversions"]["post"]

    assert set(operation["responses"]) >= {"200", "201", "409", "422"}
    assert "application/problem+json" in operation["responses"]["422"]["content"]
    assert "click" in operation["requestBody"]["content"]["application/json"]["examples"]


@pytest.mark.parametrize(
    ("value", "currency", "message"),
    [
        ("12.5", "JPY", "Amounts in JPY are whole numbers."),
        ("12.999", "EUR", "Amounts in EUR have at most 2 decimal places."),
        ("1.0001", "KWD", "Amounts in KWD have at most 3 decimal places."),
    ],
)
def test_more_decimal_places_than_the_currency_has_are_refused_not_rounded(
    api, value, currency, message
):
    refused = post_conversion(api, **{**ORDER, "value": value, "currency": currency})

    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "value", "code": "too_many_decimals", "message": message}
    ]


def test_a_phone_that_is_no_number_is_refused_even_beside_a_good_click_id(api):
    buyer = make_contact(test_mode=True)
    message = make_sent_message(buyer, delivered_at=buyer.created)
    good = click_id_for(message, buyer.created)

    refused = post_conversion(api, **{**ORDER, "click_id": good, "phone": "not a phone"})

    assert refused.status_code == 422
    assert fields_of(refused) == ["phone"]


def test_an_order_time_with_a_far_offset_is_kept_in_utc(api):
    # PostgreSQL refuses offsets past ±15:59, which ISO 8601 allows: the moment is read in UTC.
    response = api.post(
        "/api/v1/conversions",
        {
            "phone": "+33612345678",
            "order_id": "FAR-OFFSET-1",
            "value": "10.00",
            "currency": "EUR",
            "occurred_at": "2026-12-05T20:30:00+20:30",
        },
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content
    assert response.json()["occurred_at"].startswith("2026-12-05T00:00:00")
