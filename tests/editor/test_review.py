"""The approval step: submit, approve (publishes exactly what was submitted), send back."""

import pytest
from django.core import mail

from editor import review
from editor.models import ReviewEvent
from editor.services import ApprovalRequired, NothingToPublish, PublishError, publish_template
from tests.factories import make_brand, make_person, make_template

pytestmark = pytest.mark.django_db
Action = ReviewEvent.Action


@pytest.fixture
def people():
    return {
        "marie": make_person("marie", "Marketing", email="marie@shop.example"),
        "lea": make_person("lea", "Approver", email="lea@shop.example"),
        "paul": make_person("paul", "Approver", email="paul@shop.example"),
        "victor": make_person("victor", "Viewer", email="victor@shop.example"),
    }


@pytest.fixture
def template():
    return make_template(brand=make_brand(name="Maison Relais", requires_approval=True))


def test_publishing_directly_is_refused_when_the_brand_requires_approval(template, people):
    with pytest.raises(ApprovalRequired) as refused:
        publish_template(template, people["marie"])
    assert "requires approval" in refused.value.messages[0]
    assert not template.versions.exists()


def test_a_brand_without_approval_publishes_directly(people):
    template = make_template()
    assert publish_template(template, people["marie"]).number == 1
    with pytest.raises(review.ReviewError, match="does not require approval"):
        review.submit_for_review(template, people["marie"])


def test_submitting_records_the_note_and_emails_the_approvers(template, people):
    event = review.submit_for_review(template, people["marie"], "  Pour les soldes de jeudi  ")

    assert (event.action, event.actor, event.comment) == (
        Action.SUBMITTED,
        people["marie"],
        "Pour les soldes de jeudi",
    )
    assert review.is_pending(template)
    assert list(review.awaiting_review()) == [template]
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sorted(sent.to) == ["lea@shop.example", "paul@shop.example"]
    assert "Soldes" in sent.subject
    assert "Pour les soldes de jeudi" in sent.body
    assert f"https://relais.example/templates/{template.pk}/review/" in sent.body


def test_submitting_twice_or_something_unpublishable_is_refused(template, people):
    template.sms_fallback = ""
    template.save()
    with pytest.raises(PublishError) as problems:
        review.submit_for_review(template, people["marie"])
    assert "sms_fallback" in problems.value.message_dict
    template.sms_fallback = "Soldes ce week-end"
    template.save()
    review.submit_for_review(template, people["marie"])
    with pytest.raises(review.ReviewError, match="already waiting"):
        review.submit_for_review(template, people["marie"])
    assert template.review_events.count() == 1


def test_approving_publishes_exactly_the_submitted_content(template, people):
    review.submit_for_review(template, people["marie"])
    mail.outbox.clear()

    version = review.approve(template, people["lea"], "Parfait")

    assert version.number == 1
    assert version.published_by == people["lea"]
    assert version.source_fingerprint == template.review_events.last().fingerprint
    assert version.rcs_content["richCard"]["standaloneCard"]["cardContent"]["title"] == (
        "{{ prenom }}, -40 % sur tout"
    )
    template.refresh_from_db()
    assert template.status == template.Status.PUBLISHED
    assert not review.is_pending(template)
    latest = review.latest_event(template)
    assert (latest.action, latest.actor, latest.version) == (
        Action.APPROVED,
        people["lea"],
        version,
    )
    assert [m.to for m in mail.outbox] == [["marie@shop.example"]]
    assert "version 1 is live" in mail.outbox[0].body


def test_content_changed_after_submitting_is_not_approved(template, people):
    review.submit_for_review(template, people["marie"])
    # An edit that went around the editor's lock (the admin, a script).
    template.sms_fallback = "Autre texte"
    template.save()

    with pytest.raises(review.ReviewError, match="changed after it was submitted"):
        review.approve(template, people["lea"])
    assert not template.versions.exists()


