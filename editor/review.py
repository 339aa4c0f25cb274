"""The approval step of brands that require it: submit, approve (which publishes), send back,
withdraw; and the emails that tell approvers and submitters."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import APPROVER, can_approve
from editor.models import MessageTemplate, ReviewEvent
from editor.models.review import with_review_action
from editor.services import NothingToPublish, PublishError, publish_problems, publish_template

logger = logging.getLogger(__name__)
Action = ReviewEvent.Action


class ReviewError(ValidationError):
    """A review step is refused; `message_dict` names the field ("comment") or none."""

    def __init__(self, message, field=NON_FIELD_ERRORS):
        super().__init__({field: [message]})


def latest_event(template):
    """The newest review event of template (where its review stands), or None."""
    return template.review_events.select_related("actor").first()


def is_pending(template):
    """Return whether template waits for an approver (it cannot be edited meanwhile)."""
    event = latest_event(template)
    return event is not None and event.action == Action.SUBMITTED


def history(template):
    """Every review event of template, newest first, with who made it and the version."""
    return template.review_events.select_related("actor", "version")


def awaiting_review(queryset=None):
    """The templates whose newest review event is a submission, oldest submission first."""
    queryset = MessageTemplate.objects.all() if queryset is None else queryset
    return (
        with_review_action(queryset)
        .filter(review_action=Action.SUBMITTED)
        .select_related("brand")
        .order_by("updated")
    )


def approvers(exclude=None):
    """The active users with the Approver role, but exclude (the submitter)."""
    users = get_user_model().objects.filter(groups__name=APPROVER, is_active=True)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.order_by("first_name", "last_name", "username").distinct()


def _locked(template):
    """Lock template's row for the rest of the transaction and reload it."""
    MessageTemplate.objects.select_for_update().get(pk=template.pk)
    template.refresh_from_db()
    return template


def _pending_event(template):
    event = latest_event(template)
    if event is None or event.action != Action.SUBMITTED:
        raise ReviewError(_("This template is not waiting for approval."))
    return event


def submit_for_review(template, user, note=""):
    """Record that user submits template for review and email the approvers.

    Raises ReviewError when the brand does not require approval or a submission is already
    pending, PublishError (with its problems) when the template could not be published,
    NothingToPublish when nothing changed since the live version.
    """
    if not template.brand.requires_approval:
        raise ReviewError(_("This brand does not require approval: publish the template."))
    with transaction.atomic():
        _locked(template)
        if is_pending(template):
            raise ReviewError(_("This template is already waiting for approval."))
        problems, content_issues = publish_problems(template)
        if problems:
            raise PublishError(problems, content_issues)
        live = template.current_version
        if live is not None and not template.has_unpublished_changes:
            raise NothingToPublish(live)
        event = ReviewEvent.objects.create(
            template=template,
            action=Action.SUBMITTED,
            actor=user,
            comment=note.strip(),
            fingerprint=template.fingerprint(),
        )
    recipients = [user.email for user in approvers(exclude=user) if user.email]
    _mail(event, recipients, "editor/email/review_submitted.txt")
    return event


def _check_reviewer(user):
    if not can_approve(user):
        raise ReviewError(_("Only an approver can approve or send back a template."))


def approve(template, user, comment=""):
    """Publish exactly the submitted content of template as a new version, approved by user.

    Raises ReviewError when user is no approver, submitted it themselves, nothing is pending,
    or the template changed since it was submitted; PublishError if it no longer publishes.
    """
    _check_reviewer(user)
    with transaction.atomic():
        _locked(template)
        submitted = _pending_event(template)
        if submitted.actor_id is not None and submitted.actor_id == user.pk:
            raise ReviewError(_("You submitted this template: another approver must approve it."))
        if template.fingerprint() != submitted.fingerprint:
            raise ReviewError(
                _(
                    "The template changed after it was submitted: send it back so it can be "
                    "submitted again."
                )
            )
        try:
            version = publish_template(template, user, approved=True)
        except NothingToPublish as exc:
            version = exc.version
        event = ReviewEvent.objects.create(
            template=template,
            action=Action.APPROVED,
            actor=user,
            comment=comment.strip(),
            fingerprint=submitted.fingerprint,
            version=version,
        )
    _mail(event, _submitter_email(submitted), "editor/email/review_decided.txt")
    return version


def send_back(template, user, comment):
    """Return template to its authors with user's comment (required); raise ReviewError."""
    _check_reviewer(user)
    comment = (comment or "").strip()
    if not comment:
        raise ReviewError(_("Say what to change: the comment is required."), field="comment")
    with transaction.atomic():
        _locked(template)
        submitted = _pending_event(template)
        event = ReviewEvent.objects.create(
            template=template,
            action=Action.SENT_BACK,
            actor=user,
            comment=comment,
            fingerprint=submitted.fingerprint,
        )
    _mail(event, _submitter_email(submitted), "editor/email/review_decided.txt")
    return event


def withdraw(template, user):
    """End the pending submission of template so it can be edited again; raise ReviewError."""
    with transaction.atomic():
        _locked(template)
        submitted = _pending_event(template)
        return ReviewEvent.objects.create(
            template=template,
            action=Action.WITHDRAWN,
            actor=user,
            fingerprint=submitted.fingerprint,
        )


def _submitter_email(submitted):
    actor = submitted.actor
    return [actor.email] if actor is not None and actor.email else []


def _mail(event, recipients, template_name):
    """Email event to recipients; a mail server that fails is logged, the step stays done."""
    if not recipients:
        return
    template = event.template
    context = {
        "event": event,
        "template": template,
        "actor": _name(event.actor),
        "url": settings.PUBLIC_BASE_URL.rstrip("/")
        + reverse("editor:review_detail", args=[template.pk]),
    }
    subject = {
        Action.SUBMITTED: _("To review: “%(name)s”"),
        Action.APPROVED: _("Approved and published: “%(name)s”"),
        Action.SENT_BACK: _("Sent back: “%(name)s”"),
    }[event.action] % {"name": template.name}
    body = render_to_string(template_name, context)
    try:
        send_mail(subject, body, None, recipients)
    except OSError:
        logger.exception("Review email about template %s not sent", template.pk)


def _name(user):
    if user is None:
        return _("someone")
    return user.get_full_name() or user.get_username()
