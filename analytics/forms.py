"""What the dashboard is asked to show: one campaign or all, one template version, a period."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from analytics.rollup_models import Rollup
from campaigns.models import Campaign
from editor.models import TemplateVersion

PERIODS = {"1d": 1, "7d": 7, "30d": 30, "90d": 90, "all": None}


class DashboardForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=gettext_lazy("All campaigns and API sends"),
    )
    version = forms.ModelChoiceField(
        label=gettext_lazy("Template version"),
        queryset=TemplateVersion.objects.none(),
        required=False,
        empty_label=gettext_lazy("All versions"),
    )
    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        required=False,
        choices=[
            ("", gettext_lazy("30 days, or the whole campaign")),
            ("1d", gettext_lazy("Last 24 hours")),
            ("7d", gettext_lazy("Last 7 days")),
            ("30d", gettext_lazy("Last 30 days")),
            ("90d", gettext_lazy("Last 90 days")),
            ("all", gettext_lazy("All time")),
        ],
    )

    def __init__(self, data, *, test_mode):
        super().__init__(data)
        self.test_mode = test_mode
        self.fields["campaign"].queryset = Campaign.objects.filter(
            test_mode=test_mode, launched_at__isnull=False
        ).order_by("-launched_at", "-pk")
        # The versions something was sent from, in this mode: read from the small rollups.
        sent_from = (
            Rollup.objects.filter(test_mode=test_mode)
            .order_by()
            .values_list("template_version_id", flat=True)
            .distinct()
        )
        self.fields["version"].queryset = TemplateVersion.objects.filter(
            pk__in=list(sent_from)
        ).select_related("template")

    def since(self):
        """The start of the period: a campaign's whole life unless a period is chosen."""
        period = self.cleaned_data.get("period") or (
            "all" if self.cleaned_data.get("campaign") else "30d"
        )
        days = PERIODS[period]
        return None if days is None else timezone.now() - timedelta(days=days)
