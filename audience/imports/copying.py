"""The PostgreSQL writer of a chunk: COPY into a temporary table, then set-based statements.

No statement joins the chunk to audience_contact on the phone: the planner, seeing a few
thousand staged rows, would read the whole contact table for each chunk (an import growing
quadratic with the table). The upsert returns the ids it wrote, the others are looked up by
index, and memberships and ledger entries are written from those ids.
"""

import json

from django.db import connection

STAGE = "relais_import_stage"
STAGE_COLUMNS = [
    "phone",
    "first_name",
    "last_name",
    "email",
    "language",
    "attributes",
    "kind",
    "channel",
    "source",
    "wording",
    "operator",
    "occurred_at",
    "dated",
]
CREATE_STAGE = f"""
    CREATE TEMP TABLE IF NOT EXISTS {STAGE} (
        phone varchar(16) PRIMARY KEY, first_name text, last_name text, email text,
        language text, attributes jsonb, kind text, channel text, source text, wording text,
        operator text, occurred_at timestamptz, dated boolean
    )"""
# A field keeps its value when the file's cell is empty; attributes are merged.
MERGED = {
    "first_name": "COALESCE(NULLIF(EXCLUDED.first_name, ''), c.first_name)",
    "last_name": "COALESCE(NULLIF(EXCLUDED.last_name, ''), c.last_name)",
    "email": "COALESCE(NULLIF(EXCLUDED.email, ''), c.email)",
    "language": "COALESCE(NULLIF(EXCLUDED.language, ''), c.language)",
    "attributes": "c.attributes || EXCLUDED.attributes",
}


def _consent_of_new(channel):
    """A new contact's current consent on a channel: its row's consent when it covers the
    channel (the only entry of its ledger), else none; what the refresh below would set."""
    covers = f"s.kind <> '' AND s.channel IN ('all', '{channel}')"
    kind = f"CASE WHEN {covers} THEN s.kind ELSE 'none' END"
    return f"{kind}, CASE WHEN {covers} THEN s.occurred_at END"


UPSERT_CONTACTS = f"""
    INSERT INTO audience_contact AS c (public_id, phone, test_mode, first_name, last_name,
        email, language, attributes, sms_consent, sms_consent_at, rcs_consent, rcs_consent_at,
        consent_updated, created, updated)
    SELECT gen_random_uuid(), s.phone, %(test_mode)s, s.first_name, s.last_name, s.email,
        s.language, s.attributes, {_consent_of_new("sms")}, {_consent_of_new("rcs")},
        CASE WHEN s.kind <> '' THEN %(now)s::timestamptz END, %(now)s, %(now)s
    FROM {STAGE} s
    ON CONFLICT (phone, test_mode) DO UPDATE SET
        {", ".join(f"{name} = {value}" for name, value in MERGED.items())},
        updated = EXCLUDED.updated
    WHERE ({", ".join(f"c.{name}" for name in MERGED)})
        IS DISTINCT FROM ({", ".join(MERGED.values())})
    RETURNING c.phone, c.id, (xmax = 0) AS inserted"""
# Unchanged contacts (which the upsert does not return), by the unique (phone, test_mode) index.
FIND_CONTACTS = """
    SELECT phone, id FROM audience_contact WHERE test_mode = %(test_mode)s
        AND phone = ANY(%(phones)s::text[])"""
ADD_MEMBERSHIPS = """
    WITH added AS (
        INSERT INTO audience_listmembership (contact_id, contact_list_id, added, source)
        SELECT unnest(%(ids)s::bigint[]), %(list)s, %(now)s, 'import'
        ON CONFLICT (contact_list_id, contact_id) DO NOTHING
        RETURNING 1
    )
    SELECT count(*) FROM added"""
CONTACT_IDS = """
    ids AS (SELECT * FROM unnest(%(phones)s::text[], %(ids)s::bigint[], %(new)s::boolean[])
        AS x(phone, id, new))"""
ADD_CONSENTS = f"""
    WITH {CONTACT_IDS}
    INSERT INTO audience_consententry
        (contact_id, kind, channel, source, wording, occurred_at, operator, created)
    SELECT ids.id, s.kind, s.channel, s.source, s.wording, s.occurred_at, s.operator, %(now)s
    FROM {STAGE} s JOIN ids ON ids.phone = s.phone
    WHERE s.kind <> '' AND %(condition)s
    RETURNING contact_id"""
