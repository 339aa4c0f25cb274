"""The editor's "Send a test" form."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audience.destinations import check_destination
from audience.services import InvalidNumber, normalize_phone
from sending.models import Message


class TestSendForm(forms.Form):
    """Where a test goes and how; the phone comes out in E.164 form."""

    __test__ = False  # not a pytest test class

    DRAFT, PUBLISHED = "draft", "published"

    # Asked only when a published version and unpublished changes both exist.
    content = forms.ChoiceField(
        label=gettext_lazy("What to send"),
        choices=[
            (DRAFT, gettext_lazy("Your draft, with the unpublished changes")),
            (PUBLISHED, gettext_lazy("The published version")),
        ],
        required=False,
    )
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

    def clean_phone(self):
        try:
            phone = normalize_phone(self.cleaned_data["phone"])
        except InvalidNumber:
            raise forms.ValidationError(
                _("This is not a valid phone number; use the +33612345678 form."),
                code="invalid_number",
            ) from None
        if refusal := check_destination(phone):
            raise forms.ValidationError(refusal.message, code=refusal.code)
        return phone
