"""Write one chunk of checked rows: contacts upserted on phone, list memberships, consent
entries, then the current-consent columns of the contacts whose ledger grew.

write_chunk is the one entry point: on PostgreSQL it COPYs the chunk into a temporary table
and merges it with set-based INSERT ... ON CONFLICT statements; elsewhere (SQLite) it uses
the ORM's bulk_create. Both give the same result, and writing a chunk twice changes nothing.
"""

import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from audience.models import CONSENT_COLUMNS, ConsentEntry, Contact, ListMembership

STAGE = "relais_import_stage"
SEEN = "relais_import_seen"
# Rows per multi-row statement: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
STATEMENT_ROWS = 2_000


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    consents: int = 0
    memberships: int = 0


def write_chunk(rows, *, test_mode, contact_list_id=None, operator="", now=None):
    """Upsert the rows (CleanRow, one per phone) in one mode and return what changed."""
    now = now or timezone.now()
    with transaction.atomic():
        if uses_copy():
            written, touched = _write_with_copy(rows, test_mode, contact_list_id, operator, now)
        else:
            written, touched = _write_with_orm(rows, test_mode, contact_list_id, operator, now)
        refresh_consent_columns(touched)
    return written


def uses_copy():
    """True when chunks are written with COPY (PostgreSQL), False for the ORM path."""
    return connection.vendor == "postgresql"


def refresh_consent_columns(contact_ids):
    """Set the current-consent columns of these contacts from their ledger, set-based (the
    bulk writes above skip ConsentEntry.save, which does it one entry at a time): the latest
    entry covering a channel, by occurred_at then id, decides it, as in migration 0004."""
    if not contact_ids:
        return
    ids = sorted(set(contact_ids))
    if uses_copy():
        with connection.cursor() as cursor:
            cursor.execute(REFRESH_CONSENT, {"ids": ids})
        return
    changes = {}
    for channel, (value_column, at_column) in CONSENT_COLUMNS.items():
        latest = ConsentEntry.objects.filter(
            contact=OuterRef("pk"), channel__in=[ConsentEntry.Scope.ALL, str(channel)]
        ).order_by("-occurred_at", "-pk")
        changes[value_column] = Coalesce(Subquery(latest.values("kind")[:1]), Value("none"))
        changes[at_column] = Subquery(latest.values("occurred_at")[:1])
    newest = ConsentEntry.objects.filter(contact=OuterRef("pk")).order_by("-created")
    changes["consent_updated"] = Subquery(newest.values("created")[:1])
    Contact.objects.filter(pk__in=ids).update(**changes)


def _latest(channel):
    return f"""{channel} AS (
        SELECT DISTINCT ON (e.contact_id) e.contact_id, e.kind, e.occurred_at
        FROM audience_consententry e JOIN touched t ON t.id = e.contact_id
        WHERE e.channel IN ('all', '{channel}')
        ORDER BY e.contact_id, e.occurred_at DESC, e.id DESC
    )"""


# The same on PostgreSQL in one pass over the touched contacts' entries, where the correlated
# subqueries above take seconds per chunk.
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


def _operator(operator, consent):
    # The file's own words for where consent came from, kept with who imported it.
    text = f"{operator}: {consent.source_text}" if consent.source_text else operator
    return text[:150]


def _merged(row, contact):
    """The contact's fields after the row: empty cells leave a value as it was."""
    return {
        "first_name": row.first_name or contact.first_name,
        "last_name": row.last_name or contact.last_name,
        "email": row.email or contact.email,
        "language": row.language or contact.language,
        "attributes": {**contact.attributes, **row.attributes},
    }


