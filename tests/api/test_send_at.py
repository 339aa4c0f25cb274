"""send_at on every endpoint that takes it (a send, a batch, a campaign): more than 5 minutes in
the past is refused naming send_at, less means now, ahead is scheduled, too far ahead (35 days
for a message, a year for a campaign) or without a time zone is refused."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from campaigns.models import Campaign
from sending.models import Message
from tests.factories import make_api_key, make_contact, make_list, make_seed_template
from tests.support.api import bearer

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Paris
PHONE = "+33612345678"
VARIABLES = {"prenom": "Léa", "duree_offre": "48h"}


@pytest.fixture
def api(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    make_seed_template()
    make_contact(phone=PHONE, opted_in=True, test_mode=True)
    return Client(headers=bearer(make_api_key(mode="test")[1]))


def at(delta):
    return (NOW + delta).isoformat()


def send(api, send_at, language="en"):
    body = {"template_id": "promo_soldes_v1", "recipient": PHONE, "variables": VARIABLES}
    return _post(api, "/api/v1/messages", {**body, "send_at": send_at}, language)


def send_batch(api, send_at, language="en"):
    body = {
        "template_id": "promo_soldes_v1",
        "recipients": [{"recipient": PHONE, "variables": VARIABLES}],
        "send_at": send_at,
    }
    return _post(api, "/api/v1/messages/batch", body, language)


def create_campaign(api, send_at, language="en"):
    body = {
        "name": "Soldes d'hiver",
        "template_id": "promo_soldes_v1",
        "audience": {"list_id": str(make_list(test_mode=True).public_id)},
        "variables": {"prenom": {"field": "first_name"}, "duree_offre": {"value": "48h"}},
        "send_at": send_at,
    }
    return _post(api, "/api/v1/campaigns", body, language)


def _post(api, path, body, language):
    headers = {"Accept-Language": language}
    return api.post(path, json.dumps(body), content_type="application/json", headers=headers)


def refused_send_at(response):
    """The problem's detail, once checked that it names send_at."""
    assert response.status_code == 422, response.content
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["code"] == "invalid_send_at"
    assert [error["field"] for error in problem["errors"]] == ["send_at"]
    assert problem["errors"][0]["message"] == problem["detail"]
    return problem["detail"]


ENDPOINTS = [send, send_batch, create_campaign]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_send_at_in_the_past_is_refused_saying_what_to_do(api, endpoint):
    detail = refused_send_at(endpoint(api, at(-timedelta(hours=2))))

    assert "in the past: 2026-12-09T07:00:00Z (the time here is 2026-12-09T09:00:00Z)" in detail
    assert "omit it to send now" in detail or "none to start at launch" in detail
    assert not Message.objects.exists() and not Campaign.objects.exists()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_refusal_gives_the_times_in_french_too(api, endpoint):
    detail = refused_send_at(endpoint(api, "2026-12-09T08:00:00+01:00", language="fr"))

    assert "2026-12-09T07:00:00Z" in detail and "2026-12-09T09:00:00Z" in detail


def test_a_send_at_a_few_minutes_past_means_now(api):
    # The caller's clock is behind ours: not a refusal, and not a schedule.
    sent = send(api, at(-timedelta(minutes=4, seconds=59))).json()
    batched = send_batch(api, at(-timedelta(minutes=1))).json()["results"][0]["message"]

    assert (sent["status"], sent["send_at"]) == ("queued", None)
    assert (batched["status"], batched["send_at"]) == ("queued", None)


def test_a_campaign_send_at_a_few_minutes_past_means_at_launch(api):
    created = create_campaign(api, at(-timedelta(minutes=3)))

    assert created.status_code == 201, created.content
    assert created.json()["send_at"] is None
    assert _post(api, f"/api/v1/campaigns/{created.json()['id']}/launch", None, "en").json()[
        "status"
    ] in ("sending", "done")


@pytest.mark.parametrize("endpoint", [send, send_batch])
def test_a_message_send_at_ahead_is_scheduled_even_a_minute_ahead(api, endpoint):
    for ahead in (timedelta(minutes=1), timedelta(days=35)):
        answer = endpoint(api, at(ahead))
        assert answer.status_code in (200, 202), answer.content

    assert list(Message.objects.values_list("status", "send_at")) == [
        (Message.Status.SCHEDULED, NOW + timedelta(minutes=1)),
        (Message.Status.SCHEDULED, NOW + timedelta(days=35)),
    ]


def test_a_campaign_send_at_ahead_is_scheduled_at_launch(api):
    created = create_campaign(api, at(timedelta(days=200)))
    assert created.status_code == 201, created.content

    launched = _post(api, f"/api/v1/campaigns/{created.json()['id']}/launch", None, "en")

    assert (launched.json()["status"], launched.json()["send_at"]) == (
        "scheduled",
        "2027-06-27T09:00:00Z",
    )


@pytest.mark.parametrize(
    "endpoint, ahead, expected",
    [
        (send, timedelta(days=35, seconds=1), "more than 35 days ahead"),
        (send_batch, timedelta(days=35, seconds=1), "more than 35 days ahead"),
        (create_campaign, timedelta(days=365, seconds=1), "more than a year ahead"),
    ],
)
def test_a_send_at_too_far_ahead_is_refused(api, endpoint, ahead, expected):
    detail = refused_send_at(endpoint(api, at(ahead)))

    assert expected in detail


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("bad", ["2026-12-24T09:00:00", "tomorrow", 1765270800, "2026-13-01"])
def test_a_send_at_without_a_time_zone_or_not_iso_8601_is_refused_naming_it(api, endpoint, bad):
    response = endpoint(api, bad)

    assert response.status_code == 422, response.content
    assert [error["field"] for error in response.json()["errors"]] == ["send_at"]


def test_a_draft_whose_send_at_has_passed_is_not_launched_late(api, time_machine):
    # Scheduled for Wednesday 10:00, launched on Friday: it does not go out two days late.
    created = create_campaign(api, at(timedelta(hours=1))).json()
    time_machine.move_to(NOW + timedelta(days=2), tick=False)

    launched = _post(api, f"/api/v1/campaigns/{created['id']}/launch", None, "en")

    assert "in the past: 2026-12-09T10:00:00Z" in refused_send_at(launched)
    assert Campaign.objects.get().status == Campaign.Status.DRAFT
