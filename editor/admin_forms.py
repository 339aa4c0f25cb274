"""The admin's form of a template: what an admin may set there, the RCS deadline in minutes.

The message itself (RCS content, variables) is written in the editor, never as raw JSON here.
"""

from django import forms
from django.utils.translation import gettext_lazy

from editor.forms import TRAFFIC_TYPE_HELP, check_template_id_free
from editor.models import MessageTemplate
from messaging.providers.normalized import RCS_TTL_MAX_SECONDS

# The editor shows the deadline in minutes; the model keeps seconds (as RBM and the API do).
SECONDS_PER_MINUTE = 60


class MessageTemplateAdminForm(forms.ModelForm):
    # The content fields this form does not take as stored, and where they are set instead.
    CONTENT_SET_ELSEWHERE = {
        "rcs_content": "the editor",
        "variables": "the editor",
        "rcs_ttl_seconds": "rcs_ttl_minutes",
    }

    rcs_ttl_minutes = forms.IntegerField(
        label=gettext_lazy("RCS deadline (minutes)"),
        required=False,
        min_value=1,
        max_value=RCS_TTL_MAX_SECONDS // SECONDS_PER_MINUTE,
        help_text=gettext_lazy(
            "Send the SMS instead when the RCS message is not delivered within this many "
            "minutes (at most 21,600, 15 days). Empty: the default of the traffic type "
            "(1 hour for a promotion)."
        ),
    )

    class Meta:
        model = MessageTemplate
        fields = [
            "brand",
            "name",
            "slug",
            "language",
            "category",
            "traffic_type",
            "status",
            "rcs_only",
            "sms_fallback",
        ]
        help_texts = {"traffic_type": TRAFFIC_TYPE_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        seconds = self.instance.rcs_ttl_seconds
        if seconds:
            self.initial["rcs_ttl_minutes"] = max(1, round(seconds / SECONDS_PER_MINUTE))

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if slug:
            check_template_id_free(slug, exclude_pk=self.instance.pk)
        return slug

    def save(self, commit=True):
        # Seconds that are not whole minutes stay as they were unless the minutes are changed.
        if "rcs_ttl_minutes" in self.changed_data:
            minutes = self.cleaned_data.get("rcs_ttl_minutes")
            self.instance.rcs_ttl_seconds = minutes * SECONDS_PER_MINUTE if minutes else None
        return super().save(commit)
