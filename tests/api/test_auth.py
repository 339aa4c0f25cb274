"""API keys: Bearer authentication, revocation, last use, per-key rate limit."""

import uuid

import pytest
from django.test import Client

from api.models import ApiKey, hash_key
from tests.factories import make_api_key
from tests.support.api import bearer

pytestmark = pytest.mark.django_db


def some_message_url():
    return f"/api/v1/messages/{uuid.uuid4()}"


def assert_unauthorized(response, code):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401
    assert body["code"] == code
    assert body["detail"]


def test_request_without_key_is_401_with_bearer_challenge():
    assert_unauthorized(Client().get(some_message_url()), "missing_api_key")


def test_request_with_unknown_key_is_401():
    response = Client(headers=bearer("rl_test_doesnotexist")).get(some_message_url())
    assert_unauthorized(response, "invalid_api_key")


def test_request_with_other_scheme_is_401():
    _api_key, full_key = make_api_key()
    response = Client(headers={"Authorization": f"Token {full_key}"}).get(some_message_url())
    assert_unauthorized(response, "missing_api_key")


def test_revoked_key_is_refused():
    api_key, full_key = make_api_key()
    client = Client(headers=bearer(full_key))
    assert client.get(some_message_url()).status_code == 404
    api_key.revoke()
    assert_unauthorized(client.get(some_message_url()), "revoked_api_key")


def test_valid_key_authenticates_and_records_its_last_use():
    api_key, full_key = make_api_key()
    assert api_key.last_used_at is None
    response = Client(headers=bearer(full_key)).get(some_message_url())
    assert response.status_code == 404  # authenticated; the message just does not exist
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def test_key_is_stored_hashed_with_a_visible_prefix():
    api_key, full_key = make_api_key(mode="live")
    assert full_key.startswith("rl_live_")
    assert full_key.startswith(api_key.prefix)
    assert len(api_key.prefix) == len("rl_live_") + 6
    assert api_key.key_hash == hash_key(full_key)
    assert not ApiKey.objects.filter(key_hash=full_key).exists()
    assert full_key not in {api_key.prefix, api_key.key_hash}


def test_rate_limit_answers_429_with_retry_after():
    _api_key, full_key = make_api_key(rate_limit_per_minute=2)
    client = Client(headers=bearer(full_key))
    assert client.get(some_message_url()).status_code == 404
    assert client.get(some_message_url()).status_code == 404
    response = client.get(some_message_url())
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "rate_limited"


def test_rate_limit_is_per_key():
    _limited, limited_key = make_api_key(rate_limit_per_minute=1)
    _other, other_key = make_api_key(rate_limit_per_minute=1)
    assert Client(headers=bearer(limited_key)).get(some_message_url()).status_code == 404
    assert Client(headers=bearer(limited_key)).get(some_message_url()).status_code == 429
    assert Client(headers=bearer(other_key)).get(some_message_url()).status_code == 404
