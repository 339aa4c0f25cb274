"""Saving the wizard as a draft campaign, and opening a draft in the wizard again."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from accounts.roles import can_edit
from campaigns.forms import CampaignForm, initial_from
from campaigns.models import Campaign
from campaigns.services import CampaignError, create_campaign, update_campaign


def campaign_url(name, campaign):
    """A campaign screen's URL, in the campaign's own mode."""
    url = reverse(f"campaigns:{name}", args=[campaign.pk])
    return f"{url}?mode=test" if campaign.test_mode else url


def save_draft(request, form, campaign=None):
    """Create (or update) the draft from a valid form; service refusals go next to fields."""
    from campaigns.views.wizard import render_wizard

    try:
        if campaign is None:
            campaign = create_campaign(**form.campaign_fields())
        else:
            fields = form.campaign_fields()
            fields.pop("test_mode")
            campaign = update_campaign(campaign, **fields)
    except CampaignError as error:
        form.add_service_error(error)
        return render_wizard(request, form, campaign=campaign, status=422)
    return redirect(campaign_url("campaign_review", campaign))


def edit_draft(request, pk):
    """The wizard over a saved draft; anything past draft opens its progress instead."""
    from campaigns.views.wizard import render_wizard

    campaign = get_object_or_404(Campaign, pk=pk)
    if campaign.status != Campaign.Status.DRAFT:
        return redirect(campaign_url("campaign_detail", campaign))
    if request.method == "POST":
        if not can_edit(request.user):
            raise PermissionDenied
        form = CampaignForm(request.POST, test_mode=campaign.test_mode)
        if form.is_valid():
            return save_draft(request, form, campaign)
        return render_wizard(request, form, campaign=campaign, status=422)
    form = CampaignForm(initial=initial_from(campaign), test_mode=campaign.test_mode)
    return render_wizard(request, form, campaign=campaign)
