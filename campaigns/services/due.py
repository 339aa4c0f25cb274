"""The reconciler's way through due campaigns: one at a time, each under its own row lock."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def each_locked(campaigns, act, failure) -> int:
    """Call act(campaign) on each campaign of the queryset, taken with SKIP LOCKED in a
    transaction of its own; returns how many calls returned true.

    `act` checks again under the lock what made the campaign due and records what it did, so
    two reconcilers at once share the campaigns instead of queueing on one row, and neither
    acts twice. A call that raises is rolled back and logged with `failure` (a message with one
    %s, the campaign's public id); the others go on, and the next pass tries it again."""
    done, seen = 0, set()
    while True:
        campaign = None
        try:
            with transaction.atomic():
                campaign = (
                    campaigns.select_for_update(skip_locked=True).exclude(pk__in=seen).first()
                )
                if campaign is None:
                    return done
                seen.add(campaign.pk)
                acted = act(campaign)
        except Exception:
            if campaign is None:
                raise
            logger.exception(failure, campaign.public_id)
            continue
        done += bool(acted)
