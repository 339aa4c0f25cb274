"""Large tables written in SQL for the EXPLAIN tests (query plans at realistic sizes)."""

from django.db import connection


def insert_test_contacts(count):
    """count opted-in test contacts, numbered from +33600000001, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO audience_contact (public_id, phone, test_mode, first_name, last_name,
                email, language, attributes, sms_consent, rcs_consent, created, updated)
            SELECT gen_random_uuid(), '+336' || lpad(g::text, 8, '0'), true, 'Client', '', '',
                '', '{}', 'opt_in', 'opt_in', now(), now()
            FROM generate_series(1, %s) g
            """,
            [count],
        )
