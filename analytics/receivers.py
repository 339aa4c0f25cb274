"""Analytics listening to sending: button taps reported by providers become clicks."""

from analytics.models import Click
from analytics.services import record_tap


def tap_reported(sender, event, **kwargs):
    """Record the tap a provider reported as a click of the button's funnel."""
    record_tap(event)


def link_events(sender, message, **kwargs):
    """Taps on the message's tracked links, as events of GET /api/v1/messages/{id}."""
    clicks = Click.objects.filter(message=message, source=Click.Source.LINK).order_by("pk")
    return [
        {
            "type": "clicked",
            "cta_id": click.cta_id,
            "channel": click.channel,
            "occurred_at": click.occurred_at,
            "source": "link",
            "kind": click.kind,
        }
        for click in clicks
    ]
