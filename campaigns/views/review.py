"""The review before launch: who gets the campaign, who does not and why, by which channel,
for how much, the message as phones show it, when quiet hours let it start; then Launch."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.roles import can_edit
from campaigns import services
from campaigns.models import Campaign, CampaignArm
from campaigns.views.common import campaign_url, mode_query
from editor.preview import preview_version

# Why a contact of the audience is left out, in the words the review shows.
EXCLUSION_LABELS = {
    "opted_out": gettext_lazy("Opted out"),
    "no_consent": gettext_lazy("No consent to promotions"),
    "frequency_cap": gettext_lazy("Already messaged within the frequency cap"),
    "not_a_mobile_number": gettext_lazy("Not a mobile number"),
    "country_not_allowed": gettext_lazy("Country not allowed"),
}


def review_context(request, campaign):
    """The review's figures (campaigns.services.review) shaped for the template."""
    previews = [(campaign.template_version, preview_version(campaign.template_version))]
    if campaign.template_version_b_id:
        previews.append((campaign.template_version_b, preview_version(campaign.template_version_b)))
    common = {
        "campaign": campaign,
        "previews": previews,
        "editable": can_edit(request.user),
        "mode_query": mode_query(campaign.test_mode),
    }
    if campaign.audience is None:
        # Its list or segment was deleted: there is nobody to count (and launch refuses it).
        return {**common, "review": None}
    figures = services.review(campaign)
    arm_labels = dict(CampaignArm.Arm.choices)
    return {
        **common,
        "review": figures,
        "excluded": [
            (EXCLUSION_LABELS.get(code, code), n) for code, n in sorted(figures.excluded.items())
        ],
        "excluded_total": sum(figures.excluded.values()),
        "arms": [
            {"label": arm_labels.get(arm, arm), **numbers}
            for arm, numbers in sorted(figures.arms.items())
        ]
        if len(figures.arms) > 1
        else [],
        "defaults": sorted(figures.defaults.items()),
        "starts_later": figures.starts_at > timezone.now() + timedelta(minutes=1),
    }


def campaign_review(request, pk):
    """The review of a draft; a launched campaign opens its progress instead."""
    campaign = get_object_or_404(
        Campaign.objects.select_related(
            "template_version__template", "template_version_b__template", "contact_list", "segment"
        ),
        pk=pk,
    )
    if campaign.status != Campaign.Status.DRAFT:
        return redirect(campaign_url("campaign_detail", campaign))
    return render(request, "campaigns/campaign_review.html", review_context(request, campaign))


@require_POST
def campaign_launch(request, pk):
    """Launch (or schedule) a reviewed draft and open its live progress."""
    if not can_edit(request.user):
        raise PermissionDenied
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        campaign = services.launch(campaign)
    except services.CampaignError as error:
        messages.error(request, error.message)
        return redirect(campaign_url("campaign_review", campaign))
    return redirect(campaign_url("campaign_detail", campaign))
