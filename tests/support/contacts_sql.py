"""Many contacts written in one SQL statement (PostgreSQL), for the contact search's index test
and its benchmark: French names, numbers and emails, a minute apart, one of them Margaux
Quenneville, then the planner's statistics as autovacuum would leave them."""

from django.db import connection

FIRST = ["Anne", "Bruno", "Chloé", "Denis", "Élodie", "François", "Hélène", "Inès", "Jules", "Léa"]
LAST = ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Roux", "Fournier"]


def build_contacts(size, *, test_mode=False, prefix="+336"):
    """size contacts numbered prefix + 8 digits from 1 (the newest) to size (the oldest); number
    54321 is Margaux Quenneville, margaux.q@atelier.example."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO audience_contact (public_id, phone, test_mode, first_name, last_name,
                email, language, attributes, sms_consent, rcs_consent, created, updated)
            SELECT gen_random_uuid(), %(prefix)s || lpad(i::text, 8, '0'), %(test_mode)s,
                   (%(first)s::text[])[1 + i %% 10], (%(last)s::text[])[1 + (i / 10) %% 9],
                   'client' || i || '@exemple.fr', 'fr', '{}', 'none', 'none',
                   now() - i * interval '1 minute', now()
            FROM generate_series(1, %(size)s) AS i
            """,
            {
                "first": FIRST,
                "last": LAST,
                "size": size,
                "test_mode": test_mode,
                "prefix": prefix,
            },
        )
        cursor.execute(
            "UPDATE audience_contact SET first_name = 'Margaux', last_name = 'Quenneville', "
            "email = 'margaux.q@atelier.example' WHERE phone = %s AND test_mode = %s",
            [f"{prefix}00054321", test_mode],
        )
        # Rows written since a GIN index was last flushed wait in a list every search reads
        # whole; autovacuum flushes it.
        cursor.execute(
            "SELECT gin_clean_pending_list(indexrelid) FROM pg_index "
            "WHERE indrelid = 'audience_contact'::regclass AND indexrelid::regclass::text "
            "LIKE '%%_trgm'"
        )
        cursor.execute("ANALYZE audience_contact")
