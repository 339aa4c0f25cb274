"""The OpenAPI schema documents every header, status and enum of the new calls, and links to
the guide this installation serves (/docs/api.md), not to a repository path."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    return Client().get("/api/v1/openapi.json").json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_answer_documents_its_request_id_and_every_authenticated_one_its_rate_limit(
    schema,
):
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            headers = response.get("headers", {})
            assert "Request-Id" in headers, (path, method, status)
            if status not in ("401", "500"):
                assert "RateLimit-Remaining" in headers, (path, method, status)
        assert "429" in operation["responses"], (path, method)
        assert "Retry-After" in operation["responses"]["429"]["headers"]
        assert "WWW-Authenticate" in operation["responses"]["401"]["headers"]
        assert "500" in operation["responses"], (path, method)
    assert set(schema["components"]["headers"]) >= {
        "Request-Id",
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
        "Retry-After",
        "Location",
        "Idempotent-Replayed",
    }


def test_idempotent_operations_document_the_replay_header(schema):
    batch = schema["paths"]["/api/v1/messages/batch"]["post"]
    assert "Idempotent-Replayed" in batch["responses"]["200"]["headers"]
    send = schema["paths"]["/api/v1/messages"]["post"]
    assert "Location" in send["responses"]["202"]["headers"]


def test_the_new_calls_document_their_statuses(schema):
    paths = schema["paths"]
    assert set(paths["/api/v1/messages"]["get"]["responses"]) >= {"200", "401", "422", "429"}
    assert set(paths["/api/v1/messages/{message_id}/cancel"]["post"]["responses"]) >= {
        "200",
        "404",
        "409",
    }
    assert set(paths["/api/v1/messages/batch"]["post"]["responses"]) >= {
        "200",
        "404",
        "409",
        "413",
        "422",
    }
    assert "404" in paths["/api/v1/templates/{template_id}"]["get"]["responses"]


def test_statuses_and_channels_are_enums(schema):
    components = schema["components"]["schemas"]
    text = str(components)
    assert "'scheduled'" in text and "'cancelled'" in text
    list_parameters = {
        p["name"]: p for p in schema["paths"]["/api/v1/messages"]["get"]["parameters"]
    }
    assert "enum" in str(list_parameters["status"]["schema"]) or "$ref" in str(
        list_parameters["status"]["schema"]
    )


def test_the_description_links_to_the_served_guide(schema, settings):
    description = schema["info"]["description"]
    assert "(/docs/api.md)" in description
    assert "docs/api.md for" not in description
    settings.PUBLIC_BASE_URL = "https://relais.example.com"
    settings.PUBLIC_BASE_URL_GIVEN = True
    absolute = Client().get("/api/v1/openapi.json").json()["info"]["description"]
    assert "(https://relais.example.com/docs/api.md)" in absolute


def test_the_guide_is_served_with_its_anchors_and_tables(english):
    response = Client().get("/docs/api.md")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1" in page and "The REST API" in page
    assert 'id="rate-limits"' in page and 'id="idempotency"' in page
    assert "<table>" in page
    # Links between pages work as on a repository host: relative to the page's file name.
    assert 'href="sending.md#' in page
    assert Client().get("/docs/sending.md").status_code == 200


@pytest.mark.parametrize("name", ["nope", "..%2Fconfig%2Fsettings", "README"])
def test_only_the_docs_pages_are_served(name):
    assert Client().get(f"/docs/{name}.md").status_code == 404