def test_nobody_approves_their_own_submission(template, people):
    approver_who_edits = make_person("nina", "Marketing", "Approver")
    review.submit_for_review(template, approver_who_edits)
    with pytest.raises(review.ReviewError, match="another approver"):
        review.approve(template, approver_who_edits)
    assert review.approve(template, people["paul"]).number == 1


def test_sending_back_needs_a_comment_and_reaches_the_submitter(template, people):
    review.submit_for_review(template, people["marie"])
    mail.outbox.clear()

    with pytest.raises(review.ReviewError) as refused:
        review.send_back(template, people["lea"], "   ")
    assert "comment" in refused.value.message_dict

    event = review.send_back(template, people["lea"], "Le prix doit être -30 %, pas -40 %.")
    assert (event.action, event.comment) == (
        Action.SENT_BACK,
        "Le prix doit être -30 %, pas -40 %.",
    )
    assert not review.is_pending(template)
    assert not template.versions.exists()
    assert mail.outbox[0].to == ["marie@shop.example"]
    assert "-30 %" in mail.outbox[0].body
    # Changed and submitted again, then approved.
    template.rcs_content["richCard"]["standaloneCard"]["cardContent"]["title"] = "-30 % sur tout"
    template.save()
    review.submit_for_review(template, people["marie"], "Corrigé")
    assert review.approve(template, people["paul"]).rcs_content["richCard"]["standaloneCard"][
        "cardContent"
    ]["title"] == ("-30 % sur tout")


def test_a_viewer_or_a_marketer_cannot_decide(template, people):
    review.submit_for_review(template, people["marie"])
    for user in (people["victor"], people["marie"]):
        with pytest.raises(review.ReviewError, match="Only an approver"):
            review.approve(template, user)
        with pytest.raises(review.ReviewError, match="Only an approver"):
            review.send_back(template, user, "Non")
    assert review.is_pending(template)


def test_nothing_to_decide_without_a_submission(template, people):
    with pytest.raises(review.ReviewError, match="not waiting"):
        review.approve(template, people["lea"])
    with pytest.raises(review.ReviewError, match="not waiting"):
        review.withdraw(template, people["marie"])


def test_an_unchanged_template_is_not_submitted_again(template, people):
    review.submit_for_review(template, people["marie"])
    review.approve(template, people["lea"])
    with pytest.raises(NothingToPublish):
        review.submit_for_review(template, people["marie"])


def test_the_history_says_who_did_what_and_when(template, people):
    review.submit_for_review(template, people["marie"], "v1")
    review.send_back(template, people["lea"], "Trop long")
    template.sms_fallback = "Soldes : -40 %"
    template.save()
    review.submit_for_review(template, people["marie"])
    review.withdraw(template, people["marie"])
    review.submit_for_review(template, people["marie"])
    version = review.approve(template, people["paul"])

    steps = [(e.action, e.actor.username, e.comment) for e in review.history(template)]
    assert steps == [
        (Action.APPROVED, "paul", ""),
        (Action.SUBMITTED, "marie", ""),
        (Action.WITHDRAWN, "marie", ""),
        (Action.SUBMITTED, "marie", ""),
        (Action.SENT_BACK, "lea", "Trop long"),
        (Action.SUBMITTED, "marie", "v1"),
    ]
    assert review.history(template)[0].version == version
    times = [e.created for e in review.history(template)]
    assert times == sorted(times, reverse=True)


def test_a_failing_mail_server_does_not_undo_the_submission(template, people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there

    review.submit_for_review(template, people["marie"])

    assert review.is_pending(template)


def test_the_admin_publish_action_is_refused_with_the_reason(admin_client, template):
    response = admin_client.post(
        "/admin/editor/messagetemplate/",
        {"action": "publish_selected", "_selected_action": [template.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "was not published" in page
    assert "requires approval: submit the template for review" in page
    assert not template.versions.exists()
