"""Lookups the apps above sending register (they may import sending; sending never imports
them): which dispatches make up a campaign, for the messages list's campaign_id filter."""

_campaign_dispatches = None


def register_campaign_dispatches(resolver):
    """resolver(campaign_public_id, test_mode) → the dispatch ids of that campaign (a list,
    empty when it has none), or None when no campaign of that mode has this id."""
    global _campaign_dispatches
    _campaign_dispatches = resolver


def campaign_dispatch_ids(campaign_id, test_mode):
    """The dispatch ids of a campaign, or None when it is unknown (or no app registered one)."""
    if _campaign_dispatches is None:
        return None
    return _campaign_dispatches(campaign_id, test_mode)
