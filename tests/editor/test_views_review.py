"""The review screens: submit from the editor, the queue, approve, send back, withdraw."""

import pytest
from django.contrib.auth.models import Group

from editor import review
from editor.models import ReviewEvent
from editor.views.state import get_template
from tests.factories import make_brand, make_person, make_template
from tests.support.views import post_json, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def template():
    return make_template(brand=make_brand(name="Maison Relais", requires_approval=True))


def editor_state(client, template):
    from editor.forms import state_of

    return {**state_of(get_template(template.pk)), "revision": template.revision}


def test_the_editor_offers_submit_instead_of_publish(client, template):
    signed_in(client)
    page = client.get(f"/templates/{template.pk}/").content.decode()
    assert "Submit for review" in page
    assert 'data-action="publish"' not in page
    assert "are approved before they go live" in page


def test_publishing_from_a_stale_page_is_refused_with_the_reason(client, template):
    signed_in(client)
    response = post_json(
        client, f"/templates/{template.pk}/publish/", editor_state(client, template)
    )
    assert response.status_code == 409
    assert "requires approval" in response.json()["error"]
    assert not template.versions.exists()


def test_submitting_saves_the_state_and_locks_the_editor(client, template):
    marie = signed_in(client)
    state = editor_state(client, template)
    state["sms_fallback"] = "Soldes : -40 % ce week-end"
    response = post_json(
        client, f"/templates/{template.pk}/review/submit/", {**state, "note": "Pour jeudi"}
    )

    assert response.json() == {"reload": True}
    event = review.latest_event(template)
    assert (event.actor, event.comment) == (marie, "Pour jeudi")
    template.refresh_from_db()
    assert template.sms_fallback == "Soldes : -40 % ce week-end"

    lea = make_person("lea", "Approver")
    lea.first_name = "Léa"
    lea.save()
    page = client.get(f"/templates/{template.pk}/").content.decode()
    assert "Waiting for approval by Léa" in page
    assert "Withdraw to edit" in page
    assert 'id="template-name"' not in page  # read-only: no editable title
    saved = post_json(client, f"/templates/{template.pk}/save/", editor_state(client, template))
    assert saved.status_code == 409
    assert "waits for approval" in saved.json()["error"]


def test_submitting_something_broken_lists_the_problems(client, template):
    signed_in(client)
    state = {**editor_state(client, template), "sms_fallback": ""}
    response = post_json(client, f"/templates/{template.pk}/review/submit/", state)
    assert response.status_code == 422
    assert response.json()["error"].startswith("Not submitted")
    assert not template.review_events.exists()


def test_the_queue_and_the_review_page_show_the_submission(client, template):
    review.submit_for_review(template, make_person("marie", "Marketing"), "Pour jeudi")
    signed_in(client, "Approver")
    queue = client.get("/templates/review/").content.decode()
    assert template.name in queue and "Pour jeudi" in queue
    page = client.get(f"/templates/{template.pk}/review/").content.decode()
    assert "Approve and publish" in page
    assert "iPhone preview" in page and "Android preview" in page
    assert "Soldes" in page


def test_an_approver_approves_and_the_version_goes_live(client, template):
    review.submit_for_review(template, make_person("marie", "Marketing"))
    lea = signed_in(client, "Approver")
    response = client.post(f"/templates/{template.pk}/review/approve/", follow=True)
    assert response.redirect_chain[-1][0] == "/templates/review/"
    assert "Approved: the new version is live." in response.content.decode()
    version = template.versions.get()
    assert version.published_by == lea
    assert "Nothing waits for approval." in response.content.decode()


def test_sending_back_without_a_comment_shows_the_error_by_the_field(client, template):
    review.submit_for_review(template, make_person("marie", "Marketing"))
    signed_in(client, "Approver")
    response = client.post(f"/templates/{template.pk}/review/send-back/", {"comment": " "})
    assert response.status_code == 422
    assert "the comment is required" in response.content.decode()
    assert review.is_pending(template)

    client.post(f"/templates/{template.pk}/review/send-back/", {"comment": "Prix faux"})
    assert review.latest_event(template).action == ReviewEvent.Action.SENT_BACK


def test_the_editor_shows_the_comment_it_was_sent_back_with(client, template):
    review.submit_for_review(template, make_person("marie", "Marketing"))
    review.send_back(template, make_person("lea", "Approver"), "Le prix doit être -30 %.")
    signed_in(client)
    page = client.get(f"/templates/{template.pk}/").content.decode()
    assert "Sent back by lea" in page
    assert "Le prix doit être -30 %." in page
    assert "Submit for review" in page


def test_a_viewer_can_neither_submit_nor_approve(client, template):
    signed_in(client, "Viewer")
    state = editor_state(client, template)
    assert post_json(client, f"/templates/{template.pk}/review/submit/", state).status_code == 403
    review.submit_for_review(template, make_person("marie", "Marketing"))
    assert client.post(f"/templates/{template.pk}/review/approve/").status_code == 403
    assert not template.versions.exists()
    assert "To review" not in client.get("/templates/").content.decode()


def test_a_marketer_who_is_no_approver_cannot_approve(client, template):
    review.submit_for_review(template, make_person("marie", "Marketing"))
    signed_in(client, "Marketing", username="jean")
    response = client.post(f"/templates/{template.pk}/review/approve/", follow=True)
    assert "Only an approver" in response.content.decode()
    assert not template.versions.exists()


def test_withdrawing_unlocks_the_editor(client, template):
    marie = signed_in(client)
    review.submit_for_review(template, marie)
    client.post(f"/templates/{template.pk}/review/withdraw/")
    assert not review.is_pending(template)
    page = client.get(f"/templates/{template.pk}/").content.decode()
    assert 'id="template-name"' in page


def test_the_template_list_says_which_wait_for_approval(client, template):
    review.submit_for_review(template, make_person("marie", "Marketing"))
    signed_in(client, "Approver")
    page = client.get("/templates/").content.decode()
    assert "Waiting for approval" in page
    assert Group.objects.filter(name="Approver").exists()


def test_an_approver_who_does_not_edit_cannot_save_or_submit(client, template):
    signed_in(client, "Approver")
    state = editor_state(client, template)
    assert post_json(client, f"/templates/{template.pk}/save/", state).status_code == 403
    assert post_json(client, f"/templates/{template.pk}/review/submit/", state).status_code == 403
    page = client.get(f"/templates/{template.pk}/").content.decode()
    assert "Submit for review" not in page
