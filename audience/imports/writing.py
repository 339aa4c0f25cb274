"""Write one chunk of checked rows: contacts upserted on phone, list memberships, consent
entries, then the current-consent columns of the contacts whose ledger grew.

write_chunk is the one entry point: on PostgreSQL it COPYs the chunk into a temporary table
and merges it with set-based INSERT ... ON CONFLICT statements (copying.py); elsewhere (SQLite)
it uses the ORM's bulk_create. Both give the same result, and writing a chunk twice changes
nothing.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from audience.imports.copying import REFRESH_CONSENT, write_with_copy
from audience.models import CONSENT_COLUMNS, ConsentEntry, Contact, ListMembership

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
            written = Written()
            touched = write_with_copy(
                rows,
                written,
                test_mode=test_mode,
                contact_list_id=contact_list_id,
                operator=operator,
                now=now,
                operator_text=_operator,
            )
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
