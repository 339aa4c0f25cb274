"""The campaigns API: create a draft, launch, read counts, pause/resume/cancel, refusals that
name the field, and test and live keys kept apart."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from campaigns.models import Campaign
from sending.models import Message
from tests.factories import make_api_key, make_list, make_seed_template, make_segment
from tests.support.api import bearer
from tests.support.campaigns import bulk_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    return Client(headers=bearer(make_api_key(mode="test")[1]))


@pytest.fixture
def template(db):
    template, _version = make_seed_template()
    return template


def post(client, path, body=None, **headers):
    data = json.dumps(body) if body is not None else ""
    return client.post(path, data, content_type="application/json", headers=headers)


def body_for(audience, **overrides):
    body = {
        "name": "Soldes d'hiver",
        "template_id": "promo_soldes_v1",
        "audience": audience,
        "variables": {
            "prenom": {"field": "first_name", "default": "client"},
            "duree_offre": {"value": "48h"},
        },
    }
    body.update(overrides)
    return body


def test_a_campaign_is_created_launched_and_counted(english, api, template, jobs, network):
    test_list = make_list(test_mode=True)
    now = timezone.now()
    bulk_list(test_list, 40, rcs_capable=True, rcs_checked_at=now, first_name="Léa")
    body = body_for(
        {"list_id": str(test_list.public_id)},
        experiment={"kind": "channel", "share": 0.5, "holdout_share": 0.1},
        throttle_per_second=50,
    )

    created = post(api, "/api/v1/campaigns", body)
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["status"] == "draft" and draft["test_mode"] is True
    assert draft["experiment"] == {
        "kind": "channel",
        "share": 0.5,
        "template_id_b": None,
        "holdout_share": 0.1,
        "winner": None,
    }
    path = f"/api/v1/campaigns/{draft['id']}"

    launched = post(api, f"{path}/launch")
    again = post(api, f"{path}/launch")
    jobs.run(until=0)
    detail = api.get(path).json()

    assert launched.status_code == again.status_code == 200
    assert launched.json()["status"] == "sending"
    progress = detail["progress"]
    assert progress["total"] + progress["holdout"] == 40
    assert set(progress["by_arm"]) <= {"rcs", "sms"}
    assert sum(sum(arm.values()) for arm in progress["by_arm"].values()) == progress["total"]
    assert "sms" in progress["by_channel"]
    assert detail["status"] == "done"
    assert Message.objects.count() == progress["total"]
    listed = api.get("/api/v1/campaigns").json()["results"]
    assert [item["id"] for item in listed] == [draft["id"]]


@pytest.mark.parametrize(
    "change, field, code",
    [
        ({"template_id": "nope"}, "template_id", "unknown_template"),
        ({"audience": {}}, "audience", "audience_required"),
        ({"variables": {}}, "variables.prenom", "missing_variable"),
        (
            {"variables": {"prenom": {"field": "password"}, "duree_offre": {"value": "1"}}},
            "variables.prenom.field",
            "invalid_variables",
        ),
        (
            {"variables": {"prenom": {"value": "a", "field": "first_name"}}},
            "variables.prenom",
            "invalid_variables",
        ),
        ({"experiment": {"kind": "content"}}, "experiment.template_id_b", "version_b_required"),
        ({"policy": "sms_only", "experiment": {"kind": "channel"}}, "experiment", None),
        ({"rollout": {"first_share": 2}}, "rollout.first_share", None),
        ({"throttle_per_second": 0}, "throttle_per_second", None),
    ],
)
def test_a_refusal_names_the_field_and_writes_nothing(english, api, template, change, field, code):
    test_list = make_list(test_mode=True)
    body = {**body_for({"list_id": str(test_list.public_id)}), **change}

    response = post(api, "/api/v1/campaigns", body)

    assert response.status_code == 422, response.content
    problem = response.json()
    assert problem["errors"][0]["field"] == field
    if code:
        assert problem["code"] == code
    assert not Campaign.objects.exists()


def test_a_live_list_is_not_found_with_a_test_key(english, api, template):
    live_list = make_list(test_mode=False)

    response = post(api, "/api/v1/campaigns", body_for({"list_id": str(live_list.public_id)}))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "audience.list_id"


def test_a_live_key_does_not_see_test_campaigns(english, api, template):
    segment = make_segment(test_mode=True)
    created = post(api, "/api/v1/campaigns", body_for({"segment_id": str(segment.public_id)}))
    live = Client(headers=bearer(make_api_key(mode="live")[1]))

    assert created.status_code == 201
    assert live.get(f"/api/v1/campaigns/{created.json()['id']}").status_code == 404
    assert live.get("/api/v1/campaigns").json()["results"] == []


def test_pause_resume_cancel_and_a_move_the_status_forbids(english, api, template, jobs):
    test_list = make_list(test_mode=True)
    bulk_list(test_list, 3)
    created = post(api, "/api/v1/campaigns", body_for({"list_id": str(test_list.public_id)}))
    path = f"/api/v1/campaigns/{created.json()['id']}"

    refused = post(api, f"{path}/pause")
    post(api, f"{path}/launch")
    paused = post(api, f"{path}/pause")
    resumed = post(api, f"{path}/resume")
    cancelled = post(api, f"{path}/cancel")
    no_rollout = post(api, f"{path}/continue")

    assert refused.status_code == 409 and refused.json()["code"] == "wrong_status"
    assert [r.json()["status"] for r in (paused, resumed, cancelled)] == [
        "paused",
        "sending",
        "cancelled",
    ]
    assert cancelled.json()["progress"]["by_status"] == {"cancelled": 3}
    assert no_rollout.status_code == 409
    assert post(api, "/api/v1/campaigns/not-an-id/launch").status_code == 404


def test_a_campaign_for_later_is_scheduled(api, template, jobs):
    test_list = make_list(test_mode=True)
    bulk_list(test_list, 2)
    later = (timezone.now() + timezone.timedelta(hours=2)).isoformat()
    created = post(
        api, "/api/v1/campaigns", body_for({"list_id": str(test_list.public_id)}, send_at=later)
    )
    path = f"/api/v1/campaigns/{created.json()['id']}"

    launched = post(api, f"{path}/launch")

    assert launched.json()["status"] == "scheduled"
    assert not Message.objects.exists()
    assert jobs.names() == ["start_campaign"]


def test_deleting_the_list_of_a_draft_leaves_it_and_launch_asks_for_an_audience(
    english, api, template
):
    test_list = make_list(test_mode=True)
    created = post(api, "/api/v1/campaigns", body_for({"list_id": str(test_list.public_id)}))
    path = f"/api/v1/campaigns/{created.json()['id']}"

    deleted = api.delete(f"/api/v1/lists/{test_list.public_id}")
    launched = post(api, f"{path}/launch")

    assert deleted.status_code == 204
    assert api.get(path).json()["audience"] == {"list_id": None, "segment_id": None}
    assert launched.status_code == 422
    assert launched.json()["errors"][0]["field"] == "audience"


@pytest.mark.parametrize(
    "change, field, french",
    [
        ({"name": ""}, "name", "Ce champ ne peut pas être vide."),
        (
            {"variables": {"prenom": {"field": "password"}, "duree_offre": {"value": "1"}}},
            "variables.prenom.field",
            "« password » n’est pas un champ du contact",
        ),
    ],
)
def test_a_refusal_in_french_says_it_in_french(api, template, change, field, french):
    body = {**body_for({"list_id": str(make_list(test_mode=True).public_id)}), **change}

    response = post(api, "/api/v1/campaigns", body, **{"Accept-Language": "fr"})

    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["field"] == field
    assert french in error["message"]
