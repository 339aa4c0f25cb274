"""Trigram indexes for the contacts screen's search (audience.contact_forms.search).

A word typed is looked for inside the first name, last name and email (icontains, which Django
writes as UPPER(column) LIKE UPPER('%word%')); a number inside the phone (LIKE '%+33612%'). No
b-tree serves a pattern that starts with %, so at a million contacts every search read the whole
table; a GIN index of trigrams (pg_trgm) serves it, for words of three characters or more.

PostgreSQL only: on SQLite, the zero-setup development database, both steps do nothing and the
search scans as before. The indexes are kept out of the model's state for that reason (a table
SQLite rebuilds is rebuilt from that state). They are built CONCURRENTLY: a plain build on a
large table would hold off imports, API writes and opt-outs while it runs.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# Each expression as the search's WHERE clause writes it, so the planner can match them.
INDEXES = {
    "audience_contact_first_name_trgm": "UPPER(first_name) gin_trgm_ops",
    "audience_contact_last_name_trgm": "UPPER(last_name) gin_trgm_ops",
    "audience_contact_email_trgm": "UPPER(email) gin_trgm_ops",
    "audience_contact_phone_trgm": "phone gin_trgm_ops",
}


class AddTrigramExtension(TrigramExtension):
    """CREATE EXTENSION pg_trgm on PostgreSQL (Django's operation skips other databases).
    Undone, it leaves the extension in place: Django's own reverse does not skip SQLite, and
    something else in the database may use pg_trgm."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON audience_contact USING gin ({expression})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("audience", "0011_consent_source_shops"),
    ]

    operations = [
        AddTrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