# A new contact's ledger is empty: its entry is written without looking.
ADD_CONSENTS_OF_NEW = ADD_CONSENTS.replace("%(condition)s", "ids.new")
# A known contact's entry is written when the ledger does not hold it yet (same kind,
# channels and wording; same time when the file dated it).
ADD_CONSENTS_OF_KNOWN = ADD_CONSENTS.replace(
    "%(condition)s",
    """NOT ids.new AND NOT EXISTS (
        SELECT 1 FROM audience_consententry e
        WHERE e.contact_id = ids.id AND e.kind = s.kind AND e.channel = s.channel
            AND e.wording = s.wording AND (NOT s.dated OR e.occurred_at = s.occurred_at)
    )""",
)


def _latest(channel):
    return f"""{channel} AS (
        SELECT DISTINCT ON (e.contact_id) e.contact_id, e.kind, e.occurred_at
        FROM audience_consententry e JOIN touched t ON t.id = e.contact_id
        WHERE e.channel IN ('all', '{channel}')
        ORDER BY e.contact_id, e.occurred_at DESC, e.id DESC
    )"""


# writing.refresh_consent_columns in one pass over the touched contacts' entries, where the
# ORM's correlated subqueries take seconds per chunk.
REFRESH_CONSENT = f"""
    WITH touched AS (SELECT unnest(%(ids)s::bigint[]) AS id),
    {_latest("sms")},
    {_latest("rcs")},
    newest AS (
        SELECT e.contact_id, max(e.created) AS created
        FROM audience_consententry e JOIN touched t ON t.id = e.contact_id
        GROUP BY e.contact_id
    )
    UPDATE audience_contact c SET
        sms_consent = COALESCE(sms.kind, 'none'), sms_consent_at = sms.occurred_at,
        rcs_consent = COALESCE(rcs.kind, 'none'), rcs_consent_at = rcs.occurred_at,
        consent_updated = newest.created
    FROM touched t
        LEFT JOIN sms ON sms.contact_id = t.id
        LEFT JOIN rcs ON rcs.contact_id = t.id
        LEFT JOIN newest ON newest.contact_id = t.id
    WHERE c.id = t.id"""


def stage_row(row, operator, operator_text):
    consent = row.consent
    contact = (
        row.phone,
        row.first_name,
        row.last_name,
        row.email,
        row.language,
        json.dumps(row.attributes) if row.attributes else "{}",
    )
    if consent is None:
        return (*contact, "", "", "", "", "", None, False)
    return (
        *contact,
        consent.kind,
        consent.channel,
        consent.source,
        consent.wording,
        operator_text(operator, consent),
        consent.occurred_at,
        consent.dated,
    )


def write_with_copy(rows, written, *, test_mode, contact_list_id, operator, now, operator_text):
    """Write the chunk into written's counts; returns the ids of the contacts known before
    whose ledger grew (their consent columns are refreshed; new contacts get theirs here)."""
    params = {"test_mode": bool(test_mode), "now": now, "list": contact_list_id}
    with connection.cursor() as cursor:
        # A chunk committed and lost in a server crash is written again when the import is
        # started again; the progress saved after it is committed durably, and with it the chunk.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(CREATE_STAGE)
        cursor.execute(f"TRUNCATE {STAGE}")
        with cursor.copy(f"COPY {STAGE} ({', '.join(STAGE_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(stage_row(row, operator, operator_text))
        cursor.execute(UPSERT_CONTACTS, params)
        ids, new = {}, set()
        for phone, contact_id, inserted in cursor.fetchall():
            ids[phone] = contact_id
            if inserted:
                new.add(contact_id)
        written.created = len(new)
        written.updated = len(ids) - len(new)
        written.unchanged = len(rows) - len(ids)
        if written.unchanged:
            unchanged = [row.phone for row in rows if row.phone not in ids]
            cursor.execute(FIND_CONTACTS, {**params, "phones": unchanged})
            ids.update(cursor.fetchall())
        if contact_list_id is not None:
            cursor.execute(ADD_MEMBERSHIPS, {**params, "ids": list(ids.values())})
            written.memberships = cursor.fetchone()[0]
        consented = [row.phone for row in rows if row.consent is not None]
        touched = []
        if consented:
            params.update(
                phones=consented,
                ids=[ids[phone] for phone in consented],
                new=[ids[phone] in new for phone in consented],
            )
            cursor.execute(ADD_CONSENTS_OF_NEW, params)
            written.consents = len(cursor.fetchall())
            cursor.execute(ADD_CONSENTS_OF_KNOWN, params)
            touched = [contact_id for (contact_id,) in cursor.fetchall()]
            written.consents += len(touched)
    return touched
