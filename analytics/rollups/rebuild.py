"""Recomputing every fact and rollup from the raw rows (messages, attempts, clicks, ledger),
and mending the facts an upgrade left without their revenue."""

from django.db import transaction

from analytics import clickstream
from analytics.rollup_models import (
    BUTTON_COUNTERS,
    BUTTON_KEY,
    COUNTERS,
    CURRENCY_COUNTERS,
    CURRENCY_KEY,
    KEY,
    ButtonRollup,
    CurrencyRollup,
    MessageFact,
    Rollup,
)
from analytics.rollups import apply, facts, queue
from sending.models import Message

CHUNK = 2000


def rebuild(chunk=CHUNK, log=None):
    """Throw the rollups away and sum them again from every message; the number of messages."""
    totals = apply.Deltas()
    done = 0
    with transaction.atomic():
        MessageFact.objects.all().delete()
        Rollup.objects.all().delete()
        ButtonRollup.objects.all().delete()
        CurrencyRollup.objects.all().delete()
        ids = Message.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk)
        for batch in _chunks(ids, chunk):
            computed = facts.compute(batch)
            rows = []
            for message_id, fact in computed.items():
                if fact["key"] is None:
                    continue
                rows.append(
                    MessageFact(
                        message_id=message_id,
                        buttons=fact["buttons"],
                        revenues=fact["revenues"],
                        **fact["key"],
                        **fact["counts"],
                    )
                )
                apply.add(totals, fact, +1)
            MessageFact.objects.bulk_create(rows, batch_size=1000)
            done += len(batch)
            if log:
                log(done)
        for model, names, counters, sums in (
            (Rollup, KEY, COUNTERS, totals.buckets),
            (ButtonRollup, BUTTON_KEY, BUTTON_COUNTERS, totals.buttons),
            (CurrencyRollup, CURRENCY_KEY, CURRENCY_COUNTERS, totals.currencies),
        ):
            model.objects.bulk_create(
                [_row(model, names, counters, key, values) for key, values in sums.items()],
                batch_size=1000,
            )
    return done


def _row(model, key_names, counter_names, key, values):
    return model(
        **dict(zip(key_names, key, strict=True)), **{name: values[name] for name in counter_names}
    )


def _chunks(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def queue_facts_without_revenues(chunk=CHUNK):
    """Queue for a refresh every fact written before revenue was kept per currency (migration
    analytics 0006): conversions counted, no revenues. The refresh adds their revenue to the
    currency rollups and changes nothing else; the number of facts queued."""
    stale = (
        MessageFact.objects.filter(conversions__gt=0, revenues={})
        .order_by("message_id")
        .values_list("message_id", flat=True)
        .iterator(chunk)
    )
    found = 0
    for batch in _chunks(stale, chunk):
        queue.mark(batch)
        found += len(batch)
    return found


def repair_revenues_once():
    """queue_facts_without_revenues() the first time a drainer runs on this installation (Redis
    remembers it was done: later drainers pay one GET); the number of facts queued.

    An installation upgraded past migration analytics 0006 without `rebuild_rollups` shows no
    revenue for the facts written before; the drain loop mends it by itself, refreshing only
    those facts (the messages with attributed conversions), not every message.
    """
    connection = clickstream.client()
    done = queue.key("revenues-repaired")
    if connection.get(done):
        return 0
    found = queue_facts_without_revenues()
    connection.set(done, found)
    return found
