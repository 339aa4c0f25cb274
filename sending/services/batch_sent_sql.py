"""PostgreSQL: write a chunk's accepted calls in two statements, no model instances.

The same result as batch_results._record_accepted's ORM path (Attempt.advance and
Message.advance to sent), with the rows locked in id order first, so a receipt that arrived
meanwhile is never overwritten: a status already further on stays, a suppressed or
cancelled message keeps its status and sent_at. Profiled: loading and saving a chunk's
attempts and messages as instances was the largest part of the job's own time.
"""

import json

from django.db import connection

# Attempt.advance(SENT): only from calling, retry or unknown_outcome.
_ATTEMPTS = """
UPDATE sending_attempt a SET
    provider_message_id = v.provider_message_id,
    raw_response = v.raw::jsonb,
    provider_handles_fallback = v.handles_fallback,
    error_code = '',
    error_text = '',
    status = CASE WHEN a.status IN ('sent', 'delivered', 'read', 'failed', 'expired')
        THEN a.status ELSE 'sent' END,
    updated = %(now)s
FROM unnest(%(ids)s::bigint[], %(message_ids)s::varchar[], %(raw)s::text[],
            %(fallback)s::boolean[]) AS v(id, provider_message_id, raw, handles_fallback)
WHERE a.id = v.id AND a.id IN (
    SELECT id FROM sending_attempt WHERE id = ANY(%(ids)s) ORDER BY id FOR UPDATE
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
FROM unnest(%(messages)s::bigint[], %(channels)s::varchar[], %(deadlines)s::timestamptz[])
    AS v(id, channel, deadline)
WHERE m.id = v.id AND m.id IN (
    SELECT id FROM sending_message WHERE id = ANY(%(messages)s) ORDER BY id FOR UPDATE
)
"""


# Accepted over RCS means reachable over RCS; the rows locked in id order, as above.
_CONTACTS = """
UPDATE audience_contact SET rcs_capable = true, rcs_checked_at = %(now)s
WHERE id IN (
    SELECT id FROM audience_contact WHERE id = ANY(%(contacts)s) ORDER BY id FOR UPDATE
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
    capable = sorted(set(capable))
    with connection.cursor() as cursor:
        cursor.execute(
            _RESULTS + (";" + _CONTACTS if capable else ""),
            {
                "now": now,
                "ids": [row[0] for row in rows],
                "message_ids": [row[3] for row in rows],
                "raw": [json.dumps(row[4]) for row in rows],
                "fallback": [row[5] for row in rows],
                "messages": [row[1] for row in rows],
                "channels": [str(row[2]) for row in rows],
                "deadlines": [row[6] for row in rows],
                "contacts": capable,
            },
        )
