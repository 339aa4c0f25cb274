"""Bad input the fuzzer found: each gets a documented 4xx problem naming it, never a 500."""

import pytest
from django.test import Client

from api.models import IdempotencyRecord
from sending.models import Message

pytestmark = pytest.mark.django_db

SEND = {
    "template_id": "promo_soldes_v1",
    "recipient": "+33612345678",
    "variables": {"prenom": "Marie", "duree_offre": "48h"},
}

ENGLISH = {"Accept-Language": "en"}


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["detail"]
    return body


@pytest.mark.parametrize("path", ["/api/v1/messages", "/api/v1/capabilities"])
def test_schema_documents_the_400_for_a_body_that_is_not_json(path):
    schema = Client().get("/api/v1/openapi.json").json()
    responses = schema["paths"][path]["post"]["responses"]
    assert "application/problem+json" in responses["400"]["content"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("put", "/api/v1/messages", "GET, POST"),
        ("delete", "/api/v1/messages/7c9e6679-7425-40de-944b-e07fc1f90ae7", "GET"),
        ("get", "/api/v1/capabilities", "POST"),
    ],
)
def test_wrong_method_is_405_problem_naming_the_allowed_one(api, method, path, allowed):
    response = getattr(api, method)(path)
    assert_problem(response, 405, "method_not_allowed")
    # Ninja lists the methods of a path from a set: their order is not fixed.
    assert set(response["Allow"].split(", ")) == set(allowed.split(", "))
    assert response["Allow"] in response.json()["detail"]


def test_body_over_the_upload_limit_is_413_problem_not_500(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    numbers = ["+33612345678"] * 200
    response = api.post(
        "/api/v1/capabilities", {"numbers": numbers}, content_type="application/json"
    )
    assert_problem(response, 413, "body_too_large")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"template_id": "promo\x00soldes_v1"}, "template_id"),
        ({"recipient": "+3361234\x005678"}, "recipient"),
        ({"external_id": "order\x001042"}, "external_id"),
        ({"variables": {"prenom": "Ma\x00rie", "duree_offre": "48h"}}, "variables.prenom"),
        ({"variables": {"prenom": "Marie", "duree_offre": "48h", "x\x00": "1"}}, "variables"),
    ],
)
def test_nul_character_is_refused_naming_the_field_and_sends_nothing(
    api, seed_template, jobs, changes, field
):
    # PostgreSQL text cannot hold NUL: it used to reach the insert and fail with a 500.
    response = api.post("/api/v1/messages", {**SEND, **changes}, content_type="application/json")
    body = assert_problem(response, 422, "validation_error")
    assert [error["code"] for error in body["errors"]] == ["nul_character"]
    assert body["errors"][0]["field"].startswith(field)
    assert not Message.objects.exists()
    assert not jobs.pending


def test_nul_character_in_the_idempotency_key_is_refused(api, seed_template, jobs):
    response = api.post(
        "/api/v1/messages",
        SEND,
        content_type="application/json",
        headers={"Idempotency-Key": "a\x00b"},
    )
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["field"] == "Idempotency-Key"
    assert not IdempotencyRecord.objects.exists()
    assert not Message.objects.exists()


@pytest.mark.parametrize("payload", ["[]", "null", '"text"', "42"])
def test_body_that_is_not_an_object_is_refused_naming_the_body(api, payload):
    response = api.post(
        "/api/v1/messages", payload, content_type="application/json", headers=ENGLISH
    )
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"] == [
        {"field": "body", "code": "model_attributes_type", "message": "Send a JSON object."}
    ]


def test_unpaired_surrogate_gets_our_message_not_pydantics(api, seed_template):
    response = api.post(
        "/api/v1/messages",
        '{"template_id": "\\ud800", "recipient": "+33612345678"}',
        content_type="application/json",
        headers=ENGLISH,
    )
    body = assert_problem(response, 422, "validation_error")
    error = body["errors"][0]
    assert (error["field"], error["code"]) == ("template_id", "string_unicode")
    assert error["message"] == "Give valid Unicode text (this text holds an unpaired surrogate)."
