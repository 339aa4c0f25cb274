"""GET /api/v1/templates and GET /api/v1/templates/{id}: what a send may use."""

import pytest
from django.test import Client

from editor.services import publish_template
from tests.factories import make_template

pytestmark = pytest.mark.django_db


def test_the_list_shows_sendable_templates_with_variables_and_channels(api, seed_template):
    make_template(slug="brouillon")  # never published
    archived = make_template(slug="ancienne")
    publish_template(archived, None)
    archived.archive()

    response = api.get("/api/v1/templates")

    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["id"] == "promo_soldes_v1"
    assert (item["status"], item["sendable"]) == ("published", True)
    assert item["published_version"]["number"] == 1
    assert item["traffic_type"] == "PROMOTION"
    assert item["variables"] == [
        {"name": "prenom", "required": True, "default": None, "sample": "Marie"},
        {"name": "duree_offre", "required": True, "default": None, "sample": "48h"},
    ]
    assert item["channels"] == {"rcs": True, "sms_fallback": True}
    assert item["policies"] == ["rcs_with_fallback", "rcs_only", "sms_only"]
    assert item["sms"]["segments"] >= 1
    assert item["has_unpublished_changes"] is False


def test_the_example_request_of_a_template_is_accepted_as_is(api, seed_template):
    example = api.get("/api/v1/templates").json()["results"][0]["example_request"]
    response = api.post("/api/v1/messages", example, content_type="application/json")
    assert response.status_code == 202, response.content


def test_detail_shows_the_published_content_not_the_draft(api, seed_template):
    seed_template.sms_fallback = "Un brouillon {{ prenom }} {{ duree_offre }}"
    seed_template.save()

    body = api.get("/api/v1/templates/promo_soldes_v1").json()

    assert body["has_unpublished_changes"] is True
    assert body["sms_fallback"].startswith("{{ prenom }}, -40 %")
    assert body["rcs_content"]


def test_an_rcs_only_template_says_so(api):
    template = make_template(slug="rcs_seul", rcs_only=True, sms_fallback="")
    publish_template(template, None)
    body = api.get("/api/v1/templates/rcs_seul").json()
    assert body["channels"] == {"rcs": True, "sms_fallback": False}
    assert body["policies"] == ["rcs_only"]
    assert body["sms"] is None


def test_a_draft_is_readable_but_not_sendable(api):
    make_template(slug="brouillon")
    body = api.get("/api/v1/templates/brouillon").json()
    assert (body["status"], body["sendable"], body["published_version"]) == (
        "draft",
        False,
        None,
    )
    assert body["example_request"] is None


def test_an_unknown_template_is_404_and_a_key_is_required(api):
    response = api.get("/api/v1/templates/nope")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert Client().get("/api/v1/templates").status_code == 401


def test_test_and_live_keys_see_the_same_templates(api, live_key, client_for, seed_template):
    live = client_for(live_key[1]).get("/api/v1/templates").json()
    assert live == api.get("/api/v1/templates").json()
