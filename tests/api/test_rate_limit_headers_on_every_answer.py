"""Every API answer carries the RateLimit-* headers of the budget it spent: a key's reads or
writes, or, for an answer no valid key paid for (401, 405, an unknown path), the budget of the
caller's address, past which those answers become 429."""

import uuid

import pytest
from django.test import Client

from tests.factories import make_api_key
from tests.support.api import bearer

pytestmark = pytest.mark.django_db


def fresh_address():
    """A client address of the documentation range no earlier run has spent a budget of."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


def test_answers_no_key_paid_for_spend_the_budget_of_the_address(settings, seed_template, english):
    settings.API_ANONYMOUS_RATE_LIMIT_PER_MINUTE = 3
    address = {"REMOTE_ADDR": fresh_address()}
    anonymous = Client(**address)
    answers = [
        anonymous.get("/api/v1/messages"),  # no key: 401
        Client(headers=bearer("rl_test_not-a-key"), **address).get("/api/v1/messages"),  # 401
        anonymous.put("/api/v1/messages"),  # 405
    ]
    assert [answer.status_code for answer in answers] == [401, 401, 405]
    assert [answer["RateLimit-Limit"] for answer in answers] == ["3", "3", "3"]
    assert [answer["RateLimit-Remaining"] for answer in answers] == ["2", "1", "0"]
    refused = anonymous.get("/api/v1/messages")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert refused.json()["detail"].startswith(
        "Requests without a valid API key are limited to 3 per minute from one address."
    )
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["RateLimit-Remaining"] == "0"
    # Another address has its own budget, and a valid key from the same one spends its own.
    assert Client(REMOTE_ADDR=fresh_address()).get("/api/v1/messages").status_code == 401
    _key, secret = make_api_key(read_rate_limit_per_minute=70)
    with_key = Client(headers=bearer(secret), **address).get("/api/v1/messages")
    assert with_key.status_code == 200
    assert (with_key["RateLimit-Limit"], with_key["RateLimit-Remaining"]) == ("70", "69")


def test_a_key_past_its_budget_spends_nothing_of_the_address(settings, seed_template):
    settings.API_ANONYMOUS_RATE_LIMIT_PER_MINUTE = 1
    _key, secret = make_api_key(read_rate_limit_per_minute=1)
    address = fresh_address()
    client = Client(headers=bearer(secret), REMOTE_ADDR=address)
    assert client.get("/api/v1/messages").status_code == 200
    refused = client.get("/api/v1/messages")
    assert refused.status_code == 429
    assert refused["RateLimit-Limit"] == "1"  # the key's read budget, not the address's
    assert Client(REMOTE_ADDR=address).get("/api/v1/messages").status_code == 401


def test_an_unknown_path_and_the_schema_carry_the_address_budget(settings):
    settings.API_ANONYMOUS_RATE_LIMIT_PER_MINUTE = 5
    client = Client(REMOTE_ADDR=fresh_address())
    unknown = client.get("/api/v1/no-such-thing")
    schema = client.get("/api/v1/openapi.json")
    assert (unknown.status_code, schema.status_code) == (404, 200)
    assert (unknown["RateLimit-Remaining"], schema["RateLimit-Remaining"]) == ("4", "3")
