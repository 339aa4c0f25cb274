"""Review and approval: submit from the editor, the approvers' queue, approve or send back."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.roles import can_approve
from editor import review
from editor.models import MessageTemplate
from editor.preview import preview_template
from editor.services import NothingToPublish, PublishError
from editor.views.state import (
    get_template,
    publish_issues,
    read_state,
    save_whole_state,
)


def review_context(request, template):
    """What the editor and the review page show of template's review."""
    event = review.latest_event(template)
    pending = event is not None and event.action == review.Action.SUBMITTED
    names = []
    if pending:
        names = [
            user.get_full_name() or user.get_username()
            for user in review.approvers(exclude=event.actor)
        ]
    return {
        "requires_approval": template.brand.requires_approval,
        "review_event": event,
        "review_pending": pending,
        "review_approvers": names,
        "review_history": review.history(template),
        "user_can_approve": can_approve(request.user),
        # An approver does not approve their own submission (editor.review.approve).
        "user_may_decide": pending
        and can_approve(request.user)
        and event.actor_id != request.user.pk,
    }


@require_POST
def review_submit(request, pk):
    """Save the posted editor state, then submit it for review with the posted note."""
    template = get_template(pk)
    if template.status == MessageTemplate.Status.ARCHIVED:
        return JsonResponse({"error": _("Restore the template before submitting it.")}, status=409)
    state = read_state(request)
    note = state.pop("note", "")
    note = note if isinstance(note, str) else ""
    if review.is_pending(template):
        return JsonResponse({"error": _("This template already waits for approval.")}, status=409)
    refusal = save_whole_state(template, state, _refused)
    if refusal is not None:
        return refusal
    try:
        review.submit_for_review(template, request.user, note)
    except NothingToPublish as exc:
        return JsonResponse({"error": exc.messages[0]}, status=422)
    except PublishError as exc:
        return _refused(publish_issues(exc.message_dict, exc.content_issues))
    except review.ReviewError as exc:
        return JsonResponse({"error": exc.messages[0]}, status=409)
    messages.success(request, _("Submitted for review. The approvers have been told by email."))
    return JsonResponse({"reload": True})


def _refused(issues):
    message = ngettext(
        "Not submitted: fix the problem listed below.",
        "Not submitted: fix the %(count)d problems listed below.",
        len(issues),
    ) % {"count": len(issues)}
    return JsonResponse({"error": message, "issues": issues}, status=422)


def review_queue(request):
    """The templates waiting for approval, oldest submission first."""
    templates = list(review.awaiting_review())
    for template in templates:
        template.submission = review.latest_event(template)
    return render(
        request,
        "editor/review_queue.html",
        {"templates": templates, "user_can_approve": can_approve(request.user)},
    )


def review_detail(request, pk, comment_errors=None, status=200):
    """One template as submitted: both phones, the SMS, the note, the history, the decision."""
    template = get_template(pk)
    context = {
        "template": template,
        "preview": preview_template(template),
        "comment_errors": comment_errors or [],
        **review_context(request, template),
    }
    return render(request, "editor/review_detail.html", context, status=status)


def _decide(request, pk, step, done):
    template = get_template(pk)
    try:
        step(template)
    except review.ReviewError as exc:
        errors = exc.message_dict
        if "comment" in errors:
            return review_detail(request, pk, comment_errors=errors["comment"], status=422)
        messages.error(request, " ".join(errors.get("__all__", [])))
        return redirect("editor:review_detail", pk)
    except PublishError as exc:
        problems = [str(message) for field in exc.message_dict.values() for message in field]
        messages.error(request, _("Not published: %(problems)s") % {"problems": " ".join(problems)})
        return redirect("editor:review_detail", pk)
    messages.success(request, done)
    return redirect(reverse("editor:review_queue"))


@require_POST
def review_approve(request, pk):
    """Approve the pending submission: its content is published as a new version."""
    return _decide(
        request,
        pk,
        lambda template: review.approve(template, request.user, request.POST.get("comment", "")),
        _("Approved: the new version is live."),
    )


@require_POST
def review_send_back(request, pk):
    """Send the pending submission back to its authors with the posted comment."""
    return _decide(
        request,
        pk,
        lambda template: review.send_back(template, request.user, request.POST.get("comment")),
        _("Sent back with your comment."),
    )


@require_POST
def review_withdraw(request, pk):
    """Withdraw the pending submission so the template can be edited again."""
    template = get_template(pk)
    try:
        review.withdraw(template, request.user)
    except review.ReviewError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Submission withdrawn: you can edit the template again."))
    return redirect("editor:template_edit", pk)
