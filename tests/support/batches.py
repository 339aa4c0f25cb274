"""Claim a batch as a batch job does, for tests that look at the claim or its lease."""

from django.db import transaction

from sending.services import claim_sql
from sending.services.batch_render import prepare


def claim_batch(dispatch, message_ids, *, now, until):
    """Lock, take the lease and prepare, in one transaction; returns the Prepared items."""
    with transaction.atomic():
        locked = claim_sql.lock_batch(dispatch.pk, message_ids, now=now)
        return prepare(dispatch, locked, now, until=until)


def claimed_ids(dispatch, message_ids, *, now, until):
    """The ids of the messages claim_batch prepared."""
    return [item.message.pk for item in claim_batch(dispatch, message_ids, now=now, until=until)]
