"""Campaigns listening to sending: a campaign ends when its last dispatch does."""

from campaigns.models import Campaign
from campaigns.services import check_overdue, decide_due, start_due, sync_status


def campaign_of_finished_dispatch(sender, dispatch_id, **kwargs):
    """Mark the campaign of a finished dispatch done when it has nothing left to send."""
    campaign = Campaign.objects.filter(arms__dispatch_id=dispatch_id).first()
    if campaign is not None:
        sync_status(campaign)


def campaigns_due(sender, now, **kwargs):
    """On each reconciler pass: start the scheduled campaigns whose start job was lost, judge
    the rollouts whose check job was lost, and decide the content tests whose decision job was
    lost."""
    start_due(now)
    check_overdue(now)
    decide_due(now)
