"""The campaign list and a campaign's live progress, with its Pause / Resume / Cancel /
Continue buttons (each a POST that calls campaigns.services and comes back here)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.data_mode import shows_test_data
from accounts.roles import can_edit
from campaigns import services, tallies
from campaigns.models import Campaign, CampaignArm
from campaigns.views.common import campaign_url, mode_query

# Statuses that can still change by themselves: the progress keeps polling while in one.
MOVING = {
    Campaign.Status.SCHEDULED,
    Campaign.Status.SENDING,
    Campaign.Status.PAUSED,
    Campaign.Status.WAITING_TO_CONTINUE,
}


def campaign_list(request):
    """The campaigns of the mode looked at, newest first, with their status and progress."""
    test_mode = shows_test_data(request)
    campaigns = list(
        Campaign.objects.filter(test_mode=test_mode).select_related(
            "template_version__template", "template_version_b", "contact_list", "segment"
        )[:200]
    )
    counts = tallies.percents(campaigns)
    # A promotion held by quiet hours says until when, not just "Sending, 0 of N".
    held = {hold.campaign.pk: hold for hold in tallies.quiet_hours_holds(campaigns)}
    rows = [
        {
            "campaign": campaign,
            "held": held.get(campaign.pk),
            "tally": counts.get(campaign.pk, tallies.Row("")),
            "url": campaign_url(
                "campaign_review"
                if campaign.status == Campaign.Status.DRAFT
                else "campaign_detail",
                campaign,
            ),
        }
        for campaign in campaigns
    ]
    context = {
        "rows": rows,
        "test_data": test_mode,
        "mode_query": mode_query(test_mode),
        "editable": can_edit(request.user),
    }
    return render(request, "campaigns/campaign_list.html", context)


def _progress_context(request, campaign):
    tally = tallies.tally(campaign)
    # Until the rest of a rollout is released, the bar measures the first share: it reaches
    # the end when the first stage does, not at 10 % of the audience.
    first_share_only = campaign.has_rollout and campaign.rollout_released_at is None
    first = next((row for row in tally.by_stage if row.key == 0), None)
    bar = first if first_share_only and first is not None else tally.overall
    held, opens = (
        services.quiet_hours_hold(campaign)
        if campaign.status == Campaign.Status.SENDING
        else (0, None)
    )
    return {
        "held": held,
        "held_until": opens,
        **_winner_context(campaign),
        "campaign": campaign,
        "stop_sentence": services.stop_sentence(campaign),
        "tally": tally,
        "bar": bar,
        "bar_is_first_share": bar is not tally.overall,
        "polling": campaign.status in MOVING,
        "editable": can_edit(request.user),
        "mode_query": mode_query(campaign.test_mode),
    }


def _winner_context(campaign):
    if not campaign.has_winner_rule:
        return {}
    figures = campaign.winner_figures or {}
    labels = dict(CampaignArm.Arm.choices)
    arms = []
    for key in (CampaignArm.Arm.A, CampaignArm.Arm.B):
        arm = figures.get(key) or {"messages": 0, "clicks": 0, "rate": 0.0}
        arms.append(
            {**arm, "key": key, "label": labels[key], "percent": f"{arm['rate'] * 100:.1f}"}
        )
    p_value = figures.get("p_value")
    return {
        "winner_arms": arms,
        "winner_sentence": services.decision_sentence(campaign),
        "winner_p": f"{p_value:.3f}" if p_value is not None else "",
        "winner_test_percent": f"{campaign.winner_test_share * 100:g}",
        "winner_confidence_percent": f"{1 - campaign.winner_confidence:.2f}",
    }


def _campaign(pk):
    return get_object_or_404(
        Campaign.objects.select_related("template_version__template", "contact_list", "segment"),
        pk=pk,
    )


def campaign_detail(request, pk):
    """A launched campaign's live progress (a draft opens its review)."""
    campaign = _campaign(pk)
    if campaign.status == Campaign.Status.DRAFT:
        return redirect(campaign_url("campaign_review", campaign))
    return render(request, "campaigns/campaign_detail.html", _progress_context(request, campaign))


def campaign_progress(request, pk):
    """The progress fragment alone, polled every 2 seconds by the detail page (htmx)."""
    campaign = _campaign(pk)
    if campaign.status in MOVING:
        campaign = services.sync_status(campaign)
    return render(request, "campaigns/_progress.html", _progress_context(request, campaign))


def _act(request, pk, action):
    if not can_edit(request.user):
        raise PermissionDenied
    campaign = _campaign(pk)
    try:
        action(campaign)
    except services.CampaignError as error:
        messages.error(request, error.message)
    return redirect(campaign_url("campaign_detail", campaign))


@require_POST
def campaign_pause(request, pk):
    """Pause a sending campaign."""
    return _act(request, pk, services.pause)


@require_POST
def campaign_resume(request, pk):
    """Resume a paused campaign."""
    return _act(request, pk, services.resume)


@require_POST
def campaign_cancel(request, pk):
    """Cancel a campaign (the page asked for confirmation)."""
    return _act(request, pk, services.cancel)


@require_POST
def campaign_continue(request, pk):
    """Send the rest of a rollout."""
    return _act(request, pk, services.continue_rollout)


@require_POST
def campaign_choose(request, pk, arm):
    """Send version A or B to the rest of a content test that waits for a person."""
    return _act(request, pk, lambda campaign: services.choose_winner(campaign, arm))
