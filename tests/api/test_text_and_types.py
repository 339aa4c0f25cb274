"""What a send may carry: valid Unicode, no control characters, only the template's variables,
numbers as numbers. Each refusal is a 422 naming the field, with nothing sent or logged as an
error."""

import json

import pytest

from api.models import IdempotencyRecord
from sending.models import Message
from tests.factories import make_published_template
from tests.support.logs import errors_logged

pytestmark = pytest.mark.django_db

SEND = {
    "template_id": "promo_soldes_v1",
    "recipient": "+33612345678",
    "variables": {"prenom": "Marie", "duree_offre": "48h"},
}
ENGLISH = {"Accept-Language": "en"}


def send(api, body, **headers):
    text = body if isinstance(body, str) else json.dumps(body)
    api.raise_request_exception = False
    return api.post(
        "/api/v1/messages", text, content_type="application/json", headers={**ENGLISH, **headers}
    )


def refused(response, field, code):
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [(field, code)], errors
    return errors[0]["message"]


def with_variables(variables, **changes):
    return {**SEND, "variables": {**SEND["variables"], **variables}, **changes}


# Lone surrogates, written as JSON escapes (a Python str cannot be sent as UTF-8 with one).
SURROGATE_VALUE = (
    '{"template_id": "promo_soldes_v1", "recipient": "+33612345678", %s'
    '"variables": {"prenom": "\\ud800", "duree_offre": "48h"}}'
)
SURROGATE_NAME = (
    '{"template_id": "promo_soldes_v1", "recipient": "+33612345678", %s'
    '"variables": {"prenom": "Marie", "duree_offre": "48h", "\\udfff": "x"}}'
)


@pytest.mark.parametrize("policy", ["", '"policy": "sms_only", '], ids=["default", "sms_only"])
@pytest.mark.parametrize("key", [None, "retry-1"], ids=["plain", "idempotent"])
def test_lone_surrogate_in_a_variable_value_is_422(api, seed_template, jobs, caplog, policy, key):
    headers = {"Idempotency-Key": key} if key else {}
    response = send(api, SURROGATE_VALUE % policy, **headers)
    refused(response, "variables.prenom", "string_unicode")
    assert not Message.objects.exists()
    assert not IdempotencyRecord.objects.exists()
    assert not errors_logged(caplog)


@pytest.mark.parametrize("policy", ["", '"policy": "sms_only", '], ids=["default", "sms_only"])
@pytest.mark.parametrize("key", [None, "retry-1"], ids=["plain", "idempotent"])
def test_lone_surrogate_in_a_variable_name_is_422(api, seed_template, jobs, caplog, policy, key):
    headers = {"Idempotency-Key": key} if key else {}
    response = send(api, SURROGATE_NAME % policy, **headers)
    assert response.status_code == 422, response.content
    [error] = response.json()["errors"]
    assert error["code"] == "string_unicode"
    assert error["field"].startswith("variables.")
    assert "[key]" not in error["field"] and "[key]" not in response.json()["detail"]
    assert not Message.objects.exists()
    assert not errors_logged(caplog)


@pytest.mark.parametrize("character", ["\x07", "\x1b", "\x7f", "\x85", "\x9b", "\x0b"])
def test_control_character_in_a_variable_is_422_naming_it(api, seed_template, jobs, character):
    response = send(api, with_variables({"prenom": f"Ma{character}rie"}))
    message = refused(response, "variables.prenom", "control_character")
    assert f"U+{ord(character):04X}" in message
    assert not Message.objects.exists()


@pytest.mark.parametrize("field", ["external_id", "recipient", "template_id"])
@pytest.mark.parametrize("character", ["\r", "\n", "\t", "\x1b", "\u2028"])
def test_line_break_or_control_in_a_one_line_field_is_422(
    api, seed_template, jobs, field, character
):
    value = {"external_id": "order-1042", **SEND}[field]
    response = send(api, {**SEND, "external_id": "order-1042", field: f"{value}{character}x"})
    message = refused(response, field, "control_character")
    assert f"U+{ord(character):04X}" in message
    assert not Message.objects.exists()


