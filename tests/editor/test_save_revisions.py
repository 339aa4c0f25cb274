"""Saves and publishes carry the draft revision they were based on; an older one is refused."""

import pytest

from editor.models import MessageTemplate
from tests.factories import make_template
from tests.support.views import post_json, signed_in

pytestmark = pytest.mark.django_db

CHANGED_ELSEWHERE = (
    "This template was changed elsewhere (another tab or person). Reload to see the newer "
    "version, or keep mine to overwrite it."
)


def stored(template):
    return MessageTemplate.objects.get(pk=template.pk)


def test_the_editor_page_carries_the_revision_and_is_never_cached(client):
    signed_in(client)
    template = make_template()
    template.claim_revision(None)
    response = client.get(f"/templates/{template.pk}/")
    assert f'data-revision="{stored(template).revision}"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_each_save_answers_the_next_revision(client):
    signed_in(client)
    template = make_template()
    first = stored(template).revision
    url = f"/templates/{template.pk}/save/"
    response = post_json(client, url, {"sms_fallback": "Un", "revision": first})
    assert response.status_code == 200
    assert response.json()["revision"] == first + 1
    response = post_json(client, url, {"sms_fallback": "Deux", "revision": first + 1})
    assert response.json()["revision"] == first + 2
    assert stored(template).sms_fallback == "Deux"


def test_a_save_based_on_an_older_revision_is_refused_and_changes_nothing(client):
    signed_in(client)
    template = make_template(name="Soldes", sms_fallback="Texte de l'onglet A")
    based_on = stored(template).revision
    url = f"/templates/{template.pk}/save/"
    saved = post_json(client, url, {"sms_fallback": "Onglet A", "revision": based_on})
    assert saved.status_code == 200
    before = stored(template)

    response = post_json(
        client, url, {"name": "Onglet B", "sms_fallback": "Onglet B", "revision": based_on}
    )

    assert response.status_code == 409
    data = response.json()
    assert data == {"error": CHANGED_ELSEWHERE, "conflict": True, "revision": before.revision}
    after = stored(template)
    assert (after.name, after.sms_fallback) == ("Soldes", "Onglet A")
    assert (after.revision, after.updated) == (before.revision, before.updated)


def test_keep_mine_saves_again_on_the_current_revision(client):
    signed_in(client)
    template = make_template()
    based_on = stored(template).revision
    url = f"/templates/{template.pk}/save/"
    post_json(client, url, {"sms_fallback": "Onglet A", "revision": based_on})
    refused = post_json(client, url, {"sms_fallback": "Onglet B", "revision": based_on})

    response = post_json(
        client, url, {"sms_fallback": "Onglet B", "revision": refused.json()["revision"]}
    )

    assert response.status_code == 200
    assert stored(template).sms_fallback == "Onglet B"


def test_an_edit_in_the_admin_makes_an_open_editor_page_stale(client):
    signed_in(client)
    template = make_template()
    based_on = stored(template).revision
    admin_copy = stored(template)
    admin_copy.sms_fallback = "Changé dans l'admin"
    admin_copy.save()
    response = post_json(
        client, f"/templates/{template.pk}/save/", {"sms_fallback": "x", "revision": based_on}
    )
    assert response.status_code == 409
    assert stored(template).sms_fallback == "Changé dans l'admin"


def test_a_copy_loaded_earlier_never_writes_an_older_revision_back(client):
    template = make_template()
    earlier = stored(template)
    template.claim_revision(None)
    template.claim_revision(None)
    earlier.save()
    assert stored(template).revision == template.revision + 1


@pytest.mark.parametrize("revision", ["3", 1.5, True, -1, [1]])
def test_a_revision_that_is_not_a_whole_number_is_a_bad_request(client, revision):
    signed_in(client)
    template = make_template(sms_fallback="Avant")
    response = post_json(
        client, f"/templates/{template.pk}/save/", {"sms_fallback": "x", "revision": revision}
    )
    assert response.status_code == 400
    assert stored(template).sms_fallback == "Avant"


def test_publishing_from_an_older_revision_is_refused(client):
    signed_in(client)
    template = make_template()
    based_on = stored(template).revision
    post_json(
        client,
        f"/templates/{template.pk}/save/",
        {"sms_fallback": "Onglet A", "revision": based_on},
    )

    response = post_json(
        client,
        f"/templates/{template.pk}/publish/",
        {"sms_fallback": "Onglet B STOP au 36111", "revision": based_on},
    )

    assert response.status_code == 409
    assert response.json()["conflict"] is True
    assert not template.versions.exists()
    assert stored(template).sms_fallback == "Onglet A"


def test_publishing_from_the_current_revision_answers_the_new_one(client):
    signed_in(client)
    template = make_template()
    based_on = stored(template).revision
    response = post_json(
        client,
        f"/templates/{template.pk}/publish/",
        {"sms_fallback": "Soldes STOP au 36111", "revision": based_on},
    )
    assert response.status_code == 200
    assert response.json()["revision"] == stored(template).revision > based_on
    assert template.versions.count() == 1


def test_a_refused_publish_leaves_the_revision_as_it_was(client):
    signed_in(client)
    template = make_template(name="Soldes")
    based_on = stored(template).revision
    response = post_json(
        client, f"/templates/{template.pk}/publish/", {"name": "", "revision": based_on}
    )
    assert response.status_code == 422
    assert stored(template).revision == based_on
