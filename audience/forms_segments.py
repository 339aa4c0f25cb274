"""The segment form: a name, a description and rules (JSON the builder writes), checked in
the segment's mode."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audience.models import Segment
from audience.segments import RulesError, validate_rules


class SegmentForm(forms.ModelForm):
    rules = forms.JSONField(widget=forms.HiddenInput)

    class Meta:
        model = Segment
        fields = ["name", "description", "rules"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"description": gettext_lazy("Optional: who this is, and what it is for.")}

    def __init__(self, *args, test_mode, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.test_mode = bool(test_mode)
        # Where each rules error goes in the builder: {"conditions[0].op": [message, ...]}.
        self.rules_errors = {}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Segment.objects.in_mode(self.instance.test_mode).filter(name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another segment already has this name."))
        return name

    def clean_rules(self):
        rules = self.cleaned_data["rules"]
        try:
            validate_rules(rules, test_mode=self.instance.test_mode, segment=self.instance)
        except RulesError as refused:
            self.rules_errors = refused.by_path
            raise forms.ValidationError(
                _("Some conditions need fixing: see the messages next to them.")
            ) from None
        return rules
