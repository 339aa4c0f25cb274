"""Analytics listening to sending: button taps reported by providers become clicks."""

from analytics.services import record_tap


def tap_reported(sender, event, **kwargs):
    """Record the tap a provider reported as a click of the button's funnel."""
    record_tap(event)
