"""Analytics listening to the apps below it: button taps reported by providers become clicks,
tracked-link taps join a message's API events, and every message change refreshes the rollups."""

from django.db.models import Q

from analytics.models import Click
from analytics.rollups.apply import refresh
from analytics.rollups.sources import OPT_OUT_SOURCES, OPT_OUT_WINDOW
from analytics.services import record_tap
from sending.models import Message


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


def rollups_of_message_changes(sender, changes, **kwargs):
    """Refresh the rollups of the changed messages, one batch for the whole list."""
    refresh(change.message_id for change in changes)


def rollups_of_consent_changes(sender, changes, **kwargs):
    """An opt-out reply counts against the messages its contact got in the days before."""
    windows = Q(pk__in=[])
    for change in changes:
        if change.kind == "opt_out" and change.source in OPT_OUT_SOURCES:
            windows |= Q(
                contact_id=change.contact_id,
                sent_at__gte=change.occurred_at - OPT_OUT_WINDOW,
                sent_at__lte=change.occurred_at,
            )
    ids = list(Message.objects.filter(windows).values_list("pk", flat=True))
    refresh(ids)
