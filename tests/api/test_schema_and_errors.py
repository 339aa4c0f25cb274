"""The OpenAPI schema, the interactive docs, and problem+json for every kind of error."""

import pytest
from django.test import Client

from sending import services

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_served_and_lists_the_endpoints():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Relais API"
    assert set(schema["paths"]) >= {
        "/api/v1/messages",
        "/api/v1/messages/{message_id}",
        "/api/v1/capabilities",
    }
    assert "post" in schema["paths"]["/api/v1/messages"]
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"]["scheme"] == "bearer"


def test_openapi_schema_documents_the_seed_example_and_problem_bodies():
    schema = Client().get("/api/v1/openapi.json").json()
    send = schema["paths"]["/api/v1/messages"]["post"]
    examples = send["requestBody"]["content"]["application/json"]["examples"]
    assert examples["seed"]["value"]["template_id"] == "promo_soldes_v1"
    assert "application/problem+json" in send["responses"]["422"]["content"]
    assert "Idempotency-Key" in [parameter["name"] for parameter in send["parameters"]]


def test_interactive_docs_open_without_signing_in():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"/api/v1/openapi.json" in response.content


def test_unknown_api_path_is_a_problem_not_an_html_page(api):
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"]


def test_invalid_json_body_is_400_problem(api):
    response = api.post("/api/v1/messages", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_json"


def test_unexpected_error_is_500_problem_without_traceback(api, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(services, "submit_message", explode)
    response = api.post(
        "/api/v1/messages",
        {"template_id": "promo_soldes_v1", "recipient": "+33612345678"},
        content_type="application/json",
    )
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content
    assert response.json()["code"] == "internal_error"


def test_api_post_needs_no_csrf_token(test_key):
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {test_key[1]}"})
    response = client.post("/api/v1/capabilities", {"numbers": []}, content_type="application/json")
    assert response.status_code == 422  # reached validation: no CSRF refusal (403)
