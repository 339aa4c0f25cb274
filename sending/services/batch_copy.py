"""PostgreSQL: a chunk's new attempts written with COPY, their ids taken from the sequence.

bulk_create built an INSERT with a placeholder per column and row, and a model instance per
attempt went through get_db_prep_save for each field (profiled: about half of
write_attempts). COPY streams the rows; the ids are taken first from the table's identity
sequence (one round trip), so the caller knows each attempt's id without RETURNING.
SQLite keeps bulk_create.
"""

from django.db import connection

from sending.models import Attempt

_IDS = "SELECT nextval(pg_get_serial_sequence('sending_attempt', 'id')) FROM generate_series(1, %s)"
_COLUMNS = (
    "id",
    "public_id",
    "message_id",
    "channel",
    "provider",
    "provider_message_id",
    "status",
    "provider_handles_fallback",
    "error_code",
    "error_text",
    "raw_response",
    "created",
    "updated",
)
_COPY = f"COPY sending_attempt ({', '.join(_COLUMNS)}) FROM STDIN"


def insert_attempts(attempts, now):
    """Insert new Attempt instances (status calling) and set their pk; inside a transaction."""
    if not attempts:
        return
    with connection.cursor() as cursor:
        cursor.execute(_IDS, [len(attempts)])
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(_COPY) as copy:
            for pk, attempt in zip(ids, attempts, strict=True):
                copy.write_row(
                    (
                        pk,
                        attempt.public_id,
                        attempt.message_id,
                        str(attempt.channel),
                        attempt.provider,
                        "",
                        Attempt.Status.CALLING.value,
                        False,
                        "",
                        "",
                        "{}",
                        now,
                        now,
                    )
                )
    for pk, attempt in zip(ids, attempts, strict=True):
        attempt.pk = pk
        attempt.created = attempt.updated = now
