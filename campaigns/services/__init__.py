"""The campaign workflows; import them from here (`from campaigns import services`)."""

from campaigns.services.audiences import audience_contacts, plan_arms
from campaigns.services.creation import (
    EDITABLE,
    CampaignError,
    create_campaign,
    update_campaign,
    validate,
)
from campaigns.services.lifecycle import (
    cancel,
    continue_rollout,
    launch,
    pause,
    resume,
    start_due,
    start_scheduled,
    sync_status,
)
from campaigns.services.review import Review, progress, review
from campaigns.services.rollout import (
    StageFigures,
    check_overdue,
    check_rollout,
    first_share_figures,
    stop_sentence,
)
from campaigns.services.winner import (
    arm_figures,
    choose_winner,
    clicked_messages,
    decide_due,
    decide_winner,
    decision_sentence,
)
from campaigns.tallies import quiet_hours_hold

__all__ = [
    "EDITABLE",
    "CampaignError",
    "Review",
    "StageFigures",
    "arm_figures",
    "audience_contacts",
    "cancel",
    "check_overdue",
    "check_rollout",
    "choose_winner",
    "clicked_messages",
    "continue_rollout",
    "create_campaign",
    "decide_due",
    "decide_winner",
    "decision_sentence",
    "first_share_figures",
    "launch",
    "pause",
    "plan_arms",
    "progress",
    "quiet_hours_hold",
    "resume",
    "review",
    "start_due",
    "start_scheduled",
    "stop_sentence",
    "sync_status",
    "update_campaign",
    "validate",
]
