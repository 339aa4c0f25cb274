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


def dispatch_with_contacts(slug, count):
    """A running test dispatch of a fresh template, and count test contacts to address."""
    from tests.factories import make_dispatch, make_published_template

    _template, version = make_published_template(slug=slug)
    dispatch = make_dispatch(version)
    insert_test_contacts(count)
    return dispatch