def _write_with_orm(rows, test_mode, contact_list_id, operator, now):
    written = Written()
    phones = [row.phone for row in rows]
    contacts = Contact.objects.in_mode(test_mode)
    existing = {contact.phone: contact for contact in contacts.filter(phone__in=phones)}
    upserts = []
    for row in rows:
        contact = existing.get(row.phone) or Contact(phone=row.phone, attributes={})
        fields = _merged(row, contact)
        if contact.pk is None:
            written.created += 1
        elif all(getattr(contact, name) == value for name, value in fields.items()):
            written.unchanged += 1
            continue
        else:
            written.updated += 1
        upserts.append(Contact(phone=row.phone, test_mode=bool(test_mode), **fields))
    Contact.objects.bulk_create(
        upserts,
        update_conflicts=True,
        unique_fields=["phone", "test_mode"],
        update_fields=["first_name", "last_name", "email", "language", "attributes", "updated"],
    )
    ids = dict(contacts.filter(phone__in=phones).values_list("phone", "pk"))
    if contact_list_id is not None:
        on_list = set(
            ListMembership.objects.filter(
                contact_list_id=contact_list_id, contact_id__in=ids.values()
            ).values_list("contact_id", flat=True)
        )
        new = [
            ListMembership(
                contact_list_id=contact_list_id, contact_id=pk, added=now, source="import"
            )
            for pk in ids.values()
            if pk not in on_list
        ]
        ListMembership.objects.bulk_create(new, ignore_conflicts=True)
        written.memberships = len(new)
    entries = _new_entries([row for row in rows if row.consent], ids, operator)
    ConsentEntry.objects.bulk_create(entries)
    written.consents = len(entries)
    return written, [entry.contact_id for entry in entries]


def _new_entries(rows, ids, operator):
    """Ledger entries for rows whose consent is not in the ledger yet (same kind, channels
    and wording; same time when the file dated it)."""
    known = ConsentEntry.objects.filter(contact_id__in=[ids[row.phone] for row in rows])
    dated, undated = set(), set()
    for key in known.values_list("contact_id", "kind", "channel", "wording", "occurred_at"):
        dated.add(key)
        undated.add(key[:4])
    entries = []
    for row in rows:
        consent = row.consent
        key = (ids[row.phone], consent.kind, consent.channel, consent.wording)
        if (key + (consent.occurred_at,) in dated) if consent.dated else (key in undated):
            continue
        entries.append(
            ConsentEntry(
                contact_id=ids[row.phone],
                kind=consent.kind,
                channel=consent.channel,
                source=consent.source,
                wording=consent.wording,
                occurred_at=consent.occurred_at,
                operator=_operator(operator, consent),
            )
        )
    return entries


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
UPSERT_CONTACTS = f"""
    WITH upserted AS (
        INSERT INTO audience_contact AS c (public_id, phone, test_mode, first_name, last_name,
            email, language, attributes, sms_consent, rcs_consent, created, updated)
        SELECT gen_random_uuid(), s.phone, %(test_mode)s, s.first_name, s.last_name, s.email,
            s.language, s.attributes, 'none', 'none', %(now)s, %(now)s
        FROM {STAGE} s
        ON CONFLICT (phone, test_mode) DO UPDATE SET
            {", ".join(f"{name} = {value}" for name, value in MERGED.items())},
            updated = EXCLUDED.updated
        WHERE ({", ".join(f"c.{name}" for name in MERGED)})
            IS DISTINCT FROM ({", ".join(MERGED.values())})
        RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted"""
ADD_MEMBERSHIPS = f"""
    WITH added AS (
        INSERT INTO audience_listmembership (contact_id, contact_list_id, added, source)
        SELECT c.id, %(list)s, %(now)s, 'import'
        FROM {STAGE} s JOIN audience_contact c ON c.phone = s.phone AND c.test_mode = %(test_mode)s
        ON CONFLICT (contact_list_id, contact_id) DO NOTHING
        RETURNING 1
    )
    SELECT count(*) FROM added"""
ADD_CONSENTS = f"""
    INSERT INTO audience_consententry
        (contact_id, kind, channel, source, wording, occurred_at, operator, created)
    SELECT c.id, s.kind, s.channel, s.source, s.wording, s.occurred_at, s.operator, %(now)s
    FROM {STAGE} s JOIN audience_contact c ON c.phone = s.phone AND c.test_mode = %(test_mode)s
    WHERE s.kind <> '' AND NOT EXISTS (
        SELECT 1 FROM audience_consententry e
        WHERE e.contact_id = c.id AND e.kind = s.kind AND e.channel = s.channel
            AND e.wording = s.wording AND (NOT s.dated OR e.occurred_at = s.occurred_at)
    )
    RETURNING contact_id"""


