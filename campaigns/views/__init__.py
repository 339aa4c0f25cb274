"""The campaign screens: the list, the wizard, the review and the live progress."""

from campaigns.views.progress import (
    campaign_cancel,
    campaign_choose,
    campaign_continue,
    campaign_detail,
    campaign_list,
    campaign_pause,
    campaign_progress,
    campaign_resume,
)
from campaigns.views.review import campaign_launch, campaign_review
from campaigns.views.wizard import campaign_create, campaign_edit, wizard_live

__all__ = [
    "campaign_cancel",
    "campaign_choose",
    "campaign_continue",
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "campaign_launch",
    "campaign_list",
    "campaign_pause",
    "campaign_progress",
    "campaign_resume",
    "campaign_review",
    "wizard_live",
]
