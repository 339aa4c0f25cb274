"""What every campaign screen shares: the mode in links, and a campaign's URLs in its mode."""

from django.urls import reverse


def mode_query(test_mode):
    """The query that keeps a link in test data ("" for live data)."""
    return "?mode=test" if test_mode else ""


def campaign_url(name, campaign):
    """A campaign screen's URL, in the campaign's own mode."""
    return reverse(f"campaigns:{name}", args=[campaign.pk]) + mode_query(campaign.test_mode)
