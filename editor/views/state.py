"""Helpers shared by the editor views: load a template, read and apply the posted editor state."""

import json

from django.core.exceptions import BadRequest
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.roles import can_edit
from editor import review
from editor.forms import TemplateStateForm
from editor.models import MessageTemplate

# How the problems of publish_problems() are named in the summary, by field.
FIELD_PLACES = {
    "name": _("Name"),
    "brand": _("Brand"),
    "category": _("Use case"),
    "traffic_type": _("Traffic type"),
    "language": _("Language"),
    "rcs_only": _("RCS only"),
    "rcs_ttl_seconds": _("RCS deadline"),
    "sms_fallback": _("SMS fallback"),
    "variables": _("Variables"),
    "rcs_content": _("Message"),
}


def get_template(pk):
    """The template with its brand and logo, or 404."""
    queryset = MessageTemplate.objects.select_related("brand", "brand__logo")
    return get_object_or_404(queryset, pk=pk)


def is_read_only(request, template):
    """Viewers read; archived templates are read until restored, submitted ones until an
    approver decides (or the submission is withdrawn)."""
    return (
        not can_edit(request.user)
        or template.status == MessageTemplate.Status.ARCHIVED
        or review.is_pending(template)
    )


def read_state(request):
    """Return the JSON object posted by the editor page; 400 when the body is not one."""
    try:
        state = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The body must be JSON.") from None
    if not isinstance(state, dict):
        raise BadRequest("The body must be a JSON object.")
    return state


def read_revision(state):
    """The draft revision the posted state was based on, or None when the page sent none."""
    revision = state.get("revision")
    if revision is None:
        return None
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 0:
        raise BadRequest("The revision must be a whole number.")
    return revision


def changed_elsewhere(template):
    """The 409 answer to a save or publish based on an older revision of template."""
    current = MessageTemplate.objects.values_list("revision", flat=True).get(pk=template.pk)
    message = _(
        "This template was changed elsewhere (another tab or person). Reload to see the newer "
        "version, or keep mine to overwrite it."
    )
    return JsonResponse({"error": str(message), "conflict": True, "revision": current}, status=409)


def apply_state(template, state):
    """Copy the valid fields of state onto template (unsaved) and return the bound form."""
    form = TemplateStateForm.from_state(state, template)
    # is_valid() sets every field that passed validation on the instance, even when
    # another one failed: previews show the edit a draft is in the middle of.
    form.is_valid()
    return form


def save_whole_state(template, state, refused):
    """Save the posted state whole or not at all: None once saved, else the answer to give
    (changed elsewhere, or refused(issues) when a field does not validate)."""
    based_on = read_revision(state)
    form = apply_state(template, state)
    with transaction.atomic():
        if not template.claim_revision(based_on):
            return changed_elsewhere(template)
        if not form.is_valid():
            # Nothing is saved: the revision taken above goes back too.
            transaction.set_rollback(True)
            return refused(form_issues(form))
        form.save()
    return None


def _issue(path, where, message):
    path = list(path)
    return {
        "path": path,
        "path_json": json.dumps(path, separators=(",", ":")),
        "where": str(where),
        "message": str(message),
    }


def form_issues(form):
    """The state form's errors as issues for the summary, each with the path of its input."""
    issues = []
    for name, errors in form.errors.items():
        for message in errors:
            issues.append(_issue([name], FIELD_PLACES.get(name, name), message))
    return issues


def publish_issues(problems, content_issues):
    """Turn publish_problems() output into issues with a JSON path for the page to place."""
    issues = []
    listed = set()
    for issue in content_issues:
        issues.append(_issue(["rcs_content", *issue.path], issue.where, issue.message))
        listed.add(str(issue))
    for name, messages in problems.items():
        for message in messages:
            if name == "rcs_content" and message in listed:
                continue
            issues.append(_issue([name], FIELD_PLACES.get(name, name), message))
    return issues
