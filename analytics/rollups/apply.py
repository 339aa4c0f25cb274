"""Keeping the rollups up to date: refresh the facts of changed messages, add the differences."""

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal

from django.db import connection, transaction

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


def refresh(message_ids):
    """Recompute these messages' facts and move the differences into the rollups.

    The facts' rows are locked first, then the messages read: two jobs refreshing the same
    message run one after the other, and the second sees what the first wrote. A replayed
    change finds nothing different and writes nothing.
    """
    message_ids = sorted(set(message_ids))
    if not message_ids:
        return
    with transaction.atomic():
        MessageFact.objects.bulk_create(
            [MessageFact(message_id=i, hour=_EPOCH, messages=0) for i in message_ids],
            ignore_conflicts=True,
        )
        stored = {
            row.message_id: row
            for row in MessageFact.objects.select_for_update()
            .filter(message_id__in=message_ids)
            .order_by("message_id")
        }
        now = facts.compute(message_ids)
        deltas = defaultdict(lambda: defaultdict(int))
        button_deltas = defaultdict(lambda: defaultdict(int))
        changed = []
        for message_id in message_ids:
            row, new = stored[message_id], now[message_id]
            old = fact_from_row(row)
            if old == new:
                continue
            add(deltas, button_deltas, old, -1)
            add(deltas, button_deltas, new, +1)
            write_row(row, new)
            changed.append(row)
        if changed:
            MessageFact.objects.bulk_update(changed, [*KEY, *COUNTERS, "buttons"])
        upsert(Rollup, KEY, COUNTERS, deltas)
        upsert(ButtonRollup, BUTTON_KEY, BUTTON_COUNTERS, button_deltas)


def add(deltas, button_deltas, fact, sign):
    """Add sign × fact into the deltas by bucket."""
    if fact["key"] is None:
        return
    bucket = deltas[facts.key_tuple(fact["key"])]
    for name, value in fact["counts"].items():
        bucket[name] += sign * value
    for cta_id, (total, unique) in fact["buttons"].items():
        button = button_deltas[facts.button_key_tuple(fact["key"], cta_id)]
        button["taps_total"] += sign * total
        button["taps_unique"] += sign * unique


def fact_from_row(row):
    if not row.messages:
        return facts.empty()
    return {
        "key": {name: getattr(row, name) for name in KEY},
        "counts": {name: getattr(row, name) for name in COUNTERS},
        "buttons": {cta: list(pair) for cta, pair in row.buttons.items()},
    }


def write_row(row, fact):
    if fact["key"] is None:
        fact = {**fact, "key": {**dict.fromkeys(KEY, ""), **_EMPTY_KEY}}
    for name in KEY:
        setattr(row, name, fact["key"][name])
    for name in COUNTERS:
        setattr(row, name, fact["counts"][name])
    row.buttons = fact["buttons"]


def upsert(model, key, counters, deltas):
    """Add the deltas to their buckets in one statement: INSERT ... ON CONFLICT DO UPDATE.

    PostgreSQL and SQLite (3.24 and later) both read this statement; the sums happen in the
    database, so two jobs adding to the same bucket never lose each other's counts.
    """
    rows = [
        (*bucket, *(values[name] for name in counters))
        for bucket, values in sorted(deltas.items(), key=lambda item: repr(item[0]))
        if any(values[name] for name in counters)
    ]
    if not rows:
        return
    table = model._meta.db_table
    columns = [*key, *counters]
    quote = connection.ops.quote_name
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    increments = ", ".join(
        f"{quote(name)} = {table}.{quote(name)} + excluded.{quote(name)}" for name in counters
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "
                f"VALUES {', '.join([placeholders] * len(chunk))} "
                f"ON CONFLICT ({', '.join(quote(c) for c in key)}) DO UPDATE SET {increments}",
                [_adapt(value) for row in chunk for value in row],
            )


def _adapt(value):
    """A parameter as the database stores it (SQLite keeps datetimes and decimals as text)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, Decimal):
        return connection.ops.adapt_decimalfield_value(value)
    return value


# The placeholder row of a message not seen yet (messages=0: it adds nothing).
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_EMPTY_KEY = {"test_mode": False, "campaign_id": 0, "stage": 0, "template_version_id": 0}
