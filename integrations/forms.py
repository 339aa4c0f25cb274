"""The form of the Webhooks page: an endpoint's URL, description and events."""

from django import forms
from django.utils.translation import gettext_lazy

from integrations import outbound
from integrations.models import EventType, WebhookEndpoint


class EndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=gettext_lazy("Endpoint URL"),
        max_length=2000,
        assume_scheme="https",
        help_text=gettext_lazy(
            "Where Relais POSTs the events, signed (see the documentation). It must be "
            "reachable from the internet: private addresses are refused."
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://shop.example.com/relais"}),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one event.")},
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            outbound.check_url(url)
        except outbound.BlockedAddress as exc:
            raise forms.ValidationError(
                gettext_lazy("Webhooks cannot be sent to this URL: %(reason)s."),
                params={"reason": exc},
                code="url_not_allowed",
            ) from None
        return url
