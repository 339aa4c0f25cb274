"""Send a test of a template from the editor, and follow its delivery as it comes back."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from editor.models import MessageTemplate, TestRecipient
from editor.services import PublishError
from editor.views.state import publish_issues
from sending.forms import TestSendForm
from sending.models import Message
from sending.services import SendRefused
from sending.services.routing import SIMULATOR
from sending.services.test_send import send_test
from sending.services.timeline import timeline
from sending.services.waiting import waiting_notice

# The panel asks every 2 s at first, then every 30 s (at once when a notice explains the wait),
# long enough for a real provider's overdue receipts to be noticed (waiting.py: an hour or so)
# and for the taps and replies of a phone in someone's pocket; a test nobody read is not
# followed for ever.
POLL_FAST_FOR = timezone.timedelta(minutes=10)
POLL_FOR = timezone.timedelta(hours=2)
# Nothing comes back from a message that never reached a phone.
SILENT = {
    Message.Status.FAILED,
    Message.Status.EXPIRED,
    Message.Status.CANCELLED,
    Message.Status.SUPPRESSED,
}
# Where a refusal is shown in the form (elsewhere: above it, or at the phone for the recipient).
REFUSAL_FIELDS = {"no_consent": "consent", "recipient_opted_out": "phone"}


def status_context(message):
    """The panel's view of message: whether and how often to ask again, simulated, any notice,
    and what came back so far."""
    age = timezone.now() - message.created
    notice = waiting_notice(message)
    return {
        "message": message,
        # Settled is not the end: taps, clicks and replies come after the read receipt.
        "poll": message.status not in SILENT and age <= POLL_FOR,
        "poll_every": "2s" if age <= POLL_FAST_FOR and notice is None else "30s",
        "simulated": message.provider == SIMULATOR,
        "notice": notice,
        "moments": timeline(message),
    }


def _sends_draft(template, form):
    """True when the test is of the draft: nothing is published, or the user chose it."""
    version = template.current_version
    if version is None:
        return True
    if not template.has_unpublished_changes:
        return False
    return form.cleaned_data.get("content") != TestSendForm.PUBLISHED


def _context(request, template, form, message=None, issues=()):
    version = template.current_version
    return {
        **(status_context(message) if message is not None else {}),
        "template": template,
        "version": version,
        "form": form,
        "saved": TestRecipient.objects.filter(user=request.user),
        "promotion": template.is_promotion,
        "unpublished_changes": version is not None and template.has_unpublished_changes,
        "issues": issues,
    }


def _send(request, template, form):
    """Send the test; return (Message or None, issues), a refusal added to the form."""
    data = form.cleaned_data
    try:
        message = send_test(
            template,
            data["phone"],
            user=request.user,
            policy=data["policy"],
            consent=data["consent"],
            save_as=data["label"] if data["save"] else None,
            draft=_sends_draft(template, form),
        )
    except PublishError as exc:
        return None, publish_issues(exc.message_dict, exc.content_issues)
    except SendRefused as refused:
        field = REFUSAL_FIELDS.get(refused.code, "phone" if refused.field == "recipient" else None)
        form.add_error(field, refused.message)
        return None, ()
    return message, ()


@require_http_methods(["GET", "POST"])
def test_send(request, template_pk):
    """The "Send a test" panel of the editor: the form, then the message's progress."""
    template = get_object_or_404(MessageTemplate.objects.select_related("brand"), pk=template_pk)
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        # A saved number's button sends it in place of the typed one.
        if data.get("saved_phone"):
            data["phone"] = data["saved_phone"]
    form = TestSendForm(data, initial={"policy": "", "content": TestSendForm.DRAFT})
    message, issues = None, ()
    if request.method == "POST" and form.is_valid():
        message, issues = _send(request, template, form)
    context = _context(request, template, form, message, issues)
    return render(request, "sending/_test_send.html", context)


def test_send_status(request, public_id):
    """The progress of a test message and what came back, polled by the panel."""
    message = get_object_or_404(
        Message.objects.select_related("contact", "template_version").prefetch_related(
            "attempts", "events"
        ),
        public_id=public_id,
        source=Message.Source.EDITOR_TEST,
    )
    return render(request, "sending/_test_send_status.html", status_context(message))
