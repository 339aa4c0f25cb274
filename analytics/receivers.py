"""Analytics listening to the apps below it: every message change refreshes the rollups."""

from django.db.models import Q

from analytics.rollups.apply import refresh
from analytics.rollups.sources import OPT_OUT_SOURCES, OPT_OUT_WINDOW
from sending.models import Message


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
