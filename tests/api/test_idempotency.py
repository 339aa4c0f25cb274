"""Idempotency-Key on POST /api/v1/messages: replay the first answer, refuse a different body."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from api.models import IdempotencyRecord, request_fingerprint
from sending.models import Message
from tests.factories import make_api_key
from tests.support.api import basic

pytestmark = pytest.mark.django_db

SEED_REQUEST = {
    "template_id": "promo_soldes_v1",
    "recipient": "+33612345678",
    "variables": {"prenom": "Marie", "duree_offre": "48h"},
}


def send(client, key, body=None):
    return client.post(
        "/api/v1/messages",
        body or SEED_REQUEST,
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def test_repeat_returns_the_first_answer_and_sends_nothing_more(api, seed_template):
    first = send(api, "order-1042-attempt")
    again = send(api, "order-1042-attempt")
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Message.objects.count() == 1


def test_same_body_with_keys_in_another_order_is_the_same_request(api, seed_template):
    send(api, "k1")
    reordered = dict(reversed(list(SEED_REQUEST.items())))
    assert send(api, "k1", reordered)["Idempotent-Replayed"] == "true"
    assert Message.objects.count() == 1


def test_same_key_with_a_different_body_is_409_naming_the_header(api, seed_template):
    send(api, "k1")
    response = send(api, "k1", {**SEED_REQUEST, "recipient": "+33612345679"})
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Message.objects.count() == 1


def test_different_keys_send_twice(api, seed_template):
    send(api, "k1")
    send(api, "k2")
    assert Message.objects.count() == 2


def test_keys_belong_to_one_api_key(api, client_for, seed_template):
    _other, other_key = make_api_key()
    send(api, "shared")
    response = send(client_for(other_key), "shared")
    assert "Idempotent-Replayed" not in response
    assert Message.objects.count() == 2


def test_a_refusal_is_not_remembered(api, seed_template):
    refused = send(api, "k1", {**SEED_REQUEST, "variables": {"prenom": "Marie"}})
    assert refused.status_code == 422
    fixed = send(api, "k1", SEED_REQUEST)
    assert fixed.status_code == 202
    assert "Idempotent-Replayed" not in fixed


def test_a_request_still_in_progress_gets_409(api, test_key, seed_template):
    # What a concurrent duplicate sees: the first request inserted its record, not finished.
    first = send(api, "k1")
    IdempotencyRecord.objects.filter(key="k1").update(response_status=None, response_body=None)
    response = send(api, "k1")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_in_progress"
    assert first.status_code == 202


def test_a_record_older_than_24_hours_is_ignored_and_purged(api, seed_template):
    send(api, "k1")
    IdempotencyRecord.objects.update(created=timezone.now() - timedelta(hours=25))
    response = send(api, "k1")
    assert response.status_code == 202
    assert "Idempotent-Replayed" not in response
    assert Message.objects.count() == 2
    IdempotencyRecord.objects.update(created=timezone.now() - timedelta(hours=25))
    call_command("purge_idempotency_records", stdout=io.StringIO())
    assert not IdempotencyRecord.objects.exists()


def test_without_a_key_every_post_sends(api, seed_template):
    api.post("/api/v1/messages", SEED_REQUEST, content_type="application/json")
    api.post("/api/v1/messages", SEED_REQUEST, content_type="application/json")
    assert Message.objects.count() == 2
    assert not IdempotencyRecord.objects.exists()


def test_a_request_that_died_in_progress_frees_its_key_after_a_while(api, test_key, seed_template):
    # Its work ran in one transaction that never committed: no message, just the record.
    fingerprint = request_fingerprint("POST", "/api/v1/messages", SEED_REQUEST)
    IdempotencyRecord.objects.create(
        api_key=test_key[0],
        key="k1",
        fingerprint=fingerprint,
        created=timezone.now() - timedelta(minutes=5),
    )
    response = send(api, "k1")
    assert response.status_code == 202
    assert Message.objects.count() == 1
    assert send(api, "k1")["Idempotent-Replayed"] == "true"


def test_a_repeat_sent_with_basic_auth_replays_the_bearer_answer(api, test_key, seed_template):
    first = send(api, "same-order")
    again = send(Client(headers=basic(test_key[1])), "same-order")
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Message.objects.count() == 1