def test_line_break_in_a_variable_name_is_422(api, seed_template, jobs):
    response = send(api, with_variables({"prenom\n": "Marie"}))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    # The field is the name as docs/api.md writes it, variables.<name>: pydantic's "[key]" (the
    # dict key, not its value, is at fault) is left out.
    assert (error["field"], error["code"]) == ("variables.prenom\\n", "control_character")


@pytest.fixture
def order_template(db):
    """A template showing numero_commande in a card title and a link, prenom in the text."""
    content = {
        "richCard": {
            "standaloneCard": {
                "cardOrientation": "VERTICAL",
                "cardContent": {
                    "title": "Commande {{ numero_commande }}",
                    "description": "Bonjour {{ prenom }}",
                    "suggestions": [
                        {
                            "action": {
                                "text": "Suivre ma commande",
                                "postbackData": "cta_track",
                                "openUrlAction": {
                                    "url": "https://shop.example/suivi/{{ numero_commande }}"
                                },
                            }
                        }
                    ],
                },
            }
        }
    }
    template, _version = make_published_template(
        slug="suivi_commande",
        rcs_content=content,
        sms_fallback="{{ prenom }}, votre commande {{ numero_commande }} est partie.",
        variables=[
            {"name": "prenom", "default": None, "sample": "Marie"},
            {"name": "numero_commande", "default": None, "sample": "1042"},
        ],
        traffic_type="TRANSACTION",
    )
    return template


def order(api, **variables):
    values = {"prenom": "Marie", "numero_commande": "1042", **variables}
    body = {"template_id": "suivi_commande", "recipient": "+33612345678", "variables": values}
    return send(api, body)


@pytest.mark.parametrize("character", ["\n", "\r", "\t"])
def test_line_break_in_a_variable_shown_on_one_line_is_422(api, order_template, jobs, character):
    response = order(api, numero_commande=f"1042{character}X Urgent: https://evil.example")
    message = refused(response, "variables.numero_commande", "control_character")
    assert "numero_commande" in message
    assert not Message.objects.exists()


def test_line_break_in_a_variable_shown_on_several_lines_is_accepted(api, order_template, jobs):
    response = order(api, prenom="Marie\nDupont\tet\r\nfamille")
    assert response.status_code == 202, response.content


def test_undeclared_variable_is_422_naming_it(api, seed_template, jobs, caplog):
    response = send(api, with_variables({"numero_commande": "1042"}))
    message = refused(response, "variables.numero_commande", "unknown_variable")
    assert "numero_commande" in message and "prenom, duree_offre" in message
    assert not Message.objects.exists()
    assert not jobs.pending
    assert not errors_logged(caplog)


@pytest.mark.parametrize("ttl", ["60", "3600", True, False, 3600.0, "3600s"])
def test_ttl_that_is_not_a_json_integer_is_422(api, seed_template, jobs, ttl):
    response = send(api, {**SEND, "rcs_ttl_seconds": ttl})
    message = refused(response, "rcs_ttl_seconds", "int_type")
    assert message.startswith("Give a whole number")
    assert not Message.objects.exists()


def test_ttl_as_a_json_integer_is_accepted(api, seed_template, jobs):
    assert send(api, {**SEND, "rcs_ttl_seconds": 3600}).status_code == 202


@pytest.mark.parametrize("number", ["+33612345678\n", "06\x0712345678", "\ud800"])
def test_capability_number_with_a_control_character_or_surrogate_is_422(api, number, caplog):
    api.raise_request_exception = False
    response = api.post(
        "/api/v1/capabilities",
        json.dumps({"numbers": ["+33699000001", number]}),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "numbers[1]"
    assert not errors_logged(caplog)
