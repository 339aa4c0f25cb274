"""Request-Id on every response (and in its log records and problem bodies); RateLimit-*
headers on every authenticated API answer; reads on a budget of their own."""

import logging
import uuid

import pytest
from django.test import Client

from api.request_ids import RequestIdFilter
from tests.factories import make_api_key
from tests.support.api import bearer

pytestmark = pytest.mark.django_db

SEED_REQUEST = {
    "template_id": "promo_soldes_v1",
    "recipient": "+33612345678",
    "variables": {"prenom": "Marie", "duree_offre": "48h"},
}


def send(client):
    return client.post("/api/v1/messages", SEED_REQUEST, content_type="application/json")


def test_every_response_carries_a_request_id_of_its_own(api, seed_template):
    answers = [
        api.get(f"/api/v1/messages/{uuid.uuid4()}"),
        send(api),
        Client().get("/api/v1/messages"),  # no key: 401
        Client().get("/api/v1/openapi.json"),
        Client().get("/accounts/login/"),  # not the API: a page has one too
    ]
    ids = [answer["Request-Id"] for answer in answers]
    assert all(ids)
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("header", ["X-Request-Id", "Request-Id"])
def test_a_sane_incoming_request_id_is_kept(api, header):
    response = api.get(f"/api/v1/messages/{uuid.uuid4()}", headers={header: "shop-7f3a.42"})
    assert response["Request-Id"] == "shop-7f3a.42"
    assert response.json()["request_id"] == "shop-7f3a.42"


@pytest.mark.parametrize(
    "value", ["two words", "x" * 200, "tab\there", "<script>", "-leading-dash", "a;b"]
)
def test_an_odd_incoming_request_id_is_replaced(api, value):
    response = api.get(f"/api/v1/messages/{uuid.uuid4()}", headers={"X-Request-Id": value})
    assert response["Request-Id"] != value
    assert response["Request-Id"].startswith("req_")


def test_problem_bodies_name_the_request_id_of_their_answer(api):
    response = api.get(f"/api/v1/messages/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["request_id"] == response["Request-Id"]
    unauthorized = Client().get("/api/v1/messages")
    assert unauthorized.json()["request_id"] == unauthorized["Request-Id"]


def test_log_records_of_a_request_carry_its_id(api, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = api.get("/api/v1/no-such-thing", headers={"X-Request-Id": "trace-123"})
    assert response.status_code == 404
    records = [record for record in caplog.records if record.name == "django.request"]
    assert records, "Django logs a 404 at WARNING"
    assert {record.request_id for record in records} == {"trace-123"}
    # Outside a request, records say so.
    logging.getLogger("relais.test").warning("outside")
    assert caplog.records[-1].request_id == "-"


def test_the_console_log_format_shows_the_request_id(settings):
    assert "%(request_id)s" in settings.LOGGING["formatters"]["plain"]["format"]
    assert "request_id" in settings.LOGGING["handlers"]["console"]["filters"]


def test_every_api_answer_carries_the_rate_limit_of_its_budget(seed_template):
    _key, secret = make_api_key(rate_limit_per_minute=50, read_rate_limit_per_minute=70)
    client = Client(headers=bearer(secret))
    read = client.get(f"/api/v1/messages/{uuid.uuid4()}")  # 404, still counted
    again = client.get("/api/v1/messages")
    write = send(client)
    refused = client.post("/api/v1/messages", {}, content_type="application/json")  # 422
    assert (read.status_code, again.status_code, write.status_code) == (404, 200, 202)
    assert refused.status_code == 422
    assert (read["RateLimit-Limit"], read["RateLimit-Remaining"]) == ("70", "69")
    assert (again["RateLimit-Limit"], again["RateLimit-Remaining"]) == ("70", "68")
    assert (write["RateLimit-Limit"], write["RateLimit-Remaining"]) == ("50", "49")
    assert (refused["RateLimit-Limit"], refused["RateLimit-Remaining"]) == ("50", "48")
    for answer in (read, again, write, refused):
        assert 1 <= int(answer["RateLimit-Reset"]) <= 60


def test_reads_past_their_budget_do_not_block_sending(seed_template):
    _key, secret = make_api_key(read_rate_limit_per_minute=3)
    client = Client(headers=bearer(secret))
    for _ in range(3):
        assert client.get("/api/v1/messages").status_code == 200
    refused = client.get("/api/v1/messages")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert refused["RateLimit-Remaining"] == "0"
    assert send(client).status_code == 202


def test_writes_past_their_budget_do_not_block_reading(seed_template):
    _key, secret = make_api_key(rate_limit_per_minute=1)
    client = Client(headers=bearer(secret))
    assert send(client).status_code == 202
    assert send(client).status_code == 429
    assert client.get("/api/v1/messages").status_code == 200


def test_polling_fifteen_messages_every_two_seconds_for_a_minute_never_blocks_a_send(
    seed_template,
):
    """What a shop did: 15 messages polled every 2 s hit 429 within 14 s (120 requests a
    minute for everything). A minute of that polling now fits, and sending still works."""
    _key, secret = make_api_key()  # the default budgets
    client = Client(headers=bearer(secret))
    ids = [send(client).json()["id"] for _ in range(15)]
    statuses = []
    for _round in range(30):  # 30 rounds of 2 s: a minute
        statuses += [client.get(f"/api/v1/messages/{id_}").status_code for id_ in ids]
    assert statuses == [200] * 450
    assert send(client).status_code == 202