def _stage_row(row, operator):
    consent = row.consent
    contact = [
        row.phone,
        row.first_name,
        row.last_name,
        row.email,
        row.language,
        json.dumps(row.attributes),
    ]
    if consent is None:
        return (*contact, "", "", "", "", "", None, False)
    return (
        *contact,
        consent.kind,
        consent.channel,
        consent.source,
        consent.wording,
        _operator(operator, consent),
        consent.occurred_at,
        consent.dated,
    )


def _write_with_copy(rows, test_mode, contact_list_id, operator, now):
    written = Written()
    params = {"test_mode": bool(test_mode), "now": now, "list": contact_list_id}
    with connection.cursor() as cursor:
        cursor.execute(CREATE_STAGE)
        cursor.execute(f"TRUNCATE {STAGE}")
        with cursor.copy(f"COPY {STAGE} ({', '.join(STAGE_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(_stage_row(row, operator))
        cursor.execute(UPSERT_CONTACTS, params)
        written.created, written.updated = cursor.fetchone()
        written.unchanged = len(rows) - written.created - written.updated
        if contact_list_id is not None:
            cursor.execute(ADD_MEMBERSHIPS, params)
            written.memberships = cursor.fetchone()[0]
        cursor.execute(ADD_CONSENTS, params)
        touched = [contact_id for (contact_id,) in cursor.fetchall()]
        written.consents = len(touched)
    return written, touched


class SeenPhones:
    """The numbers already read from this file, in a temporary table (a million numbers
    would not keep the import's memory flat): the first line with a number wins."""

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {SEEN}")
            cursor.execute(
                f"CREATE TEMP TABLE {SEEN} (phone varchar(16) PRIMARY KEY, line integer)"
            )
        return self

    def __exit__(self, *exc_info):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {SEEN}")

    def split(self, rows):
        """(firsts, repeats): the rows whose number is new to the file, and (row, first line)
        for the others."""
        firsts, repeats, lines = [], [], {}
        for row in rows:
            if row.phone in lines:
                repeats.append((row, lines[row.phone]))
            else:
                lines[row.phone] = row.line
                firsts.append(row)
        fresh = set()
        with connection.cursor() as cursor:
            if uses_copy() and firsts:
                # Two array parameters: 10,000 separate ones cost more to send than to insert.
                cursor.execute(
                    f"INSERT INTO {SEEN} (phone, line) "
                    "SELECT unnest(%s::text[]), unnest(%s::int[]) "
                    "ON CONFLICT (phone) DO NOTHING RETURNING phone",
                    [[row.phone for row in firsts], [row.line for row in firsts]],
                )
                fresh.update(phone for (phone,) in cursor.fetchall())
            for start in range(0, len(firsts) if not uses_copy() else 0, STATEMENT_ROWS):
                part = firsts[start : start + STATEMENT_ROWS]
                values = ", ".join(["(%s, %s)"] * len(part))
                cursor.execute(
                    f"INSERT INTO {SEEN} (phone, line) VALUES {values} "
                    "ON CONFLICT (phone) DO NOTHING RETURNING phone",
                    [value for row in part for value in (row.phone, row.line)],
                )
                fresh.update(phone for (phone,) in cursor.fetchall())
            earlier = [row.phone for row in firsts if row.phone not in fresh]
            if earlier:
                placeholders = ", ".join(["%s"] * len(earlier))
                cursor.execute(
                    f"SELECT phone, line FROM {SEEN} WHERE phone IN ({placeholders})", earlier
                )
                lines.update(dict(cursor.fetchall()))
        repeats += [(row, lines[row.phone]) for row in firsts if row.phone not in fresh]
        return [row for row in firsts if row.phone in fresh], repeats
