"""What campaigns tells the apps below it through their registries (CampaignsConfig.ready())."""

from campaigns.models import Campaign, CampaignArm


def campaign_dispatch_ids(campaign_id, test_mode):
    """The dispatch ids of the campaign with this public id in this mode, or None."""
    campaign = Campaign.objects.filter(public_id=campaign_id, test_mode=test_mode).first()
    if campaign is None:
        return None
    return list(CampaignArm.objects.filter(campaign=campaign).values_list("dispatch_id", flat=True))
