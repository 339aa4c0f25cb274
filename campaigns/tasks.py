"""RQ jobs of campaigns: they take ids and call services (enqueued by dotted path via jobs)."""

from campaigns import services


def start_campaign(campaign_id):
    """Start a scheduled campaign at its send_at."""
    return services.start_scheduled(campaign_id)


def check_rollout(campaign_id, due=None):
    """Judge a rollout's first share: continue, wait for Continue, or stop with a reason (only
    if the check due at `due` is still the campaign's next one)."""
    return services.check_rollout(campaign_id, due)


def decide_winner(campaign_id):
    """After a content test's hours: send the winner to the rest, or wait for a person."""
    return services.decide_winner(campaign_id)
