"""PostgreSQL: write a chunk's accepted calls in two statements, no model instances.

The same result as batch_results._record_accepted's ORM path (Attempt.advance and
Message.advance to sent), with the rows locked in id order first, so a receipt that arrived
meanwhile is never overwritten: a status already further on stays, a suppressed or
cancelled message keeps its status and sent_at. Profiled: loading and saving a chunk's
attempts and messages as instances was the largest part of the job's own time.

The rows go as one JSON document per table (json_to_recordset) and the ids as array
literals: the statements are sent by the simple query protocol, with the parameters
written into the text on the client, and psycopg formats a list parameter element by
element in Python (a regular expression per string), ~0.1 ms a message (profiled).
"""

import json

from django.db import connection

# Attempt.advance(SENT): only from calling, retry or unknown_outcome.
_ATTEMPTS = """
UPDATE sending_attempt a SET
    provider_message_id = v.provider_message_id,
    raw_response = v.raw,
    provider_handles_fallback = v.handles_fallback,
    error_code = '',
    error_text = '',
    status = CASE WHEN a.status IN ('sent', 'delivered', 'read', 'failed', 'expired')
        THEN a.status ELSE 'sent' END,
    updated = %(now)s
FROM json_to_recordset(%(attempts)s::json)
    AS v(id bigint, provider_message_id varchar, raw jsonb, handles_fallback boolean)
WHERE a.id = v.id AND a.id IN (
    SELECT id FROM sending_attempt WHERE id = ANY(%(ids)s::bigint[]) ORDER BY id FOR UPDATE
)
"""

# Message.advance(SENT, now): queued or sending become sent; sent_at is stamped unless the
# message is suppressed or cancelled (FINAL); the lease is dropped in every case.
_MESSAGES = """
UPDATE sending_message m SET
    final_channel = v.channel,
    status_detail = '',
    status = CASE WHEN m.status IN ('queued', 'sending') THEN 'sent' ELSE m.status END,
    sent_at = CASE WHEN m.status IN ('suppressed', 'cancelled') THEN m.sent_at
        ELSE COALESCE(m.sent_at, %(now)s) END,
    locked_until = NULL,
    rcs_deadline = COALESCE(v.deadline, m.rcs_deadline),
    updated = %(now)s
FROM json_to_recordset(%(messages)s::json) AS v(id bigint, channel varchar, deadline timestamptz)
WHERE m.id = v.id AND m.id IN (
    SELECT id FROM sending_message WHERE id = ANY(%(message_ids)s::bigint[]) ORDER BY id FOR UPDATE
)
"""


# Accepted over RCS means reachable over RCS; the rows locked in id order, as above.
_CONTACTS = """
UPDATE audience_contact SET rcs_capable = true, rcs_checked_at = %(now)s
WHERE id IN (
    SELECT id FROM audience_contact WHERE id = ANY(%(contacts)s::bigint[]) ORDER BY id FOR UPDATE
)
"""

# The results of a chunk go in one round trip (simple query protocol: several statements,
# parameters bound on the client). A server crash may lose them: see bulk_sql.
_RESULTS = "SET LOCAL synchronous_commit TO OFF;" + _ATTEMPTS + ";" + _MESSAGES


def write_sent(rows, now, capable=()):
    """rows: (attempt id, message id, channel, provider message id, raw dict, handles
    fallback, RCS deadline or None), one per accepted call; capable: ids of the contacts now
    known reachable over RCS. Inside a transaction, whose commit does not wait for the disk."""
    if not rows:
        return
    attempts = [
        {"id": row[0], "provider_message_id": row[3], "raw": row[4], "handles_fallback": row[5]}
        for row in rows
    ]
    messages = [{"id": row[1], "channel": str(row[2]), "deadline": _iso(row[6])} for row in rows]
    with connection.cursor() as cursor:
        cursor.execute(
            _RESULTS + (";" + _CONTACTS if capable else ""),
            {
                "now": now,
                "attempts": json.dumps(attempts),
                "ids": _ids(row[0] for row in rows),
                "messages": json.dumps(messages),
                "message_ids": _ids(row[1] for row in rows),
                "contacts": _ids(sorted(set(capable))),
            },
        )


def _ids(ids):
    """A PostgreSQL array literal of integers ('{1,2,3}'), cast to bigint[] in the SQL."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def _iso(moment):
    return moment.isoformat() if moment is not None else None
