"""At a realistic size (100,000 contacts) every query the contacts screen makes for a search
reads the trigram indexes of migration 0012, not the whole contact table (PostgreSQL only:
SQLite, the development database, has no such index and scans)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.contacts_sql import build_contacts
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db

SIZE = 100_000


def plans(client, query):
    """The EXPLAIN of each query the contacts screen makes on the contact table for query."""
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/audience/", {"q": query})
    assert page.status_code == 200
    found = []
    with connection.cursor() as cursor:
        for sql in (q["sql"] for q in captured.captured_queries):
            if "LIKE" not in sql or '"audience_contact"' not in sql:
                continue
            cursor.execute("EXPLAIN " + sql)
            found.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return page.content.decode(), found


# What is typed, the index that must serve it, and a contact the page then shows.
SEARCHES = [
    ("quennev", "last_name_trgm", "Quenneville"),
    ("Margaux QUENNEVILLE", "first_name_trgm", "Quenneville"),
    ("atelier.exa", "email_trgm", "+33600054321"),
    ("06 00 05 43 2", "phone_trgm", "+33600054321"),
    # 10,000 matches, all among the oldest contacts: read newest first through the created
    # index, the page would pass over the 90,000 newer ones first.
    ("06 00 09", "phone_trgm", "+33600090000"),
]


def test_the_contact_search_reads_the_trigram_indexes_at_100k_contacts(client):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram indexes are PostgreSQL's (migration audience 0012)")
    signed_in(client)
    build_contacts(SIZE)

    for query, index, shown in SEARCHES:
        page, explained = plans(client, query)

        assert shown in page, query
        # The paginator's count, the counts beside the list and the page of contacts.
        assert len(explained) == 3, query
        for sql, plan in explained:
            assert "Seq Scan on audience_contact" not in plan, f"{sql}\n{plan}"
            assert f"audience_contact_{index}" in plan, f"{sql}\n{plan}"
