"""Analytics listening to the apps below it: button taps reported by providers become clicks,
tracked-link taps join a message's API events, and every message change queues a refresh of
the rollups (analytics/rollups/queue.py: the drain loop does it, off the send path)."""

from functools import partial

from django.db import transaction
from django.db.models import Q

from analytics.models import Click
from analytics.rollups import queue
from analytics.rollups.sources import OPT_OUT_SOURCES, OPT_OUT_WINDOW
from analytics.services import record_tap
from sending.models import Message


def tap_reported(sender, event, **kwargs):
    """Record the tap a provider reported as a click of the button's funnel."""
    if record_tap(event) is not None:
        transaction.on_commit(partial(queue.mark, [event.message_id]))


def rollups_of_conversions(sender, instance, **kwargs):
    """A conversion recorded, re-attributed or deleted changes the counts of its messages
    (the one it names now and, when re-attributed, the one it named when loaded)."""
    ids = {instance.message_id, getattr(instance, "loaded_message_id", None)} - {None}
    if ids:
        transaction.on_commit(partial(queue.mark, ids))


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
    """Queue the changed messages for a refresh of their rollups, one command per batch."""
    queue.mark(change.message_id for change in changes)


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
    queue.mark(Message.objects.filter(windows).values_list("pk", flat=True))
