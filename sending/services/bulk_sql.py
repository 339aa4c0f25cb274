"""Write the same columns of many rows in one statement.

Django's bulk_update builds a CASE WHEN per column and row: for a chunk of 64 messages it
spent ~1 s in Python (profiled, bench/bench_fanout.py). On PostgreSQL one
`UPDATE ... FROM unnest(...)` does it; SQLite keeps bulk_update.
"""

import json
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from psycopg.types.json import Jsonb


def bulk_set(model, objects, fields):
    """Save `fields` of every object (all of one model) in one UPDATE; returns rows written."""
    objects = list(objects)
    if not objects:
        return 0
    if connection.vendor != "postgresql":
        return model.objects.bulk_update(objects, fields, batch_size=500)
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    pk = meta.pk
    # The connection itself, not the proxy: each field's preparation reads it several times.
    db = connections[DEFAULT_DB_ALIAS]
    arrays = [_text_array([obj.pk for obj in objects])]
    types = [pk.rel_db_type(connection)]
    for field in columns:
        values = [getattr(obj, field.attname) for obj in objects]
        if field.__class__ is models.DateTimeField and all(map(_aware_or_none, values)):
            # get_db_prep_save gives these back as they are on PostgreSQL: skip its work.
            arrays.append(_timestamp_array(values))
        else:
            arrays.append(_text_array([field.get_db_prep_save(value, db) for value in values]))
        types.append(field.db_type(connection))
    names = ["pk", *(f"c{index}" for index in range(len(columns)))]
    unnest = ", ".join(f"%s::{kind}[]" for kind in types)
    assignments = ", ".join(
        f"{quote(field.column)} = v.c{index}" for index, field in enumerate(columns)
    )
    sql = (
        f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "
        f"FROM unnest({unnest}) AS v({', '.join(names)}) "
        f"WHERE t.{quote(pk.column)} = v.pk"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)
        return cursor.rowcount


def commit_without_waiting():
    """PostgreSQL: the current transaction's commit does not wait for its WAL to reach the disk
    (SET LOCAL synchronous_commit TO OFF). Only for writes that a server crash may lose: the
    next commit that does wait (a chunk's attempts, always written before any call) flushes
    them with it, so a lost one is redone by the crash handling, never sent twice."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _text_array(values):
    """values as a PostgreSQL array literal when they are all integers, strings, JSON
    (Jsonb) or None; values unchanged otherwise. The statement goes by the simple query
    protocol, and psycopg formats a list parameter element by element in Python, with a
    regular expression per quoted element: for the prepared messages' texts and links, a
    fifth of the batch job's CPU (profiled). Here each element is escaped by str.replace,
    and the literal is quoted once, as one string."""
    elements = []
    for value in values:
        if value is None:
            elements.append("NULL")
            continue
        if value.__class__ is int:
            elements.append(str(value))
            continue
        if value.__class__ is Jsonb:
            value = (value.dumps or json.dumps)(value.obj)
        elif not isinstance(value, str):
            return values
        elements.append('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(elements) + "}"


def _aware_or_none(value):
    return value is None or (value.__class__ is datetime and value.utcoffset() is not None)


def _timestamp_array(values):
    """Aware datetimes (or None) as a PostgreSQL array literal, in ISO 8601 with their offset."""
    return "{" + ",".join("NULL" if v is None else f'"{v.isoformat()}"' for v in values) + "}"
