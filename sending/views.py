"""Send a test of a template from the editor, and follow its delivery as it comes back."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from editor.models import MessageTemplate, TestRecipient
from sending.forms import TestSendForm
from sending.models import Message
from sending.services import SendRefused
from sending.services.routing import SIMULATOR
from sending.services.test_send import send_test
from sending.services.waiting import waiting_notice

# The panel asks every 2 s at first, then every 30 s (at once when a notice explains the wait),
# long enough for a real provider's overdue receipts to be noticed (waiting.py: an hour or so);
# a test nobody read is not followed for ever.
POLL_FAST_FOR = timezone.timedelta(minutes=10)
POLL_FOR = timezone.timedelta(hours=2)
# Where a refusal is shown in the form (elsewhere: above it, or at the phone for the recipient).
REFUSAL_FIELDS = {"no_consent": "consent", "recipient_opted_out": "phone"}


def status_context(message):
    """The panel's view of message: whether and how often to ask again, simulated, any notice."""
    age = timezone.now() - message.created
    notice = waiting_notice(message)
    return {
        "message": message,
        "poll": not message.is_settled and age <= POLL_FOR,
        "poll_every": "2s" if age <= POLL_FAST_FOR and notice is None else "30s",
        "simulated": message.provider == SIMULATOR,
        "notice": notice,
    }


def _context(request, template, form, message=None):
    version = template.current_version
    return {
        **(status_context(message) if message is not None else {}),
        "template": template,
        "version": version,
        "form": form,
        "saved": TestRecipient.objects.filter(user=request.user),
        "promotion": template.is_promotion,
        "unpublished_changes": version is not None and template.has_unpublished_changes,
    }


def _send(request, template, form):
    """Send the test; return the Message, or None with the refusal added to the form."""
    data = form.cleaned_data
    try:
        return send_test(
            template,
            data["phone"],
            user=request.user,
            policy=data["policy"],
            consent=data["consent"],
            save_as=data["label"] if data["save"] else None,
        )
    except SendRefused as refused:
        field = REFUSAL_FIELDS.get(refused.code, "phone" if refused.field == "recipient" else None)
        form.add_error(field, refused.message)
        return None


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
    form = TestSendForm(data, initial={"policy": ""})
    message = None
    if request.method == "POST" and template.current_version is None:
        form.add_error(None, _("Publish the template first: tests send the published version."))
    elif request.method == "POST" and form.is_valid():
        message = _send(request, template, form)
    return render(request, "sending/_test_send.html", _context(request, template, form, message))


def test_send_status(request, public_id):
    """The progress of a test message, polled by the panel until it settles."""
    message = get_object_or_404(
        Message.objects.select_related("contact").prefetch_related("attempts"),
        public_id=public_id,
        source=Message.Source.EDITOR_TEST,
    )
    return render(request, "sending/_test_send_status.html", status_context(message))
