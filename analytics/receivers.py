"""Analytics listening to the apps below it: every message change refreshes the rollups."""

import functools

from django.db import transaction

from analytics.rollups.apply import refresh
from analytics.rollups.sources import OPT_OUT_SOURCES, OPT_OUT_WINDOW
from audience.models import ConsentEntry
from sending.models import Message


def rollups_of_message_changes(sender, changes, **kwargs):
    """Refresh the rollups of the changed messages, one batch for the whole list."""
    refresh(change.message_id for change in changes)


def rollups_of_opt_out(sender, instance, created, **kwargs):
    """An opt-out reply counts against the messages its contact got in the days before."""
    if not created or instance.kind != ConsentEntry.Kind.OPT_OUT:
        return
    if instance.source not in OPT_OUT_SOURCES:
        return
    ids = list(
        Message.objects.filter(
            contact_id=instance.contact_id,
            sent_at__gte=instance.occurred_at - OPT_OUT_WINDOW,
            sent_at__lte=instance.occurred_at,
        ).values_list("pk", flat=True)
    )
    # After the commit, and robust: a rollup's trouble never loses an opt-out.
    transaction.on_commit(functools.partial(refresh, ids), robust=True)
