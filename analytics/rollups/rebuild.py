"""Recomputing every fact and rollup from the raw rows (messages, attempts, clicks, ledger)."""

from django.db import transaction

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
from analytics.rollups import apply, facts
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
