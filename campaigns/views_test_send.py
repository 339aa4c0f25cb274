"""Send a test of a template from the editor, and follow its delivery as it comes back."""

from django import forms
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from campaigns import services
from campaigns.models import ConsentEntry, Message
from campaigns.services.routing import SIMULATOR
from editor.models import MessageTemplate, TestRecipient
from messaging.providers.base import TrafficType
from messaging.variables import VariableError, sample_values

# Statuses after which nothing more is expected; "delivered" may still become "read".
SETTLED = {
    Message.Status.READ,
    Message.Status.FAILED,
    Message.Status.EXPIRED,
    Message.Status.CANCELLED,
    Message.Status.SUPPRESSED,
}
# A test nobody read is not followed for ever.
POLL_FOR = timezone.timedelta(minutes=10)


class TestSendForm(forms.Form):
    """Where a test goes and how; the number is checked by campaigns.services."""

    __test__ = False  # not a pytest test class

    phone = forms.CharField(label=gettext_lazy("Phone number"), max_length=32)
    policy = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        choices=[("", gettext_lazy("As the template says")), *Message.Policy.choices],
        required=False,
    )
    save = forms.BooleanField(label=gettext_lazy("Save this number"), required=False)
    label = forms.CharField(label=gettext_lazy("Name it"), max_length=60, required=False)
    consent = forms.BooleanField(
        label=gettext_lazy("This phone agreed to receive test messages (records its opt-in)"),
        required=False,
    )


def status_context(message):
    """The message, whether the panel should ask again, and whether it was simulated."""
    # SMS has no read receipts: once delivered, nothing more comes.
    sms_delivered = message.status == Message.Status.DELIVERED and message.final_channel == "sms"
    settled = (
        message.status in SETTLED or sms_delivered or timezone.now() - message.created > POLL_FOR
    )
    return {"message": message, "poll": not settled, "simulated": message.provider == SIMULATOR}


def _context(request, template, form, message=None):
    version = template.current_version
    return {
        **(status_context(message) if message is not None else {}),
        "template": template,
        "version": version,
        "form": form,
        "saved": TestRecipient.objects.filter(user=request.user),
        "promotion": template.traffic_type == TrafficType.PROMOTION,
        "unpublished_changes": version is not None and template.has_unpublished_changes,
    }


def _record_consent(contact, user):
    if contact.allows_promotions():
        return
    services.record_consent(
        contact,
        ConsentEntry.Kind.OPT_IN,
        source=ConsentEntry.Source.ADMIN,
        wording=_("Test phone: %(user)s confirmed in the editor that it receives test messages.")
        % {"user": user.get_username()},
    )


def _send(request, template, form):
    """Submit the test; return the Message, or None with the refusal added to the form."""
    data = form.cleaned_data
    try:
        phone = services.normalize_phone(data["phone"])
    except services.InvalidNumber:
        form.add_error("phone", _("This is not a valid phone number; use the +33612345678 form."))
        return None
    try:
        values = sample_values(template.current_version.declared_variables())
    except VariableError:
        values = {}
    try:
        with transaction.atomic():
            if data["consent"]:
                _record_consent(services.get_or_create_contact(phone), request.user)
            message = services.submit_message(
                template_id=template.slug,
                recipient=phone,
                variables=values,
                policy=data["policy"] or None,
                source="editor_test",
            )
    except services.SendRefused as refused:
        fields = {"no_consent": "consent", "recipient_opted_out": "phone"}
        form.add_error(
            fields.get(refused.code, "phone" if refused.field == "recipient" else None),
            refused.message,
        )
        return None
    if data["save"]:
        try:
            with transaction.atomic():
                TestRecipient.objects.create(user=request.user, phone=phone, label=data["label"])
        except IntegrityError:
            TestRecipient.objects.filter(user=request.user, phone=phone).update(label=data["label"])
    return message


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
    return render(request, "campaigns/_test_send.html", _context(request, template, form, message))


def test_send_status(request, public_id):
    """The progress of a test message, polled by the panel until it settles."""
    message = get_object_or_404(
        Message.objects.select_related("contact").prefetch_related("attempts"),
        public_id=public_id,
        source="editor_test",
    )
    return render(request, "campaigns/_test_send_status.html", status_context(message))
