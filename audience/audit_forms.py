"""The capability audit's forms: what to audit, and what message to estimate the cost of."""

from django import forms
from django.utils.translation import gettext_lazy

from audience.audit_cost import MAX_SMS_SEGMENTS, sms_templates
from audience.models import ContactList, Segment


class StartAuditForm(forms.Form):
    """Pick one list or one segment of the mode shown ("list:<id>" or "segment:<id>")."""

    audience = forms.ChoiceField(label=gettext_lazy("List or segment to check"))

    def __init__(self, *args, test_mode, **kwargs):
        super().__init__(*args, **kwargs)
        self.test_mode = test_mode
        lists = ContactList.objects.filter(test_mode=test_mode)
        segments = Segment.objects.in_mode(test_mode)
        self.fields["audience"].choices = [
            ("", gettext_lazy("Choose…")),
            (gettext_lazy("Lists"), [(f"list:{item.pk}", item.name) for item in lists]),
            (gettext_lazy("Segments"), [(f"segment:{item.pk}", item.name) for item in segments]),
        ]

    def clean_audience(self):
        """Return {"contact_list": list} or {"segment": segment} of the form's mode."""
        kind, _sep, pk = self.cleaned_data["audience"].partition(":")
        model = {"list": ContactList, "segment": Segment}.get(kind)
        found = None
        if model is not None and pk.isdigit():
            found = model.objects.filter(pk=int(pk), test_mode=self.test_mode).first()
        if found is None:
            raise forms.ValidationError(gettext_lazy("Choose a list or a segment."))
        return {"contact_list" if kind == "list" else "segment": found}


class EstimateForm(forms.Form):
    """The message to price: a published template's SMS, or a number of SMS segments."""

    template = forms.TypedChoiceField(
        label=gettext_lazy("SMS length"), coerce=int, required=False, empty_value=None
    )
    segments = forms.IntegerField(
        label=gettext_lazy("SMS segments per message"),
        min_value=1,
        max_value=MAX_SMS_SEGMENTS,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {template.id: template for template in sms_templates()}
        self.fields["template"].choices = [
            ("", gettext_lazy("The number of segments typed in")),
            *[
                (template.id, f"{template.name} ({template.sms_segments} SMS)")
                for template in self.templates.values()
            ],
        ]

    def chosen_segments(self, default):
        """The segment count to estimate with: the template's, else the number typed, else
        default."""
        if not self.is_valid():
            return default
        template = self.templates.get(self.cleaned_data.get("template"))
        if template is not None:
            return template.sms_segments
        return self.cleaned_data.get("segments") or default
