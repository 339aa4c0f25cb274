"""Every operation documents the statuses it can answer and the headers of each answer, and
answers them for real: a wrong method is a 405 problem naming the allowed ones, no key a 401,
an id that names nothing a 404, each with the RateLimit-* headers of the budget it spent."""

import re
import uuid

import pytest
from django.test import Client

from tests.support.api import bearer

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
RATE_LIMIT_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def concrete(path):
    """The path with each {parameter} replaced by an id that names nothing."""
    return re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)


def required_statuses(operation):
    """What an operation must document, from what it takes: written out here on purpose, apart
    from api.openapi, so that a change there has to agree with this list."""
    places = {p["in"] for p in operation.get("parameters", [])}
    names = {p["name"] for p in operation.get("parameters", [])}
    required = {"401", "405", "429", "500"}
    if "path" in places:
        required.add("404")
    if "query" in places or "requestBody" in operation:
        required.add("422")
    if "requestBody" in operation:
        required |= {"400", "413"}
    if "Idempotency-Key" in names:
        required.add("409")
    return required


def test_every_operation_documents_each_status_it_can_answer(schema):
    missing = {
        (method.upper(), path): sorted(required_statuses(operation) - set(operation["responses"]))
        for path, method, operation in operations(schema)
    }
    assert {where: statuses for where, statuses in missing.items() if statuses} == {}


def test_every_error_is_documented_as_a_problem_with_its_headers(schema):
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            headers = set(response.get("headers", {}))
            assert {"Request-Id", *RATE_LIMIT_HEADERS} <= headers, (method, path, status)
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (path, status)
                schema_ref = response["content"]["application/problem+json"]["schema"]
                assert schema_ref == {"$ref": "#/components/schemas/Problem"}
        responses = operation["responses"]
        assert "Retry-After" in responses["429"]["headers"]
        assert "WWW-Authenticate" in responses["401"]["headers"]
        assert "Allow" in responses["405"]["headers"]
        names = {p["name"] for p in operation["parameters"]}
        assert "X-Request-Id" in names
        if "Idempotency-Key" in names:
            successes = [s for s in responses if s.startswith("2")]
            assert all("Idempotent-Replayed" in responses[s]["headers"] for s in successes)


def test_a_wrong_method_answers_405_with_a_problem_on_every_path(schema, test_key):
    client = Client(headers=bearer(test_key[1]))
    for path, methods in schema["paths"].items():
        allowed = {method.upper() for method in methods}
        wrong = next(method for method in METHODS if method.upper() not in allowed)
        response = getattr(client, wrong)(concrete(path))
        assert response.status_code == 405, (wrong, path)
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert (body["status"], body["code"]) == (405, "method_not_allowed")
        assert body["request_id"] == response["Request-Id"]
        assert {m.strip() for m in response["Allow"].split(",")} == allowed, path
        assert all(name in response for name in RATE_LIMIT_HEADERS), path


def test_every_operation_refuses_no_key_with_a_401_carrying_rate_limit_headers(schema):
    client = Client()
    for path, method, _operation in operations(schema):
        response = getattr(client, method)(concrete(path), {}, content_type="application/json")
        assert response.status_code == 401, (method, path)
        assert response.json()["code"] == "missing_api_key"
        assert "Bearer" in response["WWW-Authenticate"]
        assert all(name in response for name in RATE_LIMIT_HEADERS), (method, path)


def test_an_id_that_names_nothing_is_a_documented_404(schema, api):
    checked = 0
    for path, method, operation in operations(schema):
        if "{" not in path or "requestBody" in operation:
            continue  # a body is checked before the id: {} would be a 422
        response = getattr(api, method)(concrete(path))
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["code"] == "not_found"
        assert "RateLimit-Remaining" in response
        checked += 1
    assert checked >= 15
