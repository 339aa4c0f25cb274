"""API keys: Bearer and Basic authentication, revocation, last use, per-key rate limit."""

import uuid

import pytest
from django.test import Client

from tests.factories import make_api_key
from tests.support.api import basic, bearer

pytestmark = pytest.mark.django_db


def some_message_url():
    return f"/api/v1/messages/{uuid.uuid4()}"


def assert_unauthorized(response, code):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    # One challenge per scheme (RFC 9110 lets a header list several).
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Basic" in response["WWW-Authenticate"]
    body = response.json()
    assert body["status"] == 401
    assert body["code"] == code
    assert body["detail"]


def test_request_without_key_is_401_with_bearer_challenge():
    assert_unauthorized(Client().get(some_message_url()), "missing_api_key")


def test_request_with_unknown_key_is_401():
    response = Client(headers=bearer("rl_test_doesnotexist")).get(some_message_url())
    assert_unauthorized(response, "invalid_api_key")


def test_empty_authorization_header_is_a_missing_key():
    response = Client(headers={"Authorization": ""}).get(some_message_url())
    assert_unauthorized(response, "missing_api_key")


@pytest.mark.parametrize(
    "header",
    [
        "Token {key}",
        "{key}",
        "Digest username={key}",
        "Basic !!not-base64!!",
        "Basic " + "cmxfdGVzdF8",  # base64 cut short
    ],
)
def test_unsupported_scheme_is_401_naming_both_schemes(header):
    _api_key, full_key = make_api_key()
    response = Client(headers={"Authorization": header.format(key=full_key)}).get(
        some_message_url()
    )
    assert_unauthorized(response, "unsupported_auth_scheme")
    detail = response.json()["detail"]
    assert "Bearer" in detail
    assert "Basic" in detail


def test_basic_with_a_user_name_that_is_not_a_key_is_an_unsupported_scheme():
    response = Client(headers=basic("admin", "hunter2")).get(some_message_url())
    assert_unauthorized(response, "unsupported_auth_scheme")


def test_basic_with_the_key_as_user_name_authenticates():
    api_key, full_key = make_api_key()
    response = Client(headers=basic(full_key)).get(some_message_url())
    assert response.status_code == 404  # authenticated; the message just does not exist
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "basic", "BASIC"])
def test_scheme_names_are_case_insensitive(scheme):
    _api_key, full_key = make_api_key()
    header = bearer(full_key) if scheme.lower() == "bearer" else basic(full_key)
    value = header["Authorization"].split(" ", 1)[1]
    response = Client(headers={"Authorization": f"{scheme} {value}"}).get(some_message_url())
    assert response.status_code == 404


def test_basic_with_an_unknown_key_is_an_invalid_key():
    response = Client(headers=basic("rl_test_doesnotexist")).get(some_message_url())
    assert_unauthorized(response, "invalid_api_key")


def test_basic_with_a_revoked_key_is_refused():
    api_key, full_key = make_api_key()
    api_key.revoke()
    assert_unauthorized(Client(headers=basic(full_key)).get(some_message_url()), "revoked_api_key")


@pytest.mark.parametrize(
    "header",
    ["Token {key}", "Basic {key}", "Bearer{key}", "{key}", "Basic " + "%%{key}", "Bearer {key}"],
)
def test_a_key_in_any_authorization_header_is_never_logged(
    settings, request, secret_log_scanner, header
):
    # Ninja's own Bearer class logs a header of another scheme at ERROR when DEBUG is on. The
    # scanner reads every record as it is logged, before the console's redaction hides it.
    settings.DEBUG = True
    _api_key, full_key = make_api_key()
    Client(headers={"Authorization": header.format(key=full_key)}).get(some_message_url())
    assert secret_log_scanner.take_findings(request.node.nodeid) == []


def test_rate_limit_answers_429_with_retry_after():
    _api_key, full_key = make_api_key(read_rate_limit_per_minute=2)
    client = Client(headers=bearer(full_key))
    assert client.get(some_message_url()).status_code == 404
    assert client.get(some_message_url()).status_code == 404
    response = client.get(some_message_url())
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "rate_limited"


def test_rate_limit_counts_bearer_and_basic_calls_together():
    _api_key, full_key = make_api_key(read_rate_limit_per_minute=2)
    assert Client(headers=bearer(full_key)).get(some_message_url()).status_code == 404
    assert Client(headers=basic(full_key)).get(some_message_url()).status_code == 404
    assert Client(headers=basic(full_key)).get(some_message_url()).status_code == 429


def test_openapi_schema_documents_bearer_and_basic():
    schema = Client().get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert {scheme["scheme"] for scheme in schemes.values()} == {"bearer", "basic"}
    send = schema["paths"]["/api/v1/messages"]["post"]
    # A list of requirements means any one of them will do.
    assert sorted(next(iter(item)) for item in send["security"]) == sorted(schemes)


def test_rate_limit_is_per_key():
    _limited, limited_key = make_api_key(read_rate_limit_per_minute=1)
    _other, other_key = make_api_key(read_rate_limit_per_minute=1)
    assert Client(headers=bearer(limited_key)).get(some_message_url()).status_code == 404
    assert Client(headers=bearer(limited_key)).get(some_message_url()).status_code == 429
    assert Client(headers=bearer(other_key)).get(some_message_url()).status_code == 404
