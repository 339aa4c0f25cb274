"""Recomputing every fact and rollup from the raw rows (messages, attempts, clicks, ledger)."""

from collections import defaultdict

from django.db import transaction

from analytics.rollup_models import (
    BUTTON_COUNTERS,
    BUTTON_KEY,
    COUNTERS,
    KEY,
    ButtonRollup,
    MessageFact,
    Rollup,
)
from analytics.rollups import facts
from sending.models import Message

CHUNK = 2000


def rebuild(chunk=CHUNK, log=None):
    """Throw the rollups away and sum them again from every message; the number of messages."""
    totals = defaultdict(lambda: defaultdict(int))
    button_totals = defaultdict(lambda: defaultdict(int))
    done = 0
    with transaction.atomic():
        MessageFact.objects.all().delete()
        Rollup.objects.all().delete()
        ButtonRollup.objects.all().delete()
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
                        **fact["key"],
                        **fact["counts"],
                    )
                )
                bucket = totals[facts.key_tuple(fact["key"])]
                for name, value in fact["counts"].items():
                    bucket[name] += value
                for cta_id, (total, unique) in fact["buttons"].items():
                    button = button_totals[facts.button_key_tuple(fact["key"], cta_id)]
                    button["taps_total"] += total
                    button["taps_unique"] += unique
            MessageFact.objects.bulk_create(rows, batch_size=1000)
            done += len(batch)
            if log:
                log(done)
        Rollup.objects.bulk_create(
            [_row(Rollup, KEY, COUNTERS, key, values) for key, values in totals.items()],
            batch_size=1000,
        )
        ButtonRollup.objects.bulk_create(
            [
                _row(ButtonRollup, BUTTON_KEY, BUTTON_COUNTERS, key, values)
                for key, values in button_totals.items()
            ],
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
